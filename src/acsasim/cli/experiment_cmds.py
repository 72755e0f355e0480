"""`acsasim replicate`, `sweep` and `compare`: many runs into an experiment folder.

All three share one life cycle: here the study is defined and every argument and grid
point checked (bad input, -n above its limit, a scheduler that does not answer: exit 2
before anything is written); `experiments.lifecycle.run_study` then claims the folder,
runs with a progress bar on stderr, writes and seals the files and renames the folder.
Ctrl-C keeps what finished and prints the --resume line. stdout carries only the folder
path and the answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from acsasim.cli.app import MaxSize, SetOption, UserError, command

INTERRUPTED = 130
DEFAULT_N = 10
# The most replications one grid point may ask for (-n, --max-n), and the most jobs (grid
# points x replications) one study may plan: far beyond what a study needs, and refused
# at once rather than spending minutes planning seeds (a typo of -n 1000000000000).
MAX_N = 100_000
MAX_JOBS = 1_000_000
UNSET = -1  # the base seed until the scenario is loaded: then the scenario's own seed

N = Annotated[
    int | None,
    typer.Option("-n", "--replications", metavar="N", help=f"Replications (default {DEFAULT_N})."),
]
Seed = Annotated[
    int | None,
    typer.Option(
        metavar="N",
        help="Base seed (default: the scenario's); replication i uses child i of its "
        "SeedSequence, so `acsasim run --seed` can re-run any row.",
        min=0,
    ),
]
Jobs = Annotated[
    int, typer.Option("--jobs", "-j", metavar="J", help="Worker processes on this machine.", min=1)
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        metavar="ADDRESS", help="A Dask scheduler (tcp://host:8786), or 'local' for a LocalCluster."
    ),
]
Out = Annotated[
    Path | None,
    typer.Option(metavar="DIR", help="The experiment folder (must not exist or be empty)."),
]
Resume = Annotated[
    Path | None, typer.Option(metavar="FOLDER", help="Continue an interrupted study.")
]
File = Annotated[
    Path | None, typer.Argument(metavar="FILE", help="The scenario file.", show_default=False)
]


@command(
    "acsasim replicate scenarios/jp-ph-joint-drill.yaml -n 50 --jobs 2",
    "acsasim replicate scenarios/jp-ph-joint-drill.yaml --precision 0.05 --kpi unmet_demand.jp5",
    "acsasim replicate --resume reports/jp-ph-joint-drill/20260525-101500-replicate.partial",
)
def replicate(
    file: File = None,
    n: N = None,
    seed: Seed = None,
    overrides: SetOption = None,
    precision: Annotated[
        float | None,
        typer.Option(
            metavar="FRACTION",
            help="Add replications until the CI half-width is within this x |mean|.",
        ),
    ] = None,
    kpi: Annotated[
        str | None,
        typer.Option(metavar="KPI", help="The KPI --precision watches, e.g. unmet_demand.diesel."),
    ] = None,
    max_n: Annotated[
        int | None,
        typer.Option(metavar="M", help="With --precision: at most this many (default 1000)."),
    ] = None,
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    out: Out = None,
    resume: Resume = None,
    max_size: MaxSize = None,
) -> None:
    """N replications on independent streams: KPI mean, sd, 95% CI, min and max."""

    def build() -> Any:
        from acsasim.experiments.spec import Source, Spec

        if precision is not None and not (math.isfinite(precision) and precision > 0):
            raise UserError(f"--precision {precision}: give a positive fraction, e.g. 0.05")
        if precision is not None and not kpi:
            raise UserError(
                "--precision needs a positive fraction and --kpi, e.g. --kpi unmet_demand.diesel"
            )
        if kpi and precision is None:
            raise UserError("--kpi names the KPI that --precision watches; give --precision too")
        count = _n(n)
        if max_n is not None and max_n < count:
            raise UserError(f"--max-n {max_n} is below -n {count}")
        if max_n is not None and max_n > MAX_N:
            raise UserError(f"--max-n {max_n} is above the limit of {MAX_N:,} replications")
        source = Source.read(_need(file), overrides or ())
        return Spec("replicate", (source,), count, UNSET if seed is None else seed,
                    precision=precision, kpi=kpi, max_n=max_n)  # fmt: skip

    given = [file, n, seed, overrides, precision, kpi, max_n, out, max_size]
    run_study("replicate", build, given, resume, jobs, scheduler, out, max_size)


@command(
    "acsasim sweep scenarios/jp-ph-18-months.yaml -n 20 "
    "--vary agreements.JP-PH-ACSA.settlement.deadline=180d,365d   # what is overdue at the end",
)
def sweep(
    file: File = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(metavar="PATH=V1,V2,...", help="A parameter and its values (repeatable)."),
    ] = None,
    n: N = None,
    seed: Seed = None,
    overrides: SetOption = None,
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    out: Out = None,
    resume: Resume = None,
    max_size: MaxSize = None,
) -> None:
    """The full grid of --vary values, N replications per point on the same seeds."""

    def build() -> Any:
        from acsasim.experiments.spec import Source, Spec, parse_vary

        if not vary:
            raise UserError("give at least one --vary PATH=V1,V2,...")
        grid = parse_vary(vary)
        count = _n(n)
        source = Source.read(_need(file), overrides or ())
        return Spec("sweep", (source,), count, UNSET if seed is None else seed, vary=grid)

    given = [file, vary, n, seed, overrides, out, max_size]
    run_study("sweep", build, given, resume, jobs, scheduler, out, max_size)


@command(
    "acsasim compare scenarios/jp-ph-joint-drill.yaml --no-acsa -n 50   # what is the pact worth?",
    "acsasim compare scenarios/jp-ph-joint-drill.yaml --set policy.acsa=first -n 20",
)
def compare(
    file: File = None,
    no_acsa: Annotated[
        bool, typer.Option("--no-acsa", help="The variant is the world without the agreement.")
    ] = False,
    against: Annotated[
        Path | None, typer.Option(metavar="FILE2", help="The variant is another scenario file.")
    ] = None,
    overrides: SetOption = None,
    n: N = None,
    seed: Seed = None,
    jobs: Jobs = 1,
    scheduler: Scheduler = None,
    out: Out = None,
    resume: Resume = None,
    max_size: MaxSize = None,
) -> None:
    """Paired comparison on common random numbers; differences are variant - baseline.

    The baseline is FILE as given. The variant is --no-acsa (policy.acsa=never) or
    --against FILE2, and then --set changes both sides; with neither, --set defines the
    variant (FILE with those overrides).
    """

    def build() -> Any:
        return _compare_spec(_need(file), no_acsa, against, overrides or [], _n(n), seed)

    given = [file, no_acsa or None, against, overrides, n, seed, out, max_size]
    run_study("compare", build, given, resume, jobs, scheduler, out, max_size)


def _compare_spec(
    file: Path, no_acsa: bool, against: Path | None, sets: list[str], n: int, seed: int | None
) -> Any:
    from acsasim.experiments.spec import NO_ACSA, Source, Spec

    if no_acsa and against is not None:
        raise UserError("choose one variant: --no-acsa or --against FILE2")
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
        raise UserError("say what to compare with: --no-acsa, --against FILE2 or --set PATH=VALUE")
    return Spec("compare", (base, variant), n, UNSET if seed is None else seed, variant=description)


def _n(n: int | None) -> int:
    count = DEFAULT_N if n is None else n
    if count < 2:
        raise UserError(f"-n {count}: a confidence interval needs at least 2 replications")
    if count > MAX_N:
        raise UserError(
            f"-n {count}: at most {MAX_N:,} replications per grid point; a 95% CI narrows with "
            "the square root of n, so --precision is the better way to ask for more"
        )
    return count


def _check_jobs(spec: Any, grid: list[Any]) -> None:
    """A sweep's grid times its replications (at most --max-n with --precision) is planned
    at once: refuse a plan above MAX_JOBS before any work."""
    most = spec.max_n if spec.precision is not None and spec.max_n else spec.n
    jobs = len(grid) * max(most, spec.n)
    if jobs > MAX_JOBS:
        raise UserError(
            f"{len(grid):,} grid points x {max(most, spec.n):,} replications = {jobs:,} jobs, "
            f"above the limit of {MAX_JOBS:,}; vary fewer values or lower -n"
        )


def _need(file: Path | None) -> Path:
    if file is None:
        raise UserError("give a scenario FILE (or --resume FOLDER to continue a study)")
    return file


def run_study(
    command: str,
    build: Callable[[], Any],
    given: list[Any],
    resume: Path | None,
    jobs: int,
    scheduler: str | None,
    out: Path | None,
    max_size: float | None = None,
) -> None:
    """Define or reopen the study, then run it to its folder (see the module docstring)."""
    from acsasim.experiments import spec as specs

    if jobs > 1 and scheduler is not None:
        raise UserError("choose one executor: --jobs J (this machine) or --scheduler ADDRESS")
    if scheduler is not None:
        _check_dask(scheduler)
    if resume is not None:
        if any(g not in (None, [], False) for g in given):
            raise UserError(
                "--resume continues the study as it was defined: give only --resume FOLDER "
                "and, if you like, --jobs or --scheduler"
            )
        _resume(command, resume, jobs, scheduler)
        return
    spec = replace(build(), max_size=max_size)
    grid = specs.points(spec)
    if spec.seed == UNSET:
        spec = replace(spec, seed=grid[0].scenario.seed)
    _check_kpi(spec, grid)
    _check_jobs(spec, grid)
    from acsasim.experiments.lifecycle import Target

    if out is None:
        target = Target(_default(grid[0].scenario.name, command), unique=True)
    else:
        target = Target(out)
    _start(spec, grid, jobs, scheduler, target)


def _resume(command: str, folder: Path, jobs: int, scheduler: str | None) -> None:
    from acsasim.experiments import folder as folders
    from acsasim.experiments.spec import Spec, points
    from acsasim.experiments.store import Store, StoreError

    try:
        partial, _ = folders.locate(folder)
        folders.check_free(partial)  # before any work: another process is on it
        store = Store.open(partial)
        spec = Spec.from_json(store.spec())
        store.close()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    if spec.command != command:
        raise UserError(f"{partial} is a {spec.command} study: acsasim {spec.command} --resume ...")
    from acsasim.experiments.lifecycle import Target

    _start(spec, points(spec), jobs, scheduler, Target(partial=partial))


def _start(spec: Any, grid: list[Any], jobs: int, scheduler: str | None, target: Any) -> None:
    from acsasim.experiments.dask_exec import SchedulerUnreachable
    from acsasim.experiments.lifecycle import Interrupted, run_study
    from acsasim.experiments.lines import study_lines
    from acsasim.experiments.store import StoreError

    try:
        final, result = run_study(
            spec, grid, target, jobs, scheduler, lambda line: typer.echo(line, err=True)
        )
    except (SchedulerUnreachable, StoreError) as exc:
        raise UserError(str(exc)) from None
    except Interrupted as stop:
        if stop.partial is None:
            typer.echo("interrupted before any replication ran; nothing was written", err=True)
        else:
            saved = "" if stop.done is None else f"{stop.done} finished jobs are saved; "
            typer.echo(
                f"\ninterrupted: {saved}continue with\n"
                f"  acsasim {spec.command} --resume {stop.partial}",
                err=True,
            )
        raise typer.Exit(INTERRUPTED) from None
    typer.echo(str(final))
    for line in study_lines(result):
        typer.echo(line)


def _default(name: str, command: str) -> Path:
    from acsasim.experiments.folder import default_study_folder

    return default_study_folder(Path("reports"), name, command)


def _check_dask(address: str) -> None:
    """Dask installed, the address well formed and the scheduler answering: all checked
    before any work (a connection attempt with a timeout)."""
    from acsasim.experiments.dask_exec import (
        DaskMissing,
        SchedulerUnreachable,
        check_address,
        distributed,
    )

    try:
        check_address(address)
        distributed()
    except (DaskMissing, SchedulerUnreachable, ValueError) as exc:
        raise UserError(str(exc)) from None


def _check_kpi(spec: Any, grid: list[Any]) -> None:
    """--kpi must name a KPI (and, for per-commodity KPIs, a commodity of the scenario)."""
    from acsasim.experiments.table import KPI_NAMES
    from acsasim.scenario.errors import did_you_mean

    if spec.kpi is None:
        return
    top, _, rest = spec.kpi.partition(".")
    if top not in KPI_NAMES:
        raise UserError(f"--kpi {spec.kpi}: no KPI '{top}'{did_you_mean(top, KPI_NAMES)}")
    commodities = grid[0].scenario.commodities
    if top in ("unmet_demand", "fill_rate", "stockout_hours") and rest not in commodities:
        hint = did_you_mean(rest, commodities, prefix=f"{top}.")
        raise UserError(f"--kpi {spec.kpi}: the scenario has no commodity '{rest}'{hint}")
