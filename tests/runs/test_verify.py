"""`acsasim verify`: every promise of a run folder checked, one line per problem, exit 2.

Edits that keep the hashes true (the manifest resealed, the CSV and ledger.sqlite changed
alike) reach the checks behind them: the books balance (R15) and materiel is conserved."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

from acsasim.output.csv_cells import csv_text
from run_folder_tools import reseal

Row = dict[str, str]


def edit_table(folder: Path, table: str, change: Callable[[list[Row]], None]) -> None:
    """Change a table in its CSV and in ledger.sqlite alike, then reseal the manifest."""
    path = folder / f"{table}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    columns = list(rows[0])
    change(rows)
    path.write_text(csv_text(columns, [list(r.values()) for r in rows]), encoding="utf-8")
    con = sqlite3.connect(folder / "ledger.sqlite")
    with con:
        con.execute(f'DELETE FROM "{table}"')
        marks = ", ".join("?" * len(columns))
        con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', [list(r.values()) for r in rows])
    con.close()
    reseal(folder)


def test_a_whole_folder_verifies(run_copy: Path, cli) -> None:
    code, out, err = cli("verify", run_copy)
    assert (code, err) == (0, "")
    assert out.strip() == f"{run_copy}: verified (complete, unchanged, consistent, books balance)"


def test_every_problem_is_one_line_and_exit_2(run_copy: Path, cli) -> None:
    (run_copy / "notes.txt").write_text("mine")
    (run_copy / "refusals.csv").unlink()
    stock = run_copy / "stock.csv"
    stock.write_text(stock.read_text().replace("500.0", "501.0", 1))
    code, out, err = cli("verify", run_copy)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert f"{run_copy / 'notes.txt'}: not written by acsasim (not recorded in manifest.json)" in (
        lines
    )
    assert f"{run_copy / 'refusals.csv'}: missing (recorded in manifest.json)" in lines
    assert any(line.startswith(f"{stock}: changed since acsasim wrote it") for line in lines)
    assert any(line.startswith(f"{stock}: line ") for line in lines)  # differs from the table
    assert "Traceback" not in err


def test_an_unbalanced_transaction_is_found(run_copy: Path) -> None:
    from acsasim.runs.verify import verify

    def unbalance(rows: list[Row]) -> None:
        rows[0]["amount"] = "36000.01"

    edit_table(run_copy, "postings", unbalance)
    found = verify(run_copy)
    assert "transaction 1 does not balance in PHP: its postings sum to 0.01 (R15)" in found


def test_a_receivable_that_does_not_mirror_its_payable_is_found(run_copy: Path) -> None:
    from acsasim.runs.verify import verify

    def misfile(rows: list[Row]) -> None:  # still balanced, but booked to cash
        rows[0]["account"] = "Assets:PH:Cash"

    edit_table(run_copy, "postings", misfile)
    found = verify(run_copy)
    assert any("Liabilities:JP:Payable:PH" in p and "must mirror" in p for p in found), found


def test_materiel_that_dips_below_zero_or_ends_elsewhere_is_found(run_copy: Path) -> None:
    from acsasim.runs.verify import verify

    def overdraw(rows: list[Row]) -> None:
        rows[2]["quantity"] = "-1600.0"  # jp-coy burns more than it has

    edit_table(run_copy, "flows", overdraw)
    found = verify(run_copy)
    assert any("jp-coy's diesel falls to -600" in p for p in found), found
    assert any("jp-coy's diesel: flows sum to" in p and "stock.csv ends at" in p for p in found)


def test_a_scenario_that_is_not_the_one_run_is_found(run_copy: Path) -> None:
    from acsasim.runs.verify import verify

    path = run_copy / "scenario.yaml"
    path.write_text(path.read_text().replace("name: tiny", "name: other"))
    reseal(run_copy)
    assert verify(run_copy) == [f"{path}: its SHA-256 is not the scenario_sha256 of manifest.json"]


def test_verify_refuses_what_is_not_a_whole_run(tmp_path: Path, run_copy: Path, cli) -> None:
    partial = run_copy.rename(tmp_path / ".run.partial")
    for folder, words in ((tmp_path / "nowhere", "is not a folder"), (partial, "partial folder")):
        code, _, err = cli("verify", folder)
        assert code == 2 and words in err


def test_a_study_folder_is_checked_for_what_it_promises(tmp_path: Path, cli) -> None:
    from run_folder_tools import TINY

    code, _, err = cli("replicate", TINY, "-n", "2", "--out", tmp_path / "study")
    assert code == 0, err
    code, out, _ = cli("verify", tmp_path / "study")
    # it holds no books, so the line claims only what was checked
    assert (code, out.strip()) == (0, f"{tmp_path / 'study'}: verified (complete, unchanged)")
    (tmp_path / "study" / "replications.csv").write_text("rep,seed\n0,1\n")
    code, _, err = cli("verify", tmp_path / "study")
    assert code == 2 and "replications.csv: changed since acsasim wrote it" in err
