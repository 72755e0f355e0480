"""The parameter form of a scenario, generated from the scenario schema (`acsasim schema`)
and the scenario's own values, and the form's answers turned back into `--set` overrides.

Each field is one value of the scenario at an override path (`holders.jp-coy.stock.diesel.
initial`); its label, help text (the schema's description of the key), unit, bounds and
input kind come from the schema. What the form shows is the resolved scenario (defaults
written out), so a key the file leaves out can be set too. A submitted field whose text is
unchanged is no override; any other is `PATH=VALUE`, the value read as `--set` reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from acsasim.scenario import Problem, Scenario, ScenarioError
from acsasim.scenario.edits import override_text, same, value_text
from acsasim.scenario.source import parse_text

PREFIX = "set:"  # form field names: set:PATH
CHECKBOXES = "checkboxes"  # a hidden field listing the checkbox paths (unchecked sends nothing)
# The parts of a scenario the form edits, by section: (title, top-level keys).
SECTIONS = (
    ("Run", ("seed", "duration", "policy")),
    ("Stock levels", ("holders:stock",)),
    ("Consumption", ("holders:consumption", "holders:variability")),
    ("Prices", ("prices",)),
    ("Agreements", ("agreements",)),
)
FIXED = {"id", "parties"}  # what names an item rather than describes it: not a parameter
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Field:
    path: Path_
    label: str
    help: str
    kind: str  # number | integer | select | checkbox | list | text
    value: str  # as the form shows it
    options: tuple[str, ...] = ()
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None

    @property
    def name(self) -> str:
        return PREFIX + dotted(self.path)


@dataclass
class Group:
    title: str
    fields: list[Field] = field(default_factory=list)


@dataclass
class Section:
    title: str
    groups: list[Group]


def dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def sections(scenario: Scenario, schema: dict[str, Any]) -> list[Section]:
    """The form's sections, each a list of groups of fields (one group per mapping)."""
    data = scenario.model_dump(mode="json", by_alias=True)
    walker = _Walker(schema, data)
    out = []
    for title, keys in SECTIONS:
        fields: list[Field] = []
        for key in keys:
            top, _, under = key.partition(":")
            walker.walk(schema["properties"][top], data[top], (top,), fields, under)
        groups: dict[Path_, Group] = {}
        for f in fields:
            parent = f.path[:-1]
            groups.setdefault(parent, Group(_group_title(parent))).fields.append(f)
        out.append(Section(title, list(groups.values())))
    return out


def _group_title(parent: Path_) -> str:
    """`holders.jp-coy.stock.diesel` -> `jp-coy · stock · diesel`; the top key is the
    section's, already said (top-level values, like the seed, share one untitled group)."""
    inner = " · ".join(str(p).replace("_", " ") for p in parent[1:])
    return inner or (str(parent[0]) if parent else "")


