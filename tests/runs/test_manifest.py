"""What the manifest records of a run (its timing, its name's parts) and what the folder's
name shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from run_folder_tools import TINY


def test_the_name_shows_the_counterfactual_and_the_overrides(
    tmp_path: Path, cli, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sets = ("--set", "duration=3d", "--set", "handling=2h")
    for args, label in (([], "s7"), (["--no-acsa"], "s7-noacsa"), ([*sets], "s7-set2"),
                        (["--no-acsa", *sets], "s7-noacsa-set2")):  # fmt: skip
        code, out, err = cli("run", TINY, "--seed", "7", "--no-report", *args)
        assert code == 0, err
        assert re.fullmatch(rf"\d{{8}}-\d{{6}}-{label}(-\d+)?", Path(out.splitlines()[0]).name)


def test_the_manifest_times_the_command_and_each_stage(drill_report_folder: Path) -> None:
    manifest = json.loads((drill_report_folder / "manifest.json").read_text(encoding="utf-8"))
    stages = manifest["stages"]
    assert set(stages) == {"simulate", "tables", "charts", "report"}
    assert all(seconds >= 0 for seconds in stages.values()) and stages["charts"] > 0
    assert manifest["wall_seconds"] >= sum(stages.values()) - stages["simulate"]
    files = manifest["files"]
    assert {"report.html", "orders.csv", "ledger.sqlite", "charts/stock.png"} <= set(files)
    assert "manifest.json" not in files
