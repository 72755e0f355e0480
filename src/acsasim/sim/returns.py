"""Replacement in kind (R9 revised): when and what a receiver returns, consolidated.

An order in kind is repaid with the items its terms name (`settle_with`): the same item,
or one of its equivalents (`commodities.X.equivalent`), the same item first. After a
national receipt or a return received of such an item, a receiver repays what it owes each
provider holder in one shipment per item (its orders oldest first, as far as its stock of
the item stays at or above its reorder level), and ships to one provider and item at most
once per `return_every` of the agreement; an order is not repaid before `return_after`
from its delivery. A debt that waits for either is looked at again when it may go. Not
after ACSA receipts: to hand back at once what was just borrowed would only send goods to
and fro; debts are repaid out of one's own resupply.
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
        # whether any commodity may be repaid with another (else each with itself only)
        self.equivalents = any(c.equivalent for c in settlement.world.scenario.commodities.values())

    def owed(self, row: int, provider: int, receiver: int, commodity: int) -> None:
        """A delivered order to return in kind, with any of the items of its terms."""
        for item in self.settlement.terms[self.books.orders.terms[row]].return_items:
            owed = self.in_kind.setdefault((receiver, item), {})
            owed.setdefault(provider, []).append(row)

    def received(self, holder: int, item: int) -> None:
        """R9: after a national receipt or a return received of `item`, the holder repays in
        kind what its stock of it allows, one consolidated shipment per provider holder.
        An order of another commodity that `item` may repay is repaid with its own commodity
        instead when the holder can spare that (the same item first)."""
        owed = self.in_kind.get((holder, item))
        if not owed:
            return
        w = self.world
        now, keep = w.env.now, int(w.reorder_level[holder, item])
        same_first: set[int] = set()
        for provider in list(owed):
            rows = owed[provider]
            if not any(True for _ in self.settlement.live(rows)):
                del owed[provider]
                continue
            o = self.books.orders
            period = self.settlement.terms[o.terms[rows[0]]].return_every
            last = self.last_return.get((holder, provider, item))
            if last is not None and now < last + period:
                self._look_again(holder, item, last + period)
                continue
            if w.stock.level(holder, item) <= keep:
                break  # nothing more to spare: the rest wait for the next receipt
            if self.equivalents:
                mine = [r for r in rows if self._item_for(holder, r, item) == item]
                same_first |= {w.cidx[o.commodity[r]] for r in rows if r not in mine}
                rows = mine
            self._ship(holder, provider, item, rows, keep)
        for commodity in same_first:
            self.received(holder, commodity)

    def _item_for(self, holder: int, row: int, item: int) -> int:
        """The item to repay `row` with when `item` can be spared: the order's own commodity
        if the holder can spare it too (the same item first), else `item`."""
        w = self.world
        own = w.cidx[self.books.orders.commodity[row]]
        if own != item and w.stock.level(holder, own) > w.reorder_level.item(holder, own):
            return own
        return item

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
        w, o = self.world, self.books.orders
        now = w.env.now
        parts: list[list[int]] = []  # [row, quantity still to arrive, value still to arrive]
        wait = [d + self.settlement.terms[o.terms[r]].return_after for r in rows
                if (d := o.delivered_at[r]) is not None]  # fmt: skip
        for row, ready in zip(rows, wait, strict=True):
            if ready > now:  # R9: not before `return_after` from delivery
                self._look_again(holder, commodity, ready)
                continue
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
