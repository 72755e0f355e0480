"""JSON Schema of the scenario format, for editors and for checking files outside Python."""

from __future__ import annotations

from typing import Any

from acsasim.scenario.model import Scenario


def json_schema() -> dict[str, Any]:
    """The schema of a scenario file (what a user writes, so validation mode and aliases)."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    # An event's destroy_stock may be one mapping or a list; the model keeps a list.
    many = schema["$defs"]["Event"]["properties"]["destroy_stock"]
    item = many.pop("items")
    many.pop("type")
    many["anyOf"] = [item, {"type": "array", "items": item}]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "acsasim scenario, format version 1",
        **schema,
    }
