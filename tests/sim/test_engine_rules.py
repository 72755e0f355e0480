"""The engine semantics R2-R8 (docs/rules.md), one small hand-built scenario per
test, with the expected outcome computed by hand in a comment and asserted exactly.

Every scenario has variability 0 and fixed route and lead times, so nothing is random. The
common world (`world()` below):
- currencies per USD: PHP 50, JPY 150, AUD 1.5;
- PH price diesel PHP 60/L (= USD 1.20/L); JP prices diesel JPY 133/L, airlift JPY 900,000/h;
- sites camp and port, both PH territory, joined by a fixed 5h road;
- agreement JP-PH with every default (all categories but weapons, default activities,
  tax exempt, methods RIK > EVE > cash, deadline 365d, no ceilings);
- jp-coy: JP unit at camp, diesel on hand 1000 = capacity, reorder 500, reserve 0, burning
  800 L/day, i.e. 200 L per 6h tick: 800 after t=0, 600 after t=6, 400 after t=12, when
  its position first falls to or below 500 and it orders 1000 - 400 = 600 (R2, R3);
- ph-depot: PH depot at port, diesel 5000 with reserve 1000 (surplus 4000);
- policy `first`; the only phase makes JP holders do `exercise` (PH holders stay `routine`,
  an activity no agreement covers, so a PH unit never draws on JP stocks by accident).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
import yaml

from acsasim.result import RunResult
from acsasim.scenario import load_text
from acsasim.sim import simulate

HOURS_PER_YEAR = 365 * 24.0
#: The default phase: JP holders on exercise, burning their garrison profile.
JP_EXERCISE = {
    "from": "0d",
    "holders": {"party": "JP"},
    "profile": "garrison",
    "activity": "exercise",
}
#: The same for every holder.
ALL_EXERCISE = {"from": "0d", "holders": "all", "profile": "garrison", "activity": "exercise"}


# --- building scenarios -----------------------------------------------------------------------


def coy(**kw: Any) -> dict[str, Any]:
    """jp-coy: JP unit at camp, 1000 L diesel (capacity 1000, reorder 500), 800 L/day."""
    stock = {"initial": 1000, "capacity": 1000, "reorder": 500, "reserve": 0}
    stock.update(kw.pop("diesel", {}))
    holder = {
        "id": "jp-coy",
        "party": "JP",
        "site": "camp",
        "stock": {"diesel": stock},
        "consumption": {"garrison": {"diesel": kw.pop("rate", 800)}},
    }
    holder.update(kw)
    return holder


def depot(id: str = "ph-depot", party: str = "PH", site: str = "port", **kw: Any) -> dict:
    """A depot with diesel 5000, reserve 1000 unless told otherwise."""
    stock = {"initial": 5000, "reserve": 1000}
    stock.update(kw.pop("diesel", {}))
    holder = {"id": id, "party": party, "kind": "depot", "site": site, "stock": {"diesel": stock}}
    holder.update(kw)
    return holder


def world(**over: Any) -> dict[str, Any]:
    s: dict[str, Any] = {
        "acsasim": 1,
        "name": "rules",
        "start": "2026-06-01",
        "duration": "1d",
        "tick": "6h",
        "reporting_currency": "USD",
        "currencies": {"USD": 1, "PHP": 50, "JPY": 150, "AUD": 1.5},
        "policy": {"acsa": "first"},
        "parties": {
            "JP": {"currency": "JPY", "tax": {"vat": 0.10, "excise": {"diesel": 30}}},
            "PH": {"currency": "PHP", "tax": {"vat": 0.12, "excise": {"diesel": 6}}},
        },
        "commodities": {
            "diesel": {"unit": "L", "category": "fuel"},
            "water": {"unit": "L", "category": "water"},
            "airlift": {"unit": "h", "category": "transportation", "service": True},
        },
        "prices": {"PH": {"diesel": 60, "water": 0.5}, "JP": {"diesel": 133, "airlift": 900000}},
        "sites": {"camp": {"party": "PH"}, "port": {"party": "PH"}},
        "routes": [{"between": ["camp", "port"], "time": "5h"}],
        "agreements": [{"id": "JP-PH", "parties": ["JP", "PH"]}],
        "holders": [coy(), depot()],
        "timeline": [JP_EXERCISE],
    }
    s.update(over)
    return copy.deepcopy(s)  # tests may edit it freely


def typhoon(at: str) -> dict[str, Any]:
    """An event that delays the sealift's shipments at sea by one day."""
    return {"at": at, "event": "typhoon", "delay_supply_lines": {"lines": ["sealift"], "by": "1d"}}


def run(s: dict[str, Any], seed: int = 1) -> RunResult:
    return simulate(load_text(yaml.safe_dump(s, sort_keys=False)), seed=seed, log=True)


def orders(r: RunResult) -> list[tuple[str, str, float, float, float | None]]:
    """(provider, receiver, quantity, requested_at, delivered_at) of every order."""
    return [(o.provider, o.receiver, o.quantity, o.requested_at, o.delivered_at) for o in r.orders]


def refusals(r: RunResult, requester: str = "jp-coy") -> list[tuple]:
    """(time, agreement, provider, reason, requested, refused) of one requester's refusals."""
    return [
        (x.time, x.agreement, x.provider, x.reason, x.requested, x.refused)
        for x in r.refusals
        if x.requester == requester
    ]


def receipts(r: RunResult, kind: str, holder: str = "jp-coy") -> list[tuple[float, float]]:
    """(time, quantity) of one holder's flows of one kind."""
    return [(f.time, f.quantity) for f in r.flows if f.kind == kind and f.holder == holder]


