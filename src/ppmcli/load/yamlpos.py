"""YAML text → (plain value, positions, findings) in one pass over libyaml's node graph.

We compose with libyaml's C composer (which keeps marks) and build the values
ourselves instead of PyYAML's constructor: it is faster, records a 1-based
position for every key and value, reports duplicate keys (YAML silently keeps
the last), refuses custom tags, and never expands an alias bomb.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ppmcli.core.findings import Finding, Location, quote
from ppmcli.core.positions import Positions
from ppmcli.load.yamlerrors import reader_mark, syntax_finding

try:  # libyaml's C composer when PyYAML was built with it
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

# Values a file may expand to through aliases; a real file has a few thousand.
MAX_EXPANDED_VALUES = 200_000
# Characters of text it may expand to: a few aliases of a long string would otherwise reach every output
# (a diff comment, a report) many times over. Twice the largest file a source reads.
MAX_EXPANDED_CHARS = 8 * 1024 * 1024
# Nothing in format version 1 nests deeper than six levels.
MAX_DEPTH = 48
# libyaml's composer recurses in C and crashes the process somewhere past 20,000
# levels, so deeper text is refused before it is composed.
MAX_COMPOSE_DEPTH = 1000
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_DASHES = re.compile(r"^[ \t]*((?:-[ \t]+)+)", re.MULTILINE)

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = _TAG + "str", _TAG + "seq", _TAG + "map", _TAG + "merge"
_DATE = re.compile(r"^\d{4}-\d\d?-\d\d?$")
_PLAIN_INT = re.compile(r"^[-+]?[0-9]+$")
_BOOL = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_SAFE = yaml.constructor.SafeConstructor()
# tag → {text: value} of plain scalars converted so far (the values are immutable, so they may be shared).
_CONVERTED: dict[str, dict[str, Any]] = {_TAG + kind: {} for kind in ("int", "float", "bool", "null", "timestamp")}


class _FastLoader(_Loader):  # type: ignore[misc, valid-type]
    """libyaml's composer with a memoized resolver: the stock one runs a regex list per scalar, in Python."""

    _tags: dict[str, str] = {}
    # No path resolvers are registered, so the composer's two calls per node into
    # these have nothing to do: C callables that ignore their arguments skip a Python frame each.
    descend_resolver = slice  # called with (parent, index)
    ascend_resolver = staticmethod(tuple)  # called with ()

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            tag = self._tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 32 and len(self._tags) < 100_000:  # short values repeat (dates, enums, numbers)
                    self._tags[value] = tag
            return tag
        return _SEQ if kind is SequenceNode else _MAP


# Every file of a kind has the same paths (("team", 0, "fte"), …): one shared tuple
# each, found through this trie (key → (path, trie below it)) instead of a new tuple per node.
_PATHS: dict[Any, tuple[tuple, dict]] = {}
_MAX_PATHS = 200_000
_path_count = 0


def _child(below: dict, path: tuple, key: Any) -> tuple[tuple, dict]:
    """The path of `key` under `path`, kept in the trie while it is not too large."""
    global _path_count
    entry = (path + (key,), {})
    if _path_count < _MAX_PATHS:
        _path_count += 1
        below[key] = entry
    return entry


