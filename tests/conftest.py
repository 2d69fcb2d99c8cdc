"""Shared test helpers: workspaces from {path: text} dicts, and ppm run in-process."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import textwrap
from datetime import date
from pathlib import Path

import pytest

from ppmcli.__main__ import main

# Tests never touch the user's cache of parsed files.
os.environ["PPM_CACHE_DIR"] = tempfile.mkdtemp(prefix="ppm-test-cache-")

REPO = Path(__file__).resolve().parents[1]
ACME = REPO / "examples" / "acme"

SETTINGS = """\
name: Test Org
currency: USD
goals:
  growth: {name: Growth, weight: 3}
  cost: {name: Cost, weight: 1}
scoring:
  default: value
  models:
    value:
      type: weighted
      criteria:
        alignment: {weight: 30}
        financial_value: {weight: 25, scale: [1, 5]}
        urgency: {weight: 15}
        risk: {weight: 20, higher_is_better: false}
    wsjf: {type: wsjf}
    rice: {type: rice}
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write `{relative path: text}` under root (text is dedented); returns root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def make_workspace(tmp_path: Path):
    """Build a workspace: `make_workspace({path: text})`; ppm.yaml defaults to SETTINGS."""

    def make(files: dict[str, str], settings: str | None = SETTINGS) -> Path:
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        if settings is not None and "ppm.yaml" not in files:
            files = {"ppm.yaml": settings, **files}
        return write_tree(root, files)

    return make


CHECK_AS_OF = date(2026, 11, 25)
_CHECK_ROOT = Path(tempfile.mkdtemp(prefix="ppm-test-check-"))


def check(
    files: dict[str, str], *, settings: str | None = SETTINGS, as_of: date = CHECK_AS_OF, codes: set[str] | None = None, messages: bool = False
) -> list[tuple]:
    """What `ppm check` finds in a workspace of `{path: text}` (ppm.yaml defaults to SETTINGS), loaded and checked in-process.

    Returns sorted (path, line, column, code) tuples, with the message as a fifth
    item when `messages`; only `codes` when given.
    """
    from ppmcli.analysis.checks import run_checks
    from ppmcli.load.loader import load
    from ppmcli.load.sources import FileSource

    root = Path(tempfile.mkdtemp(dir=_CHECK_ROOT))
    if settings is not None and "ppm.yaml" not in files:
        files = {"ppm.yaml": settings, **files}
    ws, found = load(FileSource(write_tree(root, files)))
    found += run_checks(ws, as_of)
    return sorted((f.path, f.line, f.column, f.code, f.message)[: 5 if messages else 4] for f in found if codes is None or f.code in codes)


def run_ppm(*args: str) -> tuple[int, str, str]:
    """Run ppm in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def ppm():
    return run_ppm


def forks_counted(monkeypatch: pytest.MonkeyPatch, parallel_from: int) -> list[int]:
    """Work on two cores from `parallel_from` files; the list gets a 1 per fork."""
    import ppmcli.load.loader as loader

    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", parallel_from)
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    return forks


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a pinned identity and no signing, whatever the user's config."""
    import subprocess

    env_args = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    result = subprocess.run(["git", "-C", str(repo), *env_args, *args], capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def git_repo(tmp_path: Path):
    """An empty git repository; returns (path, commit) where commit(message) commits everything."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")

    def commit(message: str = "change") -> str:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--allow-empty", "-m", message)
        return git(repo, "rev-parse", "HEAD").strip()

    return repo, commit
