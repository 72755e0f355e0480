"""kill -9 at many points of a run and of a study.

A run killed anywhere leaves either no folder under its final name or a whole one (which
verifies), and what it leaves behind is found by `acsasim clean` and removed by it. A study
killed anywhere and resumed (even killed again while resuming) writes exactly the files an
uninterrupted study writes (the manifest's timing fields apart)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from fault_tools import acsasim, clean_of_us, kill_at_line, kill_when, start

from acsasim.runs.verify import verify
from run_folder_tools import TINY, study_files

# A run is killed when its partial folder appears, then when it holds 1, 3, 5, 7 and 8 of
# its files (the tiny run writes 8 before the manifest, which it writes last): every kill
# lands while the run writes, at a different step. A study is killed when it reports a
# given replication done (stderr), once, or again during its resume.
RUN_KILLS = (0, 1, 3, 5, 7, 8)
STUDY_KILLS = (("5/20",), ("3/20", "11/20"))
STUDY = ["replicate", "tiny.yaml", "-n", "20", "--out", "study"]


def _written(partial: Path, count: int) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            names = [n for n in os.listdir(partial) if not n.startswith(".")]
        except FileNotFoundError:
            return False
        return len(names) >= count

    return ready


def test_a_run_killed_anywhere_leaves_nothing_that_passes_for_a_run(
    tiny: Path, tmp_path: Path
) -> None:
    killed = 0
    for count in RUN_KILLS:
        out = tmp_path / f"run{count}"
        proc = start(["run", tiny, "--out", out, "--no-report"], tmp_path)
        killed += kill_when(proc, _written(tmp_path / f".{out.name}.partial", count))
        if out.exists():
            assert verify(out) == [], f"killed after {count} files: {out} is not whole"
    assert killed >= len(RUN_KILLS) - 1, "the runs ended before they were killed"
    listed = acsasim(["clean", tmp_path], tmp_path)
    assert listed.returncode == 0 and clean_of_us(listed.stdout + listed.stderr)
    assert listed.stdout.count("partial run folder") >= killed - 1, listed.stdout
    removed = acsasim(["clean", tmp_path, "--remove"], tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "tiny.yaml")
    assert all(not name.startswith(".") for name in left), (left, removed.stdout)
    for name in left:  # a folder whose run finished before its kill
        assert verify(tmp_path / name) == []


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    whole = tmp_path_factory.mktemp("whole")
    shutil.copy(TINY, whole / "tiny.yaml")
    assert acsasim(STUDY, whole).returncode == 0
    return study_files(whole / "study")


@pytest.mark.parametrize("kills", STUDY_KILLS, ids=["once", "twice"])
def test_a_study_killed_and_resumed_equals_an_uninterrupted_one(
    uninterrupted: dict[str, bytes], tmp_path: Path, kills: tuple[str, ...]
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(TINY, broken / "tiny.yaml")
    proc = start(STUDY, broken)
    assert kill_at_line(proc, kills[0]), "the study ended before it was killed"
    for again in kills[1:]:
        assert kill_at_line(start(["replicate", "--resume", "study"], broken), again)
    if not (broken / "study").exists():
        done = acsasim(["replicate", "--resume", "study"], broken)
        assert done.returncode == 0, done.stderr
        assert clean_of_us(done.stderr)
    assert study_files(broken / "study") == uninterrupted
    assert sorted(p.name for p in broken.iterdir()) == ["study", "tiny.yaml"]
