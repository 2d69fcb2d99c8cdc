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


@pytest.mark.parametrize("rev", ["--output=x", "-h", "nope", "HEAD~9", "", "HEAD:ppm.yaml"])
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
