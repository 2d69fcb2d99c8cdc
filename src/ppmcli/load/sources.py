"""Where workspace files come from: the file system, or a git revision.

Both sources answer the same two questions (which YAML files are there; what
bytes does one hold), so `diff` loads two revisions through the same loader.
A source never follows a link out of the workspace and never reads a file too
large to be a real workspace file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Protocol

from ppmcli.core.bounds import MAX_FOLDER_DEPTH
from ppmcli.core.errors import CONTROL_CHARACTERS
from ppmcli.core.findings import Finding, Location
from ppmcli.core.kinds import KINDS, SETTINGS_FILE

YAML_SUFFIXES = (".yaml", ".yml")
# A project file with years of weekly statuses is tens of kilobytes.
MAX_FILE_BYTES = 4 * 1024 * 1024
# Values, counted by what separates them (commas, colons and YAML's line breaks: one pass each in C, an upper bound on the
# values a YAML text holds). What a file costs in memory grows with its values, not its bytes ('a,' is a list item in
# two bytes): 4 MiB of them took 330 MB, and a branch of fifty such files, a few hundred kilobytes in git, would take
# 16 GB. The largest file of the 20,000-project benchmark holds 261, the whole workspace 5.1 million.
MAX_FILE_VALUES = 100_000
MAX_WORKSPACE_VALUES = 10_000_000
# Bytes read from one workspace (or one revision of it). A file under 4 MiB that holds few values (a long comment)
# still takes its bytes in memory: a branch of a thousand of them, 30 MB in git, would take 8 GB in a diff. The
# 20,000-project benchmark's 31,011 files hold 52 MB.
MAX_WORKSPACE_BYTES = 256 * 1024 * 1024
# Files read from one workspace (or one revision): an empty file holds no value and no byte, yet costs its model, its
# findings and its line of output (100,000 of them took 13 s and 400 MB; a branch of a million names one empty blob,
# 1 MB in git). The 20,000-project benchmark holds 31,011.
MAX_WORKSPACE_FILES = 100_000
OUTSIDE = "symbolic link points outside the workspace; not followed"
HIDDEN = "symbolic link points to a dot-file or into a dot-folder (such as .git); not followed"
LOOP = "symbolic link leads round in a loop back to itself; not followed"


class Source(Protocol):
    def files(self) -> tuple[list[str], list[Finding]]:
        """POSIX paths relative to the workspace root of `ppm.yaml` and every entity file, sorted; and findings for entries that cannot be files."""

    def read(self, path: str) -> bytes | Finding:
        """The bytes of one file from `files()`, or a finding saying why it cannot be read."""


def unreadable(path: str, message: str) -> Finding:
    return Finding.at(Location(path), "unreadable-file", message)


def within_file_cap(paths: list[str]) -> tuple[list[str], list[Finding]]:
    """Sorted `paths` cut to `MAX_WORKSPACE_FILES` (ppm.yaml always kept), and one finding, at the first file left
    out, that says how many are not read."""
    if len(paths) <= MAX_WORKSPACE_FILES:
        return paths, []
    settings = [SETTINGS_FILE] if SETTINGS_FILE in paths else []
    others = [path for path in paths if path != SETTINGS_FILE]
    kept = MAX_WORKSPACE_FILES - len(settings)
    after = len(others) - kept - 1
    nor = f", nor the {after:,} file{'' if after == 1 else 's'} after it" if after else ""
    finding = unreadable(others[kept], f"not read{nor}: a workspace holds at most {MAX_WORKSPACE_FILES:,} files")
    return sorted(settings + others[:kept]), [finding]


# YAML's line breaks: LF, CR, and (in UTF-8) NEL, U+2028 and U+2029; a file broken by any of them alone was counted as one line.
_LINE_BREAKS = (b"\n", b"\r", "\x85".encode(), "\u2028".encode(), "\u2029".encode())


def values_in(data: bytes) -> int:
    """How many values a YAML text holds at most, counted by their separators (see `MAX_FILE_VALUES`)."""
    return data.count(b",") + data.count(b":") + sum(data.count(brk) for brk in _LINE_BREAKS)


def over_the_limit(size: int) -> str:
    """How far a file of `size` bytes is over the limit, in words ppm says wherever it refuses one."""
    return f"{size / 1e6:.1f} MB, above the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit for a workspace file"


def _real(path: Path) -> Path | None:
    """Where `path` leads, links followed; None for a link that leads round in a loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a loop: RuntimeError before Python 3.13, OSError (ELOOP) from it on
        return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is (or links to) a folder; a link it cannot follow (through a file, a loop) is not one."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def too_large(path: str, size: int) -> Finding:
    return unreadable(path, f"file is {over_the_limit(size)}; not read")


