"""Commands on scenario files: validate, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import BAD_INPUT, MaxSize, SetOption, app, guarded
from acsasim.scenario import ScenarioError, load_scenario


@app.command()
@guarded
def validate(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Scenario files to check.")
    ],
    overrides: SetOption = None,
    max_size: MaxSize = None,
) -> None:
    """Check scenario files: exit 0, or 2 with one line per problem (FILE:LINE:COL: message).
    A run too big to start (see --max-size) is one of the problems."""
    failed = False
    for path in files:
        try:
            load_scenario(path, overrides or (), max_size=max_size)
            typer.echo(f"{path}: ok")
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                typer.echo(str(problem))
    if failed:
        raise typer.Exit(BAD_INPUT)


@app.command()
@guarded
def schema() -> None:
    """Print the JSON Schema of the scenario format, for editors."""
    from acsasim.scenario.schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))
