"""The charts of a run: functions that draw onto an `Axes` they are given, and the figures
the report shows, each with a caption that says what to look for.

The drawing functions live in `charts_time` (stock, timeline), `charts_money` (value
provided, balances, outstanding, ceilings) and `charts_bars` (shortfalls, refusals); they
are re-exported here. Figures are `matplotlib.figure.Figure` objects rendered with the
Agg canvas, never pyplot, so nothing global changes and charts can be drawn in threads
or tests. Many holders or pairs become small multiples of the few that matter most
(a selection the title states, the rest gathered where a sum means something), never
dozens of tangled lines; the series are sampled at what a panel can show (series.py).

Each chart is drawn once per file: once by Agg for the PNG (kept as a 256-colour palette
image, a third of the size of full colour and as sharp on flat chart colours), once for the
SVG (text kept as text, so it stays editable; ids seeded, so the same run gives the same
bytes). Titles sit at a fixed height and legends in a chosen corner, so no draw is spent
searching for a place.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from acsasim.output import series
from acsasim.output.breakdowns import ceiling_use
from acsasim.output.charts_bars import refusal_chart, stockout_chart, unmet_chart
from acsasim.output.charts_money import (
    balance_chart,
    ceiling_chart,
    outstanding_chart,
    provided_chart,
)
from acsasim.output.charts_time import stock_chart, timeline_chart
from acsasim.output.run_data import RunData
from acsasim.output.style import EVENT, INK, REORDER, RESERVE, party_colours

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

__all__ = [
    "Chart",
    "balance_chart",
    "build_charts",
    "ceiling_chart",
    "chart_files",
    "outstanding_chart",
    "party_colours",
    "provided_chart",
    "refusal_chart",
    "stock_chart",
    "stockout_chart",
    "timeline_chart",
    "unmet_chart",
]

WIDTH = 9.0  # inches: fits an A4 page's text width at a readable scale
PNG_DPI = 200  # print quality: 1800 px across
PNG_COLOURS = 256  # a palette: charts are flat colours and their anti-aliased edges
MAX_STOCK = 9  # 3 x 3 panels: each costs a draw of its own; the title counts the rest
MAX_PANELS = 6
MAX_CEILINGS = 16
# While charts are made and saved: titles at a fixed height (no search for room above the
# axes at each draw), SVG text as text (editable, small) and SVG ids from a fixed seed.
RC: dict[RcKeyType, Any] = {"axes.titley": 1.0, "svg.fonttype": "none", "svg.hashsalt": "acsasim"}


@dataclass(frozen=True)
class Chart:
    name: str  # file stem: charts/<name>.png and .svg
    title: str
    caption: str  # one line: what to look for
    figure: Figure


def figure(height: float, layout: Literal["constrained"] | None = "constrained") -> Figure:
    """A bare Figure on the Agg canvas (no pyplot). Constrained layout for figures of one or
    two Axes; small multiples pass `layout=None` and fixed margins (constrained layout costs
    seconds with a dozen Axes)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, height), layout=layout)
    FigureCanvasAgg(fig)
    return fig


def build_charts(data: RunData, against: RunData | None = None) -> list[Chart]:
    """Every chart of the report, in reading order. `against`: the same scenario run
    without the agreement (or any other run), shown beside this one where both are known."""
    from matplotlib import rc_context

    with rc_context(RC):
        return [build(data, against) for build in BUILDERS]


def chart_files(chart: Chart) -> dict[str, bytes]:
    """The chart as PNG (print quality) and SVG, by file name (`NAME.png`, `NAME.svg`): one
    draw each."""
    from matplotlib import rc_context

    fig = chart.figure
    with rc_context(RC):
        png = _png(fig)
        fig.set_layout_engine("none")  # laid out once: the SVG keeps the PNG's layout
        svg = _saved(fig, format="svg", metadata={"Date": None, "Creator": None})
    return {f"{chart.name}.png": png, f"{chart.name}.svg": svg}


