"""RunResult -> the tables of the run folder (the CSV/SQLite contract of docs/outputs.md).

Tables are built as plain rows (tuples of str/float/int) so that CSV, SQLite and
DataFrames all show the same values; money is exact decimal text, times are ISO
8601. `frames()` gives pandas DataFrames for notebooks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from acsasim.result import RunResult

ORDER_COLUMNS = (
    "order_id",
    "agreement",
    "provider_party",
    "provider",
    "receiver_party",
    "receiver",
    "commodity",
    "quantity",
    "unit",
    "activity",
    "requested_at",
    "delivered_at",
    "currency",
    "value",
    "value_reporting",
    "tax_waived_reporting",
    "method",
    "due_at",
    "status",
    "settled_at",
    "settled_quantity",
    "settled_value",
    "settle_with",
    "settles",
    "priced_at",
    "price_basis",
    "charges",
    "billed_quantity",
)
POSTING_COLUMNS = ("txn_id", "time", "kind", "order_id", "account", "amount", "currency")
FLOW_COLUMNS = ("time", "holder", "party", "commodity", "kind", "quantity", "unmet", "order_id")
REFUSAL_COLUMNS = (
    "time",
    "agreement",
    "requester",
    "requester_party",
    "provider",
    "provider_party",
    "commodity",
    "quantity_requested",
    "quantity_refused",
    "reason",
)
STOCK_COLUMNS = ("date", "holder", "party", "commodity", "on_hand_end", "on_hand_min")
PURCHASE_COLUMNS = (
    "time",
    "line",
    "party",
    "holder",
    "commodity",
    "quantity",
    "unit",
    "currency",
    "value",
    "value_reporting",
    "tax_paid_reporting",
)
ORDER_TIMES = ("requested_at", "delivered_at", "due_at", "settled_at", "priced_at")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def tables(r: RunResult) -> list[Table]:
    """Every table of the run folder, in the order they are written."""
    clock = _clock(r.scenario.start)
    return [
        Table("orders", ORDER_COLUMNS, _orders(r, clock)),
        Table("postings", POSTING_COLUMNS, _postings(r, clock)),
        Table("flows", FLOW_COLUMNS, _flows(r, clock)),
        Table("refusals", REFUSAL_COLUMNS, _refusals(r, clock)),
        Table("stock", STOCK_COLUMNS, stock_rows(r)),
        Table("purchases", PURCHASE_COLUMNS, _purchases(r, clock)),
    ]


def frames(r: RunResult) -> dict[str, pd.DataFrame]:
    """The same tables as pandas DataFrames, built once each."""
    import pandas as pd

    return {t.name: pd.DataFrame(t.rows, columns=list(t.columns)) for t in tables(r)}


def _clock(start: datetime) -> Callable[[float | None], str]:
    def iso(hours: float | None) -> str:
        return (
            "" if hours is None else (start + timedelta(hours=hours)).isoformat(timespec="seconds")
        )

    return iso


def _text(value: Any) -> Any:
    return "" if value is None else value


def _orders(r: RunResult, iso: Callable[[float | None], str]) -> list[tuple[Any, ...]]:
    rows = []
    for o in r.orders:
        row = [getattr(o, c) for c in ORDER_COLUMNS]
        for c in ORDER_TIMES:
            row[ORDER_COLUMNS.index(c)] = iso(getattr(o, c))
        rows.append(tuple(str(v) if hasattr(v, "as_tuple") else _text(v) for v in row))
    return rows


def _postings(r: RunResult, iso: Callable[[float | None], str]) -> list[tuple[Any, ...]]:
    return [
        (t.txn_id, iso(t.time), t.kind, t.order_id or "", p.account, str(p.amount), p.currency)
        for t in r.transactions
        for p in t.postings
    ]


def _flows(r: RunResult, iso: Callable[[float | None], str]) -> list[tuple[Any, ...]]:
    return [
        (iso(f.time), f.holder, f.party, f.commodity, f.kind, f.quantity, f.unmet, f.order_id or "")
        for f in r.flows
    ]


def _refusals(r: RunResult, iso: Callable[[float | None], str]) -> list[tuple[Any, ...]]:
    return [
        (
            iso(x.time),
            x.agreement,
            x.requester,
            x.requester_party,
            x.provider,
            x.provider_party,
            x.commodity,
            x.requested,
            x.refused,
            x.reason,
        )
        for x in r.refusals
    ]


def _purchases(r: RunResult, iso: Callable[[float | None], str]) -> list[tuple[Any, ...]]:
    return [
        (iso(x.time), x.line, x.party, x.holder, x.commodity, x.quantity, x.unit, x.currency,
         str(x.value), str(x.value_reporting), str(x.tax_paid_reporting))
        for x in r.purchases
    ]  # fmt: skip


def stock_rows(r: RunResult) -> list[tuple[Any, ...]]:
    """On-hand stock per holder, commodity and calendar day: end of day and the day's minimum,
    replayed from the flows (R15 makes them the whole truth)."""
    s = r.scenario
    days = _days(s.start, s.end)
    index = {d: i for i, d in enumerate(days)}
    parties = {h.id: h.party for h in s.holders}
    keys = [(h.id, c) for h in s.holders for c in h.stock]
    # an item a holder does not list but received (a return in kind of an equivalent, R9)
    keys += sorted({(f.holder, f.commodity) for f in r.flows} - set(keys))
    ends = {k: [None] * len(days) for k in keys}
    mins = {k: [None] * len(days) for k in keys}
    on_hand: dict[tuple[str, str], float] = {}
    for f in r.flows:
        key = (f.holder, f.commodity)
        on_hand[key] = on_hand.get(key, 0.0) + f.quantity
        day = index[(s.start + timedelta(hours=f.time)).date()]
        ends[key][day] = on_hand[key]
        low = mins[key][day]
        mins[key][day] = on_hand[key] if low is None else min(low, on_hand[key])
    rows = []
    for holder, commodity in keys:
        level = 0.0
        for i, day in enumerate(days):
            opening = level
            level = (
                ends[(holder, commodity)][i] if ends[(holder, commodity)][i] is not None else level
            )
            low = mins[(holder, commodity)][i]
            if low is None:
                low = level  # no movement that day
            elif i > 0:
                low = min(low, opening)  # the day opened at yesterday's level
            rows.append((day.isoformat(), holder, parties[holder], commodity, level, low))
    return rows


def _days(start: datetime, end: datetime) -> list[date]:
    last = (end - timedelta(microseconds=1)).date()
    return [start.date() + timedelta(days=i) for i in range((last - start.date()).days + 1)]
