"""The double-entry books: post() refusals, the R15 mirror, issues and payments."""

import dataclasses
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger import (
    Ledger,
    LedgerError,
    Order,
    Posting,
    cash,
    payable,
    receivable,
    to_money,
    value_of,
)

MakeOrder = Callable[..., Order]  # the factory of conftest.py

PARTIES = ["JP", "PH", "US", "AU"]
CURRENCY = {"JP": "JPY", "PH": "PHP", "US": "USD", "AU": "AUD"}


def pay(ledger: Ledger, time: float, provider: str, receiver: str, amount: Decimal) -> None:
    """A cash payment from `receiver` to `provider` (R11), in the provider's currency."""
    cur = CURRENCY[provider]
    legs = [
        Posting(payable(receiver, provider), amount, cur),
        Posting(cash(receiver), -amount, cur),
        Posting(cash(provider), amount, cur),
        Posting(receivable(provider, receiver), -amount, cur),
    ]
    ledger.post(time, "payment", legs)


def test_post_issue_books_the_four_legs_r7_r15(make_order: MakeOrder) -> None:
    ledger = Ledger()
    order = make_order()
    txn = ledger.post_issue(12.0, order)
    assert (txn.txn_id, txn.time, txn.kind, txn.order_id) == (1, 12.0, "issue", "O1")
    v = Decimal("480000.00")
    assert txn.postings == (
        Posting("Assets:PH:Receivable:JP", v, "PHP"),
        Posting("Income:PH:Provided", -v, "PHP"),
        Posting("Expenses:JP:Received", v, "PHP"),
        Posting("Liabilities:JP:Payable:PH", -v, "PHP"),
    )
    assert ledger.balances() == {
        ("Assets:PH:Receivable:JP", "PHP"): v,
        ("Expenses:JP:Received", "PHP"): v,
        ("Income:PH:Provided", "PHP"): -v,
        ("Liabilities:JP:Payable:PH", "PHP"): -v,
    }
    assert ledger.transactions == [txn]


def test_txn_ids_are_sequential_from_one(make_order: MakeOrder) -> None:
    ledger = Ledger()
    ids = [ledger.post_issue(float(i), make_order(f"O{i}")).txn_id for i in range(3)]
    assert ids == [1, 2, 3]


def test_refuses_unbalanced_naming_kind_order_time_and_imbalance_r15() -> None:
    ledger = Ledger()
    legs = [
        Posting(cash("JP"), Decimal("100.00"), "USD"),
        Posting(cash("PH"), Decimal("-87.50"), "USD"),
    ]
    with pytest.raises(LedgerError) as err:
        ledger.post(36.5, "payment", legs, order_id="O7")
    message = str(err.value)
    for part in ("'payment'", "O7", "t=36.5h", "USD sums to 12.50", "R15"):
        assert part in message
    assert ledger.transactions == []
    assert ledger.balances() == {}


def test_refuses_imbalance_in_one_currency_even_if_totals_match() -> None:
    legs = [
        Posting(cash("JP"), Decimal("100"), "JPY"),
        Posting(cash("PH"), Decimal("-100.00"), "PHP"),
    ]
    with pytest.raises(LedgerError, match=r"JPY sums to 100\b.*PHP sums to -100\.00"):
        Ledger().post(0, "payment", legs)


@pytest.mark.parametrize(
    ("amount", "currency"), [(Decimal("0.005"), "USD"), (Decimal("0.5"), "JPY"), ("1.0001", "BHD")]
)
def test_refuses_amounts_below_the_minor_unit_r15(amount, currency: str) -> None:
    amount = Decimal(amount)
    legs = [Posting(cash("JP"), amount, currency), Posting(cash("PH"), -amount, currency)]
    with pytest.raises(LedgerError, match="not rounded to the currency's minor unit"):
        Ledger().post(0, "payment", legs)


def test_stores_equal_amounts_in_canonical_form() -> None:
    ledger = Ledger()
    legs = [
        Posting(cash("JP"), Decimal("100"), "PHP"),
        Posting(cash("PH"), Decimal("-100.0"), "PHP"),
    ]
    txn = ledger.post(0, "payment", legs)
    assert [str(p.amount) for p in txn.postings] == ["100.00", "-100.00"]


def test_negative_zero_is_written_as_zero() -> None:
    # postings.csv must not show "-0.00" for a posting of nothing
    legs = [Posting(cash("JP"), Decimal("-0.00"), "USD"), Posting(cash("PH"), Decimal(0), "USD")]
    txn = Ledger().post(0, "payment", legs)
    assert [str(p.amount) for p in txn.postings] == ["0.00", "0.00"]


def test_refuses_unknown_kind_and_empty_postings() -> None:
    ledger = Ledger()
    with pytest.raises(LedgerError, match=r"'gift'.*unknown kind"):
        ledger.post(0, "gift", [Posting(cash("JP"), Decimal(0), "USD")])
    with pytest.raises(LedgerError, match="no postings"):
        ledger.post(0, "payment", [])
    assert ledger.transactions == []


