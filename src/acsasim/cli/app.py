"""The typer application, the error guard every command wears, and shared options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any

import typer

from acsasim import __version__
from acsasim.scenario import ScenarioError

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


def main() -> None:
    """Entry point of the `acsasim` console script."""
    app(prog_name="acsasim")
