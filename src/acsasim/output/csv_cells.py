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
(`repr`), None as an empty cell, everything else by `str`. A whole table is written column by
column (`csv_columns`): each distinct text of a column is neutralised and quoted once, so a
table of hundreds of thousands of rows costs a few list operations, not a writer call per row;
the bytes are those `csv.writer` writes row by row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

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
    listed = [list(row) for row in rows]
    return csv_columns(header, [list(c) for c in zip(*listed, strict=True)] if listed else [])


def csv_columns(header: Sequence[str], columns: Sequence[Sequence[Any] | np.ndarray]) -> str:
    """The same file from the table's columns (`columns[i]` under `header[i]`), built a column
    at a time: what `csv.writer` writes, row by row, for the same values."""
    lines = [",".join(_field(cell_text(h)) for h in header)]
    if len(columns) == 1:  # csv.writer quotes a row whose only cell is empty: ""
        lines += [c or '""' for c in column_cells(columns[0])]
    elif columns and len(columns[0]):
        lines += map(",".join, zip(*(column_cells(c) for c in columns), strict=True))
    return "\n".join(lines) + "\n"


def column_cells(values: Sequence[Any] | np.ndarray) -> list[str]:
    """Every cell of one column as CSV text: neutralised (`cell_text`) and quoted where the
    csv module quotes. Floats, ints and text columns take a fast path; anything mixed is
    written value by value."""
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    kinds = set(map(type, items))
    if kinds <= {float}:
        return list(map(repr, items))  # digits, '.', 'e', '-': never quoted or neutralised
    if kinds <= {int}:
        return list(map(str, items))
    if kinds <= {str}:
        return _text_cells(items)
    return [_field(cell_text(v)) for v in items]


_SPECIAL = re.compile(r'[,"\r\n]')
_RISKY = frozenset((*TRIGGERS, QUOTE))  # first characters `neutralise` must look at


def _text_cells(items: list[str]) -> list[str]:
    """A text column's cells: the few distinct texts that need neutralising or quoting are
    looked at one by one, the others (ids, dates, numbers as text) are written as they are."""
    distinct = set(items)
    quoting = _SPECIAL.search("\x00".join(distinct)) is not None
    odd = distinct if quoting else [v for v in distinct if v[:1] in _RISKY]
    fixed = {v: c for v in odd if (c := _field(neutralise(v))) != v}
    return [fixed.get(v, v) for v in items] if fixed else items


def _field(text: str) -> str:
    """One cell as `csv.writer` writes it; text without a delimiter, quote or line break is
    written as it is, anything else by the csv module itself (its quoting rules, exactly)."""
    if not _SPECIAL.search(text):
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text, ""])
    return buffer.getvalue()[:-2]  # the cell, without the ",\n" of the empty one after it


def read_rows(text: str) -> list[list[str]]:
    """The rows of a CSV written by `csv_text` (header first), every cell restored; blank
    lines hold no row. csv.Error for text that is not CSV."""
    rows = csv.reader(io.StringIO(text, newline=""))
    if QUOTE not in text:  # nothing was neutralised: every cell is its value already
        return [row for row in rows if row]
    return [[restore(c) for c in row] for row in rows if row]
