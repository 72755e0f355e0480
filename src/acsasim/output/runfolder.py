"""Opening a run folder: the one place that knows what a run folder holds and where to read it.

Both views of a finished run are built on this: the pandas frames of charts and the report
(`run_data.py`) and the ledger records of `acsasim statement` and `acsasim export`
(`books.py`). So both refuse the same broken folder with the same `RunFolderError`, and both
read a table from `ledger.sqlite` when its CSV is missing (the SQLite holds every table).
Rows come back as text, whichever file they came from, exactly as the tables hold them (a
CSV cell neutralised against spreadsheet formulas is restored, see csv_cells.py).

Only whole, untouched runs are read: a partial folder (`.NAME.partial`, left by a run that
is still writing or died) is refused by name, a folder without its manifest (written last)
as incomplete, and a folder whose files differ from the hashes in its manifest as changed
(integrity.py). Stdlib only: the books commands must never pay for importing pandas.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acsasim.output.csv_cells import read_rows
from acsasim.output.integrity import MANIFEST, PARTIAL, problems, read_manifest
from acsasim.output.tables import (
    FLOW_COLUMNS,
    ORDER_COLUMNS,
    POSTING_COLUMNS,
    PURCHASE_COLUMNS,
    REFUSAL_COLUMNS,
    STOCK_COLUMNS,
    Table,
)
from acsasim.scenario import ScenarioError, load_scenario
from acsasim.scenario.model import Scenario

SCENARIO = "scenario.yaml"
SQLITE = "ledger.sqlite"
# Every table of a run folder and the columns a reader may count on (tables.py writes them).
COLUMNS = {
    "orders": ORDER_COLUMNS,
    "postings": POSTING_COLUMNS,
    "flows": FLOW_COLUMNS,
    "refusals": REFUSAL_COLUMNS,
    "stock": STOCK_COLUMNS,
    "purchases": PURCHASE_COLUMNS,
}
#: Tables a run folder written before they existed lacks: read as empty.
OPTIONAL = frozenset({"purchases"})
FIX = "give the folder `acsasim run` wrote"


class RunFolderError(ValueError):
    """The folder is not a readable run folder; the message names the file and what is wrong."""


@dataclass(frozen=True)
class RunFolder:
    """A run folder checked to hold what its reader asked for, with its scenario read."""

    path: Path
    scenario: Scenario

    def json(self, name: str) -> Any:
        """summary.json or manifest.json, parsed."""
        try:
            return json.loads((self.path / name).read_text(encoding="utf-8"))
        except ValueError as exc:  # bad JSON or bad UTF-8
            raise RunFolderError(f"{self.path}: cannot read its {name}: {exc}") from None

    def table(self, name: str) -> Table:
        """The table from its CSV if present, else from ledger.sqlite; every value as text. An
        optional table an older folder lacks is empty."""
        csv_path = self.path / f"{name}.csv"
        if csv_path.is_file():
            return _csv_table(csv_path, name)
        if name not in OPTIONAL:
            return _sqlite_table(self.path / SQLITE, name)
        try:
            if (self.path / SQLITE).is_file():
                return _sqlite_table(self.path / SQLITE, name)
        except RunFolderError:
            pass  # written before the table existed
        return Table(name, COLUMNS[name], tuple([] for _ in COLUMNS[name]))


def open_run_folder(
    folder: Path, files: tuple[str, ...] = (), tables: tuple[str, ...] = (), checked: bool = True
) -> RunFolder:
    """Check that `folder` is a whole run folder (see the module docstring) holding
    scenario.yaml, `files` and `tables` (each as its CSV or in ledger.sqlite), then read the
    scenario; RunFolderError names everything that is wrong, so the user learns it in one go
    rather than one file per attempt. `checked=False` skips the manifest: only for the writer
    of a folder still being written (its report is drawn from it before the manifest)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RunFolderError(f"{folder} is not a folder; {FIX}")
    if checked and PARTIAL.match(folder.absolute().name):
        raise RunFolderError(
            f"{folder} is a partial folder: a run that is still writing it, or that did not "
            "finish (`acsasim clean` lists those); give the finished run's folder"
        )
    required = (SCENARIO, MANIFEST, *files) if checked else (SCENARIO, *files)
    missing = [n for n in dict.fromkeys(required) if not (folder / n).is_file()]
    no_csv = [f"{t}.csv" for t in tables if not (folder / f"{t}.csv").is_file()
              and t not in OPTIONAL]  # fmt: skip
    if no_csv and not (folder / SQLITE).is_file():  # else ledger.sqlite stands in for them
        missing += [*no_csv, f"and {SQLITE}, which could stand in for the CSVs"]
    if missing == [MANIFEST]:
        raise RunFolderError(read_manifest(folder)[1] or MANIFEST)
    if missing:
        raise RunFolderError(
            f"{folder} is not a run folder (missing {', '.join(missing)}); {FIX}{_inside(folder)}"
        )
    if checked:
        _check_integrity(folder)
    return RunFolder(folder, _scenario(folder))


