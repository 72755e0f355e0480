"""What `acsasim run` prints: the KPI table with units and signs, `--json` for scripts, and the
scenario's warnings on stderr; and the one table of KPI labels everything shares."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from acsasim.cli import app
from acsasim.output.kpi_labels import describe, flatten
from acsasim.scenario import load_text
from test_cli_run import SCENARIO

runner = CliRunner()


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("run-output") / "drill.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["run", *map(str, args), "--no-report"])
    return result.exit_code, result.stdout, result.stderr


def test_the_kpi_table_gives_units_and_which_way_a_balance_points(
    scenario_file: Path, tmp_path: Path
) -> None:
    code, out, err = _run(scenario_file, "--out", tmp_path / "run")
    assert code == 0, out + err
    folder, head, *rows = out.splitlines()
    assert folder == str(tmp_path / "run")
    assert head.split() == ["KPI", "value", "unit"]
    kpis = json.loads((tmp_path / "run" / "summary.json").read_text())
    by_label = {r.split("  ")[0].strip(): r for r in rows}
    assert by_label["ACSA orders"].split()[-2:] == [str(kpis["orders"]), "orders"]
    (balance,) = [r for r in rows if r.startswith("net balance JP-PH at the end")]
    assert re.search(r" USD +\+: PH owes JP, -: JP owes PH$", balance), balance
    assert f"{kpis['outstanding_end']['JP-PH']:,.2f}" in balance
    diesel = by_label["fill rate, diesel"].split()
    assert diesel[-2:] == [f"{kpis['fill_rate']['diesel'] * 100:,.1f}", "%"]
    assert by_label["tax waived by the agreements"].endswith(" USD")
    for row in rows:
        assert "_" not in row.split("  ")[0].replace("ammo_556", ""), f"a raw key: {row}"


def test_json_prints_the_folder_and_the_kpis_and_nothing_else(
    scenario_file: Path, tmp_path: Path
) -> None:
    code, out, err = _run(scenario_file, "--out", tmp_path / "run", "--json")
    assert code == 0, out + err
    answer = json.loads(out)  # the whole of stdout is one JSON document
    assert answer["folder"] == str(tmp_path / "run")
    assert answer["seed"] == 4242
    assert answer["kpis"] == json.loads((tmp_path / "run" / "summary.json").read_text())
    assert answer["warnings"] == []


def test_warnings_go_to_stderr_and_the_run_goes_ahead(scenario_file: Path, tmp_path: Path) -> None:
    zero = "agreements.JP-PH-ACSA.ceilings.value=0"
    code, out, err = _run(scenario_file, "--out", tmp_path / "run", "--set", zero, "--json")
    assert code == 0
    assert err.splitlines() == [
        f"--set {zero}: warning: a ceiling of 0 lets no order through (R14)"
    ]
    answer = json.loads(out)
    assert answer["kpis"]["orders"] == 0
    assert [w["message"] for w in answer["warnings"]] == [
        "a ceiling of 0 lets no order through (R14)"
    ]


def test_every_kpi_of_a_run_has_a_label_a_unit_and_a_bound_or_a_sign() -> None:
    from acsasim.sim import simulate

    scenario = load_text(SCENARIO)
    units = {c: m.unit for c, m in scenario.commodities.items()}
    for column in flatten(simulate(scenario).kpis):
        info = describe(column, "USD", units)
        top = column.split(".")[0]
        assert "_" not in top or top not in info.label, (column, info.label)  # no raw key
        assert "->" not in info.label, (column, info.label)
        assert "." not in column or column not in info.label, (column, info.label)
        assert info.unit, column
        assert info.lower == 0 or info.sign, column


@pytest.mark.parametrize(
    ("column", "label", "unit", "lower", "upper"),
    [
        ("orders", "ACSA orders", "orders", 0, None),
        ("unmet_demand.diesel", "unmet demand, diesel", "L", 0, None),
        ("fill_rate.water", "fill rate, water", "%", 0, 1),
        ("value_provided.PH->JP", "value provided PH → JP", "USD", 0, None),
        ("outstanding_end.JP-PH", "net balance JP-PH at the end", "USD", None, None),
        ("overdue_end.PH->JP", "overdue at the end, PH owes JP", "USD", 0, None),
        ("aging_end.PH->JP.31-90", "unsettled at the end, PH owes JP, 31-90 days overdue", "USD",
         0, None),
        ("ceiling_use.JP-PH-ACSA.PH.2026-01-15.supplies_value",
         "supplies ceiling used, JP-PH-ACSA, PH providing, year from 2026-01-15", "%", 0, None),
        ("days_to_settle.replacement_in_kind", "mean days to settle, replacement in kind", "days",
         0, None),
        ("unbilled_30d.PH->JP", "unbilled 30d PH → JP", "", None, None),  # not known yet
    ],
)  # fmt: skip
def test_labels(column: str, label: str, unit: str, lower: float, upper: float) -> None:
    info = describe(column, "USD", {"diesel": "L", "water": "L"})
    assert (info.label, info.unit, info.lower, info.upper) == (label, unit, lower, upper)
