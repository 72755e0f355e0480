"""Commands on scenario files: validate, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import BAD_INPUT, JsonOption, MaxSize, SetOption, command, print_json
from acsasim.scenario import Problem, ScenarioError, load_with_warnings


@command(
    "acsasim validate scenarios/jp-ph-joint-drill.yaml",
    "acsasim validate scenarios/*.yaml --strict   # warnings fail too (exit 2)",
    "acsasim validate drill.yaml --set policy.acsa=first --json",
)
def validate(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Scenario files to check.")
    ],
    overrides: SetOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 2) on warnings too, not only on errors.")
    ] = False,
    as_json: JsonOption = False,
    max_size: MaxSize = None,
) -> None:
    """Check scenario files: exit 0, or 2 with one line per problem (FILE:LINE:COL: message).

    It also warns of what is legal but probably not meant (FILE:LINE:COL: warning: message): an
    agreement no request can use, a commodity no one prices, a unit that never reaches its
    reorder level, a supply line slower than the run. Warnings leave the exit code at 0 unless
    --strict is given. A run too big to start (see --max-size) is one of the problems.
    """
    results = []
    for path in files:
        try:
            _, found = load_with_warnings(path, overrides or (), max_size=max_size)
        except ScenarioError as exc:
            found = exc.problems
        results.append((path, found))
    failed = any(not p.warning or strict for _, found in results for p in found)
    if as_json:
        print_json({"ok": not failed, "files": [_file_json(p, f) for p, f in results]})
    else:
        for path, found in results:
            for problem in found:
                typer.echo(str(problem))
            if not any(not p.warning for p in found):
                typer.echo(f"{path}: {_verdict(sum(p.warning for p in found), strict)}")
    if failed:
        raise typer.Exit(BAD_INPUT)


def _verdict(warned: int, strict: bool) -> str:
    """The last line for a file without errors."""
    if not warned:
        return "ok"
    counted = f"{warned} warning{'s' if warned > 1 else ''}"
    return f"{counted}, refused under --strict" if strict else f"ok, with {counted}"


def _file_json(path: Path, found: list[Problem]) -> dict[str, object]:
    from acsasim.scenario.errors import verdict

    return {"file": str(path), **verdict(found)}


@command("acsasim schema > acsasim-scenario.schema.json   # for an editor's YAML plugin")
def schema() -> None:
    """Print the JSON Schema of the scenario format, for editors."""
    from acsasim.scenario.schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))
