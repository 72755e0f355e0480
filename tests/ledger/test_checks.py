"""The R15 checks in batches (ledger/checks.py): each fault an auditor looks for is caught,
named by its first offender, and nothing sound is refused.

The journal's basic cases are in test_journal.py and the materiel's in test_materiel.py;
these are the cases where a check could look at the wrong row, the wrong account or the wrong
number: ids 0, sums that cancel across transactions, amounts beyond 64 bits or 53 bits.
"""

from __future__ import annotations

import pytest

from acsasim.ledger import Journal, LedgerError, MaterielError, StockBook
from acsasim.ledger.checks import check_balances, check_journal, check_materiel
from acsasim.ledger.journal import NO_ORDER
from acsasim.vocab import FlowKind, TxnKind

REC, PAY = "Assets:PH:Receivable:JP", "Liabilities:JP:Payable:PH"


def test_an_imbalance_is_never_hidden_by_another_in_another_transaction() -> None:
    """Transaction 1 is 50 yen over, transaction 3 PHP 0.50 short: each is a fault of its own,
    whatever they add up to together (R15: per transaction and currency)."""
    j = Journal()
    php, jpy = j.currency("PHP"), j.currency("JPY")
    ph, jp = j.account("Assets:PH:Cash"), j.account("Assets:JP:Cash")
    j.post(1.0, TxnKind.PAYMENT, NO_ORDER, [(ph, 100, jpy), (jp, -50, jpy)])
    j.post(2.0, TxnKind.PAYMENT, NO_ORDER, [(ph, 7, php), (jp, -7, php)])
    j.post(3.0, TxnKind.PAYMENT, NO_ORDER, [(ph, -50, php)])
    with pytest.raises(LedgerError) as err:
        check_journal(j)
    assert str(err.value) == (
        "refused transaction 1, payment at t=1.0h: postings do not balance (R15): JPY sums to 50"
    )
    with pytest.raises(LedgerError, match=r"^refused transaction 3, .*PHP sums to -0\.50$"):
        check_journal(j, 1)


def test_one_minor_unit_off_beyond_64_bit_amounts_is_caught() -> None:
    j = Journal()
    c = j.currency("PHP")
    j.post(1.0, TxnKind.ISSUE, 0, [(j.account(REC), 2**63 + 1, c), (j.account(PAY), -(2**63), c)])
    with pytest.raises(LedgerError, match=r"^refused transaction 1, issue \(order O00001\) .*"
                       r"PHP sums to 0\.01$"):  # fmt: skip
        check_journal(j)


def test_a_payable_without_its_receivable_breaks_the_mirror() -> None:
    """The receivable is numbered first (id 0): its payable is checked against it all the same."""
    j = Journal()
    c = j.currency("PHP")
    j.account(REC)
    pay, expense = j.account(PAY), j.account("Expenses:JP:Received")
    j.post(1.0, TxnKind.ISSUE, 0, [(expense, 500, c), (pay, -500, c)])
    with pytest.raises(LedgerError) as err:
        check_journal(j)
    assert str(err.value) == (f"R15 mirror broken: {PAY} is -5.00 PHP but {REC} is 0.00 PHP")


def test_a_mirror_that_differs_names_both_balances() -> None:
    j = Journal()
    c = j.currency("PHP")
    rec, pay = j.account(REC), j.account(PAY)
    income, expense = j.account("Income:PH:Provided"), j.account("Expenses:JP:Received")
    j.post(1.0, TxnKind.ISSUE, 0, [(rec, 500, c), (income, -500, c), (expense, 400, c),
                                   (pay, -400, c)])  # fmt: skip
    with pytest.raises(LedgerError) as err:
        check_journal(j)
    assert str(err.value) == f"R15 mirror broken: {REC} is 5.00 PHP but {PAY} is -4.00 PHP"


def test_a_receivable_back_to_zero_needs_no_payable_entry() -> None:
    """A balance of zero mirrors a payable that never moved (R15: 0 = -0)."""
    j = Journal()
    c = j.currency("PHP")
    rec, income = j.account(REC), j.account("Income:PH:Provided")
    j.post(1.0, TxnKind.ISSUE, 0, [(rec, 500, c), (income, -500, c)])
    j.post(2.0, TxnKind.OFFSET, 0, [(rec, -500, c), (income, 500, c)])
    check_journal(j, 1)  # the batch of transaction 2: the receivable is back to zero
    check_balances(j)


def test_edited_postings_are_found_by_the_end_of_run_check() -> None:
    j = Journal()
    c = j.currency("PHP")
    j.post(1.0, TxnKind.ISSUE, 0, [(j.account(REC), 5, c), (j.account(PAY), -5, c)])
    j.leg_amount[1] = -6
    with pytest.raises(LedgerError) as err:
        check_balances(j)
    assert str(err.value) == "running balances differ from the journal's postings (R15)"


def _stock() -> StockBook:
    return StockBook(["jp-coy", "ph-depot"], ["JP", "PH"], ["diesel", "ration"], [1000, 1])


def test_stock_below_zero_is_named_where_it_is() -> None:
    b = _stock()
    b.on_hand[1, 1] = -1  # the first cell is 0: not below zero
    with pytest.raises(MaterielError) as err:
        check_materiel(b)
    assert str(err.value) == "ration at ph-depot is below zero (R15)"


def test_a_dip_is_found_in_every_holder_and_commodity_not_only_the_first() -> None:
    b = _stock()
    b.move(0.0, 0, 0, FlowKind.INITIAL, 10)  # jp-coy diesel: fine
    b.move(1.0, 0, 1, FlowKind.INITIAL, 5)
    b.move(2.0, 0, 1, FlowKind.ACSA_ISSUE, -3)
    b.quantity[2] = -6  # the issue edited to 6: rations dip to -1 after it
    with pytest.raises(MaterielError) as err:
        check_materiel(b)
    assert str(err.value) == "ration at jp-coy dips to -1 units at t=2.0h (flow row 3) (R15)"


def test_conservation_is_exact_beyond_float_precision() -> None:
    """2**53 + 1 units (a float cannot hold it) are conserved to the unit (R15)."""
    b = _stock()
    b.move(0.0, 1, 1, FlowKind.INITIAL, 2**53 + 1)
    check_materiel(b)
    b.on_hand[1, 1] -= 1
    with pytest.raises(MaterielError, match=r"^ration at ph-depot: flows sum to 9007199254740993"):
        check_materiel(b)