class _Build:
    __slots__ = ("path", "shared", "marks", "findings", "memo", "sizes", "chars", "active")

    def __init__(self, path: str, shared: bool) -> None:
        self.path = path
        # Aliases need an anchor (`&`); without one the graph is a tree and needs no alias bookkeeping.
        self.shared = shared
        # path → 0-based (value line, value column[, key line, key column]): see Positions.
        self.marks: dict[tuple, tuple[int, ...]] = {}
        self.findings: list[Finding] = []
        self.memo: dict[int, Any] = {}
        self.sizes: dict[int, int] = {}
        # id of a list or mapping node → characters of the text of its scalars (keys included), aliases expanded.
        self.chars: dict[int, int] = {}
        self.active: set[int] = set()

    def error(self, node: Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.findings.append(Finding.at(Location(self.path, mark.line + 1, mark.column + 1), code, message))

    def node(self, node: Node, path: tuple, depth: int, below: dict) -> Any:
        """The value of a node at `path` (`below` holds its children's paths); its caller has recorded where it is."""
        if type(node) is ScalarNode:  # immutable: an alias to a scalar may simply rebuild it
            return node.value if node.tag == _STR else self.scalar(node)
        if depth > MAX_DEPTH:
            self.error(node, "yaml-syntax", f"values nest deeper than {MAX_DEPTH} levels")
            return None
        if not self.shared:  # no anchors in the text: a tree, each node seen once
            if type(node) is SequenceNode:
                return self.sequence(node, path, depth, below)
            return self.mapping(node, path, depth, below)[0]
        ident = id(node)
        if ident in self.memo:  # an alias: share the value, never copy it
            return self.memo[ident]
        if ident in self.active:
            self.error(node, "yaml-syntax", "an alias refers to a node that contains it (recursive alias)")
            return None
        self.active.add(ident)
        if type(node) is SequenceNode:
            value: Any = self.sequence(node, path, depth, below)
            size = 1 + sum(self.sizes.get(id(child), 1) for child in node.value)
            chars = sum(self.text_size(child) for child in node.value)
        else:
            value, size, chars = self.mapping(node, path, depth, below)
        self.active.discard(ident)
        self.memo[ident], self.sizes[ident], self.chars[ident] = value, size, chars
        return value

    def text_size(self, node: Node) -> int:
        """Characters of text `node` expands to (shared graphs only: a tree's text is the file's)."""
        return len(node.value) if type(node) is ScalarNode else self.chars.get(id(node), 0)

    def sequence(self, node: SequenceNode, path: tuple, depth: int, below: dict) -> list:
        if node.tag != _SEQ:
            self.error(node, "yaml-syntax", f"unsupported YAML tag {quote(node.tag)}")
        marks, items = self.marks, []
        for index, child in enumerate(node.value):
            child_path, child_below = below.get(index) or _child(below, path, index)
            mark = child.start_mark
            marks[child_path] = (mark.line, mark.column)
            items.append(self.node(child, child_path, depth + 1, child_below))
        return items

    def mapping(self, node: MappingNode, path: tuple, depth: int, below: dict) -> tuple[dict, int, int]:
        if node.tag != _MAP:
            self.error(node, "yaml-syntax", f"unsupported YAML tag {quote(node.tag)}")
        value: dict[Any, Any] = {}
        marks, sizes, shared = self.marks, self.sizes, self.shared
        size = 1
        chars = 0
        merged: set[Any] = set()  # keys a `<<` brought in: a key written in the mapping itself overrides them, before or after
        written: dict[Any, str] = {}  # each key as first written (`1` and `true` read as one key)
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                self.error(key_node, "yaml-syntax", "a mapping key must be a plain value, not a list or mapping")
                continue
            tag = key_node.tag
            if tag == _MERGE:
                before = set(value)
                merged_size, merged_chars = self.merge(value, value_node, path, depth, below)
                merged |= set(value) - before
                size += merged_size
                chars += merged_chars
                continue
            key = key_node.value if tag == _STR else self.scalar(key_node)
            child_path, child_below = below.get(key) or _child(below, path, key)
            key_mark, value_mark = key_node.start_mark, value_node.start_mark
            if key in merged:
                merged.discard(key)
                marks[child_path] = (value_mark.line, value_mark.column, key_mark.line, key_mark.column)
            elif key in value:
                first = marks[child_path]
                as_written = written.get(key, key_node.value)
                if as_written == key_node.value:
                    self.error(key_node, "duplicate-key", f"duplicate key {quote(key_node.value)} (first at line {first[2] + 1}); YAML would keep only the last")
                else:  # written otherwise, read alike: `yes` and `on` are one key, true; so are `1` and `true`
                    self.error(key_node, "duplicate-key", f"key {quote(key_node.value)} reads as the same key as {quote(as_written)} (line {first[2] + 1}); only the last would be kept")
                marks[child_path] = (value_mark.line, value_mark.column, first[2], first[3])
            else:
                marks[child_path] = (value_mark.line, value_mark.column, key_mark.line, key_mark.column)
                written[key] = key_node.value
            if type(value_node) is ScalarNode:  # most values: skip a call
                value[key] = value_node.value if value_node.tag == _STR else self.scalar(value_node)
            else:
                value[key] = self.node(value_node, child_path, depth + 1, child_below)
            if shared:
                size += sizes.get(id(value_node), 1)
                chars += len(key_node.value) + self.text_size(value_node)
        return value, size, chars

    def merge(self, into: dict, node: Node, path: tuple, depth: int, below: dict) -> tuple[int, int]:
        """`<<: *defaults` (or a list of them): keys not given explicitly come from the merged mappings; (values, characters) merged."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        size = chars = 0
        for source in sources:
            merged = self.node(source, path, depth + 1, below)
            if not isinstance(merged, dict):
                self.error(source, "yaml-syntax", "'<<' merges only mappings")
                continue
            for key, item in merged.items():
                into.setdefault(key, item)
            size += self.sizes.get(id(source), 1)
            chars += self.chars.get(id(source), 0)
        return size, chars

    def scalar(self, node: ScalarNode) -> Any:
        """The value of a scalar that is not a string; short texts repeat (dates, numbers), so their values are kept."""
        tag, text = node.tag, node.value
        known = _CONVERTED.get(tag)
        if known is not None and text in known:
            return known[text]
        errors = len(self.findings)
        value = self.convert(node)
        if known is not None and len(text) <= 32 and len(known) < 100_000 and len(self.findings) == errors:
            known[text] = value  # immutable values only: numbers, booleans, null, dates
        return value

    def convert(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _TAG + "int":
            try:
                if _PLAIN_INT.match(text):
                    return int(text)
                return _SAFE.construct_yaml_int(node)
            except ValueError:  # more digits than Python converts
                self.error(node, "invalid-value", f"number with {len(text)} digits is far too large")
                return None
        if tag == _TAG + "float":
            try:
                return float(text)
            except ValueError:
                return _SAFE.construct_yaml_float(node)
        if tag == _TAG + "bool":
            return _BOOL[text.lower()]
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "timestamp":
            if _DATE.match(text):
                try:
                    year, month, day = (int(part) for part in text.split("-"))
                    return dt.date(year, month, day)
                except ValueError:
                    return text  # e.g. 2026-02-30: validation reports it as an invalid date
            try:
                return _SAFE.construct_yaml_timestamp(node)
            except ValueError:
                return text
        self.error(node, "yaml-syntax", f"unsupported YAML tag {quote(tag)}")
        return None


_RESOLVER = yaml.resolver.Resolver()
_NOWHERE = yaml.Mark("", 0, 0, 0, None, None)


def plain_value(text: str) -> Any:
    """The value of a plain scalar by PyYAML's YAML 1.1 rules, as `parse_yaml` builds it; ValueError where it would report a finding."""
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
    if tag == _STR:
        return text
    build = _Build("", shared=False)
    value = build.scalar(ScalarNode(tag, text, _NOWHERE, _NOWHERE))
    if build.findings:
        raise ValueError(build.findings[0].message)
    return value


class _MarksLoader(_Loader):  # type: ignore[misc, valid-type]
    """libyaml's composer that resolves no tags: the marks of a file whose values are already known need none."""

    descend_resolver = slice
    ascend_resolver = staticmethod(tuple)
    resolve = slice  # called with (kind, value, implicit); the tag is never read


_UNREAD = object()
# Plain key text → its value (immutable), for marks_of.
_PLAIN_KEYS: dict[str, Any] = {}


def marks_of(text: str) -> dict[tuple, tuple[int, ...]]:
    """The marks `parse_yaml` records for a text, without building its values.

    Only for a text without anchors, aliases, merge keys, duplicate keys or
    findings (as `fastyaml` vouches): keys are read as `parse_yaml` reads them.
    """
    loader = _MarksLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    marks: dict[tuple, tuple[int, ...]] = {(): (root.start_mark.line, root.start_mark.column)}

    def walk(node: Node, path: tuple, below: dict) -> None:
        if type(node) is MappingNode:
            for key_node, value_node in node.value:
                key = written = key_node.value
                if not key_node.style:  # plain (style ""): read as parse_yaml reads it; keys repeat, so each text once
                    key = _PLAIN_KEYS.get(written, _UNREAD)
                    if key is _UNREAD:
                        key = plain_value(written)
                        if len(_PLAIN_KEYS) < 100_000:
                            _PLAIN_KEYS[written] = key
                child_path, child_below = below.get(key) or _child(below, path, key)
                key_mark, value_mark = key_node.start_mark, value_node.start_mark
                marks[child_path] = (value_mark.line, value_mark.column, key_mark.line, key_mark.column)
                if type(value_node) is not ScalarNode:
                    walk(value_node, child_path, child_below)
        else:
            for index, child in enumerate(node.value):
                child_path, child_below = below.get(index) or _child(below, path, index)
                mark = child.start_mark
                marks[child_path] = (mark.line, mark.column)
                if type(child) is not ScalarNode:
                    walk(child, child_path, child_below)

    walk(root, (), _PATHS)
    return marks


def nesting_bound(text: str) -> int:
    """An upper bound on how deep the text nests (brackets and `- - -` runs); cheap for ordinary files."""
    if text.count("[") + text.count("{") + text.count("- ") < MAX_COMPOSE_DEPTH:
        return 0
    # The walk that clamps at 0 (a stray closer opens nothing), vectorized over the brackets alone: a 4 MiB file of
    # brackets took 2 s walked in Python (numpy is imported only for a file with this many brackets or dashes).
    # Clamped, the depth after each bracket is the running sum less its lowest point so far (0 included).
    import numpy as np

    brackets = np.frombuffer(_NOT_BRACKET.sub("", text).encode("ascii"), dtype=np.uint8)
    levels = np.cumsum(np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1))
    deepest = int((levels - np.minimum.accumulate(np.minimum(levels, 0))).max()) if levels.size else 0
    dashes = max(map(operator.methodcaller("count", "-"), _DASHES.findall(text)), default=0)
    return deepest + dashes


