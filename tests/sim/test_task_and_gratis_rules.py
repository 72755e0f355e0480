"""R22: services as tasks (performed over a duration at the receiver, billed on the units used
after completion) and gratis activities (recorded, not billed). Hand-built scenarios in the
world of tests/sim/test_settlement_rules.py (JPY 150 and PHP 50 to the dollar; JP airlift
JPY 30,000/h)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from test_settlement_rules import EXERCISE, agreement, depot, loss, run, unit, world


def _airlift(task: dict[str, Any] | None, duration: str = "1d") -> dict[str, Any]:
    """ph-coy (a PH unit at camp, airlift 10 h / reorder 5) loses 6 h at 1h and asks jp-det
    (a JP depot at port, 100 h) for 6 h."""
    s = world(
        duration=duration,
        holders=[unit("ph-coy", "PH", commodity="airlift", initial=10, capacity=10, reorder=5),
                 depot("jp-det", "JP", commodity="airlift", initial=100, reserve=0)],
        timeline=[EXERCISE, loss("1h", "ph-coy", "airlift", 0.6)],
    )  # fmt: skip
    if task is not None:
        s["commodities"]["airlift"]["task"] = task
    return s


def test_r22_a_service_task_is_performed_over_its_duration_and_billed_on_use() -> None:
    """R22: O00001, 6 h of airlift for a task, per unit 1h: performed at ph-coy from 1h (the
    hours are its to use at once, no trip) to 1 + 6 = 7h; 0.75 of the estimate is used:
    billed 4.5 h x JPY 30,000 = JPY 135,000 (USD 900), priced and booked at 7h, settled by
    equal value (a service); due a year after completion."""
    r = run(_airlift({"per_unit": "1h", "used": 0.75}))
    (o,) = r.orders
    assert (o.quantity, o.billed_quantity, o.value, o.value_reporting) == (
        6.0, 4.5, D("135000"), D("900.00"),
    )  # fmt: skip
    assert (o.requested_at, o.delivered_at, o.priced_at, o.method) == (
        1.0, 7.0, 7.0, "equal_value_exchange",
    )  # fmt: skip
    assert o.due_at == 7.0 + 365 * 24
    assert [(f.time, f.holder, f.kind, f.quantity) for f in r.flows
            if f.kind.startswith("acsa")] == [
        (1.0, "jp-det", "acsa_issue", -6.0), (1.0, "ph-coy", "acsa_receipt", 6.0),
    ]  # fmt: skip
    assert [(t.time, t.kind) for t in r.transactions] == [(7.0, "issue")]


def test_r22_without_a_task_a_service_is_delivered_like_goods() -> None:
    """Version 1: the 6 h go by the 5h road: delivered and valued at 6h, JPY 180,000."""
    (o,) = run(_airlift(None)).orders
    assert (o.delivered_at, o.value, o.billed_quantity) == (6.0, D("180000"), 6.0)


def test_r22_the_units_used_are_drawn_per_order_from_the_commoditys_stream() -> None:
    """R22: `used: {uniform: [0.5, 1.5]}`: the billed hours vary with the seed, and the value
    is always the billed hours at the price."""
    task = {"per_unit": "1h", "used": {"uniform": [0.5, 1.5]}}
    billed = set()
    for seed in range(1, 6):
        (o,) = run(_airlift(task), seed=seed).orders
        assert 3.0 <= o.billed_quantity <= 9.0
        assert o.value == D(round(o.billed_quantity * 30000))
        billed.add(o.billed_quantity)
    assert len(billed) == 5


def _relief_abroad(**ceilings: Any) -> dict[str, Any]:
    """jp-coy is on `relief_abroad`, declared gratis and covered by the agreement: the 10h loss
    (500 L of PH diesel, PHP 30,000.00 = USD 600) is given as aid."""
    ag = agreement(ceilings=ceilings or None)
    ag["activities"] = ["exercise", "relief_abroad"]
    return world(
        activities=["exercise", {"id": "relief_abroad", "gratis": True}],
        agreements=[ag],
        timeline=[{**EXERCISE, "activity": "relief_abroad"}, loss("10h")],
    )


def test_r22_a_gratis_activity_is_recorded_not_billed() -> None:
    """R22: O00001 is recorded with its value (method and status `gratis`, delivered 15h) and
    never billed: no posting, no balance; KPIs `gratis_value` and `value_provided`."""
    r = run(_relief_abroad())
    (o,) = r.orders
    assert (o.method, o.status, o.delivered_at, o.value) == (
        "gratis", "gratis", 15.0, D("30000.00"),
    )  # fmt: skip
    assert r.transactions == ()
    assert r.kpis["gratis_value"] == {"PH->JP": 600.0}
    assert r.kpis["value_provided"] == {"PH->JP": 600.0}
    assert r.kpis["orders_by_method"] == {"gratis": 1}
    assert r.kpis["outstanding_end"] == {}


def test_r22_gratis_provisions_are_outside_the_ceilings() -> None:
    """R14 with R22: aid is no reimbursable liability: a USD 100 acquisition ceiling neither
    trims nor counts it."""
    r = run(_relief_abroad(acquired={"value": 100}))
    assert [o.quantity for o in r.orders] == [500.0]
    assert r.kpis["ceiling_use"] == {}


def test_r22_an_activity_is_declared_once_by_name() -> None:
    import yaml

    from acsasim.scenario import ScenarioError, load_text

    s = _relief_abroad()
    s["activities"].append("relief_abroad")
    with pytest.raises(ScenarioError, match="activity 'relief_abroad' is declared twice"):
        load_text(yaml.safe_dump(s, sort_keys=False))
