"""A study in its folder, from start to finish: what `acsasim replicate`, `sweep` and
`compare` (and any other front end) do once the study is defined and checked.

The executor starts first (a pool is forked, a cluster reached), then the folder is
claimed (a new study) or locked (a resumed one): the lock is opened after any worker
process exists, so no worker can hold it after this process is gone. Every finished job is
committed to the progress store at once; the folder's files are written and sealed at the
end (outputs.py, folder.py). An interruption or a failure keeps the partial folder, with
everything that finished, for `--resume`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from acsasim.experiments import folder as folders
from acsasim.experiments import outputs, progress, study
from acsasim.experiments.results import StudyResult
from acsasim.experiments.runner import make_executor
from acsasim.experiments.spec import Point, Spec
from acsasim.runs.errors import OutputError


class Interrupted(Exception):
    """Ctrl-C: `partial` holds `done` finished jobs (None: nothing had started)."""

    def __init__(self, partial: Path | None, done: int | None) -> None:
        super().__init__(partial, done)
        self.partial = partial
        self.done = done


@dataclass(frozen=True)
class Target:
    """Where the study goes: a new final folder (`unique`: numbered if taken), or the partial
    folder of an interrupted study to resume."""

    final: Path | None = None
    unique: bool = False
    partial: Path | None = None


def run_study(
    spec: Spec,
    grid: list[Point],
    target: Target,
    jobs: int = 1,
    scheduler: str | None = None,
    notify: Callable[[str], None] = lambda line: None,
    stream: TextIO | None = None,
) -> tuple[Path, StudyResult]:
    """Run the study into its folder; returns the finished folder and the result. `notify`
    receives one-line news (the folder in progress, a lock taken over); progress is drawn
    on `stream` (default: stderr). Raises Interrupted on Ctrl-C, and FolderExists, OutputError,
    SchedulerUnreachable or StoreError for the caller to report."""
    executor = make_executor([p.scenario for p in grid], jobs, scheduler)
    try:
        executor.__enter__()
    except KeyboardInterrupt:
        raise Interrupted(None, None) from None
    try:
        outcome = _in_folder(spec, grid, target, executor, notify, stream or sys.stderr)
    except BaseException as exc:
        executor.__exit__(type(exc), exc, exc.__traceback__)
        raise
    executor.__exit__(None, None, None)
    return outcome


def _in_folder(
    spec: Spec,
    grid: list[Point],
    target: Target,
    executor: Any,
    notify: Callable[[str], None],
    stream: TextIO,
) -> tuple[Path, StudyResult]:
    if target.final is not None:
        claimed, store = folders.create(target.final, spec.to_json(), unique=target.unique)
    else:
        # a target without a final folder always names the partial folder it resumes
        claimed, store = folders.resume(target.partial)  # type: ignore[arg-type]  # (above)
    if claimed.lock.taken_over is not None:
        notify(f"took over from {claimed.lock.taken_over.describe()}, gone")
    notify(f"study folder (in progress): {claimed.partial}")
    try:
        store.begin_session(executor.name, ["acsasim", *sys.argv[1:]])
        label = "replications" if spec.command == "replicate" else f"{spec.command} jobs"
        with progress.make(stream, label) as bar:
            outcomes, stopping = study.run(spec, grid, executor, store, bar)
        store.end_session()
        sessions = store.sessions()
        store.close()
        result = StudyResult(spec, grid, outcomes, stopping)
        final = folders.finish(claimed, lambda f: outputs.write(f, result, sessions))
    except KeyboardInterrupt:
        claimed.abandon(keep=True)
        raise Interrupted(claimed.partial, _saved(store)) from None
    except OutputError as exc:  # the machine refused a write: what finished is committed
        claimed.abandon(keep=True)
        raise OutputError(
            exc.path,
            f"{exc.cause}; what finished is kept: once the cause is fixed, continue "
            f"with acsasim {spec.command} --resume {claimed.partial}",
        ) from None
    except BaseException:
        claimed.abandon(keep=True)  # what finished stays committed, for --resume
        raise
    return final, result


def _saved(store: Any) -> int | None:
    """How many jobs the store holds, after closing the session (None if it cannot say)."""
    try:
        store.end_session()
        done = len(store.done())
        store.close()
    except Exception:  # the store may already be closed; what finished is committed anyway
        return None
    return done
