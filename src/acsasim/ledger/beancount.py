"""The journal as a beancount file, so another accounting tool can check our books (R15).

`bean-check` re-verifies what `Ledger.post` promises: every transaction balances per currency
with exact amounts, and every account is opened before use. Each ledger transaction becomes
one beancount transaction dated by its day, with the exact simulation time and txn id kept as
metadata and the order as a link (`^O00001`), so a reader can follow an order through issue,
invoice, returns, nettings and payment (R9-R13).

Beancount wants account components that start with a capital letter or a digit and hold only
letters, digits and '-'; party ids may hold '_' and lower case. `beancount_account` maps them
deterministically ('jp_x' -> 'Jp-x') and `to_beancount` refuses two accounts that would map
to one name, rather than merge two parties' books.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from acsasim.ledger.accounts import parse
from acsasim.ledger.entries import Order, Transaction
from acsasim.ledger.money import to_decimal

_COMPONENT = re.compile(r"^[A-Z0-9][A-Za-z0-9-]*$")
_LINK_UNSAFE = re.compile(r"[^A-Za-z0-9_/.-]")


# Beancount computes with 28 significant digits: an amount of 10^24 or more (with up to 3
# decimals) could be rounded by the tool meant to check it, so it is refused, as is any
# amount that is not a finite number.
MAX_AMOUNT = Decimal(10) ** 24


class JournalError(ValueError):
    """The books cannot be written as a legal beancount journal (e.g. two accounts collide)."""


def checked_amount(amount: Decimal, where: str) -> str:
    """An amount as plain decimal text (never an exponent), or JournalError if it is not a
    finite number below MAX_AMOUNT in size."""
    if not isinstance(amount, Decimal) or not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise JournalError(
            f"{where}: amount {amount} is not a finite number below 10^24 in size; "
            "the books cannot be exported"
        )
    return format(amount, "f")


def beancount_component(part: str) -> str:
    """One account component made beancount-legal: '_' -> '-', first letter upper-cased."""
    legal = part.replace("_", "-")
    legal = legal[:1].upper() + legal[1:]
    if not _COMPONENT.match(legal):
        raise JournalError(f"account component {part!r} cannot be made a beancount name")
    return legal


def beancount_account(account: str) -> str:
    """`Assets:jp_x:Receivable:PH` -> `Assets:Jp-x:Receivable:PH` (roots are kept)."""
    try:
        root, *rest = parse(account)
    except ValueError as exc:
        raise JournalError(str(exc)) from None
    return ":".join([root, *(beancount_component(p) for p in rest)])


def account_names(accounts: Iterable[str]) -> dict[str, str]:
    """Our account -> its beancount name, refusing two accounts that map to one name."""
    names: dict[str, str] = {}
    taken: dict[str, str] = {}
    for account in sorted(set(accounts)):
        name = beancount_account(account)
        if name in taken:
            raise JournalError(
                f"accounts {taken[name]!r} and {account!r} would both be {name!r} in beancount; "
                "rename one of the parties"
            )
        taken[name] = account
        names[account] = name
    return names


def to_beancount(
    transactions: Iterable[Transaction],
    orders: Iterable[Order],
    start: datetime,
    rates: Mapping[str, float | int | Decimal],
    reporting: str,
    title: str = "acsasim",
) -> str:
    """The whole journal as beancount text.

    `start` is the run start (time 0, R1): accounts open and prices hold from that day.
    `rates` are units of each currency per reporting unit, as in the scenario (R7); each is
    written as the exact price of one reporting unit (`price USD 155 JPY`), which beancount
    also reads the other way round."""
    txns = list(transactions)
    by_id = {o.order_id: o for o in orders}
    names = account_names(p.account for t in txns for p in t.postings)
    day = start.date().isoformat()
    out = [
        f'option "title" {_quote(title)}',
        f'option "operating_currency" "{reporting}"',
        "",
        *(f"{day} open {name}" for name in names.values()),
        "",
        *_prices(day, rates, reporting),
    ]
    for txn in txns:
        out += ["", *_transaction(txn, by_id.get(txn.order_id or ""), start, names)]
    return "\n".join(out) + "\n"


def _prices(day: str, rates: Mapping[str, float | int | Decimal], reporting: str) -> list[str]:
    return [
        f"{day} price {reporting} {_number(_rate(rate, cur))} {cur}"
        for cur, rate in sorted(rates.items())
        if cur != reporting
    ]


def _rate(rate: float | int | Decimal, currency: str) -> Decimal:
    try:
        exact = to_decimal(rate)
    except (TypeError, ValueError):
        raise JournalError(f"the rate of {currency} ({rate!r}) is not a finite number") from None
    checked_amount(exact, f"the rate of {currency}")
    return exact


def _transaction(
    txn: Transaction, order: Order | None, start: datetime, names: Mapping[str, str]
) -> list[str]:
    when = start + timedelta(hours=txn.time)
    link = f" ^{_LINK_UNSAFE.sub('-', txn.order_id)}" if txn.order_id else ""
    lines = [
        f"{when.date().isoformat()} * {_quote(_narration(txn, order))}{link}",
        f"  txn: {txn.txn_id}",
        f'  time: "{when.isoformat(timespec="seconds")}"',
    ]
    where = f"transaction {txn.txn_id}"
    lines += [
        f"  {names[p.account]}  {checked_amount(p.amount, where)} {p.currency}"
        for p in txn.postings
    ]
    return lines


def _narration(txn: Transaction, order: Order | None) -> str:
    """'issue O00001: 1200 meal ration JP -> PH' (kind, order, what and who)."""
    if txn.order_id is None:
        return txn.kind
    text = f"{txn.kind} {txn.order_id}"
    if order is not None:
        what = f"{order.quantity:g} {order.unit} {order.commodity}"
        text += f": {what} {order.provider_party} -> {order.receiver_party}"
    return text


def _number(d: Decimal) -> str:
    """A plain decimal numeral (no exponent), trailing zeros dropped: 155.0 -> '155'."""
    return format(d.normalize(), "f")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
