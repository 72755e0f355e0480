"""`acsasim schema` describes every key of the format, in the form a file writes it.

The descriptions are the models' attribute docstrings; the manual's format reference is
rendered from the same schema, so what an editor shows on hover and what the manual says
cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from acsasim.scenario.model import Model
from acsasim.scenario.schema import json_schema


def properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (path, schema) of a property anywhere in the schema, nested ones included."""
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            yield f"{path}/properties/{name}", sub
        for key, value in node.items():
            yield from properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from properties(value, f"{path}/{i}")


SCHEMA = json_schema()
PROPERTIES = list(properties(SCHEMA))


def test_the_schema_has_every_property_of_the_format() -> None:
    # 121 when this test was written; fewer would mean part of the format went missing.
    assert len(PROPERTIES) >= 121


def test_every_property_has_a_description() -> None:
    missing = [path for path, sub in PROPERTIES if not str(sub.get("description", "")).strip()]
    assert missing == []


def test_descriptions_are_one_line_sentences() -> None:
    for path, sub in PROPERTIES:
        text = sub["description"]
        assert "\n" not in text and "  " not in text, path
        assert text[0].isupper() or text[0] in "`[{", path


def test_every_model_and_field_is_described() -> None:
    """The models themselves carry the descriptions (Python users and the API reference)."""
    models = [Model, *_subclasses(Model)]
    for model in models[1:]:
        assert model.__doc__, model.__name__
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name}"


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


@pytest.mark.parametrize(
    ("path", "unit"),
    [
        ("/$defs/Stock/properties/reorder", "commodity unit"),
        ("/$defs/Ceilings/properties/value", "reporting currency"),
        ("/properties/prices", "provider's currency per commodity unit"),
        ("/$defs/Tax/properties/excise", "party's currency per commodity unit"),
    ],
)
def test_numbers_whose_type_does_not_tell_their_unit_carry_one(path: str, unit: str) -> None:
    assert dict(PROPERTIES)[path]["x-unit"] == unit


def test_defaults_are_written_as_a_file_writes_them() -> None:
    """A duration's default is '6h', never the 6.0 hours the model holds: every default
    passes its own property's schema, so an editor that fills one in writes a valid file."""
    defs = {"$defs": SCHEMA["$defs"]}
    checked = 0
    for _path, sub in PROPERTIES:
        if "default" in sub and sub["default"] is not None:
            jsonschema.Draft202012Validator({**sub, **defs}).validate(sub["default"])
            checked += 1
    assert checked > 20
    assert dict(PROPERTIES)["/properties/tick"]["default"] == "6h"
    invoice = dict(PROPERTIES)["/$defs/Settlement/properties/invoice_after"]
    assert invoice["default"] == "30d"