def logged(r: RunResult, text: str) -> list[float]:
    """Times at which exactly `text` was logged."""
    return [t for t, line in r.log if line == text]


# --- R2 demand --------------------------------------------------------------------------------


def test_r2_demand_per_tick_phases_factors_per_person_and_stockout() -> None:
    """R2: demand per tick = sum of active phases' rates x demand_factor (x personnel when
    per_person) x span/24; unmet demand is lost; stock-out hours = span x unmet / demand."""
    s = world(
        duration="27h",
        agreements=[],
        policy={"acsa": "never"},
        holders=[
            {
                "id": "jp-coy",
                "party": "JP",
                "site": "camp",
                "personnel": 10,
                "per_person": True,
                "stock": {"diesel": {"initial": 33}},
                "consumption": {"garrison": {"diesel": 2}, "field": {"diesel": 4}},
            }
        ],
        timeline=[
            {"from": "0d", "holders": ["jp-coy"], "profile": "garrison", "activity": "exercise"},
            {"from": "12h", "to": "18h", "holders": ["jp-coy"], "profile": "field",
             "demand_factor": 1.5},
        ],
    )  # fmt: skip
    # Ticks at k*6h for k = 0..ceil(27/6)-1 = 0..4; the last one spans only 27 - 24 = 3h.
    # Rates: garrison 2 L/person/day x 10 = 20 L/day; field (12h <= t < 18h only)
    # 4 x 1.5 x 10 = 60 L/day.
    #   t=0  demand 20 x 6/24 = 5      -> 28
    #   t=6  5                          -> 23
    #   t=12 (20 + 60) x 6/24 = 20      -> 3
    #   t=18 field over (to is excluded): 5, served 3, unmet 2, stock-out 6 x 2/5 = 2.4h -> 0
    #   t=24 20 x 3/24 = 2.5, all unmet, stock-out 3h
    r = run(s)
    consume = [(f.time, f.quantity, f.unmet) for f in r.flows if f.kind == "consume"]
    # consume rows are summed per day, keeping the first time (outputs.md)
    assert consume == [(0.0, -33.0, 2.0), (24.0, 0.0, 2.5)]
    assert r.stockout_hours == {("jp-coy", "diesel"): pytest.approx(5.4)}
    assert [line for _, line in r.log] == ["jp-coy diesel unmet 2", "jp-coy diesel unmet 2.5"]
    assert r.kpis["unmet_demand"] == {"diesel": 4.5}
    assert r.kpis["fill_rate"] == {"diesel": pytest.approx(33 / 37.5)}


def test_r2_demand_noise_is_lognormal_with_mean_one_and_cv_variability() -> None:
    """R2: each tick's demand is rate x span/24 x a lognormal factor, mean 1, cv = variability."""
    s = world(
        duration="600d",
        tick="1d",
        agreements=[],
        policy={"acsa": "never"},
        holders=[coy(diesel={"initial": 1e9, "capacity": 1e9, "reorder": 0}, rate=100,
                     variability=0.25)],
    )  # fmt: skip
    # counted in millionths of a litre, so that every factor shows in full (to 1e-8)
    s["commodities"]["diesel"]["resolution"] = 0.000001
    r = run(s)
    # One tick per day, so each consume row is one draw: factor = -quantity / 100.
    factors = [-f.quantity / 100 for f in r.flows if f.kind == "consume"]
    assert len(factors) == 600
    mean = sum(factors) / len(factors)
    sd = (sum((x - mean) ** 2 for x in factors) / (len(factors) - 1)) ** 0.5
    # standard error of the mean ~ 0.25 / sqrt(600) = 0.010: allow 3.5 of them
    assert mean == pytest.approx(1.0, abs=0.035)
    assert sd / mean == pytest.approx(0.25, abs=0.035)
    assert min(factors) > 0
    assert len(set(factors)) == 600


def _events_world(events: list[dict[str, Any]]) -> dict[str, Any]:
    """A lone JP unit: 1000 L, 240 L/day = 60 L per tick, no agreement, no supply line."""
    return world(
        duration="2d",
        agreements=[],
        holders=[coy(diesel={"reorder": 0}, rate=240)],
        timeline=[
            ALL_EXERCISE,
            *events,
        ],
    )


def _destroy(at: str, name: str) -> dict[str, Any]:
    loss = {"holder": "jp-coy", "commodity": "diesel", "fraction": 0.5}
    return {"at": at, "event": name, "destroy_stock": loss}


def test_r2_event_acts_before_demand_even_shortly_after_another_event() -> None:
    """R2 (timeline): an event at t acts before the demand at t, also when the previous event
    was less than one tick earlier."""
    r = run(_events_world([_destroy("20h", "e1"), _destroy("24h", "e2")]))
    # 60 L per tick: 940, 880, 820, 760 after t=0..18; e1 at 20h loses half: -380 -> 380.
    # t=24: e2 first loses half of 380: -190 -> 190; then demand 60 -> 130.
    # (Demand first would give 320 then a loss of 160.)
    losses = [(f.time, f.quantity) for f in r.flows if f.kind == "loss"]
    assert losses == [(20.0, -380.0), (24.0, -190.0)]
    assert [line for t, line in r.log if t == 24.0] == ["event e2"]


def test_r2_two_events_at_one_time_both_act_before_demand() -> None:
    """R2 (timeline): every event at t acts before the demand at t."""
    r = run(_events_world([_destroy("36h", "e1"), _destroy("36h", "e2")]))
    # 60 L per tick: 1000 - 6 x 60 = 640 after t=0..30. t=36: e1 loses 320 -> 320, e2 loses
    # 160 -> 160, then demand 60 -> 100; t=42 -> 40. Nothing is unmet.
    losses = [(f.time, f.quantity) for f in r.flows if f.kind == "loss"]
    assert losses == [(36.0, -320.0), (36.0, -160.0)]
    assert [line for _, line in r.log] == ["event e1", "event e2"]
    assert r.kpis["unmet_demand"] == {"diesel": 0.0}