def _png(fig: Figure) -> bytes:
    """The figure drawn by Agg at PNG_DPI, written as a palette PNG (see the module
    docstring): the canvas is opaque white, so nothing is lost with the alpha channel."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas, dpi = FigureCanvasAgg(fig), fig.dpi
    fig.dpi = PNG_DPI
    try:
        canvas.draw()
        size = canvas.get_width_height()
        rgba = Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    finally:
        fig.dpi = dpi
    image = rgba.convert("RGB").quantize(PNG_COLOURS, Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="png")
    return buffer.getvalue()


def _saved(fig: Figure, **savefig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, **savefig)
    return buffer.getvalue()


def _grid(n: int, ncols: int, panel_height: float, legend: bool = False) -> tuple[Figure, list]:
    """A figure of n small multiples, `ncols` across, sharing the time axis (dates are
    labelled on the bottom panel of each column only); fixed margins, room for a legend."""
    rows = max(1, math.ceil(n / ncols))
    height = 0.3 + panel_height * rows + (0.9 if legend else 0.0)
    fig = figure(height, layout=None)
    margins = {
        "left": 0.75 / WIDTH,
        "right": 1 - 0.35 / WIDTH,
        "top": 1 - 0.3 / height,
        "bottom": (1.2 if legend else 0.35) / height,
        "wspace": 0.3,
        "hspace": 0.45,
    }
    axes = fig.subplots(rows, ncols, squeeze=False, sharex=True, gridspec_kw=margins)
    flat = axes.ravel().tolist()
    for i, ax in enumerate(flat):
        below = i + ncols
        ax.xaxis.set_tick_params(labelbottom=below >= n)
        if i >= n:
            ax.remove()
    return fig, flat[:n]


def _timeline(data: RunData, against: RunData | None) -> Chart:
    from acsasim.output.charts_time import timeline_rows

    rows = timeline_rows(data)
    fig = figure(1.8 + 0.42 * len(rows))
    timeline_chart(fig.add_subplot(), data, rows)
    alike = len(rows) < len(data.scenario.holders)
    return Chart(
        "timeline",
        "Timeline: phases per holder, and events"
        + (" (holders with the same phases share a row)" if alike else ""),
        "Who does what when: hatched bars are activities no agreement covers (requests made "
        "then are refused); dashed lines are events.",
        fig,
    )


def _stock(data: RunData, against: RunData | None) -> Chart:
    lines = series.stock_lines(data)
    shown = lines[:MAX_STOCK]
    fig, axes = _grid(len(shown), 3, 2.0, legend=True)
    spans = series.phase_spans(data)
    for ax, line in zip(axes, shown, strict=True):
        stock_chart(ax, data, line.holder, line.commodity, line, spans)
    _stock_legend(fig, data)
    part = (
        f"all {len(lines)} holder-commodity lines"
        if len(shown) == len(lines)
        else f"the {len(shown)} of {len(lines)} holder-commodity lines that came closest "
        "to running out"
    )
    return Chart(
        "stock",
        f"Stock on hand: {part}",
        "Look for lines that cross the orange reorder line and reach the red reserve or zero: "
        "those holders ran short. Shaded bands are the holder's phases, dashed lines events.",
        fig,
    )


def _stock_legend(fig: Figure, data: RunData) -> None:
    """One legend for all panels: the line styles, then the phase shades that appear."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from acsasim.output.charts_time import profile_colours
    from acsasim.output.style import label

    handles: list[Artist] = [
        Line2D([], [], color=INK, linewidth=2, label="on hand, end of day"),
        Line2D([], [], color=INK, linewidth=0.8, linestyle=":", label="lowest in the day"),
        Line2D([], [], color=REORDER, linestyle="--", label="reorder level"),
        Line2D([], [], color=RESERVE, linestyle="-.", label="reserve"),
        Line2D([], [], color=EVENT, linestyle="--", linewidth=1.1, label="event"),
    ]
    shades = profile_colours(data)
    shown = sorted(
        {sp.profile or "no demand" for sp in series.phase_spans(data) if not sp.whole_run}
    )
    handles += [Patch(facecolor=shades[p], alpha=0.5, label=f"phase: {label(p)}") for p in shown]
    colours = party_colours(data.scenario.parties)
    handles += [
        Line2D([], [], color=c, linewidth=2, label=f"held by {p}") for p, c in colours.items()
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=8.5)


