"""`acsasim report`: redraw a finished run's charts and report.html in its folder.

The folder is read as any reader reads it (whole and untouched, or refused); the new
charts and page are rendered in memory, written beside the old ones, and put in place by
`seal.amend`, which keeps the manifest's hashes true at every instant. Charts the new
report no longer draws are removed. The old report stays until the new one is complete;
a failure leaves the folder exactly as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from acsasim.output.report import CHARTS, PAGE, render_charts, render_page
from acsasim.output.run_data import load_run
from acsasim.output.runfolder import RunFolderError
from acsasim.runs.atomic import Pending, make_folder, prepare
from acsasim.runs.seal import amend, turn
from acsasim.runs.stages import StageClock, Watch

__all__ = ["RunFolderError", "build_report"]


def build_report(folder: Path, against: Path | None = None, watch: Watch | None = None) -> Path:
    """Redraw `charts/` and `report.html` of a run folder; returns the page's path.

    `against`: another run folder (typically the same scenario with `--no-acsa`) whose
    shortfalls are shown beside this run's. RunFolderError if either is not a whole run
    folder; OutputError if the folder cannot be written (nothing is changed then).
    """
    folder, clock = Path(folder), StageClock(watch)
    with clock("charts"):
        data = load_run(folder)
        other = load_run(Path(against)) if against is not None else None
        rendered = render_charts(data, other)
    with clock("report"):
        files = {**rendered.files, PAGE: render_page(data, rendered, other, against)}
    with turn(folder):
        changes: dict[str, Pending | None] = {}
        try:
            make_folder(folder / CHARTS)
            for rel, content in files.items():
                changes[rel] = prepare(folder / rel, content)
        except BaseException:
            for pending in changes.values():
                if pending is not None:
                    pending.discard()
            raise
        for old in sorted((folder / CHARTS).iterdir()):
            rel = f"{CHARTS}/{old.name}"
            if rel not in changes and old.is_file() and not old.name.startswith("."):
                changes[rel] = None  # a chart this report no longer draws
        rebuilt = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "against": None if against is None else str(against),
            "stages": clock.seconds,
        }
        amend(folder, changes, {"report_rebuilt": rebuilt})
    return folder / PAGE
