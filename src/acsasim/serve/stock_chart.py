"""On-hand stock per commodity over the run, one line per holder, as an SVG the page draws
inline: hovering a day shows every holder's level that day (an SVG <title>, no script).

The report's charts are pictures; this one answers "how low did it get, and when" for the
stock levels a planner has just changed. It is drawn from the run folder's stock table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from acsasim.output.kpi_labels import plain

WIDTH, HEIGHT = 760, 230
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 10, 26
MAX_DAYS = 160  # more days than this: every k-th day is drawn (the last one always)
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22")  # fmt: skip


@dataclass(frozen=True)
class Line:
    holder: str
    colour: str
    points: str  # "x,y x,y ..." for <polyline>


@dataclass(frozen=True)
class Column:
    x: float
    width: float
    title: str  # what hovering the day shows


@dataclass(frozen=True)
class StockChart:
    commodity: str
    unit: str
    lines: list[Line]
    columns: list[Column]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str, str]]  # x, label, text-anchor (the ends stay inside)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM


def stock_charts(stock: Any, units: dict[str, str]) -> list[StockChart]:
    """One chart per commodity of the stock table (a DataFrame of stock.csv)."""
    charts = []
    for commodity, rows in stock.groupby("commodity", sort=True):
        charts.append(_chart(str(commodity), units.get(str(commodity), ""), rows))
    return charts


def _chart(commodity: str, unit: str, rows: Any) -> StockChart:
    days = sorted(rows["date"].unique())
    step = max(1, -(-len(days) // MAX_DAYS))
    shown = days[::step] if days[-1] in days[::step] else [*days[::step], days[-1]]
    table = rows.pivot_table(index="date", columns="holder", values="on_hand_end", aggfunc="last")
    table = table.loc[shown]
    top = float(table.max().max()) or 1.0
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM
    dx = span_x / max(1, len(shown) - 1)

    def x(i: int) -> float:
        return round(LEFT + i * dx, 1)

    def y(v: float) -> float:
        return round(TOP + span_y * (1 - v / top), 1)

    lines = [
        Line(
            str(holder),
            PALETTE[n % len(PALETTE)],
            " ".join(f"{x(i)},{y(float(v))}" for i, v in enumerate(table[holder]) if v == v),
        )
        for n, holder in enumerate(table.columns)
    ]
    columns = []
    for i, day in enumerate(shown):
        levels = "; ".join(
            f"{holder} {plain(float(v))} {unit}".strip()
            for holder, v in table.loc[day].items()
            if v == v  # NaN: the holder does not stock it
        )
        columns.append(Column(round(x(i) - dx / 2, 1), round(dx, 1), f"{day}: {levels}"))
    y_ticks = [(y(top * f), plain(top * f) if f else "0") for f in (0.0, 0.5, 1.0)]
    last = len(shown) - 1
    anchor = {0: "start", last: "end"}
    x_ticks = [(x(i), str(shown[i]), anchor.get(i, "middle")) for i in sorted({0, last // 2, last})]
    return StockChart(commodity, unit, lines, columns, y_ticks, x_ticks)
