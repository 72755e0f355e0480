"""Shared fixtures of the output tests: one real run of the JP-PH drill (simulated once per
session) and its run folder with charts and report. The browser test opens the page with
playwright (tests/browser_tools.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from acsasim.output.run_data import RunData, from_result, load_run
from acsasim.runs.run_folder import write_run
from acsasim.scenario import load_scenario, load_text
from acsasim.sim import simulate

DRILL = Path(__file__).parents[2] / "scenarios" / "jp-ph-joint-drill.yaml"


@pytest.fixture(scope="session")
def drill_result() -> Any:
    return simulate(load_scenario(DRILL))


@pytest.fixture(scope="session")
def drill(drill_result: Any) -> RunData:
    """The drill as the charts see it, straight from the RunResult."""
    return from_result(drill_result)


@pytest.fixture(scope="session")
def scaled() -> RunData:
    """The drill at scale: 35 holders (five of each), a third party (US) and three
    agreements, to check that charts stay readable when there is a lot to show."""
    return from_result(simulate(load_text(scaled_drill(5), "scaled-drill.yaml")))


@pytest.fixture(scope="session")
def crowded() -> RunData:
    """The drill with seven copies of each holder: 49 holders, more than a timeline's rows."""
    return from_result(simulate(load_text(scaled_drill(7), "crowded-drill.yaml")))


def scaled_drill(copies: int) -> str:
    d = yaml.safe_load(DRILL.read_text(encoding="utf-8"))
    d["parties"]["US"] = {"name": "US Forces", "currency": "USD"}
    d["prices"]["US"] = {"diesel": 1.0, "jp5": 1.0, "ration": 6.0, "water": 0.01, "ammo_556": 0.5}
    d["supply_lines"].append({**d["supply_lines"][0], "id": "us-sealift", "party": "US"})
    for pair in (["PH", "US"], ["JP", "US"]):
        d["agreements"].append({**d["agreements"][0], "id": "-".join(pair), "parties": pair})
    holders, renamed = [], {}
    for h in d["holders"]:
        for k in range(1, copies + 1):
            us = h["party"] == "JP" and k % 2 == 0
            new = {**h, "id": f"{'us-' if us else ''}{h['id']}-{k}"}
            if us:
                new.update(party="US", supplied_by="us-sealift")
            holders.append(new)
            renamed.setdefault(h["id"], []).append(new["id"])
    d["holders"] = holders
    for item in d["timeline"]:
        if isinstance(item.get("holders"), list):
            item["holders"] = [n for old in item["holders"] for n in renamed[old]]
        if isinstance(item.get("destroy_stock"), dict):
            item["destroy_stock"]["holder"] = renamed[item["destroy_stock"]["holder"]][0]
    return yaml.safe_dump(d, sort_keys=False)


@pytest.fixture(scope="session")
def drill_folder(drill_result: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drill's run folder, charts and report.html included (written once)."""
    return write_run(drill_result, tmp_path_factory.mktemp("drill") / "run", ["test"])


@pytest.fixture(scope="session")
def drill_loaded(drill_folder: Path) -> RunData:
    """The drill as `acsasim report` sees it: read back from the run folder."""
    return load_run(drill_folder)
