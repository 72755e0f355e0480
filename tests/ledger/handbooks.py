"""Books written by hand in the tests: order records and postings spelled out by account,
booked through the engine's own journal and checked by its own R15 checks after each post.

The posting builders below are the double entry of each kind of transaction, written out
in Decimal as an accountant would (the engine's state machine books the same in integer
minor units; tests/ledger/test_settlement_machine.py checks its postings account by account).
"""

from __future__ import annotations

from decimal import Decimal

from acsasim.ledger import Converter, Journal, LedgerError, Order, Posting, Transaction, accounts
from acsasim.ledger.checks import check_balances, check_journal
from acsasim.ledger.journal import NO_ORDER
from acsasim.ledger.money import to_minor
from acsasim.ledger.statements import Statement, receivable_side, statement
from acsasim.vocab import TxnKind


class HandBooks:
    """Orders as records and a journal of hand-made transactions."""

    def __init__(self) -> None:
        self.journal = Journal()
        self._orders: dict[str, Order] = {}
        self._rows: dict[str, int] = {}

    def add_order(self, order: Order) -> None:
        if order.order_id in self._orders:
            raise LedgerError(f"order {order.order_id} already exists")
        self._rows[order.order_id] = len(self._rows)
        self._orders[order.order_id] = order

    def order(self, order_id: str) -> Order:
        return self._orders[order_id]

    @property
    def orders(self) -> list[Order]:
        return list(self._orders.values())

    def post(
        self, time: float, kind: str, postings: list[Posting], order_id: str | None = None
    ) -> Transaction:
        j = self.journal
        legs = [
            (j.account(p.account), to_minor(p.amount, p.currency), j.currency(p.currency))
            for p in postings
        ]
        row = NO_ORDER if order_id is None else self._rows[order_id]
        first = len(j)
        j.post(time, TxnKind(kind), row, legs)
        check_journal(j, first)
        return self.transactions[-1]

    def post_issue(self, time: float, order: Order) -> Transaction:
        return self.post(time, "issue", issue_postings(order), order.order_id)

    @property
    def transactions(self) -> list[Transaction]:
        names = {row: oid for oid, row in self._rows.items()}
        out = []
        for txn in self.journal.transactions():
            row = self.journal.txn_order[txn.txn_id - 1]
            name = None if row == NO_ORDER else names[row]
            out.append(Transaction(txn.txn_id, txn.time, txn.kind, name, txn.postings))
        return out

    def balances_as_of(self, time: float) -> dict[tuple[str, str], Decimal]:
        sums: dict[tuple[str, str], Decimal] = {}
        for txn in self.transactions:
            if txn.time <= time:
                for p in txn.postings:
                    key = (p.account, p.currency)
                    sums[key] = sums.get(key, Decimal(0)) + p.amount
        return {k: v for k, v in sorted(sums.items()) if v}

    def balances(self) -> dict[tuple[str, str], Decimal]:
        return self.balances_as_of(float("inf"))

    def verify(self) -> None:
        check_journal(self.journal, 0)
        check_balances(self.journal)


def issue_postings(o: Order) -> list[Posting]:
    """The provision: the provider gains a receivable and income, the receiver an expense and
    the mirroring payable (R7, R15)."""
    p, r, v, cur = o.provider_party, o.receiver_party, o.value, o.currency
    return [
        Posting(accounts.receivable(p, r), v, cur),
        Posting(accounts.provided(p), -v, cur),
        Posting(accounts.received(r), v, cur),
        Posting(accounts.payable(r, p), -v, cur),
    ]


def reduce_postings(o: Order, value: Decimal, invoiced: Decimal) -> list[Posting]:
    """`value` off the receivable and the payable, `invoiced` of it from the invoiced part."""
    p, r, cur = o.provider_party, o.receiver_party, o.currency
    legs = []
    for part, rec, pay in (
        (invoiced, accounts.receivable_invoiced(p, r), accounts.payable_invoiced(r, p)),
        (value - invoiced, accounts.receivable(p, r), accounts.payable(r, p)),
    ):
        if part:
            legs += [Posting(rec, -part, cur), Posting(pay, part, cur)]
    return legs


def return_postings(o: Order, value: Decimal) -> list[Posting]:
    p, r, cur = o.provider_party, o.receiver_party, o.currency
    return [
        *reduce_postings(o, value, Decimal(0)),
        Posting(accounts.received(p), value, cur),
        Posting(accounts.provided(r), -value, cur),
    ]


def invoice_postings(o: Order, value: Decimal) -> list[Posting]:
    p, r, cur = o.provider_party, o.receiver_party, o.currency
    return [
        Posting(accounts.receivable(p, r), -value, cur),
        Posting(accounts.receivable_invoiced(p, r), value, cur),
        Posting(accounts.payable(r, p), value, cur),
        Posting(accounts.payable_invoiced(r, p), -value, cur),
    ]


def payment_postings(o: Order, value: Decimal) -> list[Posting]:
    p, r, cur = o.provider_party, o.receiver_party, o.currency
    return [
        *reduce_postings(o, value, value),
        Posting(accounts.cash(p), value, cur),
        Posting(accounts.cash(r), -value, cur),
    ]


def check_statement(
    ledger: HandBooks, as_of: float, a: str, b: str, converter: Converter
) -> Statement:
    """The statement of a and b at `as_of` agrees with the books: its receivables, closing
    balances and open items (R15); returns it."""
    s = statement(ledger.transactions, ledger.orders, a, b, as_of, converter)
    books = ledger.balances_as_of(as_of)
    pair = {k: v for k, v in books.items() if receivable_side(k[0], a, b)}
    assert s.receivables == pair
    net: dict[str, Decimal] = {}
    by_creditor: dict[tuple[str, str], Decimal] = {}
    for (account, cur), v in pair.items():
        creditor = account.split(":")[1]
        net[cur] = net.get(cur, Decimal(0)) + (v if creditor == a else -v)
        by_creditor[(creditor, cur)] = by_creditor.get((creditor, cur), Decimal(0)) + v
        assert books[(accounts.mirror(account), cur)] == -v  # the payables mirror them (R15)
    assert {c: v for c, v in s.closing.items() if v} == {c: v for c, v in net.items() if v}
    for cur, v in s.closing.items():  # the last line of each currency carries the closing
        assert [x.balance for x in s.lines if x.currency == cur][-1] == v
    items: dict[tuple[str, str], Decimal] = {}
    for i in s.open_items:
        key = (i.creditor, i.currency)
        items[key] = items.get(key, Decimal(0)) + i.outstanding
    assert items == {k: v for k, v in by_creditor.items() if v}
    return s
