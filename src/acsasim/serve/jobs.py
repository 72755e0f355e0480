"""The workbench's runs: each in its own worker process, several at once, cancellable.

`submit` works in the server and is quick: it loads the scenario with its overrides (a bad
one is refused with the validator's messages before anything starts) and claims the run
folder (its name is known at once; its lock names the server). A thread per run then waits
for a free worker slot (at most `workers` runs simulate at once; the others are queued),
starts a worker process (worker.py) that simulates and fills the claimed folder, follows
its stages, and finishes the folder (renamed to its name, whole) when the worker is done.
A run that fails or is cancelled leaves nothing: its worker is ended and its partial
folder removed. Every finished run is a normal, sealed run folder (`acsasim verify`).
"""

from __future__ import annotations

import json
import multiprocessing
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from acsasim.experiments.single import RunRequest, claim, load
from acsasim.runs.run_folder import RunFolder
from acsasim.scenario import Problem

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
POLL = 0.1  # seconds between looks at a worker's messages and at a cancel request
# The share of a run's time each stage starts at, for the progress bar (a run's stages are
# measured in its manifest: simulating is most of the work, then the report's charts).
STAGE_START = {"simulate": 0.0, "tables": 0.6, "charts": 0.7, "report": 0.95}


@dataclass
class Job:
    """One run of the workbench, as the page and the API show it."""

    id: str
    request: RunRequest
    scenario: str  # the scenario's name
    seed: int
    folder: Path  # where the run folder will be (and is, once done)
    sets: list[str]
    warnings: list[Problem]
    status: str = QUEUED
    stage: str = ""
    kpis: dict[str, Any] | None = None
    error: str = ""
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    expected: float | None = None  # seconds a run of this scenario took last time
    then: dict[str, str] = field(default_factory=dict)  # what the page does when it is done
    cancel_asked: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def active(self) -> bool:
        return self.status in (QUEUED, RUNNING)

    def progress(self) -> float | None:
        """The share done, estimated from the stage and, while simulating, from the time a
        run of this scenario took last time (None when it cannot be estimated)."""
        if self.status == DONE:
            return 1.0
        if self.status != RUNNING or self.started is None:
            return 0.0 if self.status == QUEUED else None
        if self.stage != "simulate":
            return STAGE_START.get(self.stage, 0.0)
        if not self.expected:
            return None
        share = (time.time() - self.started) / self.expected
        return min(STAGE_START["tables"] * 0.98, share * STAGE_START["tables"])

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "stage": self.stage,
            "progress": self.progress(),
            "scenario": self.scenario,
            "seed": self.seed,
            "folder": str(self.folder),
            "set": self.sets,
            "no_acsa": self.request.no_acsa,
            "command": self.request.shell(),
            "kpis": self.kpis,
            "error": self.error or None,
            "warnings": [w.as_json() for w in self.warnings],
            "elapsed": None if self.started is None else round(self._elapsed(), 1),
        }

    def _elapsed(self) -> float:
        return (self.finished or time.time()) - (self.started or time.time())


