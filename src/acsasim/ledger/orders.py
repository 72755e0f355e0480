"""The order table: one row per ACSA order, columns changed in place (R8-R13, R16).

An order is an integer row; its public id is `O00001` for row 0. What is fixed when the
order is issued (parties, holders, commodity, quantity, value, tax) and what changes as it
is delivered and settled (status, method, due date, settled quantity and value) are
columns, so settlement changes a few cells instead of rebuilding a record, and the
readers (KPIs, tables) take whole columns. Quantities are integers of the commodity's
resolution (`scale`-ths of a unit); money is integer minor units of the order's currency
(value, settled value) or of the reporting currency (`value_reporting`, `tax_waived`).

Every status change goes through `set_status`, which refuses an illegal one (vocab.TRANSITIONS)
and tells the observers, so a test can follow each order's life.
"""

from __future__ import annotations

from collections.abc import Callable

from acsasim.ledger.entries import Order
from acsasim.ledger.money import from_minor
from acsasim.vocab import TRANSITIONS, Method, Status


class OrderError(Exception):
    """An order change the books refuse."""


#: Columns fixed when the order is issued.
FIXED = (
    "agreement",
    "provider_party",
    "provider",
    "receiver_party",
    "receiver",
    "commodity",
    "scale",
    "quantity",
    "unit",
    "activity",
    "requested_at",
    "currency",
    "value",
    "value_reporting",
    "tax_waived",
)
#: Terms agreed when the order is issued (R8 revised); the method may still change (R10).
AGREED = ("method", "settle_with")
#: Columns that change as the order is delivered and settled.
CHANGING = (
    "settles",
    "priced_at",
    "price_basis",
    "charges",
    "billed_quantity",
    "delivered_at",
    "due_at",
    "status",
    "settled_at",
    "settled_quantity",
    "settled_value",
)


def order_id(row: int) -> str:
    """The public id of row `row` (row 0 is O00001)."""
    return f"O{row + 1:05d}"


def order_row(oid: str) -> int:
    """The row of a public id; ValueError if it is not one."""
    if not (oid.startswith("O") and oid[1:].isdigit() and int(oid[1:]) > 0):
        raise ValueError(f"not an order id: {oid!r}")
    return int(oid[1:]) - 1


