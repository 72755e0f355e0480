"""How much diesel must the JGSDF relief company hold when the typhoon strikes for its unmet
diesel demand to stay under 1%, with the ACSA and without it?

The shipped scenario luzon-typhoon-relief.yaml, with the company's initial diesel stock
(`holders.jgsdf-relief-coy.stock.diesel.initial`, its tank capacity raised to match) swept
from 8,000 L to 56,000 L, each level run on the same n seeds with the agreement
(`policy.acsa: when_national_late`) and without it (`never`). The measure is the company's
own unmet diesel as a share of its diesel demand, read from each run's flows.
"""

from __future__ import annotations

from pathlib import Path

from common import SCENARIOS, figure, main, save, table

from acsasim import load_scenario, simulate
from acsasim.experiments.runner import replication_seeds
from acsasim.experiments.stats import Summary, summarize

SCENARIO = SCENARIOS / "luzon-typhoon-relief.yaml"
HOLDER, COMMODITY = "jgsdf-relief-coy", "diesel"
LEVELS = tuple(range(8_000, 56_001, 8_000))  # litres on hand at landfall
TARGET = 0.01  # the planner's limit on the share of demand left unmet
POLICIES = {"with the ACSA": "when_national_late", "without (--no-acsa)": "never"}


def unmet_share(flows: list, holder: str = HOLDER, commodity: str = COMMODITY) -> float:
    """The holder's unmet demand / its demand, from a run's flows (R2: unmet is lost)."""
    served = unmet = 0.0
    for f in flows:
        if f.kind == "consume" and f.holder == holder and f.commodity == commodity:
            served -= f.quantity
            unmet += f.unmet
    return unmet / (served + unmet) if served + unmet > 0 else 0.0


def study(n: int) -> dict[str, list[tuple[int, Summary]]]:
    """Per policy, per level: the summary of the unmet share over n replications."""
    base = load_scenario(SCENARIO)
    seeds = replication_seeds(base.seed, n)  # the seeds `acsasim replicate` would use
    found: dict[str, list[tuple[int, Summary]]] = {}
    for label, policy in POLICIES.items():
        found[label] = []
        for level in LEVELS:
            stock = f"holders.{HOLDER}.stock.{COMMODITY}"
            capacity = max(level, base.holder(HOLDER).stock[COMMODITY].capacity)
            scenario = load_scenario(
                SCENARIO,
                [f"{stock}.capacity={capacity:g}", f"{stock}.initial={level}",
                 f"policy.acsa={policy}"],
            )  # fmt: skip
            shares = [unmet_share(simulate(scenario, seed).flows) for seed in seeds]
            found[label].append((level, summarize(shares)))
    return found


def enough(levels: list[tuple[int, Summary]], cautious: bool = False) -> int | None:
    """The smallest level from which on the mean unmet share stays under the target; with
    `cautious`, the upper end of its 95% confidence interval does too."""
    answer = None
    for level, s in reversed(levels):
        value = s.ci95_high if cautious and s.ci95_high is not None else s.mean
        if value is None or value >= TARGET:
            break
        answer = level
    return answer


def build(out: Path, n: int) -> dict[str, str]:
    """The figure, the table and the answer for the manual's page."""
    found = study(n)
    fig = figure()
    ax = fig.add_subplot()
    for (label, levels), style in zip(found.items(), ("o-", "s--"), strict=True):
        xs = [lv / 1000 for lv, _ in levels]
        ax.plot(xs, [100 * s.mean for _, s in levels], style, label=label)
        high = [100 * (s.ci95_high if s.ci95_high is not None else s.mean) for _, s in levels]
        low = [100 * max(0.0, s.ci95_low if s.ci95_low is not None else s.mean) for _, s in levels]
        ax.fill_between(xs, low, high, alpha=0.2)
    ax.axhline(100 * TARGET, color="tab:red", linewidth=1, linestyle=":", label="1% limit")
    ax.set_xlabel("diesel on hand at landfall, thousand L")
    ax.set_ylabel("unmet diesel, % of demand")
    ax.set_title(f"JGSDF relief company: unmet diesel ({n} replications per point, 95% CI)")
    ax.legend()
    rows = []
    for i, level in enumerate(LEVELS):
        cells = [f"{level:,} L"]
        for label in POLICIES:
            s = found[label][i][1]
            high = "" if s.ci95_high is None else f" (up to {100 * s.ci95_high:.1f}%)"
            cells.append(f"{100 * s.mean:.2f}%{high}")
        rows.append(cells)
    answers = []
    for label, levels in found.items():
        level, safe = enough(levels), enough(levels, cautious=True)
        if level is None:
            answers.append(f"- **{label}**: even {LEVELS[-1]:,} L does not keep it under 1%.")
            continue
        caution = (
            f"{safe:,} L keeps the upper end of its 95% interval under 1% too"
            if safe is not None
            else f"the upper end of its interval stays above 1% up to {LEVELS[-1]:,} L"
        )
        answers.append(
            f"- **{label}**: {level:,} L on hand keeps the mean unmet share under 1%; {caution}."
        )
    return {
        "diesel-answer": "\n".join(answers),
        "diesel-chart": save(fig, out, "diesel-prepositioning"),
        "diesel-table": table(["initial diesel", *POLICIES], rows),
        "diesel-n": str(n),
    }


if __name__ == "__main__":
    main(build, default_n=20)