def _provided(data: RunData, against: RunData | None) -> Chart:
    entries = series.provided(data)
    shown = entries[:MAX_PANELS]
    if len(entries) > MAX_PANELS:  # the smallest gathered in the last panel: sums add up
        shown = [*entries[: MAX_PANELS - 1], _gathered(entries[MAX_PANELS - 1 :])]
    fig, axes = _grid(max(1, len(shown)), 2 if len(shown) > 1 else 1, 2.8)
    for ax, entry in zip(axes, shown, strict=False):
        provided_chart(ax, data, entry)
    if not shown:
        from acsasim.output.charts_time import empty

        empty(axes[0], "nothing was provided under any agreement")
    more = (
        f" (the {MAX_PANELS - 1} largest of {len(entries)}, the others together)"
        if len(entries) > MAX_PANELS
        else ""
    )
    return Chart(
        "provided",
        f"Value provided under each agreement, per direction{more}",
        "How fast value builds up each way and in which categories: a steep step is a large "
        "order, a flat stretch a quiet desk.",
        fig,
    )


def _gathered(entries: list[series.Provided]) -> series.Provided:
    """Several directions' value provided as one panel: their category tables added up."""
    from decimal import Decimal
    from functools import reduce

    table = reduce(lambda x, y: x.add(y, fill_value=0.0), (e.by_category for e in entries))
    total = sum((e.total for e in entries), Decimal(0))
    return replace(
        entries[0], by_category=table[sorted(table.columns)], total=total, gathered=len(entries)
    )


def _balances(data: RunData, against: RunData | None) -> Chart:
    found = sorted(series.balances(data), key=lambda b: -float(b.net.abs().max()))
    shown = found[:MAX_PANELS]
    fig, axes = _grid(len(shown), 2 if len(shown) > 1 else 1, 3.0)
    for ax, bal in zip(axes, shown, strict=True):
        balance_chart(ax, data, bal)
    more = f" (the {len(shown)} largest of {len(found)} pairs)" if len(shown) < len(found) else ""
    return Chart(
        "balance",
        f"Reciprocal net balance per pair{more}",
        "Who owes whom and how much of it is past due: the area takes the colour of the party "
        "owed; red hatching marks what is overdue, on the side of the party it is owed to.",
        fig,
    )


def _outstanding(data: RunData, against: RunData | None) -> Chart:
    fig = figure(3.4)
    left, right = fig.subplots(1, 2)
    outstanding_chart(left, data, "method")
    outstanding_chart(right, data, "aging")
    return Chart(
        "outstanding",
        "Outstanding value by settlement method and by days past due",
        "What is still owed, how it is to be settled and how late it is: anything outside "
        "the pale 'not yet due' band is overdue, the darker the older.",
        fig,
    )


def _shortfalls(data: RunData, against: RunData | None) -> Chart:
    n = len(data.kpis.get("unmet_demand", {}))
    fig = figure(1.2 + (0.5 if against else 0.32) * max(n, 2))
    left, right = fig.subplots(1, 2)
    unmet_chart(left, data, against)
    stockout_chart(right, data, against)
    look = (
        "Dark bars are this run, light hatched bars the other run: the gap is what the "
        "agreement bought."
        if against
        else "Which commodities ran short despite the agreement; run `acsasim report --against` "
        "with a --no-acsa run to see what the agreement bought."
    )
    return Chart("shortfalls", "Unmet demand and stock-out hours per commodity", look, fig)


def _ceilings(data: RunData, against: RunData | None) -> Chart:
    found = sorted(ceiling_use(data), key=lambda r: -r.fraction)
    rows = found[:MAX_CEILINGS]
    fig = figure(1.0 + 0.55 * max(len(rows), 2))
    ceiling_chart(fig.add_subplot(), data, rows)
    more = (
        f" (the {len(rows)} closest to their limit of {len(found)})"
        if len(rows) < len(found)
        else ""
    )
    return Chart(
        "ceilings",
        f"Ceiling use per provider and agreement year{more}",
        "How close each provider came to its yearly limits: a bar at the red line means "
        "further requests that year are trimmed or refused (R14).",
        fig,
    )


def _refusals(data: RunData, against: RunData | None) -> Chart:
    n = data.frames["refusals"]["reason"].nunique()
    fig = figure(1.2 + 0.45 * max(n, 2))
    refusal_chart(fig.add_subplot(), data)
    return Chart(
        "refusals",
        "Refusals by reason",
        "Why requests were turned down: each reason points at a term of the agreement, a gap "
        "in a price schedule, or stock that was not there.",
        fig,
    )


BUILDERS: tuple[Callable[[RunData, RunData | None], Chart], ...] = (
    _timeline,
    _stock,
    _provided,
    _balances,
    _outstanding,
    _shortfalls,
    _ceilings,
    _refusals,
)
