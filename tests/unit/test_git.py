"""The git layer: revisions resolved safely, a workspace read at a revision in one batch, through the same loader."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import ACME, git, write_tree
from ppmcli.core.errors import PpmError
from ppmcli.load.git import GitSource, repo_root, resolve_rev, workspace_prefix
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource


def acme_repo(git_repo, folder: str = "portfolio"):
    repo, commit = git_repo
    shutil.copytree(ACME, repo / folder)
    return repo, commit, repo / folder


def test_revision_reads_the_same_as_the_working_tree(git_repo):
    repo, commit, ws = acme_repo(git_repo)
    sha = commit("base")
    at_rev, rev_findings = load(GitSource(repo_root(ws), sha, workspace_prefix(repo_root(ws), ws)))
    on_disk, disk_findings = load(FileSource(ws))
    assert at_rev.projects == on_disk.projects and at_rev.people == on_disk.people
    assert rev_findings == disk_findings == []


def test_files_are_read_in_one_batch(git_repo, monkeypatch):
    repo, commit, ws = acme_repo(git_repo)
    sha = commit()
    calls = []
    import ppmcli.load.git as git_module

    real = git_module.run_git
    monkeypatch.setattr(git_module, "run_git", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    load(GitSource(repo, sha, "portfolio"))
    assert calls == ["ls-tree", "cat-file"]


@pytest.mark.parametrize("rev", ["--output=x", "-h", "nope", "HEAD~9", "", "HEAD:ppm.yaml", "^HEAD"])
def test_bad_revisions_are_unknown(git_repo, rev):
    repo, commit, _ = acme_repo(git_repo)
    commit()
    with pytest.raises(PpmError, match="unknown git revision"):
        resolve_rev(repo, rev)
    assert not (repo / "x").exists()


def test_outside_a_repository(tmp_path):
    with pytest.raises(PpmError, match="not inside a git repository"):
        repo_root(tmp_path)


def test_revision_without_the_workspace(git_repo):
    repo, commit = git_repo
    (repo / "README").write_text("x")
    sha = commit()
    with pytest.raises(PpmError, match="has no ppm.yaml in 'portfolio/'"):
        load(GitSource(repo, sha, "portfolio"))


def test_symlinks_and_large_blobs_are_not_read(git_repo):
    repo, commit, ws = acme_repo(git_repo)
    os.symlink("/etc/passwd", ws / "people" / "leak.yaml")
    (ws / "people" / "big.yaml").write_text("name: x\nrole: y\nnote: " + "x" * (5 * 1024 * 1024) + "\n")
    sha = commit()
    _, findings = load(GitSource(repo, sha, "portfolio"))
    assert sorted((f.path, f.code) for f in findings) == [("people/big.yaml", "unreadable-file"), ("people/leak.yaml", "unreadable-file")]


def test_hook_environment_does_not_redirect_reads(git_repo, monkeypatch, tmp_path):
    repo, commit, _ = acme_repo(git_repo)
    sha = commit()
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "index"))
    workspace, _ = load(GitSource(repo, sha, "portfolio"))
    assert "customer-mobile-app" in workspace.projects


def test_workspace_at_the_repository_root(git_repo):
    repo, commit = git_repo
    write_tree(repo, {"ppm.yaml": (ACME / "ppm.yaml").read_text()})
    sha = commit()
    assert workspace_prefix(repo, repo) == ""
    workspace, findings = load(GitSource(repo, sha, ""))
    assert workspace.settings is not None and findings == []
    assert git(repo, "status", "--porcelain") == ""


# ---------------------------------------------------------------- a repository planted in the workspace


def plant_repository(ws, marker, decoy=None) -> None:
    """Commit-able files that make `ws` itself a repository (its own work tree) whose config runs `touch marker`.

    Its promisor remote's `uploadpack` runs when git lazily fetches the missing
    commit its refs name; `core.fsmonitor` when git reads an index. With
    `decoy` (a repository with the workspace at its root), the planted
    repository holds its objects and its refs name its HEAD, so a reader that
    trusts it compares with that content instead.
    """
    head_sha = git(decoy, "rev-parse", "HEAD").strip() if decoy is not None else "1" * 40
    command = f"touch {marker}"
    (ws / "HEAD").write_text("ref: refs/heads/main\n")
    (ws / "config").write_text(
        "[core]\n\trepositoryformatversion = 1\n\tbare = false\n\tworktree = .\n"
        f"\tfsmonitor = {command}\n\thooksPath = hooks\n"
        "[extensions]\n\tpartialClone = origin\n"
        f'[remote "origin"]\n\turl = {ws}\n\tpromisor = true\n\tuploadpack = {command}\n'
        f"[filter \"evil\"]\n\tsmudge = {command}\n\tclean = {command}\n"
    )
    (ws / "hooks").mkdir()
    for hook in ("post-checkout", "pre-commit", "reference-transaction"):
        (ws / "hooks" / hook).write_text(f"#!/bin/sh\n{command}\n")
        (ws / "hooks" / hook).chmod(0o755)
    (ws / ".gitattributes").write_text("*.yaml filter=evil diff=evil\n")
    for ref in ("refs/heads/main", "refs/tags/v1"):
        (ws / ref).parent.mkdir(parents=True, exist_ok=True)
        (ws / ref).write_text(head_sha + "\n")
    if decoy is not None:
        shutil.copytree(decoy / ".git" / "objects", ws / "objects")
    else:
        (ws / "objects" / "info").mkdir(parents=True)
        (ws / "objects" / "info" / "packs").write_text("\n")


def budget_of(ws, project: str = "erp-finance-upgrade") -> str:
    return next(line for line in (ws / "projects" / f"{project}.yaml").read_text().splitlines() if line.startswith("budget:"))


@pytest.mark.parametrize("objects", [False, True], ids=["promisor", "copied-refs"])
def test_a_repository_planted_in_the_workspace_is_never_used(git_repo, tmp_path, objects):
    """The issue's attack: the PR commits a repository layout into the workspace folder (a sub-folder of the real repository)."""
    from conftest import run_ppm

    repo, commit, ws = acme_repo(git_repo)
    commit("base")  # main: budget 750000
    git(repo, "tag", "base-tag")
    git(repo, "checkout", "-q", "-b", "pull-request")
    marker = tmp_path / "pwned"
    project = ws / "projects" / "erp-finance-upgrade.yaml"
    project.write_text(project.read_text().replace("budget: 750000", "budget: 112500000"))
    commit("raise the budget 150 times")
    decoy = None
    if objects:  # the planted refs name a commit with the changed content: a reader that trusts them sees no change
        decoy = tmp_path / "decoy"
        shutil.copytree(ws, decoy)
        git(decoy, "init", "-q")
        git(decoy, "add", "-A")
        git(decoy, "commit", "-qm", "decoy")
    plant_repository(ws, marker, decoy)
    commit("plant a repository")
    assert budget_of(ws) == "budget: 112500000"

    for revisions in (["main"], ["base-tag", "HEAD"]):
        code, out, err = run_ppm("-C", ws, "diff", *revisions)
        assert not marker.exists(), "git ran a command from the planted config"
        assert code == 0 and "budget: 750,000 → 112,500,000" in out, out + err
    code, out, err = run_ppm("-C", ws, "report", "--baseline", "base-tag", "--as-of", "2026-11-25")
    assert not marker.exists()
    assert code == 0 and "Traceback" not in err, err
    # The planted repository's tag is not a revision of the real one.
    code, _, err = run_ppm("-C", ws, "diff", "v1")
    assert code == 2 and "unknown git revision 'v1'" in err and not marker.exists()


