"""Pricing (R7, R5 `no_price`): what an order is worth, on what basis, and when it is priced.

A provider's price for a commodity at a time is that of its latest price list in force that
prices the commodity (`price_lists`, each with a stated basis), else its `prices` (version
1, in force from the start). A provider without a price still provides where the agreement
(or its party) has `price_on_order`: the order is priced that long after it is placed, at
the provider's price in force then, else at the receiver's own price then (reciprocal
pricing: what the receiving forces pay), converted to the provider's currency at the
scenario's rates; with neither, the request is refused `no_price`. Agreements may add
charges: a handling share of the goods' value and a transport charge per vehicle trip.

A `Quote` carries all of it for one provider holder, commodity and delivery: the value of a
quantity (goods and charges), its tax waived (on the goods), the largest quantity within a
ceiling's room, its basis and the time it is priced. Version-1 scenarios (no lists, no
pricing on order, no charges) take the fast path: one cached quote per price.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from acsasim.ledger.money import exact, half_up, minor
from acsasim.ledger.valuation import Valuation
from acsasim.scenario.model import Agreement
from acsasim.sim.transport import split

if TYPE_CHECKING:
    from acsasim.sim.world import World

Price = tuple[Fraction | float, str]  # (price per unit in the party's currency, basis)


@dataclass(frozen=True, slots=True)
class Quote:
    valuation: Valuation  # the goods: price, currency, tax (R7)
    basis: str
    at: float  # when the order is priced: now, or later with price_on_order
    handling: Fraction = Fraction(0)  # share of the goods' value
    per_trip: int = 0  # minor units of the provider's currency per vehicle trip
    load: int | None = None  # what one trip carries (R6), for the trip charge
    plain: bool = True  # no charges: the value is the goods' alone
    currency: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "plain", not (self.handling or self.per_trip))
        object.__setattr__(self, "currency", self.valuation.currency)

    def figures(self, quantity: int) -> tuple[int, int, int, int]:
        """(value, value in reporting minor units, tax waived, charges) of `quantity`, each
        worked out once."""
        v = self.valuation
        goods = v.value(quantity)
        if self.plain:
            reporting = v.reporting(goods)
            return goods, reporting, v.tax(reporting, quantity), 0
        charges = self.charges(quantity)
        value = goods + charges
        return value, v.reporting(value), v.tax(v.reporting(goods), quantity), charges

    def charges(self, quantity: int) -> int:
        """Transport and handling on `quantity`, minor units of the provider's currency."""
        if self.plain:
            return 0
        goods = self.valuation.value(quantity)
        handling = half_up(goods * self.handling.numerator, self.handling.denominator)
        return handling + self.per_trip * len(split(quantity, self.load))

    def value(self, quantity: int) -> int:
        goods = self.valuation.value(quantity)
        return goods if self.plain else goods + self.charges(quantity)

    def reporting(self, value: int) -> int:
        return self.valuation.reporting(value)

    def most_within(self, room: int) -> int:
        """The largest quantity whose reporting value, charges included, fits `room` (R14)."""
        best = self.valuation.most_within(room)
        if self.plain:
            return best
        low, high = 0, best  # charges only add: the answer is at most the goods' answer
        while low < high:
            mid = (low + high + 1) // 2
            if self.reporting(self.value(mid)) <= room:
                low = mid
            else:
                high = mid - 1
        return low


class PriceBook:
    """Every party's prices of every commodity over time."""

    def __init__(self, world: World) -> None:
        s = world.scenario
        self.dated = bool(s.price_lists)
        self._lists: dict[tuple[str, str], tuple[list[float], list[Price]]] = {}
        entries: dict[tuple[str, str], list[tuple[float, Price]]] = {}
        for party, prices in s.prices.items():
            for c, price in prices.items():
                entries.setdefault((party, c), []).append((-math.inf, (price, "")))
        for plist in s.price_lists:
            hours = (plist.from_ - s.start).total_seconds() / 3600
            for c, price in plist.prices.items():
                entries.setdefault((plist.party, c), []).append((hours, (price, plist.basis)))
        for key, dated in entries.items():
            dated.sort(key=lambda e: e[0])
            self._lists[key] = ([t for t, _ in dated], [p for _, p in dated])

    def at(self, party: str, commodity: str, t: float) -> Price | None:
        """The price of `party` for `commodity` in force at time `t`, with its basis."""
        found = self._lists.get((party, commodity))
        if found is None:
            return None
        times, prices = found
        i = bisect.bisect_right(times, t) - 1
        return prices[i] if i >= 0 else None


