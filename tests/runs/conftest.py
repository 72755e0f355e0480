"""Shared fixtures of the run-folder tests: small real run folders, written once per session
(tests change copies), and the CLI invoked in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from acsasim.runs.run_folder import write_run
from acsasim.scenario import load_scenario
from acsasim.sim import simulate
from run_folder_tools import DRILL, TINY, cli_invoker


@pytest.fixture(scope="session")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole run folder of the tiny scenario, without charts (fast)."""
    result = simulate(load_scenario(TINY))
    return write_run(result, tmp_path_factory.mktemp("tiny") / "run", ["test"], report=False)


@pytest.fixture(scope="session")
def drill_report_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A whole run folder of the drill, with charts and report.html."""
    result = simulate(load_scenario(DRILL))
    return write_run(result, tmp_path_factory.mktemp("drill") / "run", ["test"])


@pytest.fixture
def run_copy(tiny_folder: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(tiny_folder, tmp_path / "run"))


@pytest.fixture
def cli() -> Callable[..., tuple[int, str, str]]:
    return cli_invoker()


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included) as bytes, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
