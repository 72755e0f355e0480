"""Shared fixtures of the workbench tests: a scenarios folder (the tiny `duo` scenario, one
with markup in its strings, one that is not valid) and an empty reports folder, per module.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
DUO = DATA / "scenarios" / "duo.yaml"
HOST = "http://127.0.0.1:8765"


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


def wait(client: Any, run_id: str, timeout: float = 90.0) -> dict[str, Any]:
    """Poll GET /api/runs/{id} until the run is neither queued nor running."""
    deadline = time.monotonic() + timeout
    while True:
        got = client.get(f"/api/runs/{run_id}").json()
        if got["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return got
        time.sleep(0.2)
