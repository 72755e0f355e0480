"""One replication into its run folder: what `acsasim run` does, and every run of the
workbench (`acsasim serve`), through the same functions.

    request = RunRequest(Path("scenarios/x.yaml"), seed=7, sets=("policy.acsa=first",))
    done = run(request)                       # load, claim, simulate, write, seal, rename
    done.folder, done.result.kpis

The steps are public because the workbench splits them across processes: it loads the
scenario and claims the folder in the server (a bad override is refused before anything
starts, and the folder's name is known at once), a worker process simulates and fills the
claimed folder (`simulate_into`), and the server renames it when the worker is done.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from acsasim.experiments.spec import NO_ACSA
from acsasim.runs.run_folder import REPORTS, RunFolder, fill
from acsasim.runs.stages import Watch
from acsasim.scenario import Problem, Scenario, load_with_warnings

if TYPE_CHECKING:
    from acsasim.result import RunResult


@dataclass(frozen=True)
class RunRequest:
    """What to run: a scenario file with `--set` overrides, a seed, with or without the
    agreement, and where the run folder goes (`out`, or a new name under `reports`)."""

    file: Path
    seed: int | None = None
    sets: tuple[str, ...] = ()
    no_acsa: bool = False
    out: Path | None = None
    reports: Path = REPORTS
    report: bool = True
    max_size: float | None = None

    @property
    def overrides(self) -> list[str]:
        """The overrides the loader applies: the `--set` ones, then the agreement's absence."""
        return [*self.sets, *([NO_ACSA] if self.no_acsa else [])]

    def command(self) -> list[str]:
        """The `acsasim run` command line that makes this run (the folder's name aside)."""
        line = ["acsasim", "run", str(self.file)]
        if self.seed is not None:
            line += ["--seed", str(self.seed)]
        for text in self.sets:
            line += ["--set", text]
        if self.no_acsa:
            line.append("--no-acsa")
        if self.out is not None:
            line += ["--out", str(self.out)]
        return line

    def shell(self) -> str:
        """`command()` as one line a shell reads back unchanged."""
        return shlex.join(self.command())


def load(request: RunRequest) -> tuple[Scenario, list[Problem]]:
    """The scenario with every override applied, and its warnings; ScenarioError lists
    every problem (the file's at FILE:LINE:COL, an override's as `--set PATH=VALUE`)."""
    return load_with_warnings(request.file, request.overrides, max_size=request.max_size)


def claim(request: RunRequest, scenario: Scenario, started: float | None = None) -> RunFolder:
    """Take the run folder's name (see runs.run_folder); use it as a context manager."""
    return RunFolder.start(
        scenario,
        request.seed,
        request.out,
        no_acsa=request.no_acsa,
        overrides=len(request.sets),
        reports=request.reports,
        started=started,
    )


def simulate_into(
    partial: Path,
    scenario: Scenario,
    seed: int | None,
    command: list[str],
    report: bool = True,
    started: float | None = None,
    watch: Watch | None = None,
) -> RunResult:
    """Simulate and fill the claimed partial folder, sealed (not yet renamed). `watch` is
    told each stage as it starts (runs/stages.py)."""
    from acsasim.sim import simulate
    from acsasim.sim.gc_tuning import fewer_collections

    with watch("simulate") if watch is not None else nullcontext():
        result = simulate(scenario, seed)
    with fewer_collections():  # hundreds of thousands of rows: as few scans as the run
        fill(partial, result, command, report, started, watch)
    return result


@dataclass(frozen=True)
class RunDone:
    folder: Path
    result: RunResult
    warnings: list[Problem]


def run(
    request: RunRequest,
    command: list[str] | None = None,
    warn: Callable[[Problem], None] | None = None,
    started: float | None = None,
    watch: Watch | None = None,
) -> RunDone:
    """Load, claim, simulate, write and seal one run; returns its folder and result.
    `command`: what the manifest records (default: the equivalent `acsasim run` line);
    `warn` hears each warning about the scenario before the run starts; `watch` is told
    each stage as it starts."""
    began = time.perf_counter() if started is None else started
    scenario, warnings = load(request)
    for warning in warnings:
        if warn is not None:
            warn(warning)
    with claim(request, scenario, began) as folder:
        result = simulate_into(
            folder.partial,
            scenario,
            request.seed,
            command or request.command(),
            request.report,
            folder.started,
            watch,
        )
        path = folder.finish()
    return RunDone(path, result, warnings)
