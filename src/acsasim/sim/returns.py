"""Replacement in kind (R9): when and what a receiver returns, consolidated.

After a national receipt or a return received, a receiver repays what it owes each provider
holder for that commodity in one shipment (its orders oldest first, as far as its stock
stays at or above its reorder level), and ships to one provider and commodity at most once
per `return_every` of the agreement: a debt that waits for that is looked at again when the
period has passed. Not after ACSA receipts: to hand back at once what was just borrowed
would only send goods to and fro; debts are repaid out of one's own resupply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from acsasim.ledger import settlement as rules
from acsasim.vocab import FlowKind

if TYPE_CHECKING:
    from acsasim.sim.settle import Settlement


class Returns:
    def __init__(self, settlement: Settlement) -> None:
        self.settlement = settlement
        self.world, self.books = settlement.world, settlement.books
        # (receiver, commodity) -> provider holder -> orders to return in kind, oldest first
        self.in_kind: dict[tuple[int, int], dict[int, list[int]]] = {}
        self.last_return: dict[tuple[int, int, int], float] = {}  # (receiver, provider, c)
        self.retry: set[tuple[int, int]] = set()  # (receiver, commodity) with a look planned

    def owed(self, row: int, provider: int, receiver: int, commodity: int) -> None:
        """A delivered order to return in kind."""
        owed = self.in_kind.setdefault((receiver, commodity), {})
        owed.setdefault(provider, []).append(row)

    def received(self, holder: int, commodity: int) -> None:
        """R9: after a national receipt or a return received, the holder repays in kind what
        its stock allows, one consolidated shipment per provider holder. Not after ACSA
        receipts: to hand back at once what was just borrowed would only send goods to and
        fro; debts are repaid out of one's own resupply."""
        owed = self.in_kind.get((holder, commodity))
        if not owed:
            return
        w = self.world
        now, keep = w.env.now, int(w.reorder_level[holder, commodity])
        for provider in list(owed):
            rows = owed[provider]
            if not any(True for _ in self.settlement.live(rows)):
                del owed[provider]
                continue
            o = self.books.orders
            period = self.settlement.terms[o.terms[rows[0]]].return_every
            last = self.last_return.get((holder, provider, commodity))
            if last is not None and now < last + period:
                self._look_again(holder, commodity, last + period)
                continue
            if w.stock.level(holder, commodity) <= keep:
                return  # nothing more to spare: the rest wait for the next receipt
            self._ship(holder, provider, commodity, rows, keep)

    def _look_again(self, holder: int, commodity: int, when: float) -> None:
        if (holder, commodity) not in self.retry:
            self.retry.add((holder, commodity))

            def look() -> None:
                self.retry.discard((holder, commodity))
                self.received(holder, commodity)

            self.world.agenda.at(when, look)

    def _ship(self, holder: int, provider: int, commodity: int, rows: list[int], keep: int):
        """One consolidated return to `provider`: its orders oldest first, each as much as the
        stock allows. Each part's value is fixed as it leaves (R9)."""
        w = self.world
        now = w.env.now
        parts: list[list[int]] = []  # [row, quantity still to arrive, value still to arrive]
        for row in rows:
            quantity = rules.returnable(self.books, row, w.stock.level(holder, commodity), keep)
            if quantity <= 0:
                continue
            value = rules.send_back(self.books, row, quantity)
            w.stock.move(now, holder, commodity, FlowKind.RETURN_OUT, -quantity, row, "a return")
            parts.append([row, quantity, value])
            self.settlement.log(
                row, f"return {w.amount(commodity, quantity)} {w.commodities[commodity]}"
            )
        if not parts:
            return
        self.last_return[(holder, provider, commodity)] = now
        total = sum(p[1] for p in parts)

        def arrive(trip: int) -> None:
            """A trip arrives: it carries the parts in the order they were loaded."""
            while trip > 0 and parts:
                part = parts[0]
                row, left, value_left = part
                take = min(trip, left)
                value = rules.part_value(value_left, left, take, left, value_left)
                part[1], part[2] = left - take, value_left - value
                if part[1] == 0:
                    parts.pop(0)
                trip -= take
                self._returned(provider, commodity, row, take, value)

        w.transport.send(holder, provider, commodity, total, on_arrival=arrive)

    def _returned(self, provider: int, commodity: int, row: int, quantity: int, value: int):
        w = self.world
        now = w.env.now
        w.stock.move(now, provider, commodity, FlowKind.RETURN_IN, quantity, row, "a return")
        rules.returned(self.books, row, now, quantity, value)
        self.received(provider, commodity)
