"""A run folder read back into ledger records: the scenario, the journal and the orders.

Statements and journal exports are computed from the books as written, long after the run, so
they read the folder, not a live RunResult. Rows come from the CSVs, or from `ledger.sqlite`
when a CSV is missing; money is rebuilt as exact Decimals from its text (R15) and times as
simulation hours from the scenario's start (R1), so the ledger functions see the same records
the engine kept (times to the second, as the tables write them). Stdlib only: no pandas.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from acsasim.ledger.entries import Order, Posting, Transaction
from acsasim.ledger.money import Converter
from acsasim.output.tables import ORDER_COLUMNS, ORDER_TIMES, POSTING_COLUMNS
from acsasim.scenario import ScenarioError, load_scenario
from acsasim.scenario.model import Scenario

SQLITE = "ledger.sqlite"
_DECIMALS = ("value", "value_reporting", "tax_waived_reporting", "settled_value")
_FLOATS = ("quantity", "settled_quantity")


class RunFolderError(ValueError):
    """The folder is not a readable run folder; the message says what is missing or wrong."""


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
    folder = Path(folder)
    if not folder.is_dir():
        raise RunFolderError(f"{folder} is not a folder; give the folder `acsasim run` wrote")
    if not (folder / "scenario.yaml").is_file():
        raise RunFolderError(f"{folder} is not a run folder (no scenario.yaml)")
    try:
        scenario = load_scenario(folder / "scenario.yaml")
    except ScenarioError as exc:
        first = exc.problems[0] if exc.problems else "unreadable"
        raise RunFolderError(f"{folder}: cannot read its scenario.yaml: {first}") from None
    start = scenario.start
    postings = _rows(folder, "postings", POSTING_COLUMNS)
    orders = _rows(folder, "orders", ORDER_COLUMNS)
    try:
        txns = tuple(transactions_from_rows(postings, start))
        built = tuple(order_from_row(r, start) for r in orders)
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise RunFolderError(f"{folder}: a row of its books cannot be read: {exc}") from None
    return Books(folder, scenario, txns, built)


def _rows(folder: Path, table: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of `table`: its CSV if present, else the same table in ledger.sqlite."""
    path = folder / f"{table}.csv"
    if path.is_file():
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            _check_columns(path.name, reader.fieldnames or [], columns)
            return list(reader)
    db = folder / SQLITE
    if not db.is_file():
        raise RunFolderError(f"{folder} is not a run folder (no {table}.csv nor {SQLITE})")
    return _sqlite_rows(db, table, columns)


def _sqlite_rows(db: Path, table: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        cur = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description]
        _check_columns(f"{SQLITE} table {table}", names, columns)
        return [dict(zip(names, row, strict=True)) for row in cur]
    except sqlite3.Error as exc:
        raise RunFolderError(f"{db}: cannot read table {table}: {exc}") from None
    finally:
        con.close()


def _check_columns(where: str, found: list[str], needed: tuple[str, ...]) -> None:
    missing = [c for c in needed if c not in found]
    if missing:
        raise RunFolderError(f"{where} lacks the columns {', '.join(missing)}")


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
    fields: dict[str, Any] = {c: row[c] for c in ORDER_COLUMNS}
    for c in ORDER_TIMES:
        fields[c] = _hours(row[c], start)
    for c in _DECIMALS:
        fields[c] = Decimal(str(row[c]))
    for c in _FLOATS:
        fields[c] = float(row[c])
    fields["method"] = str(row["method"] or "") or None
    if fields["requested_at"] is None:
        raise ValueError(f"order {row['order_id']} has no requested_at")
    return Order(**fields)
