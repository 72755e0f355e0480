"""A run folder read back into the books as columns: the scenario, the journal and the orders.

Statements and journal exports are computed from the books as written, long after the run, so
they read the folder, not a live RunResult. The folder is opened by `runfolder.py` (the same
checks and errors as the report's), rows come as text from the CSVs or `ledger.sqlite`; here
they become the ledger's columns (`ledger.columns`) in bulk: each distinct time, amount and
account is read once, money as exact integers of minor units (R15), times as simulation hours
from the scenario's start (R1, to the second, as the tables write them), and every
transaction is checked to balance per currency. Ledger records (`Books.transactions`,
`Books.orders`) are built from the columns only when a reader asks for them (the beancount
export). Stdlib and numpy only: no pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from acsasim.ledger.columns import NONE, JournalColumns, OrderColumns, codes, exact_ints
from acsasim.ledger.entries import Order, Posting, Transaction
from acsasim.ledger.money import Converter, from_minor, minor_units, to_minor
from acsasim.ledger.moves import receivable_moves
from acsasim.ledger.statements import Statement, statement_of
from acsasim.output.runfolder import RunFolderError, open_run_folder
from acsasim.output.tables import ORDER_COLUMNS, ORDER_TIMES, Table
from acsasim.scenario.model import Scenario

_DECIMALS = ("value", "value_reporting", "tax_waived_reporting", "settled_value", "charges")
_FLOATS = ("quantity", "settled_quantity")


@dataclass(frozen=True)
class Books:
    """The books of one run folder, as columns (and as ledger records on request)."""

    folder: Path
    scenario: Scenario
    journal: JournalColumns
    order_columns: OrderColumns
    _orders_table: Table = field(repr=False)

    @property
    def converter(self) -> Converter:
        return Converter(self.scenario.rates, self.scenario.reporting_currency)

    def hours(self, when: datetime) -> float:
        """A datetime as simulation hours from the start (R1)."""
        return (when - self.scenario.start).total_seconds() / 3600.0

    def when(self, hours: float) -> datetime:
        """Simulation hours as the datetime the tables write."""
        return self.scenario.start + timedelta(hours=hours)

    def statement(self, a: str, b: str, as_of: float, start: float | None = None) -> Statement:
        """The statement of account between `a` and `b` (`ledger.statements`), from the
        columns: one grouped pass over the journal up to `as_of`."""
        moves = receivable_moves(self.journal, self.order_columns, as_of)
        return statement_of(moves, a, b, self.converter, start)

    @cached_property
    def transactions(self) -> tuple[Transaction, ...]:
        """The journal as ledger records (exact Decimal amounts), in posting order."""
        return transactions_of(self.journal, self.order_columns.order_id)

    @cached_property
    def orders(self) -> tuple[Order, ...]:
        """Every order as the record it was written from (final state, exact money)."""
        table, start = self._orders_table, self.scenario.start
        try:
            return tuple(order_from_row(dict(zip(table.columns, row, strict=True)), start)
                         for row in table.rows)  # fmt: skip
        except (ValueError, TypeError, InvalidOperation) as exc:
            raise RunFolderError(
                f"{self.folder}: a row of its books cannot be read: {exc}"
            ) from None


def load_books(folder: Path) -> Books:
    """Read `folder`'s scenario, postings and orders; RunFolderError if it is not a run folder."""
    run = open_run_folder(folder, tables=("postings", "orders"))
    start = run.scenario.start
    # Read before the try below: RunFolderError is a ValueError and must keep its own message.
    postings, orders = run.table("postings"), run.table("orders")
    try:
        order_cols = order_columns(*(orders.column(c) for c in ORDER_READ), start=start)
        journal = journal_columns(
            *(postings.column(c) for c in POSTING_READ), start=start, order_ids=order_cols.order_id
        )
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise RunFolderError(f"{run.path}: a row of its books cannot be read: {exc}") from None
    return Books(run.path, run.scenario, journal, order_cols, orders)


# --- columns from the tables' text ----------------------------------------------------------

#: The columns of postings.csv and orders.csv that `journal_columns` and `order_columns` read.
POSTING_READ = ("txn_id", "time", "kind", "order_id", "account", "amount", "currency")
ORDER_READ = (
    "order_id",
    "provider_party",
    "receiver_party",
    "currency",
    "commodity",
    "unit",
    "quantity",
    "delivered_at",
    "due_at",
)


def hours_column(texts: Sequence[Any], start: datetime) -> np.ndarray:
    """ISO date-time text -> hours from `start` (nan for an empty cell); each distinct text
    is parsed once."""
    parsed = {t: _hours(t, start) for t in set(texts)}
    return np.asarray([parsed[t] for t in texts], dtype=float)


def _hours(text: Any, start: datetime) -> float | None:
    """ISO date-time text -> hours from `start`; empty -> None."""
    if text is None or str(text) == "":
        return None
    return (datetime.fromisoformat(str(text)) - start).total_seconds() / 3600.0


def minor_column(amounts: Sequence[Any], currencies: Sequence[str]) -> np.ndarray:
    """Exact decimal text -> integer minor units of each row's currency (ValueError for an
    amount finer than the currency's minor unit); each distinct pair is read once."""
    pairs = list(zip(map(str, amounts), currencies, strict=True))
    places = {c: minor_units(c) for c in set(currencies)}
    units = {p: _units(p[0], p[1], places[p[1]]) for p in set(pairs)}
    return exact_ints(map(units.__getitem__, pairs))


