"""Field types of the scenario format: ids, durations, random values, money.

Each type carries its own parsing, its serialisation back to the file form (so a
resolved scenario dumps to YAML that loads to an equal Scenario) and its JSON
Schema (so editors can check files).

Every number is finite and bounded, so no value can overflow the engine's arithmetic or
the calendar: ids hold at most MAX_ID characters, plain numbers are at most MAX_NUMBER,
durations at most MAX_DURATION_HOURS (100 years), a distribution's coefficient of
variation at most MAX_CV. Tighter bounds per kind of value (quantities, prices, rates,
ceilings...) are cross-checks (bounds.py), so they are reported where the value is.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    WithJsonSchema,
)

from acsasim.scenario.quantities import (
    DIST_KINDS,
    DURATION_PATTERN,
    Dist,
    format_duration,
    parse_duration,
    parse_random,
)

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
_ID = re.compile(ID_PATTERN)
MAX_ID = 64  # characters: ids name files (statements) and accounts; 64 is plenty and safe
MAX_NUMBER = 1e12  # any plain number; bounds.py is tighter per kind of value
MAX_DURATION_HOURS = 100 * 365.25 * 24  # 100 years
MAX_CV = 10.0

# The ACSA categories (scenario-format.md), written once: the tuple is derived from the type.
Category = Literal[
    "food", "water", "billeting", "transportation", "fuel", "clothing", "communications",
    "medical", "base_support", "storage", "facilities", "training", "spare_parts",
    "repair_maintenance", "port_services", "ammunition", "weapons",
]  # fmt: skip
CATEGORIES: tuple[Category, ...] = get_args(Category)
#: A settlement method a file may name (R8): the vocabulary's methods but `gratis`, which
#: only an activity sets (tests/test_architecture.py holds the two lists together).
Method = Literal["replacement_in_kind", "equal_value_exchange", "cash"]
# Items ACSA may not transfer (DoD Directive 2010.09; 10 U.S.C. 2350(1) covers nonlethal
# items only; Japan's agreements exclude weapons), written once: the tuple from the type.
Restricted = Literal[
    "weapon", "weapon_system", "major_end_item", "initial_spares", "guided_missile",
    "naval_mine", "torpedo", "nuclear_ammunition", "bomb_guidance_kit", "chemical_munition",
]  # fmt: skip
RESTRICTED: tuple[Restricted, ...] = get_args(Restricted)


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not _ID.match(value):
        raise ValueError(
            f"invalid id {value!r}: an id starts with a letter and holds only letters, "
            "digits, '_' and '-'"
        )
    if isinstance(value, str) and len(value) > MAX_ID:
        raise ValueError(f"id {value[:20]!r}... has {len(value)} characters; at most {MAX_ID}")
    return value


Id = Annotated[
    str,
    BeforeValidator(_check_id),
    Field(pattern=ID_PATTERN, max_length=MAX_ID),
    # the pattern and the length, for editors too
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID}),
]
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
NonNegative = Annotated[float, Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, le=MAX_NUMBER, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


def Unit(unit: str) -> Any:  # a capital: it reads as part of a type, Annotated[float, Unit("L")]
    """The unit of a number whose type does not tell it (litres per day, reporting currency):
    carried into the JSON Schema as `x-unit` and into the manual's format reference."""
    return Field(json_schema_extra={"x-unit": unit})


_DURATION_SCHEMA = {"type": "string", "pattern": DURATION_PATTERN, "examples": ["6h", "3d"]}


def _bounded_duration(value: Any) -> float:
    hours = parse_duration(value)
    if hours > MAX_DURATION_HOURS:
        raise ValueError(f"{value!r} is longer than the longest duration, 100 years (36525d)")
    return hours


def _bounded_random(value: Any, duration: bool) -> Dist:
    dist = parse_random(value, duration=duration)
    top = MAX_DURATION_HOURS if duration else MAX_NUMBER
    values = dist.params[:1] if dist.kind == "lognormal" else dist.params
    if any(x > top for x in values):
        what = "100 years (36525d)" if duration else f"{MAX_NUMBER:g}"
        raise ValueError(f"a value of {value!r} is above the largest allowed, {what}")
    if dist.kind == "lognormal" and dist.params[1] > MAX_CV:
        raise ValueError(f"a lognormal cv of {dist.params[1]:g} is above {MAX_CV:g}")
    return dist