def test_a_git_folder_below_the_workspace_is_never_used(git_repo, tmp_path):
    repo, commit, ws = acme_repo(git_repo)
    commit("base")
    marker = tmp_path / "pwned"
    (ws / "projects" / ".git").mkdir()
    plant_repository(ws / "projects" / ".git", marker)
    assert repo_root(ws) == repo.resolve()


def test_workspace_reached_through_a_symlink_uses_its_real_repository(git_repo, tmp_path):
    repo, commit, ws = acme_repo(git_repo)
    sha = commit("base")
    link = tmp_path / "elsewhere"
    os.symlink(ws, link)
    assert repo_root(link) == repo.resolve()
    assert workspace_prefix(repo_root(link), link) == "portfolio"
    assert resolve_rev(repo_root(link), "main") == sha


def test_every_git_call_is_pinned(git_repo, monkeypatch):
    import subprocess

    repo, commit, ws = acme_repo(git_repo)
    sha = commit()
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.fsmonitor'='touch /tmp/x'")
    # The runner's safe.directory given in the environment reaches git where it decides whether to trust the repository.
    for key, value in (("GIT_CONFIG_COUNT", "1"), ("GIT_CONFIG_KEY_0", "safe.directory"), ("GIT_CONFIG_VALUE_0", "*")):
        monkeypatch.setenv(key, value)
    calls = []
    real = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda argv, **kw: calls.append((argv, kw)) or real(argv, **kw))
    load(GitSource(repo_root(ws), resolve_rev(repo_root(ws), sha), "portfolio"))
    assert len(calls) >= 3
    # The repository is found once by git itself (its owner checked as git checks it), with the ceiling just above it.
    for argv, kw in calls:
        if argv[1] == "-c":  # found by git: `rev-parse --git-dir` in the repository's folder, nothing above it searched
            assert argv[-2:] == ("rev-parse", "--git-dir") and kw["cwd"] == repo.resolve() and kw["env"]["GIT_CEILING_DIRECTORIES"] == str(repo.resolve().parent)
            assert kw["env"]["GIT_CONFIG_KEY_0"] == "safe.directory"
        else:
            assert argv[1] == f"--git-dir={repo.resolve() / '.git'}" and argv[2] == f"--work-tree={repo.resolve()}"
            assert not any(key.startswith("GIT_CONFIG_KEY") for key in kw["env"])
    assert sum(argv[1] != "-c" for argv, _ in calls) >= 3
    for argv, kw in calls:
        for setting in ("safe.bareRepository=explicit", "core.hooksPath=/dev/null", "core.fsmonitor=false", "protocol.allow=never"):
            assert setting in argv
        # No transport, whatever a repository's config allows (protocol.file.allow=always outranks protocol.allow).
        assert "GIT_CONFIG_PARAMETERS" not in kw["env"] and kw["env"]["GIT_NO_LAZY_FETCH"] == "1" and kw["env"]["GIT_ALLOW_PROTOCOL"] == ""