# --- R3 reorder and sourcing ------------------------------------------------------------------

SEALIFT_ON_DEMAND = {"id": "sealift", "party": "JP", "deliver_to": "port",
                     "commodities": ["diesel"], "lead_time": "10h"}  # fmt: skip


def test_r3_policy_never_uses_only_the_national_line_fifo_up_to_capacity() -> None:
    """R3 `never` (and R6 national lines): national line only, even with an ally at hand;
    scheduled departures at first_departure + k x every, FIFO loading up to capacity."""
    line = {**SEALIFT_ON_DEMAND, "every": "12h", "first_departure": "6h",
            "capacity": {"diesel": 400}}  # fmt: skip
    s = world(
        duration="2d",
        policy={"acsa": "never"},
        supply_lines=[line],
        holders=[coy(supplied_by="sealift"), depot()],
    )
    # Departures at 6, 18, 30, 42h (< 48h); each sails 10h to port, then 5h inland to camp.
    # t=12: 400 on hand -> order 600 (queued). Departure 18 loads 400 (capacity), 200 wait;
    #       it reaches port at 28 and camp at 33. Departure 30 loads the 200 -> camp at 45.
    # t=18: 200; t=24: 0; t=30: 200 demanded, all unmet; t=33: +400.
    # t=36: 400 - 200 = 200, position 200 + 200 inbound = 400 <= 500 -> order 600, which
    #       departure 42 loads (400 of it); it would reach camp at 67, after the end.
    r = run(s)
    assert receipts(r, "national_receipt") == [(33.0, 400.0), (45.0, 200.0)]
    assert logged(r, "jp-coy orders diesel 600 from sealift") == [12.0, 36.0]
    assert r.orders == ()
    assert r.refusals == ()
    assert r.kpis["unmet_demand"] == {"diesel": 200.0}


def test_r3_policy_first_asks_allies_first_and_the_national_line_for_the_rest() -> None:
    """R3 `first`: allies first, the national line for what they cannot cover."""
    s = world(
        duration="30h",
        supply_lines=[SEALIFT_ON_DEMAND],
        holders=[coy(supplied_by="sealift"), depot(diesel={"initial": 1400})],
    )
    # t=12: order 600. ph-depot can spare 1400 - 1000 = 400 -> O00001 400 (port -> camp 5h:
    # delivered 17h); the rest, 200, goes on the on-demand line: leaves 12, port 22, camp 27.
    # t=18: 400 + 400 - 200 = 600, position 800; t=24: 400, position 600: no new order.
    r = run(s)
    assert orders(r) == [("ph-depot", "jp-coy", 400.0, 12.0, 17.0)]
    assert logged(r, "jp-coy orders diesel 200 from sealift") == [12.0]
    assert receipts(r, "acsa_receipt") == [(17.0, 400.0)]
    assert receipts(r, "national_receipt") == [(27.0, 200.0)]
    # the ally is asked first: the ACSA order is logged before the national one
    at_12 = [line for t, line in r.log if t == 12.0]
    assert at_12 == [
        "O00001 ph-depot -> jp-coy diesel 400",
        "jp-coy orders diesel 200 from sealift",
    ]


@pytest.mark.parametrize(
    ("lead", "national"),
    [("2h", True), ("4h", False), ("10h", False)],
)
def test_r3_when_national_late_compares_expected_arrival_with_time_to_reserve(
    lead: str, national: bool
) -> None:
    """R3 `when_national_late`: the national line alone if its expected arrival (next
    departure + mean lead time + mean transit to the holder) is strictly before the time
    on-hand stock reaches reserve at the current rate; else allies, then national for the rest."""
    s = world(
        duration="30h",
        policy={"acsa": "when_national_late"},
        supply_lines=[{**SEALIFT_ON_DEMAND, "lead_time": lead}],
        holders=[
            coy(supplied_by="sealift", diesel={"reserve": 100}),
            depot(diesel={"initial": 1400}),
        ],
    )
    # t=12: on hand 400, reserve 100, rate 800/24 L/h -> reserve reached at 12 + 300/(800/24)
    # = 21h. On-demand line: leaves at 12, expected at camp 12 + lead + 5h (port -> camp):
    #   lead 2h  -> 19h < 21h: in time, national 600, arrives 19h;
    #   lead 4h  -> 21h, not before 21h: late -> ally 400 (arrives 17h) + national 200 (21h);
    #   lead 10h -> 27h: late -> ally 400 (17h) + national 200 (27h).
    # Afterwards the position stays above 500 until the end (30h).
    r = run(s)
    arrival = 12 + float(lead[:-1]) + 5
    if national:
        assert r.orders == ()
        assert receipts(r, "national_receipt") == [(arrival, 600.0)]
    else:
        assert orders(r) == [("ph-depot", "jp-coy", 400.0, 12.0, 17.0)]
        assert receipts(r, "national_receipt") == [(arrival, 200.0)]


