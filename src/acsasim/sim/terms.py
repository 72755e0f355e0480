"""Settlement terms of an order (R8, R11-R13), worked out once per agreement and commodity.

On receipt an order takes the receiver's first settlement method of the agreement that
applies (never replacement in kind for a service), is due `deadline` after delivery, and
is invoiced and paid after delays drawn from the agreement's own streams.
"""

from __future__ import annotations

from dataclasses import dataclass

from acsasim.ledger.settlement import method_for
from acsasim.scenario.model import Agreement, Scenario
from acsasim.sim.streams import Draws, Streams
from acsasim.vocab import Method


@dataclass(frozen=True, slots=True)
class Terms:
    agreement: Agreement
    method: Method
    deadline: float
    on_deadline: str
    invoice_after: Draws
    payment_terms: Draws
    offset_after: float | None
    return_every: float


class TermsBook:
    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        self.scenario, self.streams = scenario, streams
        self._agreements = {ag.id: ag for ag in scenario.agreements}
        self._terms: dict[tuple[str, str], Terms] = {}

    def of(self, agreement: str, commodity: str) -> Terms:
        found = self._terms.get((agreement, commodity))
        if found is None:
            found = self._terms[(agreement, commodity)] = self._make(agreement, commodity)
        return found

    def _make(self, agreement: str, commodity: str) -> Terms:
        ag = self._agreements[agreement]
        s = ag.settlement
        service = self.scenario.commodities[commodity].service
        return Terms(
            agreement=ag,
            method=method_for(s.methods, service),
            deadline=s.deadline,
            on_deadline=s.on_deadline,
            invoice_after=self.streams.draws(f"invoice:{ag.id}", s.invoice_after),
            payment_terms=self.streams.draws(f"payment:{ag.id}", s.payment_terms),
            offset_after=s.offset_after,
            return_every=s.return_every,
        )
