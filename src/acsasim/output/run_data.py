"""What charts and the report read: a run folder's scenario, tables, KPIs and manifest.

Charts and the page are built from the run folder alone, never from a live
RunResult, so a report can be restyled and rebuilt long after the run, on a
machine that never ran it. `load_run` reads a folder into the same DataFrames
`tables.frames(result)` gives (money stays exact decimal text; times stay ISO
text), and the helpers below turn those columns into datetimes and Decimals at
the point of use. Opening the folder (what must be there, CSV or ledger.sqlite,
the errors) is `runfolder.py`'s, shared with the books commands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acsasim.ledger import Converter
from acsasim.ledger.moves import Moves, receivable_moves
from acsasim.output.books import ORDER_READ, POSTING_READ, journal_columns, order_columns
from acsasim.output.runfolder import COLUMNS, RunFolder, RunFolderError, open_run_folder
from acsasim.scenario.model import Scenario

if TYPE_CHECKING:
    import pandas as pd

TABLES = tuple(COLUMNS)


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

    @cached_property
    def moves(self) -> Moves:
        """Every pair's receivable moves over the run (`ledger.moves`), worked out once for
        the statements, balances, aging and outstanding charts of the page."""
        return frame_moves(self.frames, self.scenario)


def frame_moves(frames: dict[str, pd.DataFrame], scenario: Scenario) -> Moves:
    """The receivable moves of every pair, from the postings and orders frames (in bulk:
    each distinct time, amount and account read once)."""
    o, p, start = frames["orders"], frames["postings"], scenario.start
    orders = order_columns(*(o[c].tolist() for c in ORDER_READ), start=start)
    journal = journal_columns(
        *(p[c].tolist() for c in POSTING_READ), start=start, order_ids=orders.order_id
    )
    return receivable_moves(journal, orders, scenario.duration)


def load_run(folder: Path) -> RunData:
    """Read a whole run folder; RunFolderError names what is missing, unreadable, partial
    or changed since the run wrote it (see runfolder.py)."""
    run = open_run_folder(folder, files=("summary.json",), tables=TABLES)
    return RunData(
        run.scenario, {t: _frame(run, t) for t in TABLES}, run.json("summary.json"),
        run.json("manifest.json"),
    )  # fmt: skip


def read_run(folder: Path) -> RunData:
    """Read a run folder that is still being written, without its manifest: only for the
    writer, which draws the report from the folder before sealing it. Readers use load_run."""
    run = open_run_folder(folder, files=("summary.json",), tables=TABLES, checked=False)
    return RunData(run.scenario, {t: _frame(run, t) for t in TABLES}, run.json("summary.json"), {})


def _frame(run: RunFolder, name: str) -> pd.DataFrame:
    """One table as the DataFrame `frames()` gives: text, but for the NUMERIC columns."""
    from acsasim.output.tables import frame

    table = run.table(name)  # outside the try: a RunFolderError keeps its own message
    try:
        return frame(table)
    except ValueError as exc:  # an edited table: the user's to fix, not a bug of ours
        raise RunFolderError(
            f"{run.path}: a value of its {name} table cannot be read: {exc}"
        ) from None


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
