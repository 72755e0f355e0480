"""Durations with units and random distributions, as the scenario format writes them.

Durations are stored as float hours (R1: simulation time is hours from `start`).
A random value is a `Dist`; a fixed value is a `Dist` of kind ``fixed`` so the
engine samples every random quantity the same way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

HOURS_PER_UNIT = {"s": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0, "w": 168.0}
_DURATION = re.compile(r"^\s*(?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(?P<unit>s|min|h|d|w)\s*$")
DURATION_PATTERN = r"^\s*([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*(s|min|h|d|w)\s*$"
DIST_KINDS = ("triangular", "uniform", "normal", "lognormal", "exponential")


def parse_duration(value: Any) -> float:
    """'90min', '6h', '3d', '2w' -> hours. A bare number is refused: units are not guessed."""
    if isinstance(value, bool | int | float):
        raise ValueError(f"give a unit, e.g. {value:g}h or {value:g}d (a bare number is ambiguous)")
    if not isinstance(value, str):
        raise ValueError(f"expected a duration such as 6h or 3d, got {type(value).__name__}")
    match = _DURATION.match(value)
    if match is None:
        if value.strip().startswith("-"):
            raise ValueError(f"a duration cannot be negative: {value!r}")
        raise ValueError(f"not a duration: {value!r}; write a number and a unit (s, min, h, d, w)")
    hours = float(match["num"]) * HOURS_PER_UNIT[match["unit"]]
    if not math.isfinite(hours):
        raise ValueError(f"duration too large: {value!r}")
    return hours


def format_duration(hours: float) -> str:
    """Hours -> the largest unit that writes the value exactly ('3d', '90min'); the text
    parses back to the very same float. Zero is '0h' (any unit would do; hours read best)."""
    if hours == 0:
        return "0h"
    for unit in ("w", "d", "h", "min", "s"):
        count = hours / HOURS_PER_UNIT[unit]
        if abs(count) < 1e15 and count == int(count):
            text = f"{int(count)}{unit}"
            if parse_duration(text) == hours:
                return text
    return f"{Decimal(repr(hours)):f}h"  # positional: the pattern has no exponent


@dataclass(frozen=True, slots=True)
class Dist:
    """A random (or fixed) quantity. `params` are in hours for durations.

    kinds and params: fixed (v), triangular (low, mode, high), uniform (low, high),
    normal (mean, sd) truncated at 0, lognormal (mean, cv), exponential (mean).
    """

    kind: str
    params: tuple[float, ...]
    is_duration: bool = False

    @property
    def mean(self) -> float:
        """The nominal mean (ignoring the truncation of `normal` at 0)."""
        p = self.params
        if self.kind == "triangular":
            return sum(p) / 3
        if self.kind == "uniform":
            return (p[0] + p[1]) / 2
        return p[0]

    def sample(self, rng: Any) -> float:
        """One draw from `rng` (a numpy Generator); a fixed value draws nothing."""
        if self.kind == "normal":
            return _truncated_normal(rng, *self.params)
        draws = self.draws(rng, 1)
        return self.mean if draws is None else float(draws[0])

    def draws(self, rng: Any, n: int) -> Any:
        """The next `n` draws from `rng` as an array, the very values `n` calls of `sample`
        would give (numpy draws each value from the stream in turn, alone or in a batch); None
        for a value that draws nothing: it is always its mean. For `normal`, raw draws before
        the truncation at 0."""
        p = self.params
        constant = self.kind == "fixed" or (self.kind == "triangular" and p[0] == p[2])
        if constant or (self.kind == "lognormal" and p[1] <= 0):
            return None
        if self.kind == "triangular":
            return rng.triangular(*p, n)
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], n)
        if self.kind == "exponential":
            return rng.exponential(p[0], n)
        if self.kind == "lognormal":
            sigma2 = math.log1p(p[1] * p[1])
            return p[0] * rng.lognormal(-sigma2 / 2, math.sqrt(sigma2), n)
        return rng.normal(p[0], p[1], n)

    def to_data(self) -> Any:
        """The scenario-file form of this value (inverse of `parse_random`)."""
        fmt = format_duration if self.is_duration else _format_number
        if self.kind == "fixed":
            return fmt(self.params[0])
        if self.kind == "lognormal":
            return {"lognormal": {"mean": fmt(self.params[0]), "cv": self.params[1]}}
        if self.kind == "exponential":
            return {"exponential": fmt(self.params[0])}
        return {self.kind: [fmt(x) for x in self.params]}


def _truncated_normal(rng: Any, mean: float, sd: float) -> float:
    # Truncation by rejection keeps the shape above 0; the cap avoids an endless
    # loop for a mean far below zero, where 0 is the honest answer.
    for _ in range(100):
        x = float(rng.normal(mean, sd))
        if x >= 0:
            return x
    return 0.0


def _format_number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return float(value)


def parse_random(value: Any, *, duration: bool) -> Dist:
    """A fixed value or a one-key distribution mapping -> Dist, with sanity checks."""
    item = parse_duration if duration else _number
    if isinstance(value, Dist):
        return value
    if not isinstance(value, dict):
        x = item(value)
        _non_negative(x)
        return Dist("fixed", (x,), duration)
    if len(value) != 1:
        kinds = ", ".join(DIST_KINDS)
        raise ValueError(f"a distribution is a mapping with one key, one of: {kinds}")
    ((kind, args),) = value.items()
    if kind not in DIST_KINDS:
        raise ValueError(f"unknown distribution {kind!r}; use one of: {', '.join(DIST_KINDS)}")
    params = _dist_params(kind, args, item)
    _check_dist(kind, params)
    return Dist(kind, params, duration)


def _dist_params(kind: str, args: Any, item: Any) -> tuple[float, ...]:
    arity = {"triangular": 3, "uniform": 2, "normal": 2}
    if kind in arity:
        if not isinstance(args, list) or len(args) != arity[kind]:
            shape = {"triangular": "[low, mode, high]", "uniform": "[low, high]"}
            raise ValueError(f"{kind} takes {shape.get(kind, '[mean, sd]')}")
        return tuple(item(a) for a in args)
    if kind == "exponential":
        return (item(args),)
    if not isinstance(args, dict) or set(args) != {"mean", "cv"}:
        raise ValueError("lognormal takes {mean: m, cv: c}")
    return (item(args["mean"]), _number(args["cv"]))


def _check_dist(kind: str, p: tuple[float, ...]) -> None:
    for x in p:
        _non_negative(x)
    if kind == "triangular" and not p[0] <= p[1] <= p[2]:
        raise ValueError("triangular needs low <= mode <= high")
    if kind == "uniform" and not p[0] <= p[1]:
        raise ValueError("uniform needs low <= high")
    if kind == "exponential" and p[0] <= 0:
        raise ValueError("exponential needs a mean above 0")


def _non_negative(x: float) -> None:
    if x < 0:
        raise ValueError(f"cannot be negative: {x:g}")
