"""`acsasim run`: one replication into a run folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import SetOption, UserError, app, guarded
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
) -> None:
    """Run one replication and write its run folder; print the folder and the main KPIs."""
    from acsasim.output.kpi_table import kpi_lines
    from acsasim.output.rundir import default_folder, write_run
    from acsasim.sim import simulate

    scenario = load_scenario(
        file, [*(overrides or ()), *(["policy.acsa=never"] if no_acsa else [])]
    )
    folder = out or default_folder(
        Path("reports"), scenario.name, f"s{scenario.seed if seed is None else seed}"
    )
    _refuse_taken(folder)
    result = simulate(scenario, seed)
    write_run(result, folder, ["acsasim", *sys.argv[1:]], report=not no_report)
    typer.echo(str(folder))
    for line in kpi_lines(result.kpis, scenario.reporting_currency):
        typer.echo(line)


def _refuse_taken(folder: Path) -> None:
    """Refuse an existing, non-empty output folder before any work is done."""
    from acsasim.output.rundir import FolderExists, check_free

    try:
        check_free(folder)
    except FolderExists as exc:
        raise UserError(str(exc)) from None
