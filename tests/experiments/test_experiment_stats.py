"""stats.py against textbook values, and the 95% CI against a KPI whose mean is known."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from acsasim.experiments import replicate
from acsasim.experiments.stats import (
    BOOTSTRAP,
    STUDENT_T,
    expanded_confidence,
    next_n,
    paired_differences,
    precise_enough,
    relative_half_width,
    summarize,
)
from acsasim.scenario import load_text
from conftest import KNOWN_MEAN, KNOWN_MEAN_UNMET


def test_summary_matches_numpy_and_scipy() -> None:
    values = [3.1, 4.7, 2.2, 5.9, 4.4, 3.3]
    s = summarize(values)
    assert s.n == 6
    assert s.mean == pytest.approx(np.mean(values))
    assert s.sd == pytest.approx(np.std(values, ddof=1))
    low, high = scipy_stats.t.interval(0.95, 5, loc=np.mean(values), scale=scipy_stats.sem(values))
    assert (s.ci95_low, s.ci95_high) == (pytest.approx(low), pytest.approx(high))
    assert (s.min, s.max) == (2.2, 5.9)


def test_student_t_not_normal_for_small_n() -> None:
    s = summarize([0.0, 1.0])
    # t(0.975, 1) = 12.706: two replications give a very wide interval, as they should.
    assert s.half_width == pytest.approx(12.706 * math.sqrt(0.5) / math.sqrt(2), rel=1e-4)


def test_fewer_than_two_values_have_no_interval() -> None:
    assert summarize([]).mean is None
    one = summarize([7.0])
    assert (one.n, one.mean, one.sd, one.ci95_low, one.min) == (1, 7.0, None, None, 7.0)


def test_paired_differences_are_variant_minus_baseline_by_replication() -> None:
    baseline = {0: 10.0, 1: 20.0, 2: None, 3: 5.0}
    variant = {3: 4.0, 0: 13.0, 1: 21.0, 2: 8.0}
    assert paired_differences(baseline, variant) == [3.0, 1.0, -1.0]


def test_relative_half_width_edge_cases() -> None:
    assert relative_half_width(summarize([0.0, 0.0, 0.0])) == 0.0
    assert relative_half_width(summarize([-1.0, 1.0])) == math.inf
    assert relative_half_width(summarize([5.0])) is None


def test_precise_enough_compares_half_width_to_the_mean() -> None:
    values = [100.0, 101.0, 99.0, 100.5, 99.5]
    ok, ratio = precise_enough(values, 0.05)
    assert ok and ratio == pytest.approx(summarize(values).half_width / 100.0)
    assert not precise_enough(values, ratio / 2)[0]


@pytest.mark.parametrize(
    ("n", "ratio", "precision", "max_n", "expected"),
    [
        (10, 0.10, 0.05, 1000, 40 // 2),  # wants 40, at most doubles
        (10, 0.06, 0.05, 1000, 15),  # wants ceil(10 * 1.44) = 15
        (10, 0.051, 0.05, 1000, 11),  # at least 10% more
        (100, 0.051, 0.05, 1000, 110),
        (10, None, 0.05, 1000, 20),
        (10, math.inf, 0.05, 1000, 20),
        (10, 0.5, 0.05, 12, 12),  # never above max_n
    ],
)
def test_next_n(n: int, ratio: float | None, precision: float, max_n: int, expected: int) -> None:
    assert next_n(n, ratio, precision, max_n) == expected


def test_confidence_interval_covers_a_known_mean_about_95_percent_of_the_time() -> None:
    """200 independent studies of 10 replications each (base seeds 0..199), each through the
    real pipeline (seeds, engine, KPIs, flattening, stats): the fraction of 95% CIs that
    cover the exact expectation of unmet diesel must be about 0.95."""
    scenario = load_text(KNOWN_MEAN)
    covered, means = 0, []
    for base in range(200):
        s = replicate(scenario, 10, seed=base).stats[0]["unmet_demand.diesel"]
        assert s.n == 10
        covered += s.ci95_low <= KNOWN_MEAN_UNMET <= s.ci95_high
        means.append(s.mean)
    assert 0.90 <= covered / 200 <= 0.99, covered / 200
    # And the studies are unbiased: their grand mean is within 1% of the truth.
    assert np.mean(means) == pytest.approx(KNOWN_MEAN_UNMET, rel=0.01)


# --- bounded KPIs: the bootstrap interval ----------------------------------------------------


def test_a_kpi_that_cannot_be_negative_never_gets_a_negative_bound() -> None:
    """Unmet demand in 10 replications, zero in 8: Student t reaches below zero, the
    bootstrap stays within what the KPI can be."""
    values = [0.0] * 8 + [400.0, 900.0]
    t = summarize(values)
    assert t.ci_method == STUDENT_T and t.ci95_low < 0
    b = summarize(values, bounded=True)
    assert b.ci_method == BOOTSTRAP
    assert 0 <= b.ci95_low < b.mean < b.ci95_high <= 900
    assert (b.mean, b.sd, b.min, b.max) == (t.mean, t.sd, t.min, t.max)


def test_a_rate_never_gets_an_upper_bound_above_one() -> None:
    values = [1.0] * 9 + [0.7]
    assert summarize(values).ci95_high > 1
    b = summarize(values, bounded=True)
    assert b.ci95_high <= 1.0 and b.ci95_low < b.mean


def test_the_bootstrap_is_the_expanded_percentile_interval_of_scipy_and_reproducible() -> None:
    values = [3.1, 4.7, 2.2, 5.9, 4.4, 3.3, 0.4, 7.5]
    got = summarize(values, bounded=True)
    expected = scipy_stats.bootstrap(
        (np.array(values),), np.mean, n_resamples=4999, method="percentile",
        confidence_level=expanded_confidence(8), random_state=np.random.default_rng(20260115),
    ).confidence_interval  # fmt: skip
    assert (got.ci95_low, got.ci95_high) == (
        pytest.approx(expected.low),
        pytest.approx(expected.high),
    )
    assert summarize(values, bounded=True) == got  # seeded: the same values, the same interval


def test_the_expansion_makes_small_samples_about_as_wide_as_student_t() -> None:
    """Hesterberg's expansion: at n = 10 the level is ~98.3%, not 95% (plain percentile
    intervals are too narrow for small n); on symmetric data both intervals then agree."""
    assert expanded_confidence(10) == pytest.approx(0.9829, abs=5e-4)
    assert expanded_confidence(1000) == pytest.approx(0.95, abs=1e-3)
    values = [float(x) for x in np.random.default_rng(3).normal(100, 10, 30)]
    t, b = summarize(values), summarize(values, bounded=True)
    assert b.half_width == pytest.approx(t.half_width, rel=0.15)


def test_one_repeated_value_is_its_own_interval() -> None:
    b = summarize([5.0, 5.0, 5.0], bounded=True)
    assert (b.ci95_low, b.ci95_high, b.sd) == (5.0, 5.0, 0.0)


def test_a_saving_whose_interval_includes_zero_is_called_no_clear_difference() -> None:
    """compare's headline: the sign of the mean is not a finding when the CI spans zero."""
    from acsasim.experiments.lines import _saving
    from acsasim.experiments.stats import Summary

    clear = Summary(10, 5.0, 1.0, 4.0, 6.0, 3.0, 7.0)
    unclear = Summary(10, 5.0, 9.0, -1.0, 11.0, -8.0, 20.0)
    worse = Summary(10, -5.0, 9.0, -11.0, 1.0, -20.0, 8.0)
    assert _saving("unmet diesel", clear, "L") == (
        "with the agreement, unmet diesel falls by 5.00 L (95% CI 4.00..6.00)"
    )
    assert _saving("unmet diesel", unclear, "L").endswith(
        "(95% CI -1.00..11.00); the interval includes zero: no clear difference"
    )
    line = _saving("unmet diesel", worse, "L")
    assert line.startswith("with the agreement, unmet diesel rises by 5.00 L (95% CI -1.00..11.00)")
    assert line.endswith("no clear difference")
