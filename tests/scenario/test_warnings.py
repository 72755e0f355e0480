"""Warnings: what a valid scenario says that is probably not what its author meant.

Each file of the suspicious corpus declares its warnings with `# expect:` lines, as a bad file
declares its problems; it must load (no error) and warn exactly so. The shipped examples and
the valid corpus must warn of nothing: a user's first `validate` is clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_files import EXAMPLES, MINIMAL, SUSPICIOUS, VALID, expectations, unmatched

from acsasim.scenario import ScenarioError, load_scenario, load_text, load_with_warnings
from acsasim.scenario.lint import activities_of, planned_use


def test_the_corpus_covers_every_kind_of_warning() -> None:
    fragments = " ".join(f for path in SUSPICIOUS for _, _, f in expectations(path))
    for kind in (
        "no phase gives a unit",  # an agreement no request can use (activity)
        "nothing can be provided under it",  # ... no commodity
        "a ceiling of 0",
        "no party prices",  # a commodity no one prices
        "reorder level",  # a unit whose stock never reaches its reorder level
        "ends after the run",  # a supply line slower than the run
        "no holder names",  # a supply line that supplies no one
        "a supply line of PH",  # a unit on another party's national line
        "has no profile",  # a phase that gives a unit nothing to consume
        "not a unit counted in whole items",  # a misspelt counted unit: fractional rounds
    ):
        assert kind in fragments, kind


@pytest.mark.parametrize("path", SUSPICIOUS, ids=lambda p: p.stem)
def test_suspicious_file_warns_exactly_its_warnings(path: Path) -> None:
    scenario, warnings = load_with_warnings(path)
    assert scenario == load_scenario(path), "warnings never change what is loaded"
    missing, unexpected = unmatched(path, warnings)
    assert missing == [], f"expected warnings not given; got {[str(w) for w in warnings]}"
    assert unexpected == [], f"unexpected warnings: {unexpected}"
    for w in warnings:
        assert w.warning and str(w) == f"{path}:{w.line}:{w.col}: warning: {w.message}"


@pytest.mark.parametrize("path", EXAMPLES + VALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_examples_and_valid_files_warn_of_nothing(path: Path) -> None:
    assert load_with_warnings(path)[1] == []


def test_a_file_with_errors_reports_errors_only() -> None:
    path = SUSPICIOUS[0]
    with pytest.raises(ScenarioError) as caught:
        load_with_warnings(path, ["duration=0d"])
    assert caught.value.problems and not any(p.warning for p in caught.value.problems)


def test_a_warning_from_an_override_names_the_override() -> None:
    _, warnings = load_with_warnings(MINIMAL, ["supply_lines=[{id: l, party: JP, "
                                               "deliver_to: camp, commodities: [diesel], "
                                               "lead_time: 1d}]"])  # fmt: skip
    assert [str(w) for w in warnings] == [
        "--set supply_lines=[{id: l, party: JP, deliver_to: camp, commodities: [diesel], "
        "lead_time: 1d}]: warning: no holder names 'l' in supplied_by: it never delivers"
    ]


ROUTINE_ONLY = """\
acsasim: 1
name: routine
start: 2026-05-25
duration: 10d
parties: {JP: {currency: USD}, PH: {currency: USD}}
commodities: {diesel: {unit: L, category: fuel}}
prices: {PH: {diesel: 1.2}}
sites: {camp: {party: PH}}
agreements: [{id: A, parties: [JP, PH], activities: [routine]}]
holders:
  - {id: coy, party: JP, site: camp, stock: {diesel: {initial: 100, reorder: 90}},
     consumption: {garrison: {diesel: 10}}}
  - {id: pol, party: PH, kind: depot, site: camp, stock: {diesel: {initial: 900}}}
timeline:
  - {from: 2d, to: 5d, holders: all, profile: garrison, activity: exercise}
"""


def test_routine_counts_where_no_phase_is_active() -> None:
    """Outside its one phase the unit is `routine`, which this agreement covers: no warning;
    over the whole run it is never routine, and then the agreement can never be used."""
    s = load_text(ROUTINE_ONLY)
    assert activities_of(s, s.holder("coy")) == {"exercise", "routine"}
    assert load_with_warnings_text(ROUTINE_ONLY) == []
    always = ROUTINE_ONLY.replace("from: 2d, to: 5d", "from: 0d")
    assert activities_of(load_text(always), s.holder("coy")) == {"exercise"}
    assert any("no phase gives a unit" in w for w in load_with_warnings_text(always))


def test_planned_use_sums_phases_by_factor_and_overlap() -> None:
    """10 L/day over days 2-5 (3 days) = 30 L; a second phase x2 over days 4-10 adds 120 L."""
    text = ROUTINE_ONLY.replace(
        "timeline:\n",
        "timeline:\n  - {from: 4d, holders: [coy], profile: garrison, demand_factor: 2}\n",
    )
    s = load_text(text)
    assert planned_use(s, s.holder("coy")) == pytest.approx({"diesel": 30 + 120})


def load_with_warnings_text(text: str) -> list[str]:
    """The warnings of a scenario held in memory, as the CLI prints them."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.yaml"
        path.write_text(text, encoding="utf-8")
        return [w.message for w in load_with_warnings(path)[1]]