def test_a_repository_another_user_owns_is_refused_as_git_refuses_it(git_repo, monkeypatch):
    from ppmcli.load import git as git_module

    repo, commit, ws = acme_repo(git_repo)
    commit()
    real = git_module.run_git
    # git's own answer for a `.git` someone else owns (as root, the test cannot own a folder as another user).
    dubious = (128, b"", b"fatal: detected dubious ownership in repository at '" + bytes(repo) + b"'\n")
    monkeypatch.setattr(git_module, "run_git", lambda folder, *args, discover=False, **kw: dubious if discover else real(folder, *args, **kw))
    with pytest.raises(PpmError, match=r"git refuses the repository in '.*': it belongs to another user \(detected dubious ownership\); if you trust it, run: git config --global --add safe.directory "):
        repo_root(ws)


def test_a_revision_file_name_that_is_not_utf8_is_reported_escaped(git_repo):
    repo, commit, ws = acme_repo(git_repo)
    with open(os.path.join(os.fsencode(ws / "people"), b"caf\xe9.yaml"), "w") as handle:
        handle.write("name: X\nrole: x\n")
    sha = commit()
    _, findings = load(GitSource(repo, sha, "portfolio"))
    assert [(f.path, f.message) for f in findings] == [("people/caf\\xe9.yaml", "file name is not UTF-8 text; not read (rename the file)")]


def test_a_missing_blob_is_a_clear_error(git_repo):
    # A partial clone lacks blobs and ppm never fetches them: `ls-tree -l` gives the size "BAD", `cat-file --batch` "<id> missing".
    repo, commit, ws = acme_repo(git_repo)
    sha = commit()
    blob = git(repo, "rev-parse", f"{sha}:portfolio/ppm.yaml").strip()
    listed = GitSource(repo_root(ws), sha, "portfolio")
    listed.files()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    with pytest.raises(PpmError, match=f"cannot read the files of revision {sha[:12]}: object {blob} is missing"):
        GitSource(repo_root(ws), sha, "portfolio").files()
    with pytest.raises(PpmError, match=f"cannot read the files of revision {sha[:12]}: object {blob} is missing"):
        listed.read("ppm.yaml")  # gone between the listing and the reading


