"""Immutable records of the books: postings, transactions, orders, flows.

The engine keeps its books as columns (`orders.OrderTable`, `journal.Journal`,
`materiel.StockBook`); these records are what a reader gets when it asks for one
row: the tables of the run folder, the statements, the beancount export, and the
books read back from a run folder. They are frozen, and check what they hold.
Times are simulation hours since the scenario's start (R1); the output layer turns
them into dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from acsasim.vocab import FlowKind, Method, Status, TxnKind

#: postings.csv `kind`.
TXN_KINDS = tuple(TxnKind)
#: orders.csv `status`.
ORDER_STATUSES = tuple(Status)
#: orders.csv `method` (R8); None until the order is received.
SETTLEMENT_METHODS = tuple(Method)
#: flows.csv `kind`.
FLOW_KINDS = tuple(FlowKind)


@dataclass(frozen=True, slots=True)
class Posting:
    """One leg of a transaction: a signed exact amount on one account (R15)."""

    account: str
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        # A float here would already have lost exactness; refuse it at the door.
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"posting amount must be a Decimal, got {self.amount!r}")


@dataclass(frozen=True, slots=True)
class Transaction:
    """Postings that happen together and sum to zero per currency (R15).

    Built only by `Ledger.post`, which checks it; `txn_id` counts from 1.
    """

    txn_id: int
    time: float
    kind: str
    order_id: str | None
    postings: tuple[Posting, ...]


@dataclass(frozen=True, slots=True)
class Order:
    """One ACSA order, one row of orders.csv (outputs.md).

    `value` is in the provider's `currency`; `value_reporting` and
    `tax_waived_reporting` in the reporting currency (R7).
    """

    order_id: str
    agreement: str
    provider_party: str
    provider: str
    receiver_party: str
    receiver: str
    commodity: str
    quantity: float
    unit: str
    activity: str
    requested_at: float
    delivered_at: float | None
    currency: str
    value: Decimal
    value_reporting: Decimal
    tax_waived_reporting: Decimal
    method: str | None
    due_at: float | None
    status: str
    settled_at: float | None = None
    settled_quantity: float = 0.0
    settled_value: Decimal = Decimal(0)
    settle_with: str = ""
    settles: str = ""
    priced_at: float | None = None
    price_basis: str = ""
    charges: Decimal = Decimal(0)
    billed_quantity: float | None = None  # None: the quantity (a record built without it)

    def __post_init__(self) -> None:
        # Also runs on dataclasses.replace, so no copy can smuggle in a bad value.
        if self.status not in ORDER_STATUSES:
            raise ValueError(f"order {self.order_id}: unknown status {self.status!r}")
        if self.method is not None and self.method not in SETTLEMENT_METHODS:
            raise ValueError(f"order {self.order_id}: unknown method {self.method!r}")
        for name in ("value", "value_reporting", "tax_waived_reporting", "settled_value",
                     "charges"):  # fmt: skip
            if not isinstance(getattr(self, name), Decimal):
                raise TypeError(f"order {self.order_id}: {name} must be a Decimal")


class Flow(NamedTuple):
    """One movement of materiel, one row of flows.csv (R15).

    `quantity` is signed (+ into `holder`); `unmet` is demand not served, on
    `consume` rows only. A named tuple, not a frozen dataclass like the money
    records: as immutable, and several times cheaper to build, which counts for
    the engine's most numerous record (a row per holder, commodity and day).
    """

    time: float
    holder: str
    party: str
    commodity: str
    kind: str
    quantity: float
    unmet: float
    order_id: str | None
