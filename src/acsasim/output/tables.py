"""RunResult -> the tables of the run folder (the CSV/SQLite contract of docs/outputs.md).

Tables are built straight from the engine's columns (`result.books`: the order table, the
journal and the stock book), a column at a time: no record per row. A `Table` holds its
columns as lists of plain values (str, float, int) so that CSV, SQLite and DataFrames all show
the same values; money is exact decimal text, times are ISO 8601. Distinct values are
formatted once (a run has a few thousand instants and a few dozen accounts, repeated over
hundreds of thousands of rows). `frames()` gives pandas DataFrames for notebooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from acsasim.ledger.materiel import KINDS
from acsasim.ledger.money import minor_units
from acsasim.ledger.orders import order_id
from acsasim.output.stock_days import stock_columns

if TYPE_CHECKING:
    import pandas as pd

    from acsasim.result import RunResult

ORDER_COLUMNS = (
    "order_id",
    "agreement",
    "provider_party",
    "provider",
    "receiver_party",
    "receiver",
    "commodity",
    "quantity",
    "unit",
    "activity",
    "requested_at",
    "delivered_at",
    "currency",
    "value",
    "value_reporting",
    "tax_waived_reporting",
    "method",
    "due_at",
    "status",
    "settled_at",
    "settled_quantity",
    "settled_value",
    "settle_with",
    "settles",
    "priced_at",
    "price_basis",
    "charges",
    "billed_quantity",
)
POSTING_COLUMNS = ("txn_id", "time", "kind", "order_id", "account", "amount", "currency")
FLOW_COLUMNS = ("time", "holder", "party", "commodity", "kind", "quantity", "unmet", "order_id")
REFUSAL_COLUMNS = (
    "time",
    "agreement",
    "requester",
    "requester_party",
    "provider",
    "provider_party",
    "commodity",
    "quantity_requested",
    "quantity_refused",
    "reason",
)
STOCK_COLUMNS = ("date", "holder", "party", "commodity", "on_hand_end", "on_hand_min")
PURCHASE_COLUMNS = (
    "time",
    "line",
    "party",
    "holder",
    "commodity",
    "quantity",
    "unit",
    "currency",
    "value",
    "value_reporting",
    "tax_paid_reporting",
)
ORDER_TIMES = ("requested_at", "delivered_at", "due_at", "settled_at", "priced_at")
# Columns that are numbers in a table's DataFrame; every other column is text.
NUMERIC = {
    "orders": ("quantity", "settled_quantity", "billed_quantity"),
    "postings": ("txn_id",),
    "flows": ("quantity", "unmet"),
    "refusals": ("quantity_requested", "quantity_refused"),
    "stock": ("on_hand_end", "on_hand_min"),
    "purchases": ("quantity",),
}
INTEGER = {"txn_id"}


@dataclass(frozen=True)
class Table:
    """One table: its name, its columns' names and their values (`data[i]` is the column
    `columns[i]`, all of one length)."""

    name: str
    columns: tuple[str, ...]
    data: tuple[Sequence[Any], ...]

    @classmethod
    def from_rows(cls, name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
        data = tuple(list(c) for c in zip(*rows, strict=True)) if rows else ([],) * len(columns)
        return cls(name, tuple(columns), data)

    def __len__(self) -> int:
        return len(self.data[0]) if self.data else 0

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        """The table row by row (for small tables and tests; writers take the columns)."""
        return list(zip(*self.data, strict=True))

    def column(self, name: str) -> Sequence[Any]:
        return self.data[self.columns.index(name)]


def tables(r: RunResult) -> list[Table]:
    """Every table of the run folder, in the order they are written."""
    clock = Clock(r.scenario.start)
    return [
        Table("orders", ORDER_COLUMNS, _orders(r, clock)),
        Table("postings", POSTING_COLUMNS, _postings(r, clock)),
        Table("flows", FLOW_COLUMNS, _flows(r, clock)),
        Table("refusals", REFUSAL_COLUMNS, _refusals(r, clock)),
        Table("stock", STOCK_COLUMNS, stock_columns(r)),
        Table("purchases", PURCHASE_COLUMNS, _purchases(r, clock)),
    ]


def _purchases(r: RunResult, clock: Clock) -> tuple[list[Any], ...]:
    fields = ("line", "party", "holder", "commodity", "quantity", "unit", "currency", "value",
              "value_reporting", "tax_paid_reporting")  # fmt: skip
    return _record_columns(r.purchases, fields, clock, text={"value", "value_reporting",
                                                              "tax_paid_reporting"})  # fmt: skip


def _record_columns(
    records: Sequence[Any], fields: Sequence[str], clock: Clock, text: set[str]
) -> tuple[list[Any], ...]:
    """Small tables of records (refusals, purchases): the records' `time` as text, then each
    of `fields`, those in `text` (exact decimals, vocabulary) written as their text."""
    columns = [clock.column([x.time for x in records])]
    for f in fields:
        values = [getattr(x, f) for x in records]
        columns.append([str(v) for v in values] if f in text else values)
    return tuple(columns)


def stock_rows(r: RunResult) -> list[tuple[Any, ...]]:
    """stock.csv row by row: date, holder, party, commodity, on_hand_end, on_hand_min."""
    return Table("stock", STOCK_COLUMNS, stock_columns(r)).rows


def frames(r: RunResult) -> dict[str, pd.DataFrame]:
    """The same tables as pandas DataFrames, built once each."""
    return {t.name: frame(t) for t in tables(r)}


def frame(table: Table) -> pd.DataFrame:
    """A table as a DataFrame: text columns as text, the NUMERIC ones as numbers, whether the
    table came from a run or was read back from its files (the same frame either way)."""
    import pandas as pd

    data = dict(zip(table.columns, table.data, strict=True))
    return typed(pd.DataFrame(data, columns=list(table.columns)), table.name)


def typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """The columns of table `name` in their types: NUMERIC ones as numbers, the others as
    text (ValueError for a number that is not one)."""
    numeric = NUMERIC.get(name, ())
    for col in df.columns:
        if col in numeric:
            df[col] = df[col].astype(np.int64 if col in INTEGER else float)
        elif df[col].dtype != "str":
            df[col] = df[col].astype(str)
    return df


class Clock:
    """Simulation hours (R1) as the ISO date-time text of the tables, to the second.

    `text` is the definition: `start + timedelta(hours=h)`, written to the second (the
    microseconds truncated). `column` computes the same for a whole column with numpy: the
    hours split into whole and fraction as timedelta splits them, the fraction rounded to the
    microsecond half to even, as timedelta rounds it (tests hold the two equal)."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._origin = np.datetime64(start.replace(tzinfo=None), "us")

    def text(self, hours: float | None) -> str:
        if hours is None:
            return ""
        return (self.start + timedelta(hours=hours)).isoformat(timespec="seconds")

    def column(self, hours: Sequence[float | None]) -> list[str]:
        """A column of times (None: not yet) as text; each distinct instant written once."""
        values = np.asarray(hours, dtype=float)  # None -> nan
        if not len(values):
            return []
        distinct, where = np.unique(values, return_inverse=True)
        known = ~np.isnan(distinct)
        whole = np.trunc(distinct[known])
        micro = whole.astype(np.int64) * 3_600_000_000 + np.rint(
            (distinct[known] - whole) * 3.6e9
        ).astype(np.int64)
        when = self._origin + micro.astype("timedelta64[us]")
        texts: list[str] = np.datetime_as_string(when, unit="s").tolist()
        texts += [""] * int((~known).sum())  # nan sorts last
        return list(map(texts.__getitem__, where.ravel().tolist()))


