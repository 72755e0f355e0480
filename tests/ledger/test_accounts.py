"""Account names exactly as postings.csv spells them (outputs.md), and the R15 mirror."""

import pytest

from acsasim.ledger.accounts import (
    cash,
    mirror,
    parse,
    payable,
    provided,
    receivable,
    received,
)


def test_names_match_outputs_md() -> None:
    assert receivable("JP", "PH") == "Assets:JP:Receivable:PH"
    assert payable("PH", "JP") == "Liabilities:PH:Payable:JP"
    assert provided("JP") == "Income:JP:Provided"
    assert received("PH") == "Expenses:PH:Received"
    assert cash("JP") == "Assets:JP:Cash"


def test_parse_splits_into_parts() -> None:
    assert parse("Assets:JP:Receivable:PH") == ("Assets", "JP", "Receivable", "PH")
    assert parse("Income:JP:Provided") == ("Income", "JP", "Provided")


@pytest.mark.parametrize(
    "account", ["Equity:JP:Opening", "assets:JP:Cash", "Assets::Cash", "Assets:JP:", "Assets", ""]
)
def test_parse_refuses_malformed_accounts(account: str) -> None:
    with pytest.raises(ValueError, match="account"):
        parse(account)


@pytest.mark.parametrize("party", ["", "J:P", "J P", None])
def test_party_ids_must_be_plain(party: object) -> None:
    with pytest.raises(ValueError, match="party"):
        cash(party)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="party"):
        receivable("JP", party)  # type: ignore[arg-type]


def test_a_party_cannot_owe_itself() -> None:
    with pytest.raises(ValueError, match="owe itself"):
        payable("JP", "JP")


def test_mirror_pairs_receivable_and_payable_r15() -> None:
    assert mirror("Assets:JP:Receivable:PH") == "Liabilities:PH:Payable:JP"
    assert mirror("Liabilities:PH:Payable:JP") == "Assets:JP:Receivable:PH"
    assert mirror("Assets:JP:Cash") is None
    assert mirror("Income:JP:Provided") is None
