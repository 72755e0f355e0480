"""Charts of the books: value provided, the reciprocal balance, outstanding value by
method and by age, ceiling use.

Each function draws onto an `Axes` it is given (no pyplot). Amounts are in the
reporting currency; areas owed to a party take that party's colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from acsasim.output import series
from acsasim.output.breakdowns import CeilingUse, ceiling_use
from acsasim.output.charts_time import compact_y, empty, mark_events, time_axis
from acsasim.output.run_data import RunData
from acsasim.output.style import (
    AGING_BUCKETS,
    AGING_COLOURS,
    INK,
    OVERDUE,
    keyed_colours,
    label,
    money_text,
    party_colours,
)
from acsasim.scenario.types import CATEGORIES

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Tan, teal, pale yellow: away from the first party colours (blue, green, purple).
METHOD_COLOURS = {
    "replacement_in_kind": "#d8b365",
    "equal_value_exchange": "#7fc7bd",
    "cash": "#fee08b",
    series.NO_METHOD: "#d9d9d9",
    series.UNLINKED: "#969696",
}
CATEGORY_COLOURS = keyed_colours(CATEGORIES)  # every category, so a colour never moves


def provided_chart(ax: Axes, data: RunData, entry: series.Provided) -> None:
    """Cumulative value one party provided to another under one agreement, stacked by ACSA
    category; the title gives the exact total."""
    cur = data.currency
    table = entry.by_category
    colour = INK if entry.gathered else party_colours(data.scenario.parties)[entry.provider]
    x = table.index.to_numpy()  # datetime64: matplotlib converts it whole, not date by date
    categories = [str(c) for c in table.columns]
    ax.stackplot(
        x,
        *(table[c].to_numpy() for c in categories),
        labels=[label(c) for c in categories],
        colors=[CATEGORY_COLOURS[c] for c in categories],
        edgecolor="white",
        linewidth=0.3,
    )
    ax.plot(x, table.sum(axis=1).to_numpy(), color=colour, linewidth=1.8, label="total")
    mark_events(ax, data)
    time_axis(ax, data)
    compact_y(ax, cur)
    ax.set_ylim(bottom=0)
    who = (
        f"the other {entry.gathered} directions together"
        if entry.gathered
        else f"{entry.provider} → {entry.receiver} under {entry.agreement}"
    )
    ax.set_title(f"{who}: {entry.total:,.2f} {cur}", fontsize=10, loc="left", color=colour)
    handles, labels = ax.get_legend_handles_labels()  # top of the stack first
    ax.legend(
        handles[-2::-1] + handles[-1:],
        labels[-2::-1] + labels[-1:],
        loc="upper left",
        fontsize=8,
        frameon=False,
    )


def balance_chart(ax: Axes, data: RunData, balance: series.Balance) -> None:
    """Net balance of a pair over time; the area takes the colour of the party owed. Hatched
    red: the overdue part of what each owes the other (b's above zero, a's below), so a
    near-even balance that hides large overdue debts both ways still shows them."""
    a, b, net = balance.a, balance.b, balance.net
    colours = party_colours(data.scenario.parties)
    cur = data.currency
    x = net.index.to_numpy()  # datetime64: matplotlib converts it whole, not date by date
    ax.fill_between(
        x,
        net,
        0,
        where=net >= 0,
        color=colours[a],
        alpha=0.3,
        linewidth=0,
        interpolate=True,
        label=f"{b} owes {a}",
    )
    ax.fill_between(
        x,
        net,
        0,
        where=net < 0,
        color=colours[b],
        alpha=0.3,
        linewidth=0,
        interpolate=True,
        label=f"{a} owes {b}",
    )
    if (balance.high > net.to_numpy()).any() or (balance.low < net.to_numpy()).any():
        # between two instants of the grid the balance moved: its low and high, lightly
        ax.fill_between(x, balance.low, balance.high, color=INK, alpha=0.12, linewidth=0,
                        step="pre", label="_range")  # fmt: skip
    ax.plot(x, net, color=INK, linewidth=1.5, label="net balance")
    ax.fill_between(
        x,
        balance.overdue_to_a,
        0,
        facecolor="none",
        edgecolor=OVERDUE,
        hatch="xxx",
        linewidth=0,
    )
    ax.fill_between(
        x,
        -balance.overdue_to_b,
        0,
        facecolor="none",
        edgecolor=OVERDUE,
        hatch="xxx",
        linewidth=0,
        label="overdue part",
    )
    ax.axhline(0, color=INK, linewidth=0.8)
    mark_events(ax, data)
    time_axis(ax, data)
    compact_y(ax, f"net, {cur}")
    end = balance.end
    who = f"{b} owes {a}" if end >= 0 else f"{a} owes {b}"
    ax.set_title(f"{a}-{b}: at the end {who} {abs(end):,.2f} {cur}", fontsize=10, loc="left")
    ax.legend(loc=quiet_corner(net), fontsize=8, framealpha=0.85, edgecolor="none")


Corner = Literal["upper left", "lower left", "upper right", "lower right"]


def quiet_corner(values: Any) -> Corner:
    """The corner of a time series' plot its line leaves most free, for a legend (matplotlib's
    "best" searches every draw; this looks once): left or right third, upper or lower half."""
    import numpy as np

    y = np.asarray(values, dtype=float)
    if not len(y) or np.ptp(y) == 0:
        return "upper left"
    level = (y - y.min()) / np.ptp(y)
    third = max(1, len(y) // 3)
    crowd: dict[Corner, float] = {
        "upper left": float((level[:third] > 0.5).mean()),
        "lower left": float((level[:third] < 0.5).mean()),
        "upper right": float((level[-third:] > 0.5).mean()),
        "lower right": float((level[-third:] < 0.5).mean()),
    }
    return min(crowd, key=lambda corner: crowd[corner])


def outstanding_chart(ax: Axes, data: RunData, by: str) -> None:
    """Gross value outstanding over time, stacked by settlement method (`by="method"`) or by
    age past the due date (`by="aging"`)."""
    table = series.outstanding_by(data, by)
    columns = [str(c) for c in table.columns]
    if by == "method":
        colours = [METHOD_COLOURS.get(c, "#cccccc") for c in columns]
        title = "outstanding by settlement method"
    else:
        shades = dict(zip(AGING_BUCKETS, AGING_COLOURS, strict=True))
        colours = [shades.get(c, METHOD_COLOURS[series.UNLINKED]) for c in columns]
        title = "outstanding by days past due"
    ax.set_title(title, fontsize=10, loc="left")
    if table.empty or table.columns.empty or table.abs().to_numpy().max() < 0.005:
        empty(ax, "nothing was owed at any time")
        return
    labels = [label(c) if by == "method" else c for c in columns]
    ax.stackplot(
        table.index.to_numpy(),
        *(table[c].to_numpy() for c in columns),
        labels=labels,
        colors=colours,
        edgecolor="white",
        linewidth=0.3,
    )
    handles, names = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], names[::-1], loc="upper left", fontsize=8, frameon=False)
    mark_events(ax, data)
    time_axis(ax, data)
    compact_y(ax, data.currency)
    ax.set_ylim(bottom=0)


def ceiling_chart(ax: Axes, data: RunData, rows: list[CeilingUse] | None = None) -> None:
    """Each party's use of each ceiling (what it provides, what it acquires) per ceiling year,
    as a share of the limit; the red line is the limit. Bars take the party's colour;
    supplies-only bars are hatched."""
    rows = ceiling_use(data) if rows is None else rows
    if not rows:
        empty(ax, "no agreement sets a ceiling")
        return
    colours = party_colours(data.scenario.parties)
    cur = data.currency
    ys = list(range(len(rows)))
    fractions = [r.fraction for r in rows]
    ax.barh(
        ys,
        fractions,
        color=[colours[r.provider] for r in rows],
        height=0.6,
        hatch=["//" if r.goods_only else None for r in rows],
        edgecolor="white",
    )
    names = [
        f"{r.provider} under {r.agreement}, year from {r.year_start}"
        f"\n{'acquired' if r.acquired else 'provided'}, "
        f"{'supplies only' if r.goods_only else 'all'}"
        for r in rows
    ]
    ax.set_yticks(ys, names, fontsize=8.5)
    ax.invert_yaxis()
    right = max(1.0, *fractions) * 1.05
    ax.set_xlim(0, right)
    ax.axvline(1.0, color=OVERDUE, linewidth=1.5)
    ax.text(
        1.0,
        1.0,
        "limit ",
        transform=ax.get_xaxis_transform(),
        ha="right",
        va="top",
        color=OVERDUE,
        fontsize=8.5,
    )
    # The figures in a column right of the plot: readable whatever the bar's length or hatch.
    edge = ax.get_yaxis_transform()
    for y, r in zip(ys, rows, strict=True):
        text = f"{r.fraction:.1%}  {money_text(float(r.used), cur)} of {money_text(r.limit, cur)}"
        ax.text(1.02, y, text, transform=edge, va="center", ha="left", fontsize=8.5, color=INK)
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("share of the ceiling used")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
