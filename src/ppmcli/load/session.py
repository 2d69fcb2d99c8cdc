"""The loading a command does before it analyses: the workspace on disk through the caches, a git revision, both sides of a diff.

The commands call these; the checks and the analyses stay theirs (`load/` never imports `analysis/`),
so what is computed from a loaded workspace comes in as a function (`remembered`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ppmcli.core.errors import PpmError, quote
from ppmcli.core.findings import Finding
from ppmcli.core.model import Workspace
from ppmcli.load.cache import FileCache, KeptFindings, ResultCache, default_directory, fingerprint, kept_context, kept_key, result_key
from ppmcli.load import loader
from ppmcli.load.sources import FileSource, Source
from ppmcli.load.workspace import find_root

# What the result cache holds: `ppm check`'s sorted findings and the number of files read.
CheckResult = tuple[list[Finding], int]


def workspace_root(explicit: Path | None) -> Path:
    """The workspace folder: `-C`, else walking up from the current directory to `ppm.yaml`."""
    return Path(find_root(None if explicit is None else str(explicit), os.getcwd()))


def load_files(source: FileSource, *, cache: bool) -> tuple[Workspace, list[Finding]]:
    """The workspace on disk, through the cache of parsed files unless `cache` is off (`--no-cache`)."""
    return loader.load(source, FileCache(default_directory(), str(source.root)) if cache else None)


def load_for_check(source: FileSource, *, cache: bool, as_of: date) -> tuple[Workspace, list[Finding], KeptFindings | None]:
    """The workspace on disk as `load_files` gives it, and, through the cache, the findings about each project and
    person kept from the last check (`KeptFindings`)."""
    if not cache:
        return (*loader.load(source), None)
    files = FileCache(default_directory(), str(source.root))
    workspace, findings = loader.load(source, files)
    keys = {("projects", pid): kept_key("projects", files.digests[("projects", pid)], project.portfolio) for pid, project in workspace.projects.items()}
    # A person's findings of the checks by person come from their file and the projects whose team names them (`analysis.checks._BY_PERSON`).
    naming: dict[str, set[bytes]] = {}
    for pid, project in workspace.projects.items():
        for person in project.named_people:
            naming.setdefault(person, set()).add(keys[("projects", pid)])
    for person in workspace.people:
        keys[("people", person)] = kept_key("people", files.digests[("people", person)], *sorted(naming.get(person, ())))
    paths = {pid: workspace.file_of("projects", pid) for pid in workspace.projects}
    return workspace, findings, KeptFindings(default_directory(), str(source.root), kept_context(files.digests.get(("settings", "")), as_of), keys, paths)


def remembered(
    root: Path,
    options: tuple[str, ...],
    compute: Callable[[FileSource], CheckResult],
    known: tuple[FileSource, bytes] | None = None,
    vouched: bytes | None = None,
) -> tuple[CheckResult, bytes]:
    """`compute(source)` (`ppm check`'s sorted findings and files read), answered from the result cache while no file and none of `options` changed;
    and the fingerprint of the files it comes from.

    One source for the fingerprint and, on a miss, for `compute`: the files are read once.
    `known` is such a source whose files were read for their fingerprint already, and that fingerprint.
    `vouched` is a fingerprint the files' stat data vouch for: a result found under it is the answer, reading no
    file; on a miss the files are read and fingerprinted, and the result kept under what was read.
    """
    results = ResultCache(default_directory(), str(root))
    missed = None  # the fingerprint whose result was looked for already, and is not there
    if known is None and vouched is not None:
        found = results.get(result_key(vouched, *options))
        if found is not None:
            return found, vouched
        missed = vouched
    if known is None:
        source = FileSource(root, remember=True)
        known = source, fingerprint(source)
    source, files = known
    key = result_key(files, *options)
    found = results.get(key) if files != missed else None
    if found is None:
        found = compute(source)
        results.put(key, found)
    return found, files


@dataclass(frozen=True)
class Snapshot:
    """The workspace's files as one revision holds them.

    Attributes:
        source: where the files are read from (the working tree, or a commit).
        label: how a diff names it (a short commit id, or "working tree").
        cache_name: the name of its cache of parsed files.
    """

    source: Source
    label: str
    cache_name: str


def skipped_paths(ws: Workspace, findings: list[Finding], *, scenarios: bool) -> list[str]:
    """The files an analysis could not use, by path: invalid, refused unread (a binary file, a name with a control
    character, a link out of the workspace), or left out for a duplicate id; scenarios' only for the commands that read them."""
    invalid = {ws.file_of(kind, ident) for kind, ids in ws.invalid.items() for ident in ids}
    refused = {f.path for f in findings if f.code in ("duplicate-id", "unreadable-file")}
    return sorted(path for path in invalid | refused if scenarios or not path.startswith("scenarios/"))


def working_tree(root: Path) -> Snapshot:
    """The files on disk, uncommitted and untracked ones included."""
    return Snapshot(FileSource(root), "working tree", str(root))


def at_revision(root: Path, rev: str, store: dict[str, bytes] | None = None, *, settings_required: bool = True, walked_from: Path | None = None) -> Snapshot:
    """The workspace's files at git revision `rev` (a branch, tag or commit); `store` holds file bytes by git object id, shared with another revision's snapshot.

    Without `settings_required`, a revision from before the workspace had its ppm.yaml is a workspace without one.
    `walked_from` is the folder ppm walked up from to find `root` (no `-C`).
    """
    from ppmcli.load.git import GitSource, repo_root, resolve_rev, short_rev, workspace_prefix

    repo = repo_root(root)
    prefix = workspace_prefix(repo, root)
    sha = resolve_rev(repo, rev)
    _refuse_another_base(repo, prefix, root, rev, sha, walked_from)
    return Snapshot(GitSource(repo, sha, prefix, store, rev=rev, settings_required=settings_required), short_rev(repo, sha), f"git:{repo}:{prefix}")


def load_revision(root: Path, rev: str, walked_from: Path | None = None) -> tuple[Workspace, str]:
    """The workspace at git revision `rev` (a baseline) and its short label."""
    snapshot = at_revision(root, rev, walked_from=walked_from)
    workspace, _ = loader.load(snapshot.source)
    return workspace, snapshot.label


def _refuse_another_base(repo: Path, prefix: str, root: Path, rev: str, sha: str, walked_from: Path | None) -> None:
    """Refuse to read the workspace at revision `rev` (commit `sha`) where that would compare it with another base.

    - Inside a submodule: a branch can replace the workspace's folder with a submodule whose history it writes (its
      `main` is then the branch's own), when the checkout fetches submodules.
    - Where a folder holding a ppm.yaml at the revision is, on disk, this workspace under another name: a branch that
      moves the workspace (`portfolio/` to `new/`) and leaves a link by the old name (relative, absolute, through
      other links), or replaces it by a link to another workspace, would be compared with an empty base (every file
      added, every gate effect passed), however ppm was pointed at the folder. Links are followed by the system, not
      read from their text.
    - Where ppm walked up to this workspace (`walked_from`, no `-C`) past a folder that holds a ppm.yaml at the
      revision: a branch that deletes that ppm.yaml would have the outer workspace compared instead.
    """
    from ppmcli.load.git import superproject, workspaces_at

    above = superproject(repo)
    if above:
        raise PpmError(f"the workspace is in a submodule of {quote(above)}: a branch can replace a folder with a submodule whose history it writes, so ppm compares revisions only of the repository that holds the workspace's files itself")
    real = root.resolve()
    for folder in workspaces_at(repo, sha):
        try:
            there = (repo / folder).resolve()
        except (RuntimeError, OSError):  # a link that leads round in a loop leads to no workspace
            continue
        if folder != prefix and there == real:
            raise PpmError(
                f"the workspace {quote(folder or '.')} of revision {quote(rev)} is {quote(prefix or '.')} on disk now (a symbolic link leads there): "
                "a branch that moves the workspace behind a link would be compared with another base; compare the folders themselves"
            )
        if walked_from is not None and folder != prefix and real in there.parents and (there == walked_from or there in walked_from.parents):
            raise PpmError(
                f"revision {quote(rev)} has a workspace in {quote(folder)}, where ppm was run, but the folder has no ppm.yaml now, so ppm walked up to "
                f"{quote(prefix or '.')}: name the workspace to compare with -C"
            )


def diff_snapshots(root: Path, base: str, head: str | None, *, cache: bool, walked_from: Path | None = None) -> tuple[Snapshot, Snapshot, FileCache]:
    """Both sides of a diff (`head` None: the working tree) and the one file cache they share.

    A file the change leaves alone is parsed once; without `cache` the cache lives in memory only.
    """
    store: dict[str, bytes] = {}  # a file both revisions hold is read from git once
    # The pull request that creates the portfolio is reviewed against a base without one: everything is added.
    old = at_revision(root, base, store, settings_required=False, walked_from=walked_from)
    new = working_tree(root) if head is None else at_revision(root, head, store, walked_from=walked_from)
    return old, new, FileCache(default_directory() if cache else None, old.cache_name)
