"""The statement of account between two parties, as the report page shows it.

The statement itself is the ledger's (`acsasim.ledger.statements`, the same as
`acsasim statement` prints); this module only turns its lines into the page's rows,
in the reporting currency and in plain words.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from acsasim.ledger import Converter, to_money
from acsasim.ledger.columns import NONE
from acsasim.ledger.money import from_minor
from acsasim.ledger.moves import Moves
from acsasim.ledger.statements import PairLines, in_reporting, pair_lines

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
    from acsasim.output.run_data import frame_moves

    lines = pair_lines(frame_moves(frames, scenario), *pair)
    return page_rows(lines, scenario)


def page_rows(
    lines: PairLines, scenario: Scenario, limit: int | None = None
) -> list[tuple[str, ...]]:
    """The statement's first `limit` lines (all with None) as the page's rows: only the lines
    shown are converted and worded."""
    conv = Converter(scenario.rates, scenario.reporting_currency)
    m, cur, pair = lines.moves, scenario.reporting_currency, (lines.a, lines.b)
    rows: list[tuple[str, ...]] = []
    for i, row in enumerate(lines.rows[:limit].tolist()):
        code = lines.currencies[lines.currency[i]]
        change = conv.exact(from_minor(int(lines.change[i]), code), code)
        shown = to_money(abs(change), cur)
        txn, order = int(m.txn[row]), int(m.order[row])
        rows.append(
            (
                (scenario.start + timedelta(hours=float(m.journal.txn_time[txn])))
                .date()
                .isoformat(),
                m.journal.kinds[m.journal.txn_kind[txn]].replace("_", " "),
                "" if order == NONE else m.orders.order_id[order],
                _detail(m, order),
                f"{code} {from_minor(int(m.amount[row]), code):,}",
                f"{shown:,}" if change > 0 else "",
                f"{shown:,}" if change < 0 else "",
                balance_text(in_reporting(_balances(lines, i + 1), conv), pair, cur),
            )
        )
    return rows


def closing_text(lines: PairLines, scenario: Scenario) -> str:
    """The balance after the statement's last line, as the page words it."""
    conv = Converter(scenario.rates, scenario.reporting_currency)
    closing = in_reporting(_balances(lines, len(lines)), conv)
    return balance_text(closing, (lines.a, lines.b), scenario.reporting_currency)


def _balances(lines: PairLines, after: int) -> dict[str, Decimal]:
    """Every currency's own running balance after line `after` (0: the opening)."""
    units = lines.balances[after].tolist()
    return {c: from_minor(int(u), c) for c, u in zip(lines.currencies, units, strict=True)}


def _detail(moves: Moves, order: int) -> str:
    """`PH→JP diesel 6,310 L` for an order, empty when the line names none."""
    if order == NONE:
        return ""
    o = moves.orders
    return (
        f"{o.provider_party[order]}→{o.receiver_party[order]} {o.commodity[order]} "
        f"{o.quantity[order]:,.0f} {o.unit[order]}"
    )
