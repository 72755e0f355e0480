"""The run folder: written whole under a temporary name, then renamed (outputs.md).

A folder that exists is complete; nothing existing is ever overwritten. `--out DIR`
names the folder itself, and a DIR that exists and is not empty is refused.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acsasim import __version__
from acsasim.output.tables import Table, tables
from acsasim.scenario.load import dump_scenario

if TYPE_CHECKING:
    from acsasim.result import RunResult

PACKAGES = ("simpy", "numpy", "pandas", "pydantic", "PyYAML", "matplotlib", "jinja2")


class FolderExists(FileExistsError):
    """The output folder exists and is not empty: refused, so nothing is overwritten."""


def default_folder(reports: Path, name: str, suffix: str) -> Path:
    """reports/<name>/<timestamp>-<suffix>, made unique if two runs share a second."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = reports / name / f"{stamp}-{suffix}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    return folder


def check_free(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise FolderExists(
            f"{folder} exists and is not empty; choose another --out (nothing was written)"
        )


def write_atomically(folder: Path, fill: Callable[[Path], None]) -> Path:
    """Let `fill` write into a temporary sibling folder, then rename it to `folder`."""
    check_free(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = folder.parent / f".{folder.name}.partial-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        fill(temp)
        if folder.exists():
            folder.rmdir()  # empty (checked above); a folder filled meanwhile makes this fail
        temp.rename(folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return folder


def write_run(
    result: RunResult, folder: Path, command: Sequence[str] = (), report: bool = True
) -> Path:
    """Write the run folder of one replication; returns its path. With `report`, the charts
    and report.html are drawn (from the folder's own files) before the folder is renamed
    into place, so a run folder that exists always has them."""
    return write_atomically(folder, lambda temp: _fill_run(temp, result, list(command), report))


def _fill_run(temp: Path, result: RunResult, command: list[str], report: bool = True) -> None:
    scenario_text = dump_scenario(result.scenario)
    (temp / "scenario.yaml").write_text(scenario_text, encoding="utf-8")
    all_tables = tables(result)
    for table in all_tables:
        write_csv(temp / f"{table.name}.csv", table)
    write_sqlite(temp / "ledger.sqlite", all_tables)
    write_json(temp / "summary.json", result.kpis)
    write_json(temp / "manifest.json", manifest(result, scenario_text, command))
    if report:
        from acsasim.output.report import build_report

        build_report(temp)


def write_csv(path: Path, table: Table) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)


def write_sqlite(path: Path, all_tables: list[Table]) -> None:
    """One table per CSV, all written in one transaction."""
    con = sqlite3.connect(path)
    try:
        with con:
            for t in all_tables:
                cols = ", ".join(f'"{c}"' for c in t.columns)
                con.execute(f'CREATE TABLE "{t.name}" ({cols})')
                marks = ", ".join("?" * len(t.columns))
                con.executemany(f'INSERT INTO "{t.name}" VALUES ({marks})', t.rows)
    finally:
        con.close()


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def manifest(result: RunResult, scenario_text: str, command: list[str]) -> dict[str, Any]:
    return {
        "acsasim": __version__,
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in PACKAGES},
        "scenario": result.scenario.name,
        "scenario_sha256": hashlib.sha256(scenario_text.encode("utf-8")).hexdigest(),
        "seed": result.seed,
        "command": command or sys.argv,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "wall_seconds": round(result.wall_seconds, 3),
        "events_dispatched": result.events_dispatched,
    }


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
