"""Caches that make warm runs fast, in the user's cache folder.

`FileCache` keeps, per workspace, each file's parse (plain value, positions,
findings) keyed by its content (kind, id, path and bytes), so a warm run parses
only the files that changed. `ResultCache` keeps whole results (the findings of
`ppm check`), one file each, keyed by a fingerprint of every input file and the
options, so an unchanged workspace is answered without loading it at all.

Nothing read from disk can run code: packs hold JSON, one entry a line, decoded
only into plain values, dates, positions and findings, and checked for shape.
The cache is used only when its folder and signing key belong to this user and
no one else may read or write them (0700 and 0600); otherwise the run goes
on without it and `refusals()` tells the caller why, for it to say. Every pack is signed with an
HMAC under that key, so a corrupt, truncated, foreign or stale pack is ignored
(and rebuilt). Packs are written whole to a temporary file and renamed into
place, so concurrent runs never see half a pack, and a failed write leaves no
temporary file behind (`signed` holds the folder, the key and the signing).
"""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import hashlib
import itertools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppmcli import __version__
from ppmcli.core.findings import Finding, Severity
from ppmcli.core.positions import Positions
from ppmcli.load.signed import cache_folder, keep_newest, open_secret, pack_name as _pack_name, read_signed, write_signed

if TYPE_CHECKING:
    from ppmcli.load.sources import Source

_MAGIC = b"PPMCACHE4\n"  # the number changes with the layout of what packs hold
_RESULT = b"PPMRESULT1\n"
_KEPT = b"PPMKEPT2\n"
# Results of the last few option sets (as-of dates, formats) per workspace.
_MAX_RESULTS = 8
# Folders already judged in this process (a run opens several caches; a refused folder is reported once).
_SECRETS: dict[Path, bytes | None] = {}
_REFUSALS: list[str] = []  # why a folder was refused, until `refusals()` hands it over


def default_directory() -> Path:
    """$PPM_CACHE_DIR, else $XDG_CACHE_HOME/ppm, else ~/.cache/ppm."""
    return Path(cache_folder())


def _secret(directory: Path) -> bytes | None:
    """This user's signing key, created 0600 on first use; None when the cache cannot be trusted or used."""
    if directory not in _SECRETS:
        secret, problem = open_secret(directory)
        if problem is not None:
            _REFUSALS.append(f"cache not used: '{directory}': {problem}")
        _SECRETS[directory] = secret
    return _SECRETS[directory]


def refusals() -> list[str]:
    """Why each cache folder refused since the last call was not used (one line each; each folder once per process)."""
    found = _REFUSALS[:]
    _REFUSALS.clear()
    return found


def _read_signed(path: Path, secret: bytes | None) -> dict[str, str] | None:
    """The entries (key → JSON text) of the pack at `path` if it is ours and carries our signature, else None."""
    payload = read_signed(path, secret, _MAGIC)
    if payload is None:
        return None
    try:
        lines = payload.decode("ascii").splitlines()
    except UnicodeDecodeError:
        return None
    entries: dict[str, str] = {}
    for line in lines:
        key, tab, text = line.partition("\t")
        if tab:
            entries[key] = text
    return entries


def _write_signed(path: Path, secret: bytes, entries: dict[str, str]) -> None:
    """Sign and write atomically; silent when it cannot (a read-only or full disk costs speed, never a result)."""
    write_signed(path, secret, _MAGIC, "".join(f"{key}\t{text}\n" for key, text in entries.items()).encode("ascii"))


# ---------------------------------------------------------------- plain values ↔ JSON
#
# YAML gives strings, numbers, booleans, null, dates, date-times, lists and
# mappings with any of the scalars as keys. A mapping whose keys are all strings
# not starting with NUL is a JSON object; anything else is a one-key object
# whose key starts with NUL: "\0d" a date, "\0t" a date-time, "\0m" a mapping
# written as [key, value] pairs.

