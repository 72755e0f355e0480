"""Statements of account as files: into the run folder (CSV and a table of ledger.sqlite,
recorded in the manifest) or to a file of the user's choosing.

File names come from the party ids and the dates, and two different statements never
share one: a '-' inside a party id is doubled, so `JP` with `PH-X` gives
`statement-JP-PH--X-...` and `JP-PH` with `X` gives `statement-JP--PH-X-...` (ids start
with a letter, so the single '-' between them is never ambiguous). The table in
ledger.sqlite has the file's name, so it is unique too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from acsasim.output.tables import Table
from acsasim.runs.atomic import Pending, prepare, write_bytes
from acsasim.runs.seal import amend, turn
from acsasim.runs.tables import SQLITE, csv_bytes, prepare_sqlite_with


def instant_label(when: datetime) -> str:
    """A file-name-safe instant: 2026-10-25, or 2026-10-25T1230 when not midnight."""
    if when.time() == datetime.min.time():
        return when.date().isoformat()
    return when.strftime("%Y-%m-%dT%H%M%S" if when.second else "%Y-%m-%dT%H%M")


def statement_name(a: str, b: str, until: datetime, since: datetime | None = None) -> str:
    """`statement-A-B-[SINCE-to-]UNTIL`, one name per statement (see the module docstring)."""
    period = (f"{instant_label(since)}-to-" if since else "") + instant_label(until)
    return f"statement-{_id(a)}-{_id(b)}-{period}"


def _id(party: str) -> str:
    return party.replace("-", "--")


def write_into_run(
    folder: Path, name: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> list[Path]:
    """`name`.csv in the run folder and the table `name` in its ledger.sqlite (when the folder
    has one), both recorded in the manifest; the same statement again replaces both. Returns
    what was written. OutputError, with nothing changed, if the folder cannot be written."""
    table = Table.from_rows(name, columns, rows)
    with turn(folder):
        # ledger.sqlite first: cut off after it, the folder holds a table whose CSV is not
        # there yet (an addition, which verify accepts), never a CSV without its table.
        changes: dict[str, Pending | None] = {}
        db = prepare_sqlite_with(folder, table)  # read in this turn: no table is lost
        if db is not None:
            changes[SQLITE] = db
        try:
            changes[f"{name}.csv"] = prepare(folder / f"{name}.csv", csv_bytes(table))
        except BaseException:
            if db is not None:
                db.discard()
            raise
        amend(folder, changes)
    return [folder / rel for rel in reversed(changes)]


def write_to(path: Path, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> Path:
    """The statement as a new CSV file at `path` (never replacing an existing file)."""
    return write_bytes(path, csv_bytes(Table.from_rows(path.stem, columns, rows)), new=True)
