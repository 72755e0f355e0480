"""Running a study: the jobs of every grid point, stage after stage until the stopping rule
holds, each finished job recorded in the progress store before it is counted.

Without `--precision` there is one stage of n replications. With it, a stage is checked
after it finishes; if the CI half-width of the KPI is still too wide (at any grid point),
the next stage grows n (stats.next_n). Stages depend only on results, never on the
executor or on interruptions, so a resumed or parallel study stops at the same n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from acsasim.experiments import stats
from acsasim.experiments.runner import Job, Outcome, plan, replication_seeds
from acsasim.experiments.spec import Point, Spec
from acsasim.experiments.store import Store, StoreError
from acsasim.experiments.table import value
from acsasim.output.kpi_labels import describe


class Progress(Protocol):
    def total(self, total: int, done: int) -> None: ...
    def advance(self, outcome: Outcome) -> None: ...


class _Quiet:
    def total(self, total: int, done: int) -> None:
        pass

    def advance(self, outcome: Outcome) -> None:
        pass


@dataclass(frozen=True)
class Stopping:
    """Why the study stopped: `n` replications as asked, the precision reached, or max_n."""

    rule: str  # "n" | "precision" | "max_n"
    n: int
    ratio: float | None = None  # the achieved CI half-width / |mean| (worst grid point)

    def message(self, spec: Spec) -> str:
        if self.rule == "n":
            return f"{self.n} replications as asked"
        shown = "undefined" if self.ratio is None else f"{self.ratio:.1%}"
        kpi = describe(spec.kpi or "").label
        if self.rule == "precision":
            return (
                f"stopped by --precision after {self.n} replications: the 95% CI half-width "
                f"of {kpi} is {shown} of its mean (target {spec.precision:.1%})"
            )
        return (
            f"stopped by --max-n {self.n}: the 95% CI half-width of {kpi} is still "
            f"{shown} of its mean (target {spec.precision:.1%})"
        )

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "n": self.n, "half_width_over_mean": self.ratio}


def run(
    spec: Spec,
    points: Sequence[Point],
    executor: Any,
    store: Store | None = None,
    progress: Progress | None = None,
) -> tuple[list[Outcome], Stopping]:
    """Run what is missing until the stopping rule holds; the outcomes of reps < final n."""
    progress = progress or _Quiet()
    have: dict[tuple[int, int], Outcome] = {}
    if store is not None:
        have = {(o.point, o.rep): o for o in store.outcomes()}
    n = spec.n
    while True:
        jobs = plan(len(points), replication_seeds(spec.seed, n))
        todo = _missing(jobs, have)
        progress.total(len(jobs), len(jobs) - len(todo))
        for outcome in executor.run(todo):
            if store is not None:
                store.add(outcome)
            have[(outcome.point, outcome.rep)] = outcome
            progress.advance(outcome)
        stopping = _stopping(spec, len(points), n, have)
        if stopping is not None:
            final = [o for key, o in sorted(have.items()) if key[1] < n]
            return final, stopping
        n = stats.next_n(n, _worst(spec, len(points), n, have), spec.precision or 0, _max_n(spec))


def bounded(column: str) -> bool:
    """Whether a KPI cannot leave a range (kpi_labels), so its CI must stay inside it."""
    return describe(column).bounded


def _missing(jobs: list[Job], have: dict[tuple[int, int], Outcome]) -> list[Job]:
    todo = []
    for job in jobs:
        got = have.get((job.point, job.rep))
        if got is None:
            todo.append(job)
        elif got.seed != job.seed:
            raise StoreError(
                f"the progress store has seed {got.seed} for replication {job.rep}, "
                f"not {job.seed}: it belongs to another study"
            )
    return todo


def _max_n(spec: Spec) -> int:
    return spec.max_n if spec.max_n is not None else max(spec.n, 1000)


def _worst(spec: Spec, n_points: int, n: int, have: dict[tuple[int, int], Outcome]) -> float | None:
    """The largest CI half-width / |mean| of the precision KPI over the grid points."""
    assert spec.kpi is not None and spec.precision is not None
    ratios = []
    for p in range(n_points):
        values = [v for r in range(n) if (v := value(have[(p, r)], spec.kpi)) is not None]
        _, ratio = stats.precise_enough(values, spec.precision, bounded(spec.kpi))
        if ratio is None:
            return None
        ratios.append(ratio)
    return max(ratios)


def _stopping(
    spec: Spec, n_points: int, n: int, have: dict[tuple[int, int], Outcome]
) -> Stopping | None:
    if spec.precision is None:
        return Stopping("n", n)
    ratio = _worst(spec, n_points, n, have)
    if ratio is not None and ratio <= spec.precision:
        return Stopping("precision", n, ratio)
    if n >= _max_n(spec):
        return Stopping("max_n", n, ratio)
    return None
