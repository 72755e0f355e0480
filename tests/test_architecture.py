"""The import direction of the architecture, enforced:
cli -> experiments -> runs -> output, experiments -> sim -> ledger, sim -> scenario,
output -> ledger, output -> scenario;
ledger imports neither sim nor scenario nor pandas; scenario imports nothing of ours outside
itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "acsasim"

FORBIDDEN = {
    "ledger": {"acsasim.sim", "acsasim.scenario", "acsasim.output", "acsasim.cli", "pandas",
               "numpy", "simpy", "pydantic", "acsasim.experiments"},
    "scenario": {"acsasim.sim", "acsasim.ledger", "acsasim.output", "acsasim.cli",
                 "acsasim.experiments", "simpy", "pandas", "matplotlib"},
    "sim": {"acsasim.output", "acsasim.cli", "acsasim.experiments", "pandas", "matplotlib"},
    "output": {"acsasim.sim", "acsasim.cli", "acsasim.experiments", "acsasim.runs", "simpy"},
    # runs writes what output renders; output never writes, so it never imports runs
    "runs": {"acsasim.sim", "acsasim.cli", "acsasim.experiments", "simpy"},
}  # fmt: skip


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_import_direction(package: str) -> None:
    offences = []
    for path in sorted((SRC / package).rglob("*.py")):
        for name in imports_of(path):
            if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[package]):
                offences.append(f"{path.relative_to(SRC)} imports {name}")
    assert not offences, "\n".join(offences)


def test_source_files_stay_small() -> None:
    """Files under ~400 lines (architecture.md): a longer one wants splitting along a seam."""
    long = [f"{p.relative_to(SRC)}: {n}" for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]  # fmt: skip
    assert not long, long
