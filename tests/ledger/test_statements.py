"""Statements of account from the books alone: lines, running balances, aging (R11-R13, R15).

A hand-built ledger between JP (JPY) and PH (PHP), rates USD 1 = JPY 100 = PHP 50, walks one
PH order and one JP order through every kind of transaction; every figure below is worked
out by hand. Times are hours from the start (R1).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import handbooks as hand
import pytest
from handbooks import HandBooks
from hypothesis import given, settings
from hypothesis import strategies as st

from acsasim.ledger import Converter, Order
from acsasim.ledger.settlement import aging_bucket
from acsasim.ledger.statements import (
    BUCKETS,
    in_reporting,
    receivable_side,
    running_balances,
    statement,
)

MakeOrder = Callable[..., Order]
CONV = Converter({"USD": 1, "JPY": 100, "PHP": 50}, "USD")
D = Decimal
DAY = 24.0


@pytest.fixture(name="orders")
def orders_fixture(make_order: MakeOrder) -> dict[str, Order]:
    """O1: PH diesel to JP, due day 10 after t=10; O2: JP rations to PH; O3: PH water to JP."""
    return {
        "O1": make_order("O1", "PH", "JP", delivered_at=10.0, due_at=250.0, status="open"),
        "O2": make_order(
            "O2", "JP", "PH", commodity="ration", currency="JPY", value=D("1080000"),
            delivered_at=20.0, due_at=1460.0, status="open", method="cash",
        ),
        "O3": make_order(
            "O3", "PH", "JP", commodity="water", value=D("1000.00"),
            delivered_at=30.0, due_at=1470.0, status="open",
        ),
    }  # fmt: skip


@pytest.fixture(name="ledger")
def ledger_fixture(orders: dict[str, Order]) -> HandBooks:
    o1, o2, o3 = orders["O1"], orders["O2"], orders["O3"]
    ledger = HandBooks()
    for o in (o1, o2, o3):
        ledger.add_order(o)
        ledger.post_issue(o.delivered_at, o)  # t=10, 20, 30
    ledger.post(50.0, "return_in_kind", hand.return_postings(o1, D("80000.00")), "O1")
    ledger.post(60.0, "invoice", hand.invoice_postings(o2, D("1080000")), "O2")
    # R10: 1000 PHP = 20 USD = 2000 JPY, one transaction per order
    ledger.post(70.0, "equal_value", hand.reduce_postings(o3, D("1000.00"), D(0)), "O3")
    ledger.post(70.0, "equal_value", hand.reduce_postings(o2, D("2000"), D("2000")), "O2")
    ledger.post(100.0, "payment", hand.payment_postings(o2, D("500000")), "O2")
    ledger.post(250.0, "conversion", hand.invoice_postings(o1, D("400000.00")), "O1")  # R12
    # R13: 100000 PHP = 2000 USD = 200000 JPY
    ledger.post(400.0, "offset", hand.reduce_postings(o1, D("100000.00"), D("100000.00")), "O1")
    ledger.post(400.0, "offset", hand.reduce_postings(o2, D("200000"), D("200000")), "O2")
    return ledger


def _statement(ledger: HandBooks, as_of: float, a: str = "JP", b: str = "PH", start=None):
    return statement(ledger.transactions, ledger.orders, a, b, as_of, CONV, start)


def test_lines_running_balances_and_closing(ledger: HandBooks) -> None:
    s = _statement(ledger, 400.0)
    got = [
        (x.txn_id, x.kind, x.order_id, x.currency, x.amount, x.change, x.balance) for x in s.lines
    ]
    assert got == [
        (1, "issue", "O1", "PHP", D("480000.00"), D("-480000.00"), D("-480000.00")),
        (2, "issue", "O2", "JPY", D("1080000"), D("1080000"), D("1080000")),
        (3, "issue", "O3", "PHP", D("1000.00"), D("-1000.00"), D("-481000.00")),
        (4, "return_in_kind", "O1", "PHP", D("80000.00"), D("80000.00"), D("-401000.00")),
        (5, "invoice", "O2", "JPY", D("1080000"), D("0"), D("1080000")),
        (6, "equal_value", "O3", "PHP", D("1000.00"), D("1000.00"), D("-400000.00")),
        (7, "equal_value", "O2", "JPY", D("2000"), D("-2000"), D("1078000")),
        (8, "payment", "O2", "JPY", D("500000"), D("-500000"), D("578000")),
        (9, "conversion", "O1", "PHP", D("400000.00"), D("0.00"), D("-400000.00")),
        (10, "offset", "O1", "PHP", D("100000.00"), D("100000.00"), D("-300000.00")),
        (11, "offset", "O2", "JPY", D("200000"), D("-200000"), D("378000")),
    ]  # fmt: skip
    assert [x.time for x in s.lines] == [10.0, 20.0, 30.0, 50.0, 60.0, 70.0, 70.0, 100.0, 250.0,
                                         400.0, 400.0]  # fmt: skip
    assert (s.a, s.b, s.start, s.as_of, s.reporting) == ("JP", "PH", None, 400.0, "USD")
    assert [(x.creditor, x.debtor, x.commodity) for x in s.lines[:2]] == [
        ("PH", "JP", "diesel"),
        ("JP", "PH", "ration"),
    ]
    assert s.opening == {}
    assert s.closing == {"JPY": D("378000"), "PHP": D("-300000.00")}
    assert s.closing_reporting == D("-2220.00")  # 3780 - 6000 USD
    assert s.receivables == {
        ("Assets:JP:Receivable:PH:Invoiced", "JPY"): D("378000"),
        ("Assets:PH:Receivable:JP:Invoiced", "PHP"): D("300000.00"),
    }


def test_running_balances_keep_each_currency_apart(ledger: HandBooks) -> None:
    """After each line, every currency's balance in its own currency, never a sum of yen and
    pesos; `in_reporting` adds them at the rates, converted exactly and rounded once."""
    s = _statement(ledger, 400.0)
    runs = running_balances(s)
    assert len(runs) == len(s.lines) + 1 and runs[0] == {"JPY": D(0), "PHP": D(0)}
    assert runs[1] == {"JPY": D(0), "PHP": D("-480000.00")}
    assert runs[2] == {"JPY": D("1080000"), "PHP": D("-480000.00")}
    for line, after in zip(s.lines, runs[1:], strict=True):
        assert after[line.currency] == line.balance
    assert runs[-1] == s.closing
    assert in_reporting(runs[2], CONV) == D("1200.00")  # 1080000/100 - 480000/50 = 10800 - 9600
    assert in_reporting(runs[-1], CONV) == s.closing_reporting


def test_the_other_party_first_flips_every_sign(ledger: HandBooks) -> None:
    s, r = _statement(ledger, 400.0), _statement(ledger, 400.0, "PH", "JP")
    assert [x.change for x in r.lines] == [-x.change for x in s.lines]
    assert r.closing == {c: -v for c, v in s.closing.items()}
    assert r.closing_reporting == -s.closing_reporting
    assert r.aging == (s.aging[1], s.aging[0])


def test_a_past_as_of_sees_only_what_was_booked_by_then(ledger: HandBooks) -> None:
    s = _statement(ledger, 60.0)  # inclusive: the invoice at t=60 is in
    assert [x.txn_id for x in s.lines] == [1, 2, 3, 4, 5]
    assert s.closing == {"JPY": D("1080000"), "PHP": D("-401000.00")}
    assert s.receivables == {
        ("Assets:JP:Receivable:PH:Invoiced", "JPY"): D("1080000"),
        ("Assets:PH:Receivable:JP", "PHP"): D("401000.00"),
    }
    assert _statement(ledger, 9.0).lines == ()


def test_a_statement_may_start_where_it_ends(ledger: HandBooks) -> None:
    s = _statement(ledger, 70.0, start=70.0)
    assert (s.start, s.as_of, s.lines) == (70.0, 70.0, ())
    assert s.opening == s.closing == {"JPY": D("1078000"), "PHP": D("-400000.00")}


def test_opening_balance_at_start_then_lines_after_it(ledger: HandBooks) -> None:
    s = _statement(ledger, 400.0, start=70.0)
    assert s.opening == {"JPY": D("1078000"), "PHP": D("-400000.00")}
    assert [x.txn_id for x in s.lines] == [8, 9, 10, 11]
    assert s.lines[0].balance == D("578000")
    assert s.closing == _statement(ledger, 400.0).closing


@pytest.mark.parametrize("as_of", [0.0, 10.0, 30.0, 55.5, 70.0, 100.0, 250.0, 399.0, 400.0, 1e6])
def test_statement_equals_balances_as_of_r15(ledger: HandBooks, as_of: float) -> None:
    """For any as_of, the pair's receivables and net balance are what the ledger says."""
    hand.check_statement(ledger, as_of, "JP", "PH", CONV)


