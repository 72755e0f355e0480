"""Settlement R8-R13 as one state machine over the order table and the journal.

The simulation (`sim/settle.py`) decides *when* each step happens; these functions decide
*what* it does: which status the order moves to, and which balanced postings record it.
Amounts are integer minor units of the order's currency (the provider's). A receivable
lives in two accounts, the part not yet invoiced and the part invoiced for cash, so the
books show what was never invoiced (R11).

    in_transit --deliver--> open --returns / exchange / payment--> settled
        `--arrives unpriced--> unpriced --priced--> open
                             |--deadline--> overdue --convert--> converted --payment--> settled
                             |                 `--returns--> settled
                             `--(overdue, converted) --offset--> offset
"""

from __future__ import annotations

from collections.abc import Iterable

from acsasim.ledger.book import Books
from acsasim.ledger.money import half_up, minor_units
from acsasim.vocab import IN_KIND, UNSETTLED, Method, Status, TxnKind

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


def method_for(methods: Iterable[str], service: bool) -> Method:
    """R8: the receiver's first method that applies; never replacement in kind for a service."""
    usable = [m for m in methods if not (service and m == Method.REPLACEMENT_IN_KIND)]
    return Method(usable[0]) if usable else Method.CASH


def deliver(
    books: Books, row: int, time: float, method: Method, due_at: float, booked: float | None = None
) -> None:
    """R8: the order is received at `time`, takes its method and due date, and its issue is
    booked (at `booked`, later for an order priced after it arrived): the provider gains a
    receivable and income, the receiver an expense and the payable."""
    o = books.orders
    o.deliver(row, time, method, due_at)
    acc = books.pair(o.provider_party[row], o.receiver_party[row])
    v, cur = o.value[row], books.journal.currency(o.currency[row])
    legs = [(acc.receivable, v, cur), (acc.provided, -v, cur)]
    legs += [(acc.received, v, cur), (acc.payable, -v, cur)]
    books.journal.post(time if booked is None else booked, TxnKind.ISSUE, row, legs)


def _reduce_legs(books: Books, row: int, value: int, invoiced: int) -> list[tuple[int, int, int]]:
    """Take `value` off the provider's receivable and the receiver's payable, `invoiced` of it
    from the invoiced part (R15: both sides move together)."""
    o = books.orders
    acc = books.pair(o.provider_party[row], o.receiver_party[row])
    cur = books.journal.currency(o.currency[row])
    legs = []
    if invoiced:
        legs += [(acc.receivable_invoiced, -invoiced, cur), (acc.payable_invoiced, invoiced, cur)]
    if value - invoiced:
        plain = value - invoiced
        legs += [(acc.receivable, -plain, cur), (acc.payable, plain, cur)]
    return legs


def invoice(books: Books, row: int, time: float, kind: TxnKind = TxnKind.INVOICE) -> int:
    """R11/R12: invoice what is free and not yet invoiced; returns the amount (0: nothing)."""
    o = books.orders
    amount = o.free(row) - o.invoiced[row]
    if o.status[row] not in UNSETTLED or amount <= 0:
        return 0
    acc = books.pair(o.provider_party[row], o.receiver_party[row])
    cur = books.journal.currency(o.currency[row])
    legs = [(acc.receivable, -amount, cur), (acc.receivable_invoiced, amount, cur)]
    legs += [(acc.payable, amount, cur), (acc.payable_invoiced, -amount, cur)]
    books.journal.post(time, kind, row, legs)
    o.invoiced[row] += amount
    return amount


def pay(books: Books, row: int, time: float) -> int:
    """R11: the receiver pays what is invoiced, in the provider's currency."""
    o = books.orders
    amount = o.invoiced[row]
    if o.status[row] not in UNSETTLED or amount <= 0:
        return 0
    acc = books.pair(o.provider_party[row], o.receiver_party[row])
    cur = books.journal.currency(o.currency[row])
    legs = _reduce_legs(books, row, amount, amount)
    legs += [(acc.provider_cash, amount, cur), (acc.receiver_cash, -amount, cur)]
    books.journal.post(time, TxnKind.PAYMENT, row, legs)
    o.invoiced[row] = 0
    o.settle(row, time, amount)
    return amount


def deadline(books: Books, row: int, on_deadline: str) -> list[Status]:
    """R12: an unsettled order passes its due date: overdue, and converted to cash when the
    agreement says so for an in-kind method. Returns the statuses it went through."""
    o = books.orders
    if o.status[row] != Status.OPEN:
        return []
    steps = [Status.OVERDUE]
    if o.method[row] in IN_KIND and on_deadline == "convert_to_cash":
        steps.append(Status.CONVERTED)
    for status in steps:
        o.set_status(row, status)
    return steps


