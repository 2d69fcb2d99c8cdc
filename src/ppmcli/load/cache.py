"""Caches that make warm runs fast, in the user's cache folder.

`FileCache` keeps, per workspace, the loader's result for each file keyed by
its content (kind, id, path and bytes), so a warm run parses only the files
that changed. `ResultCache` keeps whole results (the findings of `ppm check`)
keyed by a fingerprint of every input file and the options, so an unchanged
workspace is answered without loading it at all.

Packs are written whole to a temporary file and renamed into place, so
concurrent runs never see half a pack. Every pack is signed with an HMAC under
a secret that only this user can read: a corrupt, truncated, foreign or stale
pack is ignored (and rebuilt), never unpickled.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ppmcli import __version__

if TYPE_CHECKING:
    from ppmcli.load.sources import Source

_MAGIC = b"PPMCACHE2\n"  # the number changes with the layout of what packs hold
_SECRET_BYTES = 32
# Results of the last few option sets (as-of dates, formats) per workspace.
_MAX_RESULTS = 8


def default_directory() -> Path:
    """$PPM_CACHE_DIR, else $XDG_CACHE_HOME/ppm, else ~/.cache/ppm."""
    if os.environ.get("PPM_CACHE_DIR"):
        return Path(os.environ["PPM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ppm"


def _pack_name(workspace: str) -> str:
    return hashlib.sha256(f"{__version__}\0{workspace}".encode()).hexdigest()[:32]


def _secret(directory: Path) -> bytes | None:
    """This user's signing secret, created 0600 on first use; None when the folder is unusable."""
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = directory / "secret"
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            secret = path.read_bytes()
            return secret if len(secret) == _SECRET_BYTES else None
        with os.fdopen(handle, "wb") as out:
            secret = secrets.token_bytes(_SECRET_BYTES)
            out.write(secret)
        return secret
    except OSError:
        return None


def _read_signed(path: Path, secret: bytes | None) -> dict[Any, Any]:
    """The dict stored at `path` if it carries our signature, else {}."""
    if secret is None:
        return {}
    try:
        blob = path.read_bytes()
    except OSError:
        return {}
    head = len(_MAGIC) + hashlib.sha256().digest_size
    if not blob.startswith(_MAGIC) or len(blob) < head:
        return {}
    signature, payload = blob[len(_MAGIC) : head], blob[head:]
    if not hmac.compare_digest(signature, hmac.new(secret, payload, hashlib.sha256).digest()):
        return {}
    collecting = gc.isenabled()
    gc.disable()  # unpickling builds many objects that all live on: the collector would only rescan them
    try:
        entries = pickle.loads(payload)
    except Exception:  # signed by us but unreadable (e.g. a model class changed): rebuild
        return {}
    finally:
        if collecting:
            gc.enable()
    return entries if isinstance(entries, dict) else {}


def _write_signed(path: Path, secret: bytes, entries: dict[Any, Any]) -> None:
    """Sign and write atomically; silent when it cannot (a read-only or full disk costs speed, never a result)."""
    try:
        payload = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
        signature = hmac.new(secret, payload, hashlib.sha256).digest()
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pack-")
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + signature + payload)
        os.replace(temporary, path)
    except OSError:
        return


def file_digest(kind: str, ident: str, path: str, data: bytes) -> bytes:
    """The cache key of one file: its kind, id, path and bytes."""
    salt = hashlib.blake2b(f"{kind}\0{ident}\0{path}".encode(), digest_size=16).digest()
    return hashlib.blake2b(data, digest_size=20, person=b"ppm-file", salt=salt).digest()


class FileCache:
    """Loader results by file digest for one workspace.

    One instance serves several loads of a run (both sides of a diff), so a file
    unchanged between two revisions is parsed once even without a cache folder.

    Args:
        directory: the cache folder (created 0700 when missing); None keeps the cache in memory only.
        workspace: a name for the workspace (its absolute path, or repository and folder).
    """

    def __init__(self, directory: Path | None, workspace: str) -> None:
        self.pack = directory / f"{_pack_name(workspace)}.pack" if directory is not None else None
        self._secret = _secret(directory) if directory is not None else None
        self._old: dict[bytes, Any] | None = None  # read on first use
        self._new: dict[bytes, Any] = {}
        self._changed = False

    def get(self, key: bytes) -> Any | None:
        if key in self._new:
            return self._new[key]
        if self._old is None:
            self._old = _read_signed(self.pack, self._secret) if self.pack is not None else {}
        entry = self._old.get(key)
        if entry is not None:
            self._new[key] = entry
        return entry

    def put(self, key: bytes, entry: Any) -> None:
        self._new[key] = entry
        self._changed = True

    def save(self) -> None:
        """Write the entries used in this run, and as many unused ones (another revision's, for `diff`)."""
        old = self._old or {}
        if self.pack is None or self._secret is None or (not self._changed and len(self._new) == len(old)):
            return
        # Keep up to one other version of the workspace: `diff` alternates between two.
        room = len(self._new) + 64
        kept = {key: entry for key, entry in old.items() if key not in self._new}
        _write_signed(self.pack, self._secret, {**dict(list(kept.items())[-room:]), **self._new})


class ResultCache:
    """Whole results by fingerprint, for one workspace (the last `_MAX_RESULTS` kept)."""

    def __init__(self, directory: Path, workspace: str) -> None:
        self.pack = directory / f"{_pack_name(workspace)}.results"
        self._secret = _secret(directory)

    def get(self, key: bytes) -> Any | None:
        return _read_signed(self.pack, self._secret).get(key)

    def put(self, key: bytes, value: Any) -> None:
        if self._secret is None:
            return
        entries = _read_signed(self.pack, self._secret)
        entries.pop(key, None)
        entries[key] = value
        _write_signed(self.pack, self._secret, dict(list(entries.items())[-_MAX_RESULTS:]))


def fingerprint(source: Source, *options: str) -> bytes:
    """A digest of every file a source holds (paths and bytes, or why one cannot be read) and of `options`."""
    paths, findings = source.files()
    digest = hashlib.blake2b(digest_size=24, person=b"ppm-run")
    for part in (__version__, *options, *sorted(repr(f) for f in findings)):
        digest.update(part.encode() + b"\0")
    for path in paths:
        data = source.read(path)
        digest.update(path.encode() + b"\0")
        digest.update(repr(data).encode() if not isinstance(data, bytes) else hashlib.blake2b(data, digest_size=20).digest())
    return digest.digest()
