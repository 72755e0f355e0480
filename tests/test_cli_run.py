"""`acsasim run`: the run folder contract of docs/outputs.md, through the CLI.

Most tests go through `typer.testing.CliRunner` on `acsasim.cli.app`; one runs the real
command in a subprocess (`python -m acsasim run ...`). All pass `--no-report`: the charts and
report.html (outputs.md) are slow to draw and tested elsewhere; the run folder is then exactly
the data files.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from acsasim import __version__
from acsasim.cli import app
from acsasim.scenario import load_scenario

# A JP company and a PH battalion near a PH fuel depot; JP's own line is slow, so the company
# draws on the depot (orders), and asks in vain for water and rations (refusals).
SCENARIO = """\
acsasim: 1
name: cli-drill
description: A week on Luzon.
start: 2026-05-25
duration: 7d
seed: 4242
tick: 6h
reporting_currency: USD
currencies: {USD: 1, JPY: 155, PHP: 58}
policy: {acsa: when_national_late}
parties:
  JP:
    currency: JPY
    tax: {vat: 0.10, excise: {diesel: 32.1}}
  PH:
    currency: PHP
    tax: {vat: 0.12, excise: {diesel: 6.0}}
commodities:
  diesel: {unit: L,    category: fuel}
  ration: {unit: meal, category: food}
  water:  {unit: L,    category: water}
  rifle:  {unit: each, category: weapons}
prices:
  JP: {diesel: 130, ration: 900, water: 0.4}
  PH: {diesel: 60, ration: 180, water: 0.2}
sites:
  subic: {party: PH}
  clark: {party: PH}
  fort:  {party: PH}
routes:
  - {between: [subic, clark], time: 3h}
  - {between: [clark, fort], time: {triangular: [1.5h, 2h, 4h]}}
agreements:
  - id: JP-PH-ACSA
    parties: [JP, PH]
    in_force: 2026-01-15
    activities: [exercise, disaster_relief]
    categories: [fuel, food, water]
    excluded: [rifle]
    settlement:
      methods: [replacement_in_kind, cash]
      deadline: 90d
    ceilings: {value: 60000000, supplies_value: 20000000}
supply_lines:
  - id: jp-sealift
    party: JP
    deliver_to: subic
    commodities: [diesel, ration, water]
    every: 7d
    first_departure: 2d
    lead_time: {triangular: [4d, 6d, 10d]}
holders:
  - id: jgsdf-coy
    party: JP
    site: fort
    supplied_by: jp-sealift
    stock:
      diesel: {initial: 4000, capacity: 12000, reorder: 4000, reserve: 1500}
      ration: {initial: 1000, capacity: 2700, reorder: 900, reserve: 450}
      water:  {initial: 5000, capacity: 9000, reorder: 3000, reserve: 1000}
      rifle:  {initial: 150, capacity: 150}
    consumption:
      garrison: {diesel: 900, ration: 450, water: 2500}
    variability: 0.2
  - id: ph-inf-bn
    party: PH
    site: clark
    stock:
      diesel: {initial: 9000, capacity: 15000, reorder: 5000, reserve: 2000}
    consumption:
      garrison: {diesel: 400}
    variability: 0.3
  - id: ph-subic-pol
    party: PH
    kind: depot
    site: subic
    stock:
      diesel: {initial: 500000, capacity: 800000, reserve: 100000}
    transport: {vehicles: 2, load: {diesel: 20000}}
timeline:
  - {from: 0d, holders: all, profile: garrison, activity: exercise}
  - at: 3d
    event: storm
    close_routes: {routes: [[clark, fort]], for: 12h}
