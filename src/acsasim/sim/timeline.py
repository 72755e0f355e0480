"""Phases: what each holder is doing, and how much it consumes, at any time.

A holder's demand rate is the sum of the profiles of all phases active for it,
each times the phase's demand factor; its activity is that of the most recently
started active phase that names one, else `routine` (scenario-format.md).
Both are piecewise constant, so they are computed once per segment between
phase boundaries and looked up by bisection during the run.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from acsasim.scenario.model import ROUTINE, Holder, Phase, Scenario


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    rates: dict[str, float]  # commodity -> units per day
    activity: str


class Schedule:
    """One holder's demand rates and activity over time."""

    def __init__(self, scenario: Scenario, holder: Holder) -> None:
        phases = [(i, p) for i, p in enumerate(scenario.phases) if _includes(p, holder)]
        ends = {p.to if p.to is not None else scenario.duration for _, p in phases}
        cuts = sorted({0.0, *(p.from_ for _, p in phases), *ends})
        self.segments = [_segment(t, holder, phases, scenario.duration) for t in cuts]
        self._starts = [s.start for s in self.segments]

    def at(self, t: float) -> Segment:
        return self.segments[bisect.bisect_right(self._starts, t) - 1]


def _includes(phase: Phase, holder: Holder) -> bool:
    sel = phase.holders
    if sel.ids is not None:
        return holder.id in sel.ids
    return sel.party is None or sel.party == holder.party


def _segment(t: float, holder: Holder, phases: list[tuple[int, Phase]], end: float) -> Segment:
    active = [(i, p) for i, p in phases if p.from_ <= t < (p.to if p.to is not None else end)]
    rates: dict[str, float] = {}
    scale = holder.personnel if holder.per_person and holder.personnel is not None else 1
    for _, p in active:
        for commodity, rate in holder.consumption.get(p.profile or "", {}).items():
            rates[commodity] = rates.get(commodity, 0.0) + rate * p.demand_factor * scale
    named = [(p.from_, i, p.activity) for i, p in active if p.activity is not None]
    activity = max(named)[2] if named else ROUTINE  # latest start; ties: later in the file
    return Segment(t, rates, activity)