class OrderTable:
    """Every ACSA order of a run, as columns (see the module's docstring)."""

    def __init__(self, reporting_currency: str) -> None:
        self.reporting_currency = reporting_currency  # of value_reporting and tax_waived
        self.agreement: list[str] = []
        self.provider_party: list[str] = []
        self.provider: list[str] = []
        self.receiver_party: list[str] = []
        self.receiver: list[str] = []
        self.commodity: list[str] = []
        self.scale: list[int] = []
        self.quantity: list[int] = []
        self.unit: list[str] = []
        self.activity: list[str] = []
        self.requested_at: list[float] = []
        self.currency: list[str] = []
        self.value: list[int] = []
        self.value_reporting: list[int] = []
        self.tax_waived: list[int] = []
        self.delivered_at: list[float | None] = []
        self.method: list[Method | None] = []
        self.due_at: list[float | None] = []
        self.status: list[Status] = []
        self.settled_at: list[float | None] = []
        self.settled_quantity: list[int] = []
        self.settled_value: list[int] = []
        self.settle_with: list[str] = []  # items that settle it in kind or by exchange (R9, R10)
        self.terms: list[int] = []  # the number of its settlement terms (sim/terms.py)
        # Columns that most orders leave at their default, kept by row only where they do not
        # (a run of version-1 orders pays nothing for them):
        self.settles: dict[int, str] = {}  # a counter-delivery: the orders it was given for
        self.unpriced: set[int] = set()  # placed before their price is known (Pricing)
        self.priced_at: dict[int, float] = {}  # when priced, where not when requested
        self.price_basis: dict[int, str] = {}  # the basis of the price list, where one is
        self.charges: dict[int, int] = {}  # transport and handling in `value`, minor units
        self.billed_quantity: dict[int, int] = {}  # R22: what a task was billed on
        # settlement's working figures (not in orders.csv): value invoiced and not yet paid
        # (R11), quantity on its way back in kind and the value it will settle (R9)
        self.invoiced: list[int] = []
        self.returning: list[int] = []
        self.reserved: list[int] = []
        self.observers: list[Callable[[int], None]] = []
        self._blank = (self.delivered_at, self.due_at, self.settled_at)
        self._working = (self.invoiced, self.returning, self.reserved)

    def __len__(self) -> int:
        return len(self.status)

    def add(
        self,
        *,
        agreement: str,
        provider_party: str,
        provider: str,
        receiver_party: str,
        receiver: str,
        commodity: str,
        scale: int,
        quantity: int,
        unit: str,
        activity: str,
        requested_at: float,
        currency: str,
        value: int,
        value_reporting: int,
        tax_waived: int,
        method: Method | None = None,
        settle_with: str = "",
        terms: int = -1,
        charges: int = 0,
        price_basis: str = "",
        priced: bool = True,
    ) -> int:
        """A new order in transit (the FIXED columns and the terms agreed, R8); returns its
        row."""
        if quantity <= 0 or value < 0:
            raise OrderError(f"an order needs a positive quantity and a value >= 0, got "
                             f"{quantity} units worth {value}")  # fmt: skip
        self.agreement.append(agreement)
        self.provider_party.append(provider_party)
        self.provider.append(provider)
        self.receiver_party.append(receiver_party)
        self.receiver.append(receiver)
        self.commodity.append(commodity)
        self.scale.append(scale)
        self.quantity.append(quantity)
        self.unit.append(unit)
        self.activity.append(activity)
        self.requested_at.append(requested_at)
        self.currency.append(currency)
        self.value.append(value)
        self.value_reporting.append(value_reporting)
        self.tax_waived.append(tax_waived)
        self.method.append(method)
        self.settle_with.append(settle_with)
        self.terms.append(terms)
        for blank in self._blank:  # the CHANGING and working columns
            blank.append(None)
        row = len(self.status)
        self.status.append(Status.IN_TRANSIT)
        if not priced:
            self.unpriced.add(row)
        if price_basis:
            self.price_basis[row] = price_basis
        if charges:
            self.charges[row] = charges
        for zero in (self.settled_quantity, self.settled_value, *self._working):
            zero.append(0)
        if self.observers:
            self._changed(row)
        return row

    def set_status(self, row: int, status: Status) -> None:
        """Move an order to `status`, refusing an illegal change."""
        old = self.status[row]
        if old != status and (old, status) not in TRANSITIONS:
            raise OrderError(f"order {order_id(row)}: illegal status change {old} -> {status}")
        self.status[row] = status
        self._changed(row)

    def deliver(self, row: int, time: float, method: Method, due_at: float) -> None:
        """R8: the order is received; its method (agreed at issue) and its due date stand."""
        self.delivered_at[row], self.method[row], self.due_at[row] = time, method, due_at
        self.set_status(row, Status.OPEN)

    def set_method(self, row: int, method: Method) -> None:
        """R10: a counter-flow absorbed whole by an equal-value balance is recorded as settled
        by equal-value exchange."""
        self.method[row] = method
        self._changed(row)

    def give(self, row: int, time: float) -> None:
        """R22: delivered for an activity given as aid: recorded, never billed."""
        self.delivered_at[row] = time
        self.set_status(row, Status.GRATIS)

    def await_price(self, row: int, time: float) -> None:
        """Pricing: the order arrived before it was priced; it is booked when priced."""
        self.delivered_at[row] = time
        self.set_status(row, Status.UNPRICED)

    def price(
        self, row: int, time: float, value: int, reporting: int, tax: int, charges: int,
        basis: str,
    ) -> None:  # fmt: skip
        """Pricing: an order placed unpriced is valued now (its value, tax waived, charges)."""
        if value < 0 or row not in self.unpriced:
            raise OrderError(f"order {order_id(row)}: priced twice or below zero")
        self.value[row], self.value_reporting[row], self.tax_waived[row] = value, reporting, tax
        self.unpriced.discard(row)
        self.priced_at[row] = time
        if charges:
            self.charges[row] = charges
        if basis:
            self.price_basis[row] = basis
        self._changed(row)

    def counter_to(self, row: int, repaid: list[str]) -> None:
        """R10: the order was given back for these equal-value balances (`settles`)."""
        self.settles[row] = " ".join(filter(None, [self.settles.get(row, ""), *repaid]))
        self._changed(row)

    def settle(
        self,
        row: int,
        time: float,
        value: int,
        quantity: int | None = None,
        done: Status = Status.SETTLED,
    ) -> None:
        """`value` (and `quantity`, else the same share of the quantity, rounded down to whole
        units) settled; the order takes status `done`, its whole quantity settled, once no
        value is left. Never settles beyond what was delivered."""
        value = min(value, self.value[row] - self.settled_value[row])
        if value < 0:
            raise OrderError(f"order {order_id(row)}: cannot settle a negative value")
        self.settled_value[row] += value
        whole = self.quantity[row]
        if self.settled_value[row] >= self.value[row]:
            self.settled_quantity[row] = whole
            self.settled_at[row] = time
            self.set_status(row, done)
            return
        if quantity is None:  # a part of the value: value[row] > settled_value >= 0 here
            quantity = whole * value // self.value[row]
        self.settled_quantity[row] = min(whole, self.settled_quantity[row] + quantity)
        self._changed(row)

    def billed(self, row: int) -> int:
        """R22: the quantity billed: what a task used, else the quantity."""
        return self.billed_quantity.get(row, self.quantity[row])

    def owed_value(self, row: int) -> int:
        """What is still to settle of the order, minor units of its currency."""
        return self.value[row] - self.settled_value[row]

    def owed_quantity(self, row: int) -> int:
        return self.quantity[row] - self.settled_quantity[row]

    def free(self, row: int) -> int:
        """What may still be netted, invoiced or converted: the value owed less the value of
        returns on their way (R9: fixed as they leave)."""
        return self.value[row] - self.settled_value[row] - self.reserved[row]

    def record(self, row: int) -> Order:
        """The order as an immutable record of orders.csv (Decimal money, float quantities)."""
        cur, rep, scale = self.currency[row], self.reporting_currency, self.scale[row]
        return Order(
            order_id=order_id(row),
            agreement=self.agreement[row],
            provider_party=self.provider_party[row],
            provider=self.provider[row],
            receiver_party=self.receiver_party[row],
            receiver=self.receiver[row],
            commodity=self.commodity[row],
            quantity=self.quantity[row] / scale,
            unit=self.unit[row],
            activity=self.activity[row],
            requested_at=self.requested_at[row],
            delivered_at=self.delivered_at[row],
            currency=cur,
            value=from_minor(self.value[row], cur),
            value_reporting=from_minor(self.value_reporting[row], rep),
            tax_waived_reporting=from_minor(self.tax_waived[row], rep),
            method=self.method[row],
            due_at=self.due_at[row],
            status=self.status[row],
            settled_at=self.settled_at[row],
            settled_quantity=self.settled_quantity[row] / scale,
            settled_value=from_minor(self.settled_value[row], cur),
            settle_with=self.settle_with[row],
            settles=self.settles.get(row, ""),
            priced_at=None
            if row in self.unpriced
            else self.priced_at.get(row, self.requested_at[row]),
            price_basis=self.price_basis.get(row, ""),
            charges=from_minor(self.charges.get(row, 0), cur),
            billed_quantity=self.billed(row) / scale,
        )

    def records(self) -> tuple[Order, ...]:
        return tuple(self.record(i) for i in range(len(self)))

    def _changed(self, row: int) -> None:
        for observe in self.observers:
            observe(row)
