"""Statements of books an older engine wrote, where a transaction may carry legs its order
cannot explain (R11-R13, R15).

Such books put both sides of a netting in one transaction under one order, or book a
movement with no order at all. The statement charges a reduction of the other direction to
that direction's open orders, oldest delivery first (FIFO), as far as each has something
outstanding; what no order can take, and any increase no order explains, stays on a line of
its own with no order. Every balance still equals the books (handbooks.check_statement).

Rates: USD 1 = JPY 100 = PHP 50. Every figure is worked out by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import handbooks as hand
from handbooks import HandBooks

from acsasim.ledger import Converter, Order, Posting
from acsasim.ledger.statements import statement

CONV = Converter({"USD": 1, "JPY": 100, "PHP": 50}, "USD")
D = Decimal
MakeOrder = Callable[..., Order]


def _ph(make_order: MakeOrder, oid: str, value: str, delivered: float | None) -> Order:
    """An order PH provides to JP, in PHP, due 240 hours after delivery."""
    due = None if delivered is None else delivered + 240
    status = "in_transit" if delivered is None else "open"
    return make_order(oid, "PH", "JP", value=D(value), delivered_at=delivered, due_at=due,
                      status=status)  # fmt: skip


def _legacy(make_order: MakeOrder) -> HandBooks:
    """PH's orders to JP, oldest delivery first: O4 (t=5, PHP 100.00), O1 (t=10, 480,000.00),
    O7 (t=11, 200.00, settled on its own at t=31), O6 (t=12, 0.50), O5 (in transit, 50.00);
    JP's order O2 to PH (t=20, JPY 1,080,000). Then, with legs no order explains:
    - t=40 PHP 1,000.00 of PH's receivable invoiced, under no order;
    - t=50, 60, 70 three nettings booked under O2 that also take PHP 300,100.00, 100,000.50
      and 0.75 off PH's receivable;
    - t=65 PHP 0.75 added to PH's receivable, under no order."""
    o4, o1, o7 = _ph(make_order, "O4", "100.00", 5.0), _ph(make_order, "O1", "480000.00", 10.0), \
        _ph(make_order, "O7", "200.00", 11.0)  # fmt: skip
    o6, o5 = _ph(make_order, "O6", "0.50", 12.0), _ph(make_order, "O5", "50.00", None)
    o2 = make_order("O2", "JP", "PH", commodity="ration", currency="JPY", value=D("1080000"),
                    delivered_at=20.0, due_at=1460.0, status="open")  # fmt: skip
    ledger = HandBooks()
    for o in (o4, o1, o7, o6, o5, o2):
        ledger.add_order(o)
        if o.delivered_at is not None:
            ledger.post_issue(o.delivered_at, o)  # transactions 1-5
    ledger.post(30.0, "return_in_kind", hand.return_postings(o1, D("80000.00")), "O1")  # 6
    ledger.post(31.0, "return_in_kind", hand.return_postings(o7, D("200.00")), "O7")  # 7
    ledger.post(40.0, "invoice", hand.invoice_postings(o1, D("1000.00")))  # 8
    for time, php, jpy, invoiced in (
        (50.0, "300100.00", "600200", "1000.00"),  # 9
        (60.0, "100000.50", "200001", "0"),  # 10
    ):
        legs = hand.reduce_postings(o2, D(jpy), D(0)) + hand.reduce_postings(
            o1, D(php), D(invoiced)
        )
        ledger.post(time, "offset", legs, "O2")
    unexplained = hand.issue_postings(_ph(make_order, "X", "0.75", 65.0))
    ledger.post(65.0, "issue", unexplained)  # 11
    legs = hand.reduce_postings(o2, D(2), D(0)) + hand.reduce_postings(o1, D("0.75"), D(0))
    ledger.post(70.0, "offset", legs, "O2")  # 12
    return ledger


