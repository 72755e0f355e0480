"""One run folder reader under both views: the report's frames (`load_run`) and the books of
`acsasim statement` / `acsasim export` (`load_books`) refuse the same broken folder with the
same message, through the CLI too (exit 2, no traceback), and read the same tables from
ledger.sqlite when the CSVs are gone."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from acsasim.cli import app
from acsasim.output.books import load_books
from acsasim.output.run_data import RunData, load_run
from acsasim.output.runfolder import RunFolderError
from run_folder_tools import reseal


def _no_scenario(folder: Path) -> None:
    (folder / "scenario.yaml").unlink()


def _bad_scenario(folder: Path) -> None:
    (folder / "scenario.yaml").write_text("name: [unclosed\n", encoding="utf-8")


def _no_postings_anywhere(folder: Path) -> None:
    (folder / "postings.csv").unlink()
    (folder / "ledger.sqlite").unlink()


def _postings_lack_columns(folder: Path) -> None:
    (folder / "postings.csv").write_text("txn_id,time\n1,x\n", encoding="utf-8")


def _ragged_row(folder: Path) -> None:
    path = folder / "postings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "no scenario.yaml": (_no_scenario, "is not a run folder (missing scenario.yaml); give the"),
    "damaged scenario.yaml": (_bad_scenario, "cannot read its scenario.yaml:\n"),
    "no postings anywhere": (
        _no_postings_anywhere,
        "(missing postings.csv, and ledger.sqlite, which could stand in for the CSVs)",
    ),
    "postings lack columns": (_postings_lack_columns, "lacks the columns kind, order_id"),
    "a ragged row": (_ragged_row, "postings.csv: line 3 has 8 values for 7 columns"),
}


@pytest.fixture
def copy(drill_folder: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(drill_folder, tmp_path / "run"))


def _error(load: Callable[[Path], object], folder: Path) -> str:
    with pytest.raises(RunFolderError) as caught:
        load(folder)
    return str(caught.value)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_both_views_refuse_a_broken_folder_alike(copy: Path, name: str) -> None:
    """Each damage, with the manifest resealed to match (so the check behind the hashes
    speaks): both views refuse it with the same words."""
    breaks, expected = BROKEN[name]
    breaks(copy)
    reseal(copy)
    message = _error(load_run, copy)
    assert expected in message and str(copy) in message
    assert _error(load_books, copy) == message


EDITS = ("damaged scenario.yaml", "postings lack columns", "a ragged row")


@pytest.mark.parametrize("name", EDITS)
def test_a_damaged_file_is_refused_for_its_hash_first(copy: Path, name: str) -> None:
    """Without resealing, an edited file is named as changed since the run wrote it (a
    deleted one is the reader's to miss, as above)."""
    breaks, _ = BROKEN[name]
    breaks(copy)
    message = _error(load_run, copy)
    assert f"{copy} was changed after acsasim wrote it" in message
    assert "differs from manifest.json" in message
    assert _error(load_books, copy) == message


def test_the_folder_of_a_scenarios_runs_points_to_the_last_run(
    drill_folder: Path, tmp_path: Path
) -> None:
    # acsasim run writes reports/NAME/STAMP/: giving reports/NAME is the likely slip
    runs = tmp_path / "jp-ph-joint-drill"
    for stamp in ("20261129-090803-s1", "20261130-101500-s1"):
        shutil.copytree(drill_folder, runs / stamp)
    hint = f"such as {runs / '20261130-101500-s1'} (the last by name of the 2 inside)"
    assert hint in _error(load_run, runs)
    assert hint in _error(load_books, runs)


def test_both_views_refuse_what_is_not_a_folder(tmp_path: Path) -> None:
    message = _error(load_run, tmp_path / "nowhere")
    assert message.endswith("is not a folder; give the folder `acsasim run` wrote")
    assert _error(load_books, tmp_path / "nowhere") == message


def test_report_statement_and_export_print_the_same_error(copy: Path) -> None:
    _no_scenario(copy)
    runner = CliRunner()
    errors = set()
    for args in (
        ["report", copy],
        ["statement", copy, "--parties", "JP,PH"],
        ["export", copy, "--format", "beancount"],
    ):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        errors.add(result.stderr)
    assert errors == {f"error: {copy} is not a run folder (missing scenario.yaml); "
                      "give the folder `acsasim run` wrote\n"}  # fmt: skip


def test_both_views_read_ledger_sqlite_when_the_csvs_are_gone(
    copy: Path, drill_loaded: RunData
) -> None:
    books = load_books(copy)
    for csv in copy.glob("*.csv"):
        csv.unlink()
    data = load_run(copy)
    for name, frame in drill_loaded.frames.items():
        pd.testing.assert_frame_equal(data.frames[name], frame)
    from_sqlite = load_books(copy)
    assert from_sqlite.transactions == books.transactions
    assert from_sqlite.orders == books.orders
