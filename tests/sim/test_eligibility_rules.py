"""R5 additions: prohibited items (the standard exclusion list), signature and entry into force,
and units of issue (R3, R4). Hand-built scenarios in the world of
tests/sim/test_settlement_rules.py (jp-coy asks ph-depot; a `loss` at 10h takes half)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from test_settlement_rules import EXERCISE, agreement, depot, loss, run, unit, world

from acsasim.scenario import ScenarioError, load_text


def _missiles(**terms: Any) -> dict[str, Any]:
    """jp-coy holds 10 guided missiles (reorder 5); ph-depot 50 (reserve 10), PHP 1,000,000
    each; a loss at 10h takes 5, so jp-coy asks for 5."""
    s = world(agreements=[agreement(**terms)])
    s["commodities"]["sam"] = {"unit": "each", "category": "ammunition",
                               "restricted": "guided_missile"}  # fmt: skip
    s["prices"]["PH"]["sam"] = 1_000_000
    s["holders"] = [unit(commodity="sam", initial=10, capacity=10, reorder=5),
                    depot(commodity="sam", initial=50, reserve=10)]  # fmt: skip
    s["timeline"] = [EXERCISE, loss("10h", commodity="sam")]
    return s


def test_r5_the_standard_exclusion_list_is_prohibited_by_default() -> None:
    """R5: ammunition is covered, but a guided missile is on the standard exclusion list
    (DoD Directive 2010.09), which every agreement prohibits unless it says otherwise."""
    r = run(_missiles())
    assert r.orders == ()
    assert [(x.time, x.reason, x.requested) for x in r.refusals] == [(10.0, "prohibited", 5.0)]
    ag = {"id": "JP-PH", "parties": ["JP", "PH"], "prohibited": ["naval_mine", "torpedo"]}
    s = _missiles()
    s["agreements"] = [ag]
    (o,) = run(s).orders
    assert (o.commodity, o.quantity) == ("sam", 5.0)


def test_r5_nothing_is_provided_between_signature_and_entry_into_force() -> None:
    """R5: signed on 1 May, in force from 2 June 00:00 (t = 24h): the 10h request is refused
    `not_in_force`; jp-coy asks again at each tick and is served at 24h. The signature is
    recorded; signing after entry into force is an error."""
    s = world(agreements=[agreement(in_force="2026-06-02")], timeline=[EXERCISE, loss("10h")])
    s["agreements"][0]["signed"] = "2026-05-01"
    r = run(s)
    assert [(x.time, x.reason) for x in r.refusals] == [(10.0, "not_in_force")]
    assert [o.requested_at for o in r.orders] == [24.0]
    assert r.scenario.agreements[0].signed.isoformat() == "2026-05-01T00:00:00"
    s["agreements"][0]["signed"] = "2026-07-01"
    with pytest.raises(ScenarioError, match="signed after it enters into force"):
        load_text(yaml.safe_dump(s, sort_keys=False))


def _rations(depot_initial: int = 5000, fraction: float = 0.5, **coy: Any) -> dict[str, Any]:
    """Rations (meals) issued in cases of 12: jp-coy 1000 meals (reorder 500), ph-depot with
    reserve 1000; the loss at 10h takes `fraction` of jp-coy's meals."""
    s = world()
    s["commodities"]["ration"] = {"unit": "meal", "category": "food", "unit_of_issue": 12}
    s["prices"]["PH"]["ration"] = 180
    s["holders"] = [unit(commodity="ration", **coy),
                    depot(commodity="ration", initial=depot_initial)]  # fmt: skip
    s["timeline"] = [EXERCISE, loss("10h", commodity="ration", fraction=fraction)]
    return s


@pytest.mark.parametrize(
    ("depot_initial", "fraction", "coy", "ordered"),
    [
        # 1000 -> 500: 500 meals asked, rounded down to 41 cases = 492 meals
        (5000, 0.5, {}, [492.0]),
        # the depot spares only 20 meals: one whole case, 12 meals
        (1020, 0.5, {}, [12.0]),
        # 505 -> 500 (1% lost): 5 meals short, less than a case: one case is asked
        (5000, 0.01, {"capacity": 505, "initial": 505, "reorder": 500}, [12.0]),
    ],
)
def test_r3_r4_requests_and_issues_are_whole_units_of_issue(
    depot_initial: int, fraction: float, coy: dict[str, Any], ordered: list[float]
) -> None:
    r = run(_rations(depot_initial, fraction, **coy))
    assert [o.quantity for o in r.orders] == ordered
