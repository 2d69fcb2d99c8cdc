"""A cache of parsed and validated files, keyed by their content, so a warm run skips YAML parsing.

One pack file per workspace in the user's cache folder holds, for each file
digest (kind, id, path and bytes), the loader's result for that file. A pack is
written whole to a temporary file and renamed into place, so concurrent runs
never see half a pack. Every pack is signed with an HMAC under a secret that
only this user can read: a corrupt, truncated, foreign or stale pack is ignored
(and rebuilt), never unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from pathlib import Path
from typing import Any

from ppmcli import __version__

_MAGIC = b"PPMCACHE1\n"
_SECRET_BYTES = 32


def default_directory() -> Path:
    """$PPM_CACHE_DIR, else $XDG_CACHE_HOME/ppm, else ~/.cache/ppm."""
    if os.environ.get("PPM_CACHE_DIR"):
        return Path(os.environ["PPM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ppm"


class FileCache:
    """Loader results by file digest for one workspace.

    Args:
        directory: the cache folder (created 0700 when missing).
        workspace: a name for the workspace (its absolute path, or repository and folder).
    """

    def __init__(self, directory: Path, workspace: str) -> None:
        self.directory = directory
        name = hashlib.sha256(f"{__version__}\0{workspace}".encode()).hexdigest()[:32]
        self.pack = directory / f"{name}.pack"
        self._old: dict[bytes, Any] | None = None  # read on first use, inside the loader's GC-free stretch
        self._new: dict[bytes, Any] = {}
        self._changed = False
        self._secret = self._load_secret()

    def digest(self, kind: str, ident: str, path: str, data: bytes) -> bytes:
        return hashlib.blake2b(data, digest_size=20, person=b"ppm-file", salt=hashlib.blake2b(f"{kind}\0{ident}\0{path}".encode(), digest_size=16).digest()).digest()

    def get(self, key: bytes) -> Any | None:
        if self._old is None:
            self._old = self._read_pack() if self._secret is not None else {}
        entry = self._old.get(key)
        if entry is not None:
            self._new[key] = entry
        return entry

    def put(self, key: bytes, entry: Any) -> None:
        self._new[key] = entry
        self._changed = True

    def save(self) -> None:
        """Write the entries used in this run, and as many unused ones (another revision's, for `diff`); silent when it cannot."""
        old = self._old or {}
        if self._secret is None or (not self._changed and len(self._new) == len(old)):
            return
        # Keep up to one other version of the workspace: `diff` alternates between two.
        room = len(self._new) + 64
        kept = {key: entry for key, entry in old.items() if key not in self._new}
        entries = {**dict(list(kept.items())[-room:]), **self._new}  # the most recently written ones
        try:
            payload = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
            signature = hmac.new(self._secret, payload, hashlib.sha256).digest()
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".pack-")
            with os.fdopen(handle, "wb") as out:
                out.write(_MAGIC + signature + payload)
            os.replace(temporary, self.pack)
        except OSError:
            return  # a read-only or full disk costs speed, never a result

    def _load_secret(self) -> bytes | None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = self.directory / "secret"
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

    def _read_pack(self) -> dict[bytes, Any]:
        try:
            blob = self.pack.read_bytes()
        except OSError:
            return {}
        head = len(_MAGIC) + hashlib.sha256().digest_size
        if not blob.startswith(_MAGIC) or len(blob) < head:
            return {}
        signature, payload = blob[len(_MAGIC) : head], blob[head:]
        if not hmac.compare_digest(signature, hmac.new(self._secret or b"", payload, hashlib.sha256).digest()):
            return {}
        try:
            entries = pickle.loads(payload)
        except Exception:  # signed by us but unreadable (e.g. a model class changed): rebuild
            return {}
        return entries if isinstance(entries, dict) else {}
