"""Charts against the scenario clock: stock on hand per holder and commodity, and the
timeline of phases and events as a Gantt chart.

Each function draws onto an `Axes` it is given and touches no global state, so
a test can draw it on a bare `Figure()` and a figure can hold many of them as
small multiples. matplotlib is imported only inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from acsasim.output import series
from acsasim.output.run_data import RunData
from acsasim.output.style import (
    EVENT,
    GRID,
    INK,
    PHASE_PALETTE,
    REORDER,
    RESERVE,
    keyed_colours,
    label,
    party_colours,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes


def time_axis(ax: Axes, data: RunData, ticks: int = 7) -> None:
    """Dates on x over the whole run (at most `ticks` labels: fewer on small panels, where
    labels would collide), light grid."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, date2num
    from matplotlib.ticker import FixedLocator

    s = data.scenario
    days = s.duration / 24
    step = next((d for d in (1, 2, 7, 14, 28) if days / d <= ticks), None)
    if step is None:
        locator = AutoDateLocator(minticks=3, maxticks=ticks)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator, show_offset=False))
    else:  # evenly spaced from the start (day 0, 7, 14...), as "08 Jun"
        marks = [s.start + timedelta(days=d) for d in range(0, int(days) + 1, step)]
        ax.xaxis.set_major_locator(FixedLocator(date2num(marks)))
        ax.xaxis.set_major_formatter(DateFormatter("%d %b"))
    ax.set_xlim(float(date2num(s.start)), float(date2num(s.end)))
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def compact_y(ax: Axes, unit: str = "") -> None:
    """y ticks as 480k / 1.2M (plus a unit), at most six of them, so small panels stay
    legible (and each tick is a few artists less to draw)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    def fmt(v: float, _pos: Any) -> str:
        for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if abs(v) >= size:
                return f"{v / size:g}{suffix}"
        return f"{v:g}"

    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(fmt))
    if unit:
        ax.set_ylabel(unit, color=INK)


def mark_events(ax: Axes, data: RunData, *, numbers: bool = False) -> list[str]:
    """A dashed vertical line at each event time; with `numbers`, a number above each line
    (names never fit above the plot when events crowd). Returns the legend text per number:
    `1 typhoon, typhoon-bivouac-flooding (day 14)`."""
    from matplotlib.dates import date2num
    from matplotlib.transforms import blended_transform_factory

    top = blended_transform_factory(ax.transData, ax.transAxes)
    keys = []
    for i, (when, names) in enumerate(series.events_by_time(data), start=1):
        x = float(date2num(when))
        ax.axvline(x, color=EVENT, linestyle="--", linewidth=1.1, label="_event", zorder=3)
        day = (when - data.scenario.start) / timedelta(days=1)
        keys.append(f"{i} {', '.join(names)} (day {day:g})")
        if numbers:
            ax.text(x, 1.01, str(i), transform=top, fontsize=8.5, color=EVENT,
                    ha="center", va="bottom", fontweight="bold")  # fmt: skip
    return keys


def profile_colours(data: RunData, spans: list[series.Span] | None = None) -> dict[str, str]:
    """Consumption profile -> colour, shared by the Gantt bars and the stock panels' shading."""
    spans = series.phase_spans(data) if spans is None else spans
    return keyed_colours({sp.profile or NO_DEMAND for sp in spans}, PHASE_PALETTE)


NO_DEMAND = "no demand"
DEPOT = "depot: provides, never consumes"


def empty(ax: Axes, message: str) -> None:
    """An Axes with nothing to plot says so, instead of showing a blank frame."""
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color=INK)
    ax.set_xticks([])
    ax.set_yticks([])


# --- stock --------------------------------------------------------------------------------


