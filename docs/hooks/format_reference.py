"""The scenario format reference, rendered from `acsasim schema` (one source: the models).

Every key of the format gets its type, unit, default, allowed values, an example and its
description. The description and unit come from the models (through the JSON Schema, as an
editor sees them); the examples are the first value found for that key in the shipped
scenarios, so each is a value the loader accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from acsasim.scenario.quantities import DURATION_PATTERN
from acsasim.scenario.schema import json_schema
from acsasim.scenario.types import ID_PATTERN

MAX_EXAMPLE = 70  # characters: a longer example is a block the sections below show
Section = tuple[str, str, dict[str, Any]]  # (def name, path where it first appears, schema)


def render(scenario_files: list[Path]) -> str:
    """The reference as Markdown: one section per part of the format, in reading order."""
    schema = json_schema()
    defs = schema["$defs"]
    sections = list(_sections(schema, defs))
    examples: dict[tuple[str, str], Any] = {}
    for path in scenario_files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        _collect(schema, data, "Scenario", defs, examples)
    names = {name for name, _, _ in sections}
    paths = [where for _, where, _ in sections]
    out: list[str] = []
    for name, where, node in sections:
        shared = paths.count(where) > 1  # a timeline item is a phase or an event
        out += _section(name, where, node, names, examples, shared)
    return "\n".join(out) + "\n"


def _sections(schema: dict[str, Any], defs: dict[str, Any]) -> Iterator[Section]:
    """Scenario first, then each model where it first appears, depth first."""
    seen: set[str] = set()

    def visit(name: str, where: str, node: dict[str, Any]) -> Iterator[Section]:
        if name in seen:
            return
        seen.add(name)
        yield name, where, node
        for key, prop in node.get("properties", {}).items():
            for ref, suffix in _refs(prop):
                yield from visit(ref, f"{where}.{key}{suffix}".lstrip("."), defs[ref])

    yield from visit("Scenario", "", schema)


def _refs(prop: dict[str, Any], suffix: str = "") -> Iterator[tuple[str, str]]:
    """The models a property holds, with how to reach them: `.<id>` in a map, `[]` in a list."""
    if "$ref" in prop:
        yield prop["$ref"].rsplit("/", 1)[1], suffix
    for alt in prop.get("anyOf", []) + prop.get("oneOf", []):
        yield from _refs(alt, suffix)
    if isinstance(prop.get("items"), dict):
        yield from _refs(prop["items"], suffix + "[]")
    values = _map_values(prop)
    if values is not None:
        yield from _refs(values[1], suffix + ".<id>")


def _map_values(prop: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """A mapping's (key kind, schema of its values), or None if `prop` is not a mapping."""
    if isinstance(prop.get("additionalProperties"), dict):
        return "key", prop["additionalProperties"]
    patterns = prop.get("patternProperties") or {}
    if len(patterns) == 1:
        ((pattern, values),) = patterns.items()
        keys = {ID_PATTERN: "id", "^[A-Z]{3}$": "currency code"}
        return keys.get(pattern, "key"), values
    return None


def _section(
    name: str, where: str, node: dict[str, Any], names: set[str], examples: dict, shared: bool
) -> list[str]:
    title = "Top level" if name == "Scenario" else f"`{where}`" + (f" ({name})" if shared else "")
    out = [f"## {title} {{#{name.lower()}}}", "", _sentence(node.get("description", "")), ""]
    required = set(node.get("required", []))
    out += ["| Key | Type | Unit | Default | Description |", "|---|---|---|---|---|"]
    for key, prop in node.get("properties", {}).items():
        default = "*required*" if key in required else _default(prop)
        text = _sentence(prop.get("description", ""))
        allowed = _allowed(prop)
        if allowed:
            text += f" Allowed: {allowed}."
        example = _example(examples.get((name, key)))
        if example:
            text += f" Example: `{example}`."
        cells = [f"`{key}`", _type(prop, names), _unit(prop), default, text]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return [*out, ""]


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if not text or text.endswith((".", ")")) else text + "."


def _type(prop: dict[str, Any], names: set[str]) -> str:
    """A reader's name for a property's type, models linked to their sections."""
    if "$ref" in prop:
        ref = prop["$ref"].rsplit("/", 1)[1]
        return f"[{ref}](#{ref.lower()})" if ref in names else ref
    alts = prop.get("anyOf") or prop.get("oneOf")
    if alts and _is_random(prop):
        return f"{_type(alts[0], names)}, fixed or [random](#random-values)"
    if alts and any("type" in a or "$ref" in a or "const" in a for a in alts):
        kinds = [_type(a, names) for a in alts if a.get("type") != "null"]
        optional = any(a.get("type") == "null" for a in alts)
        return " or ".join(dict.fromkeys(kinds)) + (" (optional)" if optional else "")
    if "const" in prop:
        return f"`{prop['const']}`"
    if "enum" in prop:
        return "one of the allowed values"
    if prop.get("type") == "array" and "enum" in prop.get("items", {}):
        return "list of allowed values"
    kind = prop.get("type")
    if kind == "array":
        if "prefixItems" in prop:
            kinds = {_type(i, names) for i in prop["prefixItems"]}
            return f"two {_plural(kinds.pop())}" if len(kinds) == 1 else "pair"
        return f"list of {_plural(_type(prop.get('items', {}), names))}"
    if kind == "object":
        values = _map_values(prop)
        if values is None:
            return "mapping"
        return f"map: {values[0]} → {_type(values[1], names)}"
    return _scalar(prop)


