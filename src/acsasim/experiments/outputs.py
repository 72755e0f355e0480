"""The files of a finished study: replications.csv, summary.json, sweep.csv for a sweep,
the resolved scenario(s), charts/, report.html, and manifest.json last, with the SHA-256
of every other file (acsasim.runs.seal). Each file is written whole (acsasim.runs.atomic).

Everything except the manifest's timing fields depends only on the study's definition
and results, so serial, parallel, Dask and resumed studies write the same bytes.
"""

from __future__ import annotations

import hashlib
import platform
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from acsasim import __version__
from acsasim.experiments.charts import draw_all
from acsasim.experiments.report import page
from acsasim.experiments.results import StudyResult, sweep_csv
from acsasim.experiments.store import FILE
from acsasim.runs.atomic import remove, write_text
from acsasim.runs.seal import json_text, seal
from acsasim.scenario import Scenario, dump_scenario, load_text

PACKAGES = ("simpy", "numpy", "scipy", "pydantic", "matplotlib", "dask", "distributed")
# Manifest fields that record when and how long, not what: they differ between two runs of
# the same study (and between an interrupted study and an uninterrupted one); so does the
# manifest's own hash, which covers them.
TIMING_FIELDS = (
    "created", "finished", "wall_seconds", "job_seconds", "sessions", "manifest_sha256",
)  # fmt: skip


def write(folder: Path, result: StudyResult, sessions: list[dict[str, Any]]) -> None:
    write_text(folder / "replications.csv", result.csv())
    write_text(folder / "summary.json", json_text(result.summary))
    if result.spec.command == "sweep":
        write_text(folder / "sweep.csv", sweep_csv(result))
    for name, scenario in scenarios(result).items():
        write_text(folder / name, dump_scenario(scenario))
    remove(folder / "charts")  # left by an earlier attempt to finish: drawn again whole
    charts = draw_all(result, folder)
    write_text(folder / "report.html", page(result, charts))
    seal(folder, manifest(result, sessions), skip=(FILE,))


def scenarios(result: StudyResult) -> dict[str, Scenario]:
    """The resolved scenario(s) with the base seed filled in: for a sweep, the file with its
    --set overrides but without the grid's (each point is that plus its row's values)."""
    spec = result.spec
    if spec.command == "sweep":
        s = spec.sources[0]
        found = {"scenario.yaml": load_text(s.text, s.name, s.overrides)}
    elif spec.command == "compare":
        found = {"scenario.yaml": result.points[0].scenario}
        found["scenario-variant.yaml"] = result.points[1].scenario
    else:
        found = {"scenario.yaml": result.points[0].scenario}
    return {k: v.model_copy(update={"seed": spec.seed}) for k, v in found.items()}


def manifest(result: StudyResult, sessions: list[dict[str, Any]]) -> dict[str, Any]:
    spec = result.spec
    started = sessions[0]["started"] if sessions else None
    return {
        "acsasim": __version__,
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in PACKAGES},
        "command": spec.command,
        "study": spec.describe(),
        "scenario": result.points[0].scenario.name,
        "scenario_sha256": {
            s.name: hashlib.sha256(s.text.encode("utf-8")).hexdigest() for s in spec.sources
        },
        "n": result.n,
        "jobs": len(result.outcomes),
        "created": None if started is None else _iso(started),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_seconds": round(sum(s["wall_seconds"] for s in sessions), 3),
        "job_seconds": round(sum(o.wall for o in result.outcomes), 3),
        "sessions": [{**s, "started": _iso(s["started"])} for s in sessions],
    }


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
