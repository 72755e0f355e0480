"""Bar charts of what went wrong: unmet demand and stock-out hours per commodity (with and
without the agreement when both runs are known) and refusals by reason.

Each function draws onto an `Axes` it is given (no pyplot).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from acsasim.output.breakdowns import Shortfall, refusal_counts, shortfalls, shortfalls_against
from acsasim.output.charts_time import empty
from acsasim.output.run_data import RunData
from acsasim.output.style import GRID, INK, label, party_colours, quantity_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WITH, WITHOUT = "#34495e", "#bdc3c7"


def unmet_chart(ax: Axes, data: RunData, against: RunData | None = None) -> None:
    """Share of demand not served, per commodity; the label gives the quantity in its unit.
    With `against` (the run without the agreement), its bars sit beside, light and hatched."""
    _paired(
        ax,
        shortfalls(data),
        None if against is None else shortfalls_against(data, against),
        names=run_names(data, against),
        value=lambda x: x.unmet_share,
        text=lambda x: (
            f"{x.unmet_share:.1%} ({quantity_text(x.unmet, x.unit)})" if x.unmet else "none"
        ),
        xlabel="share of demand unmet",
        percent=True,
    )
    ax.set_title("unmet demand", fontsize=10, loc="left")


def stockout_chart(ax: Axes, data: RunData, against: RunData | None = None) -> None:
    """Hours at zero stock per commodity, summed over holders (a holder-hour each)."""
    _paired(
        ax,
        shortfalls(data),
        None if against is None else shortfalls_against(data, against),
        names=run_names(data, against),
        value=lambda x: x.stockout_hours,
        text=lambda x: f"{x.stockout_hours:,.0f} h" if x.stockout_hours else "none",
        xlabel="holder-hours at zero stock",
        percent=False,
    )
    ax.set_title("stock-out hours", fontsize=10, loc="left")


def run_names(data: RunData, against: RunData | None) -> tuple[str, str]:
    """Legend names of the two runs: "with/without the agreement" when that is what they are
    (the other run never asks allies, or has no agreement), else "this run" / its name."""

    def without(d: RunData) -> bool:
        return d.scenario.policy.acsa == "never" or not d.scenario.agreements

    if against is not None and without(against) and not without(data):
        return "with the agreement", "without the agreement"
    other = "other run" if against is None else f"other run ({against.scenario.name})"
    return "this run", other


def _paired(
    ax: Axes,
    mine: list[Shortfall],
    other: list[Shortfall] | None,
    *,
    names: tuple[str, str],
    value,
    text,
    xlabel: str,
    percent: bool,
) -> None:
    if not mine:
        empty(ax, "no demand in this run")
        return
    ys = list(range(len(mine)))
    height = 0.38 if other else 0.6
    shift = height / 2 if other else 0.0
    bars: list[tuple[list[Shortfall], float, str, str | None, str]] = [
        (mine, -shift, WITH, None, names[0])
    ]
    if other:
        bars.append((other, shift, WITHOUT, "//", names[1]))
    top = max(value(x) for rows, *_ in bars for x in rows) or 1.0
    for rows, dy, colour, hatch, name in bars:
        ax.barh(
            [y + dy for y in ys],
            [value(x) for x in rows],
            height=height,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            label=name,
        )
        for y, x in zip(ys, rows, strict=True):
            ax.text(value(x) + top * 0.01, y + dy, text(x), va="center", fontsize=8, color=INK)
    ax.set_yticks(ys, [f"{x.commodity} ({x.unit})" for x in mine], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.35)
    if percent:
        from matplotlib.ticker import PercentFormatter

        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(xlabel)
    ax.grid(True, axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if other:  # below the axis label, clear of the bars
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=4.6, ncol=2,
                  fontsize=8, frameon=False)  # fmt: skip


def refusal_chart(ax: Axes, data: RunData) -> None:
    """Refused or trimmed requests per reason (R5), stacked by the requesting party."""
    table = refusal_counts(data)
    if table.empty:
        empty(ax, "no refusals")
        return
    colours = party_colours(data.scenario.parties)
    ys = list(range(len(table)))
    left = [0] * len(table)
    for party in table.columns:
        counts = table[party].tolist()
        ax.barh(ys, counts, left=left, color=colours[party], height=0.6, label=f"asked by {party}")
        left = [a + b for a, b in zip(left, counts, strict=True)]
    for y, n in zip(ys, left, strict=True):
        ax.text(n + max(left) * 0.01, y, str(n), va="center", fontsize=9, color=INK)
    ax.set_yticks(ys, [f"{label(r)}\n{_what(data, r)}" for r in table.index], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, max(left) * 1.12)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("requests refused or trimmed")
    ax.grid(True, axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower right", fontsize=8, frameon=False)


def _what(data: RunData, reason: str) -> str:
    """The commodities refused for `reason`, most frequent first: `rifle ×48, jp5 ×2`."""
    r = data.frames["refusals"]
    counts = r[r["reason"] == reason]["commodity"].value_counts()
    text = ", ".join(f"{c} ×{n}" for c, n in counts.head(3).items())
    return text + (", ..." if len(counts) > 3 else "")
