"""Reorder and sourcing (R3): when a holder's position (on hand + inbound) falls to its reorder
level it orders up to capacity, from its national line, its allies under an ACSA, or both,
by `policy.acsa`:

- `never`: the national line only;
- `when_national_late`: the national line if its expected arrival (next departure + mean
  lead time + inland transit) comes before on-hand stock is projected to reach the reserve;
  otherwise allies first and the national line for what they cannot cover;
- `first`: allies first, the national line for the rest.

With `policy.cross_level` a unit first draws on holders of its own party (R21,
`sim/cross_level.py`). A depot only provides: it never asks allies. A commodity with a
`unit_of_issue` is asked for in whole units of issue: the quantity is rounded down to
them, and is at least one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from acsasim.sim.supply import NationalLine

if TYPE_CHECKING:
    from acsasim.sim.world import World


class Reorder:
    def __init__(self, world: World) -> None:
        self.world = world
        self.policy = world.scenario.policy.acsa
        self.cross_level = world.scenario.policy.cross_level

    def check(self, holder: int, commodity: int) -> None:
        w = self.world
        position = w.stock.level(holder, commodity) + w.inbound.item(holder, commodity)
        if position > w.reorder_level.item(holder, commodity):
            return
        quantity = w.capacity.item(holder, commodity) - position
        if quantity <= 0:
            return
        issue = w.issue_unit[commodity]
        if issue > 1:  # whole units of issue, rounded down, at least one (R3)
            quantity = max(issue, quantity - quantity % issue)
        line = w.line[holder]
        if line is not None and not line.carries(commodity):
            line = None
        if self.cross_level and not w.is_depot[holder]:  # national means first (R21)
            quantity -= w.cross_level.request(holder, commodity, quantity)
            if quantity <= 0:
                return
        allies = self.policy != "never" and not w.is_depot[holder]
        if allies and self.policy == "when_national_late" and line is not None:
            allies = not self._national_in_time(holder, commodity, line)
        if allies:
            quantity -= w.desk.request(holder, commodity, quantity)
        if line is not None and quantity > 0:
            taken = line.order(holder, commodity, quantity)
            w.inbound[holder, commodity] += taken
            if w.logging:
                w.log(f"{w.ids[holder]} orders {w.commodities[commodity]} "
                      f"{w.amount(commodity, taken)} from {line.spec.id}")  # fmt: skip

    def _national_in_time(self, holder: int, commodity: int, line: NationalLine) -> bool:
        """R3 `when_national_late`: is the national line expected before stock reaches reserve?"""
        w = self.world
        now = w.env.now
        arrival = line.expected_arrival(now, w.site[holder])
        per_hour = w.schedules[holder].at(now).rates.get(w.commodities[commodity], 0.0) / 24
        above = w.stock.level(holder, commodity) - w.reserve.item(holder, commodity)
        if above <= 0:
            return False  # already at reserve: any national arrival is late
        return per_hour <= 0 or arrival < now + above / w.scale[commodity] / per_hour
