"""The R15 invariants, checked in batches over the books' columns.

The engine books as it goes and checks here at the end of every simulated day and of
the run; a failure stops the run and names the first offending transaction and order,
or holder and commodity. Reading the columns with numpy keeps the checks a small share of
a run however many orders it makes.

- Journal: every transaction has legs of known accounts, and its legs sum to exactly zero
  per currency; every receivable mirrors its payable; the running balances equal a
  recomputation from the postings (at the end).
- Materiel: stock is never negative; per holder and commodity the flows sum to on hand,
  and their running sum in row order never dips below zero.
"""

from __future__ import annotations

import numpy as np

from acsasim.ledger.journal import NO_ORDER, Journal
from acsasim.ledger.materiel import MaterielError, StockBook
from acsasim.ledger.money import from_minor
from acsasim.ledger.orders import order_id


class LedgerError(Exception):
    """The journal breaks R15."""


def _ints(values: list[int]) -> np.ndarray:
    """Exact integers as an array: int64 when they fit, Python integers otherwise."""
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        return np.array(values, dtype=object)


def check_journal(journal: Journal, first_txn: int = 0) -> None:
    """R15 over the transactions from row `first_txn` on, and the mirror of every balance."""
    _check_zero_sums(journal, first_txn)
    _check_mirrors(journal)


def _check_zero_sums(journal: Journal, first_txn: int) -> None:
    if first_txn >= len(journal):
        return
    start = journal.txn_start[first_txn]
    txn = np.array(journal.leg_txn[start:], dtype=np.int64)
    cur = np.array(journal.leg_currency[start:], dtype=np.int64)
    amount = _ints(journal.leg_amount[start:])
    empty = np.setdiff1d(np.arange(first_txn, len(journal)), txn)
    key = txn * len(journal.currency_codes) + cur
    groups, inverse = np.unique(key, return_inverse=True)
    sums = np.zeros(len(groups), dtype=amount.dtype)
    np.add.at(sums, inverse, amount)
    off = np.nonzero(sums != 0)[0]
    problems = []  # (transaction row, problem) of the first offender of each kind
    if len(empty):
        problems.append((int(empty[0]), "no postings"))
    if len(off):
        row, currency = divmod(int(groups[off[0]]), len(journal.currency_codes))
        code = journal.currency_codes[currency]
        detail = f"{code} sums to {from_minor(int(sums[off[0]]), code)}"
        problems.append((row, f"postings do not balance (R15): {detail}"))
    if problems:
        _refuse(journal, *min(problems))


def _check_mirrors(journal: Journal) -> None:
    balances, mirrors = journal.balances, journal.mirrors
    for (account, currency), amount in balances.items():
        other = mirrors[account]
        if other >= 0 and balances.get((other, currency), 0) != -amount:
            names, code = journal.account_names, journal.currency_codes[currency]
            theirs = balances.get((other, currency), 0)
            raise LedgerError(
                f"R15 mirror broken: {names[account]} is {from_minor(amount, code)} {code} but "
                f"{names[other]} is {from_minor(theirs, code)} {code}"
            )


def check_balances(journal: Journal) -> None:
    """The running balances equal a recomputation from every posting (end of run)."""
    recomputed: dict[tuple[int, int], int] = {}
    for account, amount, currency in zip(
        journal.leg_account, journal.leg_amount, journal.leg_currency, strict=True
    ):
        recomputed[(account, currency)] = recomputed.get((account, currency), 0) + amount
    kept = {k: v for k, v in journal.balances.items() if v}
    if {k: v for k, v in recomputed.items() if v} != kept:
        raise LedgerError("running balances differ from the journal's postings (R15)")


def _refuse(journal: Journal, row: int, problem: str) -> None:
    order = journal.txn_order[row]
    which = f" (order {order_id(order)})" if order != NO_ORDER else ""
    raise LedgerError(
        f"refused transaction {row + 1}, {journal.txn_kind[row]}{which} at "
        f"t={journal.txn_time[row]}h: {problem}"
    )


def check_materiel(stock: StockBook) -> None:
    """R15 over every flow: none dips below zero in row order, and they sum to on hand."""
    n_c = len(stock.commodities)
    if (stock.on_hand < 0).any():
        h, c = np.argwhere(stock.on_hand < 0)[0]
        raise MaterielError(_where(stock, int(h), int(c)) + " is below zero (R15)")
    totals = np.zeros(stock.on_hand.size, dtype=np.int64)
    if len(stock):
        key = np.array(stock.holder, dtype=np.int64) * n_c + np.array(stock.commodity)
        qty = np.array(stock.quantity, dtype=np.int64)
        order = np.argsort(key, kind="stable")  # each key's flows, in row order
        sorted_keys, running = key[order], np.cumsum(qty[order])
        new_group = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
        group = np.cumsum(new_group) - 1
        level = running - np.r_[0, running][np.nonzero(new_group)[0]][group]
        dips = np.nonzero(level < 0)[0]
        if len(dips):
            i = int(order[dips[0]])
            h, c = divmod(int(key[i]), n_c)
            raise MaterielError(
                f"{_where(stock, h, c)} dips to {level[dips[0]]} units at "
                f"t={stock.time[i]}h (flow row {i + 1}) (R15)"
            )
        np.add.at(totals, key, qty)
    differ = np.nonzero(totals != stock.on_hand.ravel())[0]
    if len(differ):
        h, c = divmod(int(differ[0]), n_c)
        raise MaterielError(
            f"{_where(stock, h, c)}: flows sum to {totals[differ[0]]} units but on hand is "
            f"{stock.on_hand[h, c]} (R15)"
        )


def _where(stock: StockBook, holder: int, commodity: int) -> str:
    return f"{stock.commodities[commodity]} at {stock.holders[holder]}"
