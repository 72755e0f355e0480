"""The books of one run: the order table, the journal, the materiel and the money rules.

`Books` bundles what every booking needs: the orders (`orders.OrderTable`), the journal
(`journal.Journal`), the stock (`materiel.StockBook`), the exchange rates (`Converter`)
and the account ids of each pair of parties, worked out once. The settlement rules
(`settlement.py`) act on it; the simulation holds one per run.
"""

from __future__ import annotations

from typing import NamedTuple

from acsasim.ledger import accounts
from acsasim.ledger.checks import check_balances, check_journal, check_materiel
from acsasim.ledger.journal import Journal
from acsasim.ledger.materiel import StockBook
from acsasim.ledger.money import Converter
from acsasim.ledger.orders import OrderTable


class PairAccounts(NamedTuple):
    """Account ids of a provider party P and a receiver party R (R15: the debt's two sides,
    plain and invoiced, what each provided and received, and their cash)."""

    receivable: int  # Assets:P:Receivable:R
    payable: int  # Liabilities:R:Payable:P
    receivable_invoiced: int
    payable_invoiced: int
    provided: int  # Income:P:Provided
    received: int  # Expenses:R:Received
    provider_received: int  # Expenses:P:Received (a return in kind comes back to P)
    receiver_provided: int  # Income:R:Provided
    provider_cash: int
    receiver_cash: int


class Books:
    """Orders, journal and stock of one run, with its exchange rates."""

    def __init__(self, stock: StockBook, converter: Converter) -> None:
        self.orders = OrderTable(converter.reporting)
        self.journal = Journal()
        self.stock = stock
        self.converter = converter
        self._pairs: dict[tuple[str, str], PairAccounts] = {}
        self._checked = 0  # transactions checked so far

    def pair(self, provider: str, receiver: str) -> PairAccounts:
        """The account ids between a provider party and a receiver party."""
        found = self._pairs.get((provider, receiver))
        if found is None:
            a, p, r = self.journal.account, provider, receiver
            found = self._pairs[(p, r)] = PairAccounts(
                a(accounts.receivable(p, r)),
                a(accounts.payable(r, p)),
                a(accounts.receivable_invoiced(p, r)),
                a(accounts.payable_invoiced(r, p)),
                a(accounts.provided(p)),
                a(accounts.received(r)),
                a(accounts.received(p)),
                a(accounts.provided(r)),
                a(accounts.cash(p)),
                a(accounts.cash(r)),
            )
        return found

    def check(self) -> None:
        """R15 over what was booked since the last check (the end of each day)."""
        check_journal(self.journal, self._checked)
        self._checked = len(self.journal)

    def check_all(self) -> None:
        """R15 over the whole run: the journal, its balances and the materiel (the end)."""
        check_journal(self.journal, 0)
        check_balances(self.journal)
        check_materiel(self.stock)