def test_open_items_and_aging_at_the_last_offset(ledger: HandBooks) -> None:
    s = _statement(ledger, 400.0)
    items = {i.order_id: (i.outstanding, i.due_at, i.days_overdue, i.bucket) for i in s.open_items}
    # O1 due at 250h: 150h late = 6.25 days, counted as 7; O2 not due before 1460h
    assert items == {
        "O1": (D("300000.00"), 250.0, 7, "1-30"),
        "O2": (D("378000"), 1460.0, 0, "not_due"),
    }
    ph_owes_jp, jp_owes_ph = s.aging
    assert (ph_owes_jp.creditor, ph_owes_jp.debtor) == ("JP", "PH")
    assert dict(ph_owes_jp.buckets) == {
        **dict.fromkeys(BUCKETS, D("0.00")),
        "not_due": D("3780.00"),
    }
    assert dict(jp_owes_ph.buckets) == {**dict.fromkeys(BUCKETS, D("0.00")), "1-30": D("6000.00")}
    assert (ph_owes_jp.total, jp_owes_ph.total) == (D("3780.00"), D("6000.00"))


@pytest.mark.parametrize(
    ("as_of", "bucket"),
    [
        (250.0, "not_due"),  # on the due date: not yet overdue
        (251.0, "1-30"),  # an hour late is day 1
        (250.0 + 30 * DAY, "1-30"),
        (250.0 + 30 * DAY + 1, "31-90"),
        (250.0 + 90 * DAY, "31-90"),
        (250.0 + 91 * DAY, "91-180"),
        (250.0 + 180 * DAY, "91-180"),
        (250.0 + 181 * DAY, "181-365"),
        (250.0 + 365 * DAY, "181-365"),
        (250.0 + 366 * DAY, "over_365"),
    ],
)
def test_aging_bucket_of_o1_at_chosen_dates_r12(
    ledger: HandBooks, as_of: float, bucket: str
) -> None:
    s = _statement(ledger, as_of)
    o1 = next(i for i in s.open_items if i.order_id == "O1")
    assert o1.bucket == bucket
    assert dict(s.aging[1].buckets)[bucket] == o1.outstanding_reporting  # only O1 is JP's debt


