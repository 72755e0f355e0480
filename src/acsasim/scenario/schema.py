"""JSON Schema of the scenario format, for editors and for checking files outside Python.

It carries every field's description (the attribute docstrings of `model.py`, on one line
each), its unit where the type does not tell it (`x-unit`), and defaults written as a file
writes them (`6h`, not the 6.0 hours the models hold). The manual's format reference is
rendered from this schema, so editors, `acsasim schema` and the manual say the same.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema, to_jsonable_python

from acsasim.scenario.model import Scenario


class _FileForm(GenerateJsonSchema):
    """Defaults in the file's form: a field with its own serializer (durations, random
    values) shows its default as that serializer writes it."""

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        serializer = schema["schema"].get("serialization") or {}
        default = schema.get("default")
        plain = serializer.get("type") == "function-plain"
        if "default" in json_schema and plain and default is not None:
            json_schema["default"] = to_jsonable_python(serializer["function"](default))
        return json_schema


def json_schema() -> dict[str, Any]:
    """The schema of a scenario file (what a user writes, so validation mode and aliases)."""
    schema = Scenario.model_json_schema(
        by_alias=True, mode="validation", schema_generator=_FileForm
    )
    # An event's destroy_stock may be one mapping or a list; the model keeps a list.
    many = schema["$defs"]["Event"]["properties"]["destroy_stock"]
    item = many.pop("items")
    many.pop("type")
    many["anyOf"] = [item, {"type": "array", "items": item}]
    _one_line_descriptions(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "acsasim scenario, format version 1",
        **schema,
    }


def _one_line_descriptions(node: Any) -> None:
    """Docstrings wrap at the source's line length; an editor's tooltip should not."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = re.sub(r"\s+", " ", value).strip()
            else:
                _one_line_descriptions(value)
    elif isinstance(node, list):
        for value in node:
            _one_line_descriptions(value)