def test_refuses_bad_time_and_bad_accounts() -> None:
    legs = [Posting(cash("JP"), Decimal(1), "USD"), Posting(cash("PH"), Decimal(-1), "USD")]
    with pytest.raises(LedgerError, match="time"):
        Ledger().post(float("nan"), "payment", legs)
    bad = [Posting("Equity:JP", Decimal(1), "USD"), Posting(cash("PH"), Decimal(-1), "USD")]
    with pytest.raises(LedgerError, match="Equity:JP"):
        Ledger().post(0, "payment", bad)


def test_posting_refuses_float_amounts() -> None:
    with pytest.raises(TypeError):
        Posting(cash("JP"), 1.5, "USD")  # type: ignore[arg-type]


def test_refuses_a_receivable_without_its_payable_r15() -> None:
    ledger = Ledger()
    legs = [
        Posting(receivable("JP", "PH"), Decimal("10.00"), "USD"),
        Posting("Income:JP:Provided", Decimal("-10.00"), "USD"),
    ]
    with pytest.raises(
        LedgerError, match=r"R15 mirror.*Assets:JP:Receivable:PH would be 10\.00 USD"
    ):
        ledger.post(5, "issue", legs, "O1")
    assert ledger.balances() == {}
    assert ledger.transactions == []


def test_mirror_is_checked_per_currency_r15() -> None:
    ledger = Ledger()
    legs = [
        Posting(receivable("JP", "PH"), Decimal("10"), "JPY"),
        Posting(payable("PH", "JP"), Decimal("-10"), "JPY"),
        Posting(receivable("JP", "PH"), Decimal("1.00"), "USD"),
        Posting(payable("PH", "JP"), Decimal("-2.00"), "USD"),
        Posting(cash("PH"), Decimal("1.00"), "USD"),
    ]
    with pytest.raises(LedgerError, match=r"R15 mirror.*USD"):
        ledger.post(0, "conversion", legs)


def test_cash_payment_clears_receivable_and_payable(make_order: MakeOrder) -> None:
    ledger = Ledger()
    ledger.post_issue(0, make_order())
    v = Decimal("480000.00")
    pay(ledger, 900, "PH", "JP", v)
    assert ledger.balance(receivable("PH", "JP"), "PHP") == 0
    assert str(ledger.balance(payable("JP", "PH"), "PHP")) == "0.00"
    assert ledger.balance(cash("PH"), "PHP") == v
    assert ledger.balances_as_of(899)[(receivable("PH", "JP"), "PHP")] == v
    assert (receivable("PH", "JP"), "PHP") not in ledger.balances_as_of(900)
    assert ledger.balances_as_of(900) == ledger.balances()
    ledger.verify()


def test_balances_as_of_before_anything_is_empty(make_order: MakeOrder) -> None:
    ledger = Ledger()
    ledger.post_issue(24, make_order())
    assert ledger.balances_as_of(23.9) == {}
    assert len(ledger.balances_as_of(24)) == 4


def test_verify_catches_a_tampered_journal(make_order: MakeOrder) -> None:
    ledger = Ledger()
    ledger.post_issue(0, make_order())
    txn = ledger.transactions[0]
    ledger.transactions[0] = dataclasses.replace(txn, postings=txn.postings[:3])
    with pytest.raises(LedgerError, match="do not balance"):
        ledger.verify()


# -- invariants under random issues and payments (R15) -------------------------


issues = st.lists(
    st.tuples(
        st.sampled_from(PARTIES),
        st.sampled_from(PARTIES),
        st.floats(min_value=0.001, max_value=1e6, allow_nan=False),
        st.floats(min_value=0.01, max_value=1e5, allow_nan=False),
        st.floats(min_value=0, max_value=1),  # fraction of the debt then paid in cash
    ).filter(lambda t: t[0] != t[1]),
    max_size=30,
)


@given(items=issues)
def test_random_issues_and_payments_keep_books_balanced_and_mirrored_r15(
    items, make_order: MakeOrder
) -> None:
    ledger = Ledger()
    expected: dict[tuple[str, str], Decimal] = {}
    for i, (p, r, qty, price, fraction) in enumerate(items):
        cur = CURRENCY[p]
        value = value_of(qty, price, cur)
        ledger.post_issue(float(i), make_order(f"O{i}", p, r, currency=cur, value=value))
        key = (receivable(p, r), cur)
        paid = to_money(ledger.balance(*key) * Decimal(str(fraction)), cur)
        pay(ledger, i + 0.5, p, r, paid)
        expected[key] = expected.get(key, Decimal(0)) + value - paid
    totals: dict[str, Decimal] = {}
    for (account, cur), amount in ledger.balances().items():
        totals[cur] = totals.get(cur, Decimal(0)) + amount
        parts = account.split(":")
        if parts[2] == "Receivable":
            assert ledger.balance(payable(parts[3], parts[1]), cur) == -amount
    assert all(t == 0 for t in totals.values())
    for key, amount in expected.items():
        assert ledger.balance(*key) == amount
    assert [t.txn_id for t in ledger.transactions] == list(range(1, 2 * len(items) + 1))
    ledger.verify()
