"""R14 revised: ceilings per party and direction (provided, acquired), per fiscal year with its
own start, counted before offset, lifted during hostilities. Hand-built scenarios in the
world of tests/sim/test_settlement_rules.py: PH diesel PHP 60/L = USD 1.20/L; jp-coy holds
1000 L (reorder 500) and each `loss` takes half of what it holds; ph-depot spares 4000 L.

The common story (`_three_losses`), before any ceiling:
- 10h: loss 1000 -> 500: O00001 500 L (USD 600.00), delivered 15h -> 1000;
- 16h: loss 1000 -> 500: a request for 500 L (USD 600.00);
- 30h: loss of half of what jp-coy then holds: a request up to 1000.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from test_settlement_rules import EXERCISE, agreement, loss, run, world

from acsasim.scenario import ScenarioError, load_text


def _three_losses(ceilings: dict[str, Any], *timeline: dict[str, Any]) -> dict[str, Any]:
    return world(
        agreements=[agreement(ceilings=ceilings)],
        timeline=[*(timeline or [EXERCISE]), loss("10h"), loss("16h"), loss("30h")],
    )


def quantities(r: Any) -> list[tuple[float, float]]:
    return [(o.requested_at, o.quantity) for o in r.orders]


def ceiling_refusals(r: Any) -> list[tuple[float, float]]:
    return [(x.time, x.refused) for x in r.refusals if x.reason == "ceiling"]


def test_r14_an_acquisition_ceiling_per_fiscal_year_with_its_own_start() -> None:
    """JP may acquire USD 700 a fiscal year, its years starting on 2 June (t = 24h). Diesel
    is counted in millilitres.
    - 10h: O00001 500 L = USD 600.00 (fiscal year from 2025-06-02).
    - 16h: room USD 100: the most that fits, exactly, is 83.333 L (PHP 4,999.98 = USD
      99.9996 -> 100.00; 83.334 L would be USD 100.0008): O00002, 416.667 L refused
      `ceiling`. Position 500 + 83.333 > 500: no more requests.
    - 30h (a new fiscal year, from 2026-06-02): jp-coy holds 583.333, loses half (291.667,
      half up), asks 1000 - 291.666 = 708.334 L = USD 850.00: 583.333 L fit (USD 700.00),
      125.001 L refused."""
    ceilings = {"parties": {"JP": {"fiscal_year_start": "06-02", "acquired": {"value": 700}}}}
    r = run(_three_losses(ceilings))
    assert quantities(r) == [(10.0, 500.0), (16.0, 83.333), (30.0, 583.333)]
    assert ceiling_refusals(r) == [(16.0, 416.667), (30.0, 125.001)]
    assert {x.provider for x in r.refusals if x.reason == "ceiling"} == {"ph-depot"}
    assert r.kpis["ceiling_use"] == {
        "JP-PH": {"JP": {"2025-06-02": {"acquired_value": 1.0},
                         "2026-06-02": {"acquired_value": 1.0}}},
    }  # fmt: skip


def test_r14_the_least_room_of_the_provider_and_the_receiver_binds() -> None:
    """PH may provide USD 650 a year (years from in_force, here the start), JP acquire 700:
    at 16h the room is min(650 - 600, 700 - 600) = USD 50: 41.666 L (USD 50.00)."""
    ceilings = {"provided": {"value": 650}, "acquired": {"value": 700}}
    r = run(_three_losses(ceilings))
    assert quantities(r)[:2] == [(10.0, 500.0), (16.0, 41.666)]
    use = r.kpis["ceiling_use"]["JP-PH"]
    assert use["PH"]["2026-06-01"]["value"] == 1.0
    assert use["JP"]["2026-06-01"]["acquired_value"] == pytest.approx(650 / 700)


@pytest.mark.parametrize(
    "timeline",
    [
        [{**EXERCISE, "to": "20h", "hostilities": True}, {**EXERCISE, "from": "20h"}],
        [EXERCISE, {"at": "0h", "event": "hostilities", "hostilities": {"for": "20h"}}],
    ],
)
def test_r14_ceilings_are_lifted_during_hostilities(timeline: list[dict[str, Any]]) -> None:
    """JP may acquire USD 700 a year. Until 20h jp-coy is in hostilities (a phase marked so,
    or an event's period): the 10h and 16h orders (500 L, USD 600 each) are neither limited
    nor counted (without hostilities the second is cut to 83.333 L). At 30h: 1000 -> 500,
    500 L asked, USD 600: within the 700, and counted."""
    r = run(_three_losses({"acquired": {"value": 700}}, *timeline))
    assert quantities(r) == [(10.0, 500.0), (16.0, 500.0), (30.0, 500.0)]
    assert ceiling_refusals(r) == []
    assert r.kpis["ceiling_use"]["JP-PH"]["JP"]["2026-06-01"]["acquired_value"] == (
        pytest.approx(600 / 700)
    )
    r = run(_three_losses({"acquired": {"value": 700}}))
    assert quantities(r)[1] == (16.0, 83.333)


@pytest.mark.parametrize(
    ("ceilings", "message"),
    [
        ({"value": 5, "provided": {"value": 5}}, "give the version-1 value/supplies_value or "
                                                 "provided, not both"),
        ({"parties": {"US": {"acquired": {"value": 5}}}}, "unknown party of the agreement 'US'"),
        ({"fiscal_year_start": "02-30"}, "02-30 is not a day of the year"),
    ],
)  # fmt: skip
def test_r14_ceilings_are_cross_checked(ceilings: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        load_text(yaml.safe_dump(_three_losses(ceilings), sort_keys=False))
