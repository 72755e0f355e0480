"""Charts of a study: KPI distributions (replicate), KPI against the parameter with CI bands
(sweep), paired differences with their CIs (compare).

Each chart draws onto an Axes it is given, on a `matplotlib.figure.Figure` (no pyplot,
no global state); matplotlib is imported on first use. PNGs are written without the
software tag, so the same study gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from acsasim.experiments.lines import info_of, num
from acsasim.experiments.results import StudyResult
from acsasim.experiments.table import headline
from acsasim.output.kpi_labels import FRACTION, KpiInfo, heading
from acsasim.runs.atomic import make_folder, write_bytes

MAX_CHARTS = 6  # the first headline KPIs that vary; a chart costs ~0.3 s to render


def _figure(
    width: float = 6.4, height: float = 3.6, layout: Literal["constrained"] | None = None
) -> Any:
    """A figure with fixed margins (a layout engine triples the rendering time)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout=layout)
    if layout is None:
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.9)
    return fig


def _save(fig: Any, path: Path) -> Path:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, metadata={"Software": None})
    return write_bytes(path, buffer.getvalue())


def safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")


def _varying(result: StudyResult, point: int | None = None, limit: int = MAX_CHARTS) -> list[str]:
    """Headline KPIs that are not the same number in every replication."""
    points = range(len(result.points)) if point is None else [point]
    return [
        c for c in headline(result.columns) if any((result.stats[p][c].sd or 0) > 0 for p in points)
    ][:limit]


def _scale(info: KpiInfo) -> float:
    """Fractions are drawn as percentages, as the tables show them."""
    return 100.0 if info.unit == FRACTION else 1.0


def histogram(ax: Any, values: Sequence[float], info: KpiInfo, mean: float | None) -> None:
    k = _scale(info)
    ax.hist([v * k for v in values], bins=min(30, max(5, len(values) // 3)), color="#4477aa",
            alpha=0.85)  # fmt: skip
    if mean is not None:
        ax.axvline(mean * k, color="#cc3311", linestyle="--", label=f"mean {num(mean * k)}")
        ax.legend(loc="upper right", fontsize=8)
    ax.set_title(info.label, fontsize=10)
    ax.set_xlabel(heading(info))
    ax.set_ylabel("replications")


def kpi_vs_parameter(ax: Any, result: StudyResult, column: str) -> None:
    """Mean and 95% CI band of one KPI over the first varied parameter; one line for each
    combination of the others."""
    info = info_of(result)(column)
    k = _scale(info)
    first, *others = [p for p, _ in result.spec.vary]
    xs_text = [v for p, vs in result.spec.vary if p == first for v in vs]
    numeric = all(_is_number(v) for v in xs_text)
    position = {v: (float(v) if numeric else i) for i, v in enumerate(xs_text)}
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, point in enumerate(result.points):
        groups.setdefault(tuple(point.key[o] for o in others), []).append(i)
    for group, indices in groups.items():
        xs = [position[result.points[i].key[first]] for i in indices]
        s = [result.stats[i][column] for i in indices]
        label = ", ".join(f"{o}={g}" for o, g in zip(others, group, strict=True)) or None
        means = [_or_nan(x.mean, k) for x in s]
        line = ax.plot(xs, means, marker="o", label=label)[0]
        low = [_or_nan(x.ci95_low, k) for x in s]
        high = [_or_nan(x.ci95_high, k) for x in s]
        ax.fill_between(xs, low, high, color=line.get_color(), alpha=0.2)
    if not numeric:
        ax.set_xticks(list(position.values()), list(position))
    ax.set_xlabel(first)
    ax.set_ylabel(info.unit)
    ax.set_title(heading(info), fontsize=10)
    if others:
        ax.legend(fontsize=7)


def _or_nan(x: float | None, scale: float) -> float:
    return float("nan") if x is None else x * scale


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def forest(ax: Any, result: StudyResult, columns: Sequence[str]) -> None:
    """Paired differences (variant - baseline) with 95% CIs, as % of the larger of the two
    means, so KPIs in litres and in money share one axis; KPIs the variant leaves exactly
    unchanged are left out."""
    diffs = result.differences()
    rows = []
    for c in columns:
        d = diffs[c]
        scale = max(abs(result.stats[0][c].mean or 0), abs(result.stats[1][c].mean or 0))
        if d.mean is not None and scale > 0 and (d.mean != 0 or d.sd):
            rows.append((c, d, scale))
    for y, (_, d, scale) in enumerate(rows):
        assert d.mean is not None  # rows keep only differences with a mean
        if d.ci95_low is not None and d.ci95_high is not None:
            ax.plot([100 * d.ci95_low / scale, 100 * d.ci95_high / scale], [y, y],
                    color="#4477aa", linewidth=2)  # fmt: skip
        ax.plot([100 * d.mean / scale], [y], "o", color="#cc3311")
        ax.annotate(f"{d.mean:+,.4g}", (100 * d.mean / scale, y), textcoords="offset points",
                    xytext=(0, 6), ha="center", fontsize=7)  # fmt: skip
    ax.axvline(0, color="grey", linewidth=1)
    info = info_of(result)
    ax.set_yticks(range(len(rows)), [heading(info(c)) for c, _, _ in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("variant - baseline, % of the larger mean (95% CI); labels: the difference")


def draw_all(result: StudyResult, folder: Path) -> list[Path]:
    """Write the study's charts under folder/charts/; return their paths in report order."""
    charts = make_folder(folder / "charts")
    command = result.spec.command
    written: list[Path] = []
    if command == "replicate":
        for c in _varying(result, 0):
            fig = _figure()
            values = [v for v in (r[c] for r in result.rows()) if v is not None]
            histogram(fig.add_subplot(), values, info_of(result)(c), result.stats[0][c].mean)
            written.append(_save(fig, charts / f"hist-{safe_name(c)}.png"))
    elif command == "sweep":
        for c in _varying(result):
            fig = _figure()
            kpi_vs_parameter(fig.add_subplot(), result, c)
            written.append(_save(fig, charts / f"sweep-{safe_name(c)}.png"))
    else:
        columns = _varying(result, limit=2 * MAX_CHARTS)  # one figure, one row per KPI
        fig = _figure(7.5, 1.2 + 0.45 * max(1, len(columns)), layout="constrained")
        forest(fig.add_subplot(), result, columns)
        written.append(_save(fig, charts / "differences.png"))
    return written