"""

RUN_FILES = {
    "scenario.yaml",
    "manifest.json",
    "summary.json",
    "ledger.sqlite",
    "orders.csv",
    "postings.csv",
    "flows.csv",
    "refusals.csv",
    "stock.csv",
    "purchases.csv",
}
# outputs.md (orders, postings, flows, stock); refusals as src/acsasim/output/tables.py has it.
HEADERS = {
    "orders": "order_id, agreement, provider_party, provider, receiver_party, receiver, "
    "commodity, quantity, unit, activity, requested_at, delivered_at, currency, value, "
    "value_reporting, tax_waived_reporting, method, due_at, status, settled_at, "
    "settled_quantity, settled_value, settle_with, settles, priced_at, price_basis, charges, "
    "billed_quantity",
    "postings": "txn_id, time, kind, order_id, account, amount, currency",
    "flows": "time, holder, party, commodity, kind, quantity, unmet, order_id",
    "refusals": "time, agreement, requester, requester_party, provider, provider_party, "
    "commodity, quantity_requested, quantity_refused, reason",
    "stock": "date, holder, party, commodity, on_hand_end, on_hand_min",
    "purchases": "time, line, party, holder, commodity, quantity, unit, currency, value, "
    "value_reporting, tax_paid_reporting",
}
KPIS = {
    "orders",
    "orders_by_method",
    "refusals_by_reason",
    "value_provided",
    "tax_waived",
    "outstanding_end",
    "overdue_end",
    "max_outstanding",
    "unmet_demand",
    "fill_rate",
    "stockout_hours",
    "acsa_lead_time_hours",
    "ceiling_use",
    "national_transfers",
    "purchases_value",
    "tax_paid",
}
FLOW_KINDS = {
    "initial",
    "consume",
    "national_receipt",
    "acsa_issue",
    "acsa_receipt",
    "return_out",
    "return_in",
    "loss",
    "transfer_out",
    "transfer_in",
}
TXN_KINDS = {"issue", "return_in_kind", "equal_value", "counter_delivery", "invoice", "payment",
             "conversion", "offset"}  # fmt: skip
ORDER_STATUSES = {"in_transit", "unpriced", "open", "settled", "overdue", "converted", "offset"}

runner = CliRunner()


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli-drill.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def _run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["run", *(str(a) for a in args), "--no-report"])
    # Bad input ends in a clean exit, never in an exception escaping the command.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def run_folder(tmp_path: Path, scenario_file: Path) -> Path:
    out = tmp_path / "run"
    code, output = _run(scenario_file, "--out", out)
    assert code == 0, output
    assert output.splitlines()[0] == str(out)
    return out


# --- the run folder ------------------------------------------------------------------------


def test_run_folder_holds_exactly_the_listed_files(run_folder: Path) -> None:
    assert {p.name for p in run_folder.iterdir()} == RUN_FILES
    assert not any(p.name.startswith(".") for p in run_folder.parent.iterdir()), "temp folder left"


def test_csv_headers_match_outputs_md(run_folder: Path) -> None:
    for name, header in HEADERS.items():
        assert _header(run_folder / f"{name}.csv") == header.split(", "), name


def test_the_run_has_orders_and_refusals(run_folder: Path) -> None:
    """The scenario exercises what the other tests check (not vacuous)."""
    orders = _rows(run_folder / "orders.csv")
    refusals = _rows(run_folder / "refusals.csv")
    assert orders and refusals
    assert {o["status"] for o in orders} <= ORDER_STATUSES
    assert {o["commodity"] for o in orders} == {"diesel"}
    assert {r["reason"] for r in refusals} <= {
        "not_in_force", "category_not_covered", "excluded", "prohibited", "activity_not_covered",
        "no_price", "ceiling", "no_surplus", "no_route",
    }  # fmt: skip


def test_sqlite_has_one_table_per_csv_with_the_same_rows(run_folder: Path) -> None:
    con = sqlite3.connect(run_folder / "ledger.sqlite")
    try:
        names = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert names == set(HEADERS)
        for name in HEADERS:
            rows = _rows(run_folder / f"{name}.csv")
            (count,) = con.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()
            assert count == len(rows), name
            columns = [d[0] for d in con.execute(f'SELECT * FROM "{name}" LIMIT 0').description]
            assert columns == _header(run_folder / f"{name}.csv"), name
    finally:
        con.close()


def test_summary_has_every_kpi(run_folder: Path) -> None:
    summary = json.loads((run_folder / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) >= KPIS, KPIS - set(summary)
    assert summary["orders"] == len(_rows(run_folder / "orders.csv"))
    refusals = _rows(run_folder / "refusals.csv")
    assert sum(summary["refusals_by_reason"].values()) == len(refusals)


def test_postings_are_exact_and_balance_per_transaction(run_folder: Path) -> None:
    rows = _rows(run_folder / "postings.csv")
    assert rows
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        amount = Decimal(row["amount"])  # exact decimal text, not a float repr
        assert amount.is_finite()
        assert row["kind"] in TXN_KINDS
        assert row["account"].split(":")[0] in ("Assets", "Liabilities", "Income", "Expenses")
        sums[(row["txn_id"], row["currency"])] += amount
    assert all(total == 0 for total in sums.values()), {k: v for k, v in sums.items() if v}


def test_flows_never_run_below_zero(run_folder: Path) -> None:
    running: dict[tuple[str, str], float] = defaultdict(float)
    for row in _rows(run_folder / "flows.csv"):
        assert row["kind"] in FLOW_KINDS
        key = (row["holder"], row["commodity"])
        running[key] += float(row["quantity"])
        assert running[key] >= -1e-6, f"{key} dips to {running[key]} at {row['time']}"
        assert float(row["unmet"]) >= 0
        assert float(row["unmet"]) == 0 or row["kind"] == "consume"
    # The last stock row of each holder and commodity is where the flows end.
    final = {
        (r["holder"], r["commodity"]): float(r["on_hand_end"])
        for r in _rows(run_folder / "stock.csv")
    }
    for key, total in running.items():
        assert total == pytest.approx(final[key], abs=1e-6), key


def test_stock_has_one_row_per_holder_commodity_and_day(run_folder: Path) -> None:
    rows = _rows(run_folder / "stock.csv")
    stocks = {
        "jgsdf-coy": {"diesel", "ration", "water", "rifle"},
        "ph-inf-bn": {"diesel"},
        "ph-subic-pol": {"diesel"},
    }
    days = [(date(2026, 5, 25) + timedelta(days=i)).isoformat() for i in range(7)]
    expected = {(d, h, c) for h, cs in stocks.items() for c in cs for d in days}
    keys = [(r["date"], r["holder"], r["commodity"]) for r in rows]
    assert len(keys) == len(set(keys)), "duplicate stock rows"
    assert set(keys) == expected
    for r in rows:
        assert float(r["on_hand_min"]) <= float(r["on_hand_end"]) + 1e-9
        assert float(r["on_hand_min"]) >= -1e-6


def test_scenario_yaml_reloads_to_the_resolved_scenario(
    run_folder: Path, scenario_file: Path
) -> None:
    again = load_scenario(run_folder / "scenario.yaml")
    assert again == load_scenario(scenario_file)
    data = yaml.safe_load((run_folder / "scenario.yaml").read_text(encoding="utf-8"))
    assert data["seed"] == 4242


def test_scenario_yaml_has_the_seed_filled_in(tmp_path: Path) -> None:
    """A file without a seed, run with --seed: the run's scenario.yaml names that seed."""
    path = tmp_path / "unseeded.yaml"
    path.write_text(SCENARIO.replace("seed: 4242\n", ""), encoding="utf-8")
    out = tmp_path / "run"
    code, output = _run(path, "--seed", "31", "--out", out)
    assert code == 0, output
    data = yaml.safe_load((out / "scenario.yaml").read_text(encoding="utf-8"))
    assert data["seed"] == 31
    again = load_scenario(out / "scenario.yaml")
    assert again == load_scenario(path).model_copy(update={"seed": 31})


