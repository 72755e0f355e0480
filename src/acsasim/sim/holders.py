"""Holders: demand every tick (R2), reorder when the position falls (R3), carrying (R6).

One SimPy process per holder, not per commodity. Its demand for the whole run
is drawn when the run starts, each commodity from its own stream; each tick it
serves that tick's demand of every commodity from stock in one call to the
stock book, records what it could not serve, then checks the position of
everything it stocks.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from acsasim.scenario.model import Holder
from acsasim.sim.timeline import Schedule

if TYPE_CHECKING:
    from acsasim.sim.world import World

EPS = 1e-9


class HolderState:
    """A holder during a run: its schedule, inbound quantities, vehicles, demand per tick."""

    def __init__(self, world: World, spec: Holder) -> None:
        self.world, self.spec = world, spec
        self.schedule = Schedule(world.scenario, spec)
        self.inbound: dict[str, float] = {}
        self.stockout_hours: dict[str, float] = {}
        self.vehicles = (
            simpy.Resource(world.env, spec.transport.vehicles) if spec.transport else None
        )
        line = world.lines.get(spec.supplied_by or "")
        self.line = line
        self.consumed = sorted({c for rates in spec.consumption.values() for c in rates})
        # What it keeps for itself (R4): a unit its reorder level, a depot its reserve.
        self.keep = {
            c: lv.reserve if spec.kind == "depot" else lv.reorder for c, lv in spec.stock.items()
        }
        self._levels = world.stock.levels
        self._id = spec.id
        self.reorder_at = [(c, (spec.id, c), lv.reorder) for c, lv in spec.stock.items()]
        self.demand = [(c, self._demand(c)) for c in self.consumed]

    def _demand(self, commodity: str) -> array[float]:
        """The commodity's demand in every tick of the run, computed at once (R2): the phases'
        rate over the tick's span, times lognormal noise (mean 1, cv = variability) drawn
        from the commodity's own stream. A stdlib array of doubles: the tick loop reads one
        plain float per tick (numpy's scalar indexing costs more), 8 bytes each (a list of
        floats costs 32), which counts over long runs with short ticks."""
        world = self.world
        tick, end, n = world.scenario.tick, world.scenario.duration, world.n_ticks
        starts = np.arange(n) * tick
        span = np.minimum(tick, end - starts)
        segments = self.schedule.segments
        rates = np.array([seg.rates.get(commodity, 0.0) for seg in segments])
        index = np.searchsorted([seg.start for seg in segments], starts, side="right") - 1
        demand = rates[index] * span / 24
        cv = self.spec.variability
        if cv > 0:
            sigma2 = math.log1p(cv * cv)
            rng = world.streams[f"demand:{self.spec.id}:{commodity}"]
            demand *= rng.lognormal(-sigma2 / 2, math.sqrt(sigma2), n)
        return array("d", demand.tobytes())

    def activity(self, t: float) -> str:
        return self.schedule.at(t).activity

    def on_hand(self, commodity: str) -> float:
        return self._levels.get((self._id, commodity), 0.0)

    def move(
        self,
        kind: str,
        commodity: str,
        quantity: float,
        *,
        order_id: str | None = None,
        cause: str = "",
        unmet: float = 0.0,
    ) -> None:
        """Record a movement of this holder's stock now (R15 is checked by the stock book)."""
        self.world.stock.move(
            self.world.env.now,
            self._id,
            self.spec.party,
            commodity,
            kind,
            quantity,
            unmet=unmet,
            order_id=order_id,
            cause=cause,
        )

    def position(self, commodity: str) -> float:
        return self.on_hand(commodity) + self.inbound.get(commodity, 0.0)

    def surplus(self, commodity: str) -> float:
        """What it may provide to an ally (R4): what it holds above what it keeps."""
        return max(0.0, self._levels.get((self._id, commodity), 0.0) - self.keep[commodity])

    # --- demand (R2) -------------------------------------------------------------------------

    def run(self) -> Generator[Any, Any, None]:
        env, tick, end = self.world.env, self.world.scenario.tick, self.world.scenario.duration
        consumer = self.world.stock.consumer(self._id, self.spec.party, self.demand)
        levels, inbound, reorder = self._levels, self.inbound, self.world.reorder
        for k in range(self.world.n_ticks):
            now = k * tick
            yield env.timeout(now - env.now)
            for commodity, wanted, unmet in consumer.tick(now, k):
                self._stockout(commodity, wanted, unmet, min(tick, end - now))
            for commodity, key, reorder_at in self.reorder_at:
                # Inline the cheap test: most ticks leave the position above its reorder level.
                if levels[key] + inbound.get(commodity, 0.0) <= reorder_at + EPS:
                    reorder.check(self, commodity)

    def _stockout(self, commodity: str, demand: float, unmet: float, span: float) -> None:
        # Demand is spread evenly over the tick, so the stock ran out for this share of it.
        hours = span * unmet / demand
        self.stockout_hours[commodity] = self.stockout_hours.get(commodity, 0.0) + hours
        self.world.log("{} {} unmet {:.6g}", self.spec.id, commodity, unmet)

    # --- transport (R6) ----------------------------------------------------------------------

    def trips(self, commodity: str, quantity: float) -> list[float]:
        """An order larger than one load goes in several trips."""
        load = self.spec.transport.load.get(commodity) if self.spec.transport else None
        if not load or quantity <= load:
            return [quantity]
        full, rest = divmod(quantity, load)
        return [load] * int(full) + ([rest] if rest > EPS else [])

    def carry(
        self, destination: HolderState, quantity: float, on_arrival: Callable[[float], None]
    ) -> Generator[Any, Any, None]:
        """One trip to `destination`; `on_arrival(quantity)` runs when the goods arrive. With
        vehicles, one is held there and back (R6)."""
        net = self.world.network
        if self.vehicles is None:
            yield from net.travel(self.spec.site, destination.spec.site)
            on_arrival(quantity)
            return
        with self.vehicles.request() as vehicle:
            yield vehicle
            yield from net.travel(self.spec.site, destination.spec.site)
            on_arrival(quantity)
            yield from net.travel(destination.spec.site, self.spec.site)

    def send(
        self,
        destination: HolderState,
        quantity: float,
        commodity: str,
        on_arrival: Callable[[float], None],
        on_last: Callable[[], None],
    ) -> None:
        """Send `quantity` in as many trips as loads need; `on_last` runs when all arrived."""
        trips = self.trips(commodity, quantity)
        left = [len(trips)]

        def arrive(part: float) -> None:
            on_arrival(part)
            left[0] -= 1
            if left[0] == 0:
                on_last()

        for part in trips:
            self.world.env.process(self.carry(destination, part, arrive))
