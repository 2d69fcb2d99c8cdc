"""`ppm check`'s output as earlier runs wrote it, and the stat data that vouch that the files are unchanged since.

Two kinds of signed pack per workspace, in the cache folder (`signed`):

- `<workspace>.<slot>.out`, one per set of options (format, colour, --fail-on…;
  the date is inside): the date, the fingerprint of the files the output was
  computed from (`cache.fingerprint`), the exit code, and the text of stdout
  and stderr, as plain UTF-8.
- `<workspace>.stat`: the fingerprint of the files the last run read, and a
  digest of their stat data (`snapshot`) taken before it read them.

As in git's index, the stat data (type, size, mtime, ctime and inode of
`ppm.yaml` and of every entry below the entity folders) stand for the contents:
while they are unchanged, no file is read. Writing a file changes its ctime,
and so does restoring its mtime (`os.utime`, `touch -d`), to the clock's time,
which no user can set. Stat data that cannot tell vouch for nothing: a file
changed within `RACY_NS` of the snapshot (a second write within the same
timestamp tick could leave every field as it was), a symbolic link (its
target can change without it), a folder that cannot be read. Then the files
are read and fingerprinted, as they are when the stat data differ, and an
output recorded for the same fingerprint is still the answer.

Light on purpose (os, stat, hashlib and `signed`): a warm `ppm check` is answered from here before anything heavy is imported.
"""

from __future__ import annotations

import hashlib
import os
import stat

from ppmcli.core.bounds import MAX_FOLDER_DEPTH
from ppmcli.core.kinds import KINDS, SETTINGS_FILE
from ppmcli.load.signed import cache_folder, keep_newest, open_secret, pack_name, read_signed, write_signed

TYPE_CHECKING = False  # not typing's: importing typing costs a warm run milliseconds (mypy reads the name as typing's)
if TYPE_CHECKING:
    from ppmcli.load.sources import FileSource

_OUTPUT = b"PPMOUTPUT1\n"
# Outputs kept per workspace: one per set of options, each as large as `check`'s output (tens of MB on a large workspace).
_MAX_OUTPUTS = 8
_STAT = b"PPMSTAT1\n"
# A file whose mtime or ctime is this close to the snapshot's time (or later) is not vouched for by its stat data:
# filesystems stamp times in clock ticks (milliseconds on ext4, xfs, btrfs, tmpfs), whole seconds (ext3, HFS+) or 2 s (FAT).
RACY_NS = 3_000_000_000

# What an output is recorded under: the date (ISO) first, then everything else it depends on (`replay.options_key`).
Key = tuple[object, ...]
# What `Record.output` gives: the files' fingerprint, the exit code, stdout's and stderr's text.
Output = tuple[bytes, int, str, str]


