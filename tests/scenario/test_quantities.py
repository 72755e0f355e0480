"""Durations with units and random values: parsing, and writing them back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.scenario.quantities import Dist, format_duration, parse_duration, parse_random


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("3600s", 1.0),
        ("90min", 1.5),
        ("6h", 6.0),
        ("3d", 72.0),
        ("2w", 336.0),
        ("1.5h", 1.5),
        (".5d", 12.0),
        ("0d", 0.0),
        (" 4 h ", 4.0),
    ],
)
def test_durations_in_each_unit(text: str, hours: float) -> None:
    assert parse_duration(text) == hours


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (6, "give a unit, e.g. 6h or 6d"),
        (1.5, "give a unit"),
        (True, "give a unit"),
        ("-3d", "cannot be negative"),
        ("3 days", "not a duration"),
        ("3D", "not a duration"),
        ("1e3h", "not a duration"),
        ("h", "not a duration"),
        (None, "expected a duration"),
        ("9" * 400 + "h", "too large"),
    ],
)
def test_bad_durations(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_duration(value)


@pytest.mark.parametrize(
    ("hours", "text"),
    [(336.0, "2w"), (72.0, "3d"), (6.0, "6h"), (1.5, "90min"), (1 / 3600, "1s"), (0.0, "0h")],
)
def test_durations_are_written_in_the_largest_exact_unit(hours: float, text: str) -> None:
    assert format_duration(hours) == text


@given(st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False))
def test_a_written_duration_reads_back_to_the_same_float(hours: float) -> None:
    text = format_duration(hours)
    assert parse_duration(text) == hours, text


@pytest.mark.parametrize(
    "data",
    [
        "6h",
        {"triangular": ["1h", "2h", "4h"]},
        {"uniform": ["1d", "2d"]},
        {"normal": ["5d", "1d"]},
        {"lognormal": {"mean": "5d", "cv": 0.3}},
        {"exponential": "30d"},
    ],
)
def test_a_distribution_writes_back_as_it_was_given(data: object) -> None:
    dist = parse_random(data, duration=True)
    assert dist.to_data() == data
    assert parse_random(dist.to_data(), duration=True) == dist


def test_numbers_as_distributions() -> None:
    assert parse_random(5, duration=False) == Dist("fixed", (5.0,))
    assert parse_random({"uniform": [1, 2.5]}, duration=False).to_data() == {"uniform": [1, 2.5]}
    with pytest.raises(ValueError, match="expected a number"):
        parse_random({"uniform": [1, "2"]}, duration=False)
    with pytest.raises(ValueError, match="finite"):
        parse_random(float("inf"), duration=False)


def test_means() -> None:
    assert parse_random({"triangular": ["1h", "2h", "6h"]}, duration=True).mean == 3
    assert parse_random({"uniform": ["1h", "3h"]}, duration=True).mean == 2
    assert parse_random({"lognormal": {"mean": "4h", "cv": 1}}, duration=True).mean == 4
