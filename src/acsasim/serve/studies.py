"""A study folder (replicate, sweep, compare) as its page shows it: the KPIs' statistics
from its summary.json, labelled and with units (output.kpi_labels), one table per grid
point (a sweep) or the paired differences and both sides (a compare)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from acsasim.output.kpi_labels import describe, number
from acsasim.output.runfolder import RunFolderError
from acsasim.scenario import ScenarioError, load_scenario

COLUMNS = ("KPI", "unit", "mean", "95% CI", "sd", "min", "max", "n")


@dataclass
class Study:
    command: str
    scenario: str
    n: int
    seed: Any
    stopping: str
    tables: list[tuple[str, list[tuple[str, ...]]]] = field(default_factory=list)


def study(folder: Path) -> Study:
    """RunFolderError if the folder holds no study (no summary.json or no manifest)."""
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{folder} is not a finished study folder: {exc}") from None
    if "study" not in manifest:
        raise RunFolderError(f"{folder} is a run folder, not a study: open it as a run")
    currency, units = _units(folder)
    stop = summary.get("stopping", {})
    shown = Study(
        str(summary.get("command")),
        str(summary.get("scenario")),
        int(summary["n"]),
        summary.get("seed"),
        f"{stop.get('rule', 'n')} (n = {stop.get('n')})",
    )

    def table(title: str, kpis: dict[str, Any]) -> None:
        shown.tables.append((title, rows(kpis, currency, units)))

    if shown.command == "sweep":
        for point in summary.get("points", []):
            params = ", ".join(f"{k} = {v}" for k, v in point["params"].items())
            table(f"point {point['point']}: {params}", point["kpis"])
    elif shown.command == "compare":
        table(f"differences ({summary.get('sign', '')})", summary["differences"])
        for side in ("baseline", "variant"):
            table(f"{side}: {summary[side]['definition']}", summary[side]["kpis"])
    else:
        table("KPIs", summary.get("kpis", {}))
    return shown


def _units(folder: Path) -> tuple[str, dict[str, str]]:
    """The reporting currency and the commodities' units, from the study's scenario.yaml."""
    try:
        s = load_scenario(folder / "scenario.yaml")
    except ScenarioError:
        return "", {}
    return s.reporting_currency, {c: m.unit for c, m in s.commodities.items()}


def rows(
    kpis: dict[str, dict[str, Any]], currency: str, units: dict[str, str]
) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for key, s in kpis.items():
        info = describe(key, currency, units)
        low, high = s.get("ci95_low"), s.get("ci95_high")
        ci = f"{number(low, info)} to {number(high, info)}" if low is not None else "-"
        out.append((info.label, info.unit, number(s.get("mean"), info), ci,
                    number(s.get("sd"), info), number(s.get("min"), info),
                    number(s.get("max"), info), str(s.get("n", ""))))  # fmt: skip
    return out
