"""A study defined from what a user gives (a file, -n, --set, --vary, --no-acsa...) and
checked whole before anything runs: the arguments, every grid point, the KPI --precision
watches, the size of the plan, the executor. `acsasim replicate`, `sweep` and `compare`
parse their options and call these; `lifecycle.run_study` then runs the study.

Every refusal is a StudyError (the user's to fix: exit 2 at the command line) or a
ScenarioError naming the file's line or the override.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from acsasim.experiments.lifecycle import Target
from acsasim.experiments.spec import NO_ACSA, Point, Source, Spec, parse_vary, points

DEFAULT_N = 10
# The most replications one grid point may ask for (-n, --max-n), and the most jobs (grid
# points x replications) one study may plan: far beyond what a study needs, and refused
# at once rather than spending minutes planning seeds (a typo of -n 1000000000000).
MAX_N = 100_000
MAX_JOBS = 1_000_000
UNSET = -1  # the base seed until the scenario is loaded: then the scenario's own seed


class StudyError(ValueError):
    """A study asked for wrongly (a missing file, -n too small, two variants...)."""


@dataclass(frozen=True)
class Planned:
    """A checked study: its spec (seed filled in) and its grid points, validated."""

    spec: Spec
    grid: list[Point]


def replicate_spec(
    file: Path | None,
    n: int | None,
    seed: int | None,
    sets: list[str],
    precision: float | None = None,
    kpi: str | None = None,
    max_n: int | None = None,
) -> Spec:
    if precision is not None and not (math.isfinite(precision) and precision > 0):
        raise StudyError(f"--precision {precision}: give a positive fraction, e.g. 0.05")
    if precision is not None and not kpi:
        raise StudyError(
            "--precision needs a positive fraction and --kpi, e.g. --kpi unmet_demand.diesel"
        )
    if kpi and precision is None:
        raise StudyError("--kpi names the KPI that --precision watches; give --precision too")
    count = replications(n)
    if max_n is not None and max_n < count:
        raise StudyError(f"--max-n {max_n} is below -n {count}")
    if max_n is not None and max_n > MAX_N:
        raise StudyError(f"--max-n {max_n} is above the limit of {MAX_N:,} replications")
    source = Source.read(need(file), sets)
    return Spec("replicate", (source,), count, UNSET if seed is None else seed,
                precision=precision, kpi=kpi, max_n=max_n)  # fmt: skip


def sweep_spec(
    file: Path | None, vary: list[str], n: int | None, seed: int | None, sets: list[str]
) -> Spec:
    if not vary:
        raise StudyError("give at least one --vary PATH=V1,V2,...")
    grid = parse_vary(vary)
    count = replications(n)
    source = Source.read(need(file), sets)
    return Spec("sweep", (source,), count, UNSET if seed is None else seed, vary=grid)


def compare_spec(
    file: Path | None,
    no_acsa: bool,
    against: Path | None,
    sets: list[str],
    n: int | None,
    seed: int | None,
) -> Spec:
    """Baseline FILE; variant --no-acsa, --against FILE2 (--set changes both sides), or
    with neither, FILE with the --set overrides."""
    file, count = need(file), replications(n)
    if no_acsa and against is not None:
        raise StudyError("choose one variant: --no-acsa or --against FILE2")
    shown = "".join(f" --set {s}" for s in sets)
    if no_acsa:
        base = Source.read(file, sets)
        variant, description = replace(base, overrides=(*sets, NO_ACSA)), "--no-acsa"
    elif against is not None:
        base = Source.read(file, sets)
        variant, description = Source.read(against, sets), f"{against}{shown}"
    elif sets:
        base = Source.read(file)
        variant, description = replace(base, overrides=tuple(sets)), f"{file}{shown}"
    else:
        raise StudyError("say what to compare with: --no-acsa, --against FILE2 or --set PATH=VALUE")
    seeded = UNSET if seed is None else seed
    return Spec("compare", (base, variant), count, seeded, variant=description)


def plan(spec: Spec, max_size: float | None = None) -> Planned:
    """Every grid point loaded and checked, the base seed filled in (the scenario's when
    none was given), the --precision KPI known and the plan within MAX_JOBS."""
    spec = replace(spec, max_size=max_size)
    grid = points(spec)
    if spec.seed == UNSET:
        spec = replace(spec, seed=grid[0].scenario.seed)
    check_kpi(spec, grid)
    check_jobs(spec, grid)
    return Planned(spec, grid)


def target(planned: Planned, out: Path | None, reports: Path = Path("reports")) -> Target:
    """`out` as given (refused if taken), or a new name under `reports` (numbered if taken)."""
    if out is not None:
        return Target(out)
    from acsasim.experiments.folder import default_study_folder

    name = planned.grid[0].scenario.name
    return Target(default_study_folder(reports, name, planned.spec.command), unique=True)


def reopen(command: str, folder: Path) -> tuple[Planned, Target]:
    """An interrupted study to --resume: refused at once while another process works on
    it, or when it is another command's study."""
    from acsasim.experiments import folder as folders
    from acsasim.experiments.store import Store, StoreError

    try:
        partial, _ = folders.locate(folder)
        folders.check_free(partial)  # before any work: another process is on it
        store = Store.open(partial)
        spec = Spec.from_json(store.spec())
        store.close()
    except StoreError as exc:
        raise StudyError(str(exc)) from None
    if spec.command != command:
        again = f"acsasim {spec.command} --resume ..."
        raise StudyError(f"{partial} is a {spec.command} study: {again}")
    return Planned(spec, points(spec)), Target(partial=partial)


