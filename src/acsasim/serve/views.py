"""What the run and comparison pages show, worded and formatted: KPIs with their labels and
units (output.kpi_labels, as `acsasim run` prints them), two runs' KPIs side by side with
their differences, and any table sorted, filtered and cut into pages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from acsasim.output.kpi_labels import describe, flatten, number

PAGE_ROWS = 200


@dataclass(frozen=True)
class KpiRow:
    key: str  # the flattened key, as in summary.json (`unmet_demand.diesel`)
    label: str
    unit: str
    sign: str  # for a balance: what + and - mean
    values: tuple[str, ...]  # one per run
    difference: str = ""  # the second run's value minus the first's
    change: str = ""  # "up", "down" or "" (no change), for the page's colours


def kpi_rows(
    runs: Sequence[Mapping[str, Any]], currency: str, units: Mapping[str, str]
) -> list[KpiRow]:
    """Every KPI of one or more runs' summary.json, in the first run's order; with two runs,
    the difference (second - first) in the KPI's unit."""
    flat = [flatten(k) for k in runs]
    keys = list(dict.fromkeys(key for f in flat for key in f))
    rows = []
    for key in keys:
        info = describe(key, currency, units)
        got = [f.get(key) for f in flat]
        values = tuple(number(v, info) for v in got)
        difference, change = "", ""
        if len(got) == 2:
            a, b = (0.0 if v is None else v for v in got)
            delta = b - a
            if not math.isclose(delta, 0.0, abs_tol=1e-9):
                difference = ("+" if delta > 0 else "-") + number(abs(delta), info)
                change = "up" if delta > 0 else "down"
        rows.append(KpiRow(key, info.label, info.unit, info.sign, values, difference, change))
    return rows


@dataclass(frozen=True)
class TableView:
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]  # this page's rows
    total: int  # rows before filtering
    matched: int  # rows the filter kept
    sort: str
    descending: bool
    query: str
    page: int
    pages: int
    numeric: frozenset[int]


def table_view(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    sort: str = "",
    descending: bool = False,
    query: str = "",
    page: int = 1,
) -> TableView:
    """Rows kept when a cell contains every word of `query` (case-insensitive; `col:text`
    looks in one column), sorted by `sort` (numbers as numbers), one page of PAGE_ROWS."""
    columns = tuple(columns)
    text = [tuple("" if c is None else str(c) for c in r) for r in rows]
    numeric = frozenset(i for i in range(len(columns)) if _numeric([r[i] for r in text]))
    kept = [r for r in text if _matches(r, columns, query)]
    if sort in columns:
        i = columns.index(sort)
        key = (lambda r: _number(r[i])) if i in numeric else (lambda r: r[i].lower())
        kept.sort(key=key, reverse=descending)
    pages = max(1, math.ceil(len(kept) / PAGE_ROWS))
    page = min(max(1, page), pages)
    shown = kept[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
    return TableView(columns, shown, len(text), len(kept), sort if sort in columns else "",
                     descending, query, page, pages, numeric)  # fmt: skip


def _matches(row: tuple[str, ...], columns: tuple[str, ...], query: str) -> bool:
    for word in query.lower().split():
        column, sep, wanted = word.partition(":")
        if sep and column in columns:
            if wanted not in row[columns.index(column)].lower():
                return False
        elif not any(word in cell.lower() for cell in row):
            return False
    return True


def _number(text: str) -> float:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return -math.inf  # empty cells sort first


def _numeric(cells: list[str]) -> bool:
    filled = [c for c in cells if c != ""]
    return bool(filled) and all(_number(c) != -math.inf for c in filled)
