"""`acsasim statement` and `acsasim export`: the books of real run folders, checked from outside.

Every example scenario (and the Luzon one with short settlement terms, so invoices, payments,
conversions and offsets occur too) is run once; its beancount export must pass `bean-check`
and give every account exactly the balance postings.csv gives it (R15), and its statements
must agree with postings.csv at any date.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from acsasim.cli import app
from acsasim.ledger.beancount import beancount_account
from acsasim.scenario import load_scenario
from run_folder_tools import reseal

pytest.importorskip("beancount")
from beancount import loader
from beancount.core import realization

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))
TERMS = ("methods=[replacement_in_kind,cash]", "deadline=4d", "invoice_after=2d")
SHORT_TERMS = [
    f"agreements.JP-PH-ACSA.settlement.{k}" for k in (*TERMS, "payment_terms=2d", "offset.after=1d")
]
# ... and the relief given as an ACSA provision, not as aid, so that balances run both ways
BILLED = ["activities=[disaster_relief, relief_aid]"]
RUNS = {p.stem: (p, []) for p in EXAMPLES} | {
    "luzon-short-terms": (ROOT / "scenarios" / "luzon-typhoon-relief.yaml", SHORT_TERMS + BILLED)
}
runner = CliRunner()


def invoke(*args: str | Path):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One run folder per example (written once; tests work on copies)."""
    base = tmp_path_factory.mktemp("runs")
    # The books are what is checked here; skip the charts where `run` can (much faster).
    fast = ["--no-report"] if "--no-report" in invoke("run", "--help").output else []
    folders = {}
    for name, (scenario, sets) in RUNS.items():
        out = base / name
        result = invoke(
            "run", scenario, "--out", out, *fast, *(x for s in sets for x in ("--set", s))
        )
        assert result.exit_code == 0, result.output
        folders[name] = out
    return folders


@pytest.fixture
def folder(runs: dict[str, Path], tmp_path: Path) -> Path:
    """A fresh copy of the short-terms run, which has every kind of transaction (payment
    terms shorter than the deadline, so some invoices are paid before offsets net them)."""
    return Path(shutil.copytree(runs["luzon-short-terms"], tmp_path / "run"))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
    }


def bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    """The venv's `bean-check`, or the same script as a module when it is not on disk."""
    script = shutil.which("bean-check", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "beancount.scripts.check"]
    return subprocess.run([*command, str(path)], capture_output=True, text=True, check=False)