def check_executor(jobs: int, scheduler: str | None) -> None:
    """One executor; for Dask, installed, the address well formed and the scheduler
    answering (a connection attempt with a timeout), all before any work."""
    if jobs > 1 and scheduler is not None:
        raise StudyError("choose one executor: --jobs J (this machine) or --scheduler ADDRESS")
    if scheduler is None:
        return
    from acsasim.experiments.dask_exec import (
        DaskMissing,
        SchedulerUnreachable,
        check_address,
        distributed,
    )

    try:
        check_address(scheduler)
        distributed()
    except (DaskMissing, SchedulerUnreachable, ValueError) as exc:
        raise StudyError(str(exc)) from None


def replications(n: int | None) -> int:
    count = DEFAULT_N if n is None else n
    if count < 2:
        raise StudyError(f"-n {count}: a confidence interval needs at least 2 replications")
    if count > MAX_N:
        raise StudyError(
            f"-n {count}: at most {MAX_N:,} replications per grid point; a 95% CI narrows with "
            "the square root of n, so --precision is the better way to ask for more"
        )
    return count


def need(file: Path | None) -> Path:
    if file is None:
        raise StudyError("give a scenario FILE (or --resume FOLDER to continue a study)")
    return file


def check_jobs(spec: Spec, grid: list[Any]) -> None:
    """A sweep's grid times its replications (at most --max-n with --precision) is planned
    at once: refuse a plan above MAX_JOBS before any work."""
    most = spec.max_n if spec.precision is not None and spec.max_n else spec.n
    jobs = len(grid) * max(most, spec.n)
    if jobs > MAX_JOBS:
        raise StudyError(
            f"{len(grid):,} grid points x {max(most, spec.n):,} replications = {jobs:,} jobs, "
            f"above the limit of {MAX_JOBS:,}; vary fewer values or lower -n"
        )


def check_kpi(spec: Spec, grid: list[Point]) -> None:
    """--kpi must name a KPI (and, for per-commodity KPIs, a commodity of the scenario)."""
    from acsasim.experiments.table import KPI_NAMES
    from acsasim.scenario.errors import did_you_mean

    if spec.kpi is None:
        return
    top, _, rest = spec.kpi.partition(".")
    if top not in KPI_NAMES:
        raise StudyError(f"--kpi {spec.kpi}: no KPI '{top}'{did_you_mean(top, KPI_NAMES)}")
    commodities = grid[0].scenario.commodities
    if top in ("unmet_demand", "fill_rate", "stockout_hours") and rest not in commodities:
        hint = did_you_mean(rest, commodities, prefix=f"{top}.")
        raise StudyError(f"--kpi {spec.kpi}: the scenario has no commodity '{rest}'{hint}")
