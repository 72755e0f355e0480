"""When do ACSA balances go overdue, and how much is overdue at the worst?

The shipped scenario jp-ph-18-months.yaml: six quarterly drills and a typhoon season over
the first eighteen months of the Japan-Philippines agreement, with a 365-day deadline,
conversion to cash at the deadline and offsets 90 days later. For each replication the
statement of account JP-PH is taken on the first of every month (exactly what
`acsasim statement RUN --parties JP,PH --as-of DATE` prints), and its aging buckets give
what is overdue then, and for how long.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from common import SCENARIOS, figure, main, save, table

from acsasim import load_scenario, simulate
from acsasim.experiments.runner import replication_seeds
from acsasim.experiments.stats import Summary, summarize
from acsasim.ledger import Converter
from acsasim.ledger.statements import BUCKETS, statement
from acsasim.scenario import Scenario

SCENARIO = SCENARIOS / "jp-ph-18-months.yaml"
PARTIES = ("JP", "PH")
OVERDUE = BUCKETS[1:]  # every bucket but not_due


def month_starts(start: datetime, end: datetime) -> list[datetime]:
    """The first day of every month after `start`, up to `end`."""
    days, year, month = [], start.year, start.month
    while True:
        month += 1
        year, month = (year + 1, 1) if month > 12 else (year, month)
        day = datetime(year, month, 1)
        if day > end:
            return days
        days.append(day)


def overdue_by_month(scenario: Scenario, seed: int) -> list[tuple[datetime, dict[str, float]]]:
    """One run: on each month's first day, the overdue value per aging bucket (both ways)."""
    result = simulate(scenario, seed)
    conv = Converter(scenario.rates, scenario.reporting_currency)
    rows = []
    for day in month_starts(scenario.start, scenario.end):
        hours = (day - scenario.start).total_seconds() / 3600
        st = statement(result.transactions, result.orders, *PARTIES, hours, conv)
        by = dict.fromkeys(OVERDUE, 0.0)
        for aging in st.aging:
            for bucket, value in aging.buckets:
                if bucket in by:
                    by[bucket] += float(value)
        rows.append((day, by))
    return rows


def build(out: Path, n: int) -> dict[str, str]:
    """The aging chart of one run, and the first-overdue date and peak over n runs."""
    scenario = load_scenario(SCENARIO)
    seeds = replication_seeds(scenario.seed, n)
    runs = [overdue_by_month(scenario, seed) for seed in seeds]
    currency = scenario.reporting_currency
    first = runs[0]
    fig = figure(7.0, 3.2)
    ax = fig.add_subplot()
    days = [d for d, _ in first]
    bottom = [0.0] * len(days)
    for bucket in OVERDUE:
        heights = [by[bucket] / 1000 for _, by in first]
        label = bucket.replace("_", " ") + " days overdue"
        ax.bar(days, heights, width=24, bottom=bottom, label=label, align="edge")
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylim(0, 1.15 * max(bottom) or 1.0)
    ax.set_ylabel(f"overdue, thousand {currency}")
    ax.set_title(f"Overdue JP-PH balances on the first of each month (seed {seeds[0]})")
    ax.legend(loc="upper left", fontsize=8)
    fig.autofmt_xdate()
    totals = [[sum(by.values()) for _, by in run] for run in runs]
    peaks = summarize([max(t) for t in totals])
    ends = summarize([t[-1] for t in totals])
    firsts = [next((d for (d, _), v in zip(run, t, strict=True) if v > 0), None)
              for run, t in zip(runs, totals, strict=True)]  # fmt: skip
    went = sorted(d for d in firsts if d is not None)
    monthly = table(
        ["first of month", *OVERDUE, "total"],
        [
            [d.date().isoformat(), *(f"{by[b]:,.0f}" for b in OVERDUE), f"{sum(by.values()):,.0f}"]
            for d, by in first
            if sum(by.values()) > 0
        ],
    )
    when = (
        f"in {len(went)} of {n} runs; the earliest on the statement of "
        f"{went[0].date().isoformat()}, the latest on {went[-1].date().isoformat()}"
        if went
        else f"in none of the {n} runs"
    )
    return {
        "overdue-chart": save(fig, out, "overdue-balances"),
        "overdue-monthly": monthly,
        "overdue-answer": "\n".join(
            [
                f"- Balances first show as overdue {when}.",
                f"- Peak overdue value: mean {peaks.mean:,.0f} {currency}"
                + _ci(peaks, currency)
                + f", highest {peaks.max:,.0f} {currency}.",
                f"- Overdue at the end of the 18 months: mean {ends.mean:,.0f} {currency}"
                + _ci(ends, currency)
                + ".",
            ]
        ),
        "overdue-n": str(n),
    }


def _ci(s: Summary, currency: str) -> str:
    if s.ci95_low is None:
        return ""
    return f" (95% CI {max(0.0, s.ci95_low):,.0f} to {s.ci95_high:,.0f} {currency})"


if __name__ == "__main__":
    main(build, default_n=20)
