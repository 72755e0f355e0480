"""`acsasim report`: rebuild a run folder's charts and report.html from the folder alone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import command


@command(
    "acsasim report reports/jp-ph-joint-drill/20260525-101500-s20260115",
    "acsasim report RUN --against NO_ACSA_RUN   # shortfalls with and without the agreement",
)
def report(
    run_folder: Annotated[
        Path, typer.Argument(metavar="RUN_FOLDER", help="A run folder written by `acsasim run`.")
    ],
    against: Annotated[
        Path | None,
        typer.Option(
            metavar="OTHER_RUN",
            help="Another run folder (e.g. the same scenario run with --no-acsa), shown "
            "beside this one where both are known.",
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="No progress on stderr (it shows only on a terminal anyway)."
        ),
    ] = False,
) -> None:
    """Rebuild the charts and report.html of a run folder; print the page's path.

    Use it after a restyle, or to set the run against another (--against): the page names that
    run and shows both where both are known. The old report stays in place until the new one
    is complete, and the manifest's hashes follow the files, so the folder still passes
    `acsasim verify`."""
    import sys

    from acsasim.cli.stage_display import StageDisplay
    from acsasim.runs.report import build_report
    from acsasim.sim.gc_tuning import fewer_collections

    display = StageDisplay(sys.stderr, quiet)
    with fewer_collections():  # the folder's rows read back: as few scans as a run
        page = build_report(run_folder, against, watch=display)
    typer.echo(str(page))
