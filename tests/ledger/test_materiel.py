"""Materiel books: stock as a holders x commodities array, flows, consume rows (R2, R15)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger import MaterielError, StockBook
from acsasim.ledger.checks import check_materiel
from acsasim.vocab import INFLOWS, FlowKind

K = FlowKind


def book() -> StockBook:
    """Two holders (a JP unit, a PH depot), diesel in mL and rations in meals."""
    return StockBook(["jp-coy", "ph-depot"], ["JP", "PH"], ["diesel", "ration"], [1000, 1])


def rows(b: StockBook) -> list[tuple]:
    return [(f.time, f.holder, f.commodity, f.kind, f.quantity, f.unmet, f.order_id)
            for f in b.flows()]  # fmt: skip


def test_movements_update_on_hand_and_are_flows_in_units() -> None:
    b = book()
    b.move(0.0, 0, 0, K.INITIAL, 1_000_500)
    b.move(3.0, 0, 0, K.ACSA_ISSUE, -500, order=6, cause="an issue")
    b.move(3.0, 1, 1, K.NATIONAL_RECEIPT, 40)
    assert b.level(0, 0) == 1_000_000 and b.level(1, 1) == 40 and b.level(1, 0) == 0
    assert rows(b) == [
        (0.0, "jp-coy", "diesel", "initial", 1000.5, 0.0, None),
        (3.0, "jp-coy", "diesel", "acsa_issue", -0.5, 0.0, "O00007"),
        (3.0, "ph-depot", "ration", "national_receipt", 40.0, 0.0, None),
    ]
    assert b.flow(1).party == "JP" and b.flow(2).party == "PH"
    check_materiel(b)


def test_an_issue_beyond_what_is_on_hand_is_refused_naming_the_cause() -> None:
    b = book()
    b.move(0.0, 0, 1, K.INITIAL, 10)
    with pytest.raises(MaterielError) as err:
        b.move(5.0, 0, 1, K.ACSA_ISSUE, -11, cause="order O00003")
    message = str(err.value)
    assert "acsa_issue of -11 units of ration at jp-coy at t=5.0h" in message
    assert "[cause: order O00003]" in message and "below zero, to -1 (R15)" in message
    assert b.level(0, 1) == 10 and len(b) == 1  # nothing changed


@pytest.mark.parametrize(
    ("kind", "quantity"),
    [(K.INITIAL, -1), (K.NATIONAL_RECEIPT, -1), (K.ACSA_RECEIPT, -1), (K.RETURN_IN, -1),
     (K.CONSUME, 1), (K.ACSA_ISSUE, 1), (K.RETURN_OUT, 1), (K.LOSS, 1)],
)  # fmt: skip
def test_a_wrong_sign_is_refused(kind: FlowKind, quantity: int) -> None:
    b = book()
    b.move(0.0, 0, 0, K.INITIAL, 100)
    with pytest.raises(MaterielError, match=f"^refused {kind} of {quantity} units .*: wrong sign "
                       f"for {kind}$"):  # fmt: skip
        b.move(1.0, 0, 0, kind, quantity)


def test_a_zero_movement_of_any_kind_is_allowed() -> None:
    b = book()
    for kind in FlowKind:
        b.move(0.0, 0, 0, kind, 0)
    assert len(b) == len(FlowKind)


def test_fractions_and_time_going_back_are_refused() -> None:
    b = book()
    b.move(5.0, 0, 0, K.INITIAL, 100)
    with pytest.raises(MaterielError) as err:
        b.move(5.0, 0, 0, K.LOSS, -0.5, cause="a typo")  # type: ignore[arg-type]
    assert str(err.value) == (
        "refused loss of -0.5 units of diesel at jp-coy at t=5.0h [cause: a typo]: "
        "quantity must be whole units of resolution, got -0.5"
    )
    with pytest.raises(MaterielError) as err:
        b.move(4.0, 0, 0, K.LOSS, -1)
    assert str(err.value) == (
        "refused loss of -1 units of diesel at jp-coy at t=4.0h [cause: unspecified]: "
        "time goes back from t=5.0h"
    )
    with pytest.raises(MaterielError, match=r"^refused consumption at t=4\.0h: time goes back$"):
        b.consume(4.0, np.zeros((2, 2), dtype=np.int64))
    assert (len(b), b.level(0, 0)) == (1, 100)  # nothing refused was booked
    b.move(5.0, 0, 0, K.LOSS, -1)  # the same time is not going back
    assert b.level(0, 0) == 99


def test_a_tick_serves_what_is_on_hand_and_reports_the_rest() -> None:
    b = book()
    b.move(0.0, 0, 0, K.INITIAL, 300)
    b.move(0.0, 0, 1, K.INITIAL, 5)
    served, unmet = b.consume(0.0, np.array([[200, 7], [0, 0]]))
    assert served.tolist() == [[200, 5], [0, 0]] and unmet.tolist() == [[0, 2], [0, 0]]
    assert b.on_hand.tolist() == [[100, 0], [0, 0]]


def test_consumption_is_one_row_per_day_until_another_movement_closes_it() -> None:
    b = book()
    b.move(0.0, 0, 0, K.INITIAL, 1000)
    want = np.array([[100, 0], [0, 0]])
    b.consume(0.0, want)
    b.consume(6.0, want)  # same day: the same row grows
    b.move(8.0, 0, 0, K.NATIONAL_RECEIPT, 50)  # closes it
    b.consume(12.0, want)  # a new row after the receipt
    b.end_day()
    b.consume(24.0, np.array([[2000, 0], [0, 0]]))  # a new day: a new row, and short
    b.end_day()
    assert rows(b) == [
        (0.0, "jp-coy", "diesel", "initial", 1.0, 0.0, None),
        (0.0, "jp-coy", "diesel", "consume", -0.2, 0.0, None),
        (8.0, "jp-coy", "diesel", "national_receipt", 0.05, 0.0, None),
        (12.0, "jp-coy", "diesel", "consume", -0.1, 0.0, None),
        (24.0, "jp-coy", "diesel", "consume", -0.75, 1.25, None),  # 1000 - 200 + 50 - 100
    ]
    assert b.level(0, 0) == 0
    check_materiel(b)


def test_the_first_row_of_the_books_can_be_a_consume_row() -> None:
    """Flow row 0 is a consume row like any other: it grows over the day's ticks and closes
    at another movement."""
    b = book()
    b.consume(0.0, np.array([[1, 0], [0, 0]]))  # one unit: a row, served from nothing
    b.consume(6.0, np.array([[2, 0], [0, 0]]))
    b.move(7.0, 0, 0, K.NATIONAL_RECEIPT, 5000)
    b.consume(12.0, np.array([[1000, 0], [0, 0]]))
    b.end_day()
    assert rows(b) == [
        (0.0, "jp-coy", "diesel", "consume", 0.0, 0.003, None),
        (7.0, "jp-coy", "diesel", "national_receipt", 5.0, 0.0, None),
        (12.0, "jp-coy", "diesel", "consume", -1.0, 0.0, None),
    ]
    check_materiel(b)


def test_shortfalls_of_a_day_add_up_in_its_row() -> None:
    b = book()
    b.move(0.0, 1, 1, K.INITIAL, 4)
    b.consume(0.0, np.array([[0, 0], [0, 3]]))
    b.consume(6.0, np.array([[0, 0], [0, 3]]))  # 1 served, 2 short
    b.consume(12.0, np.array([[0, 0], [0, 3]]))  # 3 short
    b.end_day()
    assert rows(b)[1:] == [(0.0, "ph-depot", "ration", "consume", -4.0, 5.0, None)]


def test_a_movement_closes_the_consume_row_of_its_own_holder_and_commodity() -> None:
    b = book()
    b.move(0.0, 1, 1, K.INITIAL, 10)
    b.consume(1.0, np.array([[0, 0], [0, 2]]))
    b.move(2.0, 1, 1, K.ACSA_ISSUE, -3)  # closes the ph-depot ration row
    b.consume(3.0, np.array([[0, 0], [0, 2]]))  # and starts a new one
    b.end_day()
    assert rows(b)[1:] == [
        (1.0, "ph-depot", "ration", "consume", -2.0, 0.0, None),
        (2.0, "ph-depot", "ration", "acsa_issue", -3.0, 0.0, None),
        (3.0, "ph-depot", "ration", "consume", -2.0, 0.0, None),
    ]
    check_materiel(b)


def test_consumption_beyond_float_precision_is_booked_to_the_unit() -> None:
    """R15 at any scale: a day's consumption and shortfall of more than 2**53 units (a float
    cannot hold them) are booked exactly; the KPIs sum these integer columns."""
    b = book()
    huge = 2**53 + 1
    b.move(0.0, 1, 1, K.INITIAL, huge)
    b.consume(0.0, np.array([[0, 0], [0, huge]]))
    b.consume(1.0, np.array([[0, 0], [0, huge]]))
    b.end_day()
    assert (b.quantity[1], b.unmet[1]) == (-huge, huge)
    check_materiel(b)


def test_no_demand_books_no_row() -> None:
    b = book()
    b.consume(0.0, np.zeros((2, 2), dtype=np.int64))
    b.end_day()
    assert len(b) == 0


def test_a_short_tick_with_nothing_on_hand_still_has_its_row() -> None:
    b = book()
    b.consume(0.0, np.array([[0, 3], [0, 0]]))
    b.end_day()
    assert rows(b) == [(0.0, "jp-coy", "ration", "consume", 0.0, 3.0, None)]


def test_check_materiel_catches_what_the_books_do_not_explain() -> None:
    b = book()
    b.move(0.0, 0, 1, K.INITIAL, 10)
    b.move(1.0, 0, 1, K.ACSA_ISSUE, -4)
    check_materiel(b)
    b.on_hand[0, 1] = 7  # stock that no flow explains
    with pytest.raises(
        MaterielError, match="ration at jp-coy: flows sum to 6 units but on hand is 7"
    ):
        check_materiel(b)
    b.on_hand[0, 1] = 6
    b.quantity[0] = 3  # an edited initial row: the issue now dips below zero
    b.on_hand[0, 1] = -1
    with pytest.raises(MaterielError, match="below zero"):
        check_materiel(b)
    b.on_hand[0, 1] = -1 + 0  # the array itself fixed up, the flows still dip
    b.on_hand[0, 1] = 0
    b.quantity[1] = -4
    with pytest.raises(
        MaterielError, match=r"ration at jp-coy dips to -1 units at t=1.0h \(flow row 2\)"
    ):
        check_materiel(b)


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.sampled_from(list(FlowKind)),
                          st.integers(0, 10**6)), max_size=60))  # fmt: skip
def test_random_movements_conserve_materiel(items) -> None:
    """Whatever is booked or refused, the flows always explain the stock (R15)."""
    b = book()
    for i, (h, c, kind, n) in enumerate(items):
        signed = n if kind in INFLOWS else -n
        if kind == K.CONSUME:
            want = np.zeros((2, 2), dtype=np.int64)
            want[h, c] = n
            b.consume(float(i), want)
            continue
        try:
            b.move(float(i), h, c, kind, signed)
        except MaterielError:
            assert b.level(h, c) + signed < 0
    b.end_day()
    check_materiel(b)
    assert (b.on_hand >= 0).all()
