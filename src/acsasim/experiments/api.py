"""Studies from Python or a notebook, without folders: the same runs as the CLI.

    from acsasim import load_scenario
    from acsasim.experiments import replicate, compare

    s = load_scenario("scenarios/jp-ph-joint-drill.yaml")
    r = replicate(s, 20, jobs=2)
    r.summary["kpis"]["unmet_demand.diesel"]      # mean, sd, ci95_low, ci95_high, ...
    without = load_scenario("scenarios/jp-ph-joint-drill.yaml", ["policy.acsa=never"])
    c = compare(s, without, 20)
    c.differences()["unmet_demand.diesel"]          # variant - baseline, paired
    r.frame()                                     # the replications as a DataFrame, if wanted

Results are summaries (StudyResult); the per-replication table is built only on request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from acsasim.experiments import study
from acsasim.experiments.results import StudyResult
from acsasim.experiments.runner import make_executor
from acsasim.experiments.spec import Point, Source, Spec, points
from acsasim.scenario import Scenario, dump_scenario


def execute(
    spec: Spec,
    grid: Sequence[Point],
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    **run_options: Any,
) -> StudyResult:
    """Run a study's grid points on the chosen executor; see study.run for the options."""
    with make_executor([p.scenario for p in grid], jobs, scheduler) as executor:
        outcomes, stopping = study.run(spec, grid, executor, **run_options)
    return StudyResult(spec, list(grid), outcomes, stopping)


def _source(scenario: Scenario) -> Source:
    return Source(scenario.name, dump_scenario(scenario))


def replicate(
    scenario: Scenario,
    n: int,
    *,
    seed: int | None = None,
    precision: float | None = None,
    kpi: str | None = None,
    max_n: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
) -> StudyResult:
    """n replications on independent streams (or until the KPI's CI is `precision` x mean)."""
    spec = Spec(
        "replicate",
        (_source(scenario),),
        n,
        scenario.seed if seed is None else seed,
        precision=precision,
        kpi=kpi,
        max_n=max_n,
    )
    return execute(spec, [Point({}, scenario)], jobs=jobs, scheduler=scheduler)


def sweep(
    scenario: Scenario,
    vary: Mapping[str, Sequence[Any]],
    n: int,
    *,
    seed: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
) -> StudyResult:
    """The full grid of `vary` (override path -> values), every point on the same seeds."""
    as_text = tuple((path, tuple(_yaml(v) for v in values)) for path, values in vary.items())
    spec = Spec(
        "sweep", (_source(scenario),), n, scenario.seed if seed is None else seed, vary=as_text
    )
    return execute(spec, points(spec), jobs=jobs, scheduler=scheduler)


def compare(
    baseline: Scenario,
    variant: Scenario,
    n: int,
    *,
    seed: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
) -> StudyResult:
    """Both scenarios on the same n seeds; differences are variant - baseline, paired."""
    spec = Spec(
        "compare",
        (_source(baseline), _source(variant)),
        n,
        baseline.seed if seed is None else seed,
        variant=variant.name,
    )
    grid = [Point({"side": "baseline"}, baseline), Point({"side": "variant"}, variant)]
    return execute(spec, grid, jobs=jobs, scheduler=scheduler)


def _yaml(value: Any) -> str:
    """A Python value as override text (JSON is YAML); strings are taken as written."""
    return value if isinstance(value, str) else json.dumps(value)
