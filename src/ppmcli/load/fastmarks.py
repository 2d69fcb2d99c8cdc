"""Where one path sits in a file the fast way vouched for, found with rapidyaml.

Composing a whole file again with libyaml, to place one finding, costs more
than a cold check's every other step for that file. rapidyaml parses the same
text in place, in a fraction of that time, and each scalar it returns is a view
into the buffer it parsed: the view's address, less the buffer's, is the
scalar's offset in the text. From the offsets of keys and scalars the marks of
`yamlpos.marks_of` follow, as libyaml records them: a plain scalar starts at its
first character, a quoted one at its quote, a block mapping at its first key,
and a sequence or flow mapping at its `-`, `[` or `{`. Whatever this cannot
settle for sure (an empty value, an empty collection, a comment between a
collection's opener and its first item, a key whose written form YAML 1.1
reads as something else) raises `Unsure`, and the caller composes the file.

The trees of the last few files asked about are kept: checks place findings
file after file, and a tree costs tens of bytes per node.
"""

from __future__ import annotations

import ctypes
from collections import OrderedDict
from typing import Any, Hashable

from ppmcli.core.positions import Unsure
from ppmcli.load.yamlpos import plain_value

try:
    import ryml  # type: ignore[import-untyped]
except Exception:  # pragma: no cover - a missing or broken build: every file goes the careful way
    ryml = None

# Parses kept (tree, buffer, the nodes looked up), most recently asked last.
_KEEP = 64
_TREES: OrderedDict[str, _Walk] = OrderedDict()


class _Buffer(ctypes.Structure):
    """CPython's Py_buffer (stable ABI since 3.11): where a read-only view's bytes are."""

    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_Buffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_Buffer)]
_VIEW = _Buffer()


def _address(view: memoryview) -> int:
    _get_buffer(view, _VIEW, 0)
    try:
        return int(_VIEW.buf or 0)
    finally:
        _release_buffer(_VIEW)


# A node's type bits, read with one call: each `is_…` call into the extension costs as much as the test it makes.
_MAP, _SEQ = (int(ryml.MAP), int(ryml.SEQ)) if ryml is not None else (0, 0)
_KEY_QUOTED, _VALUE_QUOTED = (int(ryml.KEYQUO), int(ryml.VALQUO)) if ryml is not None else (0, 0)
_FLOW = int(ryml.CONTAINER_STYLE_FLOW) if ryml is not None else 0
_NONE = ryml.NONE if ryml is not None else -1
# Key text → whether YAML 1.1 reads it, written plain, as that same text.
_READS_AS_ITSELF: dict[str, bool] = {}


