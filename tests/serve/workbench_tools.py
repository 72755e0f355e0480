"""Helpers of the workbench tests: the tiny `duo` scenario, waiting for a run through the
API, and a real `acsasim serve` in its own process (started on a free loopback port, stopped
with Ctrl-C)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
DUO = DATA / "scenarios" / "duo.yaml"
HOST = "http://127.0.0.1:8765"


def wait(client: Any, run_id: str, timeout: float = 90.0) -> dict[str, Any]:
    """Poll GET /api/runs/{id} until the run is neither queued nor running."""
    deadline = time.monotonic() + timeout
    while True:
        got = client.get(f"/api/runs/{run_id}").json()
        if got["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    scenarios: Path, reports: Path, cwd: Path | None = None
) -> tuple[subprocess.Popen[str], str]:
    """`acsasim serve` in its own process (in `cwd`) on a free loopback port, once it
    answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "acsasim", "serve", "--scenarios", str(scenarios),
         "--reports", str(reports), "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=cwd,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/scenarios", timeout=2):
                return process, url
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"acsasim serve did not start: {process.communicate()}")


def stop_server(process: subprocess.Popen[str]) -> tuple[int, str]:
    """Ctrl-C, as a user stops it: (exit code, what it printed on stderr)."""
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return process.returncode, err
