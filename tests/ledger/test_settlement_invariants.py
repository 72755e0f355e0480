"""The settlement state machine under any order of its steps (R8-R13, R15): whatever the
simulation asks and when, the books balance and every order's figures stay sound.

Random steps on three orders (two PH -> JP in PHP, one JP -> PH in JPY), delivered at the
start or later: invoices, payments, deadlines, returns in kind leaving and arriving, nettings
at equal value and offsets. After each step the journal passes R15 and, for every order:
- nothing is settled beyond its value, nor returned beyond its quantity;
- what is on its way back is what was reserved for it (R9);
- the receivable of each direction is exactly what its delivered orders still owe, and its
  invoiced part what they were invoiced and have not paid (R11, R15);
- once an order is invoiced, all that is free of it is invoiced (the rule the hand-judged
  equivalent mutants of settlement.py rest on, tools/mutation_equivalents.toml).
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from acsasim.ledger import Books, Converter, StockBook
from acsasim.ledger import settlement as rules
from acsasim.vocab import Method, Status, TxnKind

CONV = Converter({"USD": 1, "PHP": 50, "JPY": 150}, "USD")
ORDERS = (  # (provider, receiver, currency, method, quantity, value)
    ("PH", "JP", "PHP", Method.REPLACEMENT_IN_KIND, 7, 1_001),
    ("PH", "JP", "PHP", Method.CASH, 3, 250),
    ("JP", "PH", "JPY", Method.EQUAL_VALUE_EXCHANGE, 5, 40),
)
STEPS = ("deliver", "invoice", "pay", "deadline", "send", "arrive", "net", "offset")


def _books() -> Books:
    b = Books(StockBook(["ph", "jp"], ["PH", "JP"], ["diesel"], [1]), CONV)
    for provider, receiver, cur, _, quantity, value in ORDERS:
        b.orders.add(
            agreement="JP-PH", provider_party=provider, provider=provider.lower(),
            receiver_party=receiver, receiver=receiver.lower(), commodity="diesel", scale=1,
            quantity=quantity, unit="L", activity="exercise", requested_at=0.0, currency=cur,
            value=value, value_reporting=CONV.reporting_minor(value, cur), tax_waived=0,
        )  # fmt: skip
    return b


@settings(max_examples=500, deadline=None)
@example([True, True, True], [("invoice", 1, 1), ("send", 1, 2), ("arrive", 1, 1), ("pay", 1, 1)])
@example([False, False, True], [("invoice", 2, 1), ("send", 2, 1), ("pay", 2, 1)])
@given(st.lists(st.booleans(), min_size=3, max_size=3),
       st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 2), st.integers(1, 4)),
                max_size=40))  # fmt: skip
def test_any_order_of_steps_keeps_the_books_sound(at_start: list[bool], steps) -> None:
    b = _books()
    o = b.orders
    for row in range(3):
        if at_start[row]:
            rules.deliver(b, row, 0.0, ORDERS[row][3], 10.0)
    on_way: list[list[tuple[int, int]]] = [[], [], []]  # per order: (quantity, value) shipped
    for time, (step, row, n) in enumerate(steps, start=1):
        t = float(time)
        delivered = o.status[row] != Status.IN_TRANSIT
        if step == "deliver" and not delivered:
            rules.deliver(b, row, t, ORDERS[row][3], t + 10)
        elif step == "invoice" and delivered:
            rules.invoice(b, row, t, TxnKind.CONVERSION if n > 2 else TxnKind.INVOICE)
        elif step == "pay":
            rules.pay(b, row, t)
        elif step == "deadline":
            rules.deadline(b, row, "convert_to_cash" if n % 2 else "stay_overdue")
        elif step == "send":
            quantity = min(n, rules.returnable(b, row, on_hand=100, keep=0))
            if quantity > 0:
                on_way[row].append((quantity, rules.send_back(b, row, quantity)))
        elif step == "arrive" and on_way[row]:
            quantity, value = on_way[row].pop(0)
            rules.returned(b, row, t, quantity, value)
        elif step in ("net", "offset") and delivered and o.status[2] != Status.IN_TRANSIT:
            kind = TxnKind.OFFSET if step == "offset" else TxnKind.EQUAL_VALUE
            if row < 2:
                rules.net(b, row, 2, t, kind)
        b.check()
        _check_orders(b, on_way)
    b.check_all()


def _check_orders(b: Books, on_way: list[list[tuple[int, int]]]) -> None:
    o = b.orders
    owed = {"PHP": 0, "JPY": 0}
    invoiced = {"PHP": 0, "JPY": 0}
    for row in range(len(o)):
        assert 0 <= o.settled_value[row] <= o.value[row]
        assert 0 <= o.settled_quantity[row] <= o.quantity[row]
        assert o.returning[row] == sum(q for q, _ in on_way[row])
        assert o.reserved[row] == sum(v for _, v in on_way[row])
        assert o.free(row) >= 0
        if o.invoiced[row]:
            assert o.invoiced[row] >= o.free(row)
        if o.status[row] in (Status.SETTLED, Status.OFFSET):
            assert o.settled_value[row] == o.value[row]
        if o.status[row] != Status.IN_TRANSIT:
            owed[o.currency[row]] += o.owed_value(row)
            invoiced[o.currency[row]] += o.invoiced[row]
    j = b.journal
    for rec, cur in (("Assets:PH:Receivable:JP", "PHP"), ("Assets:JP:Receivable:PH", "JPY")):
        assert j.balance(rec, cur) + j.balance(rec + ":Invoiced", cur) == owed[cur]
        assert j.balance(rec + ":Invoiced", cur) == invoiced[cur]
