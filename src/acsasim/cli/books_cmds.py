"""Commands on the books of a run folder: `statement` and `export` (outputs.md).

Both read the folder as written (`output/books.py`: only a whole, untouched run folder),
never re-run the simulation, so a statement or a journal can be produced long after the run.
Everything the user can get wrong (folder, parties, dates, output file) is checked before
anything is written; what is written appears whole or not at all (`acsasim.runs`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from acsasim.cli.app import UserError, command
from acsasim.output.statement_text import COLUMNS, csv_rows, render

if TYPE_CHECKING:
    from acsasim.output.books import Books

FolderArg = Annotated[
    Path, typer.Argument(metavar="RUN_FOLDER", help="A run folder written by `acsasim run`.")
]


class Format(StrEnum):
    beancount = "beancount"


@command(
    "acsasim statement RUN --parties JP,PH",
    "acsasim statement RUN --parties JP,PH --from 2026-06-01 --as-of 2026-06-10",
    "acsasim statement RUN --parties JP,PH | head -20   # the first lines only",
)
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
    """Statement of account between two parties, with aging buckets (R11-R13, R15).

    Also written to the run folder as statement-A-B-<date>.csv and a table in ledger.sqlite
    (recorded in the folder's manifest), or with -o to a file of your choosing. Balances run
    per currency, one column each; the closing balance and the aging are also given in the
    reporting currency, at the rates shown."""
    from acsasim.runs.statements import statement_name

    if output is not None:
        _check_target(output)
    books = _books(folder)
    a, b = _parties(books, parties)
    until = _instant(books, as_of, "--as-of") if as_of else books.scenario.end
    since = _instant(books, start, "--from") if start else None
    if since is not None and since > until:
        raise UserError(f"--from {start} is after --as-of {as_of or until.isoformat()}")
    st = books.statement(a, b, books.hours(until), None if since is None else books.hours(since))
    rows = csv_rows(st, books)
    written = _write_statement(books, statement_name(a, b, until, since), rows, output)
    for line in [*render(st, books), *written]:
        typer.echo(line)


@command(
    "acsasim export RUN --format beancount -o drill.beancount && bean-check drill.beancount",
    "acsasim export RUN --format beancount | less   # read the journal from stdout",
)
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
