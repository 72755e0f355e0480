"""RunResult: everything one replication produced, self-describing (scenario, seed, records).

Experiments see only Scenario in and RunResult out; tables, charts and reports read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from acsasim.ledger.entries import Flow, Order, Transaction
from acsasim.ledger.records import Refusal
from acsasim.scenario.model import Scenario


@dataclass(frozen=True)
class RunResult:
    scenario: Scenario  # resolved: overrides applied, seed filled in
    seed: int
    orders: tuple[Order, ...]  # final state of every ACSA order, in creation order
    transactions: tuple[Transaction, ...]  # the double-entry journal
    flows: tuple[Flow, ...]  # every movement of materiel
    refusals: tuple[Refusal, ...]
    stockout_hours: dict[tuple[str, str], float]  # (holder, commodity) -> hours at zero stock
    log: tuple[tuple[float, str], ...] = ()  # the event log, when asked for
    events_dispatched: int = 0
    wall_seconds: float = 0.0
    _kpis: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def kpis(self) -> dict[str, Any]:
        """The KPIs of outputs.md (computed once, on first use)."""
        if not self._kpis:
            from acsasim.kpis import compute_kpis

            self._kpis.update(compute_kpis(self))
        return self._kpis
