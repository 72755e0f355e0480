"""Settlement rules R8-R14 as plain functions over orders, amounts and the clock.

The simulation (`sim/settle.py`) decides *when* each rule acts; these functions
decide *what* it does to an order and which postings record it. Amounts are in
the order's currency (the provider's); a receivable lives in two accounts, the
part not yet invoiced and the part invoiced for cash (`accounts.*_invoiced`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from acsasim.ledger import accounts
from acsasim.ledger.entries import Order, Posting, evolve
from acsasim.ledger.money import Converter, to_money

IN_KIND = ("replacement_in_kind", "equal_value_exchange")  # the deadline applies to these (R12)
UNSETTLED = ("open", "overdue", "converted")
EPS = 1e-9


AGING_BUCKETS = ("not_due", "1-30", "31-90", "91-180", "181-365", "over_365")


def aging_bucket(days_overdue: float) -> str:
    """The aging bucket of a balance `days_overdue` past its due date (R12: aging counts
    from the due date; 0 or less is not yet due)."""
    if days_overdue <= 0:
        return "not_due"
    for bucket, limit in (("1-30", 30), ("31-90", 90), ("91-180", 180), ("181-365", 365)):
        if days_overdue <= limit:
            return bucket
    return "over_365"


def method_for(methods: Iterable[str], service: bool) -> str:
    """R8: the receiver's first method that applies; never replacement in kind for a service."""
    usable = [m for m in methods if not (service and m == "replacement_in_kind")]
    return usable[0] if usable else "cash"


def remaining_value(order: Order) -> Decimal:
    return order.value - order.settled_value


def remaining_quantity(order: Order) -> float:
    return max(0.0, order.quantity - order.settled_quantity)


def part_value(
    whole: Decimal, quantity: float, part: float, left: float, value_left: Decimal, currency: str
) -> Decimal:
    """The value of `part` of a `quantity` worth `whole`, when `left` of it (worth `value_left`)
    is still to come: its proportional share, except that the part that takes all that is left
    takes exactly `value_left`. Rounding thus never leaves a cent open or settles one twice."""
    if part >= left - EPS:
        return value_left
    share = to_money(whole * Decimal(repr(part)) / Decimal(repr(quantity)), currency)
    return min(share, value_left)


def returnable(order: Order, on_hand: float, keep: float, returning: float) -> float:
    """R9: what the receiver may return now: what is still owed (less returns on the way),
    while its stock after the return stays at or above its reorder level (`keep`)."""
    owed = remaining_quantity(order) - returning
    room = on_hand - keep
    quantity = min(owed, room)
    return quantity if quantity > EPS else 0.0


def settle(order: Order, time: float, value: Decimal, quantity: float | None = None) -> Order:
    """The order with `value` (and `quantity`, else the same share of it) settled; status
    `settled` once nothing is left. Never settles beyond what was delivered."""
    value = min(value, remaining_value(order))
    if quantity is None:
        quantity = (
            order.quantity * float(value / order.value)
            if order.value
            else remaining_quantity(order)
        )
    settled_value = order.settled_value + value
    settled_quantity = min(order.quantity, order.settled_quantity + quantity)
    done = settled_value >= order.value
    if done:
        settled_quantity = order.quantity
    return evolve(
        order,
        settled_value=settled_value,
        settled_quantity=settled_quantity,
        status="settled" if done else order.status,
        settled_at=time if done else order.settled_at,
    )


def deadline_statuses(order: Order, on_deadline: str) -> list[str]:
    """R12: the statuses an unsettled order passes through on its due date."""
    if order.status not in ("open",):
        return []
    if order.method in IN_KIND and on_deadline == "convert_to_cash":
        return ["overdue", "converted"]
    return ["overdue"]


def equal_values(
    a: Order, free_a: Decimal, b: Order, free_b: Decimal, converter: Converter
) -> tuple[Decimal, Decimal]:
    """R10/R13: the amounts that net two opposite balances against each other at equal value
    (through the reporting currency). The smaller side settles exactly in full."""
    in_a = converter.exact(free_a, a.currency)
    in_b = converter.exact(free_b, b.currency)
    if in_a <= in_b:
        return free_a, min(free_b, to_money(in_a * converter.rate(b.currency), b.currency))
    return min(free_a, to_money(in_b * converter.rate(a.currency), a.currency)), free_b


# --- postings ---------------------------------------------------------------------------------


def reduce_postings(order: Order, value: Decimal, invoiced: Decimal) -> list[Posting]:
    """Take `value` off the provider's receivable and the receiver's payable, `invoiced` of it
    from the invoiced part (R15: both sides move together)."""
    p, r, cur = order.provider_party, order.receiver_party, order.currency
    legs = []
    for part, rec, pay in (
        (invoiced, accounts.receivable_invoiced(p, r), accounts.payable_invoiced(r, p)),
        (value - invoiced, accounts.receivable(p, r), accounts.payable(r, p)),
    ):
        if part:
            legs += [Posting(rec, -part, cur), Posting(pay, part, cur)]
    return legs


def return_postings(order: Order, value: Decimal) -> list[Posting]:
    """R9: goods returned in kind settle the debt; the provider receives, the receiver provides."""
    p, r, cur = order.provider_party, order.receiver_party, order.currency
    return [
        *reduce_postings(order, value, Decimal(0)),
        Posting(accounts.received(p), value, cur),
        Posting(accounts.provided(r), -value, cur),
    ]


def invoice_postings(order: Order, value: Decimal) -> list[Posting]:
    """R11/R12: `value` of the receivable is invoiced for cash (moved to the invoiced part)."""
    p, r, cur = order.provider_party, order.receiver_party, order.currency
    return [
        Posting(accounts.receivable(p, r), -value, cur),
        Posting(accounts.receivable_invoiced(p, r), value, cur),
        Posting(accounts.payable(r, p), value, cur),
        Posting(accounts.payable_invoiced(r, p), -value, cur),
    ]


def payment_postings(order: Order, value: Decimal) -> list[Posting]:
    """R11: the receiver pays an invoice in the provider's currency."""
    p, r, cur = order.provider_party, order.receiver_party, order.currency
    return [
        *reduce_postings(order, value, value),
        Posting(accounts.cash(p), value, cur),
        Posting(accounts.cash(r), -value, cur),
    ]