class RunManager:
    """Every run of this server, by id; at most `workers` simulate at once."""

    def __init__(self, reports: Path, workers: int = 2) -> None:
        self.reports = Path(reports)
        self.workers = max(1, workers)
        self.slots = threading.BoundedSemaphore(self.workers)
        self.lock = threading.Lock()
        self.jobs: dict[str, Job] = {}
        self.threads: list[threading.Thread] = []
        self._context: Any = None
        self._took: dict[str, float] = {}  # scenario name -> seconds its last run took

    def context(self) -> Any:
        """Worker processes come from a fork server that preloaded the engine (Linux), or
        are spawned (elsewhere); never forked from the server's own threads."""
        if self._context is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context(
                "forkserver" if "forkserver" in methods else "spawn"
            )
            if context.get_start_method() == "forkserver":
                from acsasim.serve.worker import PRELOAD

                context.set_forkserver_preload(PRELOAD)
            self._context = context
        return self._context

    def submit(self, request: RunRequest, then: dict[str, str] | None = None) -> Job:
        """Check and queue a run; ScenarioError (nothing started) if the scenario or an
        override is wrong, OutputError if the folder cannot be claimed."""
        scenario, warnings = load(request)
        folder = claim(request, scenario)
        seed = scenario.seed if request.seed is None else request.seed
        job = Job(
            secrets.token_hex(4),
            request,
            scenario.name,
            seed,
            folder.claim.final,
            list(request.overrides),
            warnings,
            expected=self._expected(scenario.name),
            then=dict(then or {}),
        )
        with self.lock:
            self.jobs[job.id] = job
        thread = threading.Thread(
            target=self._drive, args=(job, folder, scenario), name=f"run-{job.id}", daemon=True
        )
        self.threads.append(thread)
        thread.start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def all(self) -> list[Job]:
        with self.lock:
            return sorted(self.jobs.values(), key=lambda j: j.created, reverse=True)

    def cancel(self, job_id: str) -> Job | None:
        """Ask a queued or running run to stop; its thread ends the worker and removes the
        partial folder. A finished run is left as it is."""
        job = self.get(job_id)
        if job is not None and job.active:
            job.cancel_asked.set()
        return job

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until the run is no longer queued or running (tests, scripts)."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job is not None and job.active and time.monotonic() < deadline:
            time.sleep(POLL)
        return job

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel every run that is still queued or running, and wait for their threads."""
        for job in self.all():
            if job.active:
                job.cancel_asked.set()
        for thread in self.threads:
            thread.join(timeout)

    # --- in each run's thread ----------------------------------------------------------------

    def _drive(self, job: Job, folder: RunFolder, scenario: Any) -> None:
        try:
            while not self.slots.acquire(timeout=POLL):
                if job.cancel_asked.is_set():
                    self._end(job, CANCELLED, folder)
                    return
            try:
                self._work(job, folder, scenario)
            finally:
                self.slots.release()
        except Exception as exc:  # never let a run's thread die silently
            self._end(job, FAILED, folder, f"internal error (please report it): {exc}")

    def _work(self, job: Job, folder: RunFolder, scenario: Any) -> None:
        if job.cancel_asked.is_set():
            self._end(job, CANCELLED, folder)
            return
        from acsasim.serve import worker

        context = self.context()
        mine, theirs = context.Pipe(duplex=False)
        process = context.Process(
            target=worker.main,
            args=(theirs, folder.partial, scenario, job.request.seed, job.request.command(),
                  job.request.report),
            name=f"acsasim-run-{job.id}",
        )  # fmt: skip
        job.status, job.started = RUNNING, time.time()
        process.start()
        theirs.close()
        outcome = self._follow(job, mine, process)
        process.join()
        mine.close()
        if outcome is None:
            self._end(job, CANCELLED, folder)
        elif outcome[0] == "done":
            job.kpis = outcome[1]
            job.folder = folder.finish()
            self._end(job, DONE)
        else:
            self._end(job, FAILED, folder, outcome[1])

    def _follow(self, job: Job, conn: Any, process: Any) -> tuple[str, Any] | None:
        """The worker's last word: ("done", kpis) or ("failed", why); None if cancelled."""
        while True:
            if job.cancel_asked.is_set():
                process.terminate()
                return None
            try:
                ready = conn.poll(POLL)
                message = conn.recv() if ready else None
            except (EOFError, OSError):
                process.join()
                return (
                    "failed",
                    f"the worker process ended unexpectedly (exit {process.exitcode})",
                )
            if message is None:
                continue
            if message[0] == "stage":
                job.stage = message[1]
            else:
                return message[0], message[1]

    def _end(self, job: Job, status: str, folder: RunFolder | None = None, error: str = "") -> None:
        if folder is not None:
            folder.claim.abandon()  # the partial folder goes: a failed run leaves nothing
        job.status, job.error, job.finished = status, error, time.time()
        if status == DONE and job.started is not None:
            self._took[job.scenario] = job.finished - job.started

    def _expected(self, name: str) -> float | None:
        """How long the last run of this scenario took: this server's, else the newest run
        folder of the scenario under the reports folder (its manifest's stages)."""
        if name in self._took:
            return self._took[name]
        try:
            folders = sorted((self.reports / name).glob("*/manifest.json"), reverse=True)
            stages = json.loads(folders[0].read_text(encoding="utf-8")).get("stages", {})
            return float(sum(stages.values())) or None
        except (IndexError, OSError, ValueError, TypeError, AttributeError):
            return None
