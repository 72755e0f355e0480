"""The README's experiment examples do what the README says they do.

A sweep example must sweep a parameter that matters, on a scenario long enough for it to
matter; a `--precision` example must converge, after the number of replications the README
states. Both are read from README.md and run as written (the sweep with fewer replications),
so the README cannot drift from what the commands print.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acsasim.cli import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def commands(name: str) -> list[list[str]]:
    """Every `acsasim NAME ...` line of the README's sh blocks, continuation lines joined."""
    found = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line.split("#")[0])
            if words[:2] == ["acsasim", name]:
                found.append(words[2:])
    return found


def run(args: list[str], tmp_path: Path, *extra: str) -> dict[str, object]:
    out = tmp_path / "study"
    result = runner.invoke(app, [*args, *extra, "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _replace(args: list[str], flag: str, value: str) -> list[str]:
    i = args.index(flag)
    return [*args[: i + 1], value, *args[i + 2 :]]


def test_the_sweep_example_shows_the_effect_the_readme_describes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    (sweep,) = commands("sweep")
    assert sweep[0] == "scenarios/jp-ph-18-months.yaml", "a scenario long enough to matter"
    summary = run(["sweep", *_replace(sweep, "-n", "4")], tmp_path)
    overdue = {
        tuple(p["params"].values()): p["kpis"]["overdue_end.JP->PH"]["mean"]
        for p in summary["points"]  # type: ignore[union-attr]
    }
    early, late = overdue[("180d", "convert_to_cash")], overdue[("365d", "convert_to_cash")]
    kept = overdue[("365d", "stay_overdue")]
    assert late > early + 10_000, overdue  # a year's deadline leaves balances owed at the end
    assert kept > late, overdue  # and more if they stay overdue instead of converting


def test_the_precision_example_converges_when_the_readme_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    (example,) = [c for c in commands("replicate") if "--precision" in c]
    said = re.search(r"--kpi (\S+)` above stops after (\d+) replications", README)
    assert said is not None and said[1] == example[example.index("--kpi") + 1]
    summary = run(["replicate", *example], tmp_path)
    assert summary["stopping"]["rule"] == "precision"  # type: ignore[index]
    assert summary["n"] == int(said[2])