def test_r3_when_national_late_at_a_departure_instant_uses_the_departure_it_can_catch() -> None:
    """R3 `when_national_late` with a scheduled line: the departure the estimate counts on must
    be one the order can still catch. Here the holder reorders at t=12h, the very time of a
    departure. Either that departure takes the order (national in time: camp at 27h), or it
    has already sailed, the next leaves at 36h (camp at 51h, after stock reaches reserve at
    36h) and the holder must turn to its ally at 12h."""
    line = {**SEALIFT_ON_DEMAND, "every": "1d", "first_departure": "12h"}
    s = world(
        duration="3d",
        policy={"acsa": "when_national_late"},
        supply_lines=[line],
        holders=[
            coy(supplied_by="sealift", rate=200, diesel={"reorder": 850, "reserve": 650}),
            depot(),
        ],
    )
    # 50 L per tick: 950, 900, 850 after t=12 -> position 850 <= 850: order 150.
    # Reserve 650 is reached at 12 + 200 / (200/24) = 36h.
    r = run(s)
    national_at_12 = 12.0 in logged(r, "jp-coy orders diesel 150 from sealift")
    if national_at_12:
        first = receipts(r, "national_receipt")[0]
        assert first == (27.0, 150.0), "ordered for the 12h departure but it sailed without it"
    else:
        assert orders(r)[0] == ("ph-depot", "jp-coy", 150.0, 12.0, 17.0)


def test_r3_a_depot_never_asks_allies() -> None:
    """R3: depots only provide; below reorder they use their national line, never the desk."""
    s = world(
        duration="1d",
        supply_lines=[SEALIFT_ON_DEMAND],
        holders=[
            depot("jp-depot", party="JP", site="camp", supplied_by="sealift",
                  diesel={"initial": 1000, "reserve": 500}),
            depot(),
        ],
        timeline=[
            {"from": "0d", "holders": "all", "activity": "exercise"},
            {"at": "6h", "event": "fire",
             "destroy_stock": {"holder": "jp-depot", "commodity": "diesel", "fraction": 0.6}},
        ],
    )  # fmt: skip
    # t=6: 600 lost -> 400 <= reorder (= reserve) 500 -> orders 1000 - 400 = 600, national
    # only although policy is `first` and ph-depot could spare 4000: leaves 6h, port 16h,
    # camp 21h.
    r = run(s)
    assert r.orders == ()
    assert r.refusals == ()
    assert receipts(r, "national_receipt", "jp-depot") == [(21.0, 600.0)]


# --- R4 providers -----------------------------------------------------------------------------

FAR = {"sites": {"camp": {"party": "PH"}, "port": {"party": "PH"}, "far": {"party": "PH"}},
       "routes": [{"between": ["camp", "port"], "time": "5h"},
                  {"between": ["camp", "far"], "time": "10h"}]}  # fmt: skip


def test_r4_nearest_provider_first() -> None:
    """R4: candidates are tried nearest first (mean transit time), not in file order and not
    by surplus."""
    s = world(**FAR, holders=[coy(), depot("far-depot", site="far"), depot("near-depot")])
    # far-depot (10h away, listed first) and near-depot (5h) both spare 4000:
    # the 600 asked at 12h all come from near-depot, delivered 12 + 5 = 17h.
    r = run(s)
    assert orders(r) == [("near-depot", "jp-coy", 600.0, 12.0, 17.0)]


def test_r4_several_providers_split_one_request() -> None:
    """R4: when the nearest cannot cover it all, the next nearest gives the rest."""
    s = world(
        **FAR,
        holders=[
            coy(),
            depot("far-depot", site="far"),
            depot("near-depot", diesel={"initial": 1250}),
        ],
    )
    # near-depot spares 1250 - 1000 = 250 -> O00001 250, delivered 17h; far-depot gives the
    # remaining 350 -> O00002, delivered 12 + 10 = 22h. Position then 800: no new order by 24h.
    r = run(s)
    assert orders(r) == [
        ("near-depot", "jp-coy", 250.0, 12.0, 17.0),
        ("far-depot", "jp-coy", 350.0, 12.0, 22.0),
    ]
    stock = {}
    for f in r.flows:
        stock[f.holder] = stock.get(f.holder, 0.0) + f.quantity
    assert stock["near-depot"] == 1000.0  # down to its reserve, not below
    assert stock["far-depot"] == 4650.0


def test_r4_ties_on_transit_go_to_the_larger_surplus() -> None:
    """R4: equally near providers: the larger surplus first (then the id)."""
    s = world(
        holders=[
            coy(),
            depot("a-depot", diesel={"initial": 1300}),
            depot("b-depot", diesel={"initial": 1500}),
        ]
    )
    # Both at port (5h). a-depot spares 300, b-depot 500: b-depot first (500), then a-depot
    # the remaining 100, although "a-depot" sorts first by id.
    r = run(s)
    assert orders(r) == [
        ("b-depot", "jp-coy", 500.0, 12.0, 17.0),
        ("a-depot", "jp-coy", 100.0, 12.0, 17.0),
    ]


def test_r4_a_unit_spares_stock_above_reorder_a_depot_above_reserve() -> None:
    """R4: a unit provides only stock above its reorder level; a depot above its reserve."""
    ph_coy = {
        "id": "ph-coy", "party": "PH", "site": "port",
        "stock": {"diesel": {"initial": 700, "reorder": 500, "reserve": 100}},
    }  # fmt: skip
    s = world(
        holders=[coy(), ph_coy, depot(diesel={"initial": 500, "reorder": 450, "reserve": 100})]
    )
    # Both at port. ph-depot spares 500 - 100 = 400 (its reorder 450 does not matter);
    # ph-coy spares 700 - 500 = 200 (its reserve 100 does not matter). Larger first:
    # ph-depot 400, then ph-coy 200 = the 600 asked.
    r = run(s)
    assert orders(r) == [
        ("ph-depot", "jp-coy", 400.0, 12.0, 17.0),
        ("ph-coy", "jp-coy", 200.0, 12.0, 17.0),
    ]


