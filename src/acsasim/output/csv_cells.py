"""CSV text, the one way every CSV of the project is written and read back.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
carriage return) as a formula: a commodity unit `=HYPERLINK(...)` would execute when a
planner opens orders.csv. Following OWASP's advice on CSV injection, such a text cell is
written with a single quote in front (`'=HYPERLINK(...)`), which spreadsheets show as text;
numbers (`-12.50`, `+3`, `1e-05`) are left as they are. The quote is taken off again when
acsasim reads its own CSVs (`restore`), so what the books say never changes: a value that
itself starts with quotes before a trigger gets one more quote, so every value comes back
exactly.

Values are written as the tables hold them: floats by their shortest round-tripping text
(`repr`), None as an empty cell, everything else by `str`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _dangerous(text: str) -> bool:
    """Whether a spreadsheet could take `text`, after any leading quotes, as a formula."""
    return text.lstrip(QUOTE).startswith(TRIGGERS) and not _NUMBER.match(text)


def neutralise(text: str) -> str:
    """The cell as written: a quote in front of a text that a spreadsheet would run."""
    return QUOTE + text if _dangerous(text) else text


def restore(cell: str) -> str:
    """The value a cell written by `neutralise` stands for (its inverse)."""
    return cell[1:] if cell.startswith(QUOTE) and _dangerous(cell[1:]) else cell


def cell_text(value: Any) -> str:
    """A table value as its CSV text, neutralised."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return neutralise(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A whole CSV file: header, then one line per row ("\\n" line ends, RFC 4180 quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cell_text(h) for h in header])
    writer.writerows([cell_text(v) for v in row] for row in rows)
    return buffer.getvalue()


def read_rows(text: str) -> list[list[str]]:
    """The rows of a CSV written by `csv_text` (header first), every cell restored; blank
    lines hold no row. csv.Error for text that is not CSV."""
    return [[restore(c) for c in row] for row in csv.reader(io.StringIO(text, newline="")) if row]
