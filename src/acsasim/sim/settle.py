"""The settlement lifecycle in time (R9-R13): returns in kind, equal-value exchange, invoices,
payments, deadlines and offsets. What each step does to an order and the books is in
`ledger/settlement.py`; this module decides when it happens.

Per order the desk keeps running figures the ledger does not: the quantity on its
way back in kind and the value it will settle, and the invoiced amount not yet paid.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from acsasim.ledger import Order
from acsasim.ledger import settlement as rules
from acsasim.ledger.entries import evolve

if TYPE_CHECKING:
    from acsasim.sim.holders import HolderState
    from acsasim.sim.world import World


class Settlement:
    def __init__(self, world: World) -> None:
        self.world = world
        self.returning: dict[str, float] = {}  # order -> quantity on its way back (R9)
        self.reserved: dict[str, Decimal] = {}  # order -> the value those returns will settle
        self.invoiced: dict[str, Decimal] = {}  # order -> invoiced, not yet paid (R11)
        # Indexes of unsettled orders, oldest first, so that a receipt or a netting never scans
        # every order: by (agreement, creditor party, debtor party) all of them, those to settle
        # by equal value and those overdue; by (receiver, commodity) those to return in kind.
        self.debts: dict[tuple[str, str, str], list[str]] = {}
        self.eve: dict[tuple[str, str, str], list[str]] = {}
        self.overdue: dict[tuple[str, str, str], list[str]] = {}
        self.in_kind: dict[tuple[str, str], list[str]] = {}

    def order(self, order_id: str) -> Order:
        return self.world.ledger.order(order_id)

    def update(self, order: Order, *statuses: str) -> Order:
        """Store the order, or store it once per status of `statuses` in turn (each step a legal
        transition the ledger checks)."""
        for status in statuses:
            order = evolve(order, status=status)
            self.world.ledger.update_order(order)
        if not statuses:
            self.world.ledger.update_order(order)
        return order

    def live(self, ids: list[str]) -> Iterator[Order]:
        """The orders of `ids` still unsettled, oldest first. Settled ones leave the list when a
        pass reaches its end; a caller that stops early reads only what it needs."""
        alive = []
        for order in map(self.order, ids):
            if order.status in rules.UNSETTLED:
                alive.append(order.order_id)
                yield order
        ids[:] = alive

    def post(self, kind: str, order: Order, legs: list[Any]) -> None:
        self.world.ledger.post(self.world.env.now, kind, legs, order.order_id)
        self.world.log("{} {}", order.order_id, kind)

    def free(self, order: Order) -> Decimal:
        """What may still be netted or converted: the unsettled value less returns on the way."""
        return rules.remaining_value(order) - self.reserved.get(order.order_id, Decimal(0))

    # --- on delivery (R8, R10, R11, R12) ------------------------------------------------------

    def delivered(self, order: Order) -> None:
        """Called once the order is received and its issue posted."""
        env, ag = self.world.env, self.world.agreements[order.agreement]
        order = self._exchange(order)
        if order.status == "settled":
            return
        key = (order.agreement, order.provider_party, order.receiver_party)
        self.debts.setdefault(key, []).append(order.order_id)
        if order.method == "equal_value_exchange":
            self.eve.setdefault(key, []).append(order.order_id)
        self._offset_against(order)
        if order.method == "replacement_in_kind":
            self.in_kind.setdefault((order.receiver, order.commodity), []).append(order.order_id)
        terms = ag.settlement
        if order.method == "cash":
            after = terms.invoice_after.sample(self.world.streams[f"invoice:{ag.id}"])
            env.timeout(after).callbacks.append(lambda _: self._invoice(order.order_id, "invoice"))
        if order.due_at is not None and order.due_at < self.world.scenario.duration:
            env.timeout(order.due_at - env.now).callbacks.append(
                lambda _: self._deadline(order.order_id)
            )

    def _exchange(self, counter: Order) -> Order:
        """R10: goods that A receives from B first settle what B owes A by equal-value exchange
        (oldest first); only the excess stays open. The counter-flow itself passed R5."""
        for owed in self._eve_balances(counter):
            if counter.status == "settled":
                break
            counter = self._net("equal_value", owed, counter)
        if counter.status == "settled":
            counter = self.update(evolve(counter, method="equal_value_exchange"))
        return counter

    def _eve_balances(self, counter: Order) -> list[Order]:
        """What the counter-flow's provider owes its receiver by equal-value exchange."""
        key = (counter.agreement, counter.receiver_party, counter.provider_party)
        return [o for o in self.live(self.eve.get(key, [])) if o.status in ("open", "overdue")]

    def _net(self, kind: str, a: Order, b: Order) -> Order:
        """Net two opposite balances at equal value (R10, R13); returns `b` updated."""
        va, vb = rules.equal_values(a, self.free(a), b, self.free(b), self.world.converter)
        if va <= 0 or vb <= 0:
            return b
        ia = min(va, self.invoiced.get(a.order_id, Decimal(0)))
        ib = min(vb, self.invoiced.get(b.order_id, Decimal(0)))
        self.world.log("{} {} with {}", a.order_id, kind, b.order_id)
        for order, value, inv in ((a, va, ia), (b, vb, ib)):
            # One transaction per order (each balances on its own), so every posting names
            # the order it settles and a statement can age each order from the books alone.
            self.post(kind, order, rules.reduce_postings(order, value, inv))
            self.invoiced[order.order_id] = self.invoiced.get(order.order_id, Decimal(0)) - inv
            done = rules.settle(order, self.world.env.now, value)
            if kind == "offset" and done.status == "settled":
                done = evolve(done, status="offset")
            self.update(done)
        return self.order(b.order_id)

    # --- cash (R11) ---------------------------------------------------------------------------

    def _invoice(self, order_id: str, kind: str) -> None:
        order = self.order(order_id)
        amount = self.free(order) - self.invoiced.get(order_id, Decimal(0))
        if order.status not in rules.UNSETTLED or amount <= 0:
            return
        self.post(kind, order, rules.invoice_postings(order, amount))
        self.invoiced[order_id] = self.invoiced.get(order_id, Decimal(0)) + amount
        ag = self.world.agreements[order.agreement]
        terms = ag.settlement.payment_terms.sample(self.world.streams[f"payment:{ag.id}"])
        self.world.env.timeout(terms).callbacks.append(lambda _: self._pay(order_id))

    def _pay(self, order_id: str) -> None:
        order = self.order(order_id)
        amount = self.invoiced.get(order_id, Decimal(0))
        if order.status not in rules.UNSETTLED or amount <= 0:
            return
        self.post("payment", order, rules.payment_postings(order, amount))
        self.invoiced[order_id] = Decimal(0)
        self.update(rules.settle(order, self.world.env.now, amount))

    # --- deadline and offset (R12, R13) -------------------------------------------------------

    def _deadline(self, order_id: str) -> None:
        order = self.order(order_id)
        ag = self.world.agreements[order.agreement]
        statuses = rules.deadline_statuses(order, ag.settlement.on_deadline)
        if not statuses:
            return
        order = self.update(order, *statuses)
        key = (order.agreement, order.provider_party, order.receiver_party)
        self.overdue.setdefault(key, []).append(order_id)
        self.world.log("{} {}", order_id, " -> ".join(statuses))
        if order.status == "converted":
            self._invoice(order_id, "conversion")
        offset_after = ag.settlement.offset_after
        if offset_after is not None:
            self.world.env.timeout(offset_after).callbacks.append(lambda _: self._offset(order_id))

    def _offset_against(self, new: Order) -> None:
        """R13 is a standing rule: a new balance is at once netted against balances the other
        way that are already overdue longer than `offset_after`."""
        offset_after = self.world.agreements[new.agreement].settlement.offset_after
        if offset_after is None:
            return
        key = (new.agreement, new.receiver_party, new.provider_party)
        now = self.world.env.now
        for old in list(self.live(self.overdue.get(key, []))):
            if old.status in ("overdue", "converted") and now - old.due_at >= offset_after:
                self._offset(old.order_id)

    def _offset(self, order_id: str) -> None:
        """R13: a balance overdue longer than `offset_after` is netted against balances in the
        opposite direction under the same agreement, oldest first."""
        order = self.order(order_id)
        key = (order.agreement, order.receiver_party, order.provider_party)
        for other in list(self.live(self.debts.get(key, []))):
            if order.status not in ("overdue", "converted") or self.free(order) <= 0:
                return
            self._net("offset", order, other)
            order = self.order(order_id)

    # --- replacement in kind (R9) -------------------------------------------------------------

    def received(self, holder: HolderState, commodity: str) -> None:
        """R9: after a receipt the holder returns in kind what its stock allows, oldest first.

        Called after national receipts and returns received, not after ACSA receipts: to hand
        back at once what was just borrowed would only send goods to and fro. Debts are
        repaid out of one's own resupply, which is what the rule is for.
        """
        keep = holder.spec.stock[commodity].reorder
        for order in self.live(self.in_kind.get((holder.spec.id, commodity), [])):
            if holder.on_hand(commodity) <= keep:
                break  # nothing more to spare: the rest wait for the next receipt
            # An order whose value is all settled or on its way owes nothing more, whatever
            # float residue its quantity shows after a netting by value.
            if order.status in ("open", "overdue") and self.free(order) > 0:
                on_way = self.returning.get(order.order_id, 0.0)
                quantity = rules.returnable(order, holder.on_hand(commodity), keep, on_way)
                if quantity > 0:
                    self._send_back(holder, order, quantity)

    def _send_back(self, holder: HolderState, order: Order, quantity: float) -> None:
        """Send a return off now. Its value is fixed as it leaves and held back from netting and
        conversion (`free`), so what it settles on arrival is exactly what was reserved."""
        oid = order.order_id
        owed = rules.remaining_quantity(order) - self.returning.get(oid, 0.0)
        value = rules.part_value(
            order.value, order.quantity, quantity, owed, self.free(order), order.currency
        )
        holder.move("return_out", order.commodity, -quantity, order_id=oid, cause=f"return {oid}")
        self.returning[oid] = self.returning.get(oid, 0.0) + quantity
        self.reserved[oid] = self.reserved.get(oid, Decimal(0)) + value
        self.world.log("{} return {:g} {}", oid, quantity, order.commodity)
        provider = self.world.holders[order.provider]
        batch = [quantity, value]  # what of this return has yet to arrive

        def arrive(part: float) -> None:
            part_value = rules.part_value(value, quantity, part, batch[0], batch[1], order.currency)
            batch[0] -= part
            batch[1] -= part_value
            self._returned(provider, oid, part, part_value)

        holder.send(provider, quantity, order.commodity, on_arrival=arrive, on_last=lambda: None)

    def _returned(
        self, provider: HolderState, order_id: str, quantity: float, value: Decimal
    ) -> None:
        order = self.order(order_id)
        provider.move(
            "return_in", order.commodity, quantity, order_id=order_id, cause=f"return {order_id}"
        )
        self.returning[order_id] -= quantity
        self.reserved[order_id] -= value
        self.post("return_in_kind", order, rules.return_postings(order, value))
        self.update(rules.settle(order, self.world.env.now, value, quantity))
        self.received(provider, order.commodity)