def decimal_text(units: int, digits: int) -> str:
    """Integer minor units as exact decimal text, as `str(ledger.money.from_minor(...))`
    writes it: 812490, 2 -> '8124.90'; -5, 2 -> '-0.05'; 1300, 0 -> '1300'."""
    if not digits:
        return str(units)
    text = str(abs(units)).rjust(digits + 1, "0")
    return ("-" if units < 0 else "") + text[:-digits] + "." + text[-digits:]


def money_column(units: Sequence[int], currencies: Sequence[str] | str) -> list[str]:
    """Minor units as decimal text, each in its row's currency (or one currency for all)."""
    if isinstance(currencies, str):
        digits = [minor_units(currencies)] * len(units)
    else:
        places = {c: minor_units(c) for c in set(currencies)}
        digits = list(map(places.__getitem__, currencies))
    return list(map(decimal_text, units, digits))


def _ids(rows: Sequence[int]) -> list[str]:
    """Order rows (-1: none) as order ids (empty: none)."""
    return ["" if row < 0 else order_id(row) for row in rows]


def _orders(r: RunResult, clock: Clock) -> tuple[list[Any], ...]:
    o, rep = r.books.orders, r.books.converter.reporting
    scales, rows = o.scale, range(len(o))
    return (
        [order_id(i) for i in range(len(o))],
        list(o.agreement),
        list(o.provider_party),
        list(o.provider),
        list(o.receiver_party),
        list(o.receiver),
        list(o.commodity),
        [q / s for q, s in zip(o.quantity, scales, strict=True)],
        list(o.unit),
        list(o.activity),
        clock.column(o.requested_at),
        clock.column(o.delivered_at),
        list(o.currency),
        money_column(o.value, o.currency),
        money_column(o.value_reporting, rep),
        money_column(o.tax_waived, rep),
        ["" if m is None else str(m) for m in o.method],
        clock.column(o.due_at),
        [str(s) for s in o.status],
        clock.column(o.settled_at),
        [q / s for q, s in zip(o.settled_quantity, scales, strict=True)],
        money_column(o.settled_value, o.currency),
        list(o.settle_with),
        [o.settles.get(i, "") for i in rows],
        clock.column(
            [
                None if i in o.unpriced else o.priced_at.get(i, t)
                for i, t in enumerate(o.requested_at)
            ]
        ),
        [o.price_basis.get(i, "") for i in rows],
        money_column([o.charges.get(i, 0) for i in rows], o.currency),
        [o.billed(i) / s for i, s in zip(rows, scales, strict=True)],
    )


