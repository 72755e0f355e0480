"""`acsasim replicate`, `sweep` and `compare`: many runs into an experiment folder.

All three share one life cycle, the library's: `experiments.define` defines the study and
checks every argument and grid point (bad input, -n above its limit, a scheduler that does
not answer: exit 2 before anything is written); `experiments.lifecycle.run_study` then
claims the folder, runs with a progress bar on stderr, writes and seals the files and
renames the folder. Here only the options are parsed and the answer printed. Ctrl-C keeps
what finished and prints the --resume line. stdout carries only the folder path and the
answer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from acsasim.cli.app import MaxSize, SetOption, UserError, command

INTERRUPTED = 130
# experiments.define.DEFAULT_N, written out: importing the library here would load numpy
# for every command, `acsasim validate` included (tests/experiments check they agree).
DEFAULT_N = 10

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
        from acsasim.experiments.define import replicate_spec

        return replicate_spec(file, n, seed, overrides or [], precision, kpi, max_n)

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
        from acsasim.experiments.define import sweep_spec

        return sweep_spec(file, vary or [], n, seed, overrides or [])

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
        from acsasim.experiments.define import compare_spec

        return compare_spec(file, no_acsa, against, overrides or [], n, seed)

    given = [file, no_acsa or None, against, overrides, n, seed, out, max_size]
    run_study("compare", build, given, resume, jobs, scheduler, out, max_size)


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
    from acsasim.experiments import define

    define.check_executor(jobs, scheduler)
    if resume is not None:
        if any(g not in (None, [], False) for g in given):
            raise UserError(
                "--resume continues the study as it was defined: give only --resume FOLDER "
                "and, if you like, --jobs or --scheduler"
            )
        planned, target = define.reopen(command, resume)
    else:
        planned = define.plan(build(), max_size)
        target = define.target(planned, out)
    _start(planned.spec, planned.grid, jobs, scheduler, target)


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
