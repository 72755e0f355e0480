"""The stages of writing a run (simulate, tables, charts, report): each one timed for the
manifest, and shown to whoever watches (`acsasim run`'s display on a terminal).

One clock for every writer of a run folder: `RunFolder.write` times a new run's stages and
`acsasim report` the charts and page it redraws, so the manifest's `stages` always mean the
same thing. The watcher is any callable that takes a stage's name and returns a context
manager held while the stage runs; the library never prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

#: Told the name of each stage as it starts; the context it returns is left as it ends.
Watch = Callable[[str], AbstractContextManager[object]]


class StageClock:
    """Seconds per stage, rounded to the millisecond, in the order the stages ran."""

    def __init__(self, watch: Watch | None = None) -> None:
        self.watch = watch
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        with self.watch(name) if self.watch is not None else nullcontext():
            yield
        self.seconds[name] = round(time.perf_counter() - started, 3)

    def record(self, name: str, seconds: float) -> None:
        """A stage timed elsewhere (the simulation times itself)."""
        self.seconds[name] = round(seconds, 3)


def announcing(tell: Callable[[str], None]) -> Watch:
    """A watch that only hears each stage's name as it starts (the workbench's worker sends
    it to the page's progress bar)."""

    def watch(name: str) -> AbstractContextManager[object]:
        tell(name)
        return nullcontext()

    return watch
