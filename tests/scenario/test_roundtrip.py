"""A loaded scenario dumps to YAML that loads to an equal Scenario (the run folder's
`scenario.yaml` must reproduce the run), for every valid file and every example."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from scenario_files import EXAMPLES, FULL, MINIMAL, VALID

from acsasim.scenario import dump_scenario, load_scenario, load_text

FILES = VALID + EXAMPLES


def test_there_are_files_to_round_trip() -> None:
    assert FULL in VALID and MINIMAL in VALID


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_load_dump_load_gives_an_equal_scenario(path: Path) -> None:
    scenario = load_scenario(path)
    text = dump_scenario(scenario)
    again = load_text(text, "dumped.yaml")
    assert again == scenario
    assert dump_scenario(again) == text  # and the dump is stable


def test_a_round_trip_keeps_overrides() -> None:
    overrides = ["seed=9", "holders.jgsdf-coy.stock.diesel.initial=9000", "timeline.0.to=5d"]
    scenario = load_scenario(FULL, overrides)
    assert load_text(dump_scenario(scenario)) == scenario


def test_the_dump_writes_defaults_out() -> None:
    data = yaml.safe_load(dump_scenario(load_scenario(MINIMAL)))
    assert data["tick"] == "6h" and data["handling"] == "1h"
    assert data["policy"] == {"acsa": "when_national_late", "cross_level": False}
    assert data["holders"][0]["kind"] == "unit"
    assert data["holders"][0]["variability"] == 0


def test_the_dump_writes_durations_with_units_and_forms_as_written() -> None:
    data = yaml.safe_load(dump_scenario(load_scenario(FULL)))
    assert data["duration"] == "3w"
    assert data["routes"][1]["time"] == {"triangular": ["90min", "2h", "4h"]}
    assert data["agreements"][0]["settlement"]["payment_terms"] == {
        "triangular": ["15d", "30d", "90d"]
    }
    assert data["timeline"][0]["holders"] == "all"
    assert data["timeline"][1]["holders"] == ["jgsdf-coy"]
    assert data["timeline"][4]["holders"] == {"party": "JP"}
    assert data["start"] == "2026-05-25"


def test_times_of_day_survive_a_round_trip() -> None:
    scenario = load_scenario(
        FULL,
        ["start=2026-05-25T06:30:15", "agreements.JP-PH-ACSA.in_force=2026-01-15T23:59"],
    )
    assert load_text(dump_scenario(scenario)) == scenario


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_the_dump_is_the_text_of_the_pure_python_emitter(path: Path) -> None:
    """scenario.yaml is written by libyaml's emitter where PyYAML has it, for speed: the same
    text the pure-Python emitter writes."""
    scenario = load_scenario(path)
    data = scenario.model_dump(mode="json", by_alias=True)
    python = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=100)
    assert dump_scenario(scenario) == python
