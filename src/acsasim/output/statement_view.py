"""A statement of account between two parties, built from the orders and postings tables.

A stand-in until `acsasim.ledger.statements` exists: it reads the receivable postings
between the two parties, whatever their kind (issue, return in kind, equal value,
invoice, payment, conversion, offset), so it follows the settlement lifecycle as the
ledger grows it. The page renders whatever rows and columns this returns, so the
ledger's own statement can replace this function without touching the template.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from acsasim.ledger import Converter, to_money

if TYPE_CHECKING:
    import pandas as pd

    from acsasim.scenario.model import Scenario


def statement_columns(pair: tuple[str, str]) -> tuple[str, ...]:
    """Column headings for the pair (a, b), in plain words for debit and credit: a
    transaction moves the balance in one party's favour (it provided, or it was repaid)."""
    a, b = pair
    return ("date", "kind", "order", "detail", f"in {a}'s favour", f"in {b}'s favour", "balance")


def balance_text(balance: Decimal, pair: tuple[str, str], currency: str) -> str:
    """`PH owes JP 1,234.56`, `JP owes PH ...` or `settled` for a net balance seen from a."""
    a, b = pair
    amount = to_money(abs(balance), currency)
    if not amount:
        return "even"
    return f"{b} owes {a} {amount:,}" if balance > 0 else f"{a} owes {b} {amount:,}"


def statement_rows(
    frames: dict[str, pd.DataFrame], scenario: Scenario, pair: tuple[str, str]
) -> list[tuple[str, ...]]:
    """One row per transaction that moves the balance between the pair, in time order:
    date, kind, order, detail, debit, credit, running balance (reporting currency, text:
    `PH owes JP 1,234.56`).

    Both directions fold into one balance seen from `pair[0]`: positive means `pair[1]`
    owes `pair[0]`. Sums are exact; each amount is rounded once, for display.
    """
    a, b = pair
    conv = Converter(scenario.rates, scenario.reporting_currency)
    orders = frames["orders"].set_index("order_id")
    moves: dict[tuple[str, str], list] = {}
    for p in frames["postings"].itertuples(index=False):
        parts = p.account.split(":")
        if len(parts) < 4 or parts[0] != "Assets" or parts[2] != "Receivable":
            continue
        creditor, debtor = parts[1], parts[3]
        if {creditor, debtor} != {a, b}:
            continue
        sign = 1 if creditor == a else -1
        amount = conv.exact(Decimal(p.amount), p.currency) * sign
        key = (str(p.txn_id), p.order_id)
        moves.setdefault(key, [p.time, p.kind, p.order_id, Decimal(0)])[3] += amount
    rows: list[tuple[str, ...]] = []
    balance = Decimal(0)
    cur = scenario.reporting_currency
    for time, kind, order_id, amount in sorted(moves.values(), key=lambda m: m[0]):
        balance += amount
        shown = to_money(abs(amount), cur)
        rows.append(
            (
                time[:10],
                kind.replace("_", " "),
                order_id,
                _detail(orders, order_id),
                f"{shown:,}" if amount > 0 else "",
                f"{shown:,}" if amount < 0 else "",
                balance_text(balance, pair, cur),
            )
        )
    return rows


def _detail(orders: pd.DataFrame, order_id: str) -> str:
    """`PH→JP diesel 6,310 L` for an order, empty when the posting names none."""
    if not order_id or order_id not in orders.index:
        return ""
    o = orders.loc[order_id]
    return (
        f"{o['provider_party']}→{o['receiver_party']} {o['commodity']} "
        f"{float(o['quantity']):,.0f} {o['unit']}"
    )
