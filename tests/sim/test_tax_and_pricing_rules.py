"""R7 revised (the tax basis) and pricing (dated price lists, pricing on order, charges), one
small hand-built scenario per test, the expected figures worked out by hand in comments.

The world is that of tests/sim/test_settlement_rules.py (`world()`): USD reporting, PHP 50
and JPY 150 to the dollar, PH diesel PHP 60/L, sites camp and port joined by a 5h road, a
JP unit (jp-coy, diesel 1000, reorder 500) and a PH depot (ph-depot, diesel 5000, reserve
1000). A `loss` event at 10h takes half of jp-coy's diesel: 500 <= 500, so it orders 500 L
at 10h, which ph-depot provides (delivered at 15h).
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
import yaml
from test_settlement_rules import depot, loss, run, unit, world

PH_TAX = {"vat": 0.12, "excise": {"diesel": 6.0}}


def _ph_tax(**extra: Any) -> dict[str, Any]:
    return {"JP": {"currency": "JPY"}, "PH": {"currency": "PHP", "tax": {**PH_TAX, **extra}}}


@pytest.mark.parametrize(
    ("vat_on_excise", "waived"),
    [
        # VAT on the value only: 0.12 x 600.00 + 60.00 = 132.00
        (False, D("132.00")),
        # VAT on the value plus the excise (the Philippines): 0.12 x (600 + 60) + 60 = 139.20
        (True, D("139.20")),
        # per commodity: diesel named true
        ({"diesel": True}, D("139.20")),
        # per commodity: a commodity left out is false
        ({"water": True}, D("132.00")),
    ],
)
def test_r7_vat_is_levied_on_the_excise_where_the_territory_says_so(
    vat_on_excise: Any, waived: D
) -> None:
    """R7 revised: O00001 is 500 L of PH diesel delivered at camp (PH territory): value
    500 x PHP 60 = PHP 30,000.00 = USD 600.00; excise 500 x PHP 6 = PHP 3,000 = USD 60.00."""
    s = world(parties=_ph_tax(vat_on_excise=vat_on_excise), timeline=[*world()["timeline"],
              loss("10h")])  # fmt: skip
    r = run(s)
    (o,) = r.orders
    assert (o.quantity, o.value, o.value_reporting) == (500.0, D("30000.00"), D("600.00"))
    assert o.tax_waived_reporting == waived
    assert r.kpis["tax_waived"] == float(waived)


def test_r7_japan_levies_no_consumption_tax_on_the_diesel_delivery_tax() -> None:
    """R7 revised: a JP depot delivers 500 L of diesel to a PH unit in JP territory. JP price
    JPY 130/L: value JPY 65,000 = USD 433.33 (65,000 / 150 = 433.333..). Japan's diesel
    delivery tax (JPY 32.1/L) is outside the consumption tax base, so the waiver is
    0.10 x 433.33 + 500 x 32.1 / 150 = 43.333 + 107.00 = 150.333 -> USD 150.33 (with VAT on
    the excise it would be 43.333 + 107 x 1.1 = 161.03)."""
    jp_tax = {"vat": 0.10, "excise": {"diesel": 32.1}, "vat_on_excise": {"diesel": False}}
    s = world(
        parties={"JP": {"currency": "JPY", "tax": jp_tax}, "PH": {"currency": "PHP"}},
        prices={"JP": {"diesel": 130}},
        sites={"camp": {"party": "JP"}, "port": {"party": "JP"}},
        holders=[unit("ph-coy", party="PH"), depot("jp-depot", party="JP")],
        timeline=[*world()["timeline"], loss("10h", holder="ph-coy")],
    )
    (o,) = run(s).orders
    assert (o.provider, o.receiver, o.value, o.value_reporting) == (
        "jp-depot", "ph-coy", D("65000"), D("433.33"),
    )  # fmt: skip
    assert o.tax_waived_reporting == D("150.33")


# --- Pricing: dated price lists, pricing on order, charges ------------------------------------


def _two_orders(**over: Any) -> dict[str, Any]:
    """jp-coy loses half its diesel at 10h (500 L, delivered 15h) and again at 30h (500 L)."""
    return world(duration="4d", timeline=[*world()["timeline"], loss("10h"), loss("30h")], **over)


def test_pricing_an_order_takes_the_price_list_in_force_and_records_its_basis() -> None:
    """PH's list from 2 June (t = 24h), basis `standard price 2026`, prices diesel at PHP 70:
    the 10h order is priced from `prices` (PHP 60: 500 L = PHP 30,000.00, no basis), the
    30h order from the list (PHP 35,000.00)."""
    plist = {"party": "PH", "from": "2026-06-02", "basis": "standard price 2026",
             "prices": {"diesel": 70}}  # fmt: skip
    r = run(_two_orders(price_lists=[plist]))
    assert [(o.requested_at, o.value, o.price_basis, o.priced_at) for o in r.orders] == [
        (10.0, D("30000.00"), "", 10.0),
        (30.0, D("35000.00"), "standard price 2026", 30.0),
    ]


def _unpriced(**agreement_terms: Any) -> dict[str, Any]:
    """PH has no diesel price: only the 10h loss, agreement JP-PH with these terms."""
    s = world(duration="4d", prices={"JP": {"diesel": 133}, "PH": {}},
              timeline=[*world()["timeline"], loss("10h")])  # fmt: skip
    s["agreements"][0].update(agreement_terms)
    return s


def test_pricing_a_provider_without_a_price_provides_and_the_order_is_priced_later() -> None:
    """`price_on_order: 3d`: the 10h order is issued unpriced (value 0), arrives at 15h
    (`unpriced`), and is priced at 10 + 72 = 82h from PH's list in force then (from 3 June,
    t = 48h, PHP 70, `actual cost`): PHP 35,000.00, booked (its issue posted) at 82h; due a
    year after its arrival."""
    plist = {"party": "PH", "from": "2026-06-03", "basis": "actual cost", "prices": {"diesel": 70}}
    statuses: list[tuple[str, float | None]] = []
    s = _unpriced(price_on_order="3d")
    s["price_lists"] = [plist]
    from acsasim.scenario import load_text
    from acsasim.sim import simulate

    r = simulate(load_text(yaml.safe_dump(s, sort_keys=False)), seed=1,
                 on_order=lambda o: statuses.append((o.status, o.priced_at)))  # fmt: skip
    (o,) = r.orders
    assert (o.value, o.price_basis, o.priced_at, o.delivered_at) == (
        D("35000.00"), "actual cost", 82.0, 15.0,
    )  # fmt: skip
    assert (o.status, o.due_at) == ("open", 15.0 + 365 * 24)
    assert [s for s, _ in statuses if s != "in_transit"][:2] == ["unpriced", "unpriced"]
    assert ("open", 82.0) in statuses
    assert [(t.time, t.kind) for t in r.transactions] == [(82.0, "issue")]
    assert r.refusals == ()


def test_pricing_on_order_falls_back_to_the_receivers_own_price() -> None:
    """No PH price at 82h either: the receiver's price (JP diesel JPY 133/L) in PHP, at the
    scenario's rates: 133 x 50 / 150 = PHP 44.333../L; 500 L = PHP 22,166.67."""
    (o,) = run(_unpriced(price_on_order="3d")).orders
    assert (o.value, o.price_basis, o.priced_at) == (D("22166.67"), "JP's price", 82.0)