def stock_chart(
    ax: Axes,
    data: RunData,
    holder: str,
    commodity: str,
    line: series.StockLine | None = None,
    spans: list[series.Span] | None = None,
) -> None:
    """On-hand stock of one holder and commodity: end of day (solid, the party's colour),
    the day's low (thin steps), reorder and reserve levels, its phases shaded, events marked.
    `line` and `spans` (the timeline's phases), when the caller has them, are not worked out
    again for each panel."""
    if line is None:
        line = next(
            x for x in series.stock_lines(data) if (x.holder, x.commodity) == (holder, commodity)
        )
    spans = series.phase_spans(data) if spans is None else spans
    colour = party_colours(data.scenario.parties)[line.party]
    shades = profile_colours(data, spans)
    from matplotlib.dates import date2num

    for span in spans:
        if span.holder == holder and not span.whole_run:
            ax.axvspan(
                float(date2num(span.start)),
                float(date2num(span.end)),
                color=shades[span.profile or NO_DEMAND],
                alpha=0.35,
                linewidth=0,
                label="_phase",
            )
    start = data.scenario.start
    initial = data.scenario.holder(holder).stock[commodity].initial
    dates = line.dates.to_numpy()  # datetime64: matplotlib converts it whole, not date by date
    day_ends = np.r_[np.datetime64(start, "ns"), dates + np.timedelta64(line.days, "D")]
    ax.plot(day_ends, [initial, *line.end], color=colour, linewidth=2, label="on hand, end of day")
    ax.step(
        dates,
        line.low,
        where="post",
        color=colour,
        linewidth=0.8,
        alpha=0.7,
        linestyle=":",
        label="lowest in the day",
    )
    ax.axhline(line.reorder, color=REORDER, linestyle="--", linewidth=1.2, label="reorder level")
    if line.reserve:
        ax.axhline(line.reserve, color=RESERVE, linestyle="-.", linewidth=1.2, label="reserve")
    mark_events(ax, data)
    time_axis(ax, data, ticks=4)
    compact_y(ax)
    ax.set_ylim(bottom=0)
    ax.set_title(f"{holder} · {commodity} ({line.unit})", fontsize=10, color=colour, loc="left")


# --- timeline -----------------------------------------------------------------------------


MAX_ROWS = 30  # timeline rows; beyond, holders with the same phases share a row


@dataclass(frozen=True)
class Row:
    """One row of the timeline: `count` holders of one party and kind with the same phases
    (`label` names them), or the holders left out (`spans` empty, no party)."""

    label: str
    party: str
    kind: str
    spans: tuple[series.Span, ...]
    count: int = 1


def timeline_rows(data: RunData) -> list[Row]:
    """A row per holder, grouped by party; with more than MAX_ROWS holders, holders of one
    party and kind with the same phases share a row, and what still does not fit is
    counted in a last row."""
    holders = sorted(data.scenario.holders, key=lambda h: h.party)  # stable: file order
    mine: dict[str, list[series.Span]] = {h.id: [] for h in holders}
    for sp in series.phase_spans(data):
        mine[sp.holder].append(sp)
    alike: dict[tuple[object, ...], list[str]] = {}
    for h in holders:
        shape = tuple((sp.start, sp.end, sp.profile, sp.activity, sp.factor) for sp in mine[h.id])
        key = (h.party, h.kind, shape) if len(holders) > MAX_ROWS else (h.id,)
        alike.setdefault(key, []).append(h.id)
    party = {h.id: (h.party, h.kind) for h in holders}
    rows = [
        Row(
            ids[0] if len(ids) == 1 else f"{ids[0]} +{len(ids) - 1} alike",
            *party[ids[0]],
            tuple(mine[ids[0]]),
            len(ids),
        )
        for ids in alike.values()
    ]
    if len(rows) > MAX_ROWS:
        left = sum(r.count for r in rows[MAX_ROWS - 1 :])
        rows = [*rows[: MAX_ROWS - 1], Row(f"+{left} more holders", "", "", (), left)]
    return rows


