"""What a long command is doing, on stderr: its stages (simulate, tables, charts, report).

A stage that lasts more than `delay` seconds shows a spinner with its name and the time it
has taken so far, and leaves a line with its time when it ends; a quicker stage shows
nothing, so a short run prints only its answer. Nothing is shown when stderr is not a
terminal (a pipe, a log file, CI) or with --quiet. stdout, which carries the folder and the
KPIs, is never touched.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

DELAY = 1.0  # seconds a stage runs before it is shown


class StageDisplay:
    """A watcher for `runs.stages.StageClock`: call it with a stage's name, hold what it
    returns while the stage runs."""

    def __init__(self, stream: TextIO, quiet: bool = False, delay: float = DELAY) -> None:
        isatty = getattr(stream, "isatty", None)
        self.enabled = not quiet and isatty is not None and bool(isatty())
        self.stream, self.delay = stream, delay
        self._console: Any = None

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        shown = _Shown(self._console_for_stream(), name)
        timer = threading.Timer(self.delay, shown.start)
        timer.daemon = True
        started = time.perf_counter()
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            shown.stop(time.perf_counter() - started)

    def _console_for_stream(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self.stream, highlight=False)
        return self._console


class _Shown:
    """One stage's spinner, started by the timer if the stage is still running."""

    def __init__(self, console: Any, name: str) -> None:
        self.console, self.name = console, name
        self.lock = threading.Lock()
        self.progress: Any = None
        self.ended = False

    def start(self) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self.lock:
            if self.ended:
                return
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.progress.add_task(self.name, total=None)
            self.progress.start()

    def stop(self, seconds: float) -> None:
        with self.lock:
            self.ended = True
            if self.progress is not None:
                self.progress.stop()
                self.console.print(f"{self.name}: {seconds:.1f} s")
