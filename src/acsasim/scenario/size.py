"""How big a run of a scenario is, estimated before it runs, and the limit it must keep.

The engine steps every holder and commodity at every tick and keeps each holder's demand
for the whole run in memory, so the work and the memory of a run grow with
`holders x commodities x ticks`. A 100-year run at a 1 s tick is billions of ticks: it
would take days and tens of gigabytes before failing. Such a run is refused before it
starts, with the estimate and the option that raises the limit (`--max-size`, or
`max_size=` in Python). The default, DEFAULT_MAX_SIZE holder-commodity-ticks, is about
800 MB of demand and far beyond the shipped scenarios (the 18-month one is ~17,000).

The table rows are estimated too, for the message: a stock row and at least a consumption
row per holder, commodity and day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from acsasim.scenario.model import Scenario

DEFAULT_MAX_SIZE = 100_000_000


@dataclass(frozen=True)
class Estimate:
    holders: int
    commodities: int
    ticks: int
    rows: int

    @property
    def size(self) -> int:
        """holders x commodities x ticks."""
        return self.holders * self.commodities * self.ticks


def estimate(s: Scenario) -> Estimate:
    ticks = math.ceil(s.duration / s.tick - 1e-9) if s.tick > 0 else 0
    days = math.ceil(s.duration / 24)
    pairs = sum(len(h.stock) for h in s.holders)
    return Estimate(len(s.holders), len(s.commodities), ticks, 2 * pairs * days)


def size_problem(s: Scenario, limit: float | None = None) -> str | None:
    """Why a run of `s` is too big for `limit` (default DEFAULT_MAX_SIZE), or None."""
    top = DEFAULT_MAX_SIZE if limit is None else limit
    e = estimate(s)
    if e.size <= top:
        return None
    return (
        f"this run steps {e.holders:,} holders x {e.commodities:,} commodities x {e.ticks:,} "
        f"ticks = {e.size:,} holder-commodity-ticks (about {e.rows:,} table rows), "
        f"above the limit of {top:,.0f}; use a longer tick or a shorter run, or raise the "
        f"limit with --max-size {e.size}"
    )
