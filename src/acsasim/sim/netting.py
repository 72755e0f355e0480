"""Balances netted against balances the other way (R10 revised, R13 revised): when and which.

Unsettled orders are indexed by (agreement, creditor party, debtor party), oldest first:
all of them (`debts`), those to settle by equal value (`eve`) and those the creditor has
decided to offset (`offsettable`).

R10: an equal-value balance is settled only by a designated counter-delivery, a later order
the other way of an item its terms name (`settle_with`), delivered while the balance is
open or overdue (not once converted to cash); or by an `exchange` event of the timeline,
which settles the debtor's equal-value balances at a date, up to a value. The
counter-delivery's own balance is taken off as it is given back (`counter_delivery`
postings, not a settlement of its own: every KPI counts the settled balance once).

R13: a balance may be offset once it has stayed unsettled `offset.after` from its delivery
(or its due date); the creditor then decides to offset it with `offset.probability`, drawn
from the balance's own stream. A balance so decided is netted at once against what is owed
the other way, oldest first, and against any later balance the other way (a standing
decision). An `offset` event of the timeline offsets every balance that may be offset at
that moment, without a draw: the decision is the event.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from acsasim.ledger import settlement as rules
from acsasim.ledger.orders import order_id
from acsasim.vocab import UNSETTLED, Method, Status, TxnKind

if TYPE_CHECKING:
    from acsasim.sim.settle import Settlement

Key = tuple[str, str, str]  # (agreement, creditor party, debtor party)
EXCHANGEABLE = (Status.OPEN, Status.OVERDUE)


class Netting:
    def __init__(self, settlement: Settlement) -> None:
        self.settlement = settlement
        self.world, self.books = settlement.world, settlement.books
        self.debts: dict[Key, list[int]] = {}
        self.eve: dict[Key, list[int]] = {}
        self.offsettable: dict[Key, list[int]] = {}
        self.rules = {
            ag.id: rule
            for ag in settlement.world.scenario.agreements
            if (rule := ag.settlement.offset_rule) is not None
        }

    def live(self, rows: list[int]) -> Iterator[int]:
        return self.settlement.live(rows)

    def _net(self, kind: TxnKind, a: int, b: int, counter: TxnKind | None = None) -> bool:
        if rules.net(self.books, a, b, self.world.env.now, kind, counter):
            self.settlement.log(a, f"{kind} with {order_id(b)}")
            return True
        return False

    # --- on delivery --------------------------------------------------------------------------

    def opened(self, row: int, method: Method) -> None:
        """A delivered balance is indexed; it may be offset later (R13), and is netted at once
        against balances the other way that their creditor decided to offset."""
        o = self.books.orders
        key = (o.agreement[row], o.provider_party[row], o.receiver_party[row])
        self.debts.setdefault(key, []).append(row)
        if method == Method.EQUAL_VALUE_EXCHANGE:
            self.eve.setdefault(key, []).append(row)
        rule = self.rules.get(o.agreement[row])
        if rule is None:
            return
        since = o.delivered_at[row] if rule.from_ == "delivery" else o.due_at[row]
        assert since is not None  # a delivered order has both
        when = since + rule.after
        if when < self.settlement.end:
            self.world.agenda.at(when, lambda: self._may_offset(row, rule.probability))
        back = (key[0], key[2], key[1])
        for old in list(self.live(self.offsettable.get(back, []))):
            self._offset(old)

    # --- R10 equal-value exchange -------------------------------------------------------------

    def exchange(self, counter: int) -> None:
        """R10: a delivery from B to A settles what B owes A by equal value where the balance's
        terms name the delivered item (oldest first); only the excess stays open. The
        counter-delivery itself passed R5."""
        o = self.books.orders
        key = (o.agreement[counter], o.receiver_party[counter], o.provider_party[counter])
        owed_rows = self.eve.get(key)
        if not owed_rows:
            return
        item, terms = o.commodity[counter], self.settlement.terms
        for owed in self.live(owed_rows):
            if o.status[counter] == Status.SETTLED:
                break
            designated = item in terms[o.terms[owed]].exchange_items
            if designated and o.status[owed] in EXCHANGEABLE and o.free(owed) > 0:
                o.counter_to(counter, [order_id(owed)])  # named before it settles
                self._net(TxnKind.EQUAL_VALUE, owed, counter, TxnKind.COUNTER_DELIVERY)
        if o.status[counter] == Status.SETTLED:
            o.set_method(counter, Method.EQUAL_VALUE_EXCHANGE)

    def exchange_event(self, agreement: str, debtor: str, value: int | None) -> None:
        """R10: the debtor gives equal value outside the simulated flows (an `exchange` event):
        its equal-value balances under the agreement are settled oldest first, up to `value`
        (reporting minor units; None: all)."""
        ag = self.world.agreements[agreement]
        creditor = next(p for p in ag.parties if p != debtor)
        left = value
        for row in list(self.live(self.eve.get((agreement, creditor, debtor), []))):
            if left is not None and left <= 0:
                return
            if self.books.orders.status[row] not in EXCHANGEABLE:
                continue
            used = rules.exchanged(self.books, row, self.world.env.now, left)
            if used:
                self.settlement.log(row, "equal_value by exchange")
            if left is not None:
                left -= used

    # --- R13 offset ---------------------------------------------------------------------------

    def _may_offset(self, row: int, probability: float) -> None:
        """R13: the balance may now be offset; the creditor decides (its own stream)."""
        o = self.books.orders
        if o.status[row] not in UNSETTLED or o.free(row) <= 0:
            return
        if probability < 1:
            draw = self.world.streams[f"offset:{o.agreement[row]}:{order_id(row)}"].random()
            if draw >= probability:
                self.settlement.log(row, "not offset (the creditor's decision)")
                return
        key = (o.agreement[row], o.provider_party[row], o.receiver_party[row])
        self.offsettable.setdefault(key, []).append(row)
        self._offset(row)

    def _offset(self, row: int) -> None:
        """R13: net `row` against the balances owed the other way, oldest first."""
        o = self.books.orders
        key = (o.agreement[row], o.receiver_party[row], o.provider_party[row])
        for other in list(self.live(self.debts.get(key, []))):
            if o.status[row] not in UNSETTLED or o.free(row) <= 0:
                return
            self._net(TxnKind.OFFSET, row, other)

    def offset_event(self, agreement: str) -> None:
        """R13: an `offset` event: every balance of the agreement that may be offset now (by
        its `offset` terms; any balance if there are none) is offset, oldest first."""
        w, o = self.world, self.books.orders
        rule = self.rules.get(agreement)
        now = w.env.now
        for key in [k for k in self.debts if k[0] == agreement]:
            for row in list(self.live(self.debts[key])):
                if rule is not None:
                    since = o.delivered_at[row] if rule.from_ == "delivery" else o.due_at[row]
                    if since is None or now < since + rule.after:
                        continue
                self._offset(row)
