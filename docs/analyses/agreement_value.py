"""What is the agreement worth? Shortfalls with and without it, and what it moved.

Both demand scenarios shipped with acsasim (jp-ph-joint-drill.yaml and
luzon-typhoon-relief.yaml) are compared with themselves under `--no-acsa`
(`policy.acsa: never`), replication by replication on the same seeds, exactly as
`acsasim compare FILE --no-acsa -n N` does (it calls the same library function).
"""

from __future__ import annotations

from pathlib import Path

from common import SCENARIOS, figure, main, save, table

from acsasim import load_scenario
from acsasim.experiments import compare
from acsasim.experiments.results import StudyResult
from acsasim.experiments.stats import Summary
from acsasim.scenario import Scenario

CASES = {
    "Joint drill (3 weeks)": SCENARIOS / "jp-ph-joint-drill.yaml",
    "Typhoon relief (3 weeks)": SCENARIOS / "luzon-typhoon-relief.yaml",
}


def study(path: Path, n: int) -> tuple[Scenario, StudyResult]:
    with_acsa = load_scenario(path)
    without = load_scenario(path, ["policy.acsa=never"])
    return with_acsa, compare(with_acsa, without, n)


def _ci(s: Summary, unit: str) -> str:
    if s.ci95_low is None:
        return f"{s.mean:,.0f} {unit}"
    return f"{s.mean:,.0f} {unit} ({s.ci95_low:,.0f} to {s.ci95_high:,.0f})"


def build(out: Path, n: int) -> dict[str, str]:
    """One table per scenario and one chart of the shortfalls the agreement prevents."""
    fragments: dict[str, str] = {}
    fig = figure(7.0, 3.6)
    axes = fig.subplots(1, len(CASES))
    for i, ((title, path), ax) in enumerate(zip(CASES.items(), axes, strict=True)):
        scenario, result = study(path, n)
        with_stats, without_stats = result.stats
        diffs = result.differences()
        units = {c: x.unit for c, x in scenario.commodities.items()}
        rows, names, prevented = [], [], []
        for c, unit in units.items():
            key = f"unmet_demand.{c}"
            if key not in diffs or without_stats[key].mean in (None, 0):
                continue
            rows.append(
                [f"unmet {c}", f"{with_stats[key].mean:,.0f} {unit}",
                 f"{without_stats[key].mean:,.0f} {unit}", _ci(diffs[key], unit)]
            )  # fmt: skip
            names.append(c)
            prevented.append(100 * diffs[key].mean / without_stats[key].mean)
        rep = scenario.reporting_currency
        for key, label in (("tax_waived", "tax waived"),):
            s = with_stats[key]
            rows.append([label, f"{s.mean:,.0f} {rep}", f"0 {rep}", "—"])
        value = [c for c in with_stats if c.startswith("value_provided.")]
        for key in value:
            pair = key.split(".", 1)[1]
            rows.append(
                [f"value provided {pair}", f"{with_stats[key].mean:,.0f} {rep}", f"0 {rep}", "—"]
            )
        fragments[f"value-table-{i}"] = table(
            ["", "with the ACSA (mean)", "without (mean)", "without − with (95% CI)"], rows
        )
        ax.barh(names, prevented, color="tab:blue")
        ax.set_xlim(0, 100)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("share of the shortfall\nthe agreement prevents, %")
    fragments["value-chart"] = save(fig, out, "agreement-value")
    fragments["value-n"] = str(n)
    return fragments


if __name__ == "__main__":
    main(build, default_n=20)