class _Walker:
    def __init__(self, schema: dict[str, Any], data: dict[str, Any]) -> None:
        self.defs = schema.get("$defs", {})
        self.data = data

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            extra = {k: v for k, v in node.items() if k != "$ref"}
            node = {**self.defs[node["$ref"].rsplit("/", 1)[1]], **extra}
        return node

    def walk(
        self,
        node: dict[str, Any],
        value: Any,
        path: Path_,
        out: list[Field],
        under: str = "",
        unit: str = "",
    ) -> None:
        """Fields for every value under `path` (`under`: one key of each item of a list);
        `unit`: the unit a mapping gives its values (prices, consumption rates)."""
        node = self.resolve(node)
        unit = node.get("x-unit", unit)
        kind = node.get("type")
        if kind == "object" and "properties" in node and isinstance(value, dict):
            for key, sub in node["properties"].items():
                if key not in FIXED and key in value:
                    self.walk(sub, value[key], (*path, key), out)
            return
        entries = node.get("patternProperties") or {}
        mapping = entries or "additionalProperties" in node
        if kind == "object" and isinstance(value, dict) and mapping:
            sub = next(iter(entries.values()), node.get("additionalProperties") or {})
            for key, item in value.items():
                self.walk(sub, item, (*path, key), out, unit=unit)
            return
        items = self.resolve(node.get("items") or {})
        if kind == "array" and items.get("type") == "object" and isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    if under:  # only one key of each item (holders' stock, say)
                        if under in item and under in items.get("properties", {}):
                            sub = items["properties"][under]
                            self.walk(sub, item[under], (*path, item["id"], under), out)
                    else:
                        self.walk(items, item, (*path, item["id"]), out)
            return
        out.append(self.leaf(node, value, path, unit))

    def leaf(self, node: dict[str, Any], value: Any, path: Path_, unit: str) -> Field:
        alternatives = [self.resolve(a) for a in node.get("anyOf", node.get("oneOf", []))]
        concrete = [a for a in alternatives if a.get("type") != "null"]
        plain = concrete[0] if len(concrete) == 1 else node
        if len(concrete) > 1:
            # several shapes (a duration or a distribution; a list or a mapping by category):
            # the one the file's value has, else YAML text
            shape = "array" if isinstance(value, list) else None
            plain = next((a for a in concrete if shape and a.get("type") == shape), {})
        kind, options = _kind(plain, self.resolve(plain.get("items") or {}))
        return Field(
            path,
            str(path[-1]).replace("_", " "),
            str(node.get("description", "")),
            kind,
            shown(value),
            options,
            self.unit(unit, path),
            plain.get("minimum"),
            plain.get("maximum"),
        )

    def unit(self, unit: str, path: Path_) -> str:
        """The schema's unit with the commodity's own unit and the party's currency filled
        in where the path names them."""
        commodities = self.data.get("commodities", {})
        commodity = next((p for p in reversed(path) if p in commodities), None)
        if commodity is not None and "commodity unit" in unit:
            unit = unit.replace("commodity unit", commodities[commodity]["unit"])
        if path[0] == "prices" and "provider's currency" in unit:
            party = self.data["parties"].get(path[1], {})
            unit = unit.replace("provider's currency", party.get("currency", "currency"))
        if unit == "reporting currency":
            unit = self.data.get("reporting_currency", unit)
        return unit


def _kind(node: dict[str, Any], items: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    if "enum" in node:
        return "select", tuple(node["enum"])
    kind = node.get("type")
    if kind in ("number", "integer"):
        return kind, ()
    if kind == "boolean":
        return "checkbox", ()
    if kind == "array" and items.get("type") == "string":
        return "list", tuple(items.get("enum", ()))
    return "text", ()


def shown(value: Any) -> str:
    """A value as a form field shows it: 9000 (not 9000.0), a list as `a, b`, nothing for
    none, anything else as one line of YAML."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return value_text(value)


def overrides(fields: list[Field], answers: Mapping[str, str], checkboxes: set[str]) -> list[str]:
    """The `--set` overrides of the submitted `answers` (field name -> text); `checkboxes`:
    the checkbox names the form had (an unchecked one is not submitted). ScenarioError for
    text that is not a value (YAML that does not read)."""
    found, problems = [], []
    for f in fields:
        if f.kind == "checkbox":
            if f.name not in checkboxes:
                continue
            text = "true" if answers.get(f.name) else "false"
        elif f.name in answers:
            text = answers[f.name].strip()
        else:
            continue
        if text == f.value:
            continue
        try:
            value = parse(f, text)
        except ScenarioError as exc:
            problems += exc.problems
            continue
        if not same(value, parse(f, f.value) if f.value else None):
            found.append(override_text(f.path, value))
    if problems:
        raise ScenarioError(problems)
    return found


def parse(f: Field, text: str) -> Any:
    """A field's text as the value `--set` would read (a list field: comma-separated)."""
    if not text:
        return None
    if f.kind == "list" and not text.startswith("["):
        return [part.strip() for part in text.split(",") if part.strip()]
    label = f"--set {dotted(f.path)}={text}"
    try:
        return parse_text(text, label)[0]
    except ScenarioError as exc:
        raise ScenarioError([Problem(label, 0, 0, p.message) for p in exc.problems]) from None


def all_fields(form: list[Section]) -> list[Field]:
    return [f for s in form for g in s.groups for f in g.fields]
