"""Demand for the whole run, drawn at the start (R2), as integers of each commodity's
resolution: a ticks x holders x commodities array that the clock serves one tick at a time.

Per holder and commodity, the demand of a tick is the phases' rate over the tick's span
times a lognormal factor (mean 1, cv = variability) drawn from that holder's and
commodity's own stream, so adding a holder or a phase leaves every other draw unchanged.
Quantities are counted in whole units of the commodity's resolution by rounding the
running total, not each tick: over any span the demand in whole units is the drawn demand
rounded once, so no rounding bias builds up however short the tick.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from acsasim.scenario.model import Holder, Scenario
from acsasim.sim.streams import Streams
from acsasim.sim.timeline import Schedule


def tick_spans(scenario: Scenario, n_ticks: int) -> np.ndarray:
    """Hours of each tick (the last one may be cut short by the end of the run)."""
    starts = np.arange(n_ticks) * scenario.tick
    return np.minimum(scenario.tick, scenario.duration - starts)


def demand_table(
    scenario: Scenario,
    holders: Sequence[Holder],
    schedules: Sequence[Schedule],
    commodities: Sequence[str],
    streams: Streams,
    n_ticks: int,
) -> np.ndarray:
    """Integer demand of every tick, holder and commodity (ticks x holders x commodities)."""
    column = {c: i for i, c in enumerate(commodities)}
    table = np.zeros((n_ticks, len(holders), len(commodities)), dtype=np.int64)
    spans = tick_spans(scenario, n_ticks)
    starts = np.arange(n_ticks) * scenario.tick
    for h, (holder, schedule) in enumerate(zip(holders, schedules, strict=True)):
        index = np.searchsorted([seg.start for seg in schedule.segments], starts, "right") - 1
        for commodity in sorted({c for rates in holder.consumption.values() for c in rates}):
            rates = np.array([seg.rates.get(commodity, 0.0) for seg in schedule.segments])
            wanted = rates[index] * spans / 24
            if holder.variability > 0:
                sigma2 = math.log1p(holder.variability**2)
                rng = streams[f"demand:{holder.id}:{commodity}"]
                wanted = wanted * rng.lognormal(-sigma2 / 2, math.sqrt(sigma2), n_ticks)
            scale = scenario.commodities[commodity].scale
            table[:, h, column[commodity]] = whole_units(wanted * scale)
    return table


def whole_units(amounts: np.ndarray) -> np.ndarray:
    """Non-negative amounts as integers whose running total is the amounts' running total
    rounded half up: each tick takes the rounding the ticks before it left over."""
    totals = np.floor(np.cumsum(amounts) + 0.5).astype(np.int64)
    return np.diff(totals, prepend=0)