def _check_integrity(folder: Path) -> None:
    """The cheap part of `acsasim verify`: the manifest is there and every file it lists
    still has the SHA-256 it recorded."""
    manifest, why = read_manifest(folder)
    if manifest is None:
        raise RunFolderError(why or MANIFEST)
    changed = problems(folder, manifest)
    if changed:
        raise RunFolderError(
            f"{folder} was changed after acsasim wrote it, so it is not read:\n"
            + "\n".join(changed)
            + "\n(`acsasim verify` checks the whole folder; run the scenario again for a "
            "trustworthy copy)"
        )


def _inside(folder: Path) -> str:
    """A hint when `folder` holds run folders (`reports/NAME/` holds one per run): the newest."""
    runs = sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and (p / MANIFEST).is_file() and not PARTIAL.match(p.name)
    )
    return f", such as {runs[-1]} (the last by name of the {len(runs)} inside)" if runs else ""


def _scenario(folder: Path) -> Scenario:
    # A run folder's scenario was valid when it was written: a problem here means the file was
    # edited or damaged, which is the folder's fault, not a scenario the user is writing.
    try:
        return load_scenario(folder / SCENARIO)
    except ScenarioError as exc:
        problems = "\n".join(str(p) for p in exc.problems) or "unreadable"
        raise RunFolderError(f"{folder}: cannot read its {SCENARIO}:\n{problems}") from None


def _csv_table(path: Path, name: str) -> Table:
    try:
        lines = read_rows(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise RunFolderError(f"{path}: cannot read it: {exc}") from None
    header = tuple(lines[0]) if lines else ()
    rows = [tuple(row) for row in lines[1:]]
    check_columns(str(path), header, name)
    # A row of the wrong length would shift values into the wrong columns without a word.
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise RunFolderError(
                f"{path}: line {line} has {len(row)} values for {len(header)} columns"
            )
    return Table.from_rows(name, header, rows)


def _sqlite_table(db: Path, name: str) -> Table:
    # Read-only: a reader must never create or change the run's database.
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        cur = con.execute(f'SELECT * FROM "{name}"')
        header = tuple(d[0] for d in cur.description)
        # As the CSV would show it (runs/tables.py writes the same values to both): str(1.5) is the
        # text csv writes for 1.5, and an empty value is the empty string.
        rows = [tuple("" if v is None else str(v) for v in row) for row in cur]
    except sqlite3.Error as exc:
        raise RunFolderError(f"{db}: cannot read table {name}: {exc}") from None
    finally:
        con.close()
    check_columns(f"{db} table {name}", header, name)
    return Table.from_rows(name, header, rows)


def check_columns(where: str, found: tuple[str, ...], table: str) -> None:
    missing = [c for c in COLUMNS[table] if c not in found]
    if missing:
        raise RunFolderError(f"{where} lacks the columns {', '.join(missing)}")