def posting_sums(folder: Path, until: str | None = None) -> dict[tuple[str, str], Decimal]:
    """acsasim's own balances: postings.csv summed per account and currency (non-zero)."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in rows(folder / "postings.csv"):
        if until is None or r["time"] <= until:
            sums[(r["account"], r["currency"])] += Decimal(r["amount"])
    return {k: v for k, v in sums.items() if v}


# --- export -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(RUNS))
def test_export_passes_bean_check_with_exactly_our_balances(
    runs: dict[str, Path], tmp_path: Path, name: str
) -> None:
    path = tmp_path / f"{name}.beancount"
    result = invoke("export", runs[name], "--format", "beancount", "-o", path)
    assert result.exit_code == 0, result.output
    done = bean_check(path)
    assert done.returncode == 0, done.stdout + done.stderr
    entries, errors, _ = loader.load_file(str(path))
    assert not errors, errors
    theirs = {}
    for real in realization.iter_children(realization.realize(entries)):
        for pos in real.balance:
            if pos.units.number:
                theirs[(real.account, pos.units.currency)] = pos.units.number
    ours = {(beancount_account(a), c): v for (a, c), v in posting_sums(runs[name]).items()}
    assert theirs == ours
    assert len([e for e in entries if type(e).__name__ == "Transaction"]) == len(
        {r["txn_id"] for r in rows(runs[name] / "postings.csv")}
    )


def test_export_to_stdout_is_the_file(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "books.beancount"
    assert invoke("export", folder, "--format", "beancount", "-o", out).exit_code == 0
    result = invoke("export", folder, "--format", "beancount")
    assert result.exit_code == 0
    assert result.stdout == out.read_text(encoding="utf-8")
    assert result.stdout.startswith('option "title" "luzon-typhoon-relief"')
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temp file left"


def test_export_reads_ledger_sqlite_when_the_csvs_are_gone(folder: Path) -> None:
    before = invoke("export", folder, "--format", "beancount").stdout
    for name in ("postings.csv", "orders.csv"):
        (folder / name).unlink()
    after = invoke("export", folder, "--format", "beancount")
    assert after.exit_code == 0, after.output
    assert after.stdout == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "beancount", "-o", "{existing}"], "exists; choose another -o"),
        (["--format", "beancount", "-o", "{missing}/x.beancount"], "is not a folder"),
        (["--format", "ledger"], "'ledger' is not one of"),
        ([], "Missing option '--format'"),
    ],
)
def test_export_refuses_bad_input_and_overwrites_nothing(
    folder: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    existing = tmp_path / "mine.beancount"
    existing.write_text("keep me\n", encoding="utf-8")
    args = [a.format(existing=existing, missing=tmp_path / "nope") for a in args]
    before = snapshot(tmp_path)
    result = invoke("export", folder, *args)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("target", ["missing", "empty", "broken", "unbalanced"])
def test_export_and_statement_refuse_what_is_not_a_run_folder(
    folder: Path, tmp_path: Path, target: str
) -> None:
    path = tmp_path / target
    if target == "empty":
        path.mkdir()
    elif target == "broken":
        path = folder
        (folder / "postings.csv").write_text("txn_id,time\n1,x\n", encoding="utf-8")
    elif target == "unbalanced":  # an edited amount: the books no longer balance (R15)
        path = folder
        lines = (folder / "postings.csv").read_text(encoding="utf-8").splitlines()
        cells = lines[1].split(",")  # txn_id, time, kind, order_id, account, amount, currency
        cells[5] = str(Decimal(cells[5]) + 1)  # one unit more on one leg
        lines[1] = ",".join(cells)
        (folder / "postings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(tmp_path)
    for args in (
        ["export", path, "--format", "beancount"],
        ["statement", path, "--parties", "JP,PH"],
    ):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error: ") and "Traceback" not in result.output
    assert snapshot(tmp_path) == before


# --- statement ----------------------------------------------------------------------------------


def statement_csv(folder: Path, name: str) -> list[dict[str, str]]:
    return rows(folder / f"statement-{name}.csv")


@pytest.mark.parametrize("name", sorted(RUNS))
def test_statements_at_any_date_agree_with_postings_csv(
    runs: dict[str, Path], tmp_path: Path, name: str
) -> None:
    folder = Path(shutil.copytree(runs[name], tmp_path / "run"))
    scenario = load_scenario(folder / "scenario.yaml")
    days = int(scenario.duration // 24)  # the examples start at midnight and last whole days
    for day in (scenario.start.date() + timedelta(days=days * k // 6) for k in range(7)):
        result = invoke("statement", folder, "--parties", "JP,PH", "--as-of", day.isoformat())
        assert result.exit_code == 0, result.output
        table = statement_csv(folder, f"JP-PH-{day.isoformat()}")
        until = f"{day.isoformat()}T00:00:00"
        receivables = {
            k: v for k, v in posting_sums(folder, until).items()
            if k[0].startswith(("Assets:JP:Receivable:PH", "Assets:PH:Receivable:JP"))
        }  # fmt: skip
        net: dict[str, Decimal] = defaultdict(Decimal)
        for (account, cur), v in receivables.items():
            net[cur] += v if account.startswith("Assets:JP:") else -v
        closing = {r["currency"]: Decimal(r["balance"]) for r in table if r["section"] == "closing"}
        assert {c: v for c, v in closing.items() if v} == {c: v for c, v in net.items() if v}
        items: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for r in table:
            if r["section"] == "open_item":
                items[(r["creditor"], r["currency"])] += Decimal(r["amount"])
        by_creditor: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for (account, cur), v in receivables.items():
            by_creditor[(account.split(":")[1], cur)] += v
        assert dict(items) == {k: v for k, v in by_creditor.items() if v}


def test_at_the_end_each_open_item_is_what_orders_csv_leaves_unsettled(folder: Path) -> None:
    assert invoke("statement", folder, "--parties", "PH,JP").exit_code == 0
    table = statement_csv(folder, "PH-JP-2026-11-09")
    items = {r["order_id"]: Decimal(r["amount"]) for r in table if r["section"] == "open_item"}
    unsettled = {
        o["order_id"]: Decimal(o["value"]) - Decimal(o["settled_value"])
        for o in rows(folder / "orders.csv")
        if o["delivered_at"]
        and Decimal(o["value"]) != Decimal(o["settled_value"])
        and o["status"] != "gratis"  # aid is never billed: no balance (R22)
    }
    assert items == unsettled and items


@pytest.mark.parametrize("name", sorted(RUNS))
def test_aging_at_the_end_agrees_with_the_kpis(runs: dict[str, Path], tmp_path: Path, name: str):
    """summary.json ages orders from their status; the statement from the postings alone. Both
    use one bucket rule; amounts differ only by the KPIs' rounding of each order (< 1 cent)."""
    folder = Path(shutil.copytree(runs[name], tmp_path / "run"))
    end = load_scenario(folder / "scenario.yaml").end.date().isoformat()
    assert invoke("statement", folder, "--parties", "JP,PH").exit_code == 0
    table = statement_csv(folder, f"JP-PH-{end}")
    kpis = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["aging_end"]
    n = sum(r["section"] == "open_item" for r in table) or 1
    for r in table:
        if r["section"] == "aging" and r["bucket"] != "total":
            kpi = kpis.get(f"{r['debtor']}->{r['creditor']}", {}).get(r["bucket"], 0.0)
            assert float(r["amount"]) == pytest.approx(kpi, abs=0.01 * n), r


