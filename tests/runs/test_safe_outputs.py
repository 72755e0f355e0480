"""Safe outputs: text a spreadsheet would run as a formula is neutralised in every CSV and
read back exactly; statement file names never collide; the export writes no number that
is not a finite amount within bounds."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acsasim.ledger.beancount import JournalError, to_beancount
from acsasim.ledger.entries import Posting, Transaction
from acsasim.output.books import load_books
from acsasim.output.csv_cells import TRIGGERS, csv_text, neutralise, read_rows, restore
from acsasim.runs.run_folder import write_run
from acsasim.runs.statements import statement_name
from acsasim.runs.verify import verify
from acsasim.scenario import load_scenario
from acsasim.sim import simulate
from run_folder_tools import TINY

ID = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True)


@settings(max_examples=300, derandomize=True, database=None)
@given(st.text())
def test_every_text_comes_back_exactly_and_is_never_a_formula(text: str) -> None:
    cell = neutralise(text)
    assert restore(cell) == text
    if cell.startswith(TRIGGERS):
        float(cell)  # only a number may start like a formula


@pytest.mark.parametrize("number", ["-12.50", "+3", "-0", "1e-05", "-1E+3", ".5"])
def test_numbers_are_left_as_they_are(number: str) -> None:
    assert neutralise(number) == number


def test_a_formula_in_a_scenario_reaches_no_csv_cell(tmp_path: Path) -> None:
    text = TINY.read_text(encoding="utf-8").replace("unit: L", "unit: '=HYPERLINK(1)'")
    assert "=HYPERLINK" in text
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    folder = write_run(simulate(load_scenario(tmp_path / "s.yaml")), tmp_path / "run", report=False)
    with (folder / "orders.csv").open(newline="", encoding="utf-8") as fh:
        units = {row["unit"] for row in csv.DictReader(fh)}
    assert units == {"'=HYPERLINK(1)"}  # shown as text by a spreadsheet
    con = sqlite3.connect(folder / "ledger.sqlite")
    assert {u for (u,) in con.execute("SELECT unit FROM orders")} == {"=HYPERLINK(1)"}
    con.close()
    assert {o.unit for o in load_books(folder).orders} == {"=HYPERLINK(1)"}  # read back exactly
    assert verify(folder) == []  # and the CSV still equals the table


def test_csv_text_round_trips_through_read_rows() -> None:
    rows = [["=1+1", "-5", "@x", "\tt", "'=q", None, 1.5]]
    back = read_rows(csv_text(["a", "b", "c", "d", "e", "f", "g"], rows))
    assert back[1] == ["=1+1", "-5", "@x", "\tt", "'=q", "", "1.5"]


@settings(max_examples=200, derandomize=True, database=None)
@given(ID, ID, ID, ID)
def test_statement_names_of_different_pairs_never_collide(a, b, c, d) -> None:
    when = datetime(2026, 6, 1)
    if (a, b) != (c, d):
        assert statement_name(a, b, when) != statement_name(c, d, when)


def test_the_pairs_that_used_to_collide() -> None:
    when = datetime(2026, 6, 1)
    assert statement_name("JP", "PH-X", when) == "statement-JP-PH--X-2026-06-01"
    assert statement_name("JP-PH", "X", when) == "statement-JP--PH-X-2026-06-01"


@pytest.mark.parametrize("amount", ["1E+400", "Infinity", "NaN", "1E+24"])
def test_the_export_refuses_an_amount_it_cannot_write_exactly(amount: str) -> None:
    value = Decimal(amount)
    legs = (Posting("Assets:JP:Cash", value, "USD"), Posting("Income:JP:Provided", -value, "USD"))
    txn = Transaction(txn_id=1, time=0.0, kind="payment", order_id=None, postings=legs)
    with pytest.raises(JournalError, match="not a finite number below 10\\^24"):
        to_beancount([txn], [], datetime(2026, 1, 1), {"USD": 1}, "USD")


def test_statement_o_writes_elsewhere_and_leaves_the_run_folder_alone(
    run_copy: Path, tmp_path: Path, cli
) -> None:
    before = sorted(p.name for p in run_copy.iterdir())
    manifest = (run_copy / "manifest.json").read_bytes()
    out = tmp_path / "jp-ph.csv"
    code, stdout, err = cli("statement", run_copy, "--parties", "JP,PH", "-o", out)
    assert code == 0, err
    assert f"wrote {out}" in stdout and out.read_text().startswith("section,")
    assert sorted(p.name for p in run_copy.iterdir()) == before
    assert (run_copy / "manifest.json").read_bytes() == manifest
    code, _, err = cli("statement", run_copy, "--parties", "JP,PH", "-o", out)
    assert code == 2 and "exists; choose another -o" in err


@pytest.mark.parametrize("name", ["../escape", "/etc", "a/b", ".hidden", "..", "a\\b"])
def test_no_scenario_name_leads_outside_the_reports_folder(name: str) -> None:
    """The folder is reports/<name>/...: a name is refused unless it is one plain segment."""
    from acsasim.scenario import ScenarioError, load_text

    text = TINY.read_text(encoding="utf-8").replace("name: tiny", f"name: '{name}'")
    with pytest.raises(ScenarioError, match=r"^s\.yaml:\d+:\d+: "):
        load_text(text, "s.yaml")
