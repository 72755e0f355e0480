"""The order table: rows, columns changed in place, legal status changes (R8-R13)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest

from acsasim.ledger import ORDER_STATUSES, TRANSITIONS, Order, OrderError, OrderTable
from acsasim.ledger.orders import FIXED, order_id, order_row
from acsasim.vocab import Method, Status


def add(table: OrderTable, **kw: Any) -> int:
    """8000 L of diesel (counted in mL) from a PH depot to a JP unit, PHP 480,000.00."""
    fields: dict[str, Any] = dict(
        agreement="JP-PH", provider_party="PH", provider="ph-depot", receiver_party="JP",
        receiver="jp-coy", commodity="diesel", scale=1000, quantity=8_000_000, unit="L",
        activity="exercise", requested_at=10.0, currency="PHP", value=48_000_000,
        value_reporting=827_586, tax_waived=12_345,
    )  # fmt: skip
    fields.update(kw)
    return table.add(**fields)


def table() -> OrderTable:
    return OrderTable("USD")


def test_ids_and_rows() -> None:
    assert (order_id(0), order_id(41), order_id(123456)) == ("O00001", "O00042", "O123457")
    assert [order_row(oid) for oid in ("O00001", "O00042", "O123457", "O1", "O12")] == [
        0, 41, 123456, 0, 11,
    ]  # fmt: skip
    for bad in ("O00000", "X1", "O", "O1a", "o1", "O-1"):
        with pytest.raises(ValueError, match=f"^not an order id: '{bad}'$"):
            order_row(bad)


def test_a_new_order_is_in_transit_with_nothing_settled() -> None:
    t = table()
    assert add(t) == 0 and add(t, requested_at=11.0) == 1
    assert len(t) == 2
    assert (t.status[0], t.method[0], t.delivered_at[0], t.due_at[0]) == (
        Status.IN_TRANSIT, None, None, None,
    )  # fmt: skip
    assert (t.settled_value[1], t.settled_quantity[1], t.invoiced[1], t.reserved[1]) == (0, 0, 0, 0)


def test_the_record_is_orders_csv_in_decimal_and_units() -> None:
    t = table()
    add(t, quantity=8_000_500)
    t.deliver(0, 15.5, Method.REPLACEMENT_IN_KIND, 15.5 + 8760)
    t.settle(0, 40.0, 12_000_000, quantity=2_000_250)  # a return of 2000.25 L, PHP 120,000
    record = t.record(0)
    assert record == Order(
        order_id="O00001", agreement="JP-PH", provider_party="PH", provider="ph-depot",
        receiver_party="JP", receiver="jp-coy", commodity="diesel", quantity=8000.5, unit="L",
        activity="exercise", requested_at=10.0, delivered_at=15.5, currency="PHP",
        value=Decimal("480000.00"), value_reporting=Decimal("8275.86"),
        tax_waived_reporting=Decimal("123.45"), method="replacement_in_kind", due_at=8775.5,
        status="open", settled_at=None, settled_quantity=2000.25,
        settled_value=Decimal("120000.00"), priced_at=10.0, billed_quantity=8000.5,
    )  # fmt: skip
    t.settle(0, 50.0, 36_000_000, quantity=6_000_250)
    assert (t.record(0).status, t.record(0).settled_at, t.record(0).settled_quantity) == (
        "settled", 50.0, 8000.5,
    )  # fmt: skip
    assert t.records() == (t.record(0),)


def test_the_reporting_currency_sets_the_decimals_of_reporting_values() -> None:
    t = OrderTable("JPY")
    add(t, value_reporting=129_000, tax_waived=5)
    assert (t.record(0).value_reporting, t.record(0).tax_waived_reporting) == (
        Decimal("129000"), Decimal("5"),
    )  # fmt: skip


@pytest.mark.parametrize("missing", ["value", "scale"])
def test_every_fixed_column_is_needed(missing: str) -> None:
    t = table()
    fields = {name: 1 for name in FIXED if name != missing}
    with pytest.raises(TypeError, match=missing):
        t.add(**fields)
    with pytest.raises(TypeError, match="colour"):
        t.add(**{name: 1 for name in FIXED}, colour="red")


@pytest.mark.parametrize(("quantity", "value"), [(0, 5), (-1, 5), (5, -1)])
def test_an_order_needs_a_positive_quantity_and_a_value(quantity: int, value: int) -> None:
    with pytest.raises(OrderError, match="positive quantity"):
        add(table(), quantity=quantity, value=value)


def test_the_smallest_order_is_one_unit_of_resolution_worth_nothing() -> None:
    t = table()
    assert add(t, quantity=1, value=0) == 0
    assert (t.record(0).quantity, t.record(0).value) == (0.001, Decimal("0.00"))


def test_transition_table_is_the_documented_one() -> None:
    assert set(ORDER_STATUSES) == {s.value for s in Status}
    assert {(a.value, b.value) for a, b in TRANSITIONS} == {
        ("in_transit", "open"), ("open", "settled"), ("open", "overdue"),
        ("overdue", "converted"), ("overdue", "settled"), ("converted", "settled"),
        ("open", "offset"), ("overdue", "offset"), ("converted", "offset"),
        ("in_transit", "unpriced"), ("unpriced", "open"),
        ("in_transit", "gratis"), ("unpriced", "gratis"),
    }  # fmt: skip


@pytest.mark.parametrize(("old", "new"), list(itertools.product(Status, Status)))
def test_status_changes(old: Status, new: Status) -> None:
    t = table()
    add(t)
    t.status[0] = old  # put it there directly, then ask for the change
    if old == new or (old, new) in TRANSITIONS:
        t.set_status(0, new)
        assert t.status[0] == new
    else:
        with pytest.raises(OrderError, match=f"O00001: illegal status change {old} -> {new}"):
            t.set_status(0, new)
        assert t.status[0] == old


def test_settle_takes_the_same_share_of_the_quantity_and_closes_at_the_end() -> None:
    t = table()
    add(t, quantity=3000, value=1000)
    t.deliver(0, 1.0, Method.CASH, 2.0)
    t.settle(0, 5.0, 400)
    assert (t.settled_value[0], t.settled_quantity[0], t.status[0], t.settled_at[0]) == (
        400, 1200, Status.OPEN, None,
    )  # fmt: skip
    assert (t.owed_value(0), t.owed_quantity(0), t.free(0)) == (600, 1800, 600)
    t.settle(0, 6.0, 333, quantity=1)  # a quantity given is taken as given
    assert (t.settled_value[0], t.settled_quantity[0]) == (733, 1201)
    t.settle(0, 9.0, 10_000)  # never beyond what is owed; the rest of the quantity with it
    assert (t.settled_value[0], t.settled_quantity[0], t.status[0], t.settled_at[0]) == (
        1000, 3000, Status.SETTLED, 9.0,
    )  # fmt: skip


def test_settle_may_end_in_offset_and_refuses_a_negative_value() -> None:
    t = table()
    add(t, value=1000)
    t.deliver(0, 1.0, Method.CASH, 2.0)
    t.set_status(0, Status.OVERDUE)
    with pytest.raises(OrderError, match="negative"):
        t.settle(0, 3.0, -1)
    t.settle(0, 3.0, 1000, done=Status.OFFSET)
    assert t.status[0] == Status.OFFSET


def test_a_part_of_the_value_settles_its_share_of_the_quantity_rounded_down() -> None:
    t = table()
    add(t, quantity=10, value=3)  # 10 units worth 0.03: a centavo is 3 1/3 units
    t.deliver(0, 1.0, Method.EQUAL_VALUE_EXCHANGE, 2.0)
    t.settle(0, 2.0, 1)
    assert (t.settled_quantity[0], t.owed_quantity(0), t.status[0]) == (3, 7, Status.OPEN)
    t.settle(0, 3.0, 1)
    assert t.settled_quantity[0] == 6
    t.settle(0, 4.0, 1)  # the last centavo takes the rest
    assert (t.settled_quantity[0], t.status[0]) == (10, Status.SETTLED)


def test_a_zero_value_order_settles_its_quantity() -> None:
    t = table()
    add(t, value=0, quantity=10)
    t.deliver(0, 1.0, Method.CASH, 2.0)
    t.settle(0, 2.0, 0)
    assert (t.settled_quantity[0], t.status[0]) == (10, Status.SETTLED)


def test_free_leaves_out_returns_on_their_way() -> None:
    t = table()
    add(t, value=1000)
    t.reserved[0] = 250
    assert t.free(0) == 750


def test_observers_see_every_change() -> None:
    t = table()
    seen: list[tuple[int, Status]] = []
    t.observers.append(lambda row: seen.append((row, t.status[row])))
    add(t, value=100)
    t.deliver(0, 1.0, Method.CASH, 2.0)
    t.settle(0, 2.0, 40)
    t.settle(0, 3.0, 60)
    assert seen == [(0, Status.IN_TRANSIT), (0, Status.OPEN), (0, Status.OPEN),
                    (0, Status.SETTLED)]  # fmt: skip


def test_r10_a_counter_flow_absorbed_whole_is_recorded_as_equal_value_exchange() -> None:
    t = table()
    seen: list[tuple[int, str | None]] = []
    add(t)
    t.deliver(0, 1.0, Method.CASH, 2.0)
    t.observers.append(lambda row: seen.append((row, t.method[row])))
    t.set_method(0, Method.EQUAL_VALUE_EXCHANGE)
    assert t.record(0).method == "equal_value_exchange"
    assert seen == [(0, Method.EQUAL_VALUE_EXCHANGE)]
