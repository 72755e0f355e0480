"""`acsasim verify` and `acsasim clean`: a run folder checked as a record, and what dead
processes left behind. The work is the library's (`acsasim.runs`); here only the arguments
and the printing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import BAD_INPUT, app, guarded


@app.command()
@guarded
def verify(
    run_folder: Annotated[
        Path, typer.Argument(metavar="RUN_FOLDER", help="A run folder written by `acsasim run`.")
    ],
) -> None:
    """Check a run folder as a record: complete, every file as acsasim wrote it (SHA-256 in
    manifest.json), the scenario hash, the CSVs equal to ledger.sqlite, the books balanced
    (R15). Exit 0, or 2 with one line per problem. A study folder: complete and unchanged."""
    from acsasim.runs.verify import verify as check

    found = check(run_folder)
    for line in found:
        typer.echo(line, err=True)
    if found:
        raise typer.Exit(BAD_INPUT)
    typer.echo(f"{run_folder}: verified (complete, unchanged, consistent, books balance)")


@app.command()
@guarded
def clean(
    folder: Annotated[Path, typer.Argument(help="Where to look (searched recursively).")] = Path(
        "reports"
    ),
    remove: Annotated[
        bool,
        typer.Option("--remove", help="Remove what processes that are gone left behind."),
    ] = False,
    studies: Annotated[
        bool,
        typer.Option(
            "--studies", help="With --remove, also remove interrupted studies (not resumable)."
        ),
    ] = False,
) -> None:
    """List partial run folders, interrupted studies and half-written files left by
    processes that died or were stopped; with --remove, remove those whose process is gone
    (never one still running)."""
    from acsasim.runs.clean import find_leftovers, remove_leftovers

    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder", param_hint="FOLDER")
    found = find_leftovers(folder)
    if not found:
        typer.echo(f"nothing left behind under {folder}")
        return
    for item in found:
        typer.echo(item.describe())
    if not remove:
        typer.echo("(nothing removed: add --remove to remove those whose process is gone)")
        return
    for item in remove_leftovers(found, studies):
        typer.echo(f"removed {item.path}")
