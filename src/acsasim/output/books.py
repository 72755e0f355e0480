"""A run folder read back into ledger records: the scenario, the journal and the orders.

Statements and journal exports are computed from the books as written, long after the run, so
they read the folder, not a live RunResult. The folder is opened by `runfolder.py` (the same
checks and errors as the report's), rows come as text from the CSVs or `ledger.sqlite`; here
money is rebuilt as exact Decimals (R15) and times as simulation hours from the scenario's start
(R1), so the ledger functions see the same records the engine kept (times to the second, as the
tables write them). Stdlib only: no pandas.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from acsasim.ledger.entries import Order, Posting, Transaction
from acsasim.ledger.money import Converter
from acsasim.output.runfolder import RunFolderError, open_run_folder
from acsasim.output.tables import ORDER_COLUMNS, ORDER_TIMES, Table
from acsasim.scenario.model import Scenario

_DECIMALS = ("value", "value_reporting", "tax_waived_reporting", "settled_value", "charges")
_FLOATS = ("quantity", "settled_quantity")


@dataclass(frozen=True)
class Books:
    """The books of one run folder, as ledger records."""

    folder: Path
    scenario: Scenario
    transactions: tuple[Transaction, ...]
    orders: tuple[Order, ...]

    @property
    def converter(self) -> Converter:
        return Converter(self.scenario.rates, self.scenario.reporting_currency)

    def hours(self, when: datetime) -> float:
        """A datetime as simulation hours from the start (R1)."""
        return (when - self.scenario.start).total_seconds() / 3600.0

    def when(self, hours: float) -> datetime:
        """Simulation hours as the datetime the tables write."""
        return self.scenario.start + timedelta(hours=hours)


def load_books(folder: Path) -> Books:
    """Read `folder`'s scenario, postings and orders; RunFolderError if it is not a run folder."""
    run = open_run_folder(folder, tables=("postings", "orders"))
    start = run.scenario.start
    # Read before the try below: RunFolderError is a ValueError and must keep its own message.
    postings, orders = _records(run.table("postings")), _records(run.table("orders"))
    try:
        txns = tuple(transactions_from_rows(postings, start))
        built = tuple(order_from_row(r, start) for r in orders)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise RunFolderError(f"{run.path}: a row of its books cannot be read: {exc}") from None
    return Books(run.path, run.scenario, txns, built)


def _records(table: Table) -> list[dict[str, Any]]:
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def _hours(text: Any, start: datetime) -> float | None:
    """ISO date-time text -> hours from `start`; empty -> None."""
    if text is None or str(text) == "":
        return None
    return (datetime.fromisoformat(str(text)) - start).total_seconds() / 3600.0


def transactions_from_rows(rows: list[dict[str, Any]], start: datetime) -> Iterator[Transaction]:
    """postings.csv rows (grouped by txn_id, in file order) -> Transactions with exact amounts."""
    current: list[dict[str, Any]] = []
    for row in rows:
        if current and str(row["txn_id"]) != str(current[0]["txn_id"]):
            yield _transaction(current, start)
            current = []
        current.append(row)
    if current:
        yield _transaction(current, start)


def _transaction(rows: list[dict[str, Any]], start: datetime) -> Transaction:
    """One transaction, refused unless it balances per currency (R15): a statement or a
    journal built on edited books would be wrong without saying so."""
    head = rows[0]
    time = _hours(head["time"], start)
    if time is None:
        raise ValueError(f"transaction {head['txn_id']} has no time")
    sums: dict[str, Decimal] = {}
    for r in rows:
        sums[str(r["currency"])] = sums.get(str(r["currency"]), Decimal(0)) + Decimal(
            str(r["amount"])
        )
    if any(sums.values()):
        raise ValueError(f"transaction {head['txn_id']} does not balance (R15): {sums}")
    return Transaction(
        txn_id=int(head["txn_id"]),
        time=time,
        kind=str(head["kind"]),
        order_id=str(head["order_id"] or "") or None,
        postings=tuple(
            Posting(str(r["account"]), Decimal(str(r["amount"])), str(r["currency"])) for r in rows
        ),
    )


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
