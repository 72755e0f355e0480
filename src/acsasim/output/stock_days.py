"""stock.csv: on-hand stock per holder, commodity and calendar day, from the flows (R15).

The flows are the whole truth about stock: for each holder and commodity their running sum is
the level over time (R15). Here it is replayed for all of them at once, in the engine's exact
integer units of resolution: the flows are grouped by holder and commodity (in time order),
summed cumulatively, and reduced per day to the level at the day's end and the day's lowest
level. A day without a movement keeps the level of the day before; a day's lowest level counts
the level it opened at (but the first day's, which opens before anything is stocked). Levels
are divided by the commodity's resolution once, at the end, so stock.csv carries the exact
quantity (467649.08 L, never 467649.07999999996 L).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from acsasim.result import RunResult


def stock_columns(r: RunResult) -> tuple[list[Any], ...]:
    """The columns of stock.csv: date, holder, party, commodity, on_hand_end, on_hand_min; one
    row per holder, commodity (in the scenario's order, then any item received that the holder
    does not list) and day."""
    s, book = r.scenario, r.books.stock
    days = run_days(s.start, s.end)
    keys = [(h.id, c) for h in s.holders for c in h.stock]
    # an item a holder does not list but received (a return in kind of an equivalent, R9)
    moved = set(zip(book.holder, book.commodity, strict=True))
    keys += sorted({(book.holders[h], book.commodities[c]) for h, c in moved} - set(keys))
    ends, lows = _levels(r, keys, days)
    scale = np.array([book.scales[book.commodities.index(c)] for _, c in keys], dtype=float)
    parties = {h.id: h.party for h in s.holders}
    n = len(days)
    return (
        [d.isoformat() for d in days] * len(keys),
        [h for h, _ in keys for _ in range(n)],
        [parties[h] for h, _ in keys for _ in range(n)],
        [c for _, c in keys for _ in range(n)],
        (ends / scale[:, None]).ravel().tolist(),
        (lows / scale[:, None]).ravel().tolist(),
    )


def run_days(start: datetime, end: datetime) -> list[date]:
    """Every calendar day the run touches, its first to its last."""
    last = (end - timedelta(microseconds=1)).date()
    return [start.date() + timedelta(days=i) for i in range(max((last - start.date()).days + 1, 0))]


def _levels(
    r: RunResult, keys: list[tuple[str, str]], days: list[date]
) -> tuple[np.ndarray, np.ndarray]:
    """(end of day, lowest in the day) levels, keys x days, in integer units of resolution."""
    book = r.books.stock
    shape = (len(keys), len(days))
    key_of = np.full((len(book.holders), len(book.commodities)), -1, dtype=np.int64)
    for k, (holder, commodity) in enumerate(keys):
        key_of[book.holders.index(holder), book.commodities.index(commodity)] = k
    key = key_of[np.asarray(book.holder, dtype=np.int64), np.asarray(book.commodity, np.int64)]
    if len(key) and key.min() < 0:
        raise ValueError("a flow moves a commodity its holder does not stock")
    order = np.argsort(key, kind="stable")  # per key, in time order
    key = key[order]
    day = _day_index(r, days)[order]
    level = _running(np.asarray(book.quantity, dtype=np.int64)[order], key)
    # one group per key and day with a movement: its last and its lowest level
    if len(key):
        starts = np.flatnonzero(np.r_[True, (key[1:] != key[:-1]) | (day[1:] != day[:-1])])
        last = np.r_[starts[1:] - 1, len(key) - 1]
        at = (key[starts], day[starts])
    moved = np.zeros(shape, dtype=bool)
    ends = np.zeros(shape, dtype=np.int64)
    lows = np.zeros(shape, dtype=np.int64)
    if len(key):
        moved[at], ends[at] = True, level[last]
        lows[at] = np.minimum.reduceat(level, starts)
    # a day without a movement keeps the day before's level (0 before the first)
    seen = np.maximum.accumulate(np.where(moved, np.arange(shape[1]), -1), axis=1)
    level_at = np.where(seen >= 0, np.take_along_axis(ends, np.maximum(seen, 0), axis=1), 0)
    # the level a day opened at; the first day "opens" at its own end, never below its lowest
    opening = np.concatenate([level_at[:, :1], level_at[:, :-1]], axis=1)
    return level_at, np.where(moved, np.minimum(lows, opening), level_at)


def _running(quantity: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Running sums of `quantity` within each run of equal `key` (exact integers)."""
    total = np.cumsum(quantity)
    if not len(total):
        return total
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    before = np.r_[0, total[first[1:] - 1]]  # the sum of the keys before each run
    return total - np.repeat(before, np.diff(np.r_[first, len(key)]))


def _day_index(r: RunResult, days: list[date]) -> np.ndarray:
    """The calendar day (index into `days`) of every flow, each instant worked out once."""
    start = r.scenario.start
    times = np.asarray(r.books.stock.time, dtype=float)
    if not len(times):
        return np.zeros(0, dtype=np.int64)
    distinct, where = np.unique(times, return_inverse=True)
    first = days[0] if days else start.date()
    index = [((start + timedelta(hours=h)).date() - first).days for h in distinct.tolist()]
    return np.asarray(index, dtype=np.int64)[where.ravel()]