def test_a_folder_named_ppm_yaml_in_a_revision_is_no_settings_file(git_repo):
    # A hostile base with ppm.yaml as a folder was an internal error (KeyError) in `ppm diff`.
    repo, commit, ws = acme_repo(git_repo)
    (ws / "ppm.yaml").unlink()
    (ws / "ppm.yaml").mkdir()
    (ws / "ppm.yaml" / "s.yaml").write_text("name: x\n")
    sha = commit()
    workspace, findings = load(GitSource(repo, sha, "portfolio", settings_required=False))
    assert workspace.settings is None and workspace.positions == {} and findings == []  # no ppm.yaml: an empty portfolio
    with pytest.raises(PpmError, match="has no ppm.yaml in 'portfolio/'"):
        GitSource(repo, sha, "portfolio").files()


def test_a_linked_folder_in_a_revision_is_said_not_silently_empty(git_repo):
    # projects -> data/projects: git stores the link; the revision read no project and said nothing.
    repo, commit, ws = acme_repo(git_repo)
    (ws / "data").mkdir()
    (ws / "projects").rename(ws / "data" / "projects")
    os.symlink("data/projects", ws / "projects")
    sha = commit()
    _, findings = GitSource(repo, sha, "portfolio").files()
    assert [(f.path, f.message) for f in findings] == [("projects", "symbolic link in the repository; not followed")]


def test_a_submodule_where_a_file_or_a_kinds_folder_would_be_is_said_not_skipped(git_repo):
    # A gitlink (mode 160000) named projects/x.yaml, or named projects: the revision read nothing there and said nothing.
    repo, commit, ws = acme_repo(git_repo)
    sha = commit()
    git(repo, "rm", "-r", "-q", "--cached", "portfolio/programs")
    for name in ("portfolio/projects/x.yaml", "portfolio/programs"):
        git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},{name}")
    git(repo, "commit", "-q", "-m", "submodules")
    _, findings = GitSource(repo, git(repo, "rev-parse", "HEAD").strip(), "portfolio").files()
    assert sorted((f.path, f.message) for f in findings) == [(name, "a submodule (gitlink) in the repository; not read") for name in ("programs", "projects/x.yaml")]


def test_a_workspace_behind_a_link_inside_the_work_tree_is_refused(git_repo, tmp_path, monkeypatch):
    from conftest import run_ppm

    repo, commit, ws = acme_repo(git_repo)
    commit("base")
    # The branch moves the workspace behind a link: the base has no `portfolio-v2/`, so every file would read as added
    # and the gate would have nothing to judge; a link to a folder outside the checkout would be read as the workspace.
    (repo / "portfolio").rename(repo / "portfolio-v2")
    os.symlink("portfolio-v2", repo / "portfolio")
    outside = tmp_path / "outside"
    shutil.copytree(ACME, outside)
    os.symlink(outside, repo / "elsewhere")
    untracked = {"elsewhere": run_ppm("-C", repo / "elsewhere", "report")[0]}
    commit("the branch's links")
    for folder, target in (("portfolio", "portfolio-v2"), ("elsewhere", str(outside))):
        for args in (("diff", "HEAD~1", "--fail-on", "health-drop"), ("check",), ("report",)):
            code, out, err = run_ppm("-C", repo / folder, *args)
            assert (code, out) == (2, "")
            assert err.startswith(f"ppm: error: the way to the workspace passes '{repo / folder}', a symbolic link git tracks (to '{target}')")
    # Walking up from a folder the shell reached through such a link (PWD keeps the way it took).
    monkeypatch.chdir(repo / "portfolio")
    monkeypatch.setenv("PWD", str(repo / "portfolio"))
    assert run_ppm("check")[0] == 2
    # Reached with the link resolved (`cd -P portfolio`, a CI step's working directory): the base's workspace
    # `portfolio` is this folder on disk now.
    monkeypatch.setenv("PWD", str(repo / "portfolio-v2"))
    code, out, err = run_ppm("diff", "HEAD~1", "--fail-on", "health-drop")
    assert (code, out) == (2, "") and "the workspace 'portfolio' of revision 'HEAD~1' is 'portfolio-v2' on disk now (a symbolic link leads there)" in err
    # A link git does not track, or of the user's own outside any work tree, is followed as before.
    own = tmp_path / "mine"
    os.symlink(repo / "portfolio-v2", own)
    assert run_ppm("-C", own, "report")[0] == 0 and untracked == {"elsewhere": 0}


