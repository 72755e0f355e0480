"""`acsasim replicate`, `sweep` and `compare`: many runs into an experiment folder.

All three share one life cycle (run_study): define the study and check every grid point
(bad input exits 2 before anything is written), start the executor, create
`<folder>.partial` with its progress store, run with a progress bar on stderr, write the
files and rename the folder. Ctrl-C keeps what finished and prints the --resume line.
stdout carries only the folder path and the answer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from acsasim.cli.app import SetOption, UserError, command

INTERRUPTED = 130
DEFAULT_N = 10
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
) -> None:
    """N replications on independent streams: KPI mean, sd, 95% CI, min and max."""

    def build() -> Any:
        from acsasim.experiments.spec import Source, Spec

        if precision is not None and (precision <= 0 or not kpi):
            raise UserError(
                "--precision needs a positive fraction and --kpi, e.g. --kpi unmet_demand.diesel"
            )
        if kpi and precision is None:
            raise UserError("--kpi names the KPI that --precision watches; give --precision too")
        count = _n(n)
        if max_n is not None and max_n < count:
            raise UserError(f"--max-n {max_n} is below -n {count}")
        source = Source.read(_need(file), overrides or ())
        return Spec("replicate", (source,), count, UNSET if seed is None else seed,
                    precision=precision, kpi=kpi, max_n=max_n)  # fmt: skip

    given = [file, n, seed, overrides, precision, kpi, max_n, out]
    run_study("replicate", build, given, resume, jobs, scheduler, out)


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

    run_study("sweep", build, [file, vary, n, seed, overrides, out], resume, jobs, scheduler, out)


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
) -> None:
    """Paired comparison on common random numbers; differences are variant - baseline.

    The baseline is FILE as given. The variant is --no-acsa (policy.acsa=never) or
    --against FILE2, and then --set changes both sides; with neither, --set defines the
    variant (FILE with those overrides).
    """

    def build() -> Any:
        return _compare_spec(_need(file), no_acsa, against, overrides or [], _n(n), seed)

    given = [file, no_acsa or None, against, overrides, n, seed, out]
    run_study("compare", build, given, resume, jobs, scheduler, out)


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
    return count


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
) -> None:
    """Define or reopen the study, then run it to its folder (see the module docstring)."""
    from acsasim.experiments import spec as specs

    if jobs > 1 and scheduler is not None:
        raise UserError("choose one executor: --jobs J (this machine) or --scheduler ADDRESS")
    if scheduler is not None:
        _check_dask()
    if resume is not None:
        if any(g not in (None, [], False) for g in given):
            raise UserError(
                "--resume continues the study as it was defined: give only --resume FOLDER "
                "and, if you like, --jobs or --scheduler"
            )
        _resume(command, resume, jobs, scheduler)
        return
    spec = build()
    grid = specs.points(spec)
    if spec.seed == UNSET:
        spec = replace(spec, seed=grid[0].scenario.seed)
    _check_kpi(spec, grid)
    final = out or _default(grid[0].scenario.name, command)
    _start(spec, grid, final, jobs, scheduler, new=True)


def _resume(command: str, folder: Path, jobs: int, scheduler: str | None) -> None:
    from acsasim.experiments import folder as folders
    from acsasim.experiments.spec import Spec, points
    from acsasim.experiments.store import Store, StoreError

    try:
        partial, final = folders.locate(folder)
        store = Store.open(partial)
        spec = Spec.from_json(store.spec())
        store.close()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    if spec.command != command:
        raise UserError(f"{partial} is a {spec.command} study: acsasim {spec.command} --resume ...")
    _start(spec, points(spec), final, jobs, scheduler, new=False)


def _start(
    spec: Any, grid: list[Any], final: Path, jobs: int, scheduler: str | None, *, new: bool
) -> None:
    from acsasim.experiments import folder as folders
    from acsasim.experiments.runner import make_executor
    from acsasim.experiments.store import Store, StoreError
    from acsasim.output.rundir import FolderExists

    try:
        if new:
            folders.check_new(final)
        else:
            folders.check_free(final)
    except FolderExists as exc:
        raise UserError(str(exc)) from None
    executor = make_executor([p.scenario for p in grid], jobs, scheduler)
    with _entered(executor):
        if new:
            partial, store = folders.create(final, spec.to_json())
        else:
            partial, store = folders.partial_of(final), Store.open(folders.partial_of(final))
        typer.echo(f"study folder (in progress): {partial}", err=True)
        try:
            result, sessions = _run(spec, grid, executor, store)
            folders.finish(partial, final, lambda f: _write(f, result, sessions))
        except KeyboardInterrupt:
            _interrupted(spec.command, partial, store)
        except StoreError as exc:  # a progress store that belongs to another study
            raise UserError(str(exc)) from None
    from acsasim.experiments.lines import study_lines

    typer.echo(str(final))
    for line in study_lines(result):
        typer.echo(line)


def _entered(executor: Any) -> Any:
    """Enter the executor (start the pool or the cluster); an unreachable scheduler or a
    Ctrl-C while it starts is bad input or an interruption, not a crash."""
    from contextlib import contextmanager

    from acsasim.experiments.dask_exec import SchedulerUnreachable

    @contextmanager
    def cm() -> Any:
        try:
            entered = executor.__enter__()
        except SchedulerUnreachable as exc:
            raise UserError(str(exc)) from None
        except KeyboardInterrupt:
            typer.echo("interrupted before any replication ran; nothing was written", err=True)
            raise typer.Exit(INTERRUPTED) from None
        try:
            yield entered
        except BaseException as exc:
            executor.__exit__(type(exc), exc, exc.__traceback__)
            raise
        executor.__exit__(None, None, None)

    return cm()


def _run(spec: Any, grid: list[Any], executor: Any, store: Any) -> tuple[Any, list[dict[str, Any]]]:
    from acsasim.experiments import progress, study
    from acsasim.experiments.results import StudyResult

    store.begin_session(executor.name, ["acsasim", *sys.argv[1:]])
    label = "replications" if spec.command == "replicate" else f"{spec.command} jobs"
    with progress.make(sys.stderr, label) as bar:
        outcomes, stopping = study.run(spec, grid, executor, store, bar)
    store.end_session()
    sessions = store.sessions()
    store.close()
    return StudyResult(spec, grid, outcomes, stopping), sessions


def _write(folder: Path, result: Any, sessions: list[dict[str, Any]]) -> None:
    from acsasim.experiments import outputs

    outputs.write(folder, result, sessions)


def _interrupted(command: str, partial: Path, store: Any) -> None:
    try:
        store.end_session()
        done = len(store.done())
        store.close()
    except Exception:  # the store may already be closed; what finished is committed anyway
        done = None
    saved = "" if done is None else f"{done} finished jobs are saved; "
    typer.echo(
        f"\ninterrupted: {saved}continue with\n  acsasim {command} --resume {partial}", err=True
    )
    raise typer.Exit(INTERRUPTED)


def _default(name: str, command: str) -> Path:
    from acsasim.experiments.folder import default_study_folder

    return default_study_folder(Path("reports"), name, command)


def _check_dask() -> None:
    from acsasim.experiments.dask_exec import DaskMissing, distributed

    try:
        distributed()
    except DaskMissing as exc:
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
