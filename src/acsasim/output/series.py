"""The series the charts plot, derived from the run folder's tables (no drawing here).

Kept apart from the drawing so each derivation can be checked against the tables
by a test, and so the balance, aging and outstanding series follow whatever the
ledger posts: they read every `Assets:X:Receivable:Y...` posting, whatever its
kind (issue, return in kind, invoice, payment, conversion, offset), and attach
it to its order for the order's method and due date. Floats appear only here,
for plotting; totals shown as text are summed as Decimals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from acsasim.output.run_data import RunData, at, decimals, times, to_reporting
from acsasim.output.style import AGING_BUCKETS, AGING_EDGES_DAYS
from acsasim.scenario.lint import members

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

UNLINKED = "not linked to an order"
NO_METHOD = "no method yet"
EPSILON = timedelta(seconds=1)  # "overdue" means strictly after the due date


def grid(data: RunData) -> pd.DatetimeIndex:
    """Sampling times of the money series: hourly for short runs, at most ~600 points."""
    import pandas as pd

    s = data.scenario
    step = max(1, math.ceil(s.duration / 600))
    n = int(s.duration // step)
    points = [s.start + timedelta(hours=i * step) for i in range(n + 1)]
    if points[-1] < s.end:
        points.append(s.end)
    return pd.DatetimeIndex(points)


def step_sum(
    when: pd.DatetimeIndex, events: pd.DataFrame, key: str, columns: list[str]
) -> pd.DataFrame:
    """Running sums of `events.amount` per `events[key]`, as they stand at each time of `when`.

    `events` has columns time, amount and `key`; an event at t counts from t on.
    """
    import numpy as np
    import pandas as pd

    grid_ns = when.values.astype("datetime64[ns]")
    out = {}
    for col in columns:
        sel = events[events[key] == col].sort_values("time", kind="stable")
        ts = sel["time"].values.astype("datetime64[ns]")
        sums = np.concatenate([[0.0], np.cumsum(sel["amount"].to_numpy(dtype=float))])
        out[col] = sums[np.searchsorted(ts, grid_ns, side="right")]
    return pd.DataFrame(out, index=when, columns=columns)


# --- receivables --------------------------------------------------------------------------


def receivables(data: RunData) -> pd.DataFrame:
    """Every posting on a receivable: time, creditor, debtor, order_id, amount (reporting
    currency, float), exact (Decimal), plus the order's method and due date when linked."""
    import pandas as pd

    p = data.frames["postings"]
    parts = p["account"].str.split(":")
    mask = (parts.str[0] == "Assets") & (parts.str[2] == "Receivable") & parts.str[3].notna()
    p, parts = p[mask], parts[mask]
    exact = to_reporting(data, p["amount"], p["currency"])
    out = pd.DataFrame(
        {
            "time": times(p["time"]),
            "creditor": parts.str[1],
            "debtor": parts.str[3],
            "order_id": p["order_id"],
            "amount": [float(x) for x in exact],
            "exact": exact,
        }
    ).reset_index(drop=True)
    orders = data.frames["orders"].set_index("order_id")
    linked = out["order_id"].isin(orders.index)
    method = out["order_id"].map(orders["method"]).where(linked, UNLINKED)
    out["method"] = method.replace("", NO_METHOD)
    out["due"] = times(out["order_id"].map(orders["due_at"]).fillna(""))
    return out