_DATE, _DATETIME, _PAIRS = "\0d", "\0t", "\0m"


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        if all(type(key) is str and not key.startswith("\0") for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {_PAIRS: [[_encode(key), _encode(item)] for key, item in value.items()]}
    if kind is list:
        return [_encode(item) for item in value]
    if kind is dt.date:
        return {_DATE: value.isoformat()}
    if kind is dt.datetime:
        return {_DATETIME: value.isoformat()}
    raise TypeError(f"cannot cache a {kind.__name__}")


def _decode_object(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        key, item = next(iter(obj.items()))
        if key == _DATE:
            return dt.date.fromisoformat(item)
        if key == _DATETIME:
            return dt.datetime.fromisoformat(item)
        if key == _PAIRS:
            return {pair[0]: pair[1] for pair in item}  # a list or mapping as key: TypeError
        if key.startswith("\0"):
            raise ValueError("unknown tag")
    return obj


_DECODER = json.JSONDecoder(object_hook=_decode_object)


def _finding(row: Any) -> Finding:
    path, line, column, severity, code, message = row
    if not (type(path) is str and type(line) is int and type(column) is int and type(code) is str and type(message) is str):
        raise ValueError("not a finding")
    return Finding(path, line, column, Severity(severity), code, message)


def _finding_row(finding: Finding) -> list[Any]:
    return [finding.path, finding.line, finding.column, int(finding.severity), finding.code, finding.message]


def encode_parsed(parsed: tuple[Any, Positions, list[Finding]]) -> str:
    """One file's parse, its positions found, as a line of JSON text (ASCII; no newline)."""
    value, positions, findings = parsed
    paths = [[_encode(part) for part in path] for path in positions.marks]
    marks = list(positions.marks.values())
    return json.dumps([_encode(value), positions.path, paths, marks, [_finding_row(f) for f in findings]], separators=(",", ":"))


def decode_parsed(text: str) -> tuple[Any, Positions, list[Finding]]:
    """The parse `encode_parsed` wrote. Raises ValueError (or TypeError) on anything else."""
    value, path, paths, marks, findings = _DECODER.decode(text)
    if type(path) is not str or len(paths) != len(marks) or not {len(mark) for mark in marks} <= {2, 4}:
        raise ValueError("not positions")
    array.array("l", itertools.chain.from_iterable(marks))  # TypeError unless every mark is whole numbers
    # A list or mapping in a path is unhashable: TypeError.
    return value, Positions(path, dict(zip(map(tuple, paths), map(tuple, marks)))), [_finding(row) for row in findings]


def file_digest(kind: str, ident: str, path: str, data: bytes) -> bytes:
    """The cache key of one file: its kind, id, path and bytes."""
    salt = hashlib.blake2b(f"{kind}\0{ident}\0{path}".encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return hashlib.blake2b(data, digest_size=20, person=b"ppm-file", salt=salt).digest()


class FileCache:
    """Parses by file digest for one workspace, and this run's loader results.

    One instance serves several loads of a run (both sides of a diff), so a file
    unchanged between two revisions is parsed and validated once even without a
    cache folder. Only parses go to disk: a model is rebuilt from its parse by
    the same validation a cold run does, so a warm run cannot differ from it.

    Args:
        directory: the cache folder (created 0700 when missing); None keeps the cache in memory only.
        workspace: a name for the workspace (its absolute path, or repository and folder).
    """

    def __init__(self, directory: Path | None, workspace: str) -> None:
        self.pack = directory / f"{_pack_name(workspace)}.pack" if directory is not None else None
        self._secret = _secret(directory) if directory is not None else None
        self._old: dict[str, str] | None = None  # read on first use
        self._unusable = False  # whether a pack is there that this run could not use (an older ppm's, damaged): replaced on save
        self._new: dict[str, str] = {}  # the encoded parse of every file this run saw
        self._results: dict[bytes, Any] = {}
        # A project given its program's portfolio, by (the project's identity, that portfolio): with the project, and its copy.
        # Both sides of a diff then hold one model of a project the change leaves alone, as they do of every other file.
        self.resolved: dict[tuple[int, str | None], tuple[Any, Any]] = {}
        self.digests: dict[tuple[str, str], bytes] = {}  # (kind, id) → its file's digest, of the last load
        self._changed = False

    def result(self, key: bytes) -> Any | None:
        """The loader's result for a file already loaded in this run."""
        return self._results.get(key)

    def parsed(self, key: bytes) -> tuple[Any, Positions, list[Finding]] | None:
        """A file's parse from an earlier run (the careful way's), or None."""
        if self._old is None:
            found = _read_signed(self.pack, self._secret) if self.pack is not None else None
            self._unusable = found is None and self.pack is not None and self.pack.exists()
            self._old = found or {}
        name = key.hex()
        text = self._old.get(name)
        if text is None:
            return None
        try:
            parsed = decode_parsed(text)
        except (ValueError, TypeError, KeyError, OverflowError, RecursionError):  # signed by us, yet not ours to trust blindly
            return None
        self._new[name] = text
        return parsed

    def put_parsed(self, key: bytes, parsed: tuple[Any, Positions, list[Finding]]) -> None:
        """Keep a fresh parse (before validation adds to its findings), if it was parsed the careful way.

        A file the fast way parsed (its positions still to be found) is parsed again faster than its
        cached parse would be read and decoded, so the pack holds the careful way's parses only.
        """
        if self._secret is None or not parsed[1].filled:  # nowhere to save it, or not worth it
            return
        try:
            self._new[key.hex()] = encode_parsed(parsed)
        except (TypeError, ValueError, RecursionError):  # not a plain value: parse it again next time
            return
        self._changed = True

    def put_result(self, key: bytes, result: Any) -> None:
        self._results[key] = result

    def save(self) -> None:
        """Write the entries used in this run, and as many unused ones (another revision's, for `diff`)."""
        old = self._old or {}
        if self.pack is None or self._secret is None or (not self._changed and len(self._new) == len(old) and not self._unusable):
            return
        # Keep up to one other version of the workspace: `diff` alternates between two.
        room = len(self._new) + 64
        kept = {key: entry for key, entry in old.items() if key not in self._new}
        _write_signed(self.pack, self._secret, {**dict(list(kept.items())[-room:]), **self._new})


class ResultCache:
    """`ppm check`'s results (sorted findings, files read) by key, for one workspace: one signed file each, the last `_MAX_RESULTS` written kept.

    One file per result, so a run reads only the result it asks for and writes only its own: a pack of
    them all was read and written whole on every miss, tens of megabytes each on a large workspace.
    """

    def __init__(self, directory: Path, workspace: str) -> None:
        self._base = directory / _pack_name(workspace)
        self._secret = _secret(directory)

    def _file(self, key: bytes) -> Path:
        return self._base.with_name(f"{self._base.name}.{key.hex()}.result")

    def get(self, key: bytes) -> tuple[list[Finding], int] | None:
        payload = read_signed(self._file(key), self._secret, _RESULT)
        if payload is None:
            return None
        try:
            rows, files = json.loads(payload)
            if type(files) is not int:
                return None
            return [_finding(row) for row in rows], files
        except (ValueError, TypeError, RecursionError):  # signed by us, yet not ours to trust blindly (a list nested 10^5 deep)
            return None

    def put(self, key: bytes, value: tuple[list[Finding], int]) -> None:
        if self._secret is None:
            return
        findings, files = value
        text = json.dumps([[_finding_row(f) for f in findings], files], separators=(",", ":"))
        write_signed(self._file(key), self._secret, _RESULT, text.encode("ascii"))
        keep_newest(self._base, ".result", _MAX_RESULTS)
        with contextlib.suppress(OSError):  # the pack of every result that ppm wrote before each had a file (tens of MB)
            self._base.with_name(self._base.name + ".results").unlink()


class KeptFindings:
    """What the per-project rules (`Rule.per_project`) found in each project's file, and the checks by person about each
    person, at the last check of a workspace.

    A per-project rule's findings in a project's file come from that file, ppm.yaml and the date alone, so they are
    kept under the file's digest (with the portfolio the project takes from its program, the one thing another file
    gives it); a check by person's findings about a person come from the person's file, the projects whose team names
    them, ppm.yaml and the date, so they are kept under the digests of those files (`kept_key`). Both for one context:
    ppm's version, the date and ppm.yaml's digest. The next check in that context runs those rules only on the projects
    and people it has nothing for. One signed pack per workspace, of the last context checked; its entries are
    `[path, line, column, severity, code, message]` rows.

    Args:
        directory: the cache folder.
        workspace: a name for the workspace (its absolute path).
        context: the digest of what every such rule reads besides the files of its project or person (`kept_context`).
        keys: the key of each valid project (`("projects", id)`) and person (`("people", id)`).
        paths: each project's file, where every finding kept for it must be.
    """

    def __init__(self, directory: Path, workspace: str, context: bytes, keys: dict[tuple[str, str], bytes], paths: dict[str, str]) -> None:
        self.pack = directory / f"{_pack_name(workspace)}.kept"
        self._secret = _secret(directory)
        self._context = context.hex()
        self._keys = {entity: key.hex() for entity, key in keys.items()}
        self._paths = paths
        self._new: dict[str, list[list[Any]]] = {}  # the rows of the pack to write: those reused, and this run's

    def known(self) -> dict[tuple[str, str], list[Finding]]:
        """The kept findings of each project and person found in the pack, by (kind, id)."""
        payload = read_signed(self.pack, self._secret, _KEPT)
        try:
            context, entries = json.loads(payload) if payload is not None else ("", {})
        except (ValueError, TypeError, RecursionError):  # signed by us, yet not ours to trust blindly (a list nested 10^5 deep)
            return {}
        if context != self._context or type(entries) is not dict:
            return {}
        found: dict[tuple[str, str], list[Finding]] = {}
        for entity, key in self._keys.items():
            rows = entries.get(key)
            if type(rows) is not list:
                continue
            try:  # signed by us, yet not ours to trust blindly
                findings = [_finding(row) for row in rows]
            except (ValueError, TypeError):
                continue
            if entity[0] == "projects" and any(finding.path != self._paths[entity[1]] for finding in findings):
                continue
            found[entity] = findings
            self._new[key] = rows
        return found

    def keep(self, found: dict[tuple[str, str], list[Finding]]) -> None:
        """Write the pack anew: the findings this run found about these projects and people, and those it reused."""
        if self._secret is None or not found:
            return
        for entity, findings in found.items():
            self._new[self._keys[entity]] = [_finding_row(finding) for finding in findings]
        text = json.dumps([self._context, self._new], separators=(",", ":"))
        write_signed(self.pack, self._secret, _KEPT, text.encode("ascii"))


def kept_context(settings: bytes | None, as_of: dt.date) -> bytes:
    """What every per-project rule reads besides the project: ppm's version, the date and ppm.yaml (its digest)."""
    digest = hashlib.blake2b(settings or b"", digest_size=24, person=b"ppm-kept")
    digest.update(f"\0{__version__}\0{as_of.isoformat()}".encode())
    return digest.digest()


def kept_key(kind: str, file: bytes, *inputs: bytes | str | None) -> bytes:
    """A project's or a person's key among the kept findings: its file's digest and what else its findings come from
    (a project: the portfolio it belongs to, its program's when it names none; a person: the keys of the projects naming them)."""
    return hashlib.blake2b(json.dumps([kind, file.hex(), *(item.hex() if isinstance(item, bytes) else item for item in inputs)]).encode(), digest_size=20).digest()


def fingerprint(source: Source) -> bytes:
    """A digest of every file a source holds (paths and bytes, or why one cannot be read), under ppm's version."""
    paths, findings = source.files()
    digest = hashlib.blake2b(digest_size=24, person=b"ppm-run")
    for part in (__version__, *sorted(repr(f) for f in findings)):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for path in paths:
        data = source.read(path)
        digest.update(path.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(repr(data).encode() if not isinstance(data, bytes) else hashlib.blake2b(data, digest_size=20).digest())
    return digest.digest()


def result_key(files: bytes, *options: str) -> bytes:
    """The key of a result: the fingerprint of the files it was computed from, and the options it was computed with."""
    digest = hashlib.blake2b(files, digest_size=24, person=b"ppm-result")
    for part in options:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.digest()
