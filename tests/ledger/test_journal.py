"""The columnar journal and its R15 checks in batches (ledger/journal.py, ledger/checks.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger import Journal, LedgerError, Posting
from acsasim.ledger.checks import check_balances, check_journal
from acsasim.ledger.journal import NO_ORDER
from acsasim.vocab import TxnKind

D = Decimal


def _issue(j: Journal, value: int, currency: str = "PHP", p: str = "PH", r: str = "JP"):
    """The four legs of an issue from p to r, in minor units."""
    a, c = j.account, j.currency(currency)
    return [
        (a(f"Assets:{p}:Receivable:{r}"), value, c),
        (a(f"Income:{p}:Provided"), -value, c),
        (a(f"Expenses:{r}:Received"), value, c),
        (a(f"Liabilities:{r}:Payable:{p}"), -value, c),
    ]


def test_post_appends_a_transaction_and_runs_the_balances() -> None:
    j = Journal()
    assert j.post(10.0, TxnKind.ISSUE, 0, _issue(j, 48000000)) == 1
    assert j.post(12.5, TxnKind.ISSUE, 1, _issue(j, 150)) == 2
    assert len(j) == 2
    assert j.balance("Assets:PH:Receivable:JP", "PHP") == 48000150
    assert j.balance("Liabilities:JP:Payable:PH", "PHP") == -48000150
    assert j.balance("Assets:PH:Cash", "PHP") == 0  # never moved
    assert j.balance("Assets:PH:Receivable:JP", "USD") == 0
    j.post(13.0, TxnKind.ISSUE, 2, _issue(j, 7, "JPY", p="JP", r="PH"))
    # both the account and the currency are known, never together: 0
    assert j.balance("Assets:PH:Receivable:JP", "JPY") == 0
    assert j.balance("Assets:JP:Receivable:PH", "JPY") == 7
    assert list(j.legs_of(0)) == [0, 1, 2, 3]
    assert list(j.legs_of(1)) == [4, 5, 6, 7]
    assert list(j.legs_of(2)) == [8, 9, 10, 11]
    check_journal(j)
    check_balances(j)


def test_transactions_are_records_in_decimal_with_order_ids() -> None:
    j = Journal()
    j.post(10.0, TxnKind.ISSUE, 4, _issue(j, 48000000))
    j.post(11.0, TxnKind.PAYMENT, NO_ORDER, [(j.account("Assets:JP:Cash"), 0, j.currency("JPY"))])
    first, second = j.transactions()
    assert (first.txn_id, first.time, first.kind, first.order_id) == (1, 10.0, "issue", "O00005")
    assert first.postings[0] == Posting("Assets:PH:Receivable:JP", D("480000.00"), "PHP")
    assert first.postings[1] == Posting("Income:PH:Provided", D("-480000.00"), "PHP")
    assert str(first.postings[1].amount) == "-480000.00"
    assert (second.order_id, second.postings) == (None, (Posting("Assets:JP:Cash", D("0"), "JPY"),))


def test_accounts_are_numbered_once_with_their_mirrors() -> None:
    j = Journal()
    rec = j.account("Assets:PH:Receivable:JP")
    pay = j.account("Liabilities:JP:Payable:PH")
    cash = j.account("Assets:PH:Cash")
    assert j.account("Assets:PH:Receivable:JP") == rec
    assert (j.mirrors[rec], j.mirrors[pay], j.mirrors[cash]) == (pay, rec, -1)
    inv = j.account("Assets:PH:Receivable:JP:Invoiced")
    assert j.account_names[j.mirrors[inv]] == "Liabilities:JP:Payable:PH:Invoiced"
    with pytest.raises(ValueError, match="must start with one of"):
        j.account("Equity:PH")
    with pytest.raises(ValueError, match="empty part"):
        j.account("Assets::Cash")


def test_an_unbalanced_transaction_is_named_with_its_order_and_imbalance() -> None:
    j = Journal()
    j.post(10.0, TxnKind.ISSUE, 0, _issue(j, 100))
    legs = _issue(j, 100)
    legs[0] = (legs[0][0], 101, legs[0][2])
    j.post(20.0, TxnKind.ISSUE, 6, legs)
    with pytest.raises(LedgerError) as err:
        check_journal(j, 1)
    assert str(err.value).startswith("refused transaction 2, issue (order O00007) at t=20.0h")
    assert "PHP sums to 0.01" in str(err.value)


def test_balance_is_per_currency_even_when_the_totals_match() -> None:
    j = Journal()
    a = j.account("Assets:PH:Cash")
    b = j.account("Assets:JP:Cash")
    j.post(
        1.0, TxnKind.PAYMENT, NO_ORDER, [(a, 100, j.currency("PHP")), (b, -100, j.currency("JPY"))]
    )
    with pytest.raises(LedgerError, match=r"transaction 1, payment at t=1.0h: .*(JPY|PHP) sums to"):
        check_journal(j)


def test_the_check_reads_only_the_batch_asked_for() -> None:
    j = Journal()
    legs = _issue(j, 100)
    legs.pop()
    j.post(1.0, TxnKind.ISSUE, 0, legs)  # unbalanced, and so is the mirror
    j.post(2.0, TxnKind.INVOICE, 0, [])  # no legs at all
    with pytest.raises(LedgerError, match=r"transaction 2, invoice .*: no postings"):
        check_journal(j, 1)
    with pytest.raises(LedgerError, match="transaction 1, issue"):
        check_journal(j, 0)


def test_a_receivable_without_its_payable_breaks_the_mirror() -> None:
    j = Journal()
    c = j.currency("PHP")
    rec, inc = j.account("Assets:PH:Receivable:JP"), j.account("Income:PH:Provided")
    j.post(1.0, TxnKind.ISSUE, 0, [(rec, 500, c), (inc, -500, c)])
    with pytest.raises(LedgerError, match=r"R15 mirror broken: Assets:PH:Receivable:JP is 5.00 "
                       r"PHP but Liabilities:JP:Payable:PH is 0.00 PHP"):  # fmt: skip
        check_journal(j)


def test_the_mirror_is_checked_per_currency() -> None:
    j = Journal()
    j.post(1.0, TxnKind.ISSUE, 0, _issue(j, 500, "PHP"))
    rec, inc, yen = (
        j.account("Assets:PH:Receivable:JP"),
        j.account("Income:PH:Provided"),
        j.currency("JPY"),
    )
    # balanced in JPY, and the PHP receivable still mirrors its payable: but not in JPY
    j.post(2.0, TxnKind.ISSUE, 0, [(rec, 7, yen), (inc, -7, yen)])
    with pytest.raises(LedgerError, match=r"Receivable:JP is 7 JPY but .*Payable:PH is 0 JPY"):
        check_journal(j, 1)


def test_running_balances_must_equal_the_postings() -> None:
    j = Journal()
    j.post(1.0, TxnKind.ISSUE, 0, _issue(j, 500))
    check_balances(j)
    j.leg_amount[0] += 1  # an edited posting: the running balance no longer agrees
    with pytest.raises(LedgerError, match="running balances differ"):
        check_balances(j)


def test_huge_amounts_are_checked_exactly() -> None:
    j = Journal()
    huge = 10**25  # beyond 64-bit integers: the check falls back to exact Python integers
    j.post(1.0, TxnKind.ISSUE, 0, _issue(j, huge))
    check_journal(j)
    j.post(2.0, TxnKind.ISSUE, 1, [(*_issue(j, huge)[0][:1], huge + 1, 0), *_issue(j, huge)[1:]])
    with pytest.raises(LedgerError, match="transaction 2"):
        check_journal(j, 1)


@given(st.lists(st.tuples(st.integers(1, 10**9), st.sampled_from(["PHP", "JPY", "USD"]),
                          st.booleans()), max_size=30))  # fmt: skip
def test_random_issues_and_payments_keep_books_balanced_and_mirrored(items) -> None:
    """Any sequence of issues and full payments keeps every R15 check quiet, and the balances
    are the sums of the postings."""
    j = Journal()
    expected = 0
    for i, (value, cur, paid) in enumerate(items):
        j.post(float(i), TxnKind.ISSUE, i, _issue(j, value, cur))
        if paid:
            c = j.currency(cur)
            j.post(float(i), TxnKind.PAYMENT, i, [
                (j.account("Assets:PH:Receivable:JP"), -value, c),
                (j.account("Liabilities:JP:Payable:PH"), value, c),
                (j.account("Assets:PH:Cash"), value, c),
                (j.account("Assets:JP:Cash"), -value, c),
            ])  # fmt: skip
        elif cur == "PHP":
            expected += value
    check_journal(j)
    check_balances(j)
    assert j.balance("Assets:PH:Receivable:JP", "PHP") == expected
