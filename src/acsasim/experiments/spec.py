"""What a study is: its command, scenario sources, grid, replications and seed; and its
grid points resolved to validated Scenarios.

The spec keeps the scenario files' *text*, not their paths: it is stored in the progress
store, so `--resume` rebuilds exactly the same scenarios even if a file was edited or
moved since. Every grid point is loaded and checked before anything runs, so a bad
`--vary` value at the last point is reported before the first replication starts.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from acsasim.scenario import Problem, Scenario, ScenarioError, load_scenario, load_text

NO_ACSA = "policy.acsa=never"


@dataclass(frozen=True)
class Source:
    """A scenario file as read (its name as given, its text) and the overrides applied."""

    name: str
    text: str
    overrides: tuple[str, ...] = ()

    @classmethod
    def read(cls, path: Path, overrides: Sequence[str] = ()) -> Source:
        # Reports a missing or broken file in the loader's words; the size of a run is checked
        # with the study's limit, at every grid point (points()).
        load_scenario(path, max_size=math.inf)
        return cls(str(path), path.read_bytes().decode("utf-8-sig"), tuple(overrides))


@dataclass(frozen=True)
class Spec:
    command: str  # replicate | sweep | compare
    sources: tuple[Source, ...]  # compare: (baseline, variant); otherwise one
    n: int
    seed: int  # base seed: replication i uses SeedSequence(seed).spawn(n)[i]
    vary: tuple[tuple[str, tuple[str, ...]], ...] = ()
    precision: float | None = None
    kpi: str | None = None
    max_n: int | None = None
    variant: str = ""  # compare: how the variant differs from the baseline, for the report
    max_size: float | None = None  # the most holder-commodity-ticks of one run (None: default)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Spec:
        data = dict(data)
        data["sources"] = tuple(
            Source(s["name"], s["text"], tuple(s["overrides"])) for s in data["sources"]
        )
        data["vary"] = tuple((p, tuple(vs)) for p, vs in data["vary"])
        return cls(**data)

    def describe(self) -> dict[str, Any]:
        """The spec without the file texts, for the manifest and the report."""
        data = self.to_json()
        data["sources"] = [{"file": s.name, "set": list(s.overrides)} for s in self.sources]
        return data


@dataclass(frozen=True)
class Point:
    key: dict[str, str]  # the key columns of replications.csv: {}, {point, PATH...}, {side}
    scenario: Scenario


def parse_vary(texts: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """['PATH=V1,V2', ...] -> ((PATH, (V1, V2)), ...); commas inside [] or {} stay in a value,
    so `--vary 'x={triangular: [1,2,3]},{triangular: [2,3,4]}'` has two values."""
    problems: list[Problem] = []
    out: list[tuple[str, tuple[str, ...]]] = []
    for text in texts:
        path, sep, raw = text.partition("=")
        path = path.strip()
        values = tuple(v.strip() for v in _split_top(raw))
        label = f"--vary {text}"
        if not sep or not path or not raw.strip():
            problems.append(Problem(label, 0, 0, "write PATH=V1,V2,..., e.g. duration=14d,21d"))
        elif any(not v for v in values):
            problems.append(Problem(label, 0, 0, "empty value in the list (two commas?)"))
        elif path == "seed":
            msg = "the seed is not a parameter: every point runs the same replication seeds"
            problems.append(Problem(label, 0, 0, msg))
        elif path in (p for p, _ in out):
            problems.append(Problem(label, 0, 0, f"'{path}' is varied twice"))
        else:
            out.append((path, values))
    if problems:
        raise ScenarioError(problems)
    return tuple(out)


def _split_top(raw: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(raw):
        depth += ch in "[{"
        depth -= ch in "]}"
        if ch == "," and depth == 0:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return parts


def grid(vary: Sequence[tuple[str, Sequence[str]]]) -> list[dict[str, str]]:
    """The full grid, first parameter slowest: [{PATH: V, ...}, ...]."""
    paths = [p for p, _ in vary]
    return [
        dict(zip(paths, combo, strict=True)) for combo in itertools.product(*(v for _, v in vary))
    ]


def points(spec: Spec) -> list[Point]:
    """Every grid point as a validated Scenario; all problems of all points raised together."""
    wanted: list[tuple[dict[str, str], Source, list[str], dict[str, str]]] = []
    if spec.command == "sweep":
        (source,) = spec.sources
        for i, params in enumerate(grid(spec.vary)):
            sets = [f"{p}={v}" for p, v in params.items()]
            labels = {f"--set {s}": f"--vary {s}" for s in sets}
            wanted.append(({"point": str(i), **params}, source, sets, labels))
    elif spec.command == "compare":
        for side, source in zip(("baseline", "variant"), spec.sources, strict=True):
            wanted.append(({"side": side}, source, [], {}))
    else:
        wanted.append(({}, spec.sources[0], [], {}))
    out: list[Point] = []
    problems: set[Problem] = set()
    for key, source, sets, labels in wanted:
        try:
            scenario = load_text(
                source.text, source.name, [*source.overrides, *sets], max_size=spec.max_size
            )
            out.append(Point(key, scenario))
        except ScenarioError as exc:
            problems.update(
                Problem(labels.get(p.source, p.source), p.line, p.col, p.message)
                for p in exc.problems
            )
    if problems:
        raise ScenarioError(problems)
    return out
