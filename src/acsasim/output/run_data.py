"""What charts and the report read: a run folder's scenario, tables, KPIs and manifest.

Charts and the page are built from the run folder alone, never from a live
RunResult, so a report can be restyled and rebuilt long after the run, on a
machine that never ran it. `load_run` reads a folder into the same DataFrames
`tables.frames(result)` gives (money stays exact decimal text; times stay ISO
text), and the helpers below turn those columns into datetimes and Decimals at
the point of use.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acsasim.ledger import Converter
from acsasim.scenario import ScenarioError, load_scenario
from acsasim.scenario.model import Scenario

if TYPE_CHECKING:
    import pandas as pd

TABLES = ("orders", "postings", "flows", "refusals", "stock")
# Columns that are numbers in `frames(result)`; every other column is text.
NUMERIC = {
    "orders": ("quantity", "settled_quantity"),
    "postings": ("txn_id",),
    "flows": ("quantity", "unmet"),
    "refusals": ("quantity_requested", "quantity_refused"),
    "stock": ("on_hand_end", "on_hand_min"),
}
INTEGER = {"txn_id"}


class NotARunFolder(ValueError):
    """The folder lacks a file every run folder has (or holds one that cannot be read)."""


@dataclass(frozen=True)
class RunData:
    """One run as its folder records it; the input of every chart and of the page."""

    scenario: Scenario
    frames: dict[str, pd.DataFrame]
    kpis: dict[str, Any]
    manifest: dict[str, Any]

    @property
    def converter(self) -> Converter:
        return Converter(self.scenario.rates, self.scenario.reporting_currency)

    @property
    def currency(self) -> str:
        return self.scenario.reporting_currency


def load_run(folder: Path) -> RunData:
    """Read a run folder; NotARunFolder names what is missing or unreadable."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotARunFolder(f"{folder} is not a folder")
    needed = ("scenario.yaml", "summary.json", "manifest.json")
    missing = [n for n in needed if not (folder / n).is_file()]
    has_sqlite = (folder / "ledger.sqlite").is_file()
    missing += [
        f"{t}.csv" for t in TABLES if not (folder / f"{t}.csv").is_file() and not has_sqlite
    ]
    if missing:
        raise NotARunFolder(
            f"{folder} is not a run folder (missing {', '.join(missing)}); "
            "give the folder `acsasim run` wrote"
        )
    try:
        scenario = load_scenario(folder / "scenario.yaml")
        kpis = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (ScenarioError, json.JSONDecodeError) as exc:
        raise NotARunFolder(f"{folder}: cannot read the run folder: {exc}") from None
    return RunData(scenario, {t: _read_table(folder, t) for t in TABLES}, kpis, manifest)


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    """The CSV if present, else the same table from ledger.sqlite; typed like `frames()`."""
    import pandas as pd

    path = folder / f"{name}.csv"
    if path.is_file():
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        con = sqlite3.connect(folder / "ledger.sqlite")
        try:
            df = pd.read_sql_query(f'SELECT * FROM "{name}"', con).astype(str)
        finally:
            con.close()
    for col in NUMERIC[name]:
        if col in df:
            df[col] = df[col].astype(int if col in INTEGER else float)
    return df


def times(column: pd.Series) -> pd.Series:
    """ISO text -> datetimes; empty text -> NaT."""
    import pandas as pd

    return pd.to_datetime(column.replace("", None), format="ISO8601")


def decimals(column: pd.Series) -> list[Decimal]:
    """Exact decimal text -> Decimals (empty text -> 0), for sums shown to a reader."""
    return [Decimal(v) if v else Decimal(0) for v in column]


def to_reporting(data: RunData, amounts: pd.Series, currencies: pd.Series) -> list[Decimal]:
    """Exact amounts in the reporting currency at the scenario's rates, not yet rounded."""
    conv = data.converter
    return [conv.exact(Decimal(a), c) for a, c in zip(amounts, currencies, strict=True)]


def at(data: RunData, hours: float) -> datetime:
    """Simulation time (hours from start, R1) -> the datetime the tables use."""
    from datetime import timedelta

    return data.scenario.start + timedelta(hours=hours)


def from_result(result: Any, manifest: dict[str, Any] | None = None) -> RunData:
    """A RunResult in memory as RunData (notebooks, tests): the same frames a folder gives."""
    from acsasim.output.tables import frames

    return RunData(result.scenario, frames(result), result.kpis, manifest or {})