def _units(text: str, currency: str, digits: int) -> int:
    """`8124.90` USD -> 812490: the digits as they stand when the text has exactly the
    currency's decimals (as acsasim writes money); any other text through Decimal."""
    whole, dot, part = text.partition(".")
    if len(part) == digits and bool(dot) == bool(digits) and (whole + part).lstrip("-").isdigit():
        return int(whole + part)
    return to_minor(Decimal(text), currency)


def journal_columns(
    txn_id: Sequence[Any],
    time: Sequence[Any],
    kind: Sequence[Any],
    order_id: Sequence[Any],
    account: Sequence[str],
    amount: Sequence[Any],
    currency: Sequence[str],
    *,
    start: datetime,
    order_ids: Sequence[str],
) -> JournalColumns:
    """postings.csv's columns (a transaction is a run of rows with one txn_id, in file order)
    as the journal's columns; ValueError for a transaction without a time or that does not
    balance in a currency (R15): a statement or a journal built on edited books would be
    wrong without saying so."""
    ids = [str(t) for t in txn_id]
    first = [0, *(i for i in range(1, len(ids)) if ids[i] != ids[i - 1])] if ids else []
    starts = np.zeros(len(ids), dtype=np.int64)
    starts[first] = 1
    leg_txn = np.cumsum(starts) - 1
    heads = [ids[i] for i in first]
    times = hours_column([time[i] for i in first], start)
    if np.isnan(times).any():
        raise ValueError(f"transaction {heads[int(np.argmax(np.isnan(times)))]} has no time")
    names = tuple(dict.fromkeys(account))
    currencies = tuple(dict.fromkeys(currency))
    kinds = tuple(dict.fromkeys(str(kind[i]) for i in first))
    journal = JournalColumns(
        np.asarray([int(t) for t in heads], dtype=np.int64),
        times,
        codes([str(kind[i]) for i in first], kinds),
        kinds,
        codes([str(order_id[i] or "") for i in first], order_ids),
        leg_txn,
        codes(account, names),
        minor_column(amount, currency),
        codes(currency, currencies),
        names,
        currencies,
    )
    _check_balanced(journal)
    return journal


def _check_balanced(j: JournalColumns) -> None:
    """ValueError naming the first transaction whose postings do not sum to zero per currency."""
    sums = np.zeros((len(j), max(len(j.currency_codes), 1)), dtype=j.leg_amount.dtype)
    np.add.at(sums, (j.leg_txn, j.leg_currency), j.leg_amount)
    bad = np.flatnonzero((sums != 0).any(axis=1))
    if len(bad):
        row = int(bad[0])
        totals: dict[str, Decimal] = {}
        for leg in np.flatnonzero(j.leg_txn == row).tolist():
            code = j.currency_codes[j.leg_currency[leg]]
            totals[code] = totals.get(code, Decimal(0)) + from_minor(int(j.leg_amount[leg]), code)
        raise ValueError(f"transaction {j.txn_id[row]} does not balance (R15): {totals}")


def order_columns(
    order_id: Sequence[Any],
    provider_party: Sequence[Any],
    receiver_party: Sequence[Any],
    currency: Sequence[Any],
    commodity: Sequence[Any],
    unit: Sequence[Any],
    quantity: Sequence[Any],
    delivered_at: Sequence[Any],
    due_at: Sequence[Any],
    *,
    start: datetime,
) -> OrderColumns:
    """orders.csv's columns as the order facts readers of the journal need."""
    return OrderColumns(
        tuple(map(str, order_id)),
        tuple(map(str, provider_party)),
        tuple(map(str, receiver_party)),
        tuple(map(str, currency)),
        tuple(map(str, commodity)),
        tuple(map(str, unit)),
        np.asarray([float(q) for q in quantity], dtype=float),
        hours_column(delivered_at, start),
        hours_column(due_at, start),
    )


# --- ledger records from the columns --------------------------------------------------------


def transactions_of(j: JournalColumns, order_ids: Sequence[str]) -> tuple[Transaction, ...]:
    """The journal's columns as Transaction records (the beancount export reads those)."""
    ends = np.r_[np.flatnonzero(np.diff(j.leg_txn)) + 1, len(j.leg_txn)].tolist()
    postings = [
        Posting(j.account_names[a], from_minor(v, j.currency_codes[c]), j.currency_codes[c])
        for a, v, c in zip(
            j.leg_account.tolist(), j.leg_amount.tolist(), j.leg_currency.tolist(), strict=True
        )
    ]
    out, begin = [], 0
    for row, end in enumerate(ends if len(j.leg_txn) else []):
        order = int(j.txn_order[row])
        out.append(
            Transaction(
                txn_id=int(j.txn_id[row]),
                time=float(j.txn_time[row]),
                kind=j.kinds[j.txn_kind[row]],
                order_id=None if order == NONE else order_ids[order],
                postings=tuple(postings[begin:end]),
            )
        )
        begin = end
    return tuple(out)


def order_from_row(row: dict[str, Any], start: datetime) -> Order:
    """One orders.csv row -> the Order it was written from (final state, exact money)."""
    # a column an older folder lacks (added after version 1's 22) takes the record's default
    fields: dict[str, Any] = {c: row[c] for c in ORDER_COLUMNS if c in row}
    for c in ORDER_TIMES:
        fields[c] = _hours(row.get(c, ""), start)
    for c in _DECIMALS:
        fields[c] = Decimal(str(row.get(c) or 0))
    for c in _FLOATS:
        fields[c] = float(row[c])
    billed = row.get("billed_quantity")
    fields["billed_quantity"] = float(billed) if billed not in (None, "") else None
    fields["method"] = str(row["method"] or "") or None
    if fields["requested_at"] is None:
        raise ValueError(f"order {row['order_id']} has no requested_at")
    return Order(**fields)
