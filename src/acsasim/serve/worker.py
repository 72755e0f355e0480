"""The worker process of a workbench run: simulate, fill the run folder the server claimed,
and tell the server each stage as it begins, then the KPIs or why it failed.

The server starts workers from a fork server that imported this module (and so the engine,
pandas and matplotlib) once: a run starts in milliseconds, in a process that shares no
thread or lock with the server. Cancelling a run ends its worker (SIGTERM); the server
then removes the partial folder.
"""

from __future__ import annotations

import signal
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import matplotlib  # noqa: F401  (loaded once in the fork server, not in every run)
import pandas  # noqa: F401

from acsasim.experiments.runner import preload
from acsasim.experiments.single import simulate_into
from acsasim.runs.errors import OutputError
from acsasim.runs.stages import announcing

PRELOAD = [__name__]
preload()  # the engine, imported once in the fork server


def main(
    conn: Connection,
    partial: Path,
    scenario: Any,
    seed: int | None,
    command: list[str],
    report: bool,
) -> None:
    """Run in the worker process; every message is a tuple (kind, ...) on `conn`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's: it cancels runs
    started = time.perf_counter()
    try:
        result = simulate_into(
            partial,
            scenario,
            seed,
            command,
            report,
            started,
            announcing(lambda stage: conn.send(("stage", stage))),
        )
        conn.send(("done", result.kpis))
    except OutputError as exc:  # the disk refused: the user's to fix
        conn.send(("failed", str(exc)))
    except Exception as exc:  # a bug of ours: said plainly, never a traceback on the page
        conn.send(("failed", f"internal error (please report it): {type(exc).__name__}: {exc}"))
    finally:
        conn.close()
