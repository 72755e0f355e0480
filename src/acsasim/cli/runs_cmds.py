"""`acsasim verify` and `acsasim clean`: a run folder checked as a record, and what dead
processes left behind. The work is the library's (`acsasim.runs`); here only the arguments
and the printing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import BAD_INPUT, UserError, command


@command(
    "acsasim verify reports/jp-ph-joint-drill/20260525-101500-s20260115",
    "acsasim verify reports/jp-ph-joint-drill/20260525-101500-replicate   # a study folder",
)
def verify(
    run_folder: Annotated[
        Path, typer.Argument(metavar="RUN_FOLDER", help="A run folder written by `acsasim run`.")
    ],
) -> None:
    """Check a run folder as a record: exit 0, or 2 with one line per problem.

    It checks that the folder is complete, every file as acsasim wrote it (SHA-256 in
    manifest.json), the scenario the one run, the CSVs equal to ledger.sqlite and the books
    balanced (R15). A study folder holds no books: it is checked complete and unchanged."""
    from acsasim.runs.verify import promises
    from acsasim.runs.verify import verify as check

    found = check(run_folder)
    for line in found:
        typer.echo(line, err=True)
    if found:
        raise typer.Exit(BAD_INPUT)
    typer.echo(f"{run_folder}: verified ({promises(run_folder)})")


@command(
    "acsasim clean   # list what was left behind under reports/",
    "acsasim clean --remove",
    "acsasim clean runs --remove --studies   # interrupted studies too (no --resume after)",
)
def clean(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Where to look (searched recursively).")
    ] = Path("reports"),
    remove: Annotated[
        bool,
        typer.Option("--remove", help="Remove what processes that are gone left behind."),
    ] = False,
    studies: Annotated[
        bool,
        typer.Option(
            "--studies",
            help="With --remove, also remove interrupted studies (which --resume could "
            "still continue).",
        ),
    ] = False,
) -> None:
    """List what runs and studies that died or were stopped left behind; remove on request.

    Partial run folders, interrupted studies and half-written files, each with the process
    that owns it and whether it still runs. With --remove, those whose process is gone are
    removed (never one still running); interrupted studies, which --resume can continue,
    only with --studies too."""
    from acsasim.runs.clean import find_leftovers, remove_leftovers

    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder; give the folder to search (default: reports)")
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
