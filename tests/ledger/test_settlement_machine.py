"""The settlement state machine (ledger/settlement.py) on books made by hand: what each step
does to an order's status and which balanced postings record it (R8-R13, R15).

The simulation decides when a step happens (tests/sim/test_settlement_rules.py runs whole
scenarios); here each step is called on its own and its books are worked out by hand.
Rates: USD 1 = PHP 50 = JPY 150, so PHP 1 = JPY 3. PH provides in PHP (two decimals), JP in
JPY (none). Amounts in the order table and the journal are integer minor units.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from acsasim.ledger import Books, Converter, StockBook
from acsasim.ledger import settlement as rules
from acsasim.vocab import Method, Status, TxnKind

CONV = Converter({"USD": 1, "PHP": 50, "JPY": 150}, "USD")
D = Decimal
PH_REC, JP_PAY = "Assets:PH:Receivable:JP", "Liabilities:JP:Payable:PH"
JP_REC, PH_PAY = "Assets:JP:Receivable:PH", "Liabilities:PH:Payable:JP"
INV = ":Invoiced"


def new_books() -> Books:
    return Books(StockBook(["ph-depot", "jp-coy"], ["PH", "JP"], ["diesel"], [1]), CONV)


def order(b: Books, value: int, quantity: int = 10, provider: str = "PH") -> int:
    """An order in transit of `quantity` litres worth `value` minor units of the provider's
    currency (PH -> JP in PHP, JP -> PH in JPY)."""
    receiver, cur = ("JP", "PHP") if provider == "PH" else ("PH", "JPY")
    return b.orders.add(
        agreement="JP-PH", provider_party=provider, provider=f"{provider.lower()}-holder",
        receiver_party=receiver, receiver=f"{receiver.lower()}-holder", commodity="diesel",
        scale=1, quantity=quantity, unit="L", activity="exercise", requested_at=0.0,
        currency=cur, value=value, value_reporting=CONV.reporting_minor(value, cur),
        tax_waived=0,
    )  # fmt: skip


def delivered(b: Books, value: int, method: Method, quantity: int = 10, provider="PH") -> int:
    """An order delivered at t=1, due at t=721 (30 days)."""
    row = order(b, value, quantity, provider)
    rules.deliver(b, row, 1.0, method, 721.0)
    return row


def last(b: Books, back: int = 1) -> tuple[str, str | None, set[tuple[str, Decimal, str]]]:
    """(kind, order, legs) of the last transaction (or the one `back` from the end); the books
    pass the R15 checks."""
    b.check_all()
    t = b.journal.transactions()[-back]
    return t.kind, t.order_id, {(p.account, p.amount, p.currency) for p in t.postings}


def reduced(rec: str, pay: str, amount: str, cur: str) -> set[tuple[str, Decimal, str]]:
    return {(rec, -D(amount), cur), (pay, D(amount), cur)}


# --- R8: delivery and method ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("methods", "service", "method"),
    [
        (["equal_value_exchange", "cash"], False, Method.EQUAL_VALUE_EXCHANGE),
        (["replacement_in_kind", "cash"], False, Method.REPLACEMENT_IN_KIND),
        (["replacement_in_kind", "equal_value_exchange"], True, Method.EQUAL_VALUE_EXCHANGE),
        (["replacement_in_kind"], True, Method.CASH),  # a service is never returned in kind
        ([], False, Method.CASH),
    ],
)
def test_r8_the_receivers_first_method_that_applies(
    methods: list[str], service: bool, method: Method
) -> None:
    assert rules.method_for(methods, service) is method


def test_r8_delivery_books_the_issue_on_both_sides() -> None:
    b = new_books()
    row = delivered(b, 100_000, Method.REPLACEMENT_IN_KIND)  # PHP 1,000.00
    o = b.orders
    assert (o.status[row], o.method[row], o.delivered_at[row], o.due_at[row]) == (
        Status.OPEN, Method.REPLACEMENT_IN_KIND, 1.0, 721.0,
    )  # fmt: skip
    assert last(b) == ("issue", "O00001", {
        (PH_REC, D("1000.00"), "PHP"), ("Income:PH:Provided", D("-1000.00"), "PHP"),
        ("Expenses:JP:Received", D("1000.00"), "PHP"), (JP_PAY, D("-1000.00"), "PHP"),
    })  # fmt: skip


# --- R11: invoice and payment -----------------------------------------------------------------


def test_r11_a_cash_order_is_invoiced_once_and_paid_in_full() -> None:
    b = new_books()
    row = delivered(b, 100_000, Method.CASH)
    assert rules.invoice(b, row, 10.0) == 100_000
    assert last(b) == ("invoice", "O00001", {
        (PH_REC, D("-1000.00"), "PHP"), (PH_REC + INV, D("1000.00"), "PHP"),
        (JP_PAY, D("1000.00"), "PHP"), (JP_PAY + INV, D("-1000.00"), "PHP"),
    })  # fmt: skip
    assert (rules.invoice(b, row, 11.0), len(b.journal)) == (0, 2)  # already invoiced
    assert rules.pay(b, row, 20.0) == 100_000
    assert last(b) == ("payment", "O00001", {
        *reduced(PH_REC + INV, JP_PAY + INV, "1000.00", "PHP"),
        ("Assets:PH:Cash", D("1000.00"), "PHP"), ("Assets:JP:Cash", D("-1000.00"), "PHP"),
    })  # fmt: skip
    o = b.orders
    assert (o.status[row], o.settled_at[row], o.settled_value[row], o.settled_quantity[row]) == (
        Status.SETTLED, 20.0, 100_000, 10,
    )  # fmt: skip
    # settled: nothing more to invoice or pay, and nothing booked for it
    assert (rules.pay(b, row, 21.0), rules.invoice(b, row, 22.0), len(b.journal)) == (0, 0, 3)


def test_r11_nothing_invoiced_nothing_paid() -> None:
    b = new_books()
    in_transit = order(b, 100_000)
    assert (rules.invoice(b, in_transit, 5.0), rules.pay(b, in_transit, 5.0)) == (0, 0)
    row = delivered(b, 100_000, Method.CASH)
    assert rules.pay(b, row, 6.0) == 0  # open, but no invoice yet
    assert len(b.journal) == 1 and b.orders.status[row] == Status.OPEN


def test_r11_one_centavo_is_invoiced_and_paid() -> None:
    b = new_books()
    row = delivered(b, 1, Method.CASH)
    assert (rules.invoice(b, row, 2.0), rules.pay(b, row, 3.0)) == (1, 1)
    assert b.orders.status[row] == Status.SETTLED


# --- R12: deadline and conversion -------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "on_deadline", "steps"),
    [
        (Method.REPLACEMENT_IN_KIND, "convert_to_cash", [Status.OVERDUE, Status.CONVERTED]),
        (Method.EQUAL_VALUE_EXCHANGE, "convert_to_cash", [Status.OVERDUE, Status.CONVERTED]),
        (Method.CASH, "convert_to_cash", [Status.OVERDUE]),  # cash is already cash
        (Method.REPLACEMENT_IN_KIND, "stay_overdue", [Status.OVERDUE]),
    ],
)
def test_r12_an_open_order_past_its_due_date(
    method: Method, on_deadline: str, steps: list[Status]
) -> None:
    b = new_books()
    row = delivered(b, 100_000, method)
    assert rules.deadline(b, row, on_deadline) == steps
    assert b.orders.status[row] == steps[-1]


def test_r12_only_an_open_order_falls_due() -> None:
    b = new_books()
    in_transit, settled = order(b, 100), delivered(b, 100, Method.CASH)
    rules.invoice(b, settled, 2.0)
    rules.pay(b, settled, 3.0)
    for row in (in_transit, settled):
        before = b.orders.status[row]
        assert rules.deadline(b, row, "convert_to_cash") == []
        assert b.orders.status[row] == before


def test_r12_conversion_invoices_what_is_not_on_its_way_back() -> None:
    """PHP 0.10 for 3 L: 1 L (PHP 0.03) is on its way back when the order converts; the
    conversion invoices the other 0.07, the return settles its 0.03 when it arrives."""
    b = new_books()
    row = delivered(b, 10, Method.REPLACEMENT_IN_KIND, quantity=3)
    assert rules.send_back(b, row, 1) == 3
    rules.deadline(b, row, "convert_to_cash")
    assert rules.invoice(b, row, 721.0, TxnKind.CONVERSION) == 7
    assert last(b)[0] == "conversion"
    assert rules.pay(b, row, 725.0) == 7
    assert (rules.pay(b, row, 726.0), b.orders.status[row]) == (0, Status.CONVERTED)  # paid once
    rules.returned(b, row, 730.0, 1, 3)
    assert last(b)[2] >= reduced(PH_REC, JP_PAY, "0.03", "PHP")
    assert b.orders.status[row] == Status.SETTLED


# --- R10, R13: equal value and offset ---------------------------------------------------------


def test_r10_equal_values_net_the_smaller_balance_in_full() -> None:
    b = new_books()
    php = delivered(b, 100_000, Method.EQUAL_VALUE_EXCHANGE)  # PHP 1,000.00 = JPY 3,000
    jpy = delivered(b, 4_500, Method.CASH, provider="JP")  # JPY 4,500
    assert rules.equal_values(b, php, jpy) == (100_000, 3_000)
    assert rules.equal_values(b, jpy, php) == (3_000, 100_000)
    even = delivered(b, 1_500, Method.CASH, provider="JP")  # JPY 1,500 = PHP 500.00
    assert rules.equal_values(b, php, even) == (50_000, 1_500)


@pytest.mark.parametrize(
    ("php", "jpy", "values"),
    [
        (1, 1_000, (1, 0)),  # PHP 0.01 = JPY 0.03: rounds to no yen
        (100_000, 1, (33, 1)),  # JPY 1 = PHP 0.3333: 33 centavos
        (1_000, 30, (1_000, 30)),  # PHP 10.00 = JPY 30 exactly
    ],
)
def test_r10_equal_values_round_half_up_on_the_larger_side(
    php: int, jpy: int, values: tuple[int, int]
) -> None:
    b = new_books()
    a = delivered(b, php, Method.EQUAL_VALUE_EXCHANGE)
    c = delivered(b, jpy, Method.CASH, provider="JP")
    assert rules.equal_values(b, a, c) == values
    assert rules.equal_values(b, c, a) == values[::-1]


def test_r10_netting_books_one_transaction_per_order() -> None:
    b = new_books()
    php = delivered(b, 100_000, Method.EQUAL_VALUE_EXCHANGE)
    jpy = delivered(b, 4_500, Method.CASH, provider="JP", quantity=9)
    assert rules.net(b, php, jpy, 50.0, TxnKind.EQUAL_VALUE) is True
    assert last(b, 2) == ("equal_value", "O00001", reduced(PH_REC, JP_PAY, "1000.00", "PHP"))
    assert last(b) == ("equal_value", "O00002", reduced(JP_REC, PH_PAY, "3000", "JPY"))
    o = b.orders
    assert (o.status[php], o.settled_at[php], o.settled_value[php]) == (
        Status.SETTLED,
        50.0,
        100_000,
    )
    # JPY 3,000 of 4,500 settled: 6 of the 9 L
    assert (o.status[jpy], o.settled_value[jpy], o.settled_quantity[jpy]) == (Status.OPEN, 3_000, 6)


def test_r10_a_balance_worth_less_than_half_a_unit_does_not_net() -> None:
    b = new_books()
    a = delivered(b, 1, Method.EQUAL_VALUE_EXCHANGE)  # PHP 0.01 = JPY 0.03
    c = delivered(b, 1_000, Method.CASH, provider="JP")
    assert rules.net(b, a, c, 5.0, TxnKind.EQUAL_VALUE) is False
    assert rules.net(b, c, a, 5.0, TxnKind.EQUAL_VALUE) is False
    assert len(b.journal) == 2 and b.orders.settled_value[a] == b.orders.settled_value[c] == 0


@pytest.mark.parametrize("yen_first", [True, False])
def test_r10_one_yen_nets_against_its_33_centavos(yen_first: bool) -> None:
    b = new_books()
    yen = delivered(b, 1, Method.EQUAL_VALUE_EXCHANGE, provider="JP")
    php = delivered(b, 100_000, Method.CASH)
    pair = (yen, php) if yen_first else (php, yen)
    assert rules.net(b, *pair, 5.0, TxnKind.EQUAL_VALUE) is True
    assert (b.orders.settled_value[php], b.orders.status[yen]) == (33, Status.SETTLED)


def test_r10_no_float_anywhere_balances_beyond_2_to_the_53_net_exactly() -> None:
    """PHP 23,733,594,077,760,976.57 is JPY 71,200,782,233,282,929.71, one yen less than the
    JPY 71,200,782,233,282,931 it nets against: the pesos settle in full, the yen all but one."""
    b = new_books()
    php = delivered(b, 2_373_359_407_776_097_657, Method.EQUAL_VALUE_EXCHANGE)
    yen = delivered(b, 71_200_782_233_282_931, Method.CASH, provider="JP")
    assert rules.equal_values(b, php, yen) == (2_373_359_407_776_097_657, 71_200_782_233_282_930)
    assert rules.equal_values(b, yen, php) == (71_200_782_233_282_930, 2_373_359_407_776_097_657)


def test_r13_an_offset_of_a_converted_balance_clears_its_invoice_first() -> None:
    b = new_books()
    php = delivered(b, 100_000, Method.REPLACEMENT_IN_KIND)
    rules.deadline(b, php, "convert_to_cash")
    rules.invoice(b, php, 721.0, TxnKind.CONVERSION)
    jpy = delivered(b, 9_000, Method.CASH, provider="JP")  # JPY 9,000 = PHP 3,000.00
    assert rules.net(b, php, jpy, 800.0, TxnKind.OFFSET) is True
    o = b.orders
    assert (o.status[php], o.invoiced[php], o.status[jpy]) == (Status.OFFSET, 0, Status.OPEN)
    assert last(b, 2) == ("offset", "O00001", reduced(PH_REC + INV, JP_PAY + INV, "1000.00", "PHP"))
    assert rules.pay(b, php, 900.0) == 0  # nothing left invoiced to pay
    b.check_all()


# --- R9: replacement in kind ------------------------------------------------------------------


def test_r9_what_may_be_returned_now() -> None:
    b = new_books()
    row = delivered(b, 1_000, Method.REPLACEMENT_IN_KIND)  # 10 L, PHP 10.00
    assert rules.returnable(b, row, on_hand=15, keep=10) == 5  # the stock above its keep
    assert rules.returnable(b, row, on_hand=100, keep=0) == 10  # no more than is owed
    assert rules.returnable(b, row, on_hand=8, keep=10) == 0  # below its keep: nothing
    rules.send_back(b, row, 4)
    assert rules.returnable(b, row, on_hand=100, keep=0) == 6  # 4 already on their way
    rules.deadline(b, row, "convert_to_cash")
    assert rules.returnable(b, row, on_hand=100, keep=0) == 0  # converted: cash now (R12)


def test_r9_an_order_invoiced_for_cash_is_not_repaid_in_kind() -> None:
    """Once invoiced (R11), an order is paid in cash: a return in kind on top of the payment
    would pay PH twice for the same litres (before this rule, PHP 10.00 paid in cash and 3.00
    in kind left PH owing JP 3.00, the books balanced all the same)."""
    b = new_books()
    row = delivered(b, 1_000, Method.CASH)
    rules.invoice(b, row, 2.0)
    assert rules.returnable(b, row, on_hand=100, keep=0) == 0


def test_r9_a_centavo_is_returned_and_nothing_once_all_value_is_on_its_way() -> None:
    b = new_books()
    cent = delivered(b, 1, Method.REPLACEMENT_IN_KIND, quantity=3)
    assert rules.returnable(b, cent, on_hand=10, keep=0) == 3
    two = delivered(b, 2, Method.REPLACEMENT_IN_KIND, quantity=3)  # PHP 0.02 for 3 L
    assert (rules.send_back(b, two, 1), rules.send_back(b, two, 1)) == (1, 1)
    # both centavos are on their way with 2 L: the last litre is worth nothing to return
    assert rules.returnable(b, two, on_hand=10, keep=0) == 0


def test_r9_a_return_in_parts_settles_to_the_centavo() -> None:
    """PHP 0.10 for 3 L returned a litre at a time, all three on their way at once: 0.03,
    0.03 and the 0.04 left, never a centavo open or settled twice."""
    b = new_books()
    row = delivered(b, 10, Method.REPLACEMENT_IN_KIND, quantity=3)
    assert [rules.send_back(b, row, 1) for _ in range(3)] == [3, 3, 4]
    assert b.orders.free(row) == 0
    for t, value in ((30.0, 3), (31.0, 3), (32.0, 4)):
        rules.returned(b, row, t, 1, value)
    assert last(b) == ("return_in_kind", "O00001", {
        *reduced(PH_REC, JP_PAY, "0.04", "PHP"),
        ("Expenses:PH:Received", D("0.04"), "PHP"), ("Income:JP:Provided", D("-0.04"), "PHP"),
    })  # fmt: skip
    o = b.orders
    assert (o.status[row], o.settled_value[row], o.settled_quantity[row], o.settled_at[row]) == (
        Status.SETTLED, 10, 3, 32.0,
    )  # fmt: skip


def test_r9_returns_arriving_between_departures_settle_their_own_quantity() -> None:
    b = new_books()
    row = delivered(b, 10, Method.REPLACEMENT_IN_KIND, quantity=3)
    assert rules.send_back(b, row, 1) == 3
    rules.returned(b, row, 30.0, 1, 3)
    o = b.orders
    assert (o.settled_quantity[row], o.settled_value[row], o.status[row]) == (1, 3, Status.OPEN)
    assert rules.returnable(b, row, on_hand=100, keep=0) == 2  # 1 of 3 L repaid
    assert (rules.send_back(b, row, 1), rules.send_back(b, row, 1)) == (3, 4)


@pytest.mark.parametrize(
    ("whole", "quantity", "part", "left", "value_left", "value"),
    [
        (1_000, 8, 3, 8, 1_000, 375),  # its share: 3/8 of 1,000
        (10, 3, 1, 3, 10, 3),  # 3.33 -> 3
        (20, 3, 1, 3, 20, 7),  # 6.67 -> 7
        (10, 3, 2, 3, 5, 5),  # never more than is left
        (10, 3, 1, 1, 4, 4),  # the last part takes exactly what is left
    ],
)
def test_r9_the_value_of_a_part(
    whole: int, quantity: int, part: int, left: int, value_left: int, value: int
) -> None:
    assert rules.part_value(whole, quantity, part, left, value_left) == value


def test_r12_aging_buckets_count_from_the_due_date() -> None:
    days = {-5: "not_due", 0: "not_due", 0.5: "1-30", 30: "1-30", 30.5: "31-90", 365: "181-365",
            365.5: "over_365"}  # fmt: skip
    assert {d: rules.aging_bucket(d) for d in days} == days
