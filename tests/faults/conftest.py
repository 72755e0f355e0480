"""The fault-injection suite: acsasim's run folders and studies under the failures of real
machines (processes killed with SIGKILL, full disks, read-only folders, file-size limits,
damaged files, concurrent runs) and hostile scenario values.

Every test here drives the real command in a subprocess where the fault needs one, on the
tiny scenario (two days, ~0.1 s of simulation), with fixed ("random" but derandomized)
kill points, so the suite is fast and the same on every machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from acsasim.runs.run_folder import write_run
from acsasim.scenario import load_scenario
from acsasim.sim import simulate
from run_folder_tools import TINY


@pytest.fixture(scope="session")
def tiny_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole run folder of the tiny scenario, charts and report.html included."""
    result = simulate(load_scenario(TINY))
    return write_run(result, tmp_path_factory.mktemp("tiny") / "run", ["test"])


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """The tiny scenario, copied where a test runs."""
    path = tmp_path / "tiny.yaml"
    path.write_bytes(TINY.read_bytes())
    return path
