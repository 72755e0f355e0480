"""The settlement lifecycle in time (R8-R13): when returns in kind leave, equal-value balances
net, invoices and payments fall due, deadlines pass and offsets apply. What each step does
to an order and the books is `ledger/settlement.py`; this module decides when.

Unsettled orders are indexed (oldest first) so that a receipt or a netting never scans every
order: by (agreement, creditor party, debtor party) all of them, those to settle by equal
value and those overdue; by (receiver, commodity) and provider those to return in kind.

Returns in kind (R9) are consolidated: after a national receipt or a return received, a
receiver repays what it owes each provider holder for that commodity in one shipment (its
orders oldest first, as far as its stock stays at or above its reorder level), and ships
to one provider and commodity at most once per `return_every` of the agreement: a debt
that waits for that is looked at again when the period has passed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from acsasim.ledger import settlement as rules
from acsasim.ledger.orders import order_id
from acsasim.vocab import UNSETTLED, FlowKind, Method, Status, TxnKind

if TYPE_CHECKING:
    from acsasim.sim.world import World

Key = tuple[str, str, str]  # (agreement, creditor party, debtor party)


class Settlement:
    def __init__(self, world: World) -> None:
        self.world = world
        self.books = world.books
        self.debts: dict[Key, list[int]] = {}
        self.eve: dict[Key, list[int]] = {}
        self.overdue: dict[Key, list[int]] = {}
        # (receiver, commodity) -> provider holder -> orders to return in kind, oldest first
        self.in_kind: dict[tuple[int, int], dict[int, list[int]]] = {}
        self.last_return: dict[tuple[int, int, int], float] = {}  # (receiver, provider, c)
        self.retry: set[tuple[int, int]] = set()  # (receiver, commodity) with a look planned
        self.terms = world.terms.by_number
        self.end = world.scenario.duration

    def live(self, rows: list[int]) -> Iterator[int]:
        """The rows of `rows` still unsettled, oldest first. Settled ones leave the list when a
        pass reaches its end; a caller that stops early reads only what it needs."""
        status = self.books.orders.status
        alive = []
        for row in rows:
            if status[row] in UNSETTLED:
                alive.append(row)
                yield row
        rows[:] = alive

    def _log(self, row: int, what: str) -> None:
        if self.world.logging:
            self.world.log(f"{order_id(row)} {what}")

    # --- on delivery (R8, R10, R11, R12) ------------------------------------------------------

    def delivered(self, row: int, provider: int, receiver: int, commodity: int) -> None:
        """The order's last trip has arrived: it is due by its terms (R8), settles what the
        provider owes its receiver by equal value first (R10), and waits for its
        settlement."""
        w, o = self.world, self.books.orders
        terms = self.terms[o.terms[row]]
        now = w.env.now
        method = terms.method
        rules.deliver(self.books, row, now, method, now + terms.deadline)
        self._log(row, f"delivered, {method}, due {o.due_at[row]:g}h")
        self._exchange(row)
        if o.status[row] == Status.SETTLED:
            return
        key = (o.agreement[row], o.provider_party[row], o.receiver_party[row])
        self.debts.setdefault(key, []).append(row)
        if method == Method.EQUAL_VALUE_EXCHANGE:
            self.eve.setdefault(key, []).append(row)
        if terms.offset_after is not None:
            self._offset_against(row, terms.offset_after)
        if method == Method.REPLACEMENT_IN_KIND:
            owed = self.in_kind.setdefault((receiver, commodity), {})
            owed.setdefault(provider, []).append(row)
        elif method == Method.CASH:
            w.agenda.after(terms.invoice_after.next(), lambda: self._invoice(row, TxnKind.INVOICE))
        due = now + terms.deadline
        if due < self.end:
            w.agenda.at(due, lambda: self._deadline(row))

    def _exchange(self, counter: int) -> None:
        """R10: goods that A receives from B first settle what B owes A by equal-value exchange
        (oldest first); only the excess stays open. The counter-flow itself passed R5."""
        o = self.books.orders
        key = (o.agreement[counter], o.receiver_party[counter], o.provider_party[counter])
        for owed in self.live(self.eve.get(key, [])):
            if o.status[counter] == Status.SETTLED:
                break
            if o.status[owed] in (Status.OPEN, Status.OVERDUE):
                self._net(TxnKind.EQUAL_VALUE, owed, counter)
        if o.status[counter] == Status.SETTLED:
            o.set_method(counter, Method.EQUAL_VALUE_EXCHANGE)

    def _net(self, kind: TxnKind, a: int, b: int) -> None:
        if rules.net(self.books, a, b, self.world.env.now, kind):
            self._log(a, f"{kind} with {order_id(b)}")

    # --- cash (R11) ---------------------------------------------------------------------------

    def _invoice(self, row: int, kind: TxnKind) -> None:
        w = self.world
        if rules.invoice(self.books, row, w.env.now, kind):
            self._log(row, str(kind))
            o = self.books.orders
            terms = self.terms[o.terms[row]].payment_terms.next()
            w.agenda.after(terms, lambda: self._pay(row))

    def _pay(self, row: int) -> None:
        if rules.pay(self.books, row, self.world.env.now):
            self._log(row, "payment")

    # --- deadline and offset (R12, R13) -------------------------------------------------------

    def _deadline(self, row: int) -> None:
        w, o = self.world, self.books.orders
        ag = w.agreements[o.agreement[row]]
        steps = rules.deadline(self.books, row, ag.settlement.on_deadline)
        if not steps:
            return
        key = (o.agreement[row], o.provider_party[row], o.receiver_party[row])
        self.overdue.setdefault(key, []).append(row)
        self._log(row, " -> ".join(steps))
        if o.status[row] == Status.CONVERTED:
            self._invoice(row, TxnKind.CONVERSION)
        if ag.settlement.offset_after is not None:
            w.agenda.after(ag.settlement.offset_after, lambda: self._offset(row))

    def _offset_against(self, new: int, offset_after: float) -> None:
        """R13 is a standing rule: a new balance is at once netted against balances the other
        way that are already overdue longer than `offset_after`."""
        w, o = self.world, self.books.orders
        key = (o.agreement[new], o.receiver_party[new], o.provider_party[new])
        now = w.env.now
        for old in list(self.live(self.overdue.get(key, []))):
            due = o.due_at[old]
            if due is None or o.status[old] not in (Status.OVERDUE, Status.CONVERTED):
                continue
            if now - due >= offset_after:
                self._offset(old)

    def _offset(self, row: int) -> None:
        """R13: a balance overdue longer than `offset_after` is netted against balances in the
        opposite direction under the same agreement, oldest first."""
        o = self.books.orders
        key = (o.agreement[row], o.receiver_party[row], o.provider_party[row])
        for other in list(self.live(self.debts.get(key, []))):
            if o.status[row] not in (Status.OVERDUE, Status.CONVERTED) or o.free(row) <= 0:
                return
            self._net(TxnKind.OFFSET, row, other)

    # --- replacement in kind (R9) -------------------------------------------------------------

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
            if not any(True for _ in self.live(rows)):
                del owed[provider]
                continue
            o = self.books.orders
            period = self.terms[o.terms[rows[0]]].return_every
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
            self._log(row, f"return {w.amount(commodity, quantity)} {w.commodities[commodity]}")
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
