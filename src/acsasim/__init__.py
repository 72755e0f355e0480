"""acsasim: simulate logistics cross-servicing under ACSAs, with double-entry books."""

__version__ = "0.1.0"