def test_statement_prints_and_writes_the_csv_and_the_sqlite_table(folder: Path) -> None:
    result = invoke("statement", folder, "--parties", "JP,PH", "--as-of", "2026-11-05")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Statement of account JP - PH (luzon-typhoon-relief)\n")
    assert "positive: PH owes JP, negative: JP owes PH" in out
    for word in ("issue", "conversion", "offset", "payment", "aging (USD)", "not_due", "over_365"):
        assert word in out, word
    table = statement_csv(folder, "JP-PH-2026-11-05")
    kinds = {r["kind"] for r in table if r["section"] == "line"}
    assert kinds == {"issue", "invoice", "conversion", "offset", "payment", "return_in_kind"}
    assert {r["section"] for r in table} == {
        "line", "closing", "closing_reporting", "open_item", "aging"
    }  # fmt: skip
    con = sqlite3.connect(folder / "ledger.sqlite")
    try:
        # The table has the CSV's name: unique, as the file name is (no '-' -> '_' folding).
        stored = con.execute('SELECT * FROM "statement-JP-PH-2026-11-05"').fetchall()
    finally:
        con.close()
    assert [tuple(str(c) for c in r) for r in stored] == [tuple(r.values()) for r in table]
    assert f"wrote {folder / 'statement-JP-PH-2026-11-05.csv'}" in out


def test_the_same_statement_again_replaces_it_whole(folder: Path) -> None:
    args = ("statement", folder, "--parties", "JP,PH", "--as-of", "2026-10-30T06:00")
    assert invoke(*args).exit_code == 0
    first = snapshot(folder)
    assert "statement-JP-PH-2026-10-30T0600.csv" in first
    assert invoke(*args).exit_code == 0
    assert (
        snapshot(folder)["statement-JP-PH-2026-10-30T0600.csv"]
        == (first["statement-JP-PH-2026-10-30T0600.csv"])
    )
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "temp file left"


def test_statement_from_a_date_opens_with_the_balance_then(folder: Path) -> None:
    args = ("statement", folder, "--parties", "JP,PH", "--as-of", "2026-11-01")
    assert invoke(*args, "--from", "2026-10-25").exit_code == 0
    assert invoke(*args).exit_code == 0
    part = statement_csv(folder, "JP-PH-2026-10-25-to-2026-11-01")
    whole = statement_csv(folder, "JP-PH-2026-11-01")
    opening = {r["currency"]: r["balance"] for r in part if r["section"] == "opening"}
    before = [r for r in whole if r["section"] == "line" and r["time"] <= "2026-10-25T00:00:00"]
    for cur, balance in opening.items():
        assert [r["balance"] for r in before if r["currency"] == cur][-1] == balance
    assert [r for r in part if r["section"] == "line"] == [
        r for r in whole if r["section"] == "line" and r not in before
    ]


def test_statement_from_a_folder_without_sqlite_writes_only_the_csv(folder: Path) -> None:
    (folder / "ledger.sqlite").unlink()
    result = invoke("statement", folder, "--parties", "JP,PH")
    assert result.exit_code == 0, result.output
    assert (folder / "statement-JP-PH-2026-11-09.csv").is_file()
    assert not (folder / "ledger.sqlite").exists()


