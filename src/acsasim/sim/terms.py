"""Settlement terms of an order (R8-R13), agreed when the order is issued and kept on it.

The terms of an order depend on its agreement, its commodity's category and its receiving
party (R8 revised: methods may differ by category and direction): the method is the first
of the receiver's preferences that applies (never replacement in kind for a service); an
in-kind order names the items that may repay it (R9: the same item, then its equivalents),
an equal-value order those that may be given back for it (R10); the balance is due
`deadline` after delivery, invoiced and paid after delays drawn from the agreement's own
streams. Terms are worked out once per (agreement, commodity, receiver) and numbered: an
order carries its terms' number (`OrderTable.terms`), and `settle_with`, the items in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from acsasim.ledger.settlement import method_for
from acsasim.scenario.model import Agreement, Scenario
from acsasim.sim.streams import Draws, Streams
from acsasim.vocab import Method


@dataclass(frozen=True, slots=True)
class Terms:
    number: int
    agreement: Agreement
    method: Method
    deadline: float
    on_deadline: str
    invoice_after: Draws
    payment_terms: Draws
    offset_after: float | None
    return_every: float
    settle_with: str  # the ids of the items that settle it in kind or by exchange, in words
    exchange_items: frozenset[str]  # R10: the items that may be given back for it
    return_items: tuple[int, ...]  # R9: the commodity columns that may repay it, own first
    return_after: float  # R9: no return before this long after delivery


class TermsBook:
    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        self.scenario, self.streams = scenario, streams
        self._agreements = {ag.id: ag for ag in scenario.agreements}
        self._terms: dict[tuple[str, str, str], Terms] = {}
        self.by_number: list[Terms] = []
        self._column = {c: i for i, c in enumerate(scenario.commodities)}  # as World numbers them

    def of(self, agreement: str, commodity: str, receiver: str) -> Terms:
        """The terms of an order of `commodity` received by party `receiver`."""
        key = (agreement, commodity, receiver)
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = self._make(*key)
            self.by_number.append(found)
        return found

    def _make(self, agreement: str, commodity: str, receiver: str) -> Terms:
        ag = self._agreements[agreement]
        s = ag.settlement
        spec = self.scenario.commodities[commodity]
        method = method_for(s.methods_for(receiver, spec.category), spec.service)
        items = self._settle_with(s, commodity, method)
        return Terms(
            number=len(self.by_number),
            agreement=ag,
            method=method,
            deadline=s.deadline,
            on_deadline=s.on_deadline,
            invoice_after=self.streams.draws(f"invoice:{ag.id}", s.invoice_after),
            payment_terms=self.streams.draws(f"payment:{ag.id}", s.payment_terms),
            offset_after=s.offset_after,
            return_every=s.return_every,
            settle_with=" ".join(items),
            exchange_items=frozenset(items if method == Method.EQUAL_VALUE_EXCHANGE else ()),
            return_items=tuple(self._column[c] for c in items)
            if method == Method.REPLACEMENT_IN_KIND
            else (),
            return_after=s.return_after,
        )

    def _settle_with(self, s: Any, commodity: str, method: Method) -> tuple[str, ...]:
        """The items that settle an order of `commodity` by `method`: in kind, the item
        itself; by equal value, those the agreement designates for it or its category, else
        every item of its category (R10); in cash, none."""
        if method == Method.REPLACEMENT_IN_KIND:
            return (commodity, *self.scenario.commodities[commodity].equivalent)
        if method == Method.EQUAL_VALUE_EXCHANGE:
            category = self.scenario.commodities[commodity].category
            named = s.exchange.get(commodity) or s.exchange.get(category)
            if named:
                return tuple(named)
            items = self.scenario.commodities.items()
            return tuple(c for c, spec in items if spec.category == category)
        return ()
