"""The settlement lifecycle in time (R8-R13): on delivery an order is due by its terms and
waits for its settlement; invoices and payments fall due (R11) and deadlines pass (R12).
What each step does to an order and the books is `ledger/settlement.py`; this module decides
when. Returns in kind (R9) are `sim/returns.py`; equal-value exchange and offset (R10, R13),
balances netted against balances the other way, are `sim/netting.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from acsasim.ledger import settlement as rules
from acsasim.ledger.orders import order_id
from acsasim.sim.netting import Netting
from acsasim.sim.returns import Returns
from acsasim.vocab import UNSETTLED, Method, Status, TxnKind

if TYPE_CHECKING:
    from acsasim.ledger.book import Books
    from acsasim.sim.world import World


class Settlement:
    def __init__(self, world: World) -> None:
        self.world = world
        self.books: Books = world.books
        self.terms = world.terms.by_number
        self.end = world.scenario.duration
        self.netting = Netting(self)
        self.returns = Returns(self)

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

    def log(self, row: int, what: str) -> None:
        if self.world.logging:
            self.world.log(f"{order_id(row)} {what}")

    # --- on delivery (R8, R10, R11, R12) ------------------------------------------------------

    def delivered(self, row: int, provider: int, receiver: int, commodity: int) -> None:
        """The order's last trip has arrived: it is due by its terms (R8), is given back for
        what its receiver is owed by equal value if its item is designated (R10), and waits
        for its settlement."""
        w, o = self.world, self.books.orders
        terms = self.terms[o.terms[row]]
        now = w.env.now
        if row in o.unpriced:  # Pricing: booked when priced
            o.await_price(row, now)
            self.log(row, "delivered, waiting for its price")
            return
        arrived = o.delivered_at[row] if o.status[row] == Status.UNPRICED else now
        assert arrived is not None
        if o.method[row] == Method.GRATIS:  # R22: recorded, never billed
            o.give(row, arrived)
            self.log(row, "delivered, gratis")
            return
        method = terms.method
        rules.deliver(self.books, row, arrived, method, arrived + terms.deadline, booked=now)
        self.log(row, f"delivered, {method}, due {o.due_at[row]:g}h")
        if not o.value[row]:  # worth nothing (a free good, or less than a minor unit): owed
            o.settle(row, arrived, 0)  # nothing, so settled on delivery (R8)
            return
        if self.netting.eve:  # some balance may be settled by equal value (R10)
            self.netting.exchange(row)
            if o.status[row] == Status.SETTLED:
                return
        self.netting.opened(row, method)
        if method == Method.REPLACEMENT_IN_KIND:
            self.returns.owed(row, provider, receiver, commodity)
        elif method == Method.CASH:
            w.agenda.after(terms.invoice_after.next(), lambda: self._invoice(row, TxnKind.INVOICE))
        due = arrived + terms.deadline
        if due < self.end:
            w.agenda.at(due, lambda: self._deadline(row))

    def received(self, holder: int, commodity: int) -> None:
        """A national receipt or a return received: the holder may repay in kind (R9)."""
        self.returns.received(holder, commodity)

    # --- cash (R11) ---------------------------------------------------------------------------

    def _invoice(self, row: int, kind: TxnKind) -> None:
        w = self.world
        if rules.invoice(self.books, row, w.env.now, kind):
            self.log(row, str(kind))
            o = self.books.orders
            terms = self.terms[o.terms[row]].payment_terms.next()
            w.agenda.after(terms, lambda: self._pay(row))

    def _pay(self, row: int) -> None:
        if rules.pay(self.books, row, self.world.env.now):
            self.log(row, "payment")

    # --- deadline (R12) ------------------------------------------------------------------------

    def _deadline(self, row: int) -> None:
        w, o = self.world, self.books.orders
        ag = w.agreements[o.agreement[row]]
        steps = rules.deadline(self.books, row, ag.settlement.on_deadline)
        if not steps:
            return
        self.log(row, " -> ".join(steps))
        if o.status[row] == Status.CONVERTED:
            self._invoice(row, TxnKind.CONVERSION)