def test_pricing_without_price_on_order_a_provider_without_a_price_refuses() -> None:
    r = run(_unpriced())
    assert r.orders == () and {x.reason for x in r.refusals} == {"no_price"}
    s = _unpriced(price_on_order="3d")
    s["prices"] = {}  # nobody prices diesel: nothing can price the order
    assert {x.reason for x in run(s).refusals} == {"no_price"}


def test_pricing_transport_and_handling_charges_per_order() -> None:
    """`charges: {handling: 0.02, per_trip: 100}`; ph-depot's one truck carries 200 L: the
    500 L go in 3 trips (delivered 35h). Goods PHP 30,000.00; handling 2% = PHP 600.00;
    transport 3 x USD 100 = 3 x PHP 5,000.00; charges PHP 15,600.00, value PHP 45,600.00
    (USD 912.00). The tax waived is on the goods alone: 0.12 x 600 + 500 x 6 / 50 = 132.00."""
    s = world(parties={"JP": {"currency": "JPY"},
                       "PH": {"currency": "PHP", "tax": PH_TAX}},
              timeline=[*world()["timeline"], loss("10h")])  # fmt: skip
    s["agreements"][0]["charges"] = {"handling": 0.02, "per_trip": 100}
    s["holders"][1]["transport"] = {"vehicles": 1, "load": {"diesel": 200}}
    (o,) = run(s).orders
    assert (o.charges, o.value, o.value_reporting) == (
        D("15600.00"), D("45600.00"), D("912.00"),
    )  # fmt: skip
    assert (o.delivered_at, o.tax_waived_reporting) == (35.0, D("132.00"))