# --- R5 eligibility ---------------------------------------------------------------------------


def test_r5_not_in_force_before_the_in_force_date() -> None:
    """R5 not_in_force: nothing is provided before `in_force`; refused with no provider."""
    s = world(duration="30h", agreements=[{"id": "JP-PH", "parties": ["JP", "PH"],
                                            "in_force": "2026-06-02"}])  # fmt: skip
    # In force from 24h. t=12: 600 asked, refused; t=18: on hand 200 -> 800 asked, refused
    # again, but in the same request episode (the position never rose above the reorder
    # level): no second row. t=24: in force (from <= now); on hand 0 -> 1000 asked, given,
    # delivered 29h.
    r = run(s)
    assert refusals(r) == [(12.0, "JP-PH", "", "not_in_force", 600.0, 600.0)]
    assert logged(r, "refused jp-coy diesel 600 not_in_force") == [12.0]
    assert orders(r) == [("ph-depot", "jp-coy", 1000.0, 24.0, 29.0)]


@pytest.mark.parametrize(
    ("agreement", "reason"),
    [
        ({"categories": ["food", "water"]}, "category_not_covered"),
        ({"excluded": ["diesel"]}, "excluded"),
        ({"activities": ["disaster_relief"]}, "activity_not_covered"),
    ],
)
def test_r5_agreement_level_refusals(agreement: dict[str, Any], reason: str) -> None:
    """R5 category_not_covered, excluded, activity_not_covered: the agreement refuses as a
    whole, recorded with an empty provider and the whole quantity."""
    s = world(duration="18h", agreements=[{"id": "JP-PH", "parties": ["JP", "PH"], **agreement}])
    # t=12: 600 asked (jp-coy's activity is `exercise`), refused; no order. Ticks end at 12h.
    r = run(s)
    assert refusals(r) == [(12.0, "JP-PH", "", reason, 600.0, 600.0)]
    assert r.orders == ()
    assert logged(r, f"refused jp-coy diesel 600 {reason}") == [12.0]


def test_r5_agreements_are_tried_in_file_order() -> None:
    """R5 with R4: the receiver's agreements in file order; a refusing agreement passes the
    request on to the next one."""
    s = world(
        parties={
            "JP": {"currency": "JPY"},
            "PH": {"currency": "PHP"},
            "AU": {"currency": "AUD"},
        },
        prices={"PH": {"diesel": 60}, "AU": {"diesel": 1.2}},
        agreements=[
            {"id": "JP-PH", "parties": ["JP", "PH"], "categories": ["food"]},
            {"id": "JP-AU", "parties": ["AU", "JP"]},
        ],
        holders=[coy(), depot(), depot("au-depot", party="AU")],
    )
    # t=12: JP-PH (first in the file) refuses fuel; JP-AU gives the 600 from au-depot.
    r = run(s)
    assert refusals(r) == [(12.0, "JP-PH", "", "category_not_covered", 600.0, 600.0)]
    assert orders(r) == [("au-depot", "jp-coy", 600.0, 12.0, 17.0)]
    assert r.orders[0].agreement == "JP-AU"


def test_r5_no_price() -> None:
    """R5 no_price: a provider without a price for the commodity cannot provide it."""
    s = world(duration="18h", prices={"PH": {"water": 0.5}})
    # t=12: ph-depot has 4000 to spare but no diesel price: refused by it, no order.
    r = run(s)
    assert refusals(r) == [(12.0, "JP-PH", "ph-depot", "no_price", 600.0, 600.0)]
    assert r.refusals[0].provider_party == "PH"
    assert r.orders == ()
    assert logged(r, "refused jp-coy diesel 600 no_price by ph-depot") == [12.0]


def test_r5_ceiling_trims_then_refuses() -> None:
    """R5 ceiling (R14): the quantity is trimmed to the provider's room under the agreement-year
    ceiling, the trimmed quantity recorded as `ceiling`; with no room left, all is refused."""
    s = world(agreements=[{"id": "JP-PH", "parties": ["JP", "PH"], "ceilings": {"value": 100}}])
    # PHP 60/L at 50 PHP/USD = USD 1.20/L; USD 100 buys 100/1.2 = 83.333.. L, and litres are
    # counted in thousandths: 83.333 L (USD 99.9996 exactly; 83.334 L would be 100.0008).
    # t=12: 600 asked -> O00001 83.333 L, value PHP 4999.98 = USD 99.9996 -> 100.00; 516.667
    # trimmed. t=17: received -> 483.333. t=18: -200 -> 283.333, position 283.333 ->
    # 716.667 asked; no room left: all refused `ceiling`, no order; the same request
    # episode and reason as at 12h, so no second row.
    r = run(s)
    (o,) = r.orders
    assert (o.provider, o.quantity, o.requested_at, o.delivered_at) == (
        "ph-depot", 83.333, 12.0, 17.0,
    )  # fmt: skip
    assert (o.value, o.value_reporting) == (Decimal("4999.98"), Decimal("100.00"))
    got = refusals(r)
    assert got == [(12.0, "JP-PH", "ph-depot", "ceiling", 600.0, 516.667)]
    assert r.kpis["ceiling_use"] == {"JP-PH": {"PH": {"2026-06-01": {"value": 1.0}}}}


