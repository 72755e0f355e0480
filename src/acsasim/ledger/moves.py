"""Receivable moves: the journal's legs on receivables, for every pair of parties at once
(R11-R13, R15). Statements of account (`statements.py`) and the report's balances read them.

A move is what one transaction did to one direction's receivable (creditor -> debtor, plain and
invoiced part together, R11) in one currency, charged to the order it settles: the legs are
grouped by (transaction, creditor, debtor, currency) in one grouped sum over the whole journal,
`delta` is the net change and `amount` what moved (the larger of the increases and the
decreases, so an invoice, which moves a receivable to its invoiced part, moves its value and
changes nothing). A transaction names one order; its move of that order's direction and
currency belongs to it. Equal-value nettings and offsets (R10, R13) reduce two orders, and the
engine books each reduction as its own transaction, so that rule charges every move.

Books written by an older engine carry both orders' legs in one transaction: a reduction of
the other direction is then charged to the oldest open orders of that direction and currency
(FIFO, by delivery then id), which is exact for offsets (R13 settles the oldest first) and an
approximation for equal-value nettings (R10 nets the newest counter-flow), so aging of such
books may shift between orders of one direction; balances never do. Only the directions that
need it are walked move by move; whatever no order can take stays unattributed (order NONE).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from acsasim.ledger.columns import NONE, AccountColumns, JournalColumns, OrderColumns, codes


@dataclass(frozen=True)
class Moves:
    """Every receivable move up to `as_of`, one row each, in journal order (by transaction,
    then creditor, debtor and currency as their names sort; FIFO parts in their order)."""

    journal: JournalColumns
    orders: OrderColumns
    accounts: AccountColumns
    as_of: float
    txn: np.ndarray  # transaction row
    creditor: np.ndarray  # party code (accounts.parties)
    debtor: np.ndarray
    currency: np.ndarray  # index into journal.currency_codes
    order: np.ndarray  # order row, or NONE
    delta: np.ndarray  # change of the creditor's receivable, minor units of the currency
    amount: np.ndarray  # what moved, >= 0

    def between(self, a: str, b: str) -> np.ndarray:
        """The rows of the moves between parties a and b, either way."""
        x, y = codes([a, b], self.accounts.parties).tolist()
        cr, db = self.creditor, self.debtor
        return np.flatnonzero(((cr == x) & (db == y)) | ((cr == y) & (db == x)))


def receivable_moves(
    journal: JournalColumns,
    orders: OrderColumns,
    as_of: float,
    accounts: AccountColumns | None = None,
) -> Moves:
    """The moves of every pair up to `as_of` (hours, inclusive)."""
    acc = AccountColumns.of(journal.account_names) if accounts is None else accounts
    legs = np.flatnonzero(
        acc.receivable[journal.leg_account] & (journal.txn_time[journal.leg_txn] <= as_of)
    )
    txn, account = journal.leg_txn[legs], journal.leg_account[legs]
    cr, db, cur = acc.creditor[account], acc.debtor[account], journal.leg_currency[legs]
    amount = journal.leg_amount[legs]
    # one group per (transaction, creditor, debtor, currency), sorted by name as well
    parties, currencies = max(len(acc.parties), 1), max(len(journal.currency_codes), 1)
    rank = np.argsort(np.argsort(np.asarray(journal.currency_codes, dtype=object)))
    key = ((txn * parties + cr) * parties + db) * currencies + rank[cur]
    _, first, where = np.unique(key, return_index=True, return_inverse=True)
    where = where.ravel()
    ups, downs = _group_sum(amount, where, len(first), 1), _group_sum(amount, where, len(first), -1)
    g = _Groups(journal, orders, acc, txn[first], cr[first], db[first], cur[first],
                np.zeros(0, dtype=np.int64), ups - downs, np.maximum(ups, downs))  # fmt: skip
    g = replace(g, order=_own_order(g))  # the order needs the groups: charged second
    return Moves(journal, orders, acc, as_of, *_attribute(g))


@dataclass(frozen=True)
class _Groups:
    """The legs grouped by (transaction, creditor, debtor, currency), one row per group."""

    journal: JournalColumns
    orders: OrderColumns
    acc: AccountColumns
    txn: np.ndarray
    cr: np.ndarray
    db: np.ndarray
    cur: np.ndarray
    order: np.ndarray  # the order each group is charged to (NONE: none yet)
    delta: np.ndarray
    moved: np.ndarray


def _group_sum(amount: np.ndarray, where: np.ndarray, n: int, sign: int) -> np.ndarray:
    """Per group, the sum of the amounts of one sign (as a positive number), exactly."""
    out = np.zeros(n, dtype=amount.dtype)
    np.add.at(out, where, np.where(amount * sign > 0, amount * sign, 0))
    return out


def _own_order(g: _Groups) -> np.ndarray:
    """The transaction's order where the move is of its direction and currency, else NONE."""
    row = g.journal.txn_order[g.txn]
    if not len(g.orders):
        return np.full(len(g.txn), NONE, dtype=np.int64)
    safe = np.where(row >= 0, row, 0)
    provider = codes(g.orders.provider_party, g.acc.parties)[safe]
    receiver = codes(g.orders.receiver_party, g.acc.parties)[safe]
    currency = codes(g.orders.currency, g.journal.currency_codes)[safe]
    mine = (row >= 0) & (provider == g.cr) & (receiver == g.db) & (currency == g.cur)
    return np.where(mine, row, NONE)


