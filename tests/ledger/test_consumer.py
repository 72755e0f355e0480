"""Demand booked a tick at a time (R2, R15): `StockBook.consumer` keeps the same books as one
`move("consume", ...)` per commodity, which is what the engine did before it was made fast."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger import Flow, MaterielError, StockBook


def book_with(stock: dict[str, float]) -> StockBook:
    book = StockBook()
    for commodity, initial in stock.items():
        book.move(0, "unit", "JP", commodity, "initial", initial)
    return book


def test_a_tick_serves_what_is_on_hand_and_reports_the_rest() -> None:
    book = book_with({"diesel": 100.0, "water": 10.0})
    consumer = book.consumer("unit", "JP", [("diesel", [30.0, 30.0]), ("water", [4.0, 9.0])])
    assert consumer.tick(6.0, 0) == []
    short = consumer.tick(12.0, 1)
    assert short == [("water", 9.0, 3.0)]  # (commodity, demand, unmet): 6 left, 9 wanted
    assert book.on_hand("unit", "diesel") == 40.0
    assert book.on_hand("unit", "water") == 0.0
    # one consume row per day and commodity, first time kept, quantities and unmet summed
    assert book.flows[-2:] == [
        Flow(6.0, "unit", "JP", "diesel", "consume", -60.0, 0.0, None),
        Flow(6.0, "unit", "JP", "water", "consume", -10.0, 3.0, None),
    ]
    book.check_conservation()


def test_a_new_day_or_another_movement_starts_a_new_row() -> None:
    book = book_with({"diesel": 100.0})
    consumer = book.consumer("unit", "JP", [("diesel", [1.0, 2.0, 4.0, 8.0])])
    consumer.tick(0.0, 0)
    consumer.tick(12.0, 1)
    book.move(12.0, "unit", "JP", "diesel", "acsa_receipt", 5.0, order_id="O1")
    consumer.tick(18.0, 2)  # same day, but the receipt stands between: a new row
    consumer.tick(24.0, 3)  # a new day
    kinds = [(f.time, f.kind, f.quantity) for f in book.flows[1:]]
    assert kinds == [
        (0.0, "consume", -3.0),
        (12.0, "acsa_receipt", 5.0),
        (18.0, "consume", -4.0),
        (24.0, "consume", -8.0),
    ]
    assert book.on_hand("unit", "diesel") == 100.0 - 15.0 + 5.0


def test_zero_demand_books_nothing() -> None:
    book = book_with({"diesel": 10.0})
    book.consumer("unit", "JP", [("diesel", [0.0])]).tick(0.0, 0)
    assert [f.kind for f in book.flows] == ["initial"]


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_demand_that_is_not_a_finite_quantity_is_refused(bad: float) -> None:
    with pytest.raises(MaterielError, match="diesel at unit must be finite and >= 0"):
        StockBook().consumer("unit", "JP", [("diesel", [1.0, bad, 2.0])])


def test_a_holder_keeps_its_party() -> None:
    with pytest.raises(MaterielError, match="unit: it belongs to JP, not PH"):
        book_with({"diesel": 10.0}).consumer("unit", "PH", [("diesel", [1.0])])


def test_time_may_not_go_back() -> None:
    book = book_with({"diesel": 10.0})
    book.move(30.0, "unit", "JP", "diesel", "loss", -1.0)
    with pytest.raises(MaterielError, match="time goes back"):
        book.consumer("unit", "JP", [("diesel", [1.0])]).tick(6.0, 0)


# (time step, which commodity gets a receipt first or None, demands of two commodities)
steps = st.lists(
    st.tuples(
        st.sampled_from([0.0, 6.0, 24.0]),
        st.sampled_from([None, "a", "b"]),
        st.floats(0, 50),
        st.floats(0, 50),
    ),
    min_size=1,
    max_size=30,
)


@given(steps)
def test_the_same_books_as_one_move_per_commodity_r15(script) -> None:
    fast, slow = book_with({"a": 40.0, "b": 5.0}), book_with({"a": 40.0, "b": 5.0})
    demand = [("a", [d for *_, d, _ in script]), ("b", [d for *_, d in script])]
    consumer = fast.consumer("unit", "JP", demand)
    now = 0.0
    for k, (step, receipt, *_) in enumerate(script):
        now += step
        for book in (fast, slow):
            if receipt:
                book.move(now, "unit", "JP", receipt, "national_receipt", 3.0)
        consumer.tick(now, k)
        for commodity, amounts in demand:
            wanted = amounts[k]
            if wanted > 0:
                served = min(wanted, slow.on_hand("unit", commodity))
                slow.move(now, "unit", "JP", commodity, "consume", -served, unmet=wanted - served)
    assert fast.flows == slow.flows
    assert {c: fast.on_hand("unit", c) for c in "ab"} == {c: slow.on_hand("unit", c) for c in "ab"}
    fast.check_conservation()
