"""Shared by the manual's tests: the repository's paths, the hook's helpers importable, and
the manual built once per session with `mkdocs build --strict`.

The build is skipped, with the reason, only when mkdocs itself is not installed (the
`docs` packages are in the `test` extra, so CI always has them).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOOKS = REPO / "docs" / "hooks"
ANALYSES = REPO / "docs" / "analyses"
BUILD_N = "3"  # replications per case in the analyses: enough for intervals, quick for CI

for folder in (HOOKS, ANALYSES):  # the hook's helpers import each other as mkdocs lets them
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def mkdocs_missing() -> str | None:
    """Why the manual cannot be built here, or None."""
    for package in ("mkdocs", "material", "mkdocstrings"):
        if importlib.util.find_spec(package) is None:
            return f"{package} is not installed: pip install -e '.[docs]' (or '.[test]')"
    return None


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The manual, built strictly into a temporary folder."""
    reason = mkdocs_missing()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "ACSASIM_DOCS_N": BUILD_N, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"),
         "-d", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    return out
