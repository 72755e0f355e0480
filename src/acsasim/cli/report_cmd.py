"""`acsasim report`: rebuild a run folder's charts and report.html from the folder alone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import app, guarded


@app.command()
@guarded
def report(
    run_folder: Annotated[Path, typer.Argument(help="A run folder written by `acsasim run`.")],
    against: Annotated[
        Path | None,
        typer.Option(
            help="Another run folder (e.g. the same scenario run with --no-acsa), shown "
            "beside this one where both are known."
        ),
    ] = None,
) -> None:
    """Rebuild the charts and report.html of a run folder (e.g. after a restyle); print the
    page's path. The old report stays in place until the new one is complete, and the
    manifest's hashes follow the files, so the folder still passes `acsasim verify`."""
    from acsasim.runs.report import build_report

    typer.echo(str(build_report(run_folder, against)))
