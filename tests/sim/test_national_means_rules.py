"""R21 national means first: cross-levelling within a party, and commercial supply lines that
buy locally with tax paid. Hand-built scenarios in the world of
tests/sim/test_settlement_rules.py: jp-coy (camp, diesel 1000, reorder 500) loses half its
diesel at 10h and asks for 500 L; ph-depot (port, 5h away) spares 4000 L at PHP 60/L."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
import yaml
from test_settlement_rules import EXERCISE, depot, loss, run, unit, world

from acsasim.scenario import ScenarioError, load_text

PH_TAX = {"vat": 0.12, "excise": {"diesel": 6.0}, "vat_on_excise": True}


def _with_jp_depot(initial: int, cross_level: bool = True) -> dict[str, Any]:
    """A JP depot at port too, diesel `initial`, reserve 1000."""
    return world(
        policy={"acsa": "first", "cross_level": cross_level},
        holders=[unit(), depot(), depot("jp-depot", "JP", initial=initial)],
        timeline=[EXERCISE, loss("10h")],
    )


def flows_of(r: Any, *kinds: str) -> list[tuple[float, str, float]]:
    return [(f.time, f.holder, f.quantity) for f in r.flows if f.kind in kinds]


def test_r21_a_unit_draws_first_on_its_own_party() -> None:
    """R21: with `cross_level`, jp-depot (surplus 2000) sends the 500 L: a national transfer
    (10h out of jp-depot, 15h into jp-coy), no ACSA order, no refusal, no tax question."""
    r = run(_with_jp_depot(3000))
    assert r.orders == () and r.refusals == ()
    assert flows_of(r, "transfer_out", "transfer_in") == [
        (10.0, "jp-depot", -500.0), (15.0, "jp-coy", 500.0),
    ]  # fmt: skip
    assert r.kpis["national_transfers"] == {"JP": 1}
    assert r.kpis["tax_waived"] == 0.0


def test_r21_national_means_first_then_the_ally_for_the_rest() -> None:
    """R21: jp-depot spares only 200 (1200 - reserve 1000): 200 L by transfer, the other
    300 L from ph-depot under the agreement. Without `cross_level`, all 500 L from PH."""
    r = run(_with_jp_depot(1200))
    assert flows_of(r, "transfer_in") == [(15.0, "jp-coy", 200.0)]
    assert [(o.provider, o.quantity) for o in r.orders] == [("ph-depot", 300.0)]
    r = run(_with_jp_depot(1200, cross_level=False))
    assert [(o.provider, o.quantity) for o in r.orders] == [("ph-depot", 500.0)]
    assert flows_of(r, "transfer_in") == []


def _commercial(acsa: str, prices: dict[str, float] | None = None) -> dict[str, Any]:
    """jp-coy is supplied by `jp-local`, a JP commercial line buying at port (PH territory),
    on demand, 1 day to deliver there (then 5h to camp)."""
    line = {"id": "jp-local", "party": "JP", "deliver_to": "port", "commodities": ["diesel"],
            "lead_time": "1d", "commercial": True}  # fmt: skip
    if prices is not None:
        line["prices"] = prices
    return world(
        policy={"acsa": acsa},
        parties={"JP": {"currency": "JPY"}, "PH": {"currency": "PHP", "tax": PH_TAX}},
        supply_lines=[line],
        holders=[unit(supplied_by="jp-local"), depot()],
        timeline=[EXERCISE, loss("10h")],
    )


def test_r21_a_commercial_line_buys_locally_with_tax_paid() -> None:
    """R21: without the agreement (`never`) jp-coy buys the 500 L locally at the line's price,
    PHP 65/L: PHP 32,500.00 = USD 650.00, received at 10 + 24 + 5 = 39h, paying the
    Philippines' excise (500 x 6 / 50 = USD 60.00) and VAT on both (0.12 x 710 = 85.20):
    USD 145.20 of tax."""
    r = run(_commercial("never", {"diesel": 65}))
    (p,) = r.purchases
    assert (p.time, p.line, p.party, p.holder, p.quantity, p.currency) == (
        39.0, "jp-local", "JP", "jp-coy", 500.0, "PHP",
    )  # fmt: skip
    assert (p.value, p.value_reporting, p.tax_paid_reporting) == (
        D("32500.00"), D("650.00"), D("145.20"),
    )  # fmt: skip
    assert r.kpis["purchases_value"] == {"JP": 650.0}
    assert r.kpis["tax_paid"] == {"JP": 145.2}
    from acsasim.output.tables import tables

    (purchases,) = [t for t in tables(r) if t.name == "purchases"]
    assert purchases.rows == [("2026-06-02T15:00:00", "jp-local", "JP", "jp-coy", "diesel",
                               500.0, "L", "PHP", "32500.00", "650.00", "145.20")]  # fmt: skip


def test_r21_with_the_agreement_the_tax_is_waived_instead_of_paid() -> None:
    """R21 with R7: with the agreement first, ph-depot provides the 500 L (PHP 60/L, USD
    600.00): no purchase, USD 139.20 of tax waived (0.12 x 660 + 60). Without it the line
    buys at the PH price (no price of its own): USD 600.00, USD 139.20 of tax paid."""
    r = run(_commercial("first"))
    assert r.purchases == () and r.kpis["tax_paid"] == {}
    assert r.kpis["tax_waived"] == 139.2
    r = run(_commercial("never"))
    assert (r.kpis["purchases_value"], r.kpis["tax_paid"]) == ({"JP": 600.0}, {"JP": 139.2})


def test_r21_a_commercial_line_needs_a_price_for_what_it_buys() -> None:
    s = _commercial("never")
    s["prices"] = {"JP": {"water": 100}}
    with pytest.raises(ScenarioError, match="commercial line 'jp-local' has no price for "
                                            "'diesel'"):  # fmt: skip
        load_text(yaml.safe_dump(s, sort_keys=False))