def pairs(data: RunData, rec: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """Every pair of parties with an agreement or a receivable, each sorted, in sorted order."""
    found = {tuple(sorted(ag.parties)) for ag in data.scenario.agreements}
    rec = receivables(data) if rec is None else rec
    found |= {tuple(sorted(x)) for x in zip(rec["creditor"], rec["debtor"], strict=True)}
    return sorted(found)  # type: ignore[arg-type]


def aging_events(rec: pd.DataFrame) -> pd.DataFrame:
    """Each linked receivable amount as events (time, bucket, amount): it enters the bucket
    of its order's age when posted, then moves one bucket on at each age boundary."""
    import pandas as pd

    rows: list[tuple[datetime, str, float, str, str]] = []
    for r in rec[rec["method"] != UNLINKED].itertuples(index=False):
        edges = (
            []
            if pd.isna(r.due)
            else [r.due + timedelta(days=d) + EPSILON for d in AGING_EDGES_DAYS]
        )
        k = sum(1 for e in edges if e <= r.time)
        rows.append((r.time, AGING_BUCKETS[k], r.amount, r.creditor, r.debtor))
        for j in range(k, len(edges)):
            rows.append((edges[j], AGING_BUCKETS[j], -r.amount, r.creditor, r.debtor))
            rows.append((edges[j], AGING_BUCKETS[j + 1], r.amount, r.creditor, r.debtor))
    return pd.DataFrame(rows, columns=["time", "bucket", "amount", "creditor", "debtor"])


@dataclass(frozen=True)
class Balance:
    """The reciprocal net balance of one pair over time: positive = `b` owes `a`."""

    a: str
    b: str
    net: pd.Series  # reporting currency, on the grid
    overdue_to_a: pd.Series  # what b owes a that is past due (>= 0)
    overdue_to_b: pd.Series  # what a owes b that is past due (>= 0)
    end: Decimal  # exact net at the end


def balances(data: RunData) -> list[Balance]:
    """Net balance and the overdue part of each side's debt, per pair of parties, over time."""
    when = grid(data)
    rec = receivables(data)
    aged = aging_events(rec)
    late = aged[aged["bucket"] != AGING_BUCKETS[0]]
    out = []
    for a, b in pairs(data, rec):
        signed = _signed(rec, a, b)
        exact = sum(
            (x if c == a else -x for x, c in zip(signed["exact"], signed["creditor"], strict=True)),
            Decimal(0),
        )
        owed_to_a = _running(when, _owed(late, a, b))
        out.append(
            Balance(
                a, b, _running(when, signed), owed_to_a, _running(when, _owed(late, b, a)), exact
            )
        )
    return out


def _owed(events: pd.DataFrame, creditor: str, debtor: str) -> pd.DataFrame:
    return events[(events["creditor"] == creditor) & (events["debtor"] == debtor)]


def _running(when: pd.DatetimeIndex, events: pd.DataFrame) -> pd.Series:
    """The running sum of all `events.amount` on the grid."""
    return step_sum(when, events.assign(pair="pair"), "pair", ["pair"])["pair"]


def _signed(events: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Events between a and b, signed so that what b owes a counts positive."""
    sel = events[
        ((events["creditor"] == a) & (events["debtor"] == b))
        | ((events["creditor"] == b) & (events["debtor"] == a))
    ]
    sign = sel["creditor"].map(lambda c: 1.0 if c == a else -1.0)
    return sel.assign(amount=sel["amount"] * sign)


def outstanding_by(data: RunData, by: str) -> pd.DataFrame:
    """Gross outstanding receivables over time, one column per settlement method
    (`by="method"`) or per aging bucket (`by="aging"`); columns that stay zero are dropped
    (aging keeps "not yet due" so the chart always has its baseline)."""
    rec = receivables(data)
    if by == "method":
        events, key = rec, "method"
        order = [m for m in sorted(set(rec["method"])) if m not in (NO_METHOD, UNLINKED)]
        order += [m for m in (NO_METHOD, UNLINKED) if m in set(rec["method"])]
    else:
        events, key = aging_events(rec), "bucket"
        unlinked = rec[rec["method"] == UNLINKED].assign(bucket=UNLINKED)
        if len(unlinked):
            import pandas as pd

            events = pd.concat([events, unlinked[events.columns]], ignore_index=True)
        order = [*AGING_BUCKETS, UNLINKED]
    table = step_sum(grid(data), events, key, order)
    keep = [
        c
        for c in table
        if (c == AGING_BUCKETS[0] and by != "method") or table[c].abs().max() > 0.005
    ]
    return table[keep]


# --- value provided -----------------------------------------------------------------------


@dataclass(frozen=True)
class Provided:
    """Cumulative value provided under one agreement in one direction, by ACSA category."""

    agreement: str
    provider: str
    receiver: str
    by_category: pd.DataFrame  # grid x category, reporting currency
    total: Decimal


def provided(data: RunData) -> list[Provided]:
    """One entry per agreement and direction with orders, largest total first."""
    o = data.frames["orders"]
    if o.empty:
        return []
    cats = {c: spec.category for c, spec in data.scenario.commodities.items()}
    when = times(o["delivered_at"]).fillna(times(o["requested_at"]))
    events = o.assign(
        time=when,
        amount=[float(v) for v in decimals(o["value_reporting"])],
        exact=decimals(o["value_reporting"]),
        category=o["commodity"].map(cats),
    )
    out = []
    for (ag, prov, recv), sel in events.groupby(["agreement", "provider_party", "receiver_party"]):
        columns = sorted(set(sel["category"]))
        table = step_sum(grid(data), sel, "category", columns)
        out.append(Provided(ag, prov, recv, table, sum(sel["exact"], Decimal(0))))
    return sorted(out, key=lambda p: (-p.total, p.agreement, p.provider))


# --- stock --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StockLine:
    holder: str
    party: str
    commodity: str
    unit: str
    dates: pd.DatetimeIndex
    end: np.ndarray  # on hand at the end of each day
    low: np.ndarray  # the day's minimum
    reorder: float
    reserve: float
    score: float  # lowest on hand / reorder level: below 1 dipped under reorder, 0 ran out


def stock_lines(data: RunData) -> list[StockLine]:
    """One line per holder and commodity, closest to running out first."""
    import pandas as pd

    s = data.scenario
    st = data.frames["stock"]
    out = []
    for (holder, commodity), sel in st.groupby(["holder", "commodity"], sort=False):
        levels = s.holder(holder).stock[commodity]
        low = sel["on_hand_min"].to_numpy(dtype=float)
        base = levels.reorder or levels.capacity or 1.0
        out.append(
            StockLine(
                holder,
                str(sel["party"].iloc[0]),
                commodity,
                s.commodities[commodity].unit,
                pd.DatetimeIndex(pd.to_datetime(sel["date"])),
                sel["on_hand_end"].to_numpy(dtype=float),
                low,
                levels.reorder,
                levels.reserve,
                float(low.min()) / base,
            )
        )
    return sorted(out, key=lambda line: line.score)


# --- timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    holder: str
    start: datetime
    end: datetime
    profile: str | None
    activity: str | None
    factor: float
    whole_run: bool


def phase_spans(data: RunData) -> list[Span]:
    """Every phase once per unit it applies to, in timeline order. Depots are left out: a
    depot only provides, whatever a phase for `all` says (R2, R4). A unit's span has no
    profile where the unit consumes nothing under it (it lacks the profile, or its rates are
    all zero): a phase gives it an activity but no demand."""
    s = data.scenario
    units = {h.id: h for h in s.holders if h.kind == "unit"}
    out = []
    for ph in s.phases:
        end = s.duration if ph.to is None else min(ph.to, s.duration)
        whole = ph.from_ <= 0 and end >= s.duration
        for h in members(s, ph.holders):
            if h.id not in units:
                continue
            rates = h.consumption.get(ph.profile or "", {})
            profile = ph.profile if any(rate > 0 for rate in rates.values()) else None
            out.append(
                Span(
                    h.id,
                    at(data, ph.from_),
                    at(data, end),
                    profile,
                    ph.activity,
                    ph.demand_factor,
                    whole,
                )
            )
    return out


def events_by_time(data: RunData) -> list[tuple[datetime, list[str]]]:
    """Timeline events grouped by when they strike (several may share one instant)."""
    grouped: dict[float, list[str]] = {}
    for ev in data.scenario.events:
        grouped.setdefault(ev.at, []).append(ev.event)
    return [(at(data, t), names) for t, names in sorted(grouped.items())]
