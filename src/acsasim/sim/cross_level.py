"""National means first (R21): cross-levelling between holders of one party.

With `policy.cross_level`, a unit whose position falls to its reorder level first draws on
the holders of its own party with stock to spare, as R4 orders providers (nearest first,
a unit above its reorder level, a depot above its reserve), in whole units of issue. A
national transfer is no ACSA order: no price, no tax, no ceiling, no settlement; it moves
stock (`transfer_out`, `transfer_in`) over the routes like any delivery (R6), and, being the
party's own resupply, lets the receiver repay in kind what it owes (R9).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from acsasim.vocab import FlowKind

if TYPE_CHECKING:
    from acsasim.sim.world import World


class CrossLevel:
    def __init__(self, world: World) -> None:
        self.world = world
        self.transfers = 0

    def request(self, receiver: int, commodity: int, quantity: int) -> int:
        """Draw up to `quantity` from the receiver's own party; returns what is sent."""
        w = self.world
        issue = w.issue_unit[commodity]
        given = 0
        for offer in w.desk.directory.candidates(w.party[receiver], receiver, commodity):
            if given >= quantity:
                break
            if offer.holder == receiver or math.isinf(offer.transit):
                continue
            part = min(quantity - given, offer.surplus)
            part -= part % issue
            if part > 0:
                self._send(offer.holder, receiver, commodity, part)
                given += part
        return given

    def _send(self, provider: int, receiver: int, commodity: int, quantity: int) -> None:
        w = self.world
        now = w.env.now
        w.stock.move(now, provider, commodity, FlowKind.TRANSFER_OUT, -quantity,
                     cause="a national transfer")  # fmt: skip
        w.inbound[receiver, commodity] += quantity
        self.transfers += 1
        if w.logging:
            w.log(f"{w.ids[provider]} transfers {w.commodities[commodity]} "
                  f"{w.amount(commodity, quantity)} to {w.ids[receiver]}")  # fmt: skip
        arrive = lambda part: self._arrive(receiver, commodity, part)  # noqa: E731
        w.transport.send(provider, receiver, commodity, quantity, on_arrival=arrive)

    def _arrive(self, receiver: int, commodity: int, quantity: int) -> None:
        w = self.world
        w.stock.move(w.env.now, receiver, commodity, FlowKind.TRANSFER_IN, quantity,
                     cause="a national transfer")  # fmt: skip
        w.inbound[receiver, commodity] -= quantity
        if w.logging:
            w.log(f"{w.ids[receiver]} receives {w.commodities[commodity]} "
                  f"{w.amount(commodity, quantity)} by national transfer")  # fmt: skip
        w.settlement.received(receiver, commodity)
