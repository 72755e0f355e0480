"""The books of a run: exact money, the order table, the double-entry journal, materiel,
and the settlement rules (R7-R15).

No simulation here and no scenario format: this package imports nothing of `sim` or
`scenario` (numpy is its one third-party import, for the columns and the batch checks),
so the books can be checked, exported and tested on their own.
"""

from acsasim.ledger.accounts import cash, parse, payable, provided, receivable, received
from acsasim.ledger.book import Books
from acsasim.ledger.checks import LedgerError
from acsasim.ledger.entries import (
    FLOW_KINDS,
    ORDER_STATUSES,
    SETTLEMENT_METHODS,
    TXN_KINDS,
    Flow,
    Order,
    Posting,
    Transaction,
)
from acsasim.ledger.journal import Journal
from acsasim.ledger.materiel import MaterielError, StockBook
from acsasim.ledger.money import Converter, minor_units, tax_waived, to_money, value_of
from acsasim.ledger.orders import OrderError, OrderTable
from acsasim.vocab import TRANSITIONS

__all__ = [
    "FLOW_KINDS",
    "ORDER_STATUSES",
    "SETTLEMENT_METHODS",
    "TRANSITIONS",
    "TXN_KINDS",
    "Books",
    "Converter",
    "Flow",
    "Journal",
    "LedgerError",
    "MaterielError",
    "Order",
    "OrderError",
    "OrderTable",
    "Posting",
    "StockBook",
    "Transaction",
    "cash",
    "minor_units",
    "parse",
    "payable",
    "provided",
    "receivable",
    "received",
    "tax_waived",
    "to_money",
    "value_of",
]
