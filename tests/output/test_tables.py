"""The run folder's tables built from the engine's columns: what `csv.writer` would write row by
row, times as `timedelta` gives them, and stock levels exact (no binary-float residue)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger.money import from_minor
from acsasim.output.csv_cells import TRIGGERS, cell_text, csv_columns, read_rows
from acsasim.output.tables import Clock, Table, decimal_text, tables

TEXT = st.text(alphabet=st.sampled_from([*"ab,\"'\n\r =+-@1.e", *TRIGGERS, "é"]), max_size=6)
VALUE = st.one_of(st.none(), TEXT, st.floats(allow_nan=False), st.integers(-(10**12), 10**12))


def row_by_row(header: list[str], rows: list[list[object]]) -> str:
    """What the project wrote before columns: csv.writer, one row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([cell_text(h) for h in header])
    writer.writerows([cell_text(v) for v in row] for row in rows)
    return buffer.getvalue()


@given(st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(VALUE, min_size=n, max_size=n))))
def test_columns_are_written_as_csv_writer_writes_rows(rows: list[list[object]]) -> None:
    width = len(rows[0]) if rows else 3
    header = [f"c{i}" for i in range(width)]
    columns = [[row[i] for row in rows] for i in range(width)] if rows else []
    assert csv_columns(header, columns) == row_by_row(header, rows)


def test_a_neutralised_text_column_reads_back_as_written() -> None:
    column = ["=HYPERLINK(1)", "-12.50", "'=x", "plain", "a,b", "@home"]
    text = csv_columns(["unit", "n"], [column, list(range(len(column)))])
    assert text.splitlines()[1] == "'=HYPERLINK(1),0"
    assert [row[0] for row in read_rows(text)[1:]] == column


@given(st.one_of(st.none(), st.floats(0, 200_000, allow_nan=False)))
def test_a_column_of_times_is_what_timedelta_gives(hours: float | None) -> None:
    clock = Clock(datetime(2026, 4, 1, 7, 30, 15))
    values = [hours, 0.0, hours, None]
    assert clock.column(values) == [clock.text(h) for h in values]


@given(st.integers(-(10**20), 10**20), st.sampled_from(["JPY", "USD", "BHD"]))
def test_money_text_is_the_ledgers_decimal_text(units: int, currency: str) -> None:
    digits = {"JPY": 0, "USD": 2, "BHD": 3}[currency]
    assert decimal_text(units, digits) == str(from_minor(units, currency))


def test_table_rows_and_columns_are_one_table() -> None:
    t = Table.from_rows("t", ("a", "b"), [(1, "x"), (2, "y")])
    assert t.data == ([1, 2], ["x", "y"]) and t.rows == [(1, "x"), (2, "y")] and len(t) == 2
    assert Table.from_rows("t", ("a", "b"), []).rows == []


def test_stock_levels_are_the_exact_sum_of_the_flows(drill_result, drill_folder: Path) -> None:
    """stock.csv's last day is, to the last digit, the sum of the holder's flows in flows.csv:
    R15 in the files, with nothing to round. (Levels used to be float sums, 467649.07999999996
    litres for 467649.08.)"""
    flows = read_rows((drill_folder / "flows.csv").read_text(encoding="utf-8"))
    stock = read_rows((drill_folder / "stock.csv").read_text(encoding="utf-8"))
    total: dict[tuple[str, str], Decimal] = {}
    for row in flows[1:]:
        key = (row[1], row[3])
        total[key] = total.get(key, Decimal(0)) + Decimal(row[5])
    last = {(row[1], row[3]): row for row in stock[1:]}  # the last day of each wins
    assert set(last) == {(h.id, c) for h in drill_result.scenario.holders for c in h.stock}
    for key, row in last.items():
        assert Decimal(row[4]) == total.get(key, Decimal(0)), key
    book = drill_result.books.stock
    h, c = book.holders.index("jmsdf-ship"), book.commodities.index("diesel")
    assert Decimal(last[("jmsdf-ship", "diesel")][4]) * 1000 == book.level(h, c)  # millilitres
    day = next(r for r in stock if r[:2] == ["2026-05-28", "jmsdf-ship"] and r[3] == "diesel")
    assert day[4:] == ["467649.08", "467649.08"]


def test_the_lowest_level_of_a_day_counts_the_level_it_opened_at(drill_result) -> None:
    """A day's low is never above the level it opened at, nor above its end."""
    stock = next(t for t in tables(drill_result) if t.name == "stock")
    previous: dict[tuple[str, str], float] = {}
    for date, holder, _, commodity, end, low in stock.rows:
        key = (holder, commodity)
        assert low <= end
        if key in previous:
            assert low <= previous[key], (date, key)
        previous[key] = end


@pytest.mark.parametrize("name", ["orders", "postings", "flows", "refusals", "stock"])
def test_every_table_has_its_columns_of_one_length(drill_result, name: str) -> None:
    table = next(t for t in tables(drill_result) if t.name == name)
    assert len({len(c) for c in table.data}) == 1
    assert len(table.columns) == len(table.data)