def parse_yaml(text: str, path: str) -> tuple[Any, Positions, list[Finding]]:
    """Parse one YAML document.

    Args:
        text: the file's text.
        path: its path relative to the workspace root, for positions and findings.

    Returns:
        (value, positions, findings). The value is None when the text does not
        parse; an empty document gives None with no finding.
    """
    if nesting_bound(text) > MAX_COMPOSE_DEPTH:
        return None, Positions(path), [Finding.at(Location(path), "yaml-syntax", f"values nest deeper than {MAX_COMPOSE_DEPTH} levels; not parsed")]
    loader = _FastLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # What went wrong and how to fix it, where it is best fixed (`yamlerrors`): not only libyaml's words.
        return None, Positions(path), [syntax_finding(exc, text, path)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character): at that character
        line, column = reader_mark(text, exc.position)
        return None, Positions(path), [Finding.at(Location(path, line + 1, column + 1), "yaml-syntax", str(exc).splitlines()[0])]
    except (yaml.YAMLError, RecursionError) as exc:
        message = "values nest too deeply" if isinstance(exc, RecursionError) else str(exc).splitlines()[0]
        return None, Positions(path), [Finding.at(Location(path), "yaml-syntax", message)]
    finally:
        loader.dispose()
    if root is None:
        return None, Positions(path), []
    build = _Build(path, shared="&" in text)
    build.marks[()] = (root.start_mark.line, root.start_mark.column)
    value = build.node(root, (), 0, _PATHS)
    expanded = build.sizes.get(id(root), 1)
    characters = build.text_size(root)
    for amount, limit, unit in ((expanded, MAX_EXPANDED_VALUES, "values"), (characters, MAX_EXPANDED_CHARS, "characters of text")):
        if amount > limit:
            mark = root.start_mark
            finding = Finding.at(Location(path, mark.line + 1, mark.column + 1), "yaml-syntax", f"aliases expand to {amount:,} {unit}, above the limit of {limit:,} (an alias bomb?)")
            return None, Positions(path), [finding]
    return value, Positions(path, build.marks), build.findings
