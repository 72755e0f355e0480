"""Statements of account between two parties, computed from the books alone (R11-R13, R15).

Auditors reconcile from the journal, not from a program's idea of an order's status; so a
statement reads only the transactions (their receivable postings) and the immutable facts of
the orders (who provided what to whom, in which currency, due when). A's receivable from B
counts in A's favour (positive), B's receivable from A against it (negative); the payables
mirror them (R15) and add nothing.

Each order's outstanding amount at `as_of` is the sum of the receivable postings attributed to
it, the plain and the invoiced part alike (R11, R12); `moves.py` groups and attributes them for
every pair at once, as columns. `statement_of` turns one pair's moves into a `Statement` of
records; `pair_lines` gives the same lines as columns, for a reader that shows only some of
them (the report page). `statement` takes ledger records, for tests and small books.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from acsasim.ledger.accounts import parse, receivable_parties
from acsasim.ledger.columns import NONE, JournalColumns, OrderColumns, codes
from acsasim.ledger.entries import Order, Transaction
from acsasim.ledger.money import Converter, from_minor, to_money
from acsasim.ledger.moves import Moves, receivable_moves
from acsasim.ledger.settlement import AGING_BUCKETS, aging_bucket

#: Aging buckets of what is due at `as_of` (shared with the KPIs, so both age alike).
BUCKETS = AGING_BUCKETS
HOURS_PER_DAY = 24.0


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One movement of a receivable between the pair, in the currency of its order.

    `amount` is what moved (>= 0: the value issued, invoiced, returned, netted or paid);
    `change` is its effect on the balance (A's favour positive; zero for an invoice, which only
    moves a receivable to its invoiced part, R11); `balance` runs per currency.
    """

    txn_id: int
    time: float
    kind: str
    order_id: str | None
    commodity: str
    creditor: str
    debtor: str
    currency: str
    amount: Decimal
    change: Decimal
    balance: Decimal


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An order with something outstanding at `as_of`, aged from its due date (R12)."""

    order_id: str
    creditor: str
    debtor: str
    currency: str
    outstanding: Decimal
    due_at: float | None
    days_overdue: int
    bucket: str
    outstanding_reporting: Decimal


@dataclass(frozen=True, slots=True)
class Aging:
    """What `debtor` owes `creditor` at `as_of`, per bucket, in the reporting currency.

    Each bucket is rounded once from its exact sum; `total` is the sum of the buckets shown,
    so a reader's addition checks."""

    creditor: str
    debtor: str
    buckets: tuple[tuple[str, Decimal], ...]
    total: Decimal


@dataclass(frozen=True)
class Statement:
    """The statement of account between `a` and `b` from `start` (None: the run start, where
    every balance is zero) to `as_of`, simulation hours (R1)."""

    a: str
    b: str
    start: float | None
    as_of: float
    reporting: str
    opening: Mapping[str, Decimal]  # currency -> balance at `start`, A's favour positive
    lines: tuple[StatementLine, ...]
    closing: Mapping[str, Decimal]  # currency -> balance at `as_of`
    closing_reporting: Decimal  # the closing balances converted exactly, rounded once
    receivables: Mapping[tuple[str, str], Decimal]  # (account, currency) -> balance, non-zero
    open_items: tuple[OpenItem, ...]
    aging: tuple[Aging, Aging]  # (what B owes A, what A owes B)


def statement(
    transactions: Iterable[Transaction],
    orders: Iterable[Order],
    a: str,
    b: str,
    as_of: float,
    converter: Converter,
    start: float | None = None,
) -> Statement:
    """The statement of account between parties `a` and `b` as of `as_of` (hours, inclusive).

    `start` (hours, inclusive in the opening) moves the opening balance forward; lines are the
    movements after it. Raises ValueError for a party paired with itself or `start > as_of`.
    """
    check_period(a, b, as_of, start)
    cols = OrderColumns.of_records(orders)
    journal = JournalColumns.of_transactions(transactions, cols.order_id)
    return statement_of(receivable_moves(journal, cols, as_of), a, b, converter, start)


def check_period(a: str, b: str, as_of: float, start: float | None) -> None:
    if a == b:
        raise ValueError(f"a statement needs two parties, got {a!r} twice")
    if start is not None and start > as_of:
        raise ValueError(f"statement start {start}h is after as_of {as_of}h")


