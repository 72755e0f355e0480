"""Ceilings (R14 revised): per agreement, party and direction (what a party provides, what it
acquires) and ceiling year, the reporting-currency value of orders stays within `value`, and
that of goods (not services) within `supplies_value`.

Which limits apply, which year an order counts in (fiscal years from a stated start, or
agreement years from `in_force` by anniversary) and when hostilities lift them is read from
the scenario by `scenario/ceiling_calendar.py`, which the KPIs and the report share. Amounts
are integer minor units of the reporting currency, exact: a request is trimmed to the
largest quantity whose value fits both the provider's and the receiver's room. Orders count
at their value before any offset.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from acsasim.ledger.money import exact, minor
from acsasim.ledger.valuation import Valuation
from acsasim.scenario.ceiling_calendar import CeilingCalendar
from acsasim.scenario.model import Agreement, Scenario
from acsasim.sim.pricing import Quote

Limits = tuple[int | None, int | None]  # (all value, goods value), minor units


class CeilingBook:
    def __init__(self, scenario: Scenario) -> None:
        self.start = scenario.start
        self.calendar = CeilingCalendar(scenario)
        # (agreement, party, direction, year start) -> [all value, goods value]
        self.used: dict[tuple[str, str, str, datetime], list[int]] = {}
        self._years: dict[tuple[str, str], tuple[datetime, float, float]] = {}
        rep = scenario.reporting_currency
        self._limits: dict[tuple[str, str, str], Limits] = {}
        for ag in scenario.agreements:
            for party in ag.parties:
                for direction in ("provided", "acquired"):
                    values = ag.ceilings.limits(party, direction)
                    self._limits[(ag.id, party, direction)] = tuple(  # type: ignore[assignment]  # two limits: a pair
                        None if v is None else minor(exact(v), rep) for v in values
                    )
        # only the (agreement, party, direction) that some limit binds
        self._limits = {k: lim for k, lim in self._limits.items() if lim != (None, None)}
        self.binding = {a for a, _, _ in self._limits}
        self._hostile = any(e.hostilities for e in scenario.events) or any(
            p.hostilities for p in scenario.phases
        )

    def room(
        self, ag: Agreement, provider: str, receiver: str, holder: str, service: bool, now: float
    ) -> int | None:
        """What may still be provided to `receiver` by `provider` under the agreement this
        year: the least room of the provider's `provided` and the receiver's `acquired`
        ceilings (the goods ceilings bind goods only); None when no ceiling binds."""
        if ag.id not in self.binding or (self._hostile and self.calendar.lifted(holder, now)):
            return None
        rooms = []
        for party, direction in ((provider, "provided"), (receiver, "acquired")):
            limits = self._limits.get((ag.id, party, direction))
            if limits is None:
                continue
            value, goods = limits
            if value is None and service:
                continue
            used = self.used.get(self._key(ag, party, direction, now), (0, 0))
            if value is not None:
                rooms.append(value - used[0])
            if goods is not None and not service:
                rooms.append(goods - used[1])
        return max(0, min(rooms)) if rooms else None

    def fit(self, quantity: int, room: int | None, valuation: Valuation | Quote) -> int:
        """The largest quantity <= `quantity` whose reporting value fits `room` (R14)."""
        if room is None or not valuation.value(quantity):
            return quantity  # no ceiling binds, or free goods
        return min(quantity, valuation.most_within(room))

    def use(
        self, ag: Agreement, provider: str, receiver: str, holder: str, reporting: int,
        service: bool, now: float,
    ) -> None:  # fmt: skip
        """Count an order against both parties' ceilings (not during hostilities)."""
        if ag.id not in self.binding or (self._hostile and self.calendar.lifted(holder, now)):
            return
        for party, direction in ((provider, "provided"), (receiver, "acquired")):
            if (ag.id, party, direction) not in self._limits:
                continue
            used = self.used.setdefault(self._key(ag, party, direction, now), [0, 0])
            used[0] += reporting
            if not service:
                used[1] += reporting

    def _key(
        self, ag: Agreement, party: str, direction: str, now: float
    ) -> tuple[str, str, str, datetime]:
        """(agreement, party, direction, ceiling year at `now`); the year's span is kept in
        hours so the calendar is consulted only past a year's end."""
        known = self._years.get((ag.id, party))
        if known is None or not known[1] <= now < known[2]:
            begins, ends = self.calendar.year(ag, party, self.start + timedelta(hours=now))
            known = self._years[(ag.id, party)] = (begins, self._hours(begins), self._hours(ends))
        return (ag.id, party, direction, known[0])

    def _hours(self, when: datetime) -> float:
        return (when - self.start).total_seconds() / 3600
