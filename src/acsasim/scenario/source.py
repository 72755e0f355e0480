"""YAML text -> plain data, remembering where every value and key stands in the file.

PyYAML's safe loader is used only to compose the node tree; we build the data
ourselves so that we can refuse what it lets pass silently (duplicate keys),
refuse what a scenario never needs (tags that construct objects, alias bombs),
and keep the line and column of every node for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from acsasim.scenario.errors import Problem, ScenarioError

MAX_BYTES = 10 * 1024 * 1024
MAX_NODES = 200_000  # after alias expansion; a real scenario has a few thousand
MAX_ALIASES = 1_000
MAX_DEPTH = 64
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_BOOL_WORDS = {"true", "false"}  # YAML 1.2: 'yes', 'no', 'on', 'off' stay strings (NO is Norway)

Path_ = tuple[str | int, ...]


@dataclass
class Positions:
    """Where each path of the document stands: its value and, for mapping entries, its key."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that the file has."""
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if key and cut == len(path) and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


def read_file(path: Path) -> tuple[Any, Positions]:
    """Read a scenario file into data and positions; every refusal names the file and place."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError(
            [Problem(name, 0, 0, f"cannot read the file: {exc.strerror}")]
        ) from None
    if size > MAX_BYTES:
        msg = f"file is {size / 2**20:.1f} MB; scenario files are limited to 10 MB"
        raise ScenarioError([Problem(name, 1, 1, msg)])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            [Problem(name, 0, 0, f"cannot read the file: {exc.strerror}")]
        ) from None
    return parse_text(_decode(raw, name), name)


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        msg = f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8"
        raise ScenarioError([Problem(name, line, col, msg)]) from None


class _Loader(yaml.SafeLoader):
    """PyYAML's scanner spends time in proportion to the depth of `[`/`{` nesting on every
    token: a few kilobytes of `[[[[...` would hang it. Deep flow nesting is refused early."""

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        if self.flow_level >= MAX_DEPTH:
            raise yaml.scanner.ScannerError(
                None, None, "the document nests too deeply; refused", self.get_mark()
            )
        super().fetch_flow_collection_start(TokenClass)


def parse_text(text: str, name: str) -> tuple[Any, Positions]:
    """Parse YAML text (a file's, or an override's value) into data and positions."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax: {exc.problem or exc.context}"
        raise ScenarioError([Problem(name, line, col, message)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, 1, 1, f"YAML: {exc}")]) from None
    except RecursionError:  # PyYAML composes nested collections recursively
        message = "the document nests too deeply; refused"
        raise ScenarioError([Problem(name, 1, 1, message)]) from None
    if node is None:
        raise ScenarioError(
            [Problem(name, 1, 1, "the file is empty; a scenario starts with 'acsasim: 1'")]
        )
    builder = _Builder(name)
    data = builder.build(node, (), 0)
    if builder.problems:
        raise ScenarioError(builder.problems)
    return data, builder.positions


class _Builder:
    """Builds plain data from a node tree, collecting problems instead of stopping at the first."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions = Positions()
        self.problems: list[Problem] = []
        self.nodes = 0
        self.seen: set[int] = set()
        self.aliases = 0
        self.scalars = yaml.constructor.SafeConstructor()

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.name, *_mark(node), message))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self._count(node, depth)
        self.positions.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, _STD + "seq")
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _count(self, node: yaml.Node, depth: int) -> None:
        # A node met twice was reached through an alias: count the expansion so
        # that a "billion laughs" file is refused long before it eats memory.
        if id(node) in self.seen and not isinstance(node, yaml.ScalarNode):
            self.aliases += 1
        self.seen.add(id(node))
        self.nodes += 1
        if self.nodes > MAX_NODES or self.aliases > MAX_ALIASES or depth > MAX_DEPTH:
            self.problem(node, "the document expands too far (aliases or nesting); refused")
            raise ScenarioError(self.problems)

    def _check_tag(self, node: yaml.Node, allowed: str | set[str]) -> bool:
        allowed = {allowed} if isinstance(allowed, str) else allowed
        if node.tag in allowed:
            return True
        self.problem(node, f"YAML tag {node.tag!r} is not allowed: a scenario holds plain data")
        return False

    def _scalar(self, node: yaml.Node) -> Any:
        if not self._check_tag(node, _SCALAR_TAGS):
            return None
        if node.tag == _STD + "bool" and node.value.lower() not in _BOOL_WORDS:
            return node.value
        try:
            return self.scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            self.problem(node, f"cannot read {node.value!r}: {exc}")
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        self._check_tag(node, _STD + "map")
        result: dict[str, Any] = {}
        first_at: dict[str, tuple[int, int]] = {}
        for key_node, value_node in self._entries(node):
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a key must be a plain word, not a list or mapping")
                continue
            key = str(key_node.value)  # keys stay text: an id like NO or 1st is never converted
            if key in first_at:
                line = first_at[key][0]
                self.problem(key_node, f"duplicate key '{key}' (first given at line {line})")
                continue
            first_at[key] = _mark(key_node)
            self.positions.keys[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _entries(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """The mapping's entries with YAML merge keys (`<<: *defaults`) resolved: own keys win."""
        own, merged = [], []
        for key_node, value_node in node.value:
            if key_node.tag != _STD + "merge":
                own.append((key_node, value_node))
                continue
            sources = (
                value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            )
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.problem(source, "'<<' merges only mappings")
                    continue
                self._count(source, 0)
                merged.extend(self._entries(source))
        taken = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        kept = []
        for entry in merged:  # the first source that gives a key wins, as YAML says
            if entry[0].value not in taken:
                taken.add(entry[0].value)
                kept.append(entry)
        return kept + own


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)
