"""From finished jobs to the study's numbers: per grid point KPI statistics, paired
differences for a comparison, and the content of summary.json and sweep.csv.

These are summaries, small whatever n is; the per-replication table is built only when
someone asks for it (`StudyResult.frame()`, replications.csv).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from acsasim.experiments import stats, table
from acsasim.experiments.runner import Outcome
from acsasim.experiments.spec import Point, Spec
from acsasim.experiments.stats import Summary
from acsasim.experiments.study import Stopping, bounded
from acsasim.output.csv_cells import csv_text

SIGN = "difference = variant - baseline, per replication on the same seed (common random numbers)"
STAT_COLUMNS = ("n", "mean", "sd", "ci95_low", "ci95_high", "min", "max", "ci_method")


@dataclass
class StudyResult:
    """A finished study: its definition, grid points, KPI statistics and stopping reason.

    `summary` is what summary.json holds; `rows()` and `frame()` give one row per
    replication when asked for.
    """

    spec: Spec
    points: list[Point]
    outcomes: list[Outcome] = field(repr=False)
    stopping: Stopping
    columns: list[str] = field(init=False)
    stats: list[dict[str, Summary]] = field(init=False, repr=False)
    _differences: dict[str, Summary] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.columns = table.columns_of(self.outcomes)
        self.stats = [
            {c: stats.summarize(_values(self.outcomes, p, c), bounded(c)) for c in self.columns}
            for p in range(len(self.points))
        ]

    @property
    def n(self) -> int:
        return self.stopping.n

    def differences(self) -> dict[str, Summary]:
        """Compare: the statistics of variant - baseline, paired by replication."""
        if self._differences is None:
            self._differences = {c: stats.summarize(self.paired(c)) for c in self.columns}
        return self._differences

    def paired(self, column: str) -> list[float]:
        """variant - baseline of one KPI, one value per replication (same seed)."""
        sides = [
            {o.rep: table.value(o, column) for o in self.outcomes if o.point == p} for p in (0, 1)
        ]
        return stats.paired_differences(sides[0], sides[1])

    def csv(self) -> str:
        return table.replications_csv([p.key for p in self.points], self.outcomes, self.columns)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per replication (key columns, rep, seed, KPIs), sorted."""
        keys = [p.key for p in self.points]
        return [
            {**keys[o.point], "rep": o.rep, "seed": o.seed}
            | {c: table.value(o, c) for c in self.columns}
            for o in sorted(self.outcomes, key=lambda o: (o.point, o.rep))
        ]

    def frame(self) -> Any:
        """The replications as a pandas DataFrame (pandas imported only now)."""
        import pandas as pd

        return pd.DataFrame(self.rows())

    @property
    def summary(self) -> dict[str, Any]:
        return summary_json(self)


def _values(outcomes: Sequence[Outcome], point: int, column: str) -> list[float]:
    got = (table.value(o, column) for o in outcomes if o.point == point)
    return [v for v in got if v is not None]


def _stats(summaries: dict[str, Summary]) -> dict[str, dict[str, Any]]:
    return {c: s.as_dict() for c, s in summaries.items()}


def summary_json(result: StudyResult) -> dict[str, Any]:
    spec = result.spec
    head: dict[str, Any] = {
        "command": spec.command,
        "scenario": result.points[0].scenario.name,
        "n": result.n,
        "seed": spec.seed,
        "seeds": "replication i uses SeedSequence(seed).spawn(n)[i].generate_state(1)[0]",
        "stopping": result.stopping.as_dict(),
    }
    if spec.command == "sweep":
        head["parameters"] = [p for p, _ in spec.vary]
        head["points"] = [
            {"point": i, "params": _params(p), "kpis": _stats(s)}
            for i, (p, s) in enumerate(zip(result.points, result.stats, strict=True))
        ]
    elif spec.command == "compare":
        head["sign"] = SIGN
        head["differences"] = _stats(result.differences())
        head["baseline"] = {"definition": definition(spec, 0), "kpis": _stats(result.stats[0])}
        head["variant"] = {"definition": spec.variant, "kpis": _stats(result.stats[1])}
    else:
        head["kpis"] = _stats(result.stats[0])
    return head


def definition(spec: Spec, side: int) -> str:
    source = spec.sources[side]
    return source.name + "".join(f" --set {s}" for s in source.overrides)


def _params(point: Point) -> dict[str, str]:
    return {k: v for k, v in point.key.items() if k != "point"}


def sweep_csv(result: StudyResult) -> str:
    """sweep.csv: one row per grid point and KPI (long format, easy to pivot or plot)."""
    params = [p for p, _ in result.spec.vary]
    rows = []
    for i, point in enumerate(result.points):
        for column in result.columns:
            s = result.stats[i][column].as_dict()
            rows.append([i, *(point.key[p] for p in params), column, *(s[k] for k in STAT_COLUMNS)])
    return csv_text(["point", *params, "kpi", *STAT_COLUMNS], rows)