def test_r5_supplies_value_ceiling_caps_goods_not_services() -> None:
    """R5 ceiling (R14): `supplies_value` limits goods only; a service is not trimmed by it."""
    s = _jp_to_ph_at_an_au_base()
    s["agreements"][0]["ceilings"] = {"supplies_value": 50}
    ph_coy, ship = s["holders"]
    ph_coy["stock"]["airlift"] = {"initial": 10, "reorder": 8}
    ph_coy["consumption"]["garrison"]["airlift"] = 8
    ship["stock"]["airlift"] = {"initial": 100}
    # t=0: diesel 100.5 L asked (USD 89.11 at JPY 133/L, 150 JPY/USD): trimmed to USD 50,
    # i.e. 50 / (133/150) = 56.3909.. L, counted in thousandths 56.390 L (JPY 7499.87 ->
    # JPY 7500 = USD 50.00); 100.5 - 56.390 = 44.110 L refused `ceiling`.
    # Then airlift 2 h asked (a service): JPY 1,800,000 = USD 12,000, not limited.
    r = run(s)
    diesel, airlift = r.orders
    assert diesel.quantity == 56.390
    assert (diesel.value, diesel.value_reporting) == (Decimal("7500"), Decimal("50.00"))
    assert (airlift.quantity, airlift.value, airlift.value_reporting) == (
        2.0, Decimal("1800000"), Decimal("12000.00"),
    )  # fmt: skip
    (x,) = r.refusals
    assert (x.time, x.requester, x.provider, x.commodity, x.reason) == (
        0.0, "ph-coy", "jp-ship", "diesel", "ceiling",
    )  # fmt: skip
    assert (x.requested, x.refused) == (100.5, 100.5 - 56.390)


def test_r5_no_surplus_records_the_shortfall_once() -> None:
    """R5 no_surplus (R4): a depot at its reserve has nothing to spare. Holders with nothing to
    spare are passed over; the request's shortfall is one refusal with no provider named (one
    row per request, not one per holder asked: at scale the latter drowns the table)."""
    s = world(duration="18h", holders=[coy(), depot(diesel={"initial": 1000})])
    # ph-depot holds 1000 = reserve: surplus 0. t=12: 600 asked, 600 short for want of surplus.
    r = run(s)
    assert refusals(r) == [(12.0, "JP-PH", "", "no_surplus", 600.0, 600.0)]
    assert r.orders == ()


def test_r5_no_surplus_when_no_holder_of_the_party_stocks_it() -> None:
    """R5 no_surplus: the other party has no holder of the commodity at all: empty provider."""
    water_depot = {"id": "ph-depot", "party": "PH", "kind": "depot", "site": "port",
                   "stock": {"water": {"initial": 5000}}}  # fmt: skip
    s = world(duration="18h", holders=[coy(), water_depot])
    r = run(s)
    assert refusals(r) == [(12.0, "JP-PH", "", "no_surplus", 600.0, 600.0)]
    assert r.orders == ()


def _closed_road(**event: Any) -> dict[str, Any]:
    return world(
        duration="30h",
        timeline=[
            JP_EXERCISE,
            {"at": "10h", "event": "storm",
             "close_routes": {"routes": [["camp", "port"]], "for": "12h"}, **event},
        ],
    )  # fmt: skip


def test_r5_no_route_while_the_only_road_is_closed() -> None:
    """R5 no_route (R6): a provider with no open path to the receiver is refused."""
    r = run(_closed_road())
    # Road closed 10h-22h. t=12: 600 asked, no_route; t=18: 800 asked, no_route, the same
    # request episode: one row. t=24: reopened; on hand 0 -> 1000 asked, given, delivered 29h.
    assert refusals(r) == [(12.0, "JP-PH", "ph-depot", "no_route", 600.0, 600.0)]
    assert orders(r) == [("ph-depot", "jp-coy", 1000.0, 24.0, 29.0)]


def test_r5_no_route_when_the_same_event_closes_the_road_and_destroys_stock() -> None:
    """R5 no_route (R6): an event that closes the road and destroys stock at once: the reorder
    the loss triggers already sees the road closed."""
    r = run(
        _closed_road(destroy_stock={"holder": "jp-coy", "commodity": "diesel", "fraction": 0.6})
    )
    # t=6: 600. t=10: the road closes (to 22h) and 60% is lost -> 240; position 240 <= 500
    # -> 760 asked: no_route. t=12: 40 -> 960 asked, t=18: 1000 asked, no_route both times
    # in the same request episode: no more rows. t=24: road open: 1000 given, delivered 29h.
    assert refusals(r) == [(10.0, "JP-PH", "ph-depot", "no_route", 760.0, 760.0)]
    assert orders(r) == [("ph-depot", "jp-coy", 1000.0, 24.0, 29.0)]


# --- R6 transport -----------------------------------------------------------------------------


def test_r6_multi_trip_with_vehicles_over_the_quickest_path_by_mean_time() -> None:
    """R6: ceil(qty/load) trips, each holding one vehicle for the round trip; delivered when
    the last trip arrives. Path = shortest by MEAN route time, each leg's time sampled."""
    s = world(
        duration="26h",
        sites={"camp": {"party": "PH"}, "mid": {"party": "PH"}, "port": {"party": "PH"}},
        routes=[
            # direct: mean (1 + 1 + 13)/3 = 5h, although most often about 1h
            {"between": ["camp", "port"], "time": {"triangular": ["1h", "1h", "13h"]}},
            {"between": ["camp", "mid"], "time": "2h"},
            {"between": ["mid", "port"], "time": "150min"},  # via mid: 4.5h < 5h
        ],
        holders=[
            coy(diesel={"capacity": 1400}),
            depot(transport={"vehicles": 2, "load": {"diesel": 300}}),
        ],
    )
    # t=12: on hand 400, capacity 1400 -> 1000 asked. Trips 300, 300, 300, 100 over
    # camp-mid-port (2 + 2.5 = 4.5h each way), 2 vehicles:
    #   trips 1, 2 leave 12 -> arrive 16.5 -> back 21; trips 3, 4 leave 21 -> arrive 25.5.
    # Delivered 25.5h, due 25.5 + 365d.
    r = run(s)
    assert receipts(r, "acsa_receipt") == [
        (16.5, 300.0),
        (16.5, 300.0),
        (25.5, 300.0),
        (25.5, 100.0),
    ]
    (o,) = r.orders
    assert (o.quantity, o.requested_at, o.delivered_at) == (1000.0, 12.0, 25.5)
    assert o.due_at == 25.5 + HOURS_PER_YEAR
    assert logged(r, "O00001 delivered, replacement_in_kind, due 8785.5h") == [25.5]


