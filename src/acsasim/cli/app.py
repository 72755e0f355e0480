"""The typer application, the error guard every command wears, shared options, and the entry
point (where a closed pipe ends the command quietly)."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from acsasim import __version__
from acsasim.cli.help import WorkflowGroup, command_options
from acsasim.scenario import ScenarioError

app = typer.Typer(
    name="acsasim",
    cls=WorkflowGroup,
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
MaxSize = Annotated[
    float | None,
    typer.Option(
        "--max-size",
        metavar="N",
        min=1,
        help="The most holders x commodities x ticks a run may step (default 100,000,000); "
        "a bigger run is refused before it starts.",
    ),
]


JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print the answer as JSON for scripts (stdout holds only it)."),
]


def print_json(data: object) -> None:
    """The one JSON document of a `--json` command on stdout."""
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


class UserError(Exception):
    """Bad input that is not a scenario problem (a folder that exists, a bad argument)."""


def _user_errors() -> tuple[type[Exception], ...]:
    """What the library raises for the user to fix: a folder that is not a whole run folder,
    an output that cannot be written (full disk, read-only, permissions, size limit)."""
    from acsasim.output.runfolder import RunFolderError
    from acsasim.runs.errors import OutputError
    from acsasim.runs.statement_request import StatementError

    errors: tuple[type[Exception], ...] = (UserError, RunFolderError, OutputError, StatementError)
    if "acsasim.experiments" in sys.modules:  # only a study command can raise these
        from acsasim.experiments.define import StudyError
        from acsasim.experiments.store import StoreError

        errors += (StudyError, StoreError)
    return errors


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
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError):
            raise  # a closed pipe is the entry point's (main)
        except Exception as exc:
            if not isinstance(exc, _user_errors()):  # a bug of ours: say so plainly
                typer.echo(
                    f"internal error (please report it): {type(exc).__name__}: {exc}", err=True
                )
                raise typer.Exit(INTERNAL) from None
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(BAD_INPUT) from None

    return wrapper


def command(*examples: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command under the error guard, its docstring as help and `examples` (each a
    command line, optionally with a `# comment`) in its epilog."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        wrapped = guarded(function)
        app.command(**command_options(function, examples))(wrapped)
        return wrapped

    return register


def _ignore_file_size_signal() -> None:
    """A file-size limit (ulimit -f) kills a process that passes it with SIGXFSZ, unless the
    signal is ignored: then the write fails with EFBIG, which acsasim reports (exit 2) after
    removing what it was writing."""
    # No such signal on this system, or not the main thread (tests): nothing to change.
    with contextlib.suppress(AttributeError, ValueError):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


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
    _ignore_file_size_signal()


def main() -> None:
    """Entry point of the `acsasim` console script.

    A reader that stops early (`acsasim statement RUN --parties JP,PH | head -1`) closes the
    pipe: the command ends there, quietly, with exit 0, as `head` users expect. Typer and rich
    answer a broken pipe with exit 1, typer after wrapping stdout in a PacifyFlushWrapper,
    rich after pointing file descriptor 1 at /dev/null: either sign means the pipe broke."""
    started_on = _stdout_identity()
    try:
        app(prog_name="acsasim")
    except BrokenPipeError:
        _quiet_exit()
    except SystemExit as done:
        swapped = _stdout_identity() != started_on
        pacified = type(sys.stdout).__name__ == "PacifyFlushWrapper"
        if done.code not in (0, None) and (swapped or pacified):
            _quiet_exit()
        raise


def _stdout_identity() -> tuple[int, int] | None:
    """Which file descriptor 1 is (device, inode)."""
    try:
        st = os.fstat(1)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _quiet_exit() -> None:
    """Exit 0 with stdout on /dev/null, so the interpreter's last flush finds no broken pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.exit(0)