class _Walk:
    """One text parsed in place, with what its lookups found: nodes by path."""

    __slots__ = ("tree", "buffer", "text", "base", "nodes")

    def __init__(self, text: str, tree: Any) -> None:
        self.buffer = bytearray(text.encode("ascii"))  # the fast way takes ASCII files only
        try:
            self.tree = ryml.parse_in_place(self.buffer, tree)
        except Exception:
            raise Unsure from None
        self.text = text
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(self.buffer))
        root = self.tree.root_id()
        self.nodes: dict[tuple[Hashable, ...], tuple[int, int]] = {(): (root, self.tree.type(root))}

    def mark(self, offset: int) -> tuple[int, int]:
        """0-based (line, column) of a text offset."""
        # The fast way's texts break lines with "\n" alone (no "\r", no other control character); counting in C over a
        # few kilobytes costs less than building a table of line starts once per file.
        text = self.text
        return text.count("\n", 0, offset), offset - text.rfind("\n", 0, offset) - 1

    def scalar_start(self, view: memoryview | None, quoted: int) -> int:
        if view is None or len(view) == 0:
            raise Unsure  # an empty value: libyaml marks it after its indicator, which takes more than an offset to find
        return _address(view) - self.base - (quoted != 0)

    def start(self, node: int, kind: int) -> int:
        """Offset where libyaml's node for `node` (of type bits `kind`) starts."""
        tree = self.tree
        if not kind & (_MAP | _SEQ):
            return self.scalar_start(tree.val(node), kind & _VALUE_QUOTED)
        child = tree.first_child(node)
        if child == _NONE:
            raise Unsure  # an empty flow collection: no item to find its bracket from
        child_kind = tree.type(child)
        if kind & _MAP:
            inner = self.scalar_start(tree.key(child), child_kind & _KEY_QUOTED)
            if not kind & _FLOW:
                return inner  # a block mapping starts at its first key
            opener = "{"
        else:
            inner = self.start(child, child_kind)
            opener = "[" if kind & _FLOW else "-"
        text, at = self.text, inner - 1
        while at >= 0 and text[at] in " \n":
            at -= 1
        if at < 0 or text[at] != opener:
            raise Unsure  # a comment (or something else) between the opener and the first item
        return at

    def child(self, node: int, kind: int, key: Hashable) -> int | None:
        """The child of `node` (of type bits `kind`) at path element `key`, as `marks_of`'s paths name it; None when there is none."""
        tree = self.tree
        if kind & _SEQ:
            # An index as a dict of paths matches it: True and 1.0 are 1.
            if isinstance(key, (int, float)) and (not isinstance(key, float) or key.is_integer()):
                index = int(key)
                if 0 <= index < tree.num_children(node):
                    return int(tree.child(node, index))
            return None
        if not kind & _MAP:
            return None
        if type(key) is str:
            try:
                child = tree.find_child(node, key.encode("ascii"))
            except UnicodeEncodeError:
                return None  # an ASCII file has no such key
            if child == _NONE:
                return None  # a key read as text is written as that text, quoted or plain
            plain = _READS_AS_ITSELF.get(key)
            if plain is None:
                plain = _READS_AS_ITSELF[key] = plain_value(key) == key
            if plain or tree.type(child) & _KEY_QUOTED:
                return int(child)
            # Written plain, the text reads as something else (a number, a date): a quoted twin may follow.
        child = tree.first_child(node)
        while child != _NONE:
            written = bytes(tree.key(child)).decode("ascii")
            read = written if tree.type(child) & _KEY_QUOTED else plain_value(written)
            if read == key:
                return int(child)
            child = tree.next_sibling(child)
        return None


def _walk(text: str) -> _Walk:
    """The parse of `text`: kept from an earlier lookup, or made now in the tree of the one least recently used."""
    walk = _TREES.get(text)
    if walk is not None:
        _TREES.move_to_end(text)
        return walk
    if ryml is None:
        raise Unsure
    tree = None
    if len(_TREES) >= _KEEP:
        tree = _TREES.popitem(last=False)[1].tree
        tree.clear()  # a tree's nodes are allocated once and parsed into again: cheaper than a new tree
        tree.clear_arena()
    walk = _TREES[text] = _Walk(text, tree)
    return walk


def locate(text: str, path: tuple[Hashable, ...]) -> tuple[int, tuple[int, ...]]:
    """How many elements of `path` the text has, and the mark `marks_of` records for that deepest one.

    The mark is (line, column) of the value, followed by the key's for a mapping entry.
    Raises `Unsure` when the marks cannot be settled without composing the file.
    """
    walk = _walk(text)
    tree, nodes = walk.tree, walk.nodes
    depth = len(path)
    while path[:depth] not in nodes:  # the deepest path looked up before (every prefix of one is kept too)
        depth -= 1
    node, kind = nodes[path[:depth]]
    parent_kind = nodes[path[: depth - 1]][1] if depth else 0
    for key in path[depth:]:
        child = walk.child(node, kind, key)
        if child is None:
            break
        node, parent_kind, kind, depth = child, kind, tree.type(child), depth + 1
        nodes[path[:depth]] = (node, kind)
    value = walk.mark(walk.start(node, kind))
    if depth and parent_kind & _MAP:
        return depth, value + walk.mark(walk.scalar_start(tree.key(node), kind & _KEY_QUOTED))
    return depth, value