def test_r6_a_closed_route_holds_a_transfer_until_it_reopens() -> None:
    """R6: a trip with no open path waits for the route to reopen; an order not yet delivered
    has no method, due date or books (R8)."""
    s = world(
        duration="36h",
        holders=[coy(), depot(transport={"vehicles": 1, "load": {"diesel": 300}})],
        timeline=[
            JP_EXERCISE,
            {"at": "20h", "event": "storm",
             "close_routes": {"routes": [["camp", "port"]], "for": "10h"}},
        ],
    )  # fmt: skip
    # t=12: 600 asked, 2 trips, 1 truck. Trip 1: 12 -> 17, back 17 -> 22 (its path was open
    # when it left). The road is closed 20h-30h: trip 2 takes the truck at 22, waits until 30,
    # arrives 35 -> delivered 35h.
    # t=18: 400 + 300 - 200 = 500, position 800; t=24: 300, position 600; t=30 (road open
    # again): 100, position 400 -> 600 asked: O00002, whose trips wait for the truck (back at
    # 40): they arrive 45 and 55, after the end.
    r = run(s)
    assert receipts(r, "acsa_receipt") == [(17.0, 300.0), (35.0, 300.0)]
    assert orders(r) == [
        ("ph-depot", "jp-coy", 600.0, 12.0, 35.0),
        ("ph-depot", "jp-coy", 600.0, 30.0, None),
    ]
    o2 = r.orders[1]  # its method was agreed at issue (R8); no due date before delivery
    assert (o2.status, o2.method, o2.due_at) == ("in_transit", "replacement_in_kind", None)
    assert [t.order_id for t in r.transactions] == ["O00001"]
    assert r.refusals == ()


def test_r6_delayed_supply_line_pushes_only_shipments_at_sea() -> None:
    """R6: delay_supply_lines pushes the line's shipments at sea by `by`; a shipment that
    leaves after the event is not delayed. Arrival at deliver_to, then inland to the holder."""
    coy2 = coy(id="jp-coy2", rate=400, supplied_by="sealift")
    s = world(
        duration="52h",
        policy={"acsa": "never"},
        supply_lines=[SEALIFT_ON_DEMAND],
        holders=[coy(supplied_by="sealift"), coy2],
        timeline=[
            ALL_EXERCISE,
            typhoon("15h"),
        ],
    )  # fmt: skip
    # jp-coy: t=12 orders 600, leaves at once, due at port 22h; at sea at 15h -> 22 + 24 =
    #   46h at port, 51h at camp. (Position stays above 500 meanwhile: 800, 600, 600...)
    # jp-coy2 (100 L per tick): 900, 800, 700, 600, 500 after t=24 -> orders 500, leaves 24h
    #   (after the event): port 34h, camp 39h.
    r = run(s)
    assert receipts(r, "national_receipt") == [(51.0, 600.0)]
    assert receipts(r, "national_receipt", "jp-coy2") == [(39.0, 500.0)]


def test_r6_a_delay_does_not_touch_a_shipment_that_leaves_after_it() -> None:
    """R6: delay_supply_lines pushes only shipments at sea when the event strikes. Events at t
    act before the holders at t (R2), so an on-demand shipment ordered at the event's own
    time leaves after it and is not delayed."""
    s = world(
        duration="30h",
        policy={"acsa": "never"},
        supply_lines=[SEALIFT_ON_DEMAND],
        holders=[coy(supplied_by="sealift")],
        timeline=[
            ALL_EXERCISE,
            typhoon("12h"),
        ],
    )  # fmt: skip
    # t=12: "event typhoon" (nothing at sea), then jp-coy orders 600: leaves 12h, port 22h,
    # camp 27h. Position 800 at 18h, 600 at 24h: no other order.
    r = run(s)
    assert [line for t, line in r.log if t == 12.0] == [
        "event typhoon",
        "jp-coy orders diesel 600 from sealift",
    ]
    assert receipts(r, "national_receipt") == [(27.0, 600.0)]


def test_r6_on_demand_line_leaves_at_once_capped_at_its_capacity() -> None:
    """R6: an on-demand line (no `every`) leaves when ordered, carrying at most its capacity."""
    s = world(
        duration="30h",
        policy={"acsa": "never"},
        supply_lines=[{**SEALIFT_ON_DEMAND, "capacity": {"diesel": 250}}],
        holders=[coy(supplied_by="sealift")],
    )
    # t=12: 600 wanted, 250 taken (leaves 12, camp 27). t=18: 200 + 250 = 450 <= 500 -> 550
    # wanted, 250 taken (camp 33). t=24: 0 + 500 = 500 <= 500 -> 500 wanted, 250 taken.
    r = run(s)
    assert logged(r, "jp-coy orders diesel 250 from sealift") == [12.0, 18.0, 24.0]
    assert receipts(r, "national_receipt") == [(27.0, 250.0)]


# --- R7 value and tax -------------------------------------------------------------------------


