"""The study's answer as plain text for the terminal: a KPI table, and for a comparison
the headline sentences ("with the agreement, unmet diesel falls by X L (95% CI a..b)").

Only headline KPIs are shown (table.HEADLINE); summary.json has every one.
"""

from __future__ import annotations

from collections.abc import Callable

from acsasim.experiments.results import StudyResult, definition
from acsasim.experiments.stats import Summary
from acsasim.experiments.table import headline
from acsasim.output.kpi_labels import KpiInfo, describe, heading, number
from acsasim.output.kpi_labels import plain as num


def info_of(result: StudyResult) -> Callable[[str], KpiInfo]:
    """column -> its label and unit (kpi_labels), in the study's currency and units."""
    s = result.points[0].scenario
    units = {c: m.unit for c, m in s.commodities.items()}
    return lambda column: describe(column, s.reporting_currency, units)


def ci(s: Summary, info: KpiInfo | None = None) -> str:
    if s.ci95_low is None:
        return "-"
    if info is None:
        return f"{num(s.ci95_low)}..{num(s.ci95_high)}"
    return f"{number(s.ci95_low, info)}..{number(s.ci95_high, info)}"


def _align(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]


def kpi_table(result: StudyResult, point: int = 0) -> list[str]:
    """KPI (unit) | mean | sd | 95% CI | min | max | n, for one grid point."""
    rows = [["KPI", "mean", "sd", "95% CI", "min", "max", "n"]]
    info = info_of(result)
    for c in _shown(result):
        s, i = result.stats[point][c], info(c)
        rows.append([heading(i), *(number(x, i) for x in (s.mean, s.sd)), ci(s, i),
                     number(s.min, i), number(s.max, i), str(s.n)])  # fmt: skip
    return _align(rows)


def _shown(result: StudyResult) -> list[str]:
    """The headline KPIs, and the one --precision watched."""
    shown = headline(result.columns)
    kpi = result.spec.kpi
    return [*shown, kpi] if kpi in result.columns and kpi not in shown else shown


def sweep_table(result: StudyResult) -> list[str]:
    """One block per grid point: its parameters, then its KPI table."""
    out: list[str] = []
    for i, point in enumerate(result.points):
        params = ", ".join(f"{k}={v}" for k, v in point.key.items() if k != "point")
        out += [f"point {i}: {params}", *("  " + line for line in kpi_table(result, i)), ""]
    return out[:-1]


def compare_table(result: StudyResult) -> list[str]:
    diffs = result.differences()
    rows = [["KPI", "baseline", "variant", "difference", "95% CI of difference"]]
    info = info_of(result)
    for c in _shown(result):
        b, v, d, i = result.stats[0][c], result.stats[1][c], diffs[c], info(c)
        rows.append([heading(i), number(b.mean, i), number(v.mean, i), _signed(d.mean, i),
                     ci(d, i)])  # fmt: skip
    return [
        f"baseline: {definition(result.spec, 0)}",
        f"variant:  {result.spec.variant}",
        "difference = variant - baseline, paired on the same seeds",
        *_align(rows),
    ]


def _signed(x: float | None, info: KpiInfo | None = None) -> str:
    if x is None:
        return "-"
    return ("+" if x > 0 else "") + (num(x) if info is None else number(x, info))


def headlines(result: StudyResult) -> list[str]:
    """The answer in words. With --no-acsa the baseline is the world with the agreement and
    the variant the world without, so what the agreement saves is variant - baseline."""
    scenario = result.points[0].scenario
    diffs = result.differences()
    with_acsa = result.spec.variant == "--no-acsa"
    out = []
    for c in (c for c in result.columns if c.startswith("unmet_demand.")):
        commodity = c.split(".", 1)[1]
        unit = scenario.commodities[commodity].unit if commodity in scenario.commodities else ""
        d = diffs[c]
        if d.mean is None:
            continue
        if with_acsa:
            out.append(_saving(f"unmet {commodity}", d, unit))
        else:
            out.append(f"variant - baseline: unmet {commodity} {_signed(d.mean)} {unit} ({_ci(d)})")
    out += _overdue(result, scenario.reporting_currency, with_acsa)
    return out


def _saving(what: str, d: Summary, unit: str) -> str:
    """'with the agreement, X falls by ...' from d = without - with, per replication."""
    assert d.mean is not None
    if d.mean == 0 and not d.sd:
        return f"with the agreement, {what} is unchanged (the same in every replication)"
    if d.mean > 0:
        line = f"with the agreement, {what} falls by {num(d.mean)} {unit} ({_ci(d)})"
    else:
        up = _negated(d)
        line = f"with the agreement, {what} rises by {num(up.mean)} {unit} ({_ci(up)})"
    return line + _unclear(d)


def _unclear(d: Summary) -> str:
    """A mean difference whose interval includes zero is no evidence of a difference: said so,
    lest a reader take the direction of the mean for a finding."""
    if d.ci95_low is None or d.ci95_high is None or not d.ci95_low <= 0 <= d.ci95_high:
        return ""
    return "; the interval includes zero: no clear difference"


def _negated(s: Summary) -> Summary:
    """The statistics of -x."""

    def flip(x: float | None) -> float | None:
        return None if x is None else -x

    return Summary(
        s.n,
        flip(s.mean),
        s.sd,
        flip(s.ci95_high),
        flip(s.ci95_low),
        flip(s.max),
        flip(s.min),
        s.ci_method,
    )


def _ci(s: Summary) -> str:
    return "95% CI -" if s.ci95_low is None else f"95% CI {num(s.ci95_low)}..{num(s.ci95_high)}"


def _overdue(result: StudyResult, currency: str, with_acsa: bool) -> list[str]:
    columns = [c for c in result.columns if c.startswith("overdue_end.")]
    who = "with the agreement" if with_acsa else "in the baseline"
    if not columns:
        return [f"overdue value at the end ({who}): none in any replication"]
    out = []
    for c in columns:
        s = result.stats[0][c]
        owes = describe(c).label.removeprefix("overdue at the end, ")
        out.append(f"overdue value at the end ({who}), {owes}: {num(s.mean)} {currency} ({_ci(s)})")
    return out


def study_lines(result: StudyResult) -> list[str]:
    """Everything printed after the folder path."""
    command = result.spec.command
    if command == "compare":
        body = [*headlines(result), "", *compare_table(result)]
    elif command == "sweep":
        body = sweep_table(result)
    else:
        body = kpi_table(result)
    return [*body, "", result.stopping.message(result.spec)]