@dataclass(frozen=True)
class PairLines:
    """One pair's statement lines as columns (minor units of each line's currency)."""

    moves: Moves
    a: str
    b: str
    start: float | None
    currencies: tuple[str, ...]  # every currency of the pair's moves, sorted
    opened: np.ndarray  # bool per currency: it has a move at or before `start`
    rows: np.ndarray  # the lines: rows of `moves`, after `start`
    currency: np.ndarray  # each line's currency (index into `currencies`)
    change: np.ndarray  # each line's effect on the balance, in a's favour positive
    balances: np.ndarray  # (lines + 1) x currencies: the opening, then after each line

    def __len__(self) -> int:
        return len(self.rows)


def pair_lines(moves: Moves, a: str, b: str, start: float | None = None) -> PairLines:
    """The lines between `a` and `b` after `start`, with every currency's running balance."""
    m, pair = moves, moves.between(a, b)
    mine = m.creditor[pair] == codes([a], m.accounts.parties)[0]
    change = np.where(mine, m.delta[pair], -m.delta[pair])
    cur_codes = [m.journal.currency_codes[c] for c in m.currency[pair].tolist()]
    names = tuple(sorted(set(cur_codes)))
    currency = codes(cur_codes, names)
    early = np.zeros(len(pair), dtype=bool)
    if start is not None:
        early = m.journal.txn_time[m.txn[pair]] <= start
    late = np.flatnonzero(~early)
    steps = np.zeros((len(late) + 1, len(names)), dtype=change.dtype)
    np.add.at(steps[0], currency[early], change[early])  # the opening balances
    steps[np.arange(1, len(late) + 1), currency[late]] = change[late]
    opened = np.zeros(len(names), dtype=bool)
    opened[currency[early]] = True
    return PairLines(
        m, a, b, start, names, opened, pair[late], currency[late], change[late],
        np.cumsum(steps, axis=0),
    )  # fmt: skip


def statement_of(
    moves: Moves, a: str, b: str, converter: Converter, start: float | None = None
) -> Statement:
    """The statement between `a` and `b` from the moves of every pair (see `statement`)."""
    check_period(a, b, moves.as_of, start)
    lines = pair_lines(moves, a, b, start)
    items = _open_items(moves, a, b, converter)
    closing = _money(lines.currencies, lines.balances[-1])
    return Statement(
        a=a,
        b=b,
        start=start,
        as_of=moves.as_of,
        reporting=converter.reporting,
        opening=_money(lines.currencies, lines.balances[0], lines.opened),
        lines=tuple(_records(lines)),
        closing=closing,
        closing_reporting=_in_reporting(closing.items(), converter),
        receivables=_receivables(moves, a, b),
        open_items=items,
        aging=(_aging(items, a, b, converter), _aging(items, b, a, converter)),
    )


def _money(
    currencies: tuple[str, ...], units: np.ndarray, shown: np.ndarray | None = None
) -> dict[str, Decimal]:
    return {
        c: from_minor(int(u), c)
        for i, (c, u) in enumerate(zip(currencies, units.tolist(), strict=True))
        if shown is None or shown[i]
    }


def _records(lines: PairLines) -> Iterable[StatementLine]:
    m, parties, j = lines.moves, lines.moves.accounts.parties, lines.moves.journal
    for i, row in enumerate(lines.rows.tolist()):
        txn, cur = int(m.txn[row]), lines.currencies[lines.currency[i]]
        order = int(m.order[row])
        yield StatementLine(
            txn_id=int(j.txn_id[txn]),
            time=float(j.txn_time[txn]),
            kind=j.kinds[j.txn_kind[txn]],
            order_id=None if order == NONE else m.orders.order_id[order],
            commodity="" if order == NONE else m.orders.commodity[order],
            creditor=parties[m.creditor[row]],
            debtor=parties[m.debtor[row]],
            currency=cur,
            amount=from_minor(int(m.amount[row]), cur),
            change=from_minor(int(lines.change[i]), cur),
            balance=from_minor(int(lines.balances[i + 1, lines.currency[i]]), cur),
        )


