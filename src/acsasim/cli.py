"""The command line: a thin shell over the library, and the only place that prints or exits.

Exit codes (shared/design/outputs.md): 0 success, 2 bad input, 1 internal error.
Heavy libraries (simpy, pandas, matplotlib) are imported inside the commands that
need them, so `acsasim validate` starts fast.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from acsasim import __version__
from acsasim.scenario import ScenarioError, load_scenario

app = typer.Typer(
    name="acsasim",
    help="Simulate logistics cross-servicing under ACSAs and keep the books.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

BAD_INPUT, INTERNAL = 2, 1
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="PATH=VALUE", help="Override a scenario value, e.g. seed=7."),
]


class UserError(Exception):
    """Bad input that is not a scenario problem (a folder that exists, a bad argument)."""


def guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input -> its message and exit 2; a bug -> a one-line report and exit 1; never a
    traceback for the user's mistakes."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScenarioError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            raise typer.Exit(BAD_INPUT) from None
        except UserError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(BAD_INPUT) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug of ours: say so plainly
            typer.echo(f"internal error (please report it): {type(exc).__name__}: {exc}", err=True)
            raise typer.Exit(INTERNAL) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"acsasim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Simulate logistics cross-servicing under ACSAs and keep the books."""


@app.command()
@guarded
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
    overrides: SetOption = None,
) -> None:
    """Check scenario files: exit 0, or 2 with one line per problem (FILE:LINE:COL: message)."""
    failed = False
    for path in files:
        try:
            load_scenario(path, overrides or ())
            typer.echo(f"{path}: ok")
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                typer.echo(str(problem))
    if failed:
        raise typer.Exit(BAD_INPUT)


@app.command()
@guarded
def run(
    file: Annotated[Path, typer.Argument(help="The scenario file.")],
    seed: Annotated[int | None, typer.Option(help="Seed (default: the scenario's).", min=0)] = None,
    overrides: SetOption = None,
    no_acsa: Annotated[
        bool, typer.Option("--no-acsa", help="The world without the agreement.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="The run folder to write (must not exist or be empty).")
    ] = None,
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
    write_run(result, folder, ["acsasim", *sys.argv[1:]])
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


@app.command()
@guarded
def schema() -> None:
    """Print the JSON Schema of the scenario format, for editors."""
    from acsasim.scenario.schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


def main() -> None:
    """Entry point of the `acsasim` console script."""
    app(prog_name="acsasim")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