Duration = Annotated[
    float,
    PlainValidator(_bounded_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(_DURATION_SCHEMA),
]


def _dist_schema(item: dict[str, Any]) -> dict[str, Any]:
    def items(n: int, description: str) -> dict[str, Any]:
        return {"type": "array", "items": item, "minItems": n, "maxItems": n,
                "description": description}  # fmt: skip

    one = {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False}
    return {
        "anyOf": [
            item,
            {
                **one,
                "properties": {
                    "triangular": items(3, "[low, mode, high]: most often near mode."),
                    "uniform": items(2, "[low, high]: any value between, equally likely."),
                    "normal": items(2, "[mean, sd]: a normal draw; below 0 is drawn again."),
                    "lognormal": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["mean", "cv"],
                        "description": "{mean, cv}: skewed to the right, never below 0.",
                        "properties": {
                            "mean": {**item, "description": "The mean of the draws."},
                            "cv": {
                                "type": "number",
                                "minimum": 0,
                                "description": "Coefficient of variation: sd / mean.",
                            },
                        },
                    },
                    "exponential": {**item, "description": "The mean of the draws."},
                },
            },
        ],
        "description": "a fixed value or one of: " + ", ".join(DIST_KINDS),
    }


RandomDuration = Annotated[
    Dist,
    PlainValidator(lambda v: _bounded_random(v, duration=True)),
    PlainSerializer(lambda d: d.to_data()),
    WithJsonSchema(_dist_schema(_DURATION_SCHEMA)),
]
RandomNumber = Annotated[
    Dist,
    PlainValidator(lambda v: _bounded_random(v, duration=False)),
    PlainSerializer(lambda d: d.to_data()),
    WithJsonSchema(_dist_schema({"type": "number", "minimum": 0})),
]


def _to_naive_datetime(value: Any) -> Any:
    """Dates become midnight; aware times become naive UTC, so all arithmetic agrees."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


def _iso(value: datetime) -> str:
    return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()


Timestamp = Annotated[
    datetime,
    BeforeValidator(_to_naive_datetime),
    PlainSerializer(_iso, return_type=str),
    WithJsonSchema({"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}),
]


def _power_of_ten(value: float) -> float:
    for digits in range(MAX_DECIMALS + 1):
        if value == 10.0**-digits:
            return value
    raise ValueError(
        f"resolution {value!r} must be a power of ten from 1 down to 0.000001 (e.g. 1 or 0.001)"
    )


#: Units counted in whole items: their commodities move in whole units unless the file says
#: otherwise (a meal, a round or a rifle is never split).
COUNTED_UNITS = frozenset(
    {"each", "item", "piece", "unit", "meal", "ration", "round", "cartridge", "box", "case"}
    | {"carton", "pack", "pallet", "bottle", "can", "set", "kit", "vehicle", "person", "bed"}
)
#: Resolution of every other unit: thousandths (millilitres of a litre, grams of a kg).
DEFAULT_RESOLUTION = 0.001
#: Most decimals a commodity's quantities may carry (a resolution of 1e-6).
MAX_DECIMALS = 6
Resolution = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False), AfterValidator(_power_of_ten)]


def _shape(value: Any) -> str:
    # a mapping in a file, or the model it became (when the value is dumped back)
    return "mapping" if isinstance(value, dict | BaseModel) else "plain"


def PlainOrMapping(plain: Any, mapping: Any) -> Any:  # a capital: it reads as a type
    """A value given plainly (a list, a flag) or as a mapping (per category, per commodity):
    the file's shape picks the one to validate, so a mistake in one form is reported once,
    in its own words, not again as a failure of the other form."""
    return Annotated[
        Annotated[plain, Tag("plain")] | Annotated[mapping, Tag("mapping")],
        Discriminator(_shape),
    ]
