"""Records of the ACSA desk that are not money: refused and trimmed requests (R5)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from acsasim.vocab import Reason

REFUSAL_REASONS = tuple(Reason)  # refusals.csv `reason` (R5)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request refused in whole or trimmed in part. `provider` is empty when the agreement
    itself refused (not in force, category, exclusion, activity) or its party had no holder of
    the commodity."""

    time: float
    agreement: str
    requester: str
    requester_party: str
    provider: str
    provider_party: str
    commodity: str
    requested: float
    refused: float
    reason: str


@dataclass(frozen=True, slots=True)
class Purchase:
    """A local commercial purchase by a party's commercial supply line (R21): what it cost and
    the taxes it paid, which an ACSA delivery would have waived. Money is exact: `value` in
    `currency` (the territory's), the others in the reporting currency."""

    time: float
    line: str
    party: str
    holder: str
    commodity: str
    quantity: float
    unit: str
    currency: str
    value: Decimal
    value_reporting: Decimal
    tax_paid_reporting: Decimal