def test_aging_adds_the_orders_of_one_bucket(ledger: HandBooks) -> None:
    s = _statement(ledger, 60.0)  # O1 and O3, both PH's and not yet due
    assert {i.order_id: i.outstanding for i in s.open_items if i.creditor == "PH"} == {
        "O1": D("400000.00"), "O3": D("1000.00"),
    }  # fmt: skip
    # PHP 401,000.00 / 50 = USD 8,020.00
    assert dict(s.aging[1].buckets)["not_due"] == s.aging[1].total == D("8020.00")


def test_a_balance_with_no_due_date_is_not_due(ledger: HandBooks, make_order) -> None:
    """An order booked without a due date (books of an older engine) is aged as not yet due."""
    o9 = make_order("O9", "PH", "JP", value=D("50.00"), delivered_at=5.0, status="open")
    ledger.add_order(o9)
    ledger.post_issue(500.0, o9)
    item = next(i for i in _statement(ledger, 9000.0).open_items if i.order_id == "O9")
    assert (item.due_at, item.days_overdue, item.bucket) == (None, 0, "not_due")
    assert item.outstanding_reporting == D("1.00")


def test_aging_before_conversion_counts_the_plain_and_invoiced_parts(ledger: HandBooks) -> None:
    s = _statement(ledger, 100.0)
    items = {i.order_id: i.outstanding for i in s.open_items}
    assert items == {"O1": D("400000.00"), "O2": D("578000")}  # O3 settled by netting
    assert s.aging[0].total == D("5780.00") and s.aging[1].total == D("8000.00")


