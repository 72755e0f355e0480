"""kill -9 at many points of a run and of a study.

A run killed anywhere leaves either no folder under its final name or a whole one (which
verifies), and what it leaves behind is found by `acsasim clean` and removed by it. A study
killed anywhere and resumed (even killed again while resuming) writes exactly the files an
uninterrupted study writes (the manifest's timing fields apart)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from fault_tools import acsasim, clean_of_us, kill_after, start

from acsasim.experiments.outputs import TIMING_FIELDS
from acsasim.runs.verify import verify
from run_folder_tools import TINY

# Fractions of an uninterrupted run's time: from the imports, through the simulation and
# the tables (most kills: the writing is the last tenth or so), to the manifest and rename.
RUN_KILLS = (0.5, 0.8, 0.88, 0.92, 0.95, 0.97, 0.99)
STUDY_KILLS = ((1.2,), (1.1, 1.4))  # one kill, or a kill during the resume too
STUDY = ["replicate", "tiny.yaml", "-n", "20", "--out", "study"]


def test_a_run_killed_anywhere_leaves_nothing_that_passes_for_a_run(
    tiny: Path, tmp_path: Path
) -> None:
    clock = time.monotonic()
    assert (
        acsasim(["run", tiny, "--out", tmp_path / "timed", "--no-report"], tmp_path).returncode == 0
    )
    whole = time.monotonic() - clock
    killed = 0
    for i, fraction in enumerate(RUN_KILLS):
        out = tmp_path / f"run{i}"
        proc = start(["run", tiny, "--out", out, "--no-report"], tmp_path)
        killed += kill_after(proc, fraction * whole)
        if out.exists():
            assert verify(out) == [], f"killed at {fraction} of the run: {out} is not whole"
    assert killed >= 3, "the kills came too late to test anything"
    listed = acsasim(["clean", tmp_path], tmp_path)
    assert listed.returncode == 0 and clean_of_us(listed.stdout + listed.stderr)
    assert "partial run folder" in listed.stdout, "no kill fell while a run was writing"
    removed = acsasim(["clean", tmp_path, "--remove"], tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "tiny.yaml")
    assert all(not name.startswith(".") for name in left), (left, removed.stdout)
    for name in left:  # the folders that finished before their kill
        assert verify(tmp_path / name) == []


def _study_files(folder: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "manifest.json":
            manifest = json.loads(data)
            for key in TIMING_FIELDS:
                manifest.pop(key, None)
            data = json.dumps(manifest, sort_keys=True).encode()
        files[str(path.relative_to(folder))] = data
    return files


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    whole = tmp_path_factory.mktemp("whole")
    shutil.copy(TINY, whole / "tiny.yaml")
    assert acsasim(STUDY, whole).returncode == 0
    return _study_files(whole / "study")


@pytest.mark.parametrize("kills", STUDY_KILLS, ids=["once", "twice"])
def test_a_study_killed_and_resumed_equals_an_uninterrupted_one(
    uninterrupted: dict[str, bytes], tmp_path: Path, kills: tuple[float, ...]
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(TINY, broken / "tiny.yaml")
    proc = start(STUDY, broken)
    assert kill_after(proc, kills[0]), "the study ended before it was killed"
    for again in kills[1:]:
        assert kill_after(start(["replicate", "--resume", "study"], broken), again)
    if not (broken / "study").exists():
        done = acsasim(["replicate", "--resume", "study"], broken)
        assert done.returncode == 0, done.stderr
        assert clean_of_us(done.stderr)
    assert _study_files(broken / "study") == uninterrupted
    assert sorted(p.name for p in broken.iterdir()) == ["study", "tiny.yaml"]
