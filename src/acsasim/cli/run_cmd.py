"""`acsasim run`: one replication into a run folder."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import JsonOption, MaxSize, SetOption, command, print_json


@command(
    "acsasim run scenarios/jp-ph-joint-drill.yaml",
    "acsasim run scenarios/jp-ph-joint-drill.yaml --seed 7 "
    "--set holders.jgsdf-coy.stock.diesel.initial=9000",
    "acsasim run scenarios/jp-ph-joint-drill.yaml --no-acsa --out runs/no-acsa   "
    "# the world without the agreement",
    "acsasim run scenarios/jp-ph-joint-drill.yaml --no-report --json > run.json   # for scripts",
)
def run(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The scenario file.")],
    seed: Annotated[
        int | None, typer.Option(metavar="N", help="Seed (default: the scenario's).", min=0)
    ] = None,
    overrides: SetOption = None,
    no_acsa: Annotated[
        bool, typer.Option("--no-acsa", help="The world without the agreement.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="The run folder to write (must not exist or be empty)."),
    ] = None,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Skip the charts and report.html (faster).")
    ] = False,
    as_json: JsonOption = False,
    max_size: MaxSize = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No progress on stderr (it shows only on a terminal anyway)."
        ),
    ] = False,
) -> None:
    """Run one replication and write its run folder; print the folder and the main KPIs.

    Each KPI is printed with its unit and, for a balance, which way its sign points; --json
    prints them (and the folder) as JSON instead. Warnings about the scenario (see validate)
    go to stderr; the run goes ahead. The folder's name is claimed before the simulation
    starts and the folder appears whole when the run ends (never half-written); its
    manifest.json holds the SHA-256 of every file (see `acsasim verify`) and the time each
    stage took. On a terminal, a stage that takes more than a second (simulate, tables,
    charts, report) is shown on stderr while it runs."""
    from acsasim.cli.stage_display import StageDisplay
    from acsasim.experiments.single import RunRequest
    from acsasim.experiments.single import run as run_one
    from acsasim.output.kpi_table import kpi_lines

    started = time.perf_counter()
    request = RunRequest(
        file, seed, tuple(overrides or ()), no_acsa, out, report=not no_report, max_size=max_size
    )
    done = run_one(
        request,
        ["acsasim", *sys.argv[1:]],
        lambda warning: typer.echo(str(warning), err=True),
        started,
        StageDisplay(sys.stderr, quiet),
    )
    if as_json:
        print_json(
            {
                "folder": str(done.folder),
                "seed": done.result.seed,
                "kpis": done.result.kpis,
                "warnings": [w.as_json() for w in done.warnings],
            }
        )
        return
    typer.echo(str(done.folder))
    for line in kpi_lines(done.result.kpis, done.result.scenario):
        typer.echo(line)
