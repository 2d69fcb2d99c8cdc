"""Files only this user can have written: the private cache folder, its signing key, and packs signed under that key.

The folder and key are trusted only when they belong to this user and no one
else may read or write them (0700 and 0600); otherwise the caller is told why.
A pack is `magic + HMAC-SHA256(key, payload) + payload`; one that is not a
regular file of ours, or whose signature does not match, reads as absent. A
pack is written whole to a temporary file and renamed into place, so
concurrent runs never see half of one, and a failed write leaves no temporary
file behind.

Light on purpose (the standard library's functools, os, re, stat, hashlib and hmac): a warm
`ppm check` reads its recorded answer through here before anything heavy is
imported.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import stat

from ppmcli import __version__

StrPath = str | os.PathLike[str]

_SECRET_BYTES = 32
_SIGNATURE_BYTES = hashlib.sha256().digest_size
_PRIVATE = 0o077  # mode bits no one but the owner may have


def cache_folder() -> str:
    """$PPM_CACHE_DIR, else $XDG_CACHE_HOME/ppm, else ~/.cache/ppm."""
    if os.environ.get("PPM_CACHE_DIR"):
        return os.environ["PPM_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ppm")


def pack_name(workspace: str) -> str:
    """The name shared by one workspace's packs (per build of ppm: another build's packs are never read)."""
    return hashlib.sha256(f"{_build()}\0{workspace}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


@functools.cache
def _build() -> str:
    """This build of ppm (`build_of` its package folder), found once per process."""
    return build_of(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # ppmcli/, above load/


def build_of(package: str) -> str:
    """ppm's version and the size and time of each module under `package`: a development checkout (or an install from
    another commit) changes the code under one version, and what an earlier build cached (the findings of a rule since
    changed) must not answer for it."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for folder, folders, files in sorted(os.walk(package)):
        folders.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                info = os.stat(path)
                digest.update(f"{os.path.relpath(path, package)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
    return f"{__version__}+{digest.hexdigest()}"


def unsafe(info: os.stat_result, what: str) -> str | None:
    """Why a file or folder of the cache cannot be trusted, or None."""
    if info.st_uid != os.geteuid():
        return f"{what} belongs to another user"
    if info.st_mode & _PRIVATE:
        return f"{what} may be read or written by others (mode {stat.S_IMODE(info.st_mode):04o}, not {'0700' if what == 'its folder' else '0600'})"
    return None


def open_secret(directory: StrPath, *, create: bool = True) -> tuple[bytes | None, str | None]:
    """(key, None), or (None, why the cache is not used); (None, None) when there is none and it is not to be created."""
    try:
        if create:
            os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError as exc:
        if not os.path.lexists(directory):
            return None, f"it cannot be created ({exc.strerror or exc})"
    try:
        info = os.lstat(directory)
    except OSError:
        return None, None
    if not stat.S_ISDIR(info.st_mode):
        return None, "it is a symbolic link, not a folder" if stat.S_ISLNK(info.st_mode) else "it is not a folder"
    if problem := unsafe(info, "its folder"):
        return None, problem
    path = os.path.join(directory, "secret")
    if not create:
        return _read_secret(path) if os.path.lexists(path) else (None, None)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        return _read_secret(path)
    except OSError as exc:
        return None, f"its key file cannot be created ({exc.strerror or exc})"
    import secrets

    secret = secrets.token_bytes(_SECRET_BYTES)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(secret)
    except OSError:
        try:
            os.unlink(path)
        except OSError:
            pass
        return None, None
    return secret, None


def _read_secret(path: str) -> tuple[bytes | None, str | None]:
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError as exc:
        return None, f"its key file cannot be opened ({exc.strerror or exc})"
    with os.fdopen(handle, "rb") as key:
        info = os.fstat(key.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, "its key file is not a regular file"
        if problem := unsafe(info, "its key file"):
            return None, problem
        secret = key.read(_SECRET_BYTES + 1)
    return (secret, None) if len(secret) == _SECRET_BYTES else (None, "its key file is damaged")


def read_signed(path: StrPath, secret: bytes | None, magic: bytes) -> bytes | None:
    """The payload of the pack at `path` if it is ours, of kind `magic`, and carries our signature; else None."""
    if secret is None:
        return None
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or unsafe(info, "pack") is not None:
            return None
        # Another kind or layout (a pack an older ppm wrote) is told by its first bytes, without reading the rest.
        if os.read(handle, len(magic)) != magic:
            return None
        blob = magic + os.read(handle, info.st_size)  # one read: a pack is written whole before it is renamed into place
    finally:
        os.close(handle)
    head = len(magic) + _SIGNATURE_BYTES
    if len(blob) < head:
        return None
    payload = blob[head:]
    if not hmac.compare_digest(blob[len(magic) : head], hmac.new(secret, payload, hashlib.sha256).digest()):
        return None
    return payload


def write_signed(path: StrPath, secret: bytes, magic: bytes, payload: bytes) -> None:
    """Sign and write atomically; silent when it cannot (a read-only or full disk costs speed, never a result).

    The first write of a process also clears out the files of the workspaces least recently written to (`keep_recent`).
    """
    import tempfile

    if not _PRUNED:
        _PRUNED.append(True)
        keep_recent(os.path.dirname(path))

    signature = hmac.new(secret, payload, hashlib.sha256).digest()
    try:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".pack-")  # 0600
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(magic + signature)
            out.write(payload)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def keep_newest(base: StrPath, suffix: str, count: int) -> None:
    """Delete all but the `count` newest (last written) files named `<base>.*<suffix>`; a forgotten one is only computed again."""
    folder, prefix = os.path.split(base)
    try:
        with os.scandir(folder) as entries:
            found = [(entry.stat(follow_symlinks=False).st_mtime_ns, entry.path) for entry in entries if entry.name.startswith(prefix + ".") and entry.name.endswith(suffix)]
        for _, path in sorted(found, reverse=True)[count:]:
            os.unlink(path)
    except OSError:  # the cache is a convenience: a file gone or locked is left as it is
        pass


# The workspaces (pack names: one per workspace and build of ppm) whose files the cache folder keeps, the most recently
# written: without a bound it grew with every checkout, temporary folder and build ever checked.
MAX_WORKSPACES = 32
_PRUNED: list[bool] = []
# The names of ppm's files in the folder: a pack name, then `.pack`, `.kept`, `.stat`, `.results` (an older ppm's),
# or a key and `.result` or `.out`; each begins with `PPM` (every pack's kind starts so).
_OURS = re.compile(r"([0-9a-f]{32})\.(?:pack|kept|stat|results|[0-9a-f]{1,64}\.(?:result|out))")
_OUR_START = b"PPM"


def keep_recent(folder: StrPath, count: int = MAX_WORKSPACES) -> None:
    """Delete ppm's files (`_OURS`, regular, this user's, starting with a pack's header) of all but the `count`
    workspaces written to most recently; a forgotten workspace's next run is a cold one. Nothing else is touched."""
    newest: dict[str, int] = {}
    files: list[tuple[str, str]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = _OURS.fullmatch(entry.name)
                if match is None or not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
                if info.st_uid != os.geteuid() or not _starts_as_ours(entry.path):
                    continue
                base = match.group(1)
                newest[base] = max(newest.get(base, 0), info.st_mtime_ns)
                files.append((base, entry.path))
        kept = set(sorted(newest, key=lambda base: (newest[base], base), reverse=True)[:count])
        for base, path in files:
            if base not in kept:
                os.unlink(path)
    except OSError:  # the cache is a convenience: a file gone or locked is left as it is
        pass


def _starts_as_ours(path: str) -> bool:
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return os.read(handle, len(_OUR_START)) == _OUR_START
    finally:
        os.close(handle)
