"""Totals the bar charts show: ceiling use, refusals, unmet demand and stock-out hours.

Each is a small table a reader could check by hand against the run folder;
ceiling use is summed exactly (Decimal) from the orders so the figure printed
next to a bar is the one the books hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from acsasim.ledger.money import from_minor
from acsasim.output.run_data import RunData
from acsasim.scenario.ceiling_calendar import KEYS, CeilingCalendar

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class CeilingUse:
    agreement: str
    provider: str  # the party whose ceiling it is (providing, or acquiring: see `kind`)
    year_start: str  # ISO date of the ceiling year's first day
    kind: str  # value, supplies_value (provided); acquired_value, acquired_supplies_value
    used: Decimal  # reporting currency
    limit: float

    @property
    def fraction(self) -> float:
        return float(self.used) / self.limit if self.limit else 0.0

    @property
    def goods_only(self) -> bool:
        return self.kind.endswith("supplies_value")

    @property
    def acquired(self) -> bool:
        return self.kind.startswith("acquired")


def ceiling_use(data: RunData) -> list[CeilingUse]:
    """Use of every ceiling of every party, for each ceiling year the run touches (zero use
    included: a party far from its limit is also an answer), counted as the engine counts
    it (`scenario/ceiling_calendar.py`, R14)."""
    s = data.scenario
    o = data.frames["orders"]
    hours = data.order_hours("requested_at").tolist()
    services = [s.commodities[c].service for c in o["commodity"]]
    calendar = CeilingCalendar(s)
    rep = s.reporting_currency
    values = data.order_values().tolist()  # minor units: exact sums, one Decimal each
    rows = zip(o["agreement"], o["provider_party"], o["receiver"], o["receiver_party"],
               services, hours, values, o["activity"], strict=True)  # fmt: skip
    used = calendar.use(rows)
    out = []
    for ag in s.agreements:
        for party in ag.parties:
            for year in calendar.years(ag, party):
                day = year.date().isoformat()
                for kind in KEYS.values():
                    limit = calendar.limit(ag, party, kind)
                    if limit:
                        spent = from_minor(used.get((ag.id, party, day, kind), 0), rep)
                        out.append(CeilingUse(ag.id, party, day, kind, spent, limit))
    return out


def refusal_counts(data: RunData) -> pd.DataFrame:
    """Refusals: reason (rows, most frequent first) x requesting party (columns)."""
    r = data.frames["refusals"]
    table = r.groupby(["reason", "requester_party"]).size().unstack(fill_value=0)
    table = table.reindex(sorted(table.columns), axis=1)
    return table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]


@dataclass(frozen=True)
class Shortfall:
    commodity: str
    unit: str
    unmet: float  # in the commodity's unit
    unmet_share: float  # of demand
    stockout_hours: float  # summed over holders


def shortfalls(data: RunData) -> list[Shortfall]:
    """Unmet demand and stock-out hours per commodity with demand, from summary.json."""
    return _shortfalls(data.kpis, data)


def _shortfalls(kpis: dict[str, Any], data: RunData) -> list[Shortfall]:
    units = {c: spec.unit for c, spec in data.scenario.commodities.items()}
    return [
        Shortfall(
            c,
            units.get(c, ""),
            float(unmet),
            1.0 - float(kpis["fill_rate"].get(c, 1.0)),
            float(kpis["stockout_hours"].get(c, 0.0)),
        )
        for c, unmet in kpis["unmet_demand"].items()
    ]


def shortfalls_against(data: RunData, other: RunData) -> list[Shortfall]:
    """The other run's shortfalls, for the commodities of this one (zero where it had none)."""
    theirs = {x.commodity: x for x in _shortfalls(other.kpis, data)}
    return [
        theirs.get(x.commodity, Shortfall(x.commodity, x.unit, 0.0, 0.0, 0.0))
        for x in shortfalls(data)
    ]