def _jp_to_ph_at_an_au_base(tax_exempt: bool = True) -> dict[str, Any]:
    """JP ship provides diesel to a PH unit; both at `base`, a site in AU territory."""
    ph_coy = {
        "id": "ph-coy", "party": "PH", "site": "base",
        "stock": {"diesel": {"initial": 1000, "reorder": 900}},
        "consumption": {"garrison": {"diesel": 402}},
    }  # fmt: skip
    return world(
        duration="6h",
        parties={
            "JP": {"currency": "JPY", "tax": {"vat": 0.10, "excise": {"diesel": 30}}},
            "PH": {"currency": "PHP", "tax": {"vat": 0.12, "excise": {"diesel": 6}}},
            "AU": {"currency": "AUD", "tax": {"vat": 0.10, "excise": {"diesel": 0.47}}},
        },
        sites={"base": {"party": "AU"}},
        routes=[],
        agreements=[{"id": "JP-PH", "parties": ["JP", "PH"], "tax_exempt": tax_exempt}],
        holders=[ph_coy, depot("jp-ship", party="JP", site="base")],
        timeline=[{**ALL_EXERCISE, "holders": ["ph-coy"]}],
    )


def test_r7_value_in_provider_currency_converted_and_tax_of_the_site_territory_waived() -> None:
    """R7: value = quantity x provider's price in its currency (rounded to its minor unit);
    value_reporting = value / rate; tax waived = VAT and excise of the delivery site's
    territory, rounded once."""
    r = run(_jp_to_ph_at_an_au_base())
    # t=0: demand 402 x 6/24 = 100.5 -> 899.5 <= 900 -> 100.5 L asked from jp-ship (same
    # site: handling 1h, delivered at 1h).
    # value = 100.5 x JPY 133 = 13366.5 -> JPY has no minor unit, half up: JPY 13367.
    # value_reporting = 13367 / 150 = 89.1133.. -> USD 89.11.
    # Tax of AU (the site's territory; not JP the provider nor PH the receiver):
    #   VAT 0.10 x 89.11 = 8.911; excise 0.47 AUD/L x 100.5 L = 47.235 AUD / 1.5 = 31.49;
    #   8.911 + 31.49 = 40.401 -> USD 40.40.
    (o,) = r.orders
    assert (o.provider, o.receiver, o.quantity, o.delivered_at) == ("jp-ship", "ph-coy", 100.5, 1.0)
    assert o.currency == "JPY"
    assert o.value == Decimal("13367")
    assert o.value_reporting == Decimal("89.11")
    assert o.tax_waived_reporting == Decimal("40.40")
    assert r.kpis["tax_waived"] == 40.40


def test_r7_no_tax_waived_without_tax_exemption() -> None:
    """R7: an agreement that is not tax_exempt waives nothing; the value is unchanged."""
    r = run(_jp_to_ph_at_an_au_base(tax_exempt=False))
    (o,) = r.orders
    assert (o.value, o.value_reporting) == (Decimal("13367"), Decimal("89.11"))
    assert o.tax_waived_reporting == Decimal("0.00")
    assert str(o.tax_waived_reporting) == "0.00"


# --- R8 settlement method and due date --------------------------------------------------------


@pytest.mark.parametrize(
    ("methods", "good", "service"),
    [
        (["replacement_in_kind", "cash"], "replacement_in_kind", "cash"),
        (
            ["replacement_in_kind", "equal_value_exchange", "cash"],
            "replacement_in_kind",
            "equal_value_exchange",
        ),
        (["cash", "replacement_in_kind"], "cash", "cash"),
        (["equal_value_exchange"], "equal_value_exchange", "equal_value_exchange"),
    ],
)
def test_r8_method_is_the_first_that_applies_never_rik_for_a_service(
    methods: list[str], good: str, service: str
) -> None:
    """R8: on receipt the order takes the first of the agreement's settlement methods that
    applies (replacement in kind never for a service); due = delivery + deadline; the issue
    is posted at delivery in the provider's currency."""
    s = _jp_to_ph_at_an_au_base()
    s["agreements"] = [{"id": "JP-PH", "parties": ["JP", "PH"],
                        "settlement": {"methods": methods, "deadline": "90d"}}]  # fmt: skip
    ph_coy, ship = s["holders"]
    ph_coy["stock"]["airlift"] = {"initial": 10, "reorder": 8}
    ph_coy["consumption"]["garrison"]["airlift"] = 8
    ship["stock"]["airlift"] = {"initial": 100}
    # t=0: diesel 100.5 L as in the R7 test; airlift 8 h/day x 6/24 = 2 h -> 8 <= 8 -> 2 h
    # asked from jp-ship (surplus 100). Both delivered at 1h (handling), due 1 + 90 x 24 =
    # 2161h. Airlift value 2 x JPY 900,000 = JPY 1,800,000.
    r = run(s)
    got = {o.commodity: (o.method, o.delivered_at, o.due_at, o.status) for o in r.orders}
    assert got == {
        "diesel": (good, 1.0, 2161.0, "open"),
        "airlift": (service, 1.0, 2161.0, "open"),
    }
    issues = {
        t.order_id: (t.kind, t.time, {(p.account, p.amount, p.currency) for p in t.postings})
        for t in r.transactions
    }
    airlift = next(o for o in r.orders if o.commodity == "airlift")
    v = Decimal("1800000")
    assert issues[airlift.order_id] == (
        "issue",
        1.0,
        {
            ("Assets:JP:Receivable:PH", v, "JPY"),
            ("Income:JP:Provided", -v, "JPY"),
            ("Expenses:PH:Received", v, "JPY"),
            ("Liabilities:PH:Payable:JP", -v, "JPY"),
        },
    )
