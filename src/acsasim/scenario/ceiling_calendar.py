"""When an order counts against ceilings and in which year (R14): one reading of the scenario
for the engine (which trims requests), the KPIs and the report (which show the use).

Ceilings are per agreement, party and direction: what a party provides and what it acquires
(10 U.S.C. 2347 limits what the United States acquires). A party's years are its fiscal
years where the agreement names a start (`fiscal_year_start`, per party or for all), else
agreement years from `in_force`. Ceilings count orders at their value before any offset,
in the year of the request; they are lifted, and orders do not count, while the receiver is
in a phase marked `hostilities` or within an event's `hostilities` period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from acsasim.scenario.agreement import Agreement
from acsasim.scenario.lint import members
from acsasim.scenario.model import Scenario
from acsasim.scenario.years import agreement_year_at, fiscal_year_at

DIRECTIONS = ("provided", "acquired")
#: The KPI key of each (direction, goods only?): version-1 keys for what a party provides.
KEYS = {
    ("provided", False): "value",
    ("provided", True): "supplies_value",
    ("acquired", False): "acquired_value",
    ("acquired", True): "acquired_supplies_value",
}


class CeilingCalendar:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self._phases: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for p in scenario.phases:
            if p.hostilities:
                span = (p.from_, p.to if p.to is not None else scenario.duration)
                for h in members(scenario, p.holders):
                    self._phases[h.id].append(span)
        self._events = [
            (e.at, scenario.duration if e.hostilities.for_ is None else e.at + e.hostilities.for_)
            for e in scenario.events
            if e.hostilities is not None
        ]

    def lifted(self, receiver: str, hours: float) -> bool:
        """R14: no ceiling binds on, and nothing counts from, a delivery to `receiver` at
        `hours` during active hostilities."""
        if not (self._events or self._phases):
            return False
        spans = [*self._events, *self._phases.get(receiver, ())]
        return any(a <= hours < b for a, b in spans)

    def year(self, ag: Agreement, party: str, when: datetime) -> tuple[datetime, datetime]:
        """The ceiling year of `party` under `ag` that `when` falls in: (start, end)."""
        start = ag.ceilings.year_start(party)
        if start is not None:
            return fiscal_year_at(start, when)
        _, begins, ends = agreement_year_at(ag.in_force or self.s.start, when)
        return begins, ends

    def years(self, ag: Agreement, party: str) -> Iterator[datetime]:
        """The first day of every ceiling year of `party` the run touches."""
        when = self.s.start
        while when < self.s.end:
            begins, ends = self.year(ag, party, when)
            yield begins
            when = ends

    def use(self, orders: Iterable[tuple[Any, ...]]) -> dict[tuple[str, str, str, str], Any]:
        """Use of every ceiling: (agreement, party, year's first day, KPI key) -> sum of the
        orders' values (whatever number type they come in). `orders` gives (agreement,
        provider party, receiver, receiver party, service?, requested at, value, activity)
        each; what was given as aid (a gratis activity, R22) counts against nothing."""
        agreements = {ag.id: ag for ag in self.s.agreements}
        gratis = self.s.gratis
        used: dict[tuple[str, str, str, str], Any] = {}
        days: dict[tuple[str, str, float], str] = {}  # a run has few distinct request times
        for agreement, provider, receiver, party, service, hours, value, activity in orders:
            if activity in gratis or self.lifted(receiver, hours):
                continue
            for who, direction in ((provider, "provided"), (party, "acquired")):
                day = days.get((agreement, who, hours))
                if day is None:
                    when = self.s.start + timedelta(hours=hours)
                    first = self.year(agreements[agreement], who, when)[0]
                    day = days[(agreement, who, hours)] = first.date().isoformat()
                kinds = [False] if service else [False, True]
                for goods in kinds:
                    key = (agreement, who, day, KEYS[(direction, goods)])
                    used[key] = used.get(key, 0) + value
        return used

    def limit(self, ag: Agreement, party: str, key: str) -> float | None:
        """The limit that KPI key `key` of `party` measures use against; None if none."""
        (direction, goods) = next(k for k, v in KEYS.items() if v == key)
        value, supplies = ag.ceilings.limits(party, direction)
        return supplies if goods else value
