"""Ceilings (R14): per agreement, provider party and agreement year, the reporting-currency
value of what the party provides stays within `ceilings.value`, and that of goods (not
services) within `ceilings.supplies_value`.

Agreement years run from `in_force` (or the scenario's start) by calendar anniversary, so a
ceiling resets on the anniversary date (R1). Amounts are integer minor units of the
reporting currency, exact: a request is trimmed to the largest quantity whose value fits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from acsasim.ledger.money import exact, minor
from acsasim.ledger.valuation import Valuation
from acsasim.ledger.years import agreement_year_at
from acsasim.scenario.model import Agreement, Scenario


class CeilingBook:
    def __init__(self, scenario: Scenario) -> None:
        self.start = scenario.start
        self.used: dict[tuple[str, str, int], list[int]] = {}  # -> [all value, goods value]
        self._years: dict[str, tuple[int, float, float]] = {}  # agreement -> year, its hours
        rep = scenario.reporting_currency
        self._limits = {
            ag.id: tuple(None if v is None else minor(exact(v), rep) for v in ag.ceilings.limits)
            for ag in scenario.agreements
        }

    def room(self, ag: Agreement, party: str, service: bool, now: float) -> int | None:
        """What the party may still provide under the agreement this agreement year (the goods
        ceiling binds goods only); None when no ceiling binds."""
        value, goods = self._limits[ag.id]
        if value is None and (goods is None or service):
            return None
        used = self.used.get(self._key(ag, party, now), (0, 0))
        rooms = [value - used[0]] if value is not None else []
        if goods is not None and not service:
            rooms.append(goods - used[1])
        return max(0, min(rooms))

    def fit(self, quantity: int, room: int | None, valuation: Valuation) -> int:
        """The largest quantity <= `quantity` whose reporting value fits `room` (R14)."""
        if room is None or not valuation.value(quantity):
            return quantity  # no ceiling binds, or free goods
        return min(quantity, valuation.most_within(room))

    def use(self, ag: Agreement, party: str, reporting: int, service: bool, now: float) -> None:
        used = self.used.setdefault(self._key(ag, party, now), [0, 0])
        used[0] += reporting
        if not service:
            used[1] += reporting

    def _key(self, ag: Agreement, party: str, now: float) -> tuple[str, str, int]:
        """(agreement, party, agreement year at `now`); the year's span is kept in hours so the
        calendar is consulted only past an anniversary."""
        known = self._years.get(ag.id)
        if known is None or not known[1] <= now < known[2]:
            year, begins, ends = agreement_year_at(
                ag.in_force or self.start, self.start + timedelta(hours=now)
            )
            known = self._years[ag.id] = (year, self._hours(begins), self._hours(ends))
        return (ag.id, party, known[0])

    def _hours(self, when: datetime) -> float:
        return (when - self.start).total_seconds() / 3600
