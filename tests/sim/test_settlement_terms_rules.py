"""The revised settlement rules R8, R9, R10 and R13 (docs/rules.md): terms agreed on the order,
methods per category and direction, replacement in kind by equivalent items after a minimum
interval, equal value only through designated counter-deliveries or a dated exchange, and
offset as a decision counted from delivery. One small hand-built scenario per test, in the
style and the world of tests/sim/test_settlement_rules.py (`world()`: PHP 50 and JPY 150 to
the dollar, PH diesel PHP 60/L, JP water JPY 100/L and airlift JPY 30,000/h, camp and port
5h apart, jp-coy with diesel 1000 / reorder 500, ph-depot with diesel 5000 / reserve 1000).
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
import yaml
from test_settlement_rules import (
    EXERCISE,
    agreement,
    depot,
    loss,
    order_rows,
    run,
    unit,
    world,
)

from acsasim.ledger import Order
from acsasim.scenario import ScenarioError, load_text
from acsasim.sim import simulate

HOURS_PER_YEAR = 365 * 24.0


def first_seen(s: dict[str, Any]) -> dict[str, tuple[str, str | None, str]]:
    """order -> (status, method, settle_with) the first time the order table shows it."""
    seen: dict[str, tuple[str, str | None, str]] = {}

    def watch(o: Order) -> None:
        seen.setdefault(o.order_id, (o.status, o.method, o.settle_with))

    simulate(load_text(yaml.safe_dump(s, sort_keys=False)), seed=1, on_order=watch)
    return seen


# --- R8 methods per category and direction, agreed on the order ------------------------------


TABLE = {
    "default": ["replacement_in_kind", "cash"],
    "food": ["cash"],
    "JP": {"fuel": ["cash"]},
    "PH": {"default": ["equal_value_exchange", "cash"]},
}


def _both_ways(**settlement: Any) -> dict[str, Any]:
    """jp-coy loses half its diesel at 10h (500 L from ph-depot); ph-coy, a PH unit at camp
    with water 1000 / reorder 500, loses 60% of it at 20h (600 L from jp-depot, JPY 100/L)."""
    return world(
        agreements=[agreement(**settlement)],
        holders=[unit(), depot(), unit("ph-coy", "PH", commodity="water"),
                 depot("jp-depot", "JP", commodity="water")],
        timeline=[EXERCISE, loss("10h"), loss("20h", "ph-coy", "water", 0.6)],
    )  # fmt: skip


def test_r8_methods_differ_by_category_and_direction_and_are_agreed_at_issue() -> None:
    """R8 revised: JP receiving fuel takes JP's own `fuel` entry (cash); PH receiving water
    takes PH's default (equal value first). Each order carries its method from the moment it
    is issued (still in transit), and the items that settle it (`settle_with`: none for cash;
    for equal value, by default, any item of the same category: water)."""
    s = _both_ways(methods=TABLE)
    assert first_seen(s) == {
        "O00001": ("in_transit", "cash", ""),
        "O00002": ("in_transit", "equal_value_exchange", "water"),
    }
    r = run(s)
    # O00001: delivered 15h, cash; O00002: delivered 25h, equal value; both due a year on
    assert {k: v[:4] for k, v in order_rows(r).items()} == {
        "O00001": ("cash", "open", 15.0, 15.0 + HOURS_PER_YEAR),
        "O00002": ("equal_value_exchange", "open", 25.0, 25.0 + HOURS_PER_YEAR),
    }
    assert r.kpis["orders_by_method"] == {"cash": 1, "equal_value_exchange": 1}


def test_r8_a_category_entry_applies_to_every_receiver_without_one_of_its_own() -> None:
    """R8 revised: `food: [cash]` and the table's default apply where the receiver has no
    entry; a version-1 list applies to every order."""
    s = _both_ways(methods={"water": ["cash"], "default": ["replacement_in_kind"]})
    assert [m for _, m, _ in first_seen(s).values()] == ["replacement_in_kind", "cash"]
    s = _both_ways(methods=["equal_value_exchange", "cash"])
    assert [m for _, m, _ in first_seen(s).values()] == ["equal_value_exchange"] * 2


@pytest.mark.parametrize(
    ("methods", "message"),
    [
        ({"fule": ["cash"]}, "'fule' is not 'default', a category or a party of this "
                             "agreement; did you mean 'fuel'?"),
        ({"food": {"JP": ["cash"]}}, "'food' takes a list of methods; only a receiving party's "
                                     "entry maps categories to lists"),
        ({"JP": {"wter": ["cash"]}}, "'wter' is not 'default' or a category; did you mean "
                                     "'water'?"),
    ],
)  # fmt: skip
def test_r8_a_methods_table_names_categories_and_parties(methods: Any, message: str) -> None:
    text = yaml.safe_dump(_both_ways(methods=methods), sort_keys=False)
    with pytest.raises(ScenarioError) as err:
        load_text(text, "drill.yaml")
    (problem,) = err.value.problems
    assert problem.message == message
    assert problem.source == "drill.yaml" and problem.line > 0


def test_r8_orders_csv_keeps_its_columns_and_appends_the_terms() -> None:
    from acsasim.output.tables import ORDER_COLUMNS, tables

    assert ORDER_COLUMNS[:22] == (
        "order_id", "agreement", "provider_party", "provider", "receiver_party", "receiver",
        "commodity", "quantity", "unit", "activity", "requested_at", "delivered_at", "currency",
        "value", "value_reporting", "tax_waived_reporting", "method", "due_at", "status",
        "settled_at", "settled_quantity", "settled_value",
    )  # fmt: skip
    r = run(_both_ways(methods=TABLE))
    orders = next(t for t in tables(r) if t.name == "orders")
    row = dict(zip(orders.columns, orders.rows[1], strict=True))
    assert (row["method"], row["settle_with"]) == ("equal_value_exchange", "water")
    assert row["value"] == str(D("60000"))