def _postings(r: RunResult, clock: Clock) -> tuple[list[Any], ...]:
    j = r.books.journal
    txn = j.leg_txn
    per_txn = (clock.column(j.txn_time), [str(k) for k in j.txn_kind], _ids(j.txn_order))
    codes = j.currency_codes
    currency = list(map(codes.__getitem__, j.leg_currency))
    return (
        [t + 1 for t in txn],
        *(list(map(column.__getitem__, txn)) for column in per_txn),
        list(map(j.account_names.__getitem__, j.leg_account)),
        money_column(j.leg_amount, currency),
        currency,
    )


def _flows(r: RunResult, clock: Clock) -> tuple[list[Any], ...]:
    s = r.books.stock
    kinds = [str(k) for k in KINDS]
    scale = [s.scales[c] for c in s.commodity]
    return (
        clock.column(s.time),
        list(map(s.holders.__getitem__, s.holder)),
        list(map(s.parties.__getitem__, s.holder)),
        list(map(s.commodities.__getitem__, s.commodity)),
        list(map(kinds.__getitem__, s.kind)),
        [q / k for q, k in zip(s.quantity, scale, strict=True)],
        [u / k for u, k in zip(s.unmet, scale, strict=True)],
        _ids(s.order),
    )


def _refusals(r: RunResult, clock: Clock) -> tuple[list[Any], ...]:
    fields = ("agreement", "requester", "requester_party", "provider", "provider_party",
              "commodity", "requested", "refused", "reason")  # fmt: skip
    return _record_columns(r.refusals, fields, clock, text={"reason"})
