"""Commands on the books of a run folder: `statement` and `export` (outputs.md).

Both read the folder as written (`output/books.py`: only a whole, untouched run folder),
never re-run the simulation, so a statement or a journal can be produced long after the run.
Everything the user can get wrong (folder, parties, dates, output file) is checked before
anything is written; what is written appears whole or not at all (`acsasim.runs`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from acsasim.cli.app import UserError, app, guarded

if TYPE_CHECKING:
    from acsasim.ledger.statements import Statement, StatementLine
    from acsasim.output.books import Books

FolderArg = Annotated[
    Path, typer.Argument(metavar="RUN_FOLDER", help="A run folder written by `acsasim run`.")
]
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
)


class Format(StrEnum):
    beancount = "beancount"


@app.command()
@guarded
def statement(
    folder: FolderArg,
    parties: Annotated[
        str, typer.Option("--parties", metavar="A,B", help="The two parties, e.g. JP,PH.")
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="YYYY-MM-DD (that day's 00:00) or YYYY-MM-DDTHH:MM; default: the run's end.",
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="Opening balance at DATE (default: none)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write the CSV to FILE (must not exist) instead of the run folder, e.g. "
            "when the run folder is read-only.",
        ),
    ] = None,
) -> None:
    """Statement of account between two parties with aging buckets (R11-R13, R15); written to
    the run folder as statement-A-B-<date>.csv and a table in ledger.sqlite (recorded in the
    folder's manifest), or with -o to a file of your choosing."""
    from acsasim.ledger.statements import statement as build
    from acsasim.runs.statements import statement_name

    if output is not None:
        _check_target(output)
    books = _books(folder)
    a, b = _parties(books, parties)
    until = _instant(books, as_of, "--as-of") if as_of else books.scenario.end
    since = _instant(books, start, "--from") if start else None
    if since is not None and since > until:
        raise UserError(f"--from {start} is after --as-of {as_of or until.isoformat()}")
    st = build(
        books.transactions,
        books.orders,
        a,
        b,
        books.hours(until),
        books.converter,
        None if since is None else books.hours(since),
    )
    rows = statement_rows(st, books)
    written = _write_statement(books, statement_name(a, b, until, since), rows, output)
    for line in [*render(st, books), *written]:
        typer.echo(line)


@app.command()
@guarded
def export(
    folder: FolderArg,
    format_: Annotated[Format, typer.Option("--format", help="The journal format.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to FILE (must not exist); default: stdout."),
    ] = None,
) -> None:
    """The ledger as a journal another accounting tool can check (beancount: `bean-check`)."""
    from acsasim.ledger.beancount import JournalError, to_beancount
    from acsasim.runs.atomic import write_text

    if output is not None:
        _check_target(output)
    books = _books(folder)
    s = books.scenario
    try:
        text = to_beancount(
            books.transactions, books.orders, s.start, s.rates, s.reporting_currency, s.name
        )
    except JournalError as exc:
        raise UserError(str(exc)) from None
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text(output, text, new=True)
        typer.echo(str(output), err=True)


# --- input --------------------------------------------------------------------------------------


def _books(folder: Path) -> Books:
    from acsasim.output.books import load_books

    return load_books(folder)


def _parties(books: Books, text: str) -> tuple[str, str]:
    """'JP,PH' -> ('JP', 'PH'): two known parties bound by an agreement."""
    names = [p.strip() for p in text.split(",")]
    known = books.scenario.parties
    if len(names) != 2 or not all(names) or names[0] == names[1]:
        raise UserError(f"--parties wants two different parties, e.g. JP,PH; got {text!r}")
    for p in names:
        if p not in known:
            raise UserError(f"unknown party {p!r} (the run's parties: {', '.join(sorted(known))})")
    if not any(set(ag.parties) == set(names) for ag in books.scenario.agreements):
        raise UserError(f"no agreement between {names[0]} and {names[1]} in this run")
    return names[0], names[1]


def _instant(books: Books, text: str, option: str) -> datetime:
    """A date (its 00:00, as in scenario files) or date-time inside the run (R1)."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"{option} {text!r} is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)"
        ) from None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)  # scenario times are naive UTC
    s = books.scenario
    if not s.start <= when <= s.end:
        raise UserError(
            f"{option} {text} is outside the run ({s.start.isoformat()} to {s.end.isoformat()})"
        )
    return when


# --- the statement as text and rows -------------------------------------------------------------


def render(st: Statement, books: Books) -> list[str]:
    """The statement as aligned text for a terminal."""
    iso = _iso(books)
    rep = st.reporting
    since = "the run start" if st.start is None else iso(st.start)
    out = [
        f"Statement of account {st.a} - {st.b} ({books.scenario.name})",
        f"from {since} to {iso(st.as_of)}; positive: {st.b} owes {st.a}, "
        f"negative: {st.a} owes {st.b}",
        "",
        "Opening: " + (", ".join(f"{v} {c}" for c, v in st.opening.items()) or "0"),
        "",
    ]
    head = ("time", "kind", "order", "commodity", "creditor", "cur", "amount", "change", "balance")
    rows = [_line_cells(x, iso) for x in st.lines]
    out += _aligned(head, rows) if rows else ["(no movements)"]
    conv = books.converter
    closing = [(c, v, conv.to_reporting(v, c)) for c, v in st.closing.items()]
    out += [
        "",
        *_aligned(("closing", "balance", rep), [*closing, ("total", "", st.closing_reporting)]),
    ]
    buckets = [name for name, _ in st.aging[0].buckets]
    aging = [
        (f"{g.debtor} owes {g.creditor}", *(v for _, v in g.buckets), g.total) for g in st.aging
    ]
    out += ["", *_aligned((f"aging ({rep})", *buckets, "total"), aging)]
    return out


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
        x.balance,
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


def statement_rows(st: Statement, books: Books) -> list[tuple[Any, ...]]:
    """The statement as one table (COLUMNS): opening, lines, closing, open items, aging."""
    iso = _iso(books)

    def row(**kw: Any) -> tuple[Any, ...]:
        return tuple(_cell(kw.get(c, "")) for c in COLUMNS)

    start = iso(st.start if st.start is not None else 0.0)
    rows = [
        row(section="opening", time=start, currency=c, balance=v) for c, v in st.opening.items()
    ]
    rows += [
        row(section="line", txn_id=x.txn_id, time=iso(x.time), kind=x.kind,
            order_id=x.order_id or "", commodity=x.commodity, creditor=x.creditor,
            debtor=x.debtor, currency=x.currency, amount=x.amount, change=x.change,
            balance=x.balance)
        for x in st.lines
    ]  # fmt: skip
    end = iso(st.as_of)
    rows += [row(section="closing", time=end, currency=c, balance=v) for c, v in st.closing.items()]
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


# --- output ---------------------------------------------------------------------------------------


def _write_statement(
    books: Books, name: str, rows: list[tuple[Any, ...]], output: Path | None
) -> list[str]:
    """Into the run folder (CSV, ledger.sqlite table, manifest), or with -o to a new file."""
    from acsasim.runs import statements
    from acsasim.runs.errors import OutputError

    if output is not None:
        _check_target(output)
        return [f"wrote {statements.write_to(output, COLUMNS, rows)}"]
    try:
        written = statements.write_into_run(books.folder, name, COLUMNS, rows)
    except OutputError as exc:
        raise UserError(f"{exc}; write the statement elsewhere with -o FILE") from None
    return [
        f"wrote table {name} in {p}" if p.suffix == ".sqlite" else f"wrote {p}" for p in written
    ]


def _check_target(path: Path) -> None:
    if path.exists():
        raise UserError(f"{path} exists; choose another -o (nothing was written)")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent} is not a folder (nothing was written)")
