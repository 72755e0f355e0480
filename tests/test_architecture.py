"""The import direction of the architecture (README, Layout), enforced:
cli, serve -> experiments -> runs -> output, experiments -> sim -> ledger, sim -> scenario,
output -> ledger, output -> scenario; vocab below all; ledger imports neither sim nor
scenario nor pandas (numpy for its columns); scenario imports nothing of ours but itself and
vocab; output never imports runs (it renders, runs writes); no import cycles between modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "acsasim"

FORBIDDEN = {
    "ledger": {"acsasim.sim", "acsasim.scenario", "acsasim.output", "acsasim.cli", "pandas",
               "simpy", "pydantic", "acsasim.experiments", "acsasim.kpis", "acsasim.result"},
    "scenario": {"acsasim.sim", "acsasim.ledger", "acsasim.output", "acsasim.cli",
                 "acsasim.experiments", "simpy", "pandas", "matplotlib"},
    "sim": {"acsasim.output", "acsasim.cli", "acsasim.experiments", "acsasim.runs", "pandas",
            "matplotlib"},
    "output": {"acsasim.sim", "acsasim.cli", "acsasim.experiments", "acsasim.runs", "simpy"},
    # runs writes what output renders; output never writes, so it never imports runs
    "runs": {"acsasim.sim", "acsasim.cli", "acsasim.experiments", "simpy"},
    # the workbench calls the same library as the command line, never the command line
    "serve": {"acsasim.cli", "acsasim.sim", "acsasim.ledger", "simpy"},
    "experiments": {"acsasim.cli", "acsasim.serve"},
}  # fmt: skip
for _room in ("ledger", "scenario", "sim", "output", "runs"):
    FORBIDDEN[_room] = FORBIDDEN[_room] | {"acsasim.serve"}  # only `acsasim serve` imports it
#: vocab.py sits below everything: it imports nothing of ours.
OURS = "acsasim"


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
    """Files under ~400 lines: a longer one wants splitting along a seam."""
    long = [f"{p.relative_to(SRC)}: {n}" for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400]  # fmt: skip
    assert not long, long


def test_vocab_imports_nothing_of_ours() -> None:
    assert not [n for n in imports_of(SRC / "vocab.py") if n.split(".")[0] == OURS]


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_cycles_between_modules() -> None:
    """Module-level imports of ours form no cycle (imports inside functions, which load
    lazily, and those under TYPE_CHECKING are not module-level and are left out)."""
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in tree.body:  # module level only
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)  # `from pkg import sub` also names the module pkg.sub
                names.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        graph[_module(path)] = {n for n in names if n.split(".")[0] == OURS}
    for module in graph:  # only modules; a package's __init__ importing its own parts is none
        graph[module] = {
            n
            for n in graph[module]
            if n in graph and n != module and not n.startswith(module + ".")
        }
    seen: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            target = nxt
            if seen.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in seen:
                visit(target, [*path, target])
        seen[node] = 2

    for module in sorted(graph):
        if module not in seen:
            visit(module, [module])


def test_the_settlement_methods_of_the_format_are_the_vocabularys() -> None:
    """A file names the methods of vocab.Method that settle an order; `gratis` is set by an
    activity, never named in a file."""
    from typing import get_args

    from acsasim.scenario.types import Method
    from acsasim.vocab import Method as Vocabulary

    assert set(get_args(Method)) == {m.value for m in Vocabulary} - {"gratis"}
