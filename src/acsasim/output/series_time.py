"""The series of the charts against the scenario clock: stock on hand per holder and
commodity, the phases of each holder and the timeline's events (no drawing here).

Stock comes from stock.csv (a row per holder, commodity and day), read as whole columns: one
slice per holder and commodity, never a group at a time. A run longer than `MAX_DAYS` is
shown in blocks of days, each with its last level and its lowest, so a panel a few hundred
pixels wide gets no more points than it can show and still every dip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from acsasim.output.run_data import RunData, at
from acsasim.scenario.lint import members

if TYPE_CHECKING:
    import pandas as pd

MAX_DAYS = 400  # daily points in a stock panel; beyond, blocks of days


@dataclass(frozen=True)
class StockLine:
    holder: str
    party: str
    commodity: str
    unit: str
    dates: pd.DatetimeIndex  # the first day of each point (a day, or a block of days)
    end: np.ndarray  # on hand at the end of each day (or block)
    low: np.ndarray  # the day's (or block's) minimum
    reorder: float
    reserve: float
    score: float  # lowest on hand / reorder level: below 1 dipped under reorder, 0 ran out
    days: int = 1  # days per point


def stock_lines(data: RunData) -> list[StockLine]:
    """One line per holder and commodity, closest to running out first."""
    return data.cached("stock lines", lambda: _stock_lines(data))


def _stock_lines(data: RunData) -> list[StockLine]:
    import pandas as pd

    s, st = data.scenario, data.frames["stock"]
    if st.empty:
        return []
    holder, commodity = st["holder"].to_numpy(), st["commodity"].to_numpy()
    first = np.flatnonzero(
        np.r_[True, (holder[1:] != holder[:-1]) | (commodity[1:] != commodity[:-1])]
    )
    bounds = np.r_[first, len(st)].tolist()
    end, low = st["on_hand_end"].to_numpy(dtype=float), st["on_hand_min"].to_numpy(dtype=float)
    party = st["party"].to_numpy()
    days = pd.DatetimeIndex(pd.to_datetime(st["date"].iloc[bounds[0] : bounds[1]]))
    step = max(1, math.ceil(len(days) / MAX_DAYS))
    out = []
    for i, j in pairwise(bounds):
        levels = s.holder(str(holder[i])).stock[str(commodity[i])]
        ends, lows = _blocks(end[i:j], low[i:j], step)
        base = levels.reorder or levels.capacity or 1.0
        out.append(
            StockLine(
                str(holder[i]),
                str(party[i]),
                str(commodity[i]),
                s.commodities[str(commodity[i])].unit,
                days[::step],
                ends,
                lows,
                levels.reorder,
                levels.reserve,
                float(low[i:j].min()) / base,
                step,
            )
        )
    return sorted(out, key=lambda line: line.score)


def _blocks(end: np.ndarray, low: np.ndarray, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Blocks of `step` days: the last end of day and the lowest low of each."""
    if step == 1:
        return end, low
    starts = np.arange(0, len(end), step)
    return end[np.r_[starts[1:] - 1, len(end) - 1]], np.minimum.reduceat(low, starts)


# --- timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    holder: str
    start: datetime
    end: datetime
    profile: str | None
    activity: str | None
    factor: float
    whole_run: bool


def phase_spans(data: RunData) -> list[Span]:
    """Every phase once per unit it applies to (see `_phase_spans`), worked out once."""
    return data.cached("phase spans", lambda: _phase_spans(data))


def _phase_spans(data: RunData) -> list[Span]:
    """Every phase once per unit it applies to, in timeline order. Depots are left out: a
    depot only provides, whatever a phase for `all` says (R2, R4). A unit's span has no
    profile where the unit consumes nothing under it (it lacks the profile, or its rates are
    all zero): a phase gives it an activity but no demand."""
    s = data.scenario
    units = {h.id: h for h in s.holders if h.kind == "unit"}
    out = []
    for ph in s.phases:
        end = s.duration if ph.to is None else min(ph.to, s.duration)
        whole = ph.from_ <= 0 and end >= s.duration
        for h in members(s, ph.holders):
            if h.id not in units:
                continue
            rates = h.consumption.get(ph.profile or "", {})
            profile = ph.profile if any(rate > 0 for rate in rates.values()) else None
            out.append(
                Span(
                    h.id,
                    at(data, ph.from_),
                    at(data, end),
                    profile,
                    ph.activity,
                    ph.demand_factor,
                    whole,
                )
            )
    return out


def events_by_time(data: RunData) -> list[tuple[datetime, list[str]]]:
    """Timeline events grouped by when they strike (several may share one instant)."""
    grouped: dict[float, list[str]] = {}
    for ev in data.scenario.events:
        grouped.setdefault(ev.at, []).append(ev.event)
    return [(at(data, t), names) for t, names in sorted(grouped.items())]
