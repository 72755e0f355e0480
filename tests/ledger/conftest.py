"""Shared fixtures of the ledger tests."""

from collections.abc import Callable
from decimal import Decimal

import pytest

from acsasim.ledger import Order


def make_order(order_id: str = "O1", provider: str = "PH", receiver: str = "JP", **kw) -> Order:
    """8000 L of diesel provided by the PH depot to a JP unit (PHP 60/L, USD rate 58)."""
    fields = dict(
        order_id=order_id,
        agreement="jp-ph",
        provider_party=provider,
        provider="ph-subic-pol",
        receiver_party=receiver,
        receiver="jp-unit",
        commodity="diesel",
        quantity=8000.0,
        unit="L",
        activity="hadr",
        requested_at=10.0,
        delivered_at=None,
        currency="PHP",
        value=Decimal("480000.00"),
        value_reporting=Decimal("8275.86"),
        tax_waived_reporting=Decimal("0.00"),
        method=None,
        due_at=None,
        status="in_transit",
    )
    fields.update(kw)
    return Order(**fields)


@pytest.fixture(name="make_order", scope="session")
def make_order_fixture() -> Callable[..., Order]:
    """The `make_order` factory, for tests to vary one field at a time."""
    return make_order
