"""The clock: one tick for every holder at once (R2, R3).

Every `tick`, the demand drawn for that tick is served from stock for all holders and
commodities in one array operation; what stock cannot serve is unmet, and the share of the
tick the stock was out counts as stock-out time. Then every holder whose position (on hand
+ inbound) has fallen to its reorder level reorders, in holder order (R3). A request
episode ends when the position is back above the reorder level. At each new day the books
are closed for the day and checked (R15).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from acsasim.sim.agenda import Phase
from acsasim.sim.demand import demand_table, tick_spans

if TYPE_CHECKING:
    from acsasim.sim.world import World

HOURS_PER_DAY = 24.0


class Clock:
    def __init__(self, world: World) -> None:
        self.world = world
        s = world.scenario
        self.tick = s.tick
        self.n_ticks = math.ceil(s.duration / s.tick - 1e-9)
        self.spans = tick_spans(s, self.n_ticks)
        self.demand = demand_table(
            s, s.holders, world.schedules, world.commodities, world.streams, self.n_ticks
        )
        self.stockout = np.zeros(world.stock.on_hand.shape)
        self.day = 0
        if self.n_ticks:
            world.agenda.at(0.0, lambda: self._tick(0), Phase.TICK)

    def _tick(self, k: int) -> None:
        w = self.world
        now = k * self.tick
        day = math.floor(now / HOURS_PER_DAY)
        if day != self.day:
            self.day = day
            w.end_day()
        want = self.demand[k]
        _, unmet = w.stock.consume(now, want)
        if unmet.any():
            self._stockout(now, want, unmet, float(self.spans[k]))
        on_hand, inbound, level = w.stock.on_hand, w.inbound, w.reorder_level
        low = np.nonzero(w.can_order & (on_hand + inbound <= level))
        for h, c in zip(low[0].tolist(), low[1].tolist(), strict=True):
            w.reorder.check(h, c)
        w.end_episodes()
        if k + 1 < self.n_ticks:
            w.agenda.at((k + 1) * self.tick, lambda: self._tick(k + 1), Phase.TICK)

    def _stockout(self, now: float, want: np.ndarray, unmet: np.ndarray, span: float) -> None:
        """Demand is spread evenly over the tick, so the stock ran out for this share of it."""
        short = unmet > 0
        self.stockout[short] += span * unmet[short] / want[short]
        w = self.world
        if w.logging:
            for h, c in zip(*np.nonzero(short), strict=True):
                amount = f"{unmet[h, c] / w.scale[c]:.6g}"
                w.log(f"{w.ids[h]} {w.commodities[c]} unmet {amount}")
