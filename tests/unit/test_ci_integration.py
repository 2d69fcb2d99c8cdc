"""CI integration: GitHub annotations escaped as GitHub documents, the pre-commit hook and the example workflow."""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO, run_ppm
from ppmcli.core.findings import Finding, Severity
from ppmcli.render.findings import as_github


def test_annotation_format_and_escaping():
    # GitHub's workflow commands: data escapes % CR LF; property values also escape : and ,
    finding = Finding("projects/a,b.yaml", 3, 7, Severity.ERROR, "unknown-field", "50% over\nline two: yes")
    warning = Finding("ppm.yaml", 1, 1, Severity.WARNING, "stale-status", "old")
    assert as_github([finding, warning], prefix="port:folio/") == (
        "::error file=port%3Afolio/projects/a%2Cb.yaml,line=3,col=7,title=unknown-field::50%25 over%0Aline two: yes\n"
        "::warning file=port%3Afolio/ppm.yaml,line=1,col=1,title=stale-status::old\n"
    )


def test_the_path_prefix_is_a_folder_with_or_without_its_slash():
    finding = Finding("projects/a.yaml", 3, 7, Severity.ERROR, "unknown-field", "x")
    files = {prefix: as_github([finding], prefix=prefix).split(",")[0] for prefix in ("portfolio", "portfolio/", "./portfolio/", " portfolio ", "", ".", "./")}
    assert files == {**dict.fromkeys(("portfolio", "portfolio/", "./portfolio/", " portfolio "), "::error file=portfolio/projects/a.yaml"), **dict.fromkeys(("", ".", "./"), "::error file=projects/a.yaml")}


def test_check_github_format_on_a_workspace(make_workspace):
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\nrle: y\n"})
    code, out, _ = run_ppm("-C", root, "check", "--format", "github")
    assert code == 1
    assert out == "::error file=people/a.yaml,line=3,col=1,title=unknown-field::'rle' is not a field; did you mean 'role'?\n"


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks == [
        {
            "id": "ppm-check",
            "name": "ppm check",
            "description": hooks[0]["description"],
            "entry": "ppm check",
            "language": "python",
            "pass_filenames": False,
            "files": "\\.ya?ml$",
            "require_serial": True,
        }
    ]


def test_example_workflow_runs_check_and_posts_diff():
    workflow = yaml.safe_load((REPO / "examples" / "ci" / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["ppm"]["steps"]
    commands = " ".join(step.get("run", "") for step in steps)
    assert "check --format github" in commands and "diff" in commands and "--format markdown" in commands
    assert "--fail-on new-error,new-overallocation" in commands and "scenarios --format markdown" in commands
    assert "${{" not in commands  # event data reaches scripts through env, never pasted in
    assert workflow[True] == {"pull_request": None}  # YAML 1.1 reads `on:` as true


@pytest.mark.parametrize(("scenarios_chars", "appended"), [(1_000, True), (59_000, False)])
def test_example_workflow_keeps_the_comment_under_githubs_limit(tmp_path, scenarios_chars, appended):
    # The diff comment (up to 60,000 characters) and the scenarios comparison (as long) went into one body: GitHub refused it.
    import os
    import subprocess

    workflow = yaml.safe_load((REPO / "examples" / "ci" / "github-workflow.yml").read_text())
    step = next(step for step in workflow["jobs"]["ppm"]["steps"] if "scenarios --format markdown" in step.get("run", ""))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").write_text("#!/bin/sh\nexit 1\n")  # `git diff --quiet` says scenarios/ changed
    (bin_dir / "ppm").write_text(f"#!/bin/sh\nhead -c {scenarios_chars} /dev/zero | tr '\\0' 's'\n")
    for tool in ("git", "ppm"):
        (bin_dir / tool).chmod(0o755)
    (tmp_path / "ppm-diff.md").write_text("d" * 30_000)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "BASE_REF": "main", "WORKSPACE": "."}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, check=True)
    body = (tmp_path / "ppm-diff.md").read_text()
    assert len(body) < 65_536 and body.startswith("d" * 30_000)
    assert ("s" * scenarios_chars in body) == appended
    assert ("run `ppm scenarios` locally" in body) != appended