def equal_values(books: Books, a: int, b: int) -> tuple[int, int]:
    """R10/R13: the amounts that net two opposite balances at equal value (through the
    reporting currency); the smaller side settles exactly in full."""
    o, conv = books.orders, books.converter
    free_a, free_b = o.free(a), o.free(b)
    rate_a, rate_b = conv.fraction(o.currency[a]), conv.fraction(o.currency[b])
    digits_a, digits_b = _digits(o.currency[a]), _digits(o.currency[b])
    # both free values in reporting units, exactly: free / 10^d / rate
    in_a = free_a * rate_a.denominator * digits_b * rate_b.numerator
    in_b = free_b * rate_b.denominator * digits_a * rate_a.numerator
    if in_a <= in_b:
        other = half_up(free_a * rate_a.denominator * rate_b.numerator * digits_b,
                        digits_a * rate_a.numerator * rate_b.denominator)  # fmt: skip
        return free_a, min(free_b, other)
    other = half_up(free_b * rate_b.denominator * rate_a.numerator * digits_a,
                    digits_b * rate_b.numerator * rate_a.denominator)  # fmt: skip
    return min(free_a, other), free_b


def _digits(currency: str) -> int:
    return 10 ** minor_units(currency)


def net(
    books: Books, a: int, b: int, time: float, kind: TxnKind, counter: TxnKind | None = None
) -> bool:
    """Net two opposite balances at equal value (R10 equal-value exchange, R13 offset): one
    transaction per order, each balancing on its own, so every posting names the order it
    settles; `b`'s is of kind `counter` if given (R10: the counter-delivery given back for
    `a`). False when either side has nothing free."""
    va, vb = equal_values(books, a, b)
    if va <= 0 or vb <= 0:
        return False
    o = books.orders
    for row, value, posted in ((a, va, kind), (b, vb, counter or kind)):
        inv = min(value, o.invoiced[row])
        books.journal.post(time, posted, row, _reduce_legs(books, row, value, inv))
        o.invoiced[row] -= inv
        done = Status.OFFSET if kind == TxnKind.OFFSET else Status.SETTLED
        o.settle(row, time, value, done=done)
    return True


def part_value(whole: int, quantity: int, part: int, left: int, value_left: int) -> int:
    """The value of `part` of a `quantity` worth `whole`, when `left` of it (worth
    `value_left`) is still to come: its proportional share, except that the part that takes
    all that is left takes exactly `value_left`. Rounding thus never leaves a minor unit open
    or settles one twice."""
    if part >= left:
        return value_left
    return min(half_up(whole * part, quantity), value_left)


def returnable(books: Books, row: int, on_hand: int, keep: int) -> int:
    """R9: what the receiver may return of the order now: what is still owed less what is on
    its way back, while its stock after the return stays at or above `keep`. Nothing once
    the order is invoiced for cash (R11, R12): an invoice is paid in cash."""
    o = books.orders
    if o.status[row] not in (Status.OPEN, Status.OVERDUE) or o.free(row) <= o.invoiced[row]:
        return 0
    owed = o.quantity[row] - o.settled_quantity[row] - o.returning[row]
    return max(0, min(owed, on_hand - keep))


def send_back(books: Books, row: int, quantity: int) -> int:
    """R9: a return of `quantity` leaves; its value is fixed now and held back from netting
    and conversion (`free`), so what it settles on arrival is exactly what was reserved."""
    o = books.orders
    owed = o.quantity[row] - o.settled_quantity[row] - o.returning[row]
    value = part_value(o.value[row], o.quantity[row], quantity, owed, o.free(row))
    o.returning[row] += quantity
    o.reserved[row] += value
    return value


def returned(books: Books, row: int, time: float, quantity: int, value: int) -> None:
    """R9: goods returned in kind arrive and settle the debt; the provider receives what the
    receiver provides back."""
    o = books.orders
    acc = books.pair(o.provider_party[row], o.receiver_party[row])
    cur = books.journal.currency(o.currency[row])
    o.returning[row] -= quantity
    o.reserved[row] -= value
    legs = _reduce_legs(books, row, value, 0)
    legs += [(acc.provider_received, value, cur), (acc.receiver_provided, -value, cur)]
    books.journal.post(time, TxnKind.RETURN_IN_KIND, row, legs)
    o.settle(row, time, value, quantity)


def exchanged(books: Books, row: int, time: float, limit: int | None) -> int:
    """R10: the debtor gives equal value outside the simulated flows (an `exchange` event):
    what is free of the order is settled, up to `limit` reporting minor units (None: all);
    the creditor receives what the debtor provides. Returns the reporting minor units used."""
    o, conv = books.orders, books.converter
    free = o.free(row)
    if o.status[row] not in UNSETTLED or free <= 0:
        return 0
    cur = o.currency[row]
    value, used = free, conv.reporting_minor(free, cur)
    if limit is not None and used > limit:  # the last balance reached: settled in part
        value, used = min(free, conv.from_reporting(limit, cur)), limit
    if value <= 0:
        return used
    acc = books.pair(o.provider_party[row], o.receiver_party[row])
    code = books.journal.currency(cur)
    inv = min(value, o.invoiced[row])
    legs = _reduce_legs(books, row, value, inv)
    legs += [(acc.provider_received, value, code), (acc.receiver_provided, -value, code)]
    books.journal.post(time, TxnKind.EQUAL_VALUE, row, legs)
    o.invoiced[row] -= inv
    o.settle(row, time, value)
    return used
