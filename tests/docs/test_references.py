"""The references are complete and true: every command and option that `acsasim --help`
shows is in the command-line reference, every KPI is in the Outputs page's KPI table with
the label acsasim prints for it, and the manual's SQL examples run against a real run's
ledger.sqlite with the answers the books imply."""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import cli_reference
import pytest
import showcase
import typer.main
from typer.testing import CliRunner

from acsasim.cli import app
from acsasim.cli.help import examples_in
from acsasim.output.kpi_labels import describe
from acsasim.runs.run_folder import write_run
from acsasim.scenario import load_scenario
from acsasim.sim import simulate

REPO = Path(__file__).resolve().parents[2]
OPTION = re.compile(r"(?<![\w-])(--?[a-z][a-z0-9-]*)")


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], prog_name="acsasim", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def commands() -> list[str]:
    text = help_text()
    listed = re.findall(r"^│ (\w+) ", text, flags=re.MULTILINE)
    assert "run" in listed and "validate" in listed, text
    return listed


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    reference = cli_reference.render()
    for command in commands():
        assert f"## `{command}`" in reference, command
        for option in set(OPTION.findall(help_text(command))) - {"--help"}:
            assert f"`{option}`" in reference, f"{command} {option}"
    assert "`--version`" in reference


def test_the_cli_reference_shows_every_example_as_a_command_line() -> None:
    group = typer.main.get_command(app)
    reference = cli_reference.render()
    for name in commands():
        examples = examples_in(group.commands[name].epilog)  # type: ignore[attr-defined]
        assert examples, name
        for example in examples:
            assert f"\n$ {example}\n" in reference, example


def test_the_cli_reference_follows_the_order_of_acsasim_help() -> None:
    order = re.findall(r"^## `(\w+)`", cli_reference.render(), flags=re.MULTILINE)
    assert order == commands()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A real run of the demo scenario, written as `acsasim run` writes it."""
    result = simulate(load_scenario(REPO / showcase.DEMO))
    folder = write_run(result, tmp_path_factory.mktemp("run") / "demo", report=False)
    return folder / "ledger.sqlite", result.kpis


def test_every_example_query_runs_and_answers(ledger: tuple[Path, dict]) -> None:
    answers = showcase.run_queries(ledger[0])
    assert len(answers) == len(showcase.QUERIES) >= 6
    for title, _, columns, rows in answers:
        assert columns and rows, title


def test_the_queries_agree_with_the_kpis(ledger: tuple[Path, dict]) -> None:
    db, kpis = ledger
    answers = {title: (columns, rows) for title, _, columns, rows in showcase.run_queries(db)}
    by_title = {t.split(",")[0].split(":")[0]: v for t, v in answers.items()}
    _, value_rows = by_title["Value provided per direction and commodity"]
    per_direction: dict[str, float] = {}
    for direction, _, _, value in value_rows:
        per_direction[direction] = per_direction.get(direction, 0.0) + value
    for direction, value in kpis["value_provided"].items():
        assert per_direction[direction] == pytest.approx(value, abs=0.05)
    _, balanced = by_title["Every transaction balances"]
    assert balanced == [(0,)]
    _, unmet = by_title["Unmet demand per holder and commodity"]
    for commodity, total in kpis["unmet_demand"].items():
        shown = sum(u for _, c, u in unmet if c == commodity)
        assert shown == pytest.approx(total, abs=0.1 * max(1, len(unmet)))


def test_receivables_in_the_query_mirror_payables(ledger: tuple[Path, dict]) -> None:
    """The receivable query's answer, checked against the payables it mirrors (R15)."""
    con = sqlite3.connect(ledger[0])
    try:
        rows = con.execute("SELECT account, currency, amount FROM postings").fetchall()
    finally:
        con.close()
    totals: dict[tuple[str, str], Decimal] = {}
    for account, currency, amount in rows:
        totals[(account, currency)] = totals.get((account, currency), Decimal(0)) + Decimal(amount)
    for (account, currency), total in totals.items():
        parts = account.split(":")
        if parts[0] == "Assets" and parts[2] == "Receivable":
            payable = ":".join(["Liabilities", parts[3], "Payable", parts[1], *parts[4:]])
            assert totals.get((payable, currency), Decimal(0)) == -total, account


def kpi_table() -> dict[str, str]:
    """The Outputs page's KPI table: key -> label, as the page writes them."""
    text = (REPO / "docs" / "outputs.md").read_text(encoding="utf-8")
    section = text.split("{#kpis}", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", section, flags=re.MULTILINE)
    return {key: label.strip() for key, label in rows}


def test_the_kpi_table_gives_each_kpi_the_label_acsasim_shows(ledger: tuple[Path, dict]) -> None:
    table = kpi_table()
    for key, label in table.items():
        assert describe(key).label == label, key
    documented = {key.split(".")[0] for key in table}
    assert documented == set(ledger[1]), "every KPI of summary.json, and no other"
