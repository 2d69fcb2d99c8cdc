"""Where each key and value of a parsed file sits, kept beside the data, not in it.

The loader fills one `Positions` per file; checks ask it for the location of a
path such as `("team", 2, "fte")` and get the nearest existing ancestor when the
path is absent (a missing field points at the mapping that lacks it).
"""

from __future__ import annotations

from typing import Hashable, Sequence

from ppmcli.core.findings import Location

Path = tuple[Hashable, ...]


class Positions:
    """Positions of one file: for each path, its value's (line, column) and, for mapping entries, its key's.

    Lines and columns are 1-based. The root path `()` is the document's top node.
    """

    __slots__ = ("path", "values", "keys")

    def __init__(self, path: str, values: dict[Path, tuple[int, int]] | None = None, keys: dict[Path, tuple[int, int]] | None = None) -> None:
        self.path = path
        self.values = values if values is not None else {}
        self.keys = keys if keys is not None else {}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Positions):
            return NotImplemented
        return (self.path, self.values, self.keys) == (other.path, other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]  # mutable tables: not hashable

    def value(self, path: Sequence[Hashable] = ()) -> Location:
        """Location of the value at `path`, or of its nearest recorded ancestor."""
        return self._find(tuple(path), self.values)

    def key(self, path: Sequence[Hashable]) -> Location:
        """Location of the key that introduces `path` (its value's when it has no key, e.g. a list item)."""
        path = tuple(path)
        if path in self.keys:
            line, column = self.keys[path]
            return Location(self.path, line, column)
        return self._find(path, self.values)

    def _find(self, path: Path, table: dict[Path, tuple[int, int]]) -> Location:
        while path:
            if path in table:
                line, column = table[path]
                return Location(self.path, line, column)
            path = path[:-1]
        line, column = table.get((), (1, 1))
        return Location(self.path, line, column)
