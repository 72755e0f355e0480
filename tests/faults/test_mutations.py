"""Hostile values in the shipped scenarios: whatever a value is changed to (huge, tiny, not
finite, negative, a formula, a far date, a long id, the wrong type; or a number scaled by
0 to a million, which mostly gives runs that go through), `acsasim run` answers with a
result (exit 0, a folder that verifies) or with the problems (exit 2): never an internal
error, never a traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from acsasim.cli import app
from acsasim.runs.verify import verify

ROOT = Path(__file__).parents[2]
SHIPPED = {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
           for p in sorted((ROOT / "scenarios").glob("*.yaml"))}  # fmt: skip
HOSTILE = st.one_of(
    st.sampled_from([
        1e308, -1e308, float("inf"), float("nan"), 10**30, -1, 0, 0.0, 1e-300, 2**63,
        "=HYPERLINK(1)", "+1", "@SUM(A1)", "-2d", "1s", "0s", "36500d", "9999-12-25",
        "0001-01-01", "a" * 65, "../../etc", "", None, [], {}, True,
    ]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.text(max_size=12),
)  # fmt: skip


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))]
    return [path]


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(SHIPPED)))
    data = copy.deepcopy(SHIPPED[name])
    hostile = draw(st.booleans())
    leaves = [p for p in _leaves(data) if hostile or _number(_get(data, p))]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(leaves))
        if hostile:
            _set(data, path, draw(HOSTILE))
        else:
            factor = draw(st.sampled_from([0, 1e-3, 0.5, 2, 1e3, 1e6]))
            _set(data, path, _get(data, path) * factor)
    return name, data


SLOW_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=SLOW_OK)  # fmt: skip
@given(case=mutated())
def test_a_hostile_value_is_a_result_or_a_problem_never_a_crash(
    case: tuple[str, dict[str, Any]], tmp_path_factory: Any
) -> None:
    name, data = case
    folder = tmp_path_factory.mktemp("mutant")
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = folder / "run"
    result = CliRunner().invoke(
        app, ["run", str(path), "--no-report", "--out", str(out), "--max-size", "1000000"]
    )
    text = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), text
    assert result.exit_code in (0, 2), text
    assert "Traceback" not in text and "internal error" not in text, text
    if result.exit_code == 0:
        assert verify(out) == []
    else:
        assert not out.exists()
