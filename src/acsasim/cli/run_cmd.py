"""`acsasim run`: one replication into a run folder."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import MaxSize, SetOption, app, guarded
from acsasim.scenario import load_scenario


@app.command()
@guarded
def run(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The scenario file.")],
    seed: Annotated[int | None, typer.Option(help="Seed (default: the scenario's).", min=0)] = None,
    overrides: SetOption = None,
    no_acsa: Annotated[
        bool, typer.Option("--no-acsa", help="The world without the agreement.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="The run folder to write (must not exist or be empty).")
    ] = None,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Skip the charts and report.html (faster).")
    ] = False,
    max_size: MaxSize = None,
) -> None:
    """Run one replication and write its run folder; print the folder and the main KPIs.

    The folder's name is claimed before the simulation starts and the folder appears whole
    when the run ends (never half-written); its manifest.json holds the SHA-256 of every
    file (see `acsasim verify`)."""
    from acsasim.output.kpi_table import kpi_lines
    from acsasim.runs.run_folder import RunFolder
    from acsasim.sim import simulate

    started = time.perf_counter()
    sets = list(overrides or ())
    scenario = load_scenario(
        file, [*sets, *(["policy.acsa=never"] if no_acsa else [])], max_size=max_size
    )
    with RunFolder.start(
        scenario, seed, out, no_acsa=no_acsa, overrides=len(sets), started=started
    ) as folder:
        result = simulate(scenario, seed)
        written = folder.write(result, ["acsasim", *sys.argv[1:]], report=not no_report)
    typer.echo(str(written))
    for line in kpi_lines(result.kpis, scenario.reporting_currency):
        typer.echo(line)