def _scalar(prop: dict[str, Any]) -> str:
    kind = prop.get("type")
    if kind == "string":
        pattern = prop.get("pattern")
        if pattern == DURATION_PATTERN:
            return "duration"
        if pattern == ID_PATTERN:
            return "id"
        if pattern == "^[A-Z]{3}$":
            return "currency code"
        if any(a.get("format") in ("date", "date-time") for a in prop.get("anyOf", [])):
            return "date or date-time"
        return "text"
    if kind in ("number", "integer"):
        word = "number" if kind == "number" else "whole number"
        low, high = prop.get("minimum"), prop.get("maximum")
        if prop.get("exclusiveMinimum") is not None:
            return f"{word} > {prop['exclusiveMinimum']:g}"
        if low is not None and high is not None:
            return f"{word} from {low:g} to {high:g}"
        return f"{word} ≥ {low:g}" if low is not None else word
    if kind == "boolean":
        return "true or false"
    if "anyOf" in prop:
        return "date or date-time"
    return kind or "value"


def _plural(text: str) -> str:
    if text.startswith("two "):
        return f"pairs of {text[4:]}"
    return text if text.startswith(("[", "list", "map")) else f"{text}s"


def _is_random(prop: dict[str, Any]) -> bool:
    """A value that may be fixed or drawn from a distribution (see types._dist_schema)."""
    return any("triangular" in a.get("properties", {}) for a in prop.get("anyOf", []))


def _unit(prop: dict[str, Any]) -> str:
    if "x-unit" in prop:
        return prop["x-unit"]
    if _mentions_duration(prop):
        return "s, min, h, d or w"
    return "—"


def _mentions_duration(prop: dict[str, Any]) -> bool:
    if prop.get("pattern") == DURATION_PATTERN:
        return True
    return any(_mentions_duration(a) for a in prop.get("anyOf", []) if isinstance(a, dict))


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop:
        return "see description"
    value = prop["default"]
    if value is None:
        return "none"
    if value in ({}, [], ""):
        return "empty"
    if "$ref" in prop and isinstance(value, dict):
        return "its keys' defaults"
    return f"`{_flow(value)}`"


def _allowed(prop: dict[str, Any]) -> str:
    for node in [prop, prop.get("items", {}), *prop.get("anyOf", [])]:
        if isinstance(node, dict) and "enum" in node:
            return ", ".join(f"`{v}`" for v in node["enum"])
        items = node.get("items") if isinstance(node, dict) else None
        if isinstance(items, dict) and "enum" in items:
            return ", ".join(f"`{v}`" for v in items["enum"])
    return ""


def _example(value: Any) -> str:
    if value is None:
        return ""
    text = _flow(value)
    return text if len(text) <= MAX_EXAMPLE else ""


def _flow(value: Any) -> str:
    """A value as one line of YAML, as a scenario file would write it inline."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000, sort_keys=False)
    return text.strip().removesuffix("...").strip()


def _collect(node: dict, data: Any, owner: str, defs: dict, found: dict) -> None:
    """Walk a scenario's data along the schema; keep the first value of each (model, key)."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        prop = node.get("properties", {}).get(key)
        if prop is None:
            continue
        found.setdefault((owner, key), value)
        _descend(prop, value, defs, found)


def _descend(prop: dict, value: Any, defs: dict, found: dict) -> None:
    if "$ref" in prop:
        ref = prop["$ref"].rsplit("/", 1)[1]
        _collect(defs[ref], value, ref, defs, found)
    alts = [a for a in prop.get("anyOf", []) + prop.get("oneOf", []) if "$ref" in a]
    if alts and isinstance(value, dict):
        for alt in alts:  # the model whose keys the value uses (a phase or an event)
            ref = alt["$ref"].rsplit("/", 1)[1]
            if set(value) <= set(defs[ref].get("properties", {})):
                _collect(defs[ref], value, ref, defs, found)
                break
    for alt in prop.get("anyOf", []):
        if "$ref" not in alt and alt.get("type") in ("array", "object"):
            _descend(alt, value, defs, found)
    if isinstance(value, list) and isinstance(prop.get("items"), dict):
        for item in value:
            _descend(prop["items"], item, defs, found)
    values = _map_values(prop)
    if isinstance(value, dict) and values is not None:
        for item in value.values():
            _descend(values[1], item, defs, found)
