"""The books of a run folder re-checked from its tables alone (R15), for `acsasim verify`.

- money: every transaction balances in each currency, exactly (Decimal), and every
  receivable mirrors the matching payable (`Assets:A:Receivable:B` is minus
  `Liabilities:B:Payable:A`, the invoiced parts included);
- materiel: for each holder and commodity the movements in flows.csv, summed in order,
  never go below zero and end where stock.csv's last day ends.

The engine keeps materiel exact at each commodity's resolution, so the movements are summed
exactly (as decimals) and any dip below zero is a problem. stock.csv's levels are that exact sum;
the end is compared within QUANTITY_TOLERANCE of a unit all the same, since folders written by
an older acsasim carry the binary-float residue of levels summed as floats.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from acsasim.ledger.accounts import mirror
from acsasim.output.tables import Table

QUANTITY_TOLERANCE = 1e-6


def money_problems(postings: Table) -> list[str]:
    """R15 on postings: per transaction and currency a zero sum; receivables mirror payables."""
    rows = _records(postings)
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    balances: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    found: list[str] = []
    for line, row in enumerate(rows, start=2):
        try:
            amount = Decimal(row["amount"])
        except InvalidOperation:
            found.append(f"postings line {line}: amount {row['amount']!r} is not a number")
            continue
        if not amount.is_finite():
            found.append(f"postings line {line}: amount {row['amount']!r} is not finite")
            continue
        sums[(row["txn_id"], row["currency"])] += amount
        balances[(row["account"], row["currency"])] += amount
    found += [
        f"transaction {txn} does not balance in {cur}: its postings sum to {total} (R15)"
        for (txn, cur), total in sums.items()
        if total != 0
    ]
    seen: set[tuple[str, str]] = set()
    for (account, cur), amount in sorted(balances.items()):
        try:
            other = mirror(account)
        except ValueError as exc:
            found.append(f"postings: {exc}")
            continue
        if other is None or (other, cur) in seen:
            continue
        seen.add((account, cur))
        theirs = balances.get((other, cur), Decimal(0))
        if amount != -theirs:
            found.append(
                f"{account} is {amount} {cur} but {other} is {theirs} {cur}: a receivable "
                "must mirror its payable (R15)"
            )
    return found


def materiel_problems(flows: Table, stock: Table) -> list[str]:
    """R15 on materiel: running sums never below zero; the last stock row is where they end."""
    running: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    dipped: set[tuple[str, str]] = set()
    found: list[str] = []
    for row in _records(flows):
        key = (row["holder"], row["commodity"])
        try:
            quantity = Decimal(row["quantity"])
        except InvalidOperation:
            quantity = Decimal("NaN")
        if not quantity.is_finite():
            found.append(f"flows: quantity {row['quantity']!r} of {key[0]} is not a number")
            continue
        running[key] += quantity
        if running[key] < 0 and key not in dipped:
            dipped.add(key)
            found.append(
                f"{key[0]}'s {key[1]} falls to {running[key]:g} at {row['time']}: stock "
                "never goes below zero (R15)"
            )
    last: dict[tuple[str, str], tuple[str, str]] = {}
    for row in _records(stock):
        key = (row["holder"], row["commodity"])
        if key not in last or row["date"] >= last[key][0]:
            last[key] = (row["date"], row["on_hand_end"])
    for key in sorted({*running, *last}):
        date, end = last.get(key, ("", "0"))
        try:
            ends = float(end)
        except ValueError:
            found.append(f"stock: on_hand_end {end!r} of {key[0]} is not a number")
            continue
        total = float(running.get(key, Decimal(0)))
        if abs(total - ends) > QUANTITY_TOLERANCE * max(1.0, abs(ends)):
            found.append(
                f"{key[0]}'s {key[1]}: flows sum to {total:g} but stock.csv ends at {ends:g} "
                f"on {date or 'no day'} (R15)"
            )
    return found


def _records(table: Table) -> list[dict[str, Any]]:
    return [dict(zip(table.columns, row, strict=False)) for row in table.rows]
