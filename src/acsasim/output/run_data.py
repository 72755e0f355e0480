"""What charts and the report read: a run folder's scenario, tables, KPIs and manifest.

Charts and the page are built from the run folder alone, never from a live
RunResult, so a report can be restyled and rebuilt long after the run, on a
machine that never ran it. `load_run` reads a folder into the same DataFrames
`tables.frames(result)` gives (money stays exact decimal text; times stay ISO
text); `RunData.moves` reads its journal into the ledger's columns once, for every
statement and money chart of the page. Opening the folder (what must be there, CSV
or ledger.sqlite, the errors) is `runfolder.py`'s, shared with the books commands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from acsasim.ledger import Converter
from acsasim.ledger.moves import Moves, receivable_moves
from acsasim.output.books import ORDER_READ, POSTING_READ, journal_columns, order_columns
from acsasim.output.runfolder import (
    COLUMNS,
    RunFolder,
    RunFolderError,
    check_columns,
    open_run_folder,
)
from acsasim.scenario.model import Scenario

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

TABLES = tuple(COLUMNS)
T = TypeVar("T")


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

    def cached(self, key: str, make: Callable[[], T]) -> T:
        """`make()`, worked out once per RunData: the charts and the page share their series
        (a frozen dataclass keeps such caches in its __dict__, as cached_property does)."""
        memo: dict[str, Any] = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = make()
        return cast(T, memo[key])

    def order_hours(self, column: str) -> np.ndarray:
        """An order time column as hours from the start (nan: none), read once."""
        from acsasim.output.books import hours_column

        times = self.frames["orders"][column]
        return self.cached(
            f"hours {column}", lambda: hours_column(times.tolist(), self.scenario.start)
        )

    def order_values(self) -> np.ndarray:
        """orders.csv's `value_reporting` in minor units of the reporting currency, read once."""
        from acsasim.output.books import minor_column

        values = self.frames["orders"]["value_reporting"].tolist()
        return self.cached("values", lambda: minor_column(values, [self.currency] * len(values)))

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


def _frame(run: RunFolder, name: str) -> pd.DataFrame:
    """One table as the DataFrame `frames()` gives: text, but for the NUMERIC columns. A CSV
    is read by pandas' C parser in bulk; a file it cannot read cleanly (a ragged row, bad
    UTF-8), or a table only in ledger.sqlite, goes through `RunFolder.table`, which reads
    row by row and names the line at fault."""
    from acsasim.output.tables import frame, typed

    path = run.path / f"{name}.csv"
    text = _read_csv(path, name) if path.is_file() else None
    if text is not None:
        return _converted(run, name, lambda: typed(text, name))
    table = run.table(name)  # outside the conversion: its RunFolderError keeps its message
    return _converted(run, name, lambda: frame(table))


def _converted(run: RunFolder, name: str, convert: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """`convert()`; a number that is not one is an edited table: the user's to fix, not a
    bug of ours."""
    try:
        return convert()
    except ValueError as exc:
        raise RunFolderError(
            f"{run.path}: a value of its {name} table cannot be read: {exc}"
        ) from None


def _read_csv(path: Path, name: str) -> pd.DataFrame | None:
    """A CSV of the run folder as text columns, neutralised cells restored (csv_cells.py);
    None where the careful reader must look (see `_frame`)."""
    import io

    import pandas as pd

    from acsasim.output.csv_cells import QUOTE, restore

    raw = path.read_bytes()
    if not _one_width(raw):
        return None
    try:
        df = pd.read_csv(
            io.BytesIO(raw), dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8"
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    check_columns(str(path), tuple(df.columns), name)
    if QUOTE.encode() in raw:  # some cell may have been neutralised: restore it
        for col in df.columns:
            values = df[col].tolist()
            if any(v[:1] == QUOTE for v in values):
                df[col] = [restore(v) for v in values]
    return df


def _one_width(raw: bytes) -> bool:
    """Whether every line of a CSV without quoted cells has as many cells as its header
    (pandas would pad a short row without a word): counted with numpy, not line by line."""
    if b'"' in raw or not raw:
        return False  # quoted cells may hold commas and line breaks: the careful reader
    import numpy as np

    data = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))
    if not len(ends) or ends[-1] != len(data) - 1:
        ends = np.r_[ends, len(data)]
    before = np.searchsorted(np.flatnonzero(data == ord(",")), ends)  # commas before each end
    per_line = np.diff(np.r_[0, before])
    width = np.diff(np.r_[-1, ends]) - 1  # characters in each line, its break excluded
    cells = per_line[width > 0]  # blank lines hold no row
    return bool(len(cells)) and bool((cells == cells[0]).all())


def at(data: RunData, hours: float) -> datetime:
    """Simulation time (hours from start, R1) -> the datetime the tables use."""
    from datetime import timedelta

    return data.scenario.start + timedelta(hours=hours)


def from_result(result: Any, manifest: dict[str, Any] | None = None) -> RunData:
    """A RunResult in memory as RunData (notebooks, tests): the same frames a folder gives."""
    from acsasim.output.tables import frames

    return RunData(result.scenario, frames(result), result.kpis, manifest or {})
