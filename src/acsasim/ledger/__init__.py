"""The books of a run: exact money, double-entry journal, orders, materiel (R7, R15).

Pure Python: this package imports nothing of the simulation, the scenario
format or any third-party library, so the books can be checked, exported and
tested on their own.
"""

from acsasim.ledger.accounts import cash, parse, payable, provided, receivable, received
from acsasim.ledger.book import TRANSITIONS, Ledger, LedgerError
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
from acsasim.ledger.materiel import MaterielError, StockBook
from acsasim.ledger.money import Converter, minor_units, tax_waived, to_money, value_of

__all__ = [
    "FLOW_KINDS",
    "ORDER_STATUSES",
    "SETTLEMENT_METHODS",
    "TRANSITIONS",
    "TXN_KINDS",
    "Converter",
    "Flow",
    "Ledger",
    "LedgerError",
    "MaterielError",
    "Order",
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
