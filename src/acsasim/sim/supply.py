"""National supply lines (R3, R6): each party's own resupply, scheduled or on demand.

A scheduled line departs every `every` from `first_departure`, loading the orders waiting
for it first come, first served up to each commodity's capacity; an on-demand line leaves
when a holder orders, carrying at most its capacity. Each departure draws its lead time
from the line's own stream (drawn at every scheduled departure, loaded or not, so draws
line up between variants). A `delay_supply_lines` event pushes the shipments at sea when
it strikes; goods then travel inland from the line's port to each holder.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from functools import partial

from acsasim.scenario.model import SupplyLine
from acsasim.sim.agenda import Agenda, Phase
from acsasim.sim.network import Network
from acsasim.sim.streams import Streams

#: (holder, commodity, quantity in resolution units) of one order on the line.
Item = tuple[int, int, int]
Receive = Callable[[int, int, int], None]


class NationalLine:
    def __init__(
        self,
        spec: SupplyLine,
        *,
        capacity: dict[int, int],
        commodities: set[int],
        streams: Streams,
        agenda: Agenda,
        network: Network,
        sites: list[str],
        end: float,
        receive: Receive,
    ) -> None:
        self.spec, self.capacity, self.commodities = spec, capacity, commodities
        self.lead = streams.draws(f"line:{spec.id}", spec.lead_time)
        self.agenda, self.network, self.sites, self.end = agenda, network, sites, end
        self.receive = receive
        self.queue: deque[Item] = deque()
        self.delays: list[float] = []  # every delay so far, in the order the events struck
        self._departures = 0
        if spec.every is not None and spec.first_departure < end:
            agenda.at(spec.first_departure, self._depart, Phase.DEPARTURES)

    def carries(self, commodity: int) -> bool:
        return commodity in self.commodities

    def next_departure(self, t: float) -> float:
        every, first = self.spec.every, self.spec.first_departure
        if every is None:
            return t
        if t <= first:
            return first
        return first + math.ceil((t - first) / every - 1e-12) * every

    def expected_arrival(self, t: float, site: str) -> float:
        """When an order placed now is expected at `site` (R3: next departure + mean lead +
        the inland transit from the line's port)."""
        depart = self.next_departure(t)
        inland = self.network.mean_time(self.spec.deliver_to, site)
        return depart + self.spec.lead_time.mean + inland

    def order(self, holder: int, commodity: int, quantity: int) -> int:
        """Order for a holder; returns the quantity the line takes (an on-demand departure is
        capped at its capacity)."""
        if self.spec.every is None:
            quantity = min(quantity, self.capacity.get(commodity, quantity))
            if quantity > 0:
                lead = self.lead.next()
                self._sail([(holder, commodity, quantity)], lead)
            return quantity
        self.queue.append((holder, commodity, quantity))
        return quantity

    def delay(self, by: float) -> None:
        self.delays.append(by)

    def _depart(self) -> None:
        lead = self.lead.next()
        load = self._load()
        if load:
            self._sail(load, lead)
        # first + k x every, as `next_departure` counts, so an order at a tick that falls on a
        # departure catches it (R3)
        self._departures += 1
        following = self.spec.first_departure + self._departures * (self.spec.every or 0.0)
        if following < self.end:
            self.agenda.at(following, self._depart, Phase.DEPARTURES)

    def _load(self) -> list[Item]:
        """Fill this departure first come, first served, up to each commodity's capacity."""
        room = dict(self.capacity)
        load: list[Item] = []
        waiting: deque[Item] = deque()
        for holder, commodity, quantity in self.queue:
            take = min(quantity, room.get(commodity, quantity))
            if take > 0:
                load.append((holder, commodity, take))
                if commodity in room:
                    room[commodity] -= take
            if quantity > take:
                waiting.append((holder, commodity, quantity - take))
        self.queue = waiting
        return load

    def _sail(self, load: list[Item], lead: float) -> None:
        applied = len(self.delays)  # delays before departure do not touch this shipment
        self.agenda.after(lead, lambda: self._arrive(load, applied))

    def _arrive(self, load: list[Item], applied: int) -> None:
        late = self.delays[applied:]
        if late:  # at sea when the events struck: arrives later (R6)
            pushed = len(self.delays)
            self.agenda.after(sum(late), lambda: self._arrive(load, pushed))
            return
        by_holder: dict[int, list[Item]] = {}
        for item in load:
            by_holder.setdefault(item[0], []).append(item)
        for holder, items in by_holder.items():
            self.network.travel(
                self.spec.deliver_to, self.sites[holder], partial(self._unload, items)
            )

    def _unload(self, items: list[Item]) -> None:
        for holder, commodity, quantity in items:
            self.receive(holder, commodity, quantity)
