"""Means, standard deviations, 95% confidence intervals, paired differences, and the
sequential precision rule.

Two interval methods, chosen by what the KPI can be (`output/kpi_labels.py`):
- `student_t`, the Student-t interval of the mean, for a KPI that may take either sign (a net
  balance; the paired differences of a comparison);
- `bootstrap_percentile`, for a KPI bounded below (a quantity, a count, money owed: never
  negative) or on both sides (a fill rate): the percentile interval of a seeded bootstrap of
  the mean (scipy.stats.bootstrap), expanded for small samples (Hesterberg 2015, "What
  teachers should know about the bootstrap": the percentiles are taken at the normal quantile
  sqrt(n/(n-1)) t(n-1), so at small n it is about as wide as Student's t). Resampled means lie
  between the smallest and the largest value, so the interval never leaves the KPI's bounds:
  unmet demand never gets a negative lower bound, nor a fill rate an upper bound above 100%.

Pure functions over lists of floats, so they are easy to test against a known mean and give
the same numbers whichever executor produced the values (sums use math.fsum over values in
replication order; the bootstrap has a fixed seed). scipy is imported on first use: it is
slow to import and `acsasim validate` must stay fast.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

CONFIDENCE = 0.95
STUDENT_T = "student_t"
BOOTSTRAP = "bootstrap_percentile"
BOOTSTRAP_RESAMPLES = 4999
BOOTSTRAP_SEED = 20260115  # fixed: the same values always give the same interval


@dataclass(frozen=True)
class Summary:
    """The statistics of one KPI over n replications; sd and CI are None when n < 2.
    `ci_method` says how the interval was computed (STUDENT_T or BOOTSTRAP)."""

    n: int
    mean: float | None
    sd: float | None
    ci95_low: float | None
    ci95_high: float | None
    min: float | None
    max: float | None
    ci_method: str = STUDENT_T

    @property
    def half_width(self) -> float | None:
        if self.ci95_low is None or self.ci95_high is None:
            return None
        return (self.ci95_high - self.ci95_low) / 2

    def as_dict(self) -> dict[str, float | int | str | None]:
        return asdict(self)


@lru_cache(maxsize=256)
def t_quantile(df: int, confidence: float = CONFIDENCE) -> float:
    """The two-sided Student-t quantile for `df` degrees of freedom."""
    from scipy.stats import t

    return float(t.ppf(0.5 + confidence / 2, df))


def summarize(values: Sequence[float], bounded: bool = False) -> Summary:
    """Mean, sample sd, 95% CI of the mean, min and max. `bounded`: the KPI cannot leave a
    range (e.g. never negative), so the interval is a bootstrap one that stays inside it."""
    n = len(values)
    method = BOOTSTRAP if bounded else STUDENT_T
    if n == 0:
        return Summary(0, None, None, None, None, None, None, method)
    mean = math.fsum(values) / n
    if n < 2:
        return Summary(1, mean, None, None, None, values[0], values[0], method)
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in values) / (n - 1))
    if bounded:
        low, high = bootstrap_interval(values, mean, sd)
    else:
        half = t_quantile(n - 1) * sd / math.sqrt(n)
        low, high = mean - half, mean + half
    return Summary(n, mean, sd, low, high, min(values), max(values), method)


@lru_cache(maxsize=256)
def expanded_confidence(n: int, confidence: float = CONFIDENCE) -> float:
    """The level at which the percentile interval of n values is about as wide as Student's t
    (Hesterberg's expansion): 2 Phi(sqrt(n/(n-1)) t(n-1)) - 1."""
    from scipy.stats import norm

    return float(2 * norm.cdf(math.sqrt(n / (n - 1)) * t_quantile(n - 1, confidence)) - 1)


def bootstrap_interval(values: Sequence[float], mean: float, sd: float) -> tuple[float, float]:
    """The expanded percentile bootstrap interval of the mean; a single repeated value is its
    own interval (every resample has the same mean)."""
    if sd == 0:
        return mean, mean
    import numpy as np
    from scipy.stats import bootstrap

    result = bootstrap(
        (np.asarray(values, dtype=float),),
        np.mean,
        n_resamples=BOOTSTRAP_RESAMPLES,
        confidence_level=expanded_confidence(len(values)),
        method="percentile",
        random_state=np.random.default_rng(BOOTSTRAP_SEED),
    )
    ci = result.confidence_interval
    # Resampled means cannot leave [min, max]; clip the last floating-point ulp of a sum.
    return max(float(ci.low), min(values)), min(float(ci.high), max(values))


def paired_differences(
    baseline: dict[int, float | None], variant: dict[int, float | None]
) -> list[float]:
    """variant - baseline per replication index, for the replications where both have a value.

    Both sides ran on the same seed for the same index (common random numbers), so the
    noise they share cancels and the CI of the differences is much narrower than the
    difference of two independent CIs.
    """
    return [
        v - b
        for i in sorted(baseline)
        if (b := baseline[i]) is not None and (v := variant.get(i)) is not None
    ]


def relative_half_width(summary: Summary) -> float | None:
    """CI half-width / |mean|: 0 when both are 0, inf when only the mean is 0, None if n < 2."""
    half = summary.half_width
    if half is None or summary.mean is None:
        return None
    if summary.mean == 0:
        return 0.0 if half == 0 else math.inf
    return half / abs(summary.mean)


def precise_enough(
    values: Sequence[float], precision: float, bounded: bool = False
) -> tuple[bool, float | None]:
    """Whether the CI half-width is within `precision` x |mean|; also the achieved ratio."""
    ratio = relative_half_width(summarize(values, bounded))
    return (ratio is not None and ratio <= precision), ratio


def next_n(n: int, ratio: float | None, precision: float, max_n: int) -> int:
    """How many replications to have after `n` that were not precise enough.

    The half-width shrinks like 1/sqrt(n), so n (ratio/precision)^2 is the usual estimate;
    it is taken at least 10% (and one) more, at most twice as many (an estimate from few
    replications is noisy), and never above max_n. It depends only on the values, never on
    the executor, so serial and parallel studies stop at the same n.
    """
    low = n + max(1, math.ceil(n / 10))
    if ratio is None or not math.isfinite(ratio):
        wanted = 2 * n
    else:
        wanted = math.ceil(n * (ratio / precision) ** 2)
    return min(max_n, max(low, min(2 * n, wanted)))
