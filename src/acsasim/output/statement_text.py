"""A statement of account as terminal text and as the rows of its CSV and SQLite table.

`acsasim statement` prints `render` and writes `csv_rows`. A running balance never
adds one currency to another as is: the text has a balance column per currency and a total
in the reporting currency at the rates its header states; the rows keep each currency's own
`balance`, its `rate` and the total `balance_reporting` (ledger.statements: running_balances,
in_reporting).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from acsasim.ledger.statements import in_reporting, running_balances

if TYPE_CHECKING:
    from acsasim.ledger.money import Converter
    from acsasim.ledger.statements import Statement, StatementLine
    from acsasim.output.books import Books

COLUMNS = (
    "section",
    "txn_id",
    "time",
    "kind",
    "order_id",
    "commodity",
    "creditor",
    "debtor",
    "currency",
    "amount",
    "change",
    "balance",
    "due_at",
    "days_overdue",
    "bucket",
    "rate",
    "balance_reporting",
)
# `balance` is the running balance of the row's own currency (never a sum across currencies);
# `balance_reporting` adds every currency's balance at that moment at the scenario's rates,
# and `rate` gives the row currency's rate (units per 1 reporting unit).


def render(st: Statement, books: Books) -> list[str]:
    """The statement as aligned text for a terminal: one balance column per currency, and the
    total in the reporting currency at the rates the header states."""
    iso = _iso(books)
    rep, conv = st.reporting, books.converter
    balances = running_balances(st)
    currencies = list(balances[0])
    since = "the run start" if st.start is None else iso(st.start)
    out = [
        f"Statement of account {st.a} - {st.b} ({books.scenario.name})",
        f"from {since} to {iso(st.as_of)}; positive: {st.b} owes {st.a}, "
        f"negative: {st.a} owes {st.b}",
        f"balances run per currency; {rep} totals at the scenario's rates: {_rates(st, conv)}",
        "",
        "Opening: " + (", ".join(f"{v} {c}" for c, v in st.opening.items()) or "0"),
        "",
    ]
    head = ("time", "kind", "order", "commodity", "creditor", "cur", "amount", "change",
            *(f"balance {c}" for c in currencies), f"total {rep}")  # fmt: skip
    rows = [
        (*_line_cells(x, iso), *(b[c] for c in currencies), in_reporting(b, conv))
        for x, b in zip(st.lines, balances[1:], strict=True)
    ]
    out += _aligned(head, rows) if rows else ["(no movements)"]
    closing = [(c, v, _rate_text(conv, c), conv.to_reporting(v, c)) for c, v in st.closing.items()]
    out += [
        "",
        *_aligned(
            ("closing", "balance", f"rate per {rep}", rep),
            [*closing, ("total", "", "", st.closing_reporting)],
        ),
    ]
    buckets = [name for name, _ in st.aging[0].buckets]
    aging = [
        (f"{g.debtor} owes {g.creditor}", *(v for _, v in g.buckets), g.total) for g in st.aging
    ]
    out += ["", *_aligned((f"aging ({rep})", *buckets, "total"), aging)]
    return out


def _rates(st: Statement, conv: Converter) -> str:
    """`1 USD = 155 JPY = 58 PHP` for the statement's currencies."""
    others = sorted({*st.opening, *st.closing} - {st.reporting})
    return " = ".join([f"1 {st.reporting}", *(f"{_rate_text(conv, c)} {c}" for c in others)])


def _rate_text(conv: Converter, currency: str) -> str:
    return f"{conv.rate(currency).normalize():f}"


def _line_cells(x: StatementLine, iso: Any) -> tuple[Any, ...]:
    order = x.order_id or "?"
    return (
        iso(x.time),
        x.kind,
        order,
        x.commodity,
        x.creditor,
        x.currency,
        x.amount,
        x.change,
    )


def _aligned(head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    """Columns padded to their widest cell; numbers to the right, text to the left."""
    cells = [[str(c) for c in head], *([str(c) for c in r] for r in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(head))]
    numeric = [any(_is_number(r[i]) for r in rows) for i in range(len(head))]
    return [
        "  ".join(
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ).rstrip()
        for row in cells
    ]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal)


def _cell(value: Any) -> Any:
    """Exact decimal text for money (as in postings.csv); ints stay ints."""
    return str(value) if isinstance(value, Decimal) else value


def _iso(books: Books) -> Any:
    return lambda hours: "" if hours is None else books.when(hours).isoformat(timespec="seconds")


def csv_rows(st: Statement, books: Books) -> list[tuple[Any, ...]]:
    """The statement as one table (COLUMNS): opening, lines, closing, open items, aging."""
    iso = _iso(books)
    conv = books.converter
    balances = running_balances(st)

    def row(**kw: Any) -> tuple[Any, ...]:
        if kw.get("currency") and "balance" in kw:
            kw["rate"] = _rate_text(conv, kw["currency"])
        return tuple(_cell(kw.get(c, "")) for c in COLUMNS)

    start = iso(st.start if st.start is not None else 0.0)
    opened = in_reporting(st.opening, conv)
    rows = [
        row(section="opening", time=start, currency=c, balance=v, balance_reporting=opened)
        for c, v in st.opening.items()
    ]
    rows += [
        row(section="line", txn_id=x.txn_id, time=iso(x.time), kind=x.kind,
            order_id=x.order_id or "", commodity=x.commodity, creditor=x.creditor,
            debtor=x.debtor, currency=x.currency, amount=x.amount, change=x.change,
            balance=x.balance, balance_reporting=in_reporting(b, conv))
        for x, b in zip(st.lines, balances[1:], strict=True)
    ]  # fmt: skip
    end = iso(st.as_of)
    rows += [
        row(section="closing", time=end, currency=c, balance=v,
            balance_reporting=st.closing_reporting)
        for c, v in st.closing.items()
    ]  # fmt: skip
    rows.append(
        row(
            section="closing_reporting",
            time=end,
            currency=st.reporting,
            balance=st.closing_reporting,
        )
    )
    rows += [
        row(section="open_item", time=end, order_id=i.order_id, creditor=i.creditor,
            debtor=i.debtor, currency=i.currency, amount=i.outstanding, due_at=iso(i.due_at),
            days_overdue=i.days_overdue, bucket=i.bucket)
        for i in st.open_items
    ]  # fmt: skip
    rows += [
        row(section="aging", time=end, creditor=g.creditor, debtor=g.debtor,
            currency=st.reporting, amount=v, bucket=name)
        for g in st.aging
        for name, v in (*g.buckets, ("total", g.total))
    ]  # fmt: skip
    return rows