def _add_party(folder: Path) -> None:
    """A third party with no agreement (US), for the error below; the manifest resealed, so
    the folder reads as whole (an edited scenario is otherwise refused for its hash)."""
    path = folder / "scenario.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["parties"]["US"] = {"currency": "USD"}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    reseal(folder)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--parties", "JP,XX"], "unknown party 'XX' (the run's parties: JP, PH, US)"),
        (["--parties", "JP,US"], "no agreement between JP and US in this run"),
        (["--parties", "JP"], "--parties wants two different parties"),
        (["--parties", "JP,JP"], "--parties wants two different parties"),
        (["--parties", "JP,PH,US"], "--parties wants two different parties"),
        (["--parties", "JP,PH", "--as-of", "2026-02-30"], "is not a date (YYYY-MM-DD)"),
        (["--parties", "JP,PH", "--as-of", "yesterday"], "is not a date (YYYY-MM-DD)"),
        (["--parties", "JP,PH", "--as-of", "2027-01-01"], "is outside the run"),
        (["--parties", "JP,PH", "--as-of", "2026-10-18T23:00"], "is outside the run"),
        (["--parties", "JP,PH", "--from", "2026-11-10"], "is outside the run"),
        (["--parties", "JP,PH", "--as-of", "2026-10-20", "--from", "2026-10-21"], "is after"),
    ],
)
def test_statement_refuses_bad_input_and_writes_nothing(
    folder: Path, args: list[str], message: str
) -> None:
    _add_party(folder)
    before = snapshot(folder)
    result = invoke("statement", folder, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert snapshot(folder) == before


def test_the_loader_gives_back_the_records_the_engine_kept(runs: dict[str, Path]) -> None:
    """Money and ids exactly; times to the second, as the tables write them."""
    from acsasim.output.books import load_books
    from acsasim.sim import simulate

    books = load_books(runs["luzon-short-terms"])
    result = simulate(books.scenario)
    assert len(books.transactions) == len(result.transactions)
    for got, kept in zip(books.transactions, result.transactions, strict=True):
        assert (got.txn_id, got.kind, got.order_id, got.postings) == (
            kept.txn_id, kept.kind, kept.order_id, kept.postings
        )  # fmt: skip
        assert got.time == pytest.approx(kept.time, abs=1 / 3600)
    times = ("requested_at", "delivered_at", "due_at", "settled_at", "priced_at")
    for got, kept in zip(books.orders, result.orders, strict=True):
        for field in times:
            a, b = getattr(got, field), getattr(kept, field)
            assert (a is None) == (b is None) and (a is None or a == pytest.approx(b, abs=1 / 3600))
        assert got == dataclasses.replace(kept, **{f: getattr(got, f) for f in times})


def test_a_running_balance_never_mixes_currencies(folder: Path) -> None:
    """On the terminal, one balance column per currency and a total in the reporting currency
    at the rates the header states; in the CSV, `balance` is the row currency's own and
    `balance_reporting` the total at the `rate` given."""
    result = invoke("statement", folder, "--parties", "JP,PH", "--as-of", "2026-11-05")
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert "USD totals at the scenario's rates: 1 USD = 155 JPY = 58 PHP" in out[2]
    head = next(line for line in out if line.startswith("time "))
    assert "balance JPY" in head and "balance PHP" in head and head.endswith("total USD")
    table = statement_csv(folder, "JP-PH-2026-11-05")
    rates = {"JPY": Decimal(155), "PHP": Decimal(58)}
    now = {"JPY": Decimal(0), "PHP": Decimal(0)}
    lines = [r for r in table if r["section"] == "line"]
    assert lines
    for r in lines:
        now[r["currency"]] = Decimal(r["balance"])
        assert Decimal(r["rate"]) == rates[r["currency"]]
        total = sum(v / rates[c] for c, v in now.items())
        assert Decimal(r["balance_reporting"]) == total.quantize(Decimal("0.01"))
    printed = [line for line in out if line.startswith("20")]
    assert len(printed) == len(lines)
    last = printed[-1].split()
    assert (Decimal(last[-3]), Decimal(last[-2])) == (now["JPY"], now["PHP"])
    closing = next(r for r in table if r["section"] == "closing_reporting")
    assert (
        Decimal(last[-1]) == Decimal(closing["balance"]) == Decimal(lines[-1]["balance_reporting"])
    )
