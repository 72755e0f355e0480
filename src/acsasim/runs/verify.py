"""`acsasim verify RUN_FOLDER`: everything a run folder promises, checked.

1. It is complete: not a partial folder, and its manifest.json (written last) is there.
2. Its files are as written: every file the manifest lists is present with the SHA-256 it
   recorded, and nothing else is in the folder (output/integrity.py).
3. Its scenario is the one run: scenario.yaml has the manifest's scenario hash and loads.
4. Its CSVs say what ledger.sqlite says: each CSV equals the table of the same name, as
   text, row by row (a cell neutralised against spreadsheet formulas is read back first).
5. Its books balance (R15): see verify_books.py.

Each problem is one line; an empty list means the folder is whole and consistent. A study
folder (replicate, sweep, compare) is checked for 1 and 2: it holds no books.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from acsasim.output.csv_cells import read_rows
from acsasim.output.integrity import MANIFEST, PARTIAL, problems, read_manifest, sha256_file
from acsasim.output.runfolder import SCENARIO, SQLITE, RunFolderError, open_run_folder
from acsasim.runs.verify_books import materiel_problems, money_problems

RUN_PROMISES = "complete, unchanged, consistent, books balance"
STUDY_PROMISES = "complete, unchanged"  # a study folder holds no books


def promises(folder: Path) -> str:
    """What `verify` checks of `folder`, in words, for the line that says it passed."""
    manifest, _ = read_manifest(Path(folder))
    return STUDY_PROMISES if manifest is not None and _is_study(manifest) else RUN_PROMISES


def _is_study(manifest: dict) -> bool:
    return "study" in manifest


def verify(folder: Path) -> list[str]:
    """Every problem of the run folder, one line each (see the module docstring)."""
    folder = Path(folder)
    if not folder.is_dir():
        return [f"{folder} is not a folder"]
    if PARTIAL.match(folder.absolute().name):
        return [f"{folder} is a partial folder (a run still writing it, or one that died)"]
    manifest, why = read_manifest(folder)
    if manifest is None:
        return [why or f"{folder}: no {MANIFEST}"]
    found = problems(folder, manifest, strict=True)
    if _is_study(manifest):  # a study folder: its promises are completeness and hashes
        return found
    found += _scenario_problems(folder, manifest.get("scenario_sha256"))
    found += _table_problems(folder, sorted(manifest["files"]))
    found += _books_problems(folder)
    return found


def _scenario_problems(folder: Path, recorded: object) -> list[str]:
    path = folder / SCENARIO
    if not path.is_file():
        return []  # reported as missing above
    if sha256_file(path) != recorded:
        return [f"{path}: its SHA-256 is not the scenario_sha256 of {MANIFEST}"]
    try:
        open_run_folder(folder, checked=False)
    except RunFolderError as exc:
        return [str(exc)]
    return []


def _table_problems(folder: Path, listed: list[str]) -> list[str]:
    """Each top-level CSV against the table of its name in ledger.sqlite."""
    db = folder / SQLITE
    if not db.is_file():
        return []
    found: list[str] = []
    for rel in listed:
        path = folder / rel
        if "/" in rel or not rel.endswith(".csv") or not path.is_file():
            continue
        try:
            in_csv = read_rows(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, csv.Error) as exc:
            found.append(f"{path}: cannot read it: {exc}")
            continue
        in_db = _sqlite_rows(db, path.stem)
        if in_db is None:
            found.append(f"{path}: ledger.sqlite has no table {path.stem}")
        elif in_csv != in_db:
            found.append(f"{path}: {_first_difference(in_csv, in_db)} (ledger.sqlite differs)")
    return found


def _sqlite_rows(db: Path, table: str) -> list[list[str]] | None:
    """The table's header and rows as the CSV writes them (None: no such table)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        cur = con.execute(f'SELECT * FROM "{table}"')
        header = [d[0] for d in cur.description]
        return [header, *([_text(v) for v in row] for row in cur)]
    except sqlite3.Error:
        return None
    finally:
        con.close()


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _first_difference(a: list[list[str]], b: list[list[str]]) -> str:
    for line, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            return f"line {line} is {_short(x)}, the table has {_short(y)}"
    return f"{len(a) - 1} rows, the table has {len(b) - 1}"


def _short(row: list[str]) -> str:
    text = ",".join(row)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _books_problems(folder: Path) -> list[str]:
    try:
        run = open_run_folder(folder, tables=("postings", "flows", "stock"), checked=False)
        postings, flows, stock = (run.table(n) for n in ("postings", "flows", "stock"))
    except RunFolderError as exc:
        return [str(exc)]
    return [*money_problems(postings), *materiel_problems(flows, stock)]