def _attribute(g: _Groups) -> tuple[np.ndarray, ...]:
    """The move columns: one per group, but for the directions an older engine's books
    leave to FIFO, walked group by group (see the module docstring)."""
    parties, currencies = max(len(g.acc.parties), 1), max(len(g.journal.currency_codes), 1)
    stream = (g.cr * parties + g.db) * currencies + g.cur
    old = np.isin(stream, stream[(g.order == NONE) & (g.delta < 0)])
    mine = np.flatnonzero(~old)
    pieces: list[tuple[np.ndarray, ...]] = [
        (mine, np.zeros(len(mine), dtype=np.int64), g.order[mine], g.delta[mine], g.moved[mine])
    ]
    for s in np.unique(stream[old]).tolist():
        pieces.append(_fifo_stream(g, np.flatnonzero(stream == s)))
    group, part, own, change, amount = (np.concatenate(c) for c in zip(*pieces, strict=True))
    sequence = np.lexsort((part, group))
    group = group[sequence]
    return (
        g.txn[group],
        g.cr[group],
        g.db[group],
        g.cur[group],
        own[sequence],
        change[sequence],
        amount[sequence],
    )


def _fifo_stream(g: _Groups, groups: np.ndarray) -> tuple[np.ndarray, ...]:
    """One direction and currency (`groups`, in order), move by move: a reduction its
    transaction's order cannot explain goes to the oldest open orders of the direction (by
    delivery, then id)."""
    o, first = g.orders, groups[0]
    parties, codes_ = g.acc.parties, g.journal.currency_codes
    key = (parties[g.cr[first]], parties[g.db[first]], codes_[g.cur[first]])
    candidates = sorted(
        (i for i in range(len(o))
         if (o.provider_party[i], o.receiver_party[i], o.currency[i]) == key),
        key=lambda i: (_or_inf(float(o.delivered_at[i])), o.order_id[i]),
    )  # fmt: skip
    outstanding: dict[int, int] = {}
    rows: list[tuple[int, int, int, int, int]] = []  # group, part, order, delta, amount
    for gi in groups.tolist():
        change = g.delta[gi]
        if g.order[gi] != NONE or change >= 0:
            parts = [(int(g.order[gi]), change)]
        else:
            parts = _oldest_first(candidates, outstanding, -change)
        for k, (row, share) in enumerate(parts):
            if row != NONE:
                outstanding[row] = outstanding.get(row, 0) + share
            rows.append((gi, k, row, share, g.moved[gi] if len(parts) == 1 else abs(share)))
    group, part, own, shares, amount = zip(*rows, strict=True)
    return (
        np.asarray(group, dtype=np.int64),
        np.asarray(part, dtype=np.int64),
        np.asarray(own, dtype=np.int64),
        np.asarray(shares, dtype=g.delta.dtype),
        np.asarray(amount, dtype=g.moved.dtype),
    )


def _oldest_first(
    candidates: list[int], outstanding: dict[int, int], left: int
) -> list[tuple[int, int]]:
    parts: list[tuple[int, int]] = []
    for row in candidates:
        if left <= 0:
            break
        room = outstanding.get(row, 0)
        if room > 0:
            take = min(room, left)
            parts.append((row, -take))
            left -= take
    if left > 0:
        parts.append((NONE, -left))
    return parts


def _or_inf(hours: float) -> float:
    return math.inf if math.isnan(hours) else float(hours)
