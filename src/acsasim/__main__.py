"""`python -m acsasim`: the same as the `acsasim` command."""

from acsasim.cli import main

main()
