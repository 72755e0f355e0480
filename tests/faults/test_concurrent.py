"""N runs of the same scenario and seed started together, in one folder: N whole folders,
every one verified, every command a success (they used to collide on one name and lose
results)."""

from __future__ import annotations

import re
from pathlib import Path

from fault_tools import clean_of_us, start

from acsasim.runs.verify import verify

N = 4


def test_concurrent_runs_of_one_scenario_and_seed_keep_every_result(
    tiny: Path, tmp_path: Path
) -> None:
    procs = [start(["run", tiny, "--seed", "7", "--no-report"], tmp_path) for _ in range(N)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * N, [err for _, err in outputs]
    assert all(clean_of_us(err) for _, err in outputs)
    printed = {out.splitlines()[0] for out, _ in outputs}
    assert len(printed) == N  # N different folders, each named by its own command
    folders = sorted((tmp_path / "reports" / "tiny").iterdir())
    assert [f.name for f in folders] == sorted(Path(p).name for p in printed)
    for folder in folders:
        assert verify(folder) == []
    assert all(re.fullmatch(r"\d{8}-\d{6}-s7(-\d+)?", f.name) for f in folders), folders