def running_balances(st: Statement) -> list[dict[str, Decimal]]:
    """After each line, the balance in every currency of the statement, each in its own
    currency: a running balance never adds yen to pesos. The first entry is the opening."""
    currencies = sorted({*st.opening, *(x.currency for x in st.lines)})
    now = {c: st.opening.get(c, Decimal(0)) for c in currencies}
    out = [dict(now)]
    for line in st.lines:
        now[line.currency] = line.balance
        out.append(dict(now))
    return out


def in_reporting(balances: Mapping[str, Decimal], converter: Converter) -> Decimal:
    """Balances in several currencies as one figure in the reporting currency, at the
    converter's rates: converted exactly, rounded once."""
    return _in_reporting(balances.items(), converter)


def receivable_side(account: str, a: str, b: str) -> tuple[str, str] | None:
    """(creditor, debtor) if `account` is a receivable between `a` and `b` (plain or invoiced,
    R11), else None. Payables are left out: they only mirror these (R15)."""
    parse(account)  # a malformed account name is refused, not skipped
    pair = receivable_parties(account)
    return pair if pair in ((a, b), (b, a)) else None


def _receivables(moves: Moves, a: str, b: str) -> dict[tuple[str, str], Decimal]:
    """Balances of the pair's receivable accounts at `as_of`, straight from the postings."""
    j, acc = moves.journal, moves.accounts
    x, y = codes([a, b], acc.parties).tolist()
    cr, db = acc.creditor[j.leg_account], acc.debtor[j.leg_account]
    mine = ((cr == x) & (db == y)) | ((cr == y) & (db == x))
    legs = np.flatnonzero(mine & (j.txn_time[j.leg_txn] <= moves.as_of))
    sums: dict[tuple[str, str], int] = {}
    for account, cur, amount in zip(
        j.leg_account[legs].tolist(), j.leg_currency[legs].tolist(),
        j.leg_amount[legs].tolist(), strict=True,
    ):  # fmt: skip
        key = (j.account_names[account], j.currency_codes[cur])
        sums[key] = sums.get(key, 0) + amount
    return {k: from_minor(v, k[1]) for k, v in sorted(sums.items()) if v}


def _open_items(moves: Moves, a: str, b: str, converter: Converter) -> tuple[OpenItem, ...]:
    """Orders with a balance at `as_of`, in the order they first moved, each in its aging
    bucket (R12)."""
    m, o = moves, moves.orders
    pair = m.between(a, b)
    pair = pair[m.order[pair] != NONE]
    rows, first, where = np.unique(m.order[pair], return_index=True, return_inverse=True)
    sums = np.zeros(len(rows), dtype=m.delta.dtype)
    np.add.at(sums, where.ravel(), m.delta[pair])
    items = []
    for k in np.argsort(first, kind="stable").tolist():
        row, units = int(rows[k]), int(sums[k])
        if not units:
            continue
        due = None if math.isnan(o.due_at[row]) else float(o.due_at[row])
        late = 0.0 if due is None else (m.as_of - due) / HOURS_PER_DAY
        outstanding = from_minor(units, o.currency[row])
        items.append(
            OpenItem(
                order_id=o.order_id[row],
                creditor=o.provider_party[row],
                debtor=o.receiver_party[row],
                currency=o.currency[row],
                outstanding=outstanding,
                due_at=due,
                days_overdue=max(0, math.ceil(late)),  # an hour late is day 1
                bucket=aging_bucket(late),
                outstanding_reporting=converter.to_reporting(outstanding, o.currency[row]),
            )
        )
    return tuple(items)


def _aging(items: tuple[OpenItem, ...], creditor: str, debtor: str, conv: Converter) -> Aging:
    """What `debtor` owes `creditor`, by bucket: exact sums, each rounded once."""
    exact = dict.fromkeys(BUCKETS, Decimal(0))
    for item in items:
        if (item.creditor, item.debtor) == (creditor, debtor):
            exact[item.bucket] += conv.exact(item.outstanding, item.currency)
    buckets = tuple((name, to_money(exact[name], conv.reporting)) for name in BUCKETS)
    total = sum((v for _, v in buckets), to_money(0, conv.reporting))
    return Aging(creditor, debtor, buckets, total)


def _in_reporting(amounts: Iterable[tuple[str, Decimal]], converter: Converter) -> Decimal:
    total = sum((converter.exact(v, cur) for cur, v in amounts), Decimal(0))
    return to_money(total, converter.reporting)
