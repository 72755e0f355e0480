"""The ACSA desk: who can provide, whether they may, and the issue of an order (R4, R5, R7, R14).

A request from a holder is offered to the agreements of its party. Each
agreement is checked as a whole first (in force, category, exclusion, the
receiver's activity); then its party's holders are tried nearest first, ties
to the larger surplus, each giving what it can spare, trimmed to the provider's
ceiling. Every refusal and every trim is recorded with its reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from acsasim.ledger import Order, to_money, value_of
from acsasim.ledger.money import quantum, tax_waived
from acsasim.ledger.records import Refusal
from acsasim.ledger.years import agreement_year_at
from acsasim.scenario.model import Agreement

if TYPE_CHECKING:
    from acsasim.sim.holders import HolderState
    from acsasim.sim.world import World

EPS = 1e-9
#: Holders at one mean transit from a receiver: (stock key, what each keeps, id, holder).
Group = tuple[float, list[tuple[tuple[str, str], float, str, "HolderState"]]]


class Desk:
    def __init__(self, world: World) -> None:
        self.world = world
        s = world.scenario
        self.by_party: dict[str, list[tuple[Agreement, str]]] = {}
        for ag in s.agreements:
            a, b = ag.parties
            self.by_party.setdefault(a, []).append((ag, b))
            self.by_party.setdefault(b, []).append((ag, a))
        # Ceiling use per (agreement, provider party, agreement year): [all value, supplies value]
        self.used: dict[tuple[str, str, int], list[Decimal]] = {}
        self.refusals: list[Refusal] = []
        self.nearest: dict[tuple[str, str, str], list[Group]] = {}
        self._seq = 0
        self._years: dict[str, tuple[int, datetime, datetime]] = {}  # agreement -> its year
        # Most a value in reporting currency can gain from rounding twice (provider's currency,
        # then reporting currency), so a float estimate this far below a ceiling surely fits.
        rep = quantum(s.reporting_currency)
        self._rounding = {
            p: float(quantum(party.currency)) / s.rate(party.currency) + float(rep)
            for p, party in s.parties.items()
        }

    def request(self, receiver: HolderState, commodity: str, quantity: float) -> float:
        """Ask the receiver's allies for `quantity`; returns the quantity they will provide."""
        remaining = quantity
        for ag, other in self.by_party.get(receiver.spec.party, ()):
            if remaining <= EPS:
                break
            reason = self._agreement_refusal(ag, receiver, commodity)
            if reason:
                self._refuse(ag, receiver, None, commodity, remaining, remaining, reason)
                continue
            remaining -= self._from_party(ag, other, receiver, commodity, remaining)
        return quantity - remaining

    def _agreement_refusal(self, ag: Agreement, receiver: HolderState, commodity: str) -> str:
        s, now = self.world.scenario, self.world.env.now
        if now < self.world.in_force_hours(ag):
            return "not_in_force"
        if s.commodities[commodity].category not in ag.categories:
            return "category_not_covered"
        if commodity in ag.excluded:
            return "excluded"
        if receiver.activity(now) not in ag.activities:
            return "activity_not_covered"
        return ""

    def _from_party(
        self, ag: Agreement, party: str, receiver: HolderState, commodity: str, wanted: float
    ) -> float:
        """Providers of `party`, nearest first, ties to the larger surplus (R4). Holders with
        nothing to spare are passed over; if the request is left short for want of surplus,
        one `no_surplus` refusal records the part of the shortfall that no ceiling explains."""
        given, trimmed, passed_over = 0.0, 0.0, False
        groups = self._by_distance(party, commodity, receiver.spec.site)
        for transit, provider in _offers(groups, self.world.stock.levels):
            if wanted - given <= EPS:
                break
            if provider is None:
                passed_over = True
                continue
            took, cut = self._from_holder(
                ag, provider, receiver, commodity, wanted - given, transit
            )
            given, trimmed = given + took, trimmed + cut
            if cut > EPS:
                break  # the ceiling is the party's: none of its holders may give more
        short = wanted - given - trimmed  # a litre refused for the ceiling is not refused twice
        if short > EPS and (passed_over or not groups):
            self._refuse(ag, receiver, None, commodity, wanted, short, "no_surplus")
        return given

    def _by_distance(self, party: str, commodity: str, site: str) -> list[Group]:
        """The party's holders of `commodity`, grouped by mean transit to `site`, nearest first;
        cached until the open routes change (the network clears `self.nearest`)."""
        key = (party, commodity, site)
        if key not in self.nearest:
            net, groups = self.world.network, {}
            for h in self.world.holders_of_party.get(party, ()):
                if commodity in h.spec.stock:
                    member = ((h.spec.id, commodity), h.keep[commodity], h.spec.id, h)
                    groups.setdefault(net.mean_time(h.spec.site, site), []).append(member)
            self.nearest[key] = sorted(groups.items(), key=lambda g: g[0])
        return self.nearest[key]

    def _from_holder(
        self,
        ag: Agreement,
        provider: HolderState,
        receiver: HolderState,
        commodity: str,
        need: float,
        transit: float,
    ) -> tuple[float, float]:
        """One provider's part: (quantity issued, quantity trimmed for its ceiling)."""
        price = self.world.scenario.prices.get(provider.spec.party, {}).get(commodity)
        reason = "no_price" if price is None else "no_route" if math.isinf(transit) else ""
        if reason:
            self._refuse(ag, receiver, provider, commodity, need, need, reason)
            return 0.0, 0.0
        quantity = min(need, provider.surplus(commodity))
        fit = self._ceiling_fit(ag, provider.spec.party, commodity, quantity, price)
        cut = max(0.0, quantity - fit)
        if cut > EPS:
            self._refuse(ag, receiver, provider, commodity, need, cut, "ceiling")
        if fit <= EPS:
            return 0.0, cut
        self._issue(ag, provider, receiver, commodity, fit, price)
        return fit, cut

    def _ceiling_fit(
        self, ag: Agreement, party: str, commodity: str, quantity: float, price: float
    ) -> float:
        """The largest quantity (<= quantity) whose value keeps the provider within its ceilings
        (R14)."""
        limits = ag.ceilings
        if limits.value is None and limits.supplies_value is None:
            return quantity
        used = self.used.get(self._year_key(ag, party), [Decimal(0), Decimal(0)])
        room = math.inf if limits.value is None else limits.value - float(used[0])
        if (
            limits.supplies_value is not None
            and not self.world.scenario.commodities[commodity].service
        ):
            room = min(room, limits.supplies_value - float(used[1]))
        unit = price / self.world.scenario.rate(self.world.scenario.parties[party].currency)
        if unit <= 0:
            return quantity
        if quantity * unit + self._rounding[party] < room * (1 - 1e-12):
            return quantity  # clear of the ceiling even after rounding: skip the decimals
        fit = min(quantity, max(0.0, room) / unit)
        # Rounding to minor units may add a cent or two: step down by a cent's worth until
        # the exact decimal value fits (a few steps at most).
        step = 0.01 / unit
        while fit > 0 and self._value_reporting(party, fit, price) > Decimal(str(room)):
            fit = max(0.0, fit - step)
        return fit

    def _year_key(self, ag: Agreement, party: str) -> tuple[str, str, int]:
        when = self.world.scenario.start + timedelta(hours=self.world.env.now)
        known = self._years.get(ag.id)
        if known is None or not known[1] <= when < known[2]:  # new only past an anniversary
            start: datetime = ag.in_force or self.world.scenario.start
            known = self._years[ag.id] = agreement_year_at(start, when)
        return (ag.id, party, known[0])

    def _value_reporting(self, party: str, quantity: float, price: float) -> Decimal:
        currency = self.world.scenario.parties[party].currency
        return self.world.converter.to_reporting(value_of(quantity, price, currency), currency)

    def _issue(
        self,
        ag: Agreement,
        provider: HolderState,
        receiver: HolderState,
        commodity: str,
        quantity: float,
        price: float,
    ) -> None:
        """Create the order, take the goods from the provider, send them (R6, R7, R14)."""
        world, s = self.world, self.world.scenario
        currency = s.parties[provider.spec.party].currency
        value = value_of(quantity, price, currency)
        reporting = world.converter.to_reporting(value, currency)
        used = self.used.setdefault(
            self._year_key(ag, provider.spec.party), [Decimal(0), Decimal(0)]
        )
        used[0] += reporting
        if not s.commodities[commodity].service:
            used[1] += reporting
        self._seq += 1
        order = Order(
            order_id=f"O{self._seq:05d}",
            agreement=ag.id,
            provider_party=provider.spec.party,
            provider=provider.spec.id,
            receiver_party=receiver.spec.party,
            receiver=receiver.spec.id,
            commodity=commodity,
            quantity=quantity,
            unit=s.commodities[commodity].unit,
            activity=receiver.activity(world.env.now),
            requested_at=world.env.now,
            delivered_at=None,
            currency=currency,
            value=value,
            value_reporting=reporting,
            tax_waived_reporting=self._tax(ag, receiver, commodity, quantity, reporting),
            method=None,
            due_at=None,
            status="in_transit",
            settled_value=to_money(0, currency),
        )
        world.ledger.add_order(order)
        provider.move(
            "acsa_issue", commodity, -quantity, order_id=order.order_id, cause=order.order_id
        )
        receiver.inbound[commodity] = receiver.inbound.get(commodity, 0.0) + quantity
        world.log(
            "{} {} -> {} {} {:g}",
            order.order_id,
            provider.spec.id,
            receiver.spec.id,
            commodity,
            quantity,
        )
        self._deliver(order, provider, receiver)

    def _tax(
        self,
        ag: Agreement,
        receiver: HolderState,
        commodity: str,
        quantity: float,
        reporting: Decimal,
    ) -> Decimal:
        """Taxes waived: VAT and excise of the delivery site's territory (R7)."""
        s = self.world.scenario
        if not ag.tax_exempt:
            return to_money(0, s.reporting_currency)
        territory = s.parties[s.sites[receiver.spec.site].party]
        excise = territory.tax.excise.get(commodity, 0.0)
        return tax_waived(
            reporting, quantity, territory.tax.vat, excise, territory.currency, self.world.converter
        )

    def _deliver(self, order: Order, provider: HolderState, receiver: HolderState) -> None:
        """Carry the order; it is delivered when its last trip arrives, not when it returns."""
        provider.send(
            receiver,
            order.quantity,
            order.commodity,
            on_arrival=lambda part: self.world.receive_acsa(receiver, order, part),
            on_last=lambda: self.world.settle_on_receipt(order),
        )

    def _refuse(
        self,
        ag: Agreement,
        receiver: HolderState,
        provider: HolderState | None,
        commodity: str,
        requested: float,
        refused: float,
        reason: str,
    ) -> None:
        self.refusals.append(
            Refusal(
                time=self.world.env.now,
                agreement=ag.id,
                requester=receiver.spec.id,
                requester_party=receiver.spec.party,
                provider=provider.spec.id if provider else "",
                provider_party=provider.spec.party if provider else "",
                commodity=commodity,
                requested=requested,
                refused=refused,
                reason=reason,
            )
        )
        by = f" by {provider.spec.id}" if provider else ""
        self.world.log("refused {} {} {:g} {}{}", receiver.spec.id, commodity, refused, reason, by)


def _offers(
    groups: list[Group], levels: Mapping[tuple[str, str], float]
) -> Iterator[tuple[float, HolderState | None]]:
    """(transit, holder), nearest first, ties to the larger surplus then the id (R4); each
    group's surpluses are read when the group is reached. A group's holders with nothing to
    spare come last, as one (transit, None): a request passes them over. Surplus is
    computed inline, not by `HolderState.surplus`: a request reads every holder of the party
    until one can give, and most units have nothing to spare."""
    for transit, members in groups:
        offers, idle = [], False
        for key, keep, holder_id, holder in members:
            surplus = levels.get(key, 0.0) - keep
            if surplus > EPS:
                offers.append((-surplus, holder_id, holder))
            else:
                idle = True
        offers.sort()
        for _, _, holder in offers:
            yield transit, holder
        if idle:
            yield transit, None
