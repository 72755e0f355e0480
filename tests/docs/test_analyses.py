"""The worked analyses' own arithmetic, on cases small enough to check by hand. (The whole
scripts run in the manual's build, tests/docs/test_manual.py.)"""

from __future__ import annotations

from datetime import datetime

import agreement_value
import diesel_prepositioning as diesel
import overdue_balances

from acsasim.experiments.stats import summarize
from acsasim.ledger.entries import Flow


def flow(holder: str, commodity: str, kind: str, quantity: float, unmet: float = 0.0) -> Flow:
    return Flow(0.0, holder, "JP", commodity, kind, quantity, unmet, None)


def test_the_unmet_share_is_the_holders_own_unmet_over_its_demand() -> None:
    flows = [
        flow("coy", "diesel", "consume", -90.0, unmet=10.0),  # demand 100, 10 unmet
        flow("coy", "diesel", "consume", -100.0),  # demand 100, all served
        flow("coy", "diesel", "acsa_receipt", 500.0),  # not demand
        flow("coy", "water", "consume", -1.0, unmet=99.0),  # another commodity
        flow("bn", "diesel", "consume", 0.0, unmet=50.0),  # another holder
    ]
    assert diesel.unmet_share(flows, "coy", "diesel") == 10.0 / 200.0
    assert diesel.unmet_share([], "coy", "diesel") == 0.0


def test_enough_is_the_level_from_which_the_share_stays_under_the_target() -> None:
    levels = [(8, summarize([0.5, 0.4])), (16, summarize([0.005, 0.0])),
              (24, summarize([0.02, 0.02])), (32, summarize([0.0, 0.0])),
              (40, summarize([0.0, 0.001]))]  # fmt: skip
    assert diesel.enough(levels) == 32  # 16 dips under 1% but 24 does not stay there
    assert diesel.enough(levels[:2]) == 16
    assert diesel.enough([(8, summarize([0.5, 0.4]))]) is None


def test_month_starts_are_the_first_days_after_the_start() -> None:
    days = overdue_balances.month_starts(datetime(2026, 11, 15), datetime(2027, 2, 1))
    assert days == [datetime(2026, 12, 1), datetime(2027, 1, 1), datetime(2027, 2, 1)]


def test_each_analysis_names_a_shipped_scenario() -> None:
    assert diesel.SCENARIO.is_file()
    assert overdue_balances.SCENARIO.is_file()
    assert all(path.is_file() for path in agreement_value.CASES.values())
