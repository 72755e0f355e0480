"""Changing a sealed run folder (`acsasim report`, `acsasim statement`) keeps its manifest
true at every instant: afterwards `verify` passes, and an update cut off half-way leaves a
folder that is still read, still verifies, and is set right by the next update."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from acsasim.output.books import load_books
from acsasim.runs import seal
from acsasim.runs.atomic import Pending
from acsasim.runs.errors import OutputError
from acsasim.runs.report import build_report
from acsasim.runs.verify import verify


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_a_rebuilt_report_is_recorded_and_an_edited_csv_still_is_not(
    drill_report_folder: Path, tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(drill_report_folder, tmp_path / "run"))
    before = manifest(folder)["files"]
    (folder / "charts" / "stale.png").write_bytes(b"left by an older version")
    build_report(folder)
    after = manifest(folder)
    assert verify(folder) == []
    assert "charts/stale.png" not in after["files"] and not (folder / "charts/stale.png").exists()
    assert after["files"]["orders.csv"] == before["orders.csv"]
    assert after["report_rebuilt"]["stages"]["charts"] > 0
    assert "amending" not in after
    orders = folder / "orders.csv"
    orders.write_text(orders.read_text().replace("JP", "PH", 1))
    found = verify(folder)
    assert any("orders.csv: changed since acsasim wrote it" in p for p in found), found


def test_statements_are_recorded_and_verify_compares_their_tables(run_copy: Path, cli) -> None:
    for as_of in ("2026-06-02", "2026-06-03"):
        code, _, err = cli("statement", run_copy, "--parties", "JP,PH", "--as-of", as_of)
        assert code == 0, err
    files = manifest(run_copy)["files"]
    assert {"statement-JP-PH-2026-06-02.csv", "statement-JP-PH-2026-06-03.csv"} <= set(files)
    assert verify(run_copy) == []  # both tables are in ledger.sqlite, equal to their CSVs


@pytest.mark.parametrize("cut", [2, 3], ids=["before ledger.sqlite", "before the CSV"])
def test_an_update_cut_off_half_way_leaves_a_readable_folder(
    run_copy: Path, cli, monkeypatch: pytest.MonkeyPatch, cut: int
) -> None:
    real, commits = Pending.commit, []

    def power_cut(self: Pending) -> Path:  # manifest, ledger.sqlite, CSV, manifest
        commits.append(self.target.name)
        if len(commits) == cut:
            raise KeyboardInterrupt
        return real(self)

    with monkeypatch.context() as m:
        m.setattr(Pending, "commit", power_cut)
        with pytest.raises(KeyboardInterrupt):
            seal_statement(run_copy, cli)
    assert "amending" in manifest(run_copy)  # the update did not finish
    assert verify(run_copy) == []  # yet every file is one version acsasim wrote
    load_books(run_copy)  # and readers read it
    code, _, err = cli("statement", run_copy, "--parties", "JP,PH", "--as-of", "2026-06-03")
    assert code == 0, err
    assert "amending" not in manifest(run_copy)
    assert verify(run_copy) == []
    assert not [p for p in run_copy.iterdir() if ".tmp-" in p.name]


def seal_statement(folder: Path, cli) -> None:
    """A statement written straight through the library (an exception escapes the CLI)."""
    from acsasim.runs.statements import write_into_run

    write_into_run(folder, "statement-JP-PH-x", ("a", "b"), [("1", "2")])


def test_amend_refuses_a_folder_without_manifest(run_copy: Path) -> None:
    (run_copy / "manifest.json").unlink()
    with pytest.raises(OutputError, match=r"no manifest\.json"), seal.turn(run_copy):
        seal.amend(run_copy, {})
