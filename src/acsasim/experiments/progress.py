"""Progress of a study on stderr: a rich bar on a terminal (jobs done, rate, time left),
plain lines otherwise (a log file or CI gets a line every few jobs, never control codes).

Nothing goes to stdout, which carries only the folder path and the answer. The rate and
time left count only this session's jobs, so a resumed study does not look infinitely fast.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

from acsasim.experiments.runner import Outcome


def make(stream: TextIO, label: str) -> Any:
    """A rich bar if `stream` is a terminal, else plain lines."""
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return RichProgress(stream, label)
    return PlainProgress(stream, label)


class _Rate:
    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.finished = 0

    def rate(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.finished / elapsed if elapsed > 0 else 0.0


class PlainProgress(_Rate):
    """`replications 12/40  2.4/s  ~12s left`, every ~5% of the jobs and at the last one."""

    def __init__(self, stream: TextIO, label: str) -> None:
        super().__init__()
        self.stream, self.label = stream, label
        self.done = self.all = 0

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: Any) -> None:
        pass

    def total(self, total: int, done: int) -> None:
        self.all, self.done = total, done
        if done:
            self._line(f"{self.label} {done}/{total} already done")

    def advance(self, outcome: Outcome) -> None:
        self.done += 1
        self.finished += 1
        every = max(1, self.all // 20)
        if self.finished % every == 0 or self.done == self.all:
            rate = self.rate()
            left = (self.all - self.done) / rate if rate > 0 else float("inf")
            self._line(f"{self.label} {self.done}/{self.all}  {rate:.2f}/s  ~{left:.0f}s left")

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()


class RichProgress(_Rate):
    def __init__(self, stream: TextIO, label: str) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self.task = self.bar.add_task(label, total=None, rate="")

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.bar.stop()

    def total(self, total: int, done: int) -> None:
        self.bar.update(self.task, total=total, completed=done)

    def advance(self, outcome: Outcome) -> None:
        self.finished += 1
        self.bar.update(self.task, advance=1, rate=f"{self.rate():.2f}/s")
