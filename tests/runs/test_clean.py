"""`acsasim clean`: what dead processes left is listed, and removed only on request and only
when its process is gone; a study that can be resumed is removed only with --studies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from acsasim.runs.claim import RUN, STUDY, claim

HOLD = """
import sys, time
from pathlib import Path
from acsasim.runs.lock import Lock
Lock.acquire(Path(sys.argv[1]), "run")
print("locked", flush=True)
time.sleep(120)
"""


@pytest.fixture
def holder(tmp_path: Path):
    """A living process that holds the lock of a partial run folder."""
    partial = tmp_path / "reports" / "drill" / ".20260101-000000-s7.partial"
    partial.mkdir(parents=True)
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(partial)], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"locked"
    yield partial, proc
    proc.kill()
    proc.wait()


def test_a_living_run_is_listed_but_never_removed(holder, tmp_path: Path, cli) -> None:
    partial, proc = holder
    code, out, _ = cli("clean", tmp_path / "reports", "--remove")
    assert code == 0
    assert f"{partial}: partial run folder; process {proc.pid} still running" in out
    assert partial.is_dir()


def test_what_dead_processes_left_is_removed_on_request(holder, tmp_path: Path, cli) -> None:
    partial, proc = holder
    os.kill(proc.pid, signal.SIGKILL)  # as `kill -9` would
    proc.wait()
    study = claim(tmp_path / "reports" / "drill" / "20260101-000000-replicate", STUDY, False)
    study.lock.release()  # an interrupted study: its process is gone
    half = tmp_path / "reports" / "drill" / ".orders.csv.tmp-999999999-0"
    half.write_text("half a file")
    code, out, _ = cli("clean", tmp_path / "reports")
    assert code == 0
    assert f"{partial}: partial run folder; process {proc.pid} gone" in out
    assert f"{study.partial}: interrupted study" in out
    assert f"{half}: half-written file; process 999999999 gone" in out
    assert "nothing removed" in out and partial.is_dir() and half.is_file()
    code, out, _ = cli("clean", tmp_path / "reports", "--remove")
    assert f"removed {partial}" in out and f"removed {half}" in out
    assert not partial.exists() and not half.exists() and study.partial.is_dir()
    code, out, _ = cli("clean", tmp_path / "reports", "--remove", "--studies")
    assert f"removed {study.partial}" in out and not study.partial.exists()
    code, out, _ = cli("clean", tmp_path / "reports")
    assert out.strip() == f"nothing left behind under {tmp_path / 'reports'}"


def test_a_folder_that_is_not_there_is_bad_input(tmp_path: Path, cli) -> None:
    code, _, err = cli("clean", tmp_path / "nowhere")
    assert code == 2
    assert (
        err.strip() == f"error: {tmp_path / 'nowhere'} is not a folder; give the folder to "
        "search (default: reports)"
    )


def test_a_run_of_this_process_is_alive(tmp_path: Path) -> None:
    from acsasim.runs.clean import find_leftovers

    working = claim(tmp_path / "run", RUN, unique=False)
    (item,) = find_leftovers(tmp_path)
    assert item.alive and item.pid == os.getpid() and item.path == working.partial
