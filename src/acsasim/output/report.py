"""Charts and the report page of a run, rendered as the files they become (nothing written).

A run draws its report from the tables it has just written, in the frames `load_run` reads
back from the folder (`tables.frame`), so a report redrawn a year later by `acsasim report`
(restyled, or set against another run) comes from exactly what a fresh run drew from. This module
turns a run's data into the bytes of `charts/*.png`, `charts/*.svg` and `report.html`;
writing them into the folder, whole and with the manifest kept true, is the run folder's
business (`acsasim.runs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from acsasim.output.run_data import RunData
from acsasim.output.runfolder import RunFolderError

__all__ = ["CHARTS", "PAGE", "Rendered", "RunFolderError", "render_charts", "render_page"]

CHARTS = "charts"
PAGE = "report.html"


@dataclass(frozen=True)
class Rendered:
    """Files of a report by their path in the run folder, and the charts they came from."""

    files: dict[str, bytes]
    charts: list  # list[charts.Chart], in reading order
    png: dict[str, bytes]  # each chart's PNG by chart name, for the page


def render_charts(data: RunData, against: RunData | None = None) -> Rendered:
    """Every chart of the report as PNG and SVG bytes (`charts/NAME.png`, `.svg`)."""
    from acsasim.output.charts import build_charts, chart_files

    charts = build_charts(data, against)
    files: dict[str, bytes] = {}
    png: dict[str, bytes] = {}
    for chart in charts:
        for name, data_ in chart_files(chart).items():
            files[f"{CHARTS}/{name}"] = data_
        png[chart.name] = files[f"{CHARTS}/{chart.name}.png"]
    return Rendered(files, charts, png)


def render_page(
    data: RunData,
    rendered: Rendered,
    against: RunData | None = None,
    against_folder: Path | None = None,
) -> bytes:
    """report.html, with every chart embedded. The page names the other run it is set against
    (`against_folder`, as the user gave it) where it shows it."""
    from acsasim.output.html import render_page as page

    return page(data, rendered.charts, rendered.png, against, against_folder).encode("utf-8")
