"""Plain `git` through subprocess: resolve a revision, list a workspace's files at it, read them in one batch.

Every call is an argv tuple (no shell) pinned to one repository, found once
from the workspace's real location, with every setting that could run a
program or fetch switched off, and turns failure into a `PpmError` that names
the revision. A revision is checked
before use so that it can never be read as an option (`--output=x` is an
unknown revision, not a flag).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from ppmcli.core.errors import PpmError
from ppmcli.core.findings import Finding, quote
from ppmcli.core.kinds import KINDS
from ppmcli.load.sources import MAX_FILE_BYTES, MAX_WORKSPACE_BYTES, SETTINGS_FILE, is_yaml_name, past_the_bytes, too_large, unreadable, unreadable_name, within_file_cap

# Settings that make git run a program or reach out, switched off whatever a config says; git reads
# nothing of the workspace's but the objects it is asked for (no index, hooks, filters or remotes).
_PINNED = (
    "safe.bareRepository=explicit",  # a repository laid out in a folder is never found by discovery
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "protocol.allow=never",  # no transport at all: a promisor remote cannot be fetched from
)
# The runner's choices of which config files git reads are trusted; every other GIT_* variable is
# dropped (a hook's GIT_DIR or GIT_INDEX_FILE must not redirect our reads to another repository).
_KEPT = ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM")
_SYMLINK_MODE = "120000"
_CONFIG_ENV = ("GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_")


def _env(top: Path, discover: bool = False) -> dict[str, str]:
    # Finding the repository, git may read the runner's safe.directory from the environment too (GIT_CONFIG_COUNT,
    # GIT_CONFIG_KEY_n, GIT_CONFIG_VALUE_n), as it does for every git command the runner starts.
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_") or key in _KEPT or (discover and key.startswith(_CONFIG_ENV))}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_NO_LAZY_FETCH"] = "1"  # git 2.45+: never fetch a missing object from a promisor
    # No transport whatever a config says: `protocol.file.allow=always` in a repository's config outranks the
    # pinned `protocol.allow=never`, and an older git fetches a missing object lazily; an empty list allows none.
    env["GIT_ALLOW_PROTOCOL"] = ""
    env["GIT_NO_REPLACE_OBJECTS"] = "1"  # refs/replace/ must not swap one commit's content for another's
    env["GIT_CEILING_DIRECTORIES"] = str(top.parent)
    env["LC_ALL"] = "C"
    return env


def run_git(repo: Path, *args: str, stdin: bytes | None = None, discover: bool = False) -> tuple[int, bytes, bytes]:
    """Run `git ARGS` pinned to the repository whose top folder is `repo`: (return code, stdout, stderr).

    The repository is named explicitly (`--git-dir`), so git never looks for one
    itself, and the settings in `_PINNED` override any config. With `discover`, git finds it in `repo` alone (the
    ceiling is its parent), as it does for a user, so it applies its own checks, the owner's among them.
    """
    pinned = [part for setting in _PINNED for part in ("-c", setting)]
    named = () if discover else (f"--git-dir={repo / '.git'}", f"--work-tree={repo}")
    argv = ("git", *named, *pinned, *args)
    try:
        result = subprocess.run(argv, input=stdin, capture_output=True, env=_env(repo, discover), cwd=repo, check=False)
    except FileNotFoundError:
        raise PpmError("git is not installed (or not on PATH); ppm needs it to read revisions") from None
    except OSError as exc:  # e.g. `repo` vanished
        raise PpmError(f"cannot run git in {quote(repo)}: {exc.strerror or exc}") from None
    return result.returncode, result.stdout, result.stderr


def repo_root(path: Path) -> Path:
    """The top folder of the git work tree holding `path`: the nearest folder at or above its real location with a `.git`.

    Found by us, not by git's discovery, so a repository laid out inside the
    workspace (a bare `HEAD`/`config`/`objects/` in a folder) is never used: only
    a `.git` entry counts, and git itself never commits one.
    """
    found = enclosing_repo(path)
    if found is None:
        raise PpmError(f"{quote(path)} is not inside a git repository; ppm diff and --baseline compare git revisions")
    return found


def enclosing_repo(path: Path) -> Path | None:
    """`repo_root` of `path`, or None when it is in no repository (git is run only where a `.git` entry is found)."""
    here = path.resolve()
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            # Found by git as a user's git finds it: a repository someone else owns (a `.git` planted in a shared
            # folder such as /tmp) is refused as git refuses it, unless the user's safe.directory trusts it.
            code, _, err = run_git(folder, "rev-parse", "--git-dir", discover=True)
            if code != 0 and b"dubious ownership" in err:
                raise PpmError(f"git refuses the repository in {quote(folder)}: it belongs to another user (detected dubious ownership); if you trust it, run: git config --global --add safe.directory {shlex.quote(str(folder))}")
            return folder if code == 0 else None
    return None


def init_repo(folder: Path) -> str | None:
    """`git init` in `folder`, pinned like every other call; None when done, else why not (git's first line)."""
    code, _, err = run_git(folder, "init", "--quiet")
    return None if code == 0 else (err.decode(errors="replace").strip().splitlines() or ["git init failed"])[0]


def resolve_rev(repo: Path, rev: str) -> str:
    """The commit id `rev` names.

    Raises:
        PpmError: `rev` is not a commit of this repository (or looks like an option).
    """
    if not rev or rev.startswith("-") or "\0" in rev:
        raise PpmError(f"unknown git revision {quote(rev)}")
    code, out, _ = run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    sha = out.decode(errors="replace").strip()
    # One commit id (SHA-1 or SHA-256), nothing else: `^main` "verifies" as `^<id>`, a range's negation.
    if code != 0 or len(sha) not in (40, 64) or sha.strip("0123456789abcdef"):
        raise PpmError(f"unknown git revision {quote(rev)}")
    return sha


def short_rev(repo: Path, sha: str) -> str:
    code, out, _ = run_git(repo, "rev-parse", "--short", "--end-of-options", sha)
    return out.decode().strip() if code == 0 else sha[:12]


class GitSource:
    """A workspace as it is at one commit: the `prefix` folder of the repository's tree.

    Files are listed with one `git ls-tree` and read with one `git cat-file --batch`.
    """

    def __init__(self, repo: Path, sha: str, prefix: str, store: dict[str, bytes] | None = None, *, rev: str | None = None, settings_required: bool = True) -> None:
        """`rev` is the revision as the user named it (for messages); without `settings_required`, a revision whose
        folder has no ppm.yaml (before the portfolio was created) is a workspace without one, not an error."""
        self.repo = repo
        self.sha = sha
        self.rev = rev if rev is not None else sha[:12]
        self.settings_required = settings_required
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self._blobs: dict[str, tuple[str, str, int]] = {}  # path -> (mode, object id, size)
        # Bytes by object id, read on first use; `store` may be shared with a source of another revision
        # of the same repository (both sides of a diff), so a file both hold is read from git once.
        self._store = store if store is not None else {}
        self._fetched = False
        self._past: set[str] = set()  # files past the bytes a workspace may hold: not read

    def files(self) -> tuple[list[str], list[Finding]]:
        args = ["ls-tree", "-r", "-z", "-l", "--full-tree", self.sha, "--"]
        args += [self.prefix + SETTINGS_FILE] + [self.prefix + kind for kind in KINDS]
        code, out, err = run_git(self.repo, *args)
        if code != 0:
            raise PpmError(f"cannot list the files of revision {self.sha[:12]}: {err.decode(errors='replace').strip()}")
        paths: list[str] = []
        findings: list[Finding] = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, object_id, size = meta.decode().split()
            path = name.decode("utf-8", errors="surrogateescape")[len(self.prefix) :]
            parts = path.split("/")  # git lists normalized paths: no empty or "." parts
            # Below a folder named ppm.yaml (a hostile branch's) is no workspace file: that revision has no ppm.yaml.
            if parts[0] == SETTINGS_FILE and len(parts) > 1:
                continue
            if mode == _SYMLINK_MODE and not is_yaml_name(parts[-1]) and not any(part.startswith(".") for part in parts):
                # A linked folder (projects -> data/projects): git stores the link, not the files; said, not silently empty.
                findings.append(unreadable(path, "symbolic link in the repository; not followed"))
                continue
            if kind == "commit" and (is_yaml_name(parts[-1]) or len(parts) == 1) and not any(part.startswith(".") for part in parts):
                # A submodule where a workspace file or a kind's folder would be: said, as the working tree's empty folder is.
                findings.append(unreadable(path, "a submodule (gitlink) in the repository; not read"))
                continue
            if kind != "blob" or not is_yaml_name(parts[-1]):
                continue
            if not size.isdigit():  # "BAD": the blob is not in the repository
                raise self._missing(object_id)
            if any(part.startswith(".") for part in parts):
                continue
            bad_name = unreadable_name(path)
            if bad_name is not None:
                findings.append(bad_name)
                continue
            if mode == _SYMLINK_MODE:
                findings.append(unreadable(path, "symbolic link in the repository; not followed"))
                continue
            self._blobs[path] = (mode, object_id, int(size))
            paths.append(path)
        if SETTINGS_FILE not in self._blobs:
            if self.settings_required:
                where = quote(self.prefix) if self.prefix else "the repository root"
                raise PpmError(f"revision {quote(self.rev)} has no {SETTINGS_FILE} in {where}")
            # No ppm.yaml, no workspace, whatever files lie there: the base of a change that makes one is an empty
            # portfolio (everything is added), however it lacks it.
            self._blobs.clear()
            return [], []
        paths, beyond = within_file_cap(sorted(paths))
        findings += beyond
        # As a folder is read: in path order, and from the file that would pass the bytes a workspace may hold, none.
        total = 0
        for path in paths:
            blob_size = self._blobs[path][2]
            if blob_size <= MAX_FILE_BYTES:
                total += blob_size
                if total > MAX_WORKSPACE_BYTES:
                    self._past.add(path)
        return paths, findings

    def read(self, path: str) -> bytes | Finding:
        _, object_id, size = self._blobs[path]
        if size > MAX_FILE_BYTES:
            return too_large(path, size)
        if path in self._past:
            return past_the_bytes(path)
        if not self._fetched:
            self._fetch()
        return self._store[object_id]

    def _fetch(self) -> None:
        """Every listed file that is not too large and not in the store yet, in one `git cat-file --batch`."""
        self._fetched = True
        wanted = sorted({object_id for path, (_, object_id, size) in self._blobs.items() if size <= MAX_FILE_BYTES and path not in self._past and object_id not in self._store})
        if not wanted:
            return
        request = "".join(f"{object_id}\n" for object_id in wanted).encode()
        code, out, err = run_git(self.repo, "cat-file", "--batch", stdin=request)
        if code != 0:
            raise PpmError(f"cannot read the files of revision {self.sha[:12]}: {err.decode(errors='replace').strip()}")
        offset = 0
        for object_id in wanted:
            header_end = out.index(b"\n", offset)
            header = out[offset:header_end].split()  # "<id> blob <size>", or "<id> missing"
            if len(header) != 3:
                raise self._missing(object_id)
            size = int(header[2])
            start = header_end + 1
            self._store[object_id] = out[start : start + size]
            offset = start + size + 1  # the blob is followed by a newline

    def _missing(self, object_id: str) -> PpmError:
        """A blob the repository lacks (a partial clone: ppm never fetches one)."""
        return PpmError(f"cannot read the files of revision {self.sha[:12]}: object {object_id} is missing (a partial clone? ppm never fetches)")



def tracked_link(link: str) -> bool:
    """Whether the symbolic link at `link` (an absolute path, not resolved) is one git tracks in its repository's index."""
    folder = Path(link).parent
    try:
        repo = enclosing_repo(folder)
    except PpmError:  # no git, or a repository git refuses: no branch of it is checked out here to distrust
        return False
    if repo is None:
        return False
    relative = (folder.resolve() / Path(link).name).relative_to(repo).as_posix()
    code, out, _ = run_git(repo, "ls-files", "-s", "-z", "--", f":(literal){relative}")
    return code == 0 and out.startswith(_SYMLINK_MODE.encode() + b" ")


def workspaces_at(repo: Path, sha: str) -> list[str]:
    """The folders (repository-relative, '' for the top) that hold a ppm.yaml in commit `sha`."""
    code, out, err = run_git(repo, "ls-tree", "-r", "-z", "--name-only", "--full-tree", sha)
    if code != 0:
        raise PpmError(f"cannot list the files of revision {sha[:12]}: {err.decode(errors='replace').strip()}")
    names = (name.decode("utf-8", errors="surrogateescape") for name in out.split(b"\0") if name)
    return [name[: -len(SETTINGS_FILE)].rstrip("/") for name in names if name == SETTINGS_FILE or name.endswith("/" + SETTINGS_FILE)]


def superproject(repo: Path) -> str:
    """The work tree of the repository that holds `repo` as a submodule ('' when it is none's)."""
    code, out, _ = run_git(repo, "rev-parse", "--show-superproject-working-tree")
    return out.decode(errors="replace").strip() if code == 0 else ""


def workspace_prefix(repo: Path, workspace_root: Path) -> str:
    """The workspace's folder relative to the repository root, POSIX, '' at the root."""
    try:
        relative = workspace_root.resolve().relative_to(repo)
    except ValueError:
        raise PpmError(f"workspace {quote(workspace_root)} is not inside the git repository {quote(repo)}") from None
    return relative.as_posix() if str(relative) != "." else ""
