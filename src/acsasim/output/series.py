"""The series the money charts plot, derived from the run's books as columns (no drawing here).

Kept apart from the drawing so each derivation can be checked against the tables by a test.
The balance, aging and outstanding series read the receivable moves of every pair at once
(`RunData.moves`, the same one pass over the journal the statements read): every change of a
receivable, whatever its kind (issue, return in kind, invoice, payment, conversion, offset),
charged to its order for the order's method and due date. A series is a running sum sampled on
a grid of at most ~600 instants (`grid`), computed for all its groups in one grouped sum
(`running`); the net balance also carries its envelope, the lowest and highest it was between
two instants of the grid, so a spike narrower than a pixel still shows. Times are whole seconds
from the start (the tables' resolution), so "on or after the due date" is decided exactly.
Floats appear only here, for plotting; totals shown as text are summed exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from acsasim.ledger.columns import NONE
from acsasim.ledger.money import from_minor, minor_units
from acsasim.output.run_data import RunData
from acsasim.output.series_time import (
    Span,
    StockLine,
    events_by_time,
    phase_spans,
    stock_lines,
)
from acsasim.output.style import AGING_BUCKETS, AGING_EDGES_DAYS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "NO_METHOD",
    "UNLINKED",
    "Balance",
    "Provided",
    "Span",
    "StockLine",
    "balances",
    "events_by_time",
    "grid",
    "outstanding_by",
    "pairs",
    "phase_spans",
    "provided",
    "receivables",
    "running",
    "stock_lines",
]

UNLINKED = "not linked to an order"
NO_METHOD = "no method yet"
MAX_POINTS = 400  # instants a money chart samples: about one per two pixels of a panel
STEPS = (1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 720)  # hours between them: the first that fits
DAY = 86_400  # seconds
LATE = 1  # second: "overdue" means strictly after the due date


def grid(data: RunData) -> pd.DatetimeIndex:
    """Sampling times of the money series: hourly for short runs, daily for a year, at
    most ~MAX_POINTS points (and the run's end)."""
    import pandas as pd

    s = data.scenario
    return pd.DatetimeIndex([s.start + timedelta(seconds=x) for x in _grid_seconds(data).tolist()])


def _grid_seconds(data: RunData) -> np.ndarray:
    duration = data.scenario.duration
    fits = [h for h in STEPS if duration / h <= MAX_POINTS]
    step = fits[0] if fits else math.ceil(duration / MAX_POINTS)
    hours: list[float] = [i * step for i in range(int(duration // step) + 1)]
    if hours[-1] < duration:
        hours.append(duration)
    return np.rint(np.asarray(hours, dtype=float) * 3600).astype(np.int64)


def running(
    when: np.ndarray, times: np.ndarray, group: np.ndarray, amounts: np.ndarray, n: int
) -> np.ndarray:
    """Running sums of `amounts` per group (0..n-1), as they stand at each instant of `when`
    (n x len(when)): an amount at t counts from t on."""
    at = np.searchsorted(when, times, side="left")  # the first instant at or after t
    out = np.zeros((n, len(when) + 1))
    np.add.at(out, (group, at), amounts)
    return np.cumsum(out, axis=1)[:, :-1]


# --- receivables --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Moves:
    """The run's receivable moves as the charts use them: seconds, reporting floats."""

    time: np.ndarray  # int64 seconds from the start
    parties: tuple[str, ...]  # sorted: codes compare as the names do
    creditor: np.ndarray  # party code
    debtor: np.ndarray
    amount: np.ndarray  # float, reporting currency
    order: np.ndarray  # order row, or NONE
    method: np.ndarray  # the order's method, NO_METHOD or UNLINKED
    due: np.ndarray  # float seconds of the order's due date, nan: none


def _moves(data: RunData) -> _Moves:
    return data.cached("chart moves", lambda: _chart_moves(data))


def _chart_moves(data: RunData) -> _Moves:
    m, conv = data.moves, data.converter
    codes = m.journal.currency_codes
    per_unit = np.asarray(
        [1 / (10 ** minor_units(c) * float(conv.rate(c))) for c in codes], dtype=float
    )
    methods = np.asarray(
        [v or NO_METHOD for v in data.frames["orders"]["method"].tolist()] + [UNLINKED],
        dtype=object,
    )
    due = np.rint(np.r_[m.orders.due_at, np.nan] * 3600)  # an order row; NONE picks the nan
    return _Moves(
        np.rint(m.journal.txn_time[m.txn] * 3600).astype(np.int64),
        m.accounts.parties,
        m.creditor,
        m.debtor,
        m.delta.astype(float) * per_unit[m.currency] if len(m.delta) else np.zeros(0),
        m.order,
        methods[m.order],
        due[m.order],
    )


def receivables(data: RunData) -> pd.DataFrame:
    """Every change of a receivable (one row per move): time, creditor, debtor, order_id,
    amount (reporting currency, float), the order's method and due date (NaT: none)."""
    import pandas as pd

    mv, start = _moves(data), data.scenario.start
    ids = np.asarray((*data.moves.orders.order_id, ""), dtype=object)
    names = np.asarray(mv.parties, dtype=object)
    return pd.DataFrame(
        {
            "time": pd.to_datetime(start) + pd.to_timedelta(mv.time, unit="s"),
            "creditor": names[mv.creditor] if len(names) else names,
            "debtor": names[mv.debtor] if len(names) else names,
            "order_id": ids[mv.order],  # NONE (-1) picks the empty id
            "amount": mv.amount,
            "method": mv.method,
            "due": pd.to_datetime(start) + pd.to_timedelta(mv.due, unit="s"),
        }
    )


def pairs(data: RunData) -> list[tuple[str, str]]:
    """Every pair of parties with an agreement or a receivable, each sorted, in sorted order."""
    found = {tuple(sorted(ag.parties)) for ag in data.scenario.agreements}
    m = data.moves
    seen = np.unique(np.stack([m.creditor, m.debtor], axis=1), axis=0).tolist()
    found |= {tuple(sorted(m.accounts.parties[i] for i in pair)) for pair in seen}
    return sorted((a, b) for a, b in found)


def _edges(mv: _Moves) -> np.ndarray:
    """moves x aging edges: the instant each linked move enters the next bucket (inf: never)."""
    edges = np.asarray(AGING_EDGES_DAYS, dtype=float) * DAY + LATE
    out = mv.due[:, None] + edges[None, :]
    return np.where(np.isnan(out), np.inf, out)


def _aging_events(mv: _Moves) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each linked move as events (time, bucket, amount): it enters the bucket of its order's
    age when it happens, then moves one bucket on at each age boundary."""
    linked = np.flatnonzero(mv.order != NONE)
    edges = _edges(mv)[linked]
    t, a = mv.time[linked], mv.amount[linked]
    k = (edges <= t[:, None]).sum(axis=1)
    times, buckets, amounts = [t.astype(float)], [k], [a]
    for j in range(edges.shape[1]):
        moving = (k <= j) & np.isfinite(edges[:, j])
        for bucket, sign in ((j, -1.0), (j + 1, 1.0)):
            times.append(edges[moving, j])
            buckets.append(np.full(int(moving.sum()), bucket))
            amounts.append(sign * a[moving])
    return np.concatenate(times), np.concatenate(buckets), np.concatenate(amounts)


@dataclass(frozen=True)
class Balance:
    """The reciprocal net balance of one pair over time: positive = `b` owes `a`."""

    a: str
    b: str
    net: pd.Series  # reporting currency, on the grid
    overdue_to_a: pd.Series  # what b owes a that is past due (>= 0)
    overdue_to_b: pd.Series  # what a owes b that is past due (>= 0)
    end: Decimal  # exact net at the end
    low: np.ndarray  # the lowest the net was since the grid's previous instant
    high: np.ndarray  # and the highest


def balances(data: RunData) -> list[Balance]:
    """Net balance, its envelope, and the overdue part of each side's debt, per pair of
    parties, over time: every pair in one grouped sum."""
    import pandas as pd

    when, index, mv = _grid_seconds(data), grid(data), _moves(data)
    found = pairs(data)
    n = len(mv.parties)
    number = np.full((n, n), -1, dtype=np.int64)  # party codes (either way) -> pair
    code = {p: i for i, p in enumerate(mv.parties)}
    for i, (a, b) in enumerate(found):
        if a in code and b in code:
            number[code[a], code[b]] = number[code[b], code[a]] = i
    pair = number[mv.creditor, mv.debtor] if n else np.zeros(0, dtype=np.int64)
    first = mv.creditor < mv.debtor  # the creditor is the pair's first party
    signed = np.where(first, mv.amount, -mv.amount)  # what b owes a counts positive
    net = running(when, mv.time, pair, signed, len(found))
    low, high = _envelope(when, mv.time, pair, signed, net)
    # overdue: a linked move counts from its order's due date (+1 s) or when it happens
    edge = _edges(mv)[:, 0]
    due = np.isfinite(edge)
    late_at = np.maximum(mv.time[due], edge[due])
    overdue = running(when, late_at, pair[due] * 2 + ~first[due], mv.amount[due], 2 * len(found))
    exact = _exact_nets(data, found)
    return [
        Balance(
            a,
            b,
            pd.Series(net[i], index=index),
            pd.Series(overdue[2 * i], index=index),
            pd.Series(overdue[2 * i + 1], index=index),
            exact[i],
            low[i],
            high[i],
        )
        for i, (a, b) in enumerate(found)
    ]


def _envelope(
    when: np.ndarray, times: np.ndarray, group: np.ndarray, amounts: np.ndarray, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per group and grid instant, the lowest and highest running sum since the instant
    before (the value at each instant included)."""
    low, high = at.copy(), at.copy()
    previous = np.concatenate([np.zeros((len(at), 1)), at[:, :-1]], axis=1)
    np.minimum(low, previous, out=low)
    np.maximum(high, previous, out=high)
    order = np.lexsort((times, group))
    g, t, value = group[order], times[order], np.zeros(len(order))
    if len(order):
        value = np.cumsum(amounts[order])
        first = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        value -= np.repeat(np.r_[0.0, value[first[1:] - 1]], np.diff(np.r_[first, len(g)]))
    slot = np.searchsorted(when, t, side="left")
    inside = slot < len(when)
    np.minimum.at(low, (g[inside], slot[inside]), value[inside])
    np.maximum.at(high, (g[inside], slot[inside]), value[inside])
    return low, high


def _exact_nets(data: RunData, found: list[tuple[str, str]]) -> list[Decimal]:
    """Each pair's net at the end, exactly: integer sums per currency, converted once."""
    m, conv = data.moves, data.converter
    out = []
    for a, b in found:
        rows = m.between(a, b)
        signed = np.where(m.creditor[rows] < m.debtor[rows], m.delta[rows], -m.delta[rows])
        total = Decimal(0)
        for c in np.unique(m.currency[rows]).tolist():
            code = m.journal.currency_codes[c]
            units = int(signed[m.currency[rows] == c].sum())
            total += conv.exact(from_minor(units, code), code)
        out.append(total)
    return out


def outstanding_by(data: RunData, by: str) -> pd.DataFrame:
    """Gross outstanding receivables over time, one column per settlement method
    (`by="method"`) or per aging bucket (`by="aging"`); columns that stay zero are dropped
    (aging keeps "not yet due" so the chart always has its baseline)."""
    import pandas as pd

    when, mv = _grid_seconds(data), _moves(data)
    if by == "method":
        seen = set(mv.method.tolist())
        order = sorted(seen - {NO_METHOD, UNLINKED}) + [
            m for m in (NO_METHOD, UNLINKED) if m in seen
        ]
        number = {m: i for i, m in enumerate(order)}
        group = np.asarray([number[m] for m in mv.method], dtype=np.int64)
        table = running(when, mv.time, group, mv.amount, len(order))
    else:
        order = [*AGING_BUCKETS, UNLINKED]
        times, buckets, amounts = _aging_events(mv)
        unlinked = mv.order == NONE
        times = np.concatenate([times, mv.time[unlinked]])
        buckets = np.concatenate([buckets, np.full(int(unlinked.sum()), len(AGING_BUCKETS))])
        table = running(
            when, times, buckets, np.concatenate([amounts, mv.amount[unlinked]]), len(order)
        )
    frame = pd.DataFrame(table.T, index=grid(data), columns=order)
    keep = [
        c
        for c in frame
        if (c == AGING_BUCKETS[0] and by != "method") or frame[c].abs().max() > 0.005
    ]
    return frame[keep]


# --- value provided -----------------------------------------------------------------------


@dataclass(frozen=True)
class Provided:
    """Cumulative value provided under one agreement in one direction, by ACSA category."""

    agreement: str
    provider: str
    receiver: str
    by_category: pd.DataFrame  # grid x category, reporting currency
    total: Decimal
    gathered: int = 0  # >1: the sum of that many directions (the chart's last panel)


def provided(data: RunData) -> list[Provided]:
    """One entry per agreement and direction with orders, largest total first: every
    direction and category in one grouped sum."""
    import pandas as pd

    o, s = data.frames["orders"], data.scenario
    if o.empty:
        return []
    rep = s.reporting_currency
    delivered = data.order_hours("delivered_at")
    hours = np.where(np.isnan(delivered), data.order_hours("requested_at"), delivered)
    units = data.order_values()
    cats = {c: spec.category for c, spec in s.commodities.items()}
    columns = ("agreement", "provider_party", "receiver_party")
    keys = list(zip(*(o[c].tolist() for c in columns), strict=True))
    commodities = o["commodity"].tolist()
    directions = sorted(set(keys))
    categories = sorted({cats[c] for c in set(commodities)})
    d = _index(keys, directions)
    c = _index([cats[x] for x in commodities], categories)
    amount = units.astype(float) / 10 ** minor_units(rep)
    when = _grid_seconds(data)
    table = running(
        when,
        np.rint(hours * 3600),
        d * len(categories) + c,
        amount,
        len(directions) * len(categories),
    )
    out = []
    for i, (ag, prov, recv) in enumerate(directions):
        mine = d == i
        shown = sorted({categories[x] for x in c[mine].tolist()})
        by_category = {cat: table[i * len(categories) + categories.index(cat)] for cat in shown}
        frame = pd.DataFrame(by_category, index=grid(data), columns=shown)
        out.append(Provided(ag, prov, recv, frame, from_minor(int(units[mine].sum()), rep)))
    return sorted(out, key=lambda p: (-p.total, p.agreement, p.provider))


def _index(values: list[Any], ordered: list[Any]) -> np.ndarray:
    """Each value's position in `ordered`."""
    number = {v: i for i, v in enumerate(ordered)}
    return np.asarray([number[v] for v in values], dtype=np.int64)