def past_the_bytes(path: str) -> Finding:
    """A file not read because, with it, the files read in path order would pass `MAX_WORKSPACE_BYTES`."""
    return unreadable(path, f"not read: with it the files hold over {MAX_WORKSPACE_BYTES // (1024 * 1024)} MiB, the most a workspace may hold")


def is_yaml_name(name: str) -> bool:
    return name.endswith(YAML_SUFFIXES) and not name.startswith(".")


# No id holds a control character: one in a file name would become an id that every output shows escaped.
_CONTROL_IN_NAME = re.compile(f"[{CONTROL_CHARACTERS}]")


def unreadable_name(path: str) -> Finding | None:
    """A finding for a path whose name is not UTF-8 (undecodable bytes arrive as surrogates), shown with those bytes escaped,
    or holds a control character (shown escaped by every output, as any path is)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return unreadable(shown, "file name is not UTF-8 text; not read (rename the file)")
    if _CONTROL_IN_NAME.search(path) is not None:
        return unreadable(path, "file name holds a control character (a line break, an escape, a bidi override); not read (rename the file)")
    return None


class FileSource:
    """The workspace folder on disk, listed once.

    Args:
        root: the workspace folder.
        remember: keep each file's bytes from its first read for the next one,
            so two passes over the files (the fingerprint of `ppm check`'s result
            cache, then the load) read the disk once and see the same bytes.
    """

    def __init__(self, root: Path, *, remember: bool = False) -> None:
        self.root = root.resolve()
        self._root = str(self.root)
        # Links `files()` listed (into the workspace); any other path is opened without following a link.
        self._links: set[str] = set()
        self._listing: tuple[list[str], list[Finding]] | None = None
        self._kept: dict[str, bytes | Finding] | None = {} if remember else None
        self._bytes = 0  # read so far; past `MAX_WORKSPACE_BYTES`, no file more is read

    def files(self) -> tuple[list[str], list[Finding]]:
        if self._listing is None:
            paths: list[str] = []
            findings: list[Finding] = []
            if (self.root / SETTINGS_FILE).exists() or (self.root / SETTINGS_FILE).is_symlink():
                paths.append(SETTINGS_FILE)
            for kind in KINDS:
                self._walk(kind, paths, findings)
            paths, beyond = within_file_cap(sorted(paths))
            self._listing = (paths, findings + beyond)
        paths, findings = self._listing
        return list(paths), list(findings)  # the caller's to extend

    def _walk(self, kind: str, paths: list[str], findings: list[Finding]) -> None:
        """Every YAML file below the `kind` folder, depth first in name order, with an explicit stack (no recursion limit to hit)."""
        seen: set[Path] = set()
        # Another kind's folder is read as that kind: a link into it (projects/staff -> ../people) reads nothing here.
        others = tuple(real for other in KINDS if other != kind and (real := _real(self.root / other)) is not None)
        top = self._list(self.root / kind, kind, findings, seen, others)
        stack = [iter(top)] if top is not None else []
        deep = False
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            folder, child = entry
            if child.name.startswith("."):
                continue
            rel = f"{folder}/{child.name}"
            if child.is_symlink():
                problem = self._link_problem(Path(child.path))
                if problem is not None:
                    if problem is LOOP or is_yaml_name(child.name) or _is_dir(child):
                        findings.append(unreadable(rel, problem))
                    continue
                self._links.add(rel)
            if _is_dir(child):
                if is_yaml_name(child.name):
                    findings.append(unreadable(rel, f"'{child.name}' is a folder, not a YAML file"))
                if len(stack) >= MAX_FOLDER_DEPTH:
                    if not deep:  # one finding, however many folders lie deeper
                        findings.append(unreadable(rel, f"folders nest deeper than {MAX_FOLDER_DEPTH} levels; the files below are not read"))
                        deep = True
                    continue
                below = self._list(Path(child.path), rel, findings, seen, others)
                if below is not None:
                    stack.append(iter(below))
            elif is_yaml_name(child.name):
                bad_name = unreadable_name(rel)
                if bad_name is not None:
                    findings.append(bad_name)
                else:
                    paths.append(rel)

    def _list(self, folder: Path, rel: str, findings: list[Finding], seen: set[Path], others: tuple[Path, ...]) -> list[tuple[str, os.DirEntry[str]]] | None:
        """The entries of one folder, sorted by name, each with the folder's relative path; None when it is not walked."""
        problem = self._link_problem(folder)
        if problem is not None:
            findings.append(unreadable(rel, problem))
            return None
        real = folder.resolve()
        if folder.is_symlink():
            if real in (parent := folder.parent.resolve(), *parent.parents):
                findings.append(unreadable(rel, LOOP))  # to a folder it is in (the workspace itself, say): round and round
                return None
            if any(real == other or other in real.parents or real in other.parents for other in others):
                return None  # another kind's files (or a folder holding them), read as that kind
        if real in seen:  # a link into a folder already walked: its files are read once, where they are
            return None
        seen.add(real)
        try:
            with os.scandir(folder) as listing:
                return [(rel, entry) for entry in sorted(listing, key=lambda e: e.name)]
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            findings.append(unreadable(rel, f"'{rel}' should be a folder of YAML files"))
        except OSError as exc:
            findings.append(unreadable(rel, f"folder cannot be listed: {exc.strerror or exc}"))
        return None

    def _link_problem(self, path: Path) -> str | None:
        """Why a link at `path` is not followed: out of the workspace, to a dot-file or into a dot-folder, or round in a loop."""
        try:
            real = path.resolve(strict=True)
        except RuntimeError:  # links that lead back to themselves, before Python 3.13
            return LOOP
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # the same, from Python 3.13 on
                return LOOP
            real = path.resolve()  # a link to nothing, or through a file: where it points still says whether it leaves the workspace
        if real == self.root:
            return None
        if self.root not in real.parents:
            return OUTSIDE
        if any(part.startswith(".") for part in real.relative_to(self.root).parts):
            return HIDDEN
        return None

    def read(self, path: str) -> bytes | Finding:
        if self._kept is None:
            return self._read(path)
        if path in self._kept:
            return self._kept.pop(path)  # the second pass: handed over, not kept twice
        data = self._kept[path] = self._read(path)
        return data

    def _read(self, path: str) -> bytes | Finding:
        # os-level calls: pathlib and buffered files cost several times the read itself on small files.
        full = os.path.join(self._root, path)
        try:
            handle = self._open(full, path in self._links)
        except IsADirectoryError:
            return unreadable(path, f"'{os.path.basename(full)}' is a folder, not a YAML file")
        except PermissionError:
            return unreadable(path, "permission denied")
        except OSError as exc:
            return unreadable(path, f"cannot be read: {exc.strerror or exc}")
        if isinstance(handle, str):
            return unreadable(path, handle)
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode):
                return unreadable(path, "not a regular file")
            if info.st_size > MAX_FILE_BYTES:
                return too_large(path, info.st_size)
            if self._bytes + info.st_size > MAX_WORKSPACE_BYTES:
                self._bytes = MAX_WORKSPACE_BYTES + 1  # and every file after it
                return past_the_bytes(path)
            chunks = []
            left = MAX_FILE_BYTES + 1
            while left > 0 and (chunk := os.read(handle, left)):
                chunks.append(chunk)
                left -= len(chunk)
            data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
            self._bytes += len(data)
            return data
        except OSError as exc:
            return unreadable(path, f"cannot be read: {exc.strerror or exc}")
        finally:
            os.close(handle)

    def _open(self, full: str, linked: bool) -> int | str:
        """A descriptor for reading `full`, or why not when it is a link out of the workspace or to a dot-path.

        Only a link goes through the (slower) check of where it points; any other
        path is opened without following one, so a file swapped for a link since
        it was listed is caught too.
        """
        flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK  # a FIFO must not block the open
        if not linked:
            try:
                return os.open(full, flags | os.O_NOFOLLOW)
            except OSError:
                if not os.path.islink(full):
                    raise
        problem = self._link_problem(Path(full))
        return problem if problem is not None else os.open(full, flags)
