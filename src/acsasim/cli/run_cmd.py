"""`acsasim run`: one replication into a run folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import JsonOption, SetOption, UserError, command, print_json
from acsasim.scenario import load_with_warnings


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
) -> None:
    """Run one replication and write its run folder; print the folder and the main KPIs.

    Each KPI is printed with its unit and, for a balance, which way its sign points; --json
    prints them (and the folder) as JSON instead. Warnings about the scenario (see validate)
    go to stderr; the run goes ahead."""
    from acsasim.output.kpi_table import kpi_lines
    from acsasim.output.rundir import default_folder, write_run
    from acsasim.sim import simulate

    scenario, warnings = load_with_warnings(
        file, [*(overrides or ()), *(["policy.acsa=never"] if no_acsa else [])]
    )
    for warning in warnings:
        typer.echo(str(warning), err=True)
    folder = out or default_folder(
        Path("reports"), scenario.name, f"s{scenario.seed if seed is None else seed}"
    )
    _refuse_taken(folder)
    result = simulate(scenario, seed)
    write_run(result, folder, ["acsasim", *sys.argv[1:]], report=not no_report)
    if as_json:
        print_json(
            {
                "folder": str(folder),
                "seed": result.seed,
                "kpis": result.kpis,
                "warnings": [w.as_json() for w in warnings],
            }
        )
        return
    typer.echo(str(folder))
    for line in kpi_lines(result.kpis, scenario):
        typer.echo(line)


def _refuse_taken(folder: Path) -> None:
    """Refuse an existing, non-empty output folder before any work is done."""
    from acsasim.output.rundir import FolderExists, check_free

    try:
        check_free(folder)
    except FolderExists as exc:
        raise UserError(str(exc)) from None
