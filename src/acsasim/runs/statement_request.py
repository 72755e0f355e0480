"""A statement of account asked of a run folder: the parties and dates checked, the
statement built from the folder's books (ledger.statements), its rows and its file name;
and the statement saved into the run folder or to a new file.

`acsasim statement` and the workbench both call `ask`, so both refuse the same mistakes in
the same words (exit 2 at the command line, a message on the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acsasim.output.statement_text import COLUMNS, csv_rows
from acsasim.runs import statements
from acsasim.runs.errors import OutputError

if TYPE_CHECKING:
    from acsasim.ledger.statements import Statement
    from acsasim.output.books import Books


class StatementError(ValueError):
    """Parties or dates that make no statement in this run; the message says the fix."""


@dataclass(frozen=True)
class Asked:
    """A statement built from a run folder's books, ready to show or to save."""

    books: Books
    statement: Statement
    name: str  # statement-A-B-[SINCE-to-]UNTIL: its file and table name
    rows: list[tuple[Any, ...]]  # its CSV rows (statement_text.COLUMNS)


def ask(
    folder: Path,
    parties: str,
    as_of: str | None = None,
    start: str | None = None,
    books: Books | None = None,
) -> Asked:
    """The statement between `parties` ("A,B") from `start` (default: none, no opening
    balance) to `as_of` (default: the run's end); dates YYYY-MM-DD or YYYY-MM-DDTHH:MM.
    `books`: the folder's, if already read. RunFolderError for a folder that is not a
    whole run, StatementError for the rest."""
    from acsasim.output.books import load_books

    books = books or load_books(folder)
    a, b = pair(books, parties)
    until = instant(books, as_of, "--as-of") if as_of else books.scenario.end
    since = instant(books, start, "--from") if start else None
    if since is not None and since > until:
        raise StatementError(f"--from {start} is after --as-of {as_of or until.isoformat()}")
    st = books.statement(a, b, books.hours(until), None if since is None else books.hours(since))
    name = statements.statement_name(a, b, until, since)
    return Asked(books, st, name, csv_rows(st, books))


def agreement_pairs(books: Books) -> list[tuple[str, str]]:
    """Every pair of parties bound by an agreement in the run, sorted."""
    return sorted({tuple(sorted(ag.parties)) for ag in books.scenario.agreements})  # type: ignore[misc]  # an agreement has two parties: a pair


def pair(books: Books, text: str) -> tuple[str, str]:
    """'JP,PH' -> ('JP', 'PH'): two known parties bound by an agreement."""
    names = [p.strip() for p in text.split(",")]
    known = books.scenario.parties
    if len(names) != 2 or not all(names) or names[0] == names[1]:
        raise StatementError(f"--parties wants two different parties, e.g. JP,PH; got {text!r}")
    for p in names:
        if p not in known:
            raise StatementError(
                f"unknown party {p!r} (the run's parties: {', '.join(sorted(known))})"
            )
    if not any(set(ag.parties) == set(names) for ag in books.scenario.agreements):
        raise StatementError(f"no agreement between {names[0]} and {names[1]} in this run")
    return names[0], names[1]


def instant(books: Books, text: str, option: str) -> datetime:
    """A date (its 00:00, as in scenario files) or date-time inside the run (R1)."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise StatementError(
            f"{option} {text!r} is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)"
        ) from None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)  # scenario times are naive UTC
    s = books.scenario
    if not s.start <= when <= s.end:
        raise StatementError(
            f"{option} {text} is outside the run ({s.start.isoformat()} to {s.end.isoformat()})"
        )
    return when


def check_new_file(path: Path) -> None:
    """A file to write the statement to must not exist, in a folder that does."""
    if path.exists():
        raise StatementError(f"{path} exists; choose another -o (nothing was written)")
    if not path.parent.is_dir():
        raise StatementError(f"{path.parent} is not a folder (nothing was written)")


def save(asked: Asked, output: Path | None = None) -> list[str]:
    """Into the run folder (CSV, ledger.sqlite table, manifest), or with `output` to a new
    file; the lines that say what was written."""
    if output is not None:
        check_new_file(output)
        return [f"wrote {statements.write_to(output, COLUMNS, asked.rows)}"]
    try:
        written = statements.write_into_run(asked.books.folder, asked.name, COLUMNS, asked.rows)
    except OutputError as exc:
        raise StatementError(f"{exc}; write the statement elsewhere with -o FILE") from None
    return [
        f"wrote table {asked.name} in {p}" if p.suffix == ".sqlite" else f"wrote {p}"
        for p in written
    ]