@pytest.mark.parametrize("link", ["absolute", "through another link", "to another workspace"])
def test_a_workspace_moved_behind_any_link_is_compared_with_no_other_base(git_repo, tmp_path, monkeypatch, link):
    # The link's text alone was read: an absolute target, or one through a second link, got past; and a link to a
    # second workspace that the base has too (`portfolio -> sandbox`) was never looked at.
    from conftest import run_ppm

    repo, commit, ws = acme_repo(git_repo)
    shutil.copytree(ACME, repo / "sandbox")
    commit("base")
    if link == "to another workspace":
        shutil.rmtree(ws)
        os.symlink("sandbox", ws)
        moved = repo / "sandbox"
    else:
        moved = repo / "new"
        ws.rename(moved)
        if link == "absolute":
            os.symlink(moved, ws)
        else:
            os.symlink("new/projects", repo / "pl")
            os.symlink("pl/..", ws)
    commit("the branch")
    monkeypatch.chdir(moved)
    monkeypatch.setenv("PWD", str(moved))  # as a CI step's working directory: the link already followed
    code, out, err = run_ppm("diff", "HEAD~1", "--fail-on", "defunded,health-drop", "--budget", "5000000")
    assert (code, out) == (2, "") and err.startswith("ppm: error: the workspace 'portfolio' of revision 'HEAD~1' is ")


def test_a_workspace_in_a_submodule_is_not_compared(git_repo, tmp_path):
    # A branch can replace the workspace's folder with a submodule whose history (its `main`) it writes.
    from conftest import run_ppm

    repo, commit, ws = acme_repo(git_repo)
    commit("base")
    inner = tmp_path / "inner"
    shutil.copytree(ACME, inner / "portfolio")
    git(inner, "init", "-q")
    git(inner, "add", "-A")
    git(inner, "commit", "-q", "-m", "the branch's own history")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "sub")
    commit("a submodule")
    code, out, err = run_ppm("-C", repo / "sub" / "portfolio", "diff", "HEAD")
    assert (code, out) == (2, "") and err.startswith("ppm: error: the workspace is in a submodule of ")


def test_without_git_a_link_on_the_way_is_followed(git_repo, monkeypatch):
    # `ppm check` reads no revision: without git (or in a repository git refuses) it said "git is not installed".
    from conftest import run_ppm
    from ppmcli.load import git as git_module

    repo, commit, ws = acme_repo(git_repo)
    os.symlink("portfolio", repo / "link")
    commit("a link")

    def no_git(*args, **kwargs):
        raise PpmError("git is not installed (or not on PATH); ppm needs it to read revisions")

    monkeypatch.setattr(git_module, "run_git", no_git)
    assert run_ppm("-C", repo / "link", "report")[0] == 0


def test_a_walk_up_past_a_workspace_of_the_base_is_refused_and_a_link_loop_is_no_crash(git_repo, monkeypatch):
    # Run inside `team/` without -C: a branch that deletes team/ppm.yaml had ppm walk up to the root's workspace and
    # compare that (an empty base at the root: every file added). A base folder that is now a link to itself crashed.
    from conftest import run_ppm

    repo, commit, ws = acme_repo(git_repo, folder="team")
    shutil.copy(ACME / "ppm.yaml", repo / "ppm.yaml")
    commit("a root workspace and one below")
    (ws / "ppm.yaml").unlink()
    monkeypatch.chdir(ws)
    monkeypatch.delenv("PWD", raising=False)
    code, out, err = run_ppm("diff", "HEAD", "--fail-on", "defunded", "--budget", "5000000")
    assert (code, out) == (2, "") and "has a workspace in 'team', where ppm was run, but the folder has no ppm.yaml now" in err
    monkeypatch.chdir(repo)
    git(repo, "checkout", "-q", "--", "team")
    shutil.copytree(ACME, repo / "other")
    commit("another workspace")
    shutil.rmtree(repo / "other")
    os.symlink("other", repo / "other")
    assert run_ppm("-C", ws, "diff", "HEAD")[0] == 0
