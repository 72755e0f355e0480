"""Statements of account between two parties, computed from the books alone (R11-R13, R15).

Auditors reconcile from the journal, not from a program's idea of an order's status; so a
statement reads only the transactions (their receivable postings) and the immutable facts of
the orders (who provided what to whom, in which currency, due when). A's receivable from B
counts in A's favour (positive), B's receivable from A against it (negative); the payables
mirror them (R15) and add nothing.

Each order's outstanding amount at `as_of` is the sum of the receivable postings attributed to
it, the plain and the invoiced part alike (R11, R12). A transaction names one order; its legs
on the receivable of that order's direction (creditor -> debtor, in its currency) belong to it.
Equal-value nettings and offsets (R10, R13) reduce two orders; the engine books each order's
reduction as its own transaction (since commit b2543aa), so this rule attributes every leg.
Books written before carry both orders' legs in one transaction: a leg of the other direction
is then charged to the oldest open orders of that direction and currency (FIFO), which is
exact for offsets and an approximation for equal-value nettings (see `_fifo`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from acsasim.ledger.accounts import parse, receivable_parties
from acsasim.ledger.entries import Order, Transaction
from acsasim.ledger.money import Converter, to_money
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


@dataclass(frozen=True, slots=True)
class _Move:
    """The legs of one transaction on one direction's receivables, charged to one order."""

    txn: Transaction
    creditor: str
    debtor: str
    currency: str
    order_id: str | None
    delta: Decimal  # change of the creditor's receivable (plain + invoiced)
    amount: Decimal  # what moved, >= 0


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
    if a == b:
        raise ValueError(f"a statement needs two parties, got {a!r} twice")
    if start is not None and start > as_of:
        raise ValueError(f"statement start {start}h is after as_of {as_of}h")
    txns = tuple(transactions)  # read twice: moves, then account balances
    by_id = {o.order_id: o for o in orders}
    moves = list(_moves(txns, by_id, a, b, as_of))
    opening, lines, closing = _lines(moves, by_id, a, start)
    items = _open_items(moves, by_id, as_of, converter)
    return Statement(
        a=a,
        b=b,
        start=start,
        as_of=as_of,
        reporting=converter.reporting,
        opening=opening,
        lines=lines,
        closing=closing,
        closing_reporting=_in_reporting(closing.items(), converter),
        receivables=_receivables(txns, a, b, as_of),
        open_items=items,
        aging=(_aging(items, a, b, converter), _aging(items, b, a, converter)),
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


def _receivables(
    transactions: Iterable[Transaction], a: str, b: str, as_of: float
) -> dict[tuple[str, str], Decimal]:
    """Balances of the pair's receivable accounts at `as_of`, straight from the postings."""
    sums: dict[tuple[str, str], Decimal] = {}
    for txn in transactions:
        if txn.time > as_of:
            continue
        for p in txn.postings:
            if receivable_side(p.account, a, b):
                key = (p.account, p.currency)
                sums[key] = sums.get(key, Decimal(0)) + p.amount
    return {k: v for k, v in sorted(sums.items()) if v}


def _moves(
    transactions: Iterable[Transaction], orders: Mapping[str, Order], a: str, b: str, as_of: float
) -> Iterable[_Move]:
    """Every transaction's receivable legs between the pair up to `as_of`, grouped by
    direction and currency and charged to the order they settle."""
    outstanding: dict[str, Decimal] = {}
    for txn in transactions:
        if txn.time > as_of:
            continue
        for (creditor, debtor, cur), (delta, amount) in _groups(txn, a, b).items():
            order = orders.get(txn.order_id or "")
            parts: list[tuple[str | None, Decimal]]
            if order is not None and _matches(order, creditor, debtor, cur):
                parts = [(order.order_id, delta)]
            else:
                parts = _fifo(orders.values(), outstanding, creditor, debtor, cur, delta)
            for order_id, part in parts:
                if order_id is not None:
                    outstanding[order_id] = outstanding.get(order_id, Decimal(0)) + part
                share = amount if len(parts) == 1 else abs(part)
                yield _Move(txn, creditor, debtor, cur, order_id, part, share)


def _groups(
    txn: Transaction, a: str, b: str
) -> dict[tuple[str, str, str], tuple[Decimal, Decimal]]:
    """(creditor, debtor, currency) -> (net change, amount moved) of one transaction.

    The amount moved is the larger of the increases and the decreases, so an invoice (minus
    on the plain receivable, plus on the invoiced part) moves its value and changes nothing."""
    ups: dict[tuple[str, str, str], Decimal] = {}
    downs: dict[tuple[str, str, str], Decimal] = {}
    for p in txn.postings:
        side = receivable_side(p.account, a, b)
        if side is None:
            continue
        key = (*side, p.currency)
        target = ups if p.amount > 0 else downs
        target[key] = target.get(key, Decimal(0)) + abs(p.amount)
    keys = sorted(set(ups) | set(downs))
    zero = Decimal(0)
    return {
        k: (ups.get(k, zero) - downs.get(k, zero), max(ups.get(k, zero), downs.get(k, zero)))
        for k in keys
    }


def _matches(order: Order, creditor: str, debtor: str, currency: str) -> bool:
    return (order.provider_party, order.receiver_party, order.currency) == (
        creditor,
        debtor,
        currency,
    )


def _fifo(
    orders: Iterable[Order],
    outstanding: Mapping[str, Decimal],
    creditor: str,
    debtor: str,
    currency: str,
    delta: Decimal,
) -> list[tuple[str | None, Decimal]]:
    """Charge a reduction the transaction's order cannot explain to the oldest open orders of
    its direction and currency (by delivery, then id). Only books of an older engine, which
    posted both sides of a netting in one transaction, need it: an offset (R13) does settle the
    oldest first, an equal-value netting (R10) the newest counter-flow, so aging of such old
    books may shift between orders of one direction; balances never do. Whatever no order can
    take stays unattributed (order None)."""
    if delta >= 0:
        return [(None, delta)]
    candidates = sorted(
        (o for o in orders if _matches(o, creditor, debtor, currency)),
        key=lambda o: (math.inf if o.delivered_at is None else o.delivered_at, o.order_id),
    )
    parts: list[tuple[str | None, Decimal]] = []
    left = -delta
    for o in candidates:
        if left <= 0:
            break
        room = outstanding.get(o.order_id, Decimal(0))
        if room > 0:
            take = min(room, left)
            parts.append((o.order_id, -take))
            left -= take
    if left > 0:
        parts.append((None, -left))
    return parts


def _lines(
    moves: list[_Move], orders: Mapping[str, Order], a: str, start: float | None
) -> tuple[dict[str, Decimal], tuple[StatementLine, ...], dict[str, Decimal]]:
    """Opening balances at `start`, the lines after it with running balances, and closing."""
    opening: dict[str, Decimal] = {}
    running: dict[str, Decimal] = {}
    lines = []
    for m in moves:
        change = m.delta if m.creditor == a else -m.delta
        if start is not None and m.txn.time <= start:
            opening[m.currency] = opening.get(m.currency, Decimal(0)) + change
            running[m.currency] = opening[m.currency]
            continue
        running[m.currency] = running.get(m.currency, Decimal(0)) + change
        order = orders.get(m.order_id or "")
        lines.append(
            StatementLine(
                txn_id=m.txn.txn_id,
                time=m.txn.time,
                kind=m.txn.kind,
                order_id=m.order_id,
                commodity=order.commodity if order else "",
                creditor=m.creditor,
                debtor=m.debtor,
                currency=m.currency,
                amount=m.amount,
                change=change,
                balance=running[m.currency],
            )
        )
    return dict(sorted(opening.items())), tuple(lines), dict(sorted(running.items()))


def _open_items(
    moves: list[_Move], orders: Mapping[str, Order], as_of: float, converter: Converter
) -> tuple[OpenItem, ...]:
    """Orders with a balance at `as_of`, oldest first, each in its aging bucket (R12)."""
    sums: dict[str, Decimal] = {}
    for m in moves:
        if m.order_id is not None:
            sums[m.order_id] = sums.get(m.order_id, Decimal(0)) + m.delta
    items = []
    for order_id, outstanding in sums.items():
        if not outstanding:
            continue
        o = orders[order_id]
        late = 0.0 if o.due_at is None else (as_of - o.due_at) / HOURS_PER_DAY
        items.append(
            OpenItem(
                order_id=order_id,
                creditor=o.provider_party,
                debtor=o.receiver_party,
                currency=o.currency,
                outstanding=outstanding,
                due_at=o.due_at,
                days_overdue=max(0, math.ceil(late)),  # an hour late is day 1
                bucket=aging_bucket(late),
                outstanding_reporting=converter.to_reporting(outstanding, o.currency),
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
