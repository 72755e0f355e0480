"""Totals the bar charts show: ceiling use, refusals, unmet demand and stock-out hours.

Each is a small table a reader could check by hand against the run folder;
ceiling use is summed exactly (Decimal) from the orders so the figure printed
next to a bar is the one the books hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from acsasim.ledger.money import from_minor
from acsasim.ledger.years import agreement_year, anniversary
from acsasim.output.run_data import RunData

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class CeilingUse:
    agreement: str
    provider: str
    year_start: str  # ISO date of the agreement year's first day
    kind: str  # "value" (all provisions) or "supplies_value" (goods only)
    used: Decimal  # reporting currency
    limit: float

    @property
    def fraction(self) -> float:
        return float(self.used) / self.limit if self.limit else 0.0


def ceiling_use(data: RunData) -> list[CeilingUse]:
    """Use of every ceiling by every provider party, for each agreement year the run touches
    (zero use included: a provider far from its limit is also an answer). Summed exactly, in
    minor units of the reporting currency, with each distinct request time dated once."""
    s, o, rep = data.scenario, data.frames["orders"], data.scenario.reporting_currency
    distinct, where = np.unique(data.order_hours("requested_at"), return_inverse=True)
    units = data.order_values()
    goods = np.asarray([not s.commodities[c].service for c in o["commodity"].tolist()], dtype=bool)
    agreement, provider = o["agreement"].to_numpy(), o["provider_party"].to_numpy()
    out = []
    for ag in s.agreements:
        limits = {"value": ag.ceilings.value, "supplies_value": ag.ceilings.supplies_value}
        first = ag.in_force or s.start
        years = range(
            agreement_year(first, s.start, 0.0), agreement_year(first, s.start, s.duration) + 1
        )
        year_of = _years(distinct, first, s.start, years)[where.ravel()]
        for party in ag.parties:
            mine = (agreement == ag.id) & (provider == party)
            for year in years:
                pick = mine & (year_of == year)
                day = anniversary(first, year).date().isoformat()
                for kind, limit in limits.items():
                    if limit:
                        chosen = pick if kind == "value" else pick & goods
                        used = from_minor(int(units[chosen].sum()), rep)
                        out.append(CeilingUse(ag.id, party, day, kind, used, limit))
    return out


def _years(hours: np.ndarray, first: datetime, start: datetime, years: range) -> np.ndarray:
    """The agreement year of each time (hours from `start`, within the run): how many of the
    run's anniversaries of `first` it has reached (ledger.years, R14)."""
    edges = [(anniversary(first, y) - start).total_seconds() / 3600 for y in years[1:]]
    return years[0] + np.searchsorted(np.asarray(edges, dtype=float), hours, side="right")


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
