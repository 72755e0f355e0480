"""The progress store of a study: an SQLite file in the in-progress experiment folder.

It holds the study's definition (so `--resume FOLDER` needs nothing else), one row per
finished job, committed the moment the job finishes, and one row per session (when it
started, how it ran, how many jobs it finished). A Ctrl-C or a crash therefore loses at
most the jobs that were running; resuming runs only what has no row.

KPIs are stored as JSON: Python writes floats with repr, so they come back bit for bit
and a resumed study writes the same files as an uninterrupted one.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from acsasim.experiments.runner import Outcome
from acsasim.runs.errors import explain

FILE = "progress.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS study (id INTEGER PRIMARY KEY CHECK (id = 1), spec TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    point INTEGER NOT NULL, rep INTEGER NOT NULL, seed INTEGER NOT NULL,
    wall REAL NOT NULL, kpis TEXT NOT NULL, PRIMARY KEY (point, rep)
);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY, started REAL NOT NULL, ended REAL,
    executor TEXT NOT NULL, argv TEXT NOT NULL, jobs INTEGER NOT NULL DEFAULT 0
);
"""


class StoreError(Exception):
    """The folder holds no progress store, or one this acsasim cannot read."""


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """SQLite's failures to write (a full disk, a file-size limit...) as an OutputError
    naming the store; what was committed before stays."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise explain(path, exc) from None


class Store:
    def __init__(self, con: sqlite3.Connection, path: Path | None = None) -> None:
        self.con = con
        self.path = path or Path(FILE)
        self.session: int | None = None

    @classmethod
    def create(cls, folder: Path, spec: dict[str, Any]) -> Store:
        # SQLite commits each transaction atomically (its journal): the one file of acsasim
        # not written whole through acsasim.runs.atomic, as it must grow job by job.
        with writing(folder / FILE):
            con = sqlite3.connect(folder / FILE)
            with con:
                con.executescript(SCHEMA)
                con.execute("INSERT INTO study (id, spec) VALUES (1, ?)", (json.dumps(spec),))
        return cls(con, folder / FILE)

    @classmethod
    def open(cls, folder: Path) -> Store:
        path = folder / FILE
        if not path.is_file():
            raise StoreError(f"{folder} is not an interrupted study (it has no {FILE})")
        try:
            con = sqlite3.connect(path)
            con.execute("SELECT spec FROM study").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {path}: {exc}") from None
        return cls(con, path)

    def spec(self) -> dict[str, Any]:
        row = self.con.execute("SELECT spec FROM study WHERE id = 1").fetchone()
        if row is None:
            raise StoreError("the progress store holds no study definition")
        return json.loads(row[0])

    def done(self) -> dict[tuple[int, int], int]:
        """(point, rep) -> seed of every finished job."""
        rows = self.con.execute("SELECT point, rep, seed FROM jobs")
        return {(p, r): s for p, r, s in rows}

    def add(self, outcome: Outcome) -> None:
        """Record one finished job, committed at once."""
        o = outcome
        with writing(self.path), self.con:
            self.con.execute(
                "INSERT OR REPLACE INTO jobs VALUES (?, ?, ?, ?, ?)",
                (o.point, o.rep, o.seed, o.wall, json.dumps(o.kpis)),
            )
            if self.session is not None:
                self.con.execute(
                    "UPDATE sessions SET jobs = jobs + 1, ended = ? WHERE id = ?",
                    (time.time(), self.session),
                )

    def outcomes(self) -> list[Outcome]:
        rows = self.con.execute("SELECT point, rep, seed, wall, kpis FROM jobs ORDER BY point, rep")
        return [Outcome(p, r, s, w, json.loads(k)) for p, r, s, w, k in rows]

    def begin_session(self, executor: str, argv: list[str]) -> None:
        with writing(self.path), self.con:
            cursor = self.con.execute(
                "INSERT INTO sessions (started, ended, executor, argv) VALUES (?, ?, ?, ?)",
                (time.time(), time.time(), executor, json.dumps(argv)),
            )
        self.session = cursor.lastrowid

    def end_session(self) -> None:
        if self.session is not None:
            with writing(self.path), self.con:
                self.con.execute(
                    "UPDATE sessions SET ended = ? WHERE id = ?", (time.time(), self.session)
                )

    def sessions(self) -> list[dict[str, Any]]:
        rows = self.con.execute(
            "SELECT started, ended, executor, argv, jobs FROM sessions ORDER BY id"
        )
        return [
            {
                "started": started,
                "wall_seconds": round((ended or started) - started, 3),
                "executor": executor,
                "argv": json.loads(argv),
                "jobs": jobs,
            }
            for started, ended, executor, argv, jobs in rows
        ]

    def close(self) -> None:
        self.con.close()
