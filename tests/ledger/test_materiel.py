"""Materiel conservation (R15): flows, on hand, refusals, consume merging."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger import Flow, MaterielError, StockBook


def stocked(initial: float = 1000.0) -> StockBook:
    book = StockBook()
    book.move(0, "depot", "PH", "diesel", "initial", initial)
    return book


def test_movements_update_on_hand() -> None:
    book = stocked()
    book.move(5, "depot", "PH", "diesel", "acsa_issue", -300, order_id="O1")
    book.move(9, "unit", "JP", "diesel", "acsa_receipt", 300, order_id="O1")
    book.move(30, "depot", "PH", "diesel", "national_receipt", 50)
    assert book.on_hand("depot", "diesel") == 750
    assert book.on_hand("unit", "diesel") == 300
    assert book.on_hand("unit", "water") == 0.0
    assert book.flows[1] == Flow(5.0, "depot", "PH", "diesel", "acsa_issue", -300, 0.0, "O1")
    book.check_conservation()


def test_over_issue_is_refused_naming_the_cause_r15() -> None:
    book = stocked(100)
    with pytest.raises(MaterielError) as err:
        book.move(7.5, "depot", "PH", "diesel", "acsa_issue", -150, cause="order O9 to jp-unit")
    message = str(err.value)
    for part in ("depot", "diesel", "t=7.5h", "acsa_issue", "order O9 to jp-unit", "R15"):
        assert part in message
    assert book.on_hand("depot", "diesel") == 100
    assert len(book.flows) == 1


@pytest.mark.parametrize(
    ("kind", "quantity"),
    [
        ("initial", -1),
        ("national_receipt", -1),
        ("acsa_receipt", -1),
        ("return_in", -1),
        ("consume", 1),
        ("acsa_issue", 1),
        ("return_out", 1),
        ("loss", 1),
    ],
)
def test_wrong_sign_is_refused(kind: str, quantity: float) -> None:
    book = stocked()
    with pytest.raises(MaterielError, match=f"wrong sign for {kind}"):
        book.move(1, "depot", "PH", "diesel", kind, quantity)
    assert book.on_hand("depot", "diesel") == 1000


def test_other_malformed_moves_are_refused() -> None:
    book = stocked()
    with pytest.raises(MaterielError, match="unknown kind"):
        book.move(1, "depot", "PH", "diesel", "theft", -1)
    with pytest.raises(MaterielError, match="unmet"):
        book.move(1, "depot", "PH", "diesel", "loss", -1, unmet=2)
    with pytest.raises(MaterielError, match="belongs to PH"):
        book.move(1, "depot", "JP", "diesel", "loss", -1)
    with pytest.raises(MaterielError, match="finite"):
        book.move(1, "depot", "PH", "diesel", "loss", float("nan"))
    book.move(10, "depot", "PH", "diesel", "loss", -1)
    with pytest.raises(MaterielError, match="time goes back"):
        book.move(9, "depot", "PH", "diesel", "loss", -1)
    assert book.on_hand("depot", "diesel") == 999
    assert len(book.flows) == 2


def test_float_noise_is_clamped_to_zero() -> None:
    book = stocked(0.3)
    for t in (1, 2, 3):
        book.move(t, "depot", "PH", "diesel", "loss", -0.1)  # 0.3-0.1-0.1-0.1 = -2.8e-17
    assert book.on_hand("depot", "diesel") == 0.0
    assert sum(f.quantity for f in book.flows) == pytest.approx(0.0, abs=1e-15)
    book.check_conservation()


def test_consume_merges_within_a_day() -> None:
    book = stocked()
    book.move(6, "depot", "PH", "diesel", "consume", -10, unmet=0)
    book.move(12, "unit", "JP", "water", "initial", 5)  # another holder: no break
    book.move(18, "depot", "PH", "diesel", "consume", -20, unmet=1.5)
    book.move(23.9, "depot", "PH", "diesel", "consume", -5, unmet=0.5)
    assert book.flows[1] == Flow(6.0, "depot", "PH", "diesel", "consume", -35, 2.0, None)
    assert len(book.flows) == 3
    book.move(24, "depot", "PH", "diesel", "consume", -1)  # a new day: a new row
    assert book.flows[-1] == Flow(24.0, "depot", "PH", "diesel", "consume", -1, 0.0, None)
    assert book.on_hand("depot", "diesel") == 964
    book.check_conservation()


def test_another_movement_breaks_the_merge() -> None:
    book = stocked()
    book.move(6, "depot", "PH", "diesel", "consume", -10)
    book.move(8, "depot", "PH", "diesel", "national_receipt", 100)
    book.move(12, "depot", "PH", "diesel", "consume", -20)
    book.move(14, "depot", "PH", "water", "initial", 9)  # other commodity: no break
    book.move(15, "depot", "PH", "diesel", "consume", -1)
    kinds = [(f.kind, f.quantity) for f in book.flows]
    assert kinds == [
        ("initial", 1000),
        ("consume", -10),
        ("national_receipt", 100),
        ("consume", -21),
        ("initial", 9),
    ]


def test_check_conservation_catches_tampering() -> None:
    book = stocked(100)
    book.move(1, "depot", "PH", "diesel", "loss", -60)
    book.flows[1] = Flow(1.0, "depot", "PH", "diesel", "loss", -50, 0.0, None)
    with pytest.raises(MaterielError, match=r"flows sum to 50\.0 but on hand is 40\.0"):
        book.check_conservation()
    book.flows.insert(1, Flow(0.5, "depot", "PH", "diesel", "loss", -200, 0.0, None))
    with pytest.raises(MaterielError, match="dips to -100"):
        book.check_conservation()


# -- random sequences (R15) ----------------------------------------------------

KINDS = ["initial", "consume", "national_receipt", "acsa_issue", "acsa_receipt"]
KINDS += ["return_out", "return_in", "loss"]
OUT = {"consume", "acsa_issue", "return_out", "loss"}

steps = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=30),  # hours after the previous move
        st.sampled_from(["h1", "h2"]),
        st.sampled_from(["diesel", "water"]),
        st.sampled_from(KINDS),
        st.floats(min_value=0, max_value=500, allow_nan=False),
        st.floats(min_value=0, max_value=5),  # unmet, for consume
    ),
    max_size=60,
)


@given(steps)
def test_random_moves_conserve_materiel_r15(items) -> None:
    book = StockBook()
    model: dict[tuple[str, str], float] = {}
    time = unmet_total = 0.0
    for dt, holder, commodity, kind, size, unmet in items:
        time += dt
        key = (holder, commodity)
        qty = -size if kind in OUT else size
        before = model.get(key, 0.0)
        args = (time, holder, "P", commodity, kind, qty, unmet if kind == "consume" else 0.0)
        if before + qty < -1e-9:
            with pytest.raises(MaterielError, match="below zero"):
                book.move(*args, cause="random step")
        else:
            book.move(*args)
            model[key] = max(before + qty, 0.0)
            unmet_total += args[-1]
        assert book.on_hand(holder, commodity) == pytest.approx(model.get(key, 0.0), abs=1e-9)
        assert book.on_hand(holder, commodity) >= 0.0
    book.check_conservation()
    for key, stock in model.items():
        total = sum(f.quantity for f in book.flows if (f.holder, f.commodity) == key)
        assert total == pytest.approx(stock, abs=1e-6)
    previous: dict[tuple[str, str], Flow] = {}
    for f in book.flows:  # consume rows merged: never two in a row on one day
        prev = previous.get((f.holder, f.commodity))
        if prev is not None and prev.kind == f.kind == "consume":
            assert prev.time // 24 != f.time // 24
        previous[(f.holder, f.commodity)] = f
    assert all(f.unmet == 0 for f in book.flows if f.kind != "consume")
    assert sum(f.unmet for f in book.flows) == pytest.approx(unmet_total)