def timeline_chart(ax: Axes, data: RunData, rows: list[Row] | None = None) -> None:
    """Phases per holder as Gantt bars (colour = consumption profile; hatched = an activity
    no agreement of the holder's party covers), holders grouped by party, events marked."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    s = data.scenario
    colours, shades = party_colours(s.parties), profile_colours(data)
    rows = timeline_rows(data) if rows is None else rows
    y = 0.0
    ticks: list[tuple[float, str, str]] = []
    for row in rows:
        if row.kind == "depot":  # a depot only provides: one plain bar, never a profile (R4)
            _depot_bar(ax, data, y)
        lanes = _lanes(list(row.spans))
        n = max(lanes, default=-1) + 1 or 1
        for sp, lane in zip(row.spans, lanes, strict=True):
            hatched = _uncovered(data, row.party, sp)
            _bar(ax, sp, y + 0.1 + 0.8 * lane / n, 0.8 / n, shades, hatched, s.duration / 24)
        ticks.append((y + 0.5, row.label, colours.get(row.party, INK)))
        y += 1
    ax.set_yticks([t for t, _, _ in ticks], [name for _, name, _ in ticks])
    for tick, (_, _, colour) in zip(ax.get_yticklabels(), ticks, strict=True):
        tick.set_color(colour)
    ax.set_ylim(y, 0)
    events = mark_events(ax, data, numbers=True)
    time_axis(ax, data)
    ax.grid(False, axis="y")
    legend: list[Artist] = [Patch(facecolor=c, label=label(p)) for p, c in shades.items()]
    legend.append(
        Patch(facecolor="white", edgecolor=INK, hatch="///", label="activity not covered")
    )
    if any(r.kind == "depot" for r in rows):
        legend.append(Patch(facecolor="white", edgecolor=INK, linestyle=":", label=DEPOT))
    legend += [
        Patch(facecolor=colours[p], label=f"{p}: {spec.name or p}")
        for p, spec in sorted(s.parties.items())
    ]
    legend += [Line2D([], [], color=EVENT, linestyle="--", label=f"event {e}") for e in events]
    # Below the dates, at a fixed distance in font sizes (not in axes fractions, which
    # would push it far away on a tall chart of many holders).
    ax.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        borderaxespad=2.2,
        frameon=False,
        ncol=min(len(legend), 3),
        fontsize=8.5,
    )


def _depot_bar(ax: Axes, data: RunData, y: float) -> None:
    """A depot's row: an empty, dotted bar over the whole run, saying it consumes nothing."""
    from matplotlib.dates import date2num

    left, right = date2num(data.scenario.start), date2num(data.scenario.end)
    ax.broken_barh([(left, right - left)], (y + 0.1, 0.8), facecolors="white", edgecolor=INK,
                   linestyle=":", linewidth=0.8)  # fmt: skip
    ax.text(left + 0.15, y + 0.5, DEPOT, va="center", ha="left", fontsize=7.5, color=INK,
            clip_on=True)  # fmt: skip


def _lanes(spans: list[series.Span]) -> list[int]:
    """Overlapping phases of one holder go to separate lanes (greedy, first free lane)."""
    ends: list[datetime] = []
    out = []
    for sp in spans:
        lane = next((i for i, e in enumerate(ends) if e <= sp.start), len(ends))
        if lane == len(ends):
            ends.append(sp.end)
        else:
            ends[lane] = sp.end
        out.append(lane)
    return out


def _uncovered(data: RunData, party: str, span: series.Span) -> bool:
    """True when the phase's activity is covered by none of the party's agreements (R5)."""
    if span.activity is None:
        return False
    mine = [ag for ag in data.scenario.agreements if party in ag.parties]
    return bool(mine) and all(span.activity not in ag.activities for ag in mine)


def _bar(
    ax: Axes,
    sp: series.Span,
    y: float,
    height: float,
    shades: dict[str, str],
    hatched: bool,
    days: float = 0.0,
) -> None:
    """One phase as a bar; `days` (the run's length) decides whether its name fits inside."""
    from matplotlib.dates import date2num

    left, right = date2num(sp.start), date2num(sp.end)
    ax.broken_barh(
        [(left, right - left)],
        (y, height),
        facecolors=shades[sp.profile or NO_DEMAND],
        edgecolor="white",
        hatch="///" if hatched else None,
        linewidth=0.5,
    )
    text = label(sp.profile or NO_DEMAND)
    if sp.factor != 1:
        text += f" ×{sp.factor:g}"
    # Label a bar only if the text fits in it: ~4.3 pt per character at 7.5 pt.
    figure = ax.get_figure(root=True)
    axes_pt = ax.get_position().width * (figure.get_figwidth() if figure else 9.0) * 72
    needed = (len(text) * 4.3 + 6) / axes_pt * (days or 1.0)
    if (right - left) >= needed and height >= 0.25:
        ax.text(
            left + 0.15,
            y + height / 2,
            text,
            va="center",
            ha="left",
            fontsize=7.5,
            color=INK,
            clip_on=True,
        )
