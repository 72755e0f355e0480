"""The books: a journal of checked transactions, running balances and orders (R15).

`Ledger.post` is the only way money enters the books, and it refuses anything
that would break R15: postings that do not sum to zero per currency, amounts
with digits below the currency's minor unit, or a receivable that would stop
mirroring the matching payable. A refused post leaves the ledger untouched.
Each post costs O(its postings): balances are kept running, and only the
accounts it touches are checked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from acsasim.ledger import accounts
from acsasim.ledger.entries import TXN_KINDS, Order, Posting, Transaction
from acsasim.ledger.money import quantum, to_money

Key = tuple[str, str]  # (account, currency)

#: Legal order status changes; an update to the same status is always allowed.
TRANSITIONS = frozenset(
    {
        ("in_transit", "open"),
        ("open", "settled"),
        ("open", "overdue"),
        ("overdue", "converted"),
        ("overdue", "settled"),
        ("converted", "settled"),
        ("open", "offset"),
        ("overdue", "offset"),
        ("converted", "offset"),
    }
)


class LedgerError(Exception):
    """A transaction or order update the books refuse (R15)."""


class _Refused(Exception):
    """Why a transaction is refused; `Ledger.post` adds which transaction it was."""


_ZERO = Decimal(0)


@lru_cache(maxsize=4096)
def _mirror_of(account: str) -> str | None:
    """Validated account -> its R15 mirror; cached since a run uses few accounts."""
    return accounts.mirror(account)


class Ledger:
    """Double-entry books of one run: transactions, balances and orders."""

    def __init__(self) -> None:
        self.transactions: list[Transaction] = []
        self._balances: dict[Key, Decimal] = {}  # non-zero balances only
        self._orders: dict[str, Order] = {}  # insertion order is creation order

    # -- posting -----------------------------------------------------------------

    def post(
        self,
        time: float,
        kind: str,
        postings: Iterable[Posting],
        order_id: str | None = None,
    ) -> Transaction:
        """Check and record one transaction; raise LedgerError if it breaks R15."""
        try:
            legs = _checked_legs(kind, time, postings)
            deltas = _deltas(legs)
            self._check_mirror(deltas)
        except _Refused as exc:
            # the message is built only here: post() runs for every order and settlement
            where = f"{kind!r} transaction (order {order_id}) at t={time}h"
            raise LedgerError(f"refused {where}: {exc}") from None
        for key, delta in deltas.items():
            _add(self._balances, key, delta)
        txn = Transaction(len(self.transactions) + 1, float(time), kind, order_id, legs)
        self.transactions.append(txn)
        return txn

    def post_issue(self, time: float, order: Order) -> Transaction:
        """Book the provision of `order` in the provider's currency (R7, R15).

        The provider gains a receivable and income; the receiver an expense and
        the mirroring payable.
        """
        if order.value < 0:
            raise LedgerError(f"refused issue of order {order.order_id}: negative value")
        p, r = order.provider_party, order.receiver_party
        v, cur = order.value, order.currency
        legs = (
            Posting(accounts.receivable(p, r), v, cur),
            Posting(accounts.provided(p), -v, cur),
            Posting(accounts.received(r), v, cur),
            Posting(accounts.payable(r, p), -v, cur),
        )
        return self.post(time, "issue", legs, order.order_id)

    def _check_mirror(self, deltas: dict[Key, Decimal]) -> None:
        """R15: after the deltas, A's receivable from B == -(B's payable to A)."""
        balances = self._balances
        for (account, cur), delta in deltas.items():
            other = _mirror_of(account)
            if other is None:
                continue
            mine = balances.get((account, cur), _ZERO) + delta
            theirs = balances.get((other, cur), _ZERO) + deltas.get((other, cur), _ZERO)
            if mine != -theirs:
                raise _Refused(
                    f"R15 mirror broken, {account} would be {mine} {cur} "
                    f"but {other} would be {theirs} {cur}"
                )

    # -- balances ----------------------------------------------------------------

    def balance(self, account: str, currency: str) -> Decimal:
        """Current balance of `account` in `currency` (zero, quantized, if none)."""
        found = self._balances.get((account, currency))
        return found if found is not None else to_money(0, currency)

    def balances(self) -> dict[Key, Decimal]:
        """Every non-zero balance, sorted by (account, currency)."""
        return dict(sorted(self._balances.items()))

    def balances_as_of(self, time: float) -> dict[Key, Decimal]:
        """Non-zero balances from the transactions at or before `time` (statements)."""
        return _accumulate(t for t in self.transactions if t.time <= time)

    def verify(self) -> None:
        """Re-check the whole journal from scratch (R15), beancount-style.

        Every transaction balances, the running balances equal a recomputation,
        and every receivable mirrors its payable. Cheap enough to call at the end
        of a run and in tests; `post` already guarantees all of it.
        """
        for txn in self.transactions:
            try:
                _check_zero_sum(txn.postings)
            except _Refused as exc:
                raise LedgerError(f"refused transaction {txn.txn_id}: {exc}") from None
        recomputed = _accumulate(self.transactions)
        if recomputed != self.balances():
            raise LedgerError("running balances differ from the journal")
        for (account, cur), amount in recomputed.items():
            other = _mirror_of(account)
            if other is not None and recomputed.get((other, cur), _ZERO) != -amount:
                raise LedgerError(f"R15 mirror broken: {account} {amount} {cur} vs {other}")

    # -- orders ------------------------------------------------------------------

    def add_order(self, order: Order) -> None:
        """Register a new order; its id must be new."""
        if not isinstance(order, Order):
            raise TypeError(f"not an Order: {order!r}")
        if order.order_id in self._orders:
            raise LedgerError(f"order {order.order_id} already exists")
        self._orders[order.order_id] = order

    def update_order(self, order: Order) -> None:
        """Replace a known order by id, refusing an illegal status transition."""
        old = self._orders.get(order.order_id)
        if old is None:
            raise LedgerError(f"cannot update unknown order {order.order_id}")
        change = (old.status, order.status)
        if old.status != order.status and change not in TRANSITIONS:
            raise LedgerError(
                f"order {order.order_id}: illegal status change {old.status} -> {order.status}"
            )
        self._orders[order.order_id] = order

    @property
    def orders(self) -> list[Order]:
        """All orders, in creation order, each in its latest state."""
        return list(self._orders.values())

    def order(self, order_id: str) -> Order:
        """The latest state of one order; KeyError if unknown."""
        try:
            return self._orders[order_id]
        except KeyError:
            raise KeyError(f"unknown order {order_id!r}") from None


def _checked_legs(kind: str, time: float, postings: Iterable[Posting]) -> tuple[Posting, ...]:
    """The postings of one transaction, validated, canonical and summing to zero (R15)."""
    if kind not in TXN_KINDS:
        raise _Refused(f"unknown kind, expected one of {TXN_KINDS}")
    if not isinstance(time, int | float) or not math.isfinite(time) or time < 0:
        raise _Refused("time must be finite hours >= 0")
    legs = tuple(_canonical(p) for p in postings)
    if not legs:
        raise _Refused("no postings")
    _check_zero_sum(legs)
    return legs


def _canonical(posting: Posting) -> Posting:
    """Validate one posting; return it with its amount in canonical form.

    An amount equal to its rounding but written differently (Decimal('100') for
    PHP, or -0.00) is stored as `to_money` writes it, so postings.csv is uniform.
    """
    if not isinstance(posting, Posting):
        raise _Refused(f"not a Posting: {posting!r}")
    try:
        _mirror_of(posting.account)  # parses, hence validates, the account name
        amount = posting.amount
        if amount and amount.same_quantum(quantum(posting.currency)):
            return posting  # the common case, already as to_money writes it (no -0.00)
        rounded = to_money(posting.amount, posting.currency)
    except (ValueError, TypeError) as exc:
        raise _Refused(str(exc)) from None
    if rounded != posting.amount:
        raise _Refused(
            f"{posting.amount} {posting.currency} on {posting.account} "
            f"is not rounded to the currency's minor unit (R15)"
        )
    return Posting(posting.account, rounded, posting.currency)


def _check_zero_sum(legs: tuple[Posting, ...]) -> None:
    """R15: the postings of each currency sum to exactly zero."""
    sums: dict[str, Decimal] = {}
    for p in legs:
        sums[p.currency] = sums.get(p.currency, _ZERO) + p.amount
    off = {cur: s for cur, s in sums.items() if not s.is_zero()}
    if off:
        detail = ", ".join(f"{cur} sums to {s}" for cur, s in sorted(off.items()))
        raise _Refused(f"postings do not balance (R15): {detail}")


def _deltas(legs: Iterable[Posting]) -> dict[Key, Decimal]:
    """Net change per (account, currency); one account may appear in several legs."""
    deltas: dict[Key, Decimal] = {}
    for p in legs:
        key = (p.account, p.currency)
        deltas[key] = deltas.get(key, _ZERO) + p.amount
    return deltas


def _add(balances: dict[Key, Decimal], key: Key, delta: Decimal) -> None:
    """Add `delta` to a balance, dropping it when it reaches zero (keeps maps small)."""
    new = balances.get(key, _ZERO) + delta
    if new.is_zero():
        balances.pop(key, None)
    else:
        balances[key] = new


def _accumulate(transactions: Iterable[Transaction]) -> dict[Key, Decimal]:
    """Non-zero balances of `transactions`, sorted by (account, currency)."""
    balances: dict[Key, Decimal] = {}
    for txn in transactions:
        for key, delta in _deltas(txn.postings).items():
            _add(balances, key, delta)
    return dict(sorted(balances.items()))
