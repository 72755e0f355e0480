"""Shared fixture of the workbench tests: a scenarios folder (the tiny `duo` scenario, one
with markup in its strings, one that is not valid) and an empty reports folder, per module.
Helpers are in workbench_tools.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from workbench_tools import DUO


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(scenarios, reports) for one module's server."""
    root = tmp_path_factory.mktemp("workbench")
    scenarios, reports = root / "scenarios", root / "reports"
    scenarios.mkdir()
    shutil.copy(DUO, scenarios / "duo.yaml")
    text = DUO.read_text(encoding="utf-8")
    marked = text.replace("name: duo", "name: marked").replace(
        "description: A JP company", "description: <script>alert('x')</script> A JP company"
    )
    (scenarios / "marked.yaml").write_text(marked, encoding="utf-8")
    (scenarios / "broken.yaml").write_text(text.replace("tick: 6h", "tick: 6 hours"), "utf-8")
    return scenarios, reports
