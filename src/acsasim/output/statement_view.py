"""The statement of account between two parties, as the report page shows it.

The statement itself is the ledger's (`acsasim.ledger.statements`, the same as
`acsasim statement` prints); this module only turns its lines into the page's rows,
in the reporting currency and in plain words.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from acsasim.ledger import Converter, Order, to_money
from acsasim.ledger.statements import in_reporting, running_balances, statement
from acsasim.output.books import order_from_row, transactions_from_rows

if TYPE_CHECKING:
    import pandas as pd

    from acsasim.scenario.model import Scenario


def statement_columns(pair: tuple[str, str], currency: str) -> tuple[str, ...]:
    """Column headings for the pair (a, b), in plain words for debit and credit: a
    transaction moves the balance in one party's favour (it provided, or it was repaid). The
    amount is in the order's currency; the other money columns in `currency` (reporting)."""
    a, b = pair
    return (
        "date",
        "kind",
        "order",
        "detail",
        "amount",
        f"in {a}'s favour ({currency})",
        f"in {b}'s favour ({currency})",
        f"balance ({currency})",
    )


def rates_note(scenario: Scenario) -> str:
    """`1 USD = 155 JPY = 58 PHP`: the rates every converted amount of a statement uses."""
    rep = scenario.reporting_currency
    others = [f"{rate:g} {cur}" for cur, rate in sorted(scenario.currencies.items()) if cur != rep]
    return " = ".join([f"1 {rep}", *others])


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
    """One row per line of the ledger's statement of account (`ledger.statements`) at the
    end of the run: date, kind, order, detail, the amount in its own currency, then debit,
    credit and running balance in the reporting currency at the scenario's rates (text:
    `PH owes JP 1,234.56`; `rates_note` says which rates).

    Both directions fold into one balance seen from `pair[0]`: positive means `pair[1]`
    owes `pair[0]`. The balance adds each currency's own running balance at the rates
    (`ledger.statements.in_reporting`); each change is converted exactly and rounded once.
    """
    a, b = pair
    conv = Converter(scenario.rates, scenario.reporting_currency)
    orders = [order_from_row(r, scenario.start) for r in frames["orders"].to_dict("records")]
    postings = frames["postings"].to_dict("records")
    txns = transactions_from_rows(postings, scenario.start)
    st = statement(txns, orders, a, b, scenario.duration, conv)
    by_id = {o.order_id: o for o in orders}
    rows: list[tuple[str, ...]] = []
    cur = scenario.reporting_currency
    for line, balances in zip(st.lines, running_balances(st)[1:], strict=True):
        change = conv.exact(line.change, line.currency)
        shown = to_money(abs(change), cur)
        rows.append(
            (
                (scenario.start + timedelta(hours=line.time)).date().isoformat(),
                line.kind.replace("_", " "),
                line.order_id or "",
                _detail(by_id.get(line.order_id or "")),
                f"{line.currency} {line.amount:,}",
                f"{shown:,}" if change > 0 else "",
                f"{shown:,}" if change < 0 else "",
                balance_text(in_reporting(balances, conv), pair, cur),
            )
        )
    return rows


def _detail(order: Order | None) -> str:
    """`PH→JP diesel 6,310 L` for an order, empty when the line names none."""
    if order is None:
        return ""
    return (
        f"{order.provider_party}→{order.receiver_party} {order.commodity} "
        f"{order.quantity:,.0f} {order.unit}"
    )
