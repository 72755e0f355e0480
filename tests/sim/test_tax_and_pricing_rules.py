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
