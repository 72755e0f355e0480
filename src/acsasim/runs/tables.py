"""The tables of a run as files: one CSV per table and ledger.sqlite holding them all.

The CSVs are written by csv_cells.csv_columns (text cells a spreadsheet would run as a
formula are neutralised), a column at a time; ledger.sqlite holds the values themselves, one
table per CSV, inserted in bulk (`executemany`, one transaction) into a database built in
memory and written whole like any other file (atomic.py). `acsasim verify` compares the two
row by row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from acsasim.output.csv_cells import csv_columns
from acsasim.output.tables import Table
from acsasim.runs.atomic import Pending, prepare, write_bytes

SQLITE = "ledger.sqlite"


def csv_bytes(table: Table) -> bytes:
    return csv_columns(table.columns, table.data).encode("utf-8")


def write_csv(path: Path, table: Table) -> Path:
    return write_bytes(path, csv_bytes(table))


def sqlite_bytes(tables: Iterable[Table], base: bytes | None = None) -> bytes:
    """A SQLite database as bytes: `base` (an existing database) with `tables` added, each
    replacing a table of the same name; one transaction."""
    con = sqlite3.connect(":memory:", isolation_level=None)  # explicit BEGIN for the DDL
    try:
        if base is not None:
            con.deserialize(base)
        con.execute("BEGIN")
        for t in tables:
            add_table(con, t.name, t.columns, zip(*t.data, strict=True))
        con.execute("COMMIT")
        return con.serialize()
    finally:
        con.close()


def add_table(
    con: sqlite3.Connection, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    con.execute(f'CREATE TABLE "{name}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)})')
    con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})', rows)


def write_tables(folder: Path, tables: list[Table]) -> None:
    """Every table as its CSV, then ledger.sqlite."""
    for table in tables:
        write_csv(folder / f"{table.name}.csv", table)
    write_bytes(folder / SQLITE, sqlite_bytes(tables))


def prepare_sqlite_with(folder: Path, table: Table) -> Pending | None:
    """ledger.sqlite with `table` added, prepared beside it (None if the folder has none)."""
    db = folder / SQLITE
    if not db.is_file():
        return None
    return prepare(db, sqlite_bytes([table], db.read_bytes()))
