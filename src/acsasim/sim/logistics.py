"""Moving materiel: the route network and the national supply lines (R6).

Paths are chosen at departure over the routes open then; a transfer with no
open path waits at its origin until a route reopens. Each leg's time is drawn
from that route's own stream. Delays hit shipments that are at sea when the
event happens: they arrive `by` later.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from acsasim.scenario.model import Route, SupplyLine
from acsasim.scenario.topology import shortest_path

if TYPE_CHECKING:
    from acsasim.sim.world import World


class Network:
    """Routes between sites, with closures."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.routes = world.scenario.routes
        self.closed: dict[int, int] = {}  # route index -> number of closures in force
        self.reopened = world.env.event()
        self._paths: dict[tuple[str, str], list[int] | None] = {}
        self._means: dict[tuple[str, str], float] = {}
        self._streams = [world.streams[name] for name in _route_names(self.routes)]

    def path(self, a: str, b: str) -> list[int] | None:
        """The quickest open path (route indices), cached until the open routes change."""
        key = (a, b)
        if key not in self._paths:
            closed = [i for i, n in self.closed.items() if n > 0]
            self._paths[key] = shortest_path(self.routes, a, b, closed)
        return self._paths[key]

    def mean_time(self, a: str, b: str) -> float:
        """Expected transit from `a` to `b` over open routes; inf when there is no open path."""
        key = (a, b)
        if key not in self._means:
            legs = self.path(a, b)
            if legs is None:
                self._means[key] = math.inf
            else:
                handling = self.world.scenario.handling
                self._means[key] = sum(self.routes[i].time.mean for i in legs) if legs else handling
        return self._means[key]

    def sample_time(self, legs: list[int]) -> float:
        if not legs:
            return self.world.scenario.handling
        return sum(self.routes[i].time.sample(self._streams[i]) for i in legs)

    def travel(self, a: str, b: str) -> Generator[Any, Any, float]:
        """A SimPy sub-process: wait for an open path, then travel it. Returns the time taken."""
        start = self.world.env.now
        while (legs := self.path(a, b)) is None:
            yield self.reopened
        yield self.world.env.timeout(self.sample_time(legs))
        return self.world.env.now - start

    def _forget(self) -> None:
        self._paths.clear()
        self._means.clear()
        self.world.desk.nearest.clear()

    def close(self, indices: list[int], duration: float | None) -> None:
        """Close routes now (so a reorder in the same instant already sees them closed) and
        reopen them after `duration` (never, if None)."""
        for i in indices:
            self.closed[i] = self.closed.get(i, 0) + 1
        self._forget()
        if duration is not None:
            self.world.env.timeout(duration).callbacks.append(lambda _: self._reopen(indices))

    def _reopen(self, indices: list[int]) -> None:
        for i in indices:
            self.closed[i] -= 1
        self._forget()
        reopened, self.reopened = self.reopened, self.world.env.event()
        reopened.succeed()


def _route_names(routes: tuple[Route, ...]) -> list[str]:
    """A stream name per route from its end sites alone (a second route between the same two
    sites gets `#2`), so adding a route elsewhere leaves every other route's draws unchanged."""
    names, seen = [], {}
    for r in routes:
        pair = "~".join(sorted(r.between))
        seen[pair] = seen.get(pair, 0) + 1
        names.append(f"route:{pair}" + (f"#{seen[pair]}" if seen[pair] > 1 else ""))
    return names


class NationalLine:
    """A party's own resupply: scheduled departures with capacity, or on demand."""

    def __init__(self, world: World, spec: SupplyLine) -> None:
        self.world, self.spec = world, spec
        self.stream = world.streams[f"line:{spec.id}"]
        self.queue: deque[list[Any]] = deque()  # [holder, commodity, quantity] awaiting a departure
        self.delays: list[float] = []  # every delay so far, in the order the events struck
        if spec.every is not None:
            world.env.process(self._departures())

    def carries(self, commodity: str) -> bool:
        return commodity in self.spec.commodities

    def next_departure(self, t: float) -> float:
        every, first = self.spec.every, self.spec.first_departure
        if every is None or t <= first:
            return max(t, first) if every is not None else t
        return first + math.ceil((t - first) / every - 1e-12) * every

    def expected_arrival(self, t: float, site: str) -> float:
        """When an order placed now is expected at `site` (R3: next departure + mean lead)."""
        depart = self.next_departure(t)
        return (
            depart
            + self.spec.lead_time.mean
            + self.world.network.mean_time(self.spec.deliver_to, site)
        )

    def order(self, holder: str, commodity: str, quantity: float) -> float:
        """Order for a holder; returns the quantity the line takes (an on-demand departure is
        capped at its capacity)."""
        if self.spec.every is None:
            quantity = min(quantity, self.spec.capacity.get(commodity, math.inf))
            if quantity > 0:
                lead = self.spec.lead_time.sample(self.stream)
                self.world.env.process(self._voyage([(holder, commodity, quantity)], lead))
            return quantity
        self.queue.append([holder, commodity, quantity])
        return quantity

    def _departures(self) -> Generator[Any, Any, None]:
        env, end = self.world.env, self.world.scenario.duration
        t = self.spec.first_departure
        while t < end:
            yield env.timeout(t - env.now)
            # Load after the holders' demand and orders of this instant (their ticks were
            # scheduled before this zero delay), so an order placed at t catches the ship at t,
            # as `next_departure` promised.
            yield env.timeout(0)
            lead = self.spec.lead_time.sample(self.stream)  # drawn every departure: CRN
            load = self._load()
            if load:
                env.process(self._voyage(load, lead))
            t += self.spec.every  # type: ignore[operator]

    def _load(self) -> list[tuple[str, str, float]]:
        """Fill this departure first come, first served, up to each commodity's capacity."""
        room = dict(self.spec.capacity)
        load, waiting = [], deque()
        while self.queue:
            holder, commodity, quantity = self.queue.popleft()
            take = min(quantity, room.get(commodity, math.inf))
            if take > 0:
                load.append((holder, commodity, take))
                if commodity in room:
                    room[commodity] -= take
            if quantity - take > 1e-9:
                waiting.append([holder, commodity, quantity - take])
        self.queue = waiting
        return load

    def delay(self, by: float) -> None:
        self.delays.append(by)

    def _voyage(self, load: list[tuple[str, str, float]], lead: float) -> Generator[Any, Any, None]:
        env = self.world.env
        applied = len(self.delays)  # delays before departure do not touch this shipment
        due = env.now + lead
        while True:
            yield env.timeout(max(0.0, due - env.now))
            new = self.delays[applied:]
            applied = len(self.delays)
            if not new:
                break
            due += sum(new)  # at sea when the event struck: arrives later (R6)
        by_holder: dict[str, list[tuple[str, float]]] = {}
        for holder, commodity, quantity in load:
            by_holder.setdefault(holder, []).append((commodity, quantity))
        for holder, items in by_holder.items():
            env.process(self._inland(holder, items))

    def _inland(self, holder: str, items: list[tuple[str, float]]) -> Generator[Any, Any, None]:
        site = self.world.holders[holder].spec.site
        yield from self.world.network.travel(self.spec.deliver_to, site)
        for commodity, quantity in items:
            self.world.receive_national(holder, commodity, quantity, self.spec.id)
