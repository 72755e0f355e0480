"""A run's folder, from its claim to its seal.

    with RunFolder.start(scenario, seed, out) as folder:     # the name is claimed here
        result = simulate(scenario, seed)
        path = folder.write(result, command)                  # tables, report, manifest

The name is claimed before the simulation starts (claim.py: concurrent runs of the same
scenario and seed never collide). The files are written into the hidden partial folder,
each one whole (atomic.py): scenario.yaml, the CSVs, ledger.sqlite, summary.json, then the
charts and report.html, and last manifest.json, which records the SHA-256 of every other
file and the time each stage took (stages.py); the partial folder is then renamed to its
final name. A failure or Ctrl-C anywhere removes the partial folder: a folder with the
final name is always whole.

The report is drawn from the very tables just written, as `acsasim report` reads them back
from the files (`tables.frame`: one conversion for both; a test holds the two equal), so a
report redrawn later from the folder shows what the first one showed, without the run
reading its own files back.

The default name is `reports/<scenario>/<YYYYmmdd-HHMMSS>-s<seed>`, followed by `-noacsa`
for a run without the agreement and `-setN` when N `--set` overrides were applied.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acsasim import __version__
from acsasim.output.tables import Table, tables
from acsasim.runs.atomic import make_folder, write_bytes, write_text
from acsasim.runs.claim import RUN, Claim, claim, default_folder
from acsasim.runs.seal import json_text, seal
from acsasim.runs.stages import StageClock, Watch
from acsasim.runs.tables import write_tables
from acsasim.scenario.load import dump_scenario

if TYPE_CHECKING:
    from acsasim.output.run_data import RunData
    from acsasim.result import RunResult
    from acsasim.scenario.model import Scenario

PACKAGES = ("simpy", "numpy", "pandas", "pydantic", "PyYAML", "matplotlib", "jinja2")
REPORTS = Path("reports")


def run_label(seed: int, no_acsa: bool = False, overrides: int = 0) -> str:
    """`s7`, `s7-noacsa`, `s7-set2`, `s7-noacsa-set2`: what a run folder's name shows."""
    return f"s{seed}" + ("-noacsa" if no_acsa else "") + (f"-set{overrides}" if overrides else "")


class RunFolder:
    """A claimed run folder being written; use `start` as a context manager."""

    def __init__(self, claimed: Claim, started: float) -> None:
        self.claim = claimed
        self.started = started
        self.done: Path | None = None

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        seed: int | None = None,
        out: Path | None = None,
        *,
        no_acsa: bool = False,
        overrides: int = 0,
        reports: Path = REPORTS,
        started: float | None = None,
    ) -> RunFolder:
        """Claim `out` (refused if it exists and is not empty) or the default name (made
        unique). `started`: time.perf_counter() when the command began, for its wall time."""
        if out is None:
            label = run_label(scenario.seed if seed is None else seed, no_acsa, overrides)
            final, unique = default_folder(reports, scenario.name, label), True
        else:
            final, unique = Path(out), False
        began = time.perf_counter() if started is None else started
        return cls(claim(final, RUN, unique), began)

    @property
    def partial(self) -> Path:
        return self.claim.partial

    def __enter__(self) -> RunFolder:
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        if self.done is None:  # failed, interrupted, or never written: nothing is left
            self.claim.abandon()

    def write(
        self,
        result: RunResult,
        command: Sequence[str] = (),
        report: bool = True,
        watch: Watch | None = None,
    ) -> Path:
        """Write the run's files, seal and rename the folder; returns where it is. `watch` is
        told each stage as it starts (stages.py)."""
        fill(self.partial, result, command, report, self.started, watch)
        return self.finish()

    def finish(self) -> Path:
        """Rename the sealed partial folder to its name (after `fill`); returns where it is."""
        self.done = self.claim.finish()
        return self.done


def fill(
    partial: Path,
    result: RunResult,
    command: Sequence[str] = (),
    report: bool = True,
    started: float | None = None,
    watch: Watch | None = None,
) -> None:
    """Write a run's files into its claimed partial folder and seal it, without renaming it
    (`RunFolder.finish` does, in the process that holds the claim: a worker process fills
    the folder the workbench claimed). `watch` is told each stage as it starts."""
    began = time.perf_counter() if started is None else started
    clock = StageClock(watch)
    clock.record("simulate", result.wall_seconds)
    with clock("tables"):
        scenario_text = dump_scenario(result.scenario)
        write_text(partial / "scenario.yaml", scenario_text)
        built = tables(result)
        write_tables(partial, built)
        summary = json_text(result.kpis)
        write_text(partial / "summary.json", summary)
    info = manifest(result, scenario_text, list(command) or sys.argv)
    if report:
        write_report(partial, _report_data(result, built, summary, info), clock)
    seal(partial, {**info, "wall_seconds": _since(began), "stages": clock.seconds})


def write_run(
    result: RunResult,
    folder: Path | None = None,
    command: Sequence[str] = (),
    report: bool = True,
    watch: Watch | None = None,
) -> Path:
    """Write the run folder of a finished simulation (the Python API; `acsasim run` claims
    the name before simulating). `folder=None`: the default name under reports/; `watch` is
    told each stage as it starts (runs/stages.py)."""
    with RunFolder.start(result.scenario, result.seed, folder) as run:
        return run.write(result, command, report, watch)


def _report_data(
    result: RunResult, built: list[Table], summary: str, info: dict[str, Any]
) -> RunData:
    """What the report reads, from the tables and summary just written (as the folder holds
    them: the same frames `load_run` reads back, the KPIs as JSON gives them back)."""
    from acsasim.output.run_data import RunData
    from acsasim.output.tables import frame

    frames = {t.name: frame(t) for t in built}
    return RunData(result.scenario, frames, json.loads(summary), info)


def write_report(folder: Path, data: RunData, clock: StageClock) -> None:
    """Draw the charts and the page of a run still being written into its folder (stages
    `charts` and `report`); runs.report redraws a sealed one."""
    from acsasim.output.report import PAGE, render_charts, render_page

    with clock("charts"):
        rendered = render_charts(data)
        for rel, content in rendered.files.items():
            make_folder((folder / rel).parent)
            write_bytes(folder / rel, content)
    with clock("report"):
        write_bytes(folder / PAGE, render_page(data, rendered))


def manifest(result: RunResult, scenario_text: str, command: list[str]) -> dict[str, Any]:
    """What the run was; the writer adds how long it took (`wall_seconds` for the whole
    command until the seal, `stages`), and seal() the file hashes."""
    return {
        "acsasim": __version__,
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in PACKAGES},
        "scenario": result.scenario.name,
        "scenario_sha256": hashlib.sha256(scenario_text.encode("utf-8")).hexdigest(),
        "seed": result.seed,
        "command": command,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "events_dispatched": result.events_dispatched,
    }


def _since(clock: float) -> float:
    return round(time.perf_counter() - clock, 3)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


__all__ = ["RunFolder", "fill", "run_label", "write_report", "write_run"]