def snapshot(root: str, now_ns: int) -> bytes | None:
    """A digest of the stat data of `ppm.yaml` and of every entry below the entity folders (dot-entries aside, as the listing skips them).

    None when they cannot vouch for the contents: a symbolic link, a folder that
    cannot be listed, an entry changed at `now_ns - RACY_NS` or later.
    """
    since = now_ns - RACY_NS
    top = {SETTINGS_FILE, *KINDS}
    rows: list[str] = []
    folders = [""]
    try:
        while folders:
            rel = folders.pop()
            # Stat through the folder's descriptor: the kernel does not walk the whole path again for each entry.
            handle = os.open(os.path.join(root, rel), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
            try:
                with os.scandir(handle) as listing:
                    for entry in listing:
                        name = entry.name
                        if rel:
                            if name.startswith("."):
                                continue
                            name = f"{rel}/{name}"
                        elif name not in top:
                            continue
                        info = entry.stat(follow_symlinks=False)
                        mode = info.st_mode
                        if stat.S_ISDIR(mode):  # its entries have rows of their own; its times change with dot-entries too
                            if name.count("/") >= MAX_FOLDER_DEPTH:
                                return None  # deeper than the loader reads: the run reports it
                            rows.append(f"{name}\0{mode}\n")
                            if name != SETTINGS_FILE:
                                folders.append(name)
                        elif stat.S_ISLNK(mode) or info.st_mtime_ns >= since or info.st_ctime_ns >= since:
                            return None
                        else:
                            rows.append(f"{name}\0{mode}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\n")
            finally:
                os.close(handle)
    except OSError:
        return None
    rows.sort()  # listing order is the filesystem's
    return hashlib.blake2b("".join(rows).encode("utf-8", "surrogatepass"), digest_size=24, person=b"ppm-stat").digest()


class Record:
    """One workspace's recorded outputs and stat snapshot, under this user's key.

    Args:
        directory: the cache folder.
        workspace: the workspace's root.
        secret: the key packs are signed with.
    """

    def __init__(self, directory: str, workspace: str, secret: bytes) -> None:
        self._base = os.path.join(directory, pack_name(workspace))
        self._secret = secret

    def files(self, stamp: bytes) -> bytes | None:
        """The fingerprint of the files the last run read, if their stat data were then `stamp`."""
        payload = read_signed(self._base + ".stat", self._secret, _STAT)
        if payload is None:
            return None
        kept, _, files = payload.partition(b" ")
        try:
            return bytes.fromhex(files.decode("ascii")) if bytes.fromhex(kept.decode("ascii")) == stamp else None
        except ValueError:
            return None

    def keep_files(self, stamp: bytes, files: bytes) -> None:
        write_signed(self._base + ".stat", self._secret, _STAT, f"{stamp.hex()} {files.hex()}".encode("ascii"))

    def output(self, key: Key) -> Output | None:
        """The output recorded under `key`, or None."""
        payload = read_signed(self._file(key), self._secret, _OUTPUT)
        if payload is None:
            return None
        try:
            start = payload.index(b"\n") + 1
            day, files, code, size = payload[: start - 1].decode("ascii").split(" ")
            split = start + int(size)
            if day != key[0] or not start <= split <= len(payload):
                return None
            body = memoryview(payload)  # decoded in place: an output of 150,000 findings is tens of megabytes
            return bytes.fromhex(files), int(code), str(body[start:split], "utf-8", "surrogatepass"), str(body[split:], "utf-8", "surrogatepass")
        except ValueError:
            return None

    def keep_output(self, key: Key, output: Output) -> None:
        files, code, stdout, stderr = output
        out = stdout.encode("utf-8", "surrogatepass")
        head = f"{key[0]} {files.hex()} {code} {len(out)}\n".encode("ascii")
        write_signed(self._file(key), self._secret, _OUTPUT, head + out + stderr.encode("utf-8", "surrogatepass"))
        keep_newest(self._base, ".out", _MAX_OUTPUTS)

    def _file(self, key: Key) -> str:
        # One file per set of options, whatever the date (it is inside), so the record does not grow day by day.
        slot = hashlib.blake2b(repr(key[1:]).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        return f"{self._base}.{slot}.out"


class Recorder:
    """A `ppm check` the record did not answer: how it records what it wrote, and the files as the lookup already read them.

    Args:
        root: the workspace's root.
        key: the key the lookup asked for.
        stamp: the files' stat data (`snapshot`) before any was read; None when they vouch for nothing.

    Attributes:
        known: a source holding the bytes the lookup read to compare fingerprints, and their fingerprint; None when it read none.
        vouched: the fingerprint the stat record vouches for, when the lookup read nothing: good for finding a result,
            never for keeping one (a file may change before it is read).
    """

    def __init__(self, root: str, key: Key, stamp: bytes | None) -> None:
        self.root = root
        self.key = key
        self.stamp = stamp
        self.known: tuple[FileSource, bytes] | None = None
        self.vouched: bytes | None = None

    def record(self, key: Key, files: bytes, stdout: str, stderr: str, code: int) -> None:
        """Record what `ppm check` wrote, computed from files of fingerprint `files`, if it ran under the key the lookup asked for."""
        if key != self.key:
            return
        folder = cache_folder()
        secret, _ = open_secret(folder, create=False)  # the result cache created it, or said why not
        if secret is None:
            return
        record = Record(folder, self.root, secret)
        record.keep_output(key, (files, code, stdout, stderr))
        if self.stamp is not None:
            record.keep_files(self.stamp, files)
