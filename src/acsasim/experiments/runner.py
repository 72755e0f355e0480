"""The plan of jobs (grid point, replication, seed) and the executors that run it.

A job's result is small on purpose: the flattened KPIs, the seed and the wall time, never
a RunResult (orders, journal, flows), so shipping results back from a process pool or a
Dask cluster costs little. Every executor runs the same `run_job` on the same scenarios
and seeds, so results are identical whichever runs them; they only differ in the order
results arrive, which the tables undo by sorting.

The scenarios travel to the workers once: as the initializer argument of each pool
process, or scattered to every Dask worker; a job then carries three integers.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from acsasim.scenario import Scenario


@dataclass(frozen=True)
class Job:
    point: int  # index of the grid point (0 for replicate; baseline 0, variant 1 for compare)
    rep: int  # replication index, 0-based
    seed: int


@dataclass(frozen=True)
class Outcome:
    point: int
    rep: int
    seed: int
    wall: float  # seconds the simulation and its KPIs took in the worker
    kpis: dict[str, float] = field(repr=False)


def replication_seeds(base_seed: int, n: int) -> list[int]:
    """The integer seed of each replication: `SeedSequence(base).spawn(n)[i]`, as one 32-bit
    word. Child i is the same for every n > i, so a study can grow (--precision, --resume)
    without changing the seeds it already used, and `acsasim run --seed` re-runs any row."""
    return [int(child.generate_state(1)[0]) for child in np.random.SeedSequence(base_seed).spawn(n)]


def plan(n_points: int, seeds: Sequence[int]) -> list[Job]:
    """Every grid point with every replication seed (common random numbers across points)."""
    return [Job(p, i, s) for p in range(n_points) for i, s in enumerate(seeds)]


def run_job(scenarios: Sequence[Scenario], job: Job) -> Outcome:
    """One replication on one worker: simulate, compute and flatten the KPIs, nothing more."""
    from acsasim.experiments.table import flatten
    from acsasim.sim import simulate

    started = time.perf_counter()
    result = simulate(scenarios[job.point], job.seed)
    kpis = flatten(result.kpis)
    return Outcome(job.point, job.rep, job.seed, time.perf_counter() - started, kpis)


class Serial:
    """Runs jobs one after another in this process (the default; easiest to debug)."""

    name = "serial"

    def __init__(self, scenarios: Sequence[Scenario]) -> None:
        self.scenarios = tuple(scenarios)

    def __enter__(self) -> Serial:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def run(self, jobs: Sequence[Job]) -> Iterator[Outcome]:
        for job in jobs:
            yield run_job(self.scenarios, job)


# --- a process pool on this machine -----------------------------------------------------------

_INSTALLED: tuple[Scenario, ...] = ()


def _install(scenarios: tuple[Scenario, ...]) -> None:
    """Pool initializer: keep the scenarios in the worker (with the engine imported), and
    leave Ctrl-C to the parent (it records what finished and stops the rest; a worker
    stopped mid-job adds nothing)."""
    global _INSTALLED
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _INSTALLED = scenarios
    preload()


def _run_installed(job: Job) -> Outcome:
    return run_job(_INSTALLED, job)


def preload() -> bool:
    """Import what a job needs (the engine, the KPIs): done once per worker before the first
    job, or in this process before forking, so no job pays for imports."""
    import acsasim.experiments.table
    import acsasim.kpis
    import acsasim.sim  # noqa: F401

    return True


class Pool:
    """A `multiprocessing` pool of J workers, each holding the scenarios.

    On Linux the workers are forked after the engine is imported (no re-import, no pickling
    of the scenarios), and all start on entry, before any progress-bar thread exists in this
    process. Results come back as each job finishes. On an error or Ctrl-C the pool is
    terminated: a worker busy with a job whose result nobody will read is stopped.
    """

    def __init__(self, scenarios: Sequence[Scenario], workers: int) -> None:
        self.name = f"process pool ({workers} workers)"
        self.scenarios, self.workers = tuple(scenarios), workers
        self.pool: Any = None

    def __enter__(self) -> Pool:
        preload()  # forked workers inherit the imports
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        self.pool = context.Pool(self.workers, initializer=_install, initargs=(self.scenarios,))
        return self

    def __exit__(self, kind: Any, *exc: Any) -> None:
        if kind is None:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def run(self, jobs: Sequence[Job]) -> Iterator[Outcome]:
        yield from self.pool.imap_unordered(_run_installed, jobs)


def make_executor(
    scenarios: Sequence[Scenario], jobs: int = 1, scheduler: str | None = None
) -> Serial | Pool | Any:
    """Serial by default; a process pool for jobs > 1; Dask when a scheduler is named
    ('local' starts a LocalCluster of two single-threaded worker processes)."""
    if scheduler is not None:
        from acsasim.experiments.dask_exec import DaskExecutor

        return DaskExecutor(scenarios, scheduler)
    if jobs > 1:
        return Pool(scenarios, jobs)
    return Serial(scenarios)
