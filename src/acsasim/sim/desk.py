"""The ACSA desk: who may provide, how much, and the issue of an order (R4, R5, R7, R14).

A request is offered to the agreements of the receiver's party, in file order. Each
agreement is first checked as a whole (R5: in force, category, exclusion, the receiver's
activity). Its party's holders of the commodity are then the candidates (R4): nearest first
by mean transit, ties to the larger surplus, then the id; a unit spares what it holds above
its reorder level, a depot above its reserve. Each candidate gives what it can spare,
provided it has a price and a route (R5), trimmed to its party's ceiling (R14); several may
split one request. Every refusal and trim is recorded once per request episode.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from acsasim.ledger.money import exact, half_up
from acsasim.ledger.orders import order_id
from acsasim.scenario.model import Agreement, Task
from acsasim.sim.candidates import Candidate, Directory
from acsasim.sim.ceilings import CeilingBook
from acsasim.sim.pricing import Pricing, Quote
from acsasim.sim.streams import Draws
from acsasim.vocab import FlowKind, Method, Reason, Status

if TYPE_CHECKING:
    from acsasim.sim.world import World


class Desk:
    def __init__(self, world: World) -> None:
        self.world = world
        s = world.scenario
        self.agreements_of: dict[str, list[tuple[Agreement, str]]] = {}
        for ag in s.agreements:
            a, b = ag.parties
            self.agreements_of.setdefault(a, []).append((ag, b))
            self.agreements_of.setdefault(b, []).append((ag, a))
        self.ceilings = CeilingBook(s)
        self.directory = Directory(world)
        self.pricing = Pricing(world)

    def request(self, receiver: int, commodity: int, quantity: int) -> int:
        """Ask the receiver's allies for `quantity`; returns the quantity they will provide."""
        w = self.world
        remaining = quantity
        for ag, other in self.agreements_of.get(w.party[receiver], ()):
            if remaining <= 0:
                break
            reason = self._agreement_refusal(ag, receiver, commodity)
            if reason:
                w.refuse(ag, receiver, None, commodity, remaining, remaining, reason)
                continue
            remaining -= self._from_party(ag, other, receiver, commodity, remaining)
        return quantity - remaining

    def _agreement_refusal(self, ag: Agreement, receiver: int, commodity: int) -> Reason | None:
        w = self.world
        now = w.env.now
        if now < w.in_force_hours[ag.id]:
            return Reason.NOT_IN_FORCE
        if w.category[commodity] not in ag.categories:
            return Reason.CATEGORY_NOT_COVERED
        if w.commodities[commodity] in ag.excluded:
            return Reason.EXCLUDED
        if w.restricted[commodity] in ag.prohibited:
            return Reason.PROHIBITED
        if w.activity(receiver, now) not in ag.activities:
            return Reason.ACTIVITY_NOT_COVERED
        return None

    def _from_party(
        self, ag: Agreement, party: str, receiver: int, commodity: int, wanted: int
    ) -> int:
        """Providers of `party` in R4's order, each giving what it spares. If the request is
        left short for want of surplus, one `no_surplus` refusal records the part of the
        shortfall that no ceiling explains."""
        given = trimmed = 0
        candidates = self.directory.candidates(party, receiver, commodity)
        for offer in candidates:
            if given >= wanted:
                break
            took, cut = self._from_holder(ag, offer, receiver, commodity, wanted - given)
            given, trimmed = given + took, trimmed + cut
            if cut:
                break  # the ceiling is the party's: none of its holders may give more
        short = wanted - given - trimmed  # a unit refused for the ceiling is not refused twice
        if short > 0 and (candidates.passed_over or not candidates.known):
            self.world.refuse(ag, receiver, None, commodity, wanted, short, Reason.NO_SURPLUS)
        return given

    def _from_holder(
        self, ag: Agreement, offer: Candidate, receiver: int, commodity: int, need: int
    ) -> tuple[int, int]:
        """One provider's part: (quantity issued, quantity trimmed for its ceiling)."""
        w, provider = self.world, offer.holder
        quote = self.pricing.quote(ag, provider, receiver, commodity)
        reason = (
            Reason.NO_PRICE
            if quote is None
            else Reason.NO_ROUTE
            if math.isinf(offer.transit)
            else None
        )
        if reason:
            w.refuse(ag, receiver, provider, commodity, need, need, reason)
            return 0, 0
        assert quote is not None
        quantity = min(need, offer.surplus)
        issue = w.issue_unit[commodity]
        if issue > 1:  # whole units of issue only (R4)
            quantity -= quantity % issue
            if not quantity:
                return 0, 0
        service = w.service[commodity]
        room = (
            self.ceilings.room(
                ag, w.party[provider], w.party[receiver], w.ids[receiver], service, w.env.now
            )
            if ag.id in self.ceilings.binding
            and not (w.gratis and w.activity(receiver, w.env.now) in w.gratis)
            else None
        )
        fit = (
            quantity
            if room is None
            else self.ceilings.fit(quantity, room, quote.valuation if quote.plain else quote)
        )
        fit -= fit % issue
        cut = quantity - fit
        if cut:
            w.refuse(ag, receiver, provider, commodity, need, cut, Reason.CEILING)
        if fit:
            self._issue(ag, provider, receiver, commodity, fit, quote)
        return fit, cut

    def _issue(
        self,
        ag: Agreement,
        provider: int,
        receiver: int,
        commodity: int,
        quantity: int,
        quote: Quote,
    ) -> None:
        """Create the order, take the goods from the provider, send them (R6, R7, R14). An
        order priced on order is issued unpriced and valued when its price comes (Pricing);
        the ceilings count it at that value now (the rule that prices it is known)."""
        w = self.world
        now = w.env.now
        value, reporting, tax, charges = quote.figures(quantity)
        activity = w.activity(receiver, now)
        gratis = activity in w.gratis  # R22: recorded, not billed, outside the ceilings
        if ag.id in self.ceilings.binding and not gratis:
            self.ceilings.use(
                ag, w.party[provider], w.party[receiver], w.ids[receiver], reporting,
                w.service[commodity], now,
            )  # fmt: skip
        terms = w.terms.of(ag.id, w.commodities[commodity], w.party[receiver])
        task = w.task[commodity]  # R22: performed over a duration, billed on what it used
        priced = quote.at <= now and task is None
        row = w.books.orders.add(
            agreement=ag.id,
            provider_party=w.party[provider],
            provider=w.ids[provider],
            receiver_party=w.party[receiver],
            receiver=w.ids[receiver],
            commodity=w.commodities[commodity],
            scale=w.scale[commodity],
            quantity=quantity,
            unit=w.unit[commodity],
            activity=activity,
            requested_at=now,
            currency=quote.currency,
            value=value if priced else 0,
            value_reporting=reporting if priced else 0,
            tax_waived=tax if priced else 0,
            method=Method.GRATIS if gratis else terms.method,
            settle_with="" if gratis else terms.settle_with,
            terms=terms.number,
            charges=charges if priced else 0,
            price_basis=quote.basis,
            priced=priced,
        )
        w.stock.move(now, provider, commodity, FlowKind.ACSA_ISSUE, -quantity, row, "an issue")
        w.inbound[receiver, commodity] += quantity
        if w.logging:
            w.log(f"{order_id(row)} {w.ids[provider]} -> {w.ids[receiver]} "
                  f"{w.commodities[commodity]} {w.amount(commodity, quantity)}")  # fmt: skip
        if task is not None:
            self._perform(row, task, quote, provider, receiver, commodity)
            return
        if not priced:
            w.agenda.at(quote.at, lambda: self._price(row, quote, provider, receiver, commodity))
        w.transport.send(
            provider,
            receiver,
            commodity,
            quantity,
            on_arrival=lambda part: w.receive_acsa(row, receiver, commodity, part),
            on_last=lambda: w.settlement.delivered(row, provider, receiver, commodity),
        )

    def _price(self, row: int, quote: Quote, provider: int, receiver: int, commodity: int):
        """Pricing: the order placed unpriced takes its value now; if it has arrived, it is
        booked and its settlement begins (R8)."""
        w, o = self.world, self.world.books.orders
        value, reporting, tax, charges = quote.figures(o.billed(row))
        o.price(row, w.env.now, value, reporting, tax, charges, quote.basis)
        if w.logging:
            w.log(f"{order_id(row)} priced {value} {quote.currency} ({quote.basis or 'no basis'})")
        if o.status[row] == Status.UNPRICED:
            w.settlement.delivered(row, provider, receiver, commodity)

    def _perform(
        self, row: int, task: Task, quote: Quote, provider: int, receiver: int, commodity: int
    ) -> None:
        """R22: a service task is performed at the receiver from now (no trip) over its units
        times `per_unit`, and billed after completion on the units used, drawn now from the
        commodity's own stream; priced then (or later, with price_on_order)."""
        w, o = self.world, self.world.books.orders
        now, quantity = w.env.now, o.quantity[row]
        used = exact(self._used(commodity, task).next()) * quantity
        o.billed_quantity[row] = half_up(used.numerator, used.denominator)
        w.receive_acsa(row, receiver, commodity, quantity)
        done = now + quantity / w.scale[commodity] * task.per_unit
        priced = max(done, quote.at)
        w.agenda.at(priced, lambda: self._price(row, quote, provider, receiver, commodity))
        w.agenda.at(done, lambda: w.settlement.delivered(row, provider, receiver, commodity))

    def _used(self, commodity: int, task: Task) -> Draws:
        w = self.world
        return w.streams.draws(f"task:{w.commodities[commodity]}", task.used)
