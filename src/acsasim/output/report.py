"""Charts and the report page of a run folder, built from the folder alone.

`build_report(folder)` is what `acsasim report` and `acsasim run` both call: a run
writes its tables first, then this reads them back, so a report rebuilt a year later
(restyled, or set against another run) is drawn from exactly what a fresh run draws
from. Nothing half-written is ever left in place: charts go to a temporary folder and
the page to a temporary file, and both are renamed into place only once complete.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from acsasim.output.run_data import RunData, load_run
from acsasim.output.runfolder import RunFolderError

__all__ = ["RunFolderError", "build_report", "write_report"]


def build_report(folder: Path, against: Path | None = None) -> Path:
    """(Re)build `charts/` and `report.html` inside the run folder; returns the page's path.

    `against`: another run folder (typically the same scenario with `--no-acsa`) whose
    shortfalls are shown beside this run's. RunFolderError if either is not a run folder.
    """
    folder = Path(folder)
    data = load_run(folder)
    other = load_run(Path(against)) if against is not None else None
    return write_report(folder, data, other, against)


def write_report(
    folder: Path,
    data: RunData,
    against: RunData | None = None,
    against_folder: Path | None = None,
) -> Path:
    """Draw every chart (PNG and SVG) and the page into `folder`, replacing old ones whole.
    The page names the other run (`against_folder`, as the user gave it) where it shows it."""
    from acsasim.output.charts import build_charts, save_chart
    from acsasim.output.html import render_page

    tag = f"partial-{os.getpid()}"
    temp_charts = folder / f".charts.{tag}"
    temp_page = folder / f".report.html.{tag}"
    shutil.rmtree(temp_charts, ignore_errors=True)
    try:
        temp_charts.mkdir()
        charts = build_charts(data, against)
        png = {}
        for chart in charts:
            save_chart(chart, temp_charts)
            png[chart.name] = (temp_charts / f"{chart.name}.png").read_bytes()
        page = render_page(data, charts, png, against, against_folder)
        temp_page.write_text(page, encoding="utf-8")
        _replace_folder(temp_charts, folder / "charts")
        temp_page.replace(folder / "report.html")
    except BaseException:
        shutil.rmtree(temp_charts, ignore_errors=True)
        temp_page.unlink(missing_ok=True)
        raise
    return folder / "report.html"


def _replace_folder(new: Path, target: Path) -> None:
    """Put `new` where `target` is: the old folder is moved aside first and restored if the
    rename fails, so `target` is always either the old charts or the new ones."""
    if not target.exists():
        new.rename(target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
