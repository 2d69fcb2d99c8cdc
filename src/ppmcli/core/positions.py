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
    `marks` maps a path to the 0-based (line, column) of its value, followed by
    its key's for a mapping entry: one tuple per node keeps the loader's pass short.
    """

    __slots__ = ("path", "marks")

    def __init__(self, path: str, marks: dict[Path, tuple[int, ...]] | None = None) -> None:
        self.path = path
        self.marks = marks if marks is not None else {}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Positions):
            return NotImplemented
        return (self.path, self.marks) == (other.path, other.marks)

    __hash__ = None  # type: ignore[assignment]  # mutable tables: not hashable

    def value(self, path: Sequence[Hashable] = ()) -> Location:
        """Location of the value at `path`, or of its nearest recorded ancestor."""
        return self._find(tuple(path))

    def key(self, path: Sequence[Hashable]) -> Location:
        """Location of the key that introduces `path` (its value's when it has no key, e.g. a list item)."""
        path = tuple(path)
        mark = self.marks.get(path, ())
        if len(mark) == 4:
            return Location(self.path, mark[2] + 1, mark[3] + 1)
        return self._find(path)

    def has_key(self, path: Sequence[Hashable]) -> bool:
        """Whether the file writes a key for `path`."""
        return len(self.marks.get(tuple(path), ())) == 4

    def _find(self, path: Path) -> Location:
        marks = self.marks
        while path and path not in marks:
            path = path[:-1]
        mark = marks.get(path, (0, 0))
        return Location(self.path, mark[0] + 1, mark[1] + 1)