class Pricing:
    def __init__(self, world: World) -> None:
        self.world = world
        self.book = PriceBook(world)
        s = world.scenario
        self._delays = {
            ag.id: {p: ag.price_on_order or s.parties[p].price_on_order for p in ag.parties}
            for ag in s.agreements
        }
        self._valuations: dict[tuple[str, int, str, bool, Fraction | float], Valuation] = {}
        plain = not (s.price_lists or any(d for by in self._delays.values() for d in by.values()))
        plain = plain and all(ag.charges is None for ag in s.agreements)
        # version-1 pricing: the quote (or None) per (party, commodity, territory, exempt)
        self._plain: dict[tuple[str, int, str, bool], Quote | None] | None = {} if plain else None
        self._quotes: dict[tuple[str, int, str, bool, Fraction | float, str], Quote] = {}

    def quote(self, ag: Agreement, provider: int, receiver: int, commodity: int) -> Quote | None:
        """The terms an order from `provider` to `receiver` would be priced on now; None when
        nothing can price it (R5 `no_price`)."""
        w = self.world
        if self._plain is not None:  # version 1: one price per party and commodity, ever
            key = (w.party[provider], commodity, w.territory[receiver], ag.tax_exempt)
            found = self._plain.get(key, self)
            if found is self:
                found = self._plain[key] = self._versioned(ag, provider, receiver, commodity)
            return found  # type: ignore[return-value]  # not the sentinel here
        return self._versioned(ag, provider, receiver, commodity)

    def _versioned(
        self, ag: Agreement, provider: int, receiver: int, commodity: int
    ) -> Quote | None:
        w = self.world
        party, name, now = w.party[provider], w.commodities[commodity], w.env.now
        found, at = self.book.at(party, name, now), now
        if found is None:
            delay = self._delays[ag.id][party]
            if delay is None:
                return None
            at = now + delay
            found = self.book.at(party, name, at) or self._reciprocal(party, w.party[receiver],
                                                                      name, at)  # fmt: skip
            if found is None:
                return None
        price, basis = found
        key = (party, commodity, w.territory[receiver], ag.tax_exempt, price, basis)
        quote = self._quotes.get(key) if ag.charges is None and at == now else None
        if quote is None:
            quote = self._make(ag, provider, receiver, commodity, price, basis, at)
            if ag.charges is None and at == now:
                self._quotes[key] = quote
        return quote

    def _reciprocal(self, provider: str, receiver: str, commodity: str, at: float) -> Price | None:
        """The receiving party's own price, in the provider's currency (reciprocal pricing)."""
        theirs = self.book.at(receiver, commodity, at)
        if theirs is None:
            return None
        s, conv = self.world.scenario, self.world.books.converter
        rate = conv.fraction(s.parties[provider].currency) / conv.fraction(
            s.parties[receiver].currency
        )
        basis = f"{receiver}'s price" + (f", {theirs[1]}" if theirs[1] else "")
        return exact(theirs[0]) * rate, basis

    def _make(
        self, ag: Agreement, provider: int, receiver: int, commodity: int,
        price: Fraction | float, basis: str, at: float,
    ) -> Quote:  # fmt: skip
        w = self.world
        valuation = self._valuation(ag, w.party[provider], receiver, commodity, price)
        if ag.charges is None:
            return Quote(valuation, basis, at)
        rep, cur = w.books.converter.reporting, valuation.currency
        per_trip = w.books.converter.from_reporting(minor(exact(ag.charges.per_trip), rep), cur)
        load = w.transport.loads[provider].get(commodity)
        return Quote(valuation, basis, at, exact(ag.charges.handling), per_trip, load)

    def _valuation(
        self, ag: Agreement, party: str, receiver: int, commodity: int, price: Fraction | float
    ) -> Valuation:
        """R7 for the provider's party, the commodity and the delivery site's territory."""
        w = self.world
        territory = w.territory[receiver]
        key = (party, commodity, territory, ag.tax_exempt, price)
        found = self._valuations.get(key)
        if found is None:
            s, name = w.scenario, w.commodities[commodity]
            tax = s.parties[territory].tax
            found = self._valuations[key] = Valuation(
                price=price,
                scale=w.scale[commodity],
                currency=s.parties[party].currency,
                converter=w.books.converter,
                vat=tax.vat if ag.tax_exempt else 0,
                excise=tax.excise.get(name, 0) if ag.tax_exempt else 0,
                territory_currency=s.parties[territory].currency,
                vat_on_excise=tax.vat_on_excise_for(name),
            )
        return found
