"""Reorder and sourcing (R3): when a holder's position falls to its reorder level it orders
up to capacity, from its national line, its allies under an ACSA, or both, by `policy.acsa`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from acsasim.sim.holders import HolderState
    from acsasim.sim.logistics import NationalLine
    from acsasim.sim.world import World

EPS = 1e-9


class Reorder:
    def __init__(self, world: World) -> None:
        self.world = world
        self.policy = world.scenario.policy.acsa

    def check(self, holder: HolderState, commodity: str) -> None:
        level = holder.spec.stock[commodity]
        position = holder.position(commodity)
        if position > level.reorder + EPS:
            return
        quantity = level.capacity - position
        if quantity <= EPS:
            return
        line = holder.line if holder.line is not None and holder.line.carries(commodity) else None
        allies = self.policy != "never" and holder.spec.kind == "unit"  # a depot only provides
        if allies and self.policy == "when_national_late" and line is not None:
            allies = not self._national_in_time(holder, commodity, line)
        if allies:
            quantity -= self.world.desk.request(holder, commodity, quantity)
        if line is not None and quantity > EPS:
            taken = line.order(holder.spec.id, commodity, quantity)
            holder.inbound[commodity] = holder.inbound.get(commodity, 0.0) + taken
            self.world.log(
                "{} orders {} {:g} from {}", holder.spec.id, commodity, taken, line.spec.id
            )

    def _national_in_time(self, holder: HolderState, commodity: str, line: NationalLine) -> bool:
        """R3 `when_national_late`: is the national line expected before stock reaches reserve?"""
        now = self.world.env.now
        arrival = line.expected_arrival(now, holder.spec.site)
        rate = holder.schedule.at(now).rates.get(commodity, 0.0) / 24  # per hour
        above = holder.on_hand(commodity) - holder.spec.stock[commodity].reserve
        if above <= 0:
            return False  # already at reserve: any national arrival is late
        return rate <= 0 or arrival < now + above / rate
