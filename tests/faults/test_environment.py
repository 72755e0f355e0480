"""The machine fails: a file-size limit, a read-only folder, a full disk, a file where a
folder should be. Each is exit 2 with the path and the cause, and leaves no half-written
file or folder; a statement can still be written elsewhere with -o.

Faults are real, in subprocesses: `ulimit -f` (RLIMIT_FSIZE); a read-only bind mount or a
small tmpfs in a private mount namespace (`unshare`, as root), or a folder without write
permission (as another user). A fault this machine cannot make is skipped, saying why.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fault_tools import acsasim, clean_of_us, is_root

FSIZE = 16 * 1024  # bytes: the tiny run's ledger.sqlite (24 KB) does not fit
STUDY_FSIZE = 30 * 1024  # a study's progress store (24 KB new) fills it after a few jobs


def _limit_file_size(size: int = FSIZE) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def _leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name != "tiny.yaml")


def _in_namespace(setup: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """acsasim ARGS after the shell `setup` (mounts), in a private mount namespace."""
    if not is_root() or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a private mount")
    command = " ".join([setup, "&&", "exec", sys.executable, "-m", "acsasim", *args])
    done = subprocess.run(["unshare", "-m", "sh", "-c", command], cwd=cwd, capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    if "unshare:" in done.stderr or "mount:" in done.stderr:
        pytest.skip(f"this machine cannot make a private mount: {done.stderr.strip()}")
    return done


def _read_only(
    folder: Path, args: list[str], cwd: Path
) -> tuple[subprocess.CompletedProcess[str], str]:
    """acsasim ARGS with `folder` read-only, and the cause it should name: a read-only bind
    mount (root), or no write permission (another user)."""
    if is_root():
        mount = f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder}"
        return _in_namespace(
            mount, args, cwd
        ), "the file system is read-only; write elsewhere (EROFS)"
    folder.chmod(0o555)
    try:
        return acsasim(args, cwd), "permission denied"
    finally:
        folder.chmod(0o755)


def test_a_file_size_limit_is_exit_2_and_leaves_nothing(tiny: Path, tmp_path: Path) -> None:
    done = acsasim(["run", tiny, "--no-report", "--out", "run"], tmp_path,
                   preexec_fn=_limit_file_size)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert clean_of_us(done.stderr)
    assert "the file would exceed the file-size limit (ulimit -f) (EFBIG)" in done.stderr
    assert "cannot write .run.partial/ledger.sqlite: the file would exceed" in done.stderr
    assert _leftovers(tmp_path) == []


def test_a_read_only_folder_is_exit_2_and_leaves_nothing(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    args = ["run", str(tiny), "--no-report", "--out", str(out / "run")]
    done, cause = _read_only(out, args, tmp_path)
    assert done.returncode == 2, done.stderr
    assert clean_of_us(done.stderr)
    assert f"cannot write {out / 'run'}: {cause}" in done.stderr
    assert list(out.iterdir()) == []


def test_a_full_disk_is_exit_2_and_leaves_nothing(tiny: Path, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    args = ["run", str(tiny), "--no-report", "--out", str(disk / "run")]
    done = _in_namespace(f"mount -t tmpfs -o size=20k tmpfs {disk}", args, tmp_path)
    assert done.returncode == 2, done.stderr
    assert clean_of_us(done.stderr)
    assert "the disk is full; free some space or write elsewhere (ENOSPC)" in done.stderr
    assert list(disk.iterdir()) == []  # the tmpfs is gone with the namespace; the folder too


def test_a_file_where_a_folder_should_be(tiny: Path, tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("a file")
    done = acsasim(["run", tiny, "--no-report", "--out", "reports/run"], tmp_path)
    assert done.returncode == 2 and clean_of_us(done.stderr)
    assert "a part of the path is a file, not a folder (ENOTDIR)" in done.stderr


def test_a_statement_of_a_read_only_run_goes_elsewhere_with_o(tiny: Path, tmp_path: Path) -> None:
    assert acsasim(["run", tiny, "--no-report", "--out", "run"], tmp_path).returncode == 0
    run = tmp_path / "run"
    statement = ["statement", str(run), "--parties", "JP,PH"]
    done, _ = _read_only(run, statement, tmp_path)
    assert done.returncode == 2 and clean_of_us(done.stderr)
    assert "write the statement elsewhere with -o FILE" in done.stderr
    assert not [p for p in run.iterdir() if p.name.startswith("statement")]
    done = acsasim([*statement, "-o", tmp_path / "jp-ph.csv"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "jp-ph.csv").read_text().startswith("section,")


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX only")
def test_a_study_that_cannot_write_keeps_its_progress(tiny: Path, tmp_path: Path) -> None:
    """The study passes the limit as it goes: exit 2 with the cause, and the partial folder
    keeps every finished job for --resume once there is room."""
    done = acsasim(["replicate", tiny, "-n", "40", "--out", "s"], tmp_path,
                   preexec_fn=lambda: _limit_file_size(STUDY_FSIZE))  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert clean_of_us(done.stderr), done.stderr
    assert "cannot write s.partial/progress.sqlite: the disk refused the write" in done.stderr
    assert "continue with acsasim replicate --resume s.partial" in done.stderr
    assert not (tmp_path / "s").exists()
    resumed = acsasim(["replicate", "--resume", "s.partial"], tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert (tmp_path / "s" / "replications.csv").is_file()