def test_manifest_names_version_seed_and_scenario_hash(run_folder: Path) -> None:
    manifest = json.loads((run_folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["acsasim"] == __version__
    assert manifest["seed"] == 4242
    digest = hashlib.sha256((run_folder / "scenario.yaml").read_bytes()).hexdigest()
    assert manifest["scenario_sha256"] == digest
    for key in ("python", "packages", "command", "wall_seconds"):
        assert key in manifest, key


# --- options -------------------------------------------------------------------------------


def test_seed_option_changes_the_manifest_seed(tmp_path: Path, scenario_file: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert _run(scenario_file, "--seed", "1", "--out", a)[0] == 0
    assert _run(scenario_file, "--seed", "2", "--out", b)[0] == 0
    seeds = [json.loads((f / "manifest.json").read_text())["seed"] for f in (a, b)]
    assert seeds == [1, 2]
    assert yaml.safe_load((a / "scenario.yaml").read_text())["seed"] == 1
    assert (a / "flows.csv").read_bytes() != (b / "flows.csv").read_bytes()


def test_set_option_applies(tmp_path: Path, scenario_file: Path) -> None:
    out = tmp_path / "run"
    code, output = _run(
        scenario_file,
        "--set", "holders.jgsdf-coy.stock.diesel.initial=9000",
        "--set", "duration=5d",
        "--out", out,
    )  # fmt: skip
    assert code == 0, output
    resolved = load_scenario(out / "scenario.yaml")
    assert resolved.holder("jgsdf-coy").stock["diesel"].initial == 9000
    assert resolved.duration == 5 * 24
    initial = [
        r for r in _rows(out / "flows.csv")
        if r["kind"] == "initial" and r["holder"] == "jgsdf-coy" and r["commodity"] == "diesel"
    ]  # fmt: skip
    assert [float(r["quantity"]) for r in initial] == [9000.0]
    assert {r["date"] for r in _rows(out / "stock.csv")} == {
        (date(2026, 5, 25) + timedelta(days=i)).isoformat() for i in range(5)
    }


def test_no_acsa_gives_no_orders(tmp_path: Path, scenario_file: Path) -> None:
    out = tmp_path / "run"
    code, output = _run(scenario_file, "--no-acsa", "--out", out)
    assert code == 0, output
    assert _rows(out / "orders.csv") == []
    assert _rows(out / "postings.csv") == []
    assert yaml.safe_load((out / "scenario.yaml").read_text())["policy"]["acsa"] == "never"
    assert json.loads((out / "summary.json").read_text())["orders"] == 0


def test_default_folder_is_under_reports_name(
    tmp_path: Path, scenario_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = _run(scenario_file, "--seed", "8")
    assert code == 0, output
    printed = Path(output.splitlines()[0])
    assert printed.parent == Path("reports") / "cli-drill"
    assert re.fullmatch(r"\d{8}-\d{6}-s8(-\d+)?", printed.name), printed.name
    folder = tmp_path / printed
    assert {p.name for p in folder.iterdir()} == RUN_FILES
    # A second run in the same second gets a folder of its own.
    code, output = _run(scenario_file, "--seed", "8")
    assert code == 0, output
    assert len(list((tmp_path / "reports" / "cli-drill").iterdir())) == 2


def test_out_may_be_an_existing_empty_folder(tmp_path: Path, scenario_file: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    code, output = _run(scenario_file, "--out", out)
    assert code == 0, output
    assert {p.name for p in out.iterdir()} == RUN_FILES


# --- refusals: nothing is written ----------------------------------------------------------


def test_out_existing_non_empty_folder_is_refused_untouched(
    tmp_path: Path, scenario_file: Path
) -> None:
    out = tmp_path / "taken"
    (out / "sub").mkdir(parents=True)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    (out / "sub" / "orders.csv").write_text("keep me\n", encoding="utf-8")
    before = _snapshot(out)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    code, output = _run(scenario_file, "--out", out)
    assert code == 2
    assert str(out) in output
    assert "not empty" in output
    assert "Traceback" not in output
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings  # no partial folder left


def _bad(text: str, old: str, new: str) -> tuple[str, int]:
    """`text` with `old` replaced by `new`, and the 1-based line of the change."""
    assert text.count(old) == 1, old
    at = text.index(old)
    return text.replace(old, new), text[:at].count("\n") + 1


BAD = {
    "unknown key": _bad(SCENARIO, "    variability: 0.3\n", "    variabilty: 0.3\n"),
    "reserve above reorder": _bad(
        SCENARIO,
        "initial: 1000, capacity: 2700, reorder: 900, reserve: 450",
        "initial: 1000, capacity: 2700, reorder: 900, reserve: 950",
    ),
    "unknown holder": _bad(SCENARIO, "holders: all, profile", "holders: [jgsdf-cy], profile"),
    "bare duration": _bad(SCENARIO, "duration: 7d", "duration: 7"),
    "yaml syntax": (SCENARIO + "extra: [1, 2\n", SCENARIO.count("\n") + 2),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scenario_exits_2_with_file_line_col_and_writes_nothing(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text, line = BAD[case]
    work = tmp_path / "work"
    work.mkdir()
    path = work / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(work)
    out = tmp_path / "run"
    for args in ((path, "--out", out), (path,)):
        code, output = _run(*args)
        assert code == 2, output
        assert "Traceback" not in output
        assert re.search(rf"^{re.escape(str(path))}:{line}:\d+: \S", output, re.MULTILINE), output
        assert not out.exists()
        assert sorted(p.name for p in work.iterdir()) == ["bad.yaml"], "something was written"


def test_bad_override_exits_2_and_writes_nothing(tmp_path: Path, scenario_file: Path) -> None:
    out = tmp_path / "run"
    code, output = _run(scenario_file, "--set", "holders.nope.stock.diesel.initial=1", "--out", out)
    assert code == 2
    assert "nope" in output and "Traceback" not in output
    assert not out.exists()


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, output = _run(tmp_path / "missing.yaml", "--out", tmp_path / "run")
    assert code == 2
    assert "missing.yaml" in output and "Traceback" not in output
    assert not (tmp_path / "run").exists()


# --- the real command ----------------------------------------------------------------------


def test_python_m_acsasim_run_in_a_subprocess(tmp_path: Path, scenario_file: Path) -> None:
    out = tmp_path / "run"
    args = ["run", str(scenario_file), "--seed", "77", "--out", str(out), "--no-report"]
    done = subprocess.run(
        [sys.executable, "-m", "acsasim", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(out)
    assert "orders" in done.stdout
    assert {p.name for p in out.iterdir()} == RUN_FILES
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seed"] == 77
    assert manifest["command"][1:] == args


def test_bad_scenario_in_a_subprocess_has_no_traceback(tmp_path: Path) -> None:
    text, line = BAD["unknown key"]
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "acsasim", "run", str(path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    located = rf"^{re.escape(str(path))}:{line}:\d+: "
    assert re.search(located, done.stderr, re.MULTILINE), done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]
