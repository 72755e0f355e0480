"""Commands on the books of a run folder: `statement` and `export` (outputs.md).

Both read the folder as written (`output/books.py`: only a whole, untouched run folder),
never re-run the simulation, so a statement or a journal can be produced long after the run.
Everything the user can get wrong (folder, parties, dates, output file) is checked before
anything is written (`runs.statement_request`, which the workbench shares); what is written
appears whole or not at all (`acsasim.runs`). Here only the options and the printing.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import UserError, command

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
            metavar="FILE",
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
    from acsasim.output.statement_text import render
    from acsasim.runs.statement_request import ask, check_new_file, save

    if output is not None:
        check_new_file(output)
    asked = ask(folder, parties, as_of, start)
    written = save(asked, output)
    for line in [*render(asked.statement, asked.books), *written]:
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
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write to FILE (must not exist); default: stdout.",
        ),
    ] = None,
) -> None:
    """The ledger as a journal another accounting tool can check (beancount: `bean-check`)."""
    from acsasim.ledger.beancount import JournalError, to_beancount
    from acsasim.output.books import load_books
    from acsasim.runs.atomic import write_text
    from acsasim.runs.statement_request import check_new_file

    if output is not None:
        check_new_file(output)
    books = load_books(folder)
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
