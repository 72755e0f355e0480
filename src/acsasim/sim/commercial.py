"""Commercial supply lines (R21): local purchases with tax paid.

A supply line marked `commercial` buys in the territory of its `deliver_to` site instead of
shipping the party's own stock. Each receipt from it is a purchase at the line's price (or
the territory party's own price in force, Pricing), that pays the territory's VAT and excise
as R7 computes what an ACSA delivery waives. Purchases are recorded (`purchases.csv`, KPIs
`purchases_value` and `tax_paid`), not posted: they are the party's business with a
supplier, not with an ally, so comparing a run with the agreement and one without
(`--no-acsa`) shows the tax the agreement really saves.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from acsasim.ledger.money import from_minor
from acsasim.ledger.records import Purchase
from acsasim.ledger.valuation import Valuation

if TYPE_CHECKING:
    from acsasim.sim.world import World


class Purchases:
    def __init__(self, world: World) -> None:
        self.world = world
        self.records: list[Purchase] = []
        self._lines = {spec.id: spec for spec in world.scenario.supply_lines if spec.commercial}
        self._valuations: dict[tuple[str, int, object], Valuation] = {}

    def received(self, line: str, holder: int, commodity: int, quantity: int) -> None:
        """Record the purchase behind a receipt from `line`, if it is commercial."""
        spec = self._lines.get(line)
        if spec is None:
            return
        w, s = self.world, self.world.scenario
        name = w.commodities[commodity]
        territory = s.sites[spec.deliver_to].party
        found: float | Fraction | None = spec.prices.get(name)
        if found is None:
            quote = w.desk.pricing.book.at(territory, name, w.env.now)
            assert quote is not None  # checked at load: a commercial line prices what it buys
            found = quote[0]
        valuation = self._valuation(territory, commodity, found)
        value = valuation.value(quantity)
        reporting = valuation.reporting(value)
        rep, cur = w.books.converter.reporting, valuation.currency
        self.records.append(
            Purchase(
                time=w.env.now,
                line=line,
                party=spec.party,
                holder=w.ids[holder],
                commodity=name,
                quantity=quantity / w.scale[commodity],
                unit=w.unit[commodity],
                currency=cur,
                value=from_minor(value, cur),
                value_reporting=from_minor(reporting, rep),
                tax_paid_reporting=from_minor(valuation.tax(reporting, quantity), rep),
            )
        )

    def _valuation(self, territory: str, commodity: int, price: object) -> Valuation:
        key = (territory, commodity, price)
        found = self._valuations.get(key)
        if found is None:
            w, s = self.world, self.world.scenario
            tax, name = s.parties[territory].tax, w.commodities[commodity]
            currency = s.parties[territory].currency
            found = self._valuations[key] = Valuation(
                price=price,  # type: ignore[arg-type]  # a price key: Fraction or float
                scale=w.scale[commodity],
                currency=currency,
                converter=w.books.converter,
                vat=tax.vat,
                excise=tax.excise.get(name, 0),
                territory_currency=currency,
                vat_on_excise=tax.vat_on_excise_for(name),
            )
        return found
