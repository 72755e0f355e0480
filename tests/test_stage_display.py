"""`acsasim run` says what it is doing: a stage that takes more than a second shows on a
terminal's stderr and leaves its time; nothing shows in a pipe or with --quiet. The manifest
times the same stages (runs/stages.py: one clock)."""

from __future__ import annotations

import io
import time

from acsasim.cli.stage_display import StageDisplay
from acsasim.runs.stages import StageClock


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_stage_shows_on_a_terminal_and_leaves_its_time() -> None:
    screen = Terminal()
    clock = StageClock(StageDisplay(screen, delay=0.05))
    with clock("tables"):
        time.sleep(0.3)
    with clock("report"):
        pass  # quicker than the delay: nothing shown
    text = screen.getvalue()
    assert "tables" in text and "tables: 0.3 s" in text
    assert "report" not in text
    assert set(clock.seconds) == {"tables", "report"} and clock.seconds["tables"] >= 0.3


def test_nothing_shows_in_a_pipe_or_when_quiet() -> None:
    for screen, quiet in ((io.StringIO(), False), (Terminal(), True)):
        display = StageDisplay(screen, quiet=quiet, delay=0.0)
        with display("charts"):
            time.sleep(0.05)
        assert screen.getvalue() == ""


def test_a_stage_that_fails_still_stops_its_display() -> None:
    screen = Terminal()
    display = StageDisplay(screen, delay=0.01)
    try:
        with display("charts"):
            time.sleep(0.1)
            raise KeyError("boom")
    except KeyError:
        pass
    assert "charts: 0.1 s" in screen.getvalue()
