"""Scenario file -> validated Scenario, or every problem located as FILE:LINE:COL.

Order of work: read the YAML (keeping positions), check the format version,
apply `--set` overrides, validate the models, then cross-check. Each stage
reports all it finds; a later stage runs only on what an earlier one accepted.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from acsasim.scenario.checks import check
from acsasim.scenario.errors import Problem, ScenarioError, did_you_mean
from acsasim.scenario.lint import lint
from acsasim.scenario.model import Scenario
from acsasim.scenario.overrides import Override, apply, parse_override
from acsasim.scenario.paths import model_keys, type_at
from acsasim.scenario.size import size_problem
from acsasim.scenario.source import Positions, parse_text, read_file

FORMAT_VERSION = 1
Path_ = tuple[str | int, ...]


def load_scenario(
    path: str | Path, overrides: Iterable[str] = (), *, max_size: float | None = None
) -> Scenario:
    """Load and check a scenario file, with `--set PATH=VALUE` overrides applied.

    `max_size`: the most holder-commodity-ticks a run may have (size.py; None: the default).
    Raises ScenarioError listing every problem found.
    """
    return load_with_warnings(path, overrides, max_size=max_size)[0]


def load_with_warnings(
    path: str | Path, overrides: Iterable[str] = (), *, max_size: float | None = None
) -> tuple[Scenario, list[Problem]]:
    """Like `load_scenario`, and the warnings: what is legal but probably not meant
    (`scenario/lint.py`), located like problems."""
    data, positions = read_file(Path(path))
    return _validate(data, positions, str(path), overrides, max_size)


def load_text(
    text: str,
    name: str = "<scenario>",
    overrides: Iterable[str] = (),
    *,
    max_size: float | None = None,
) -> Scenario:
    """Like `load_scenario`, for YAML text held in memory (notebooks, tests)."""
    data, positions = parse_text(text, name)
    return validate(data, positions, name, overrides, max_size)


def text_with_warnings(
    text: str,
    name: str = "<scenario>",
    overrides: Iterable[str] = (),
    *,
    max_size: float | None = None,
) -> tuple[Scenario, list[Problem]]:
    """Like `load_with_warnings`, for YAML text held in memory (the workbench's editor checks
    what is typed with it, as `acsasim validate` checks a file)."""
    data, positions = parse_text(text, name)
    return _validate(data, positions, name, overrides, max_size)


#: libyaml's emitter when PyYAML has it: the same text as the pure-Python one (tested), about
#: four times faster for a scenario of hundreds of holders.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_scenario(scenario: Scenario) -> str:
    """The resolved scenario as YAML: defaults written out, durations with units."""
    data = scenario.model_dump(mode="json", by_alias=True)
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100)


def validate(
    data: Any,
    positions: Positions,
    name: str,
    overrides: Iterable[str] = (),
    max_size: float | None = None,
) -> Scenario:
    """Validate plain data read from `name`; see `load_scenario`."""
    return _validate(data, positions, name, overrides, max_size)[0]


def _validate(
    data: Any,
    positions: Positions,
    name: str,
    overrides: Iterable[str],
    max_size: float | None = None,
) -> tuple[Scenario, list[Problem]]:
    _check_version(data, positions, name)
    data, touched = _apply_overrides(data, overrides)
    locate = _Locator(name, positions, touched, data)
    problems: list[Problem] = []
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        errors: list[dict[str, Any]] = [dict(e) for e in exc.errors(include_url=False)]
        problems += [locate(*_explain(err, data)) for err in errors if not _echo(err, errors)]
        raise ScenarioError(problems) from None
    problems += [locate(path, message) for path, message in check(scenario)]
    too_big = None if problems else size_problem(scenario, max_size)
    if too_big:  # where a shorter run or a longer tick would be written
        problems.append(locate(("tick",) if "tick" in data else ("duration",), too_big))
    if problems:
        raise ScenarioError(problems)
    warnings = sorted({replace(locate(path, msg), warning=True) for path, msg in lint(scenario)})
    return scenario, warnings


def _check_version(data: Any, positions: Positions, name: str) -> None:
    if not isinstance(data, dict):
        message = "the top level must be a mapping of keys (acsasim: 1, name: ..., start: ...)"
        raise ScenarioError([Problem(name, 1, 1, message)])
    if "acsasim" not in data:
        message = "missing 'acsasim: 1' (the format version) at the top of the file"
        raise ScenarioError([Problem(name, 1, 1, message)])
    version = data["acsasim"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        line, col = positions.locate(("acsasim",))
        message = f"unknown format version {version!r}; this acsasim reads version {FORMAT_VERSION}"
        raise ScenarioError([Problem(name, line, col, message)])


def _apply_overrides(
    data: dict[str, Any], texts: Iterable[str]
) -> tuple[dict[str, Any], dict[Path_, Override]]:
    texts = list(texts)
    if not texts:
        return data, {}
    data = copy.deepcopy(data)  # the caller's data stays as the file gave it
    touched: dict[Path_, Override] = {}
    problems: list[Problem] = []
    for text in texts:
        try:
            override = parse_override(text)
            touched[apply(data, override, Scenario)] = override
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(problems)
    return data, touched


class _Locator:
    """Turns a data path and message into a Problem at a file position or an override."""

    def __init__(
        self, name: str, positions: Positions, touched: dict[Path_, Override], data: Any
    ) -> None:
        self.name, self.positions, self.touched, self.data = name, positions, touched, data

    def __call__(self, path: Path_, message: str, at_key: bool = False) -> Problem:
        path = _as_written(path, self.data)
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.touched:
                return Problem(self.touched[path[:cut]].label, 0, 0, message)
        # Under a key the file lacks, that an override added on its way to the key it set
        # (`holders.X.transport.load.diesel=5` adds `transport`): the override's problem.
        known = next(c for c in range(len(path), -1, -1) if path[:c] in self.positions.values)
        for touched, override in self.touched.items():
            if known < len(path) and touched[: known + 1] == path[: known + 1]:
                return Problem(override.label, 0, 0, message)
        line, col = self.positions.locate(path, key=at_key)
        return Problem(self.name, line, col, message)


def _as_written(path: Path_, data: Any) -> Path_:
    """A model path (from the cross-checks) as the data writes it: an event's `destroy_stock`
    may be one mapping, which the model keeps as item 0 of a list."""
    written: list[str | int] = []
    node = data
    for part in path:
        if part == 0 and isinstance(node, dict):
            continue
        written.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(written)


def _echo(err: dict[str, Any], errors: list[dict[str, Any]]) -> bool:
    """Whether `err` only repeats others: pydantic drops the items that failed from a list,
    then also calls the list too short (`holders` with one bad holder)."""
    loc = err["loc"]
    if err["type"] != "too_short":
        return False
    return any(len(o["loc"]) > len(loc) and o["loc"][: len(loc)] == loc for o in errors)


def _explain(err: dict[str, Any], data: Any) -> tuple[Path_, str, bool]:
    """A pydantic error -> (data path, plain message, whether to point at the key)."""
    path, at_key = _data_path(err["loc"], data)
    kind, ctx, value = err["type"], err.get("ctx", {}), err.get("input")
    if kind == "extra_forbidden":
        key = err["loc"][-1]
        valid = model_keys(type_at(Scenario, err["loc"][:-1]))
        return path, f"unknown key '{key}'{did_you_mean(key, valid)}", True
    if kind == "missing":
        return path, f"missing required key '{err['loc'][-1]}'", False
    if kind in ("literal_error", "enum"):
        options = [o.strip(" '") for o in ctx.get("expected", "").replace(" or ", ",").split(",")]
        shown = ", ".join(o for o in options if o)
        return path, f"{value!r} is not one of: {shown}{did_you_mean(value, options)}", at_key
    bounds = {
        "greater_than_equal": "at least",
        "greater_than": "above",
        "less_than_equal": "at most",
    }
    if kind in bounds:
        limit = next(iter(ctx.values()))
        shown = f"{limit:g}" if isinstance(limit, float) and abs(limit) >= 1e6 else limit
        return path, f"must be {bounds[kind]} {shown}, got {value!r}", at_key
    message = err["msg"].removeprefix("Value error, ")
    if kind in (
        "float_type",
        "float_parsing",
        "int_type",
        "int_parsing",
        "string_type",
        "bool_type",
        "bool_parsing",
    ):
        message = f"{message}, got {value!r}"
    return path, message, at_key


def _data_path(loc: tuple[Any, ...], data: Any) -> tuple[Path_, bool]:
    """Follow a pydantic location through the data, skipping union tags and function names."""
    path: list[str | int] = []
    node, at_key = data, False
    for i, part in enumerate(loc):
        # A union tag may also be a key of the data (an event's tag 'event' and its name
        # `event: typhoon`): a key whose value is a single value ends the path, a tag does not.
        inner = i < len(loc) - 1
        if part == "[key]":
            at_key = True
        elif (
            isinstance(node, dict)
            and part in node
            and inner
            and not isinstance(node[part], dict | list)
        ):
            continue
        elif (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == loc[-1]:
            path.append(part)  # a key that is missing: its parent is located instead
    return tuple(path), at_key