def test_reductions_go_to_the_oldest_deliveries_first_as_far_as_each_has_something_open(
    make_order: MakeOrder,
) -> None:
    ledger = _legacy(make_order)
    s = statement(ledger.transactions, ledger.orders, "JP", "PH", 70.0, CONV)
    php = [(x.txn_id, x.order_id, x.amount, x.change, x.commodity) for x in s.lines
           if x.currency == "PHP" and x.txn_id > 5]  # fmt: skip
    assert php == [
        (6, "O1", D("80000.00"), D("80000.00"), "diesel"),
        (7, "O7", D("200.00"), D("200.00"), "diesel"),
        (8, None, D("1000.00"), D("0.00"), ""),  # an invoice changes no balance (R11)
        # O4 was delivered before O1: it goes first, then O1 takes the rest
        (9, "O4", D("100.00"), D("100.00"), "diesel"),
        (9, "O1", D("300000.00"), D("300000.00"), "diesel"),
        # O1's last 100,000.00, O7 has nothing left, O6 its 0.50
        (10, "O1", D("100000.00"), D("100000.00"), "diesel"),
        (10, "O6", D("0.50"), D("0.50"), "diesel"),
        (11, None, D("0.75"), D("-0.75"), ""),  # an increase no order explains
        (12, None, D("0.75"), D("0.75"), ""),  # nothing open: no order can take it
    ]
    jpy = [(x.txn_id, x.order_id, x.change) for x in s.lines if x.currency == "JPY"]
    assert jpy == [(5, "O2", D("1080000")), (9, "O2", D("-600200")), (10, "O2", D("-200001")),
                   (12, "O2", D("-2"))]  # fmt: skip
    assert {i.order_id: i.outstanding for i in s.open_items} == {"O2": D("279797")}
    for as_of in (40.0, 50.0, 60.0, 70.0):
        hand.check_statement(ledger, as_of, "JP", "PH", CONV)
    # at t=65 PH's receivable holds the unexplained 0.75: in the balance, on no open item
    at_65 = statement(ledger.transactions, ledger.orders, "JP", "PH", 65.0, CONV)
    assert at_65.closing["PHP"] == D("-0.75")
    assert [i.order_id for i in at_65.open_items] == ["O2"]


def test_between_two_legacy_nettings_the_open_items_are_what_fifo_left(
    make_order: MakeOrder,
) -> None:
    ledger = _legacy(make_order)
    s = hand.check_statement(ledger, 55.0, "JP", "PH", CONV)
    assert {i.order_id: i.outstanding for i in s.open_items} == {
        "O1": D("100000.00"), "O6": D("0.50"), "O2": D("479800"),
    }  # fmt: skip


def test_legacy_netting_in_one_transaction_is_attributed_by_direction(
    make_order: MakeOrder,
) -> None:
    """Books of an older engine put both sides of a netting in one transaction under one order:
    the legs of the other direction go to that direction's oldest open order (FIFO)."""
    o1 = _ph(make_order, "O1", "480000.00", 10.0)
    o2 = make_order("O2", "JP", "PH", commodity="ration", currency="JPY", value=D("1080000"),
                    delivered_at=20.0, due_at=1460.0, status="open")  # fmt: skip
    ledger = HandBooks()
    for o in (o1, o2):
        ledger.add_order(o)
        ledger.post_issue(o.delivered_at, o)
    legs = hand.reduce_postings(o2, D("200000"), D(0)) + hand.reduce_postings(
        o1, D("100000.00"), D(0)
    )
    ledger.post(400.0, "offset", legs, "O2")
    s = hand.check_statement(ledger, 400.0, "JP", "PH", CONV)
    got = [(x.kind, x.order_id, x.currency, x.change) for x in s.lines[2:]]
    assert got == [("offset", "O2", "JPY", D("-200000")), ("offset", "O1", "PHP", D("100000.00"))]
    assert {i.order_id: i.outstanding for i in s.open_items} == {
        "O1": D("380000.00"),
        "O2": D("880000"),
    }


def test_a_payment_without_an_order_is_charged_to_the_oldest_order(
    make_order: MakeOrder,
) -> None:
    o1 = _ph(make_order, "O1", "480000.00", 10.0)
    ledger = HandBooks()
    ledger.add_order(o1)
    ledger.post_issue(10.0, o1)
    pay = hand.payment_postings(o1, D("1000.00"))
    # no invoice first: move the payment off the plain receivable instead
    pay = [Posting(p.account.removesuffix(":Invoiced"), p.amount, p.currency) for p in pay]
    ledger.post(20.0, "payment", pay)
    s = hand.check_statement(ledger, 20.0, "JP", "PH", CONV)
    assert (s.lines[-1].order_id, s.lines[-1].amount, s.lines[-1].change) == (
        "O1", D("1000.00"), D("1000.00"),
    )  # fmt: skip
    assert s.open_items[0].outstanding == D("479000.00")
