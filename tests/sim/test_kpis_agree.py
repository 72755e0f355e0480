"""KPIs that count the same money agree with each other and with the books (R12, R15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from acsasim.scenario import load_scenario
from acsasim.sim import simulate

SCENARIOS = Path(__file__).parents[2] / "scenarios"


@pytest.mark.parametrize("name", ["jp-ph-joint-drill.yaml", "jp-ph-18-months.yaml"])
def test_aging_sums_to_the_net_outstanding_of_each_pair(name: str) -> None:
    """What each side owes, by aging bucket, nets to `outstanding_end` of the pair: both are
    the unsettled balances of the books converted at the same exact rates (each bucket is
    rounded to the cent on its own, hence half a cent of slack per bucket)."""
    k = simulate(load_scenario(SCENARIOS / name)).kpis
    assert k["outstanding_end"], "the scenario leaves balances open"
    for pair, net in k["outstanding_end"].items():
        a, b = pair.split("-")
        owed_to_a = k["aging_end"].get(f"{b}->{a}", {})
        owed_to_b = k["aging_end"].get(f"{a}->{b}", {})
        slack = 0.005 * (len(owed_to_a) + len(owed_to_b)) + 0.005
        assert sum(owed_to_a.values()) - sum(owed_to_b.values()) == pytest.approx(net, abs=slack)
