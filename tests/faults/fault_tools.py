"""Helpers of the fault-injection suite: the real command in a subprocess, and kills."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
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


def kill_after(proc: subprocess.Popen[str], seconds: float) -> bool:
    """SIGKILL `proc` after `seconds` (True), unless it ended before (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    return True


def clean_of_us(text: str) -> bool:
    """No traceback and no internal error in a command's output."""
    return "Traceback" not in text and "internal error" not in text


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