def test_bucket_edges() -> None:
    edges = {0: "not_due", 1: "1-30", 30: "1-30", 31: "31-90", 90: "31-90", 91: "91-180"}
    edges |= {180: "91-180", 181: "181-365", 365: "181-365", 366: "over_365", 5000: "over_365"}
    assert {d: aging_bucket(d) for d in edges} == edges


def test_other_pairs_and_other_accounts_are_left_out(ledger: HandBooks, make_order) -> None:
    us = make_order("O9", "US", "JP", currency="USD", value=D("10.00"), delivered_at=5.0)
    ledger.add_order(us)
    ledger.post_issue(5.0, us)
    s = _statement(ledger, 400.0)
    assert "O9" not in {x.order_id for x in s.lines}
    assert receivable_side("Assets:JP:Receivable:PH:Invoiced", "JP", "PH") == ("JP", "PH")
    assert receivable_side("Liabilities:PH:Payable:JP", "JP", "PH") is None
    assert receivable_side("Assets:JP:Receivable:US", "JP", "PH") is None
    assert receivable_side("Assets:JP:Cash", "JP", "PH") is None


def test_refuses_one_party_twice_and_a_start_after_as_of(ledger: HandBooks) -> None:
    with pytest.raises(ValueError, match="two parties"):
        _statement(ledger, 10.0, "JP", "JP")
    with pytest.raises(ValueError, match="after as_of"):
        _statement(ledger, 10.0, start=20.0)


def _random_order(data: st.DataObject, make_order: MakeOrder, i: int) -> Order:
    """JP rations in JPY or PH diesel in PHP, delivered at t=i and due two days later."""
    if data.draw(st.booleans(), label=f"O{i} from JP"):
        value, parties = D(data.draw(st.integers(1, 10**7))), ("JP", "PH", "JPY")
    else:
        value, parties = D(data.draw(st.integers(1, 10**8))).scaleb(-2), ("PH", "JP", "PHP")
    provider, receiver, cur = parties
    return make_order(
        f"O{i}", provider, receiver, currency=cur, value=value,
        delivered_at=float(i), due_at=float(i + 48), status="open",
    )  # fmt: skip


def _part(order: Order, left: Decimal) -> Decimal:
    """About a third of what is left, at least one minor unit, never more than is left."""
    unit = D(1) if order.currency == "JPY" else D("0.01")
    return min(left, max(unit, (left / 3).quantize(unit)))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_random_books_agree_with_balances_as_of(data: st.DataObject, make_order) -> None:
    """Random issues, invoices and reductions on random orders of both directions: at every
    past as_of the statement equals the ledger, and each order's outstanding is what is left."""
    ledger, left, invoiced = HandBooks(), {}, {}
    for i in range(data.draw(st.integers(1, 4), label="orders")):
        o = _random_order(data, make_order, i)
        ledger.add_order(o)
        ledger.post_issue(o.delivered_at, o)
        left[o.order_id], invoiced[o.order_id] = o.value, D(0)
    time = float(len(left))
    for _ in range(data.draw(st.integers(0, 12), label="steps")):
        o = ledger.order(data.draw(st.sampled_from(sorted(left))))
        if not left[o.order_id]:
            continue
        time += data.draw(st.sampled_from([0.0, 1.0, 30.0]))
        part = _part(o, left[o.order_id])
        if data.draw(st.booleans()) and invoiced[o.order_id] < left[o.order_id]:
            amount = min(part, left[o.order_id] - invoiced[o.order_id])
            ledger.post(time, "invoice", hand.invoice_postings(o, amount), o.order_id)
            invoiced[o.order_id] += amount
        else:
            inv = min(part, invoiced[o.order_id])
            ledger.post(time, "offset", hand.reduce_postings(o, part, inv), o.order_id)
            left[o.order_id] -= part
            invoiced[o.order_id] -= inv
    ledger.verify()
    for as_of in sorted({0.0, time, time + 1e4, *(t.time for t in ledger.transactions)}):
        hand.check_statement(ledger, as_of, "JP", "PH", CONV)
    final = _statement(ledger, time)
    assert {i.order_id: i.outstanding for i in final.open_items} == {
        k: v for k, v in left.items() if v
    }
