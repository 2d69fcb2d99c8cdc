"""Where each key and value of a parsed file sits, kept beside the data, not in it.

The loader fills one `Positions` per file; checks ask it for the location of a
path such as `("team", 2, "fte")` and get the nearest existing ancestor when the
path is absent (a missing field points at the mapping that lacks it).
"""

from __future__ import annotations

from typing import Callable, Hashable, Sequence

from ppmcli.core.findings import Location

Path = tuple[Hashable, ...]


class Unsure(Exception):
    """A fast way cannot vouch for its answer (a value, a mark): the careful way gives it."""


class Positions:
    """Positions of one file: for each path, its value's (line, column) and, for mapping entries, its key's.

    Lines and columns are 1-based. The root path `()` is the document's top node.
    `marks` maps a path to the 0-based (line, column) of its value, followed by
    its key's for a mapping entry: one tuple per node keeps the loader's pass short.

    Positions may be found on demand, for a file parsed the fast way, only if a
    finding points into it: `locate` finds one path (how many of its elements
    the file has, and the deepest one's mark), and `fill` computes every mark,
    for when `locate` is unsure (it raises) or all the marks are wanted. `keys`
    answers `has_key` for top-level keys without either (a tuple: a few keys,
    and a set of them costs a kilobyte per file).
    """

    __slots__ = ("path", "_marks", "_fill", "_keys", "_locate", "_located")

    def __init__(
        self,
        path: str,
        marks: dict[Path, tuple[int, ...]] | None = None,
        *,
        fill: Callable[[], dict[Path, tuple[int, ...]]] | None = None,
        locate: Callable[[Path], tuple[int, tuple[int, ...]]] | None = None,
        keys: tuple[Hashable, ...] = (),
    ) -> None:
        self.path = path
        self._marks = marks if marks is not None or fill is not None else {}
        self._fill = fill
        self._keys = keys
        self._locate = locate
        self._located: dict[Path, tuple[int, tuple[int, ...]]] = {}

    @property
    def marks(self) -> dict[Path, tuple[int, ...]]:
        if self._marks is None:
            assert self._fill is not None
            self._marks, self._fill = self._fill(), None
        return self._marks

    @property
    def filled(self) -> bool:
        """Whether the marks are known (not still to be found on demand)."""
        return self._marks is not None

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
        depth, mark = self._nearest(path)
        if depth == len(path) and len(mark) == 4:
            return Location(self.path, mark[2] + 1, mark[3] + 1)
        return Location(self.path, mark[0] + 1, mark[1] + 1)

    def has_key(self, path: Sequence[Hashable]) -> bool:
        """Whether the file writes a key for `path`."""
        path = tuple(path)
        if self._marks is None and len(path) == 1:
            return path[0] in self._keys
        depth, mark = self._nearest(path)
        return depth == len(path) and len(mark) == 4

    def _find(self, path: Path) -> Location:
        mark = self._nearest(path)[1]
        return Location(self.path, mark[0] + 1, mark[1] + 1)

    def _nearest(self, path: Path) -> tuple[int, tuple[int, ...]]:
        """How many elements of `path` are recorded, and the mark of the deepest of them."""
        if self._marks is None and self._locate is not None:
            found = self._located.get(path)
            if found is not None:
                return found
            try:
                found = self._located[path] = self._locate(path)
                return found
            except Unsure:  # every mark is found the careful way from now on
                self._locate = None
                self._located.clear()
        marks, depth = self.marks, len(path)
        while depth and path[:depth] not in marks:
            depth -= 1
        return depth, marks.get(path[:depth], (0, 0))
