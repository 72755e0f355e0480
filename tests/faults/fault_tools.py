"""Helpers of the fault-injection suite: the real command in a subprocess, and kills."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def acsasim(
    args: Sequence[str | Path], cwd: Path, timeout: float = 120, **popen: object
) -> subprocess.CompletedProcess[str]:
    """`python -m acsasim ARGS` in `cwd`, to the end."""
    return subprocess.run(
        [sys.executable, "-m", "acsasim", *(str(a) for a in args)],
        cwd=cwd, capture_output=True, text=True, timeout=timeout, **popen,  # type: ignore[arg-type]
    )  # fmt: skip


def start(args: Sequence[str | Path], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "acsasim", *(str(a) for a in args)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def kill_when(proc: subprocess.Popen[str], ready: Callable[[], bool], limit: float = 60) -> bool:
    """SIGKILL `proc` the moment `ready()` holds (True), unless it ended first (False).
    Kill points are events the test watches for, not times, so a loaded machine moves
    them nowhere."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if ready():
            proc.kill()
            proc.wait()
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.0002)
    raise TimeoutError("the awaited moment never came")


def kill_at_line(proc: subprocess.Popen[str], text: str) -> bool:
    """SIGKILL `proc` as soon as it writes a line holding `text` to stderr (True), unless it
    ended first (False)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if text in line:
            proc.kill()
            proc.wait()
            return True
    proc.wait()
    return False


def clean_of_us(text: str) -> bool:
    """No traceback and no internal error in a command's output."""
    return "Traceback" not in text and "internal error" not in text


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
