"""The size of a run, estimated before it runs: refused above the limit, with the estimate,
the place in the file and the option that raises the limit; nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acsasim.cli import app
from acsasim.scenario import ScenarioError, load_text
from acsasim.scenario.size import DEFAULT_MAX_SIZE, estimate

CENTURY = """\
acsasim: 1
name: century
start: 2026-01-01
duration: 36500d
tick: 1s
parties: {JP: {currency: USD}}
commodities: {diesel: {unit: L, category: fuel}, water: {unit: L, category: water}}
sites: {base: {party: JP}}
holders:
  - {id: coy, party: JP, site: base, stock: {diesel: {initial: 10}, water: {initial: 5}}}
"""


def test_the_estimate_is_holders_times_commodities_times_ticks() -> None:
    e = estimate(load_text(CENTURY.replace("36500d", "1d").replace("1s", "1h")))
    assert (e.holders, e.commodities, e.ticks, e.size) == (1, 2, 24, 48)
    assert e.rows == 2 * 2 * 1  # a stock and a consumption row per holder, commodity and day


def test_a_century_at_one_second_is_refused_at_the_tick_with_the_option() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_text(CENTURY, "century.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.col) == (5, 7)  # tick: 1s
    assert "1 holders x 2 commodities x 3,153,600,000 ticks = 6,307,200,000" in problem.message
    assert f"above the limit of {DEFAULT_MAX_SIZE:,}" in problem.message
    assert "--max-size 6307200000" in problem.message
    load_text(CENTURY, max_size=6_307_200_000)  # the limit raised: accepted


def test_run_refuses_it_before_anything_is_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("century.yaml").write_text(CENTURY, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", "century.yaml"])
    assert result.exit_code == 2
    assert re.search(r"^century\.yaml:5:7: this run steps", result.stderr, re.MULTILINE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["century.yaml"]
    ok = CliRunner().invoke(app, ["validate", "century.yaml", "--max-size", "7e9"])
    assert ok.exit_code == 0, ok.output
