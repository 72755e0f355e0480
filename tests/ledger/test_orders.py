"""Orders in the books: creation order, updates, status transitions (R8-R13 states)."""

import dataclasses
import itertools
from collections.abc import Callable

import pytest

from acsasim.ledger import ORDER_STATUSES, TRANSITIONS, Ledger, LedgerError, Order
from acsasim.ledger.entries import evolve

MakeOrder = Callable[..., Order]  # the factory of conftest.py


def test_orders_in_creation_order_and_updated_in_place(make_order: MakeOrder) -> None:
    ledger = Ledger()
    for oid in ("B", "A", "C"):
        ledger.add_order(make_order(oid))
    opened = dataclasses.replace(ledger.order("A"), status="open", delivered_at=20.0)
    ledger.update_order(opened)
    assert [o.order_id for o in ledger.orders] == ["B", "A", "C"]
    assert ledger.order("A").status == "open"
    assert ledger.order("A").delivered_at == 20.0


def test_order_refusals(make_order: MakeOrder) -> None:
    ledger = Ledger()
    ledger.add_order(make_order("A"))
    with pytest.raises(LedgerError, match="A already exists"):
        ledger.add_order(make_order("A"))
    with pytest.raises(LedgerError, match="unknown order Z"):
        ledger.update_order(make_order("Z"))
    with pytest.raises(KeyError, match="Z"):
        ledger.order("Z")
    with pytest.raises(ValueError, match="status"):
        make_order(status="lost")
    with pytest.raises(ValueError, match="method"):
        make_order(method="barter")


LEGAL = {
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


def test_transition_table_is_the_documented_one() -> None:
    assert set(TRANSITIONS) == LEGAL


@pytest.mark.parametrize(("old", "new"), list(itertools.product(ORDER_STATUSES, repeat=2)))
def test_status_transitions(old: str, new: str, make_order: MakeOrder) -> None:
    ledger = Ledger()
    ledger.add_order(make_order(status=old))
    updated = make_order(status=new)
    if old == new or (old, new) in LEGAL:
        ledger.update_order(updated)
        assert ledger.order("O1").status == new
    else:
        with pytest.raises(LedgerError, match=f"illegal status change {old} -> {new}"):
            ledger.update_order(updated)
        assert ledger.order("O1").status == old


def test_evolve_is_dataclasses_replace_with_the_same_checks(make_order: MakeOrder) -> None:
    order = make_order("A")
    changes = {"status": "open", "delivered_at": 20.0, "method": "cash"}
    assert evolve(order, **changes) == dataclasses.replace(order, **changes)
    assert order.status == "in_transit"  # the original stays as it was
    with pytest.raises(ValueError, match="status"):
        evolve(order, status="lost")
    with pytest.raises(TypeError, match="no field colour"):
        evolve(order, colour="red")
