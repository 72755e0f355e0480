"""The beancount export of the journal: legal names, exact amounts, and `bean-check` passes (R15).

The export of every example scenario is checked in tests/test_cli_books.py; here hand-built
books pin the text and the name mapping.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import handbooks as hand
import pytest
from handbooks import HandBooks

from acsasim.ledger import Order
from acsasim.ledger.beancount import (
    JournalError,
    account_names,
    beancount_account,
    beancount_component,
    to_beancount,
)

beancount = pytest.importorskip("beancount")
from beancount import loader  # noqa: E402
from beancount.core import prices, realization  # noqa: E402

MakeOrder = Callable[..., Order]
START = datetime(2026, 10, 19)
RATES = {"USD": 1, "JPY": 155, "PHP": 58.5}
D = Decimal


def bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    """The venv's `bean-check`, or the same script as a module when it is not on disk."""
    script = shutil.which("bean-check", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "beancount.scripts.check"]
    return subprocess.run([*command, str(path)], capture_output=True, text=True, check=False)


def beancount_balances(path: Path) -> dict[tuple[str, str], Decimal]:
    """(account, currency) -> balance, as beancount itself computes it; non-zero only."""
    entries, errors, _ = loader.load_file(str(path))
    assert not errors, errors
    out = {}
    for real in realization.iter_children(realization.realize(entries)):
        for pos in real.balance:
            if pos.units.number:
                out[(real.account, pos.units.currency)] = pos.units.number
    return out


def _books(make_order: MakeOrder, jp: str = "JP") -> HandBooks:
    """JP rations to PH, invoiced and half paid; PH diesel to JP, partly returned in kind."""
    ledger = HandBooks()
    o1 = make_order("O00001", jp, "PH", commodity="ration", unit="meal", quantity=1200.0,
                    currency="JPY", value=D("1080000"), delivered_at=1.0)  # fmt: skip
    o2 = make_order("O00002", "PH", jp, delivered_at=30.5)
    for o in (o1, o2):
        ledger.add_order(o)
        ledger.post_issue(o.delivered_at, o)
    ledger.post(721.0, "invoice", hand.invoice_postings(o1, D("1080000")), "O00001")
    ledger.post(1441.0, "payment", hand.payment_postings(o1, D("540000")), "O00001")
    ledger.post(50.25, "return_in_kind", hand.return_postings(o2, D("0.05")), "O00002")
    return ledger


def _export(ledger: HandBooks) -> str:
    return to_beancount(ledger.transactions, ledger.orders, START, RATES, "USD", "test")


def test_components_are_made_legal_deterministically() -> None:
    assert beancount_component("jp_x") == "Jp-x"
    assert beancount_component("JP") == "JP"
    assert beancount_component("a1-b_c") == "A1-b-c"
    assert beancount_component("2nd") == "2nd"
    assert beancount_account("Assets:jp_x:Receivable:ph:Invoiced") == (
        "Assets:Jp-x:Receivable:Ph:Invoiced"
    )
    with pytest.raises(JournalError, match="cannot be made"):
        beancount_component("jp.x")
    with pytest.raises(JournalError, match="must start with one of"):
        beancount_account("Equity:JP")


def test_two_parties_that_would_share_a_name_are_refused() -> None:
    with pytest.raises(JournalError, match=r"'Assets:jp-x:Cash' and 'Assets:jp_x:Cash'.*Jp-x"):
        account_names(["Assets:jp_x:Cash", "Assets:jp-x:Cash"])
    with pytest.raises(JournalError, match="both be 'Assets:JP:Cash'"):
        account_names(["Assets:JP:Cash", "Assets:jP:Cash"])


def test_the_text_of_one_transaction(make_order: MakeOrder) -> None:
    text = _export(_books(make_order))
    assert text.startswith('option "title" "test"\noption "operating_currency" "USD"\n')
    assert "2026-10-19 open Assets:JP:Receivable:PH:Invoiced\n" in text
    assert "2026-10-19 price USD 155 JPY\n2026-10-19 price USD 58.5 PHP\n" in text
    assert (
        '2026-10-19 * "issue O00001: 1200 meal ration JP -> PH" ^O00001\n'
        "  txn: 1\n"
        '  time: "2026-10-19T01:00:00"\n'
        "  Assets:JP:Receivable:PH  1080000 JPY\n"
        "  Income:JP:Provided  -1080000 JPY\n"
        "  Expenses:PH:Received  1080000 JPY\n"
        "  Liabilities:PH:Payable:JP  -1080000 JPY\n"
    ) in text
    assert '2026-10-21 * "return_in_kind O00002: 8000 L diesel PH -> JP" ^O00002\n' in text
    assert "  Assets:PH:Receivable:JP  -0.05 PHP\n" in text  # exact, never a float


@pytest.mark.parametrize("jp", ["JP", "jp_x"])
def test_bean_check_passes_and_balances_are_exactly_ours(
    make_order: MakeOrder, tmp_path: Path, jp: str
) -> None:
    ledger = _books(make_order, jp)
    path = tmp_path / "books.beancount"
    path.write_text(_export(ledger), encoding="utf-8")
    done = bean_check(path)
    assert done.returncode == 0, done.stdout + done.stderr
    ours = {(beancount_account(a), c): v for (a, c), v in ledger.balances().items()}
    assert beancount_balances(path) == ours


def test_prices_read_both_ways(make_order: MakeOrder, tmp_path: Path) -> None:
    path = tmp_path / "books.beancount"
    path.write_text(_export(_books(make_order)), encoding="utf-8")
    entries, errors, _ = loader.load_file(str(path))
    assert not errors
    price_map = prices.build_price_map(entries)
    assert prices.get_price(price_map, ("USD", "JPY"))[1] == D(155)
    assert prices.get_price(price_map, ("JPY", "USD"))[1] == 1 / D(155)


def test_empty_books_are_a_legal_journal(tmp_path: Path) -> None:
    path = tmp_path / "empty.beancount"
    path.write_text(to_beancount([], [], START, RATES, "USD"), encoding="utf-8")
    assert bean_check(path).returncode == 0


def test_quotes_in_a_title_are_escaped(tmp_path: Path) -> None:
    text = to_beancount([], [], START, {"USD": 1}, "USD", 'say "hi" \\o/')
    assert text.splitlines()[0] == r'option "title" "say \"hi\" \\o/"'
    path = tmp_path / "t.beancount"
    path.write_text(text, encoding="utf-8")
    assert bean_check(path).returncode == 0
