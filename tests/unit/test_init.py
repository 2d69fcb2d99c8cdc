"""`ppm init`: a small workspace that passes `ppm check`, written only where nothing would be overwritten."""

from __future__ import annotations

import json
from datetime import date

from conftest import git, run_ppm
from ppmcli.scaffold import write_workspace

KIND_OF_FOLDER = {"portfolios": "portfolio", "programs": "program", "projects": "project", "people": "person", "scenarios": "scenario"}


def test_init_writes_a_workspace_that_passes_check(tmp_path):
    code, out, _ = run_ppm("init", tmp_path / "new")
    assert code == 0 and "created" in out
    code, out, err = run_ppm("-C", tmp_path / "new", "check", "--fail-on", "warning")
    assert (code, out) == (0, ""), err
    for command in (["report", "--format", "json"], ["prioritize", "--budget", "300000", "--format", "json"], ["capacity", "--format", "json"]):
        code, out, err = run_ppm("-C", tmp_path / "new", *command)
        assert code == 0, err
        json.loads(out)


def test_init_passes_check_a_year_later_too(tmp_path):
    write_workspace(tmp_path, today=date(2026, 12, 31))
    code, out, _ = run_ppm("-C", tmp_path, "--as-of", "2027-12-31", "check")
    assert (code, out) == (0, "")


def test_init_refuses_to_overwrite(tmp_path, monkeypatch):
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "pat.yaml").write_text("mine\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_ppm("init")  # in the current folder: the message still says where
    assert code == 2 and out == ""
    assert f"'{tmp_path / 'people' / 'pat.yaml'}' already exists; ppm init never overwrites files" in err
    assert (tmp_path / "people" / "pat.yaml").read_text() == "mine\n"
    assert not (tmp_path / "ppm.yaml").exists()  # nothing written at all


def test_init_writes_editor_schemas(tmp_path):
    write_workspace(tmp_path)
    schema = json.loads((tmp_path / ".ppm" / "schema" / "project.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (tmp_path / "projects" / "new-website.yaml").read_text().startswith("# yaml-language-server: $schema=../.ppm/schema/project.json\n")
    assert (tmp_path / "scenarios" / "budget-cut.yaml").read_text().startswith("# yaml-language-server: $schema=../.ppm/schema/scenario.json\n")
    assert json.loads((tmp_path / ".ppm" / "schema" / "scenario.json").read_text())["$id"] == "ppm:scenario"


def test_init_starts_a_git_repository_with_a_gitignore(tmp_path):
    code, out, err = run_ppm("init", tmp_path / "new")
    assert code == 0, err
    new = tmp_path / "new"
    assert f"created {new / '.git'} (git init)" in out.splitlines()
    # A real repository, ready for `ppm diff` and `report --baseline` once something is committed.
    assert git(new, "rev-parse", "--show-toplevel").strip() == str(new.resolve())
    ignored = (new / ".gitignore").read_text()
    assert "*.html" in ignored.splitlines() and "*.xlsx" in ignored.splitlines()
    # The schemas are kept in the repository: editors read them from there.
    assert "?? .ppm/" in git(new, "status", "--short", "--untracked-files=normal")
    assert git(new, "check-ignore", "dashboard.html").strip() == "dashboard.html"


def test_init_inside_a_repository_makes_no_second_one(git_repo):
    repo, _ = git_repo
    (repo / "portfolio").mkdir()
    (repo / "portfolio" / ".gitignore").write_text("mine\n")
    code, out, err = run_ppm("init", repo / "portfolio")
    assert code == 0, err
    assert not (repo / "portfolio" / ".git").exists()
    assert f"already in the git repository at {repo.resolve()}: no new repository" in err
    assert (repo / "portfolio" / ".gitignore").read_text() == "mine\n"  # a folder's own is never overwritten
    assert "created" in out and ".gitignore" not in out


def test_init_without_git_writes_the_workspace_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    code, out, err = run_ppm("init", tmp_path / "new")
    assert code == 0
    assert "git is not installed: no repository created (ppm diff and report --baseline need one)" in err
    assert not (tmp_path / "new" / ".git").exists() and (tmp_path / "new" / "ppm.yaml").exists()


def test_every_file_init_writes_has_its_schema_modeline(tmp_path):
    written = write_workspace(tmp_path)
    for path in written:
        if path.suffix == ".yaml":
            kind = "settings" if path.name == "ppm.yaml" else KIND_OF_FOLDER[path.parent.name]
            assert path.read_text().splitlines()[0].endswith(f".ppm/schema/{kind}.json"), path


def test_init_writes_into_the_folder_of_dash_c(tmp_path, monkeypatch):
    # `ppm -C DIR init` wrote into the current folder (and ran git init there).
    (tmp_path / "target").mkdir()
    monkeypatch.chdir(tmp_path)
    code, _, err = run_ppm("-C", "target", "init")
    assert code == 0, err
    assert (tmp_path / "target" / "ppm.yaml").is_file() and not (tmp_path / "ppm.yaml").exists()
    assert run_ppm("-C", "target", "init", "sub")[0] == 0  # a relative DIR is taken from -C, as `git -C` does
    assert (tmp_path / "target" / "sub" / "ppm.yaml").is_file()


def test_init_says_in_one_sentence_why_it_cannot_write(tmp_path):
    (tmp_path / "file").write_text("")
    code, out, err = run_ppm("init", tmp_path / "file" / "sub")
    assert code == 2 and out == ""
    assert err == f"ppm: error: cannot create '{tmp_path / 'file' / 'sub'}': Not a directory\n"


def test_init_next_step_can_be_pasted(tmp_path):
    code, _, err = run_ppm("init", tmp_path / "my portfolio")
    assert code == 0 and f"next: cd '{tmp_path / 'my portfolio'}' && ppm check" in err


def test_the_sample_scenario_changes_the_plan(tmp_path):
    # Its budget (800,000) covered both proposals (430,000): it showed a scenario identical to the plan as is.
    write_workspace(tmp_path)
    code, out, err = run_ppm("-C", tmp_path, "scenarios", "--format", "json")
    assert code == 0, err
    plans = {entry["id"]: entry for entry in json.loads(out)["scenarios"]}
    assert plans["budget-cut"]["value"] < plans["baseline"]["value"]


def test_init_with_a_folder_named_like_an_option_or_too_long(tmp_path, monkeypatch):
    # 'cd -weird' is read as an option by cd; a name too long for the file system was an internal error.
    monkeypatch.chdir(tmp_path)
    code, _, err = run_ppm("init", "--", "-weird")
    assert code == 0 and "next: cd ./-weird && ppm check" in err
    code, out, err = run_ppm("init", "a" * 300)
    assert (code, out) == (2, "") and err.startswith("ppm: error: cannot create 'aaa") and err.endswith(": File name too long\n")


def test_a_write_that_fails_halfway_leaves_no_half_workspace(tmp_path):
    # `people` is a file here: ppm.yaml and the portfolios are written before the people's folder cannot be made.
    target = tmp_path / "ws"
    target.mkdir()
    (target / "people").write_text("not a folder\n")
    code, out, err = run_ppm("init", target)
    assert (code, out) == (2, "") and err.startswith(f"ppm: error: cannot create '{target / 'people'}/") and err.endswith("': Not a directory\n")
    assert sorted(path.name for path in target.rglob("*")) == ["people"]


def test_init_never_writes_through_a_linked_folder(tmp_path):
    # people -> a folder outside: its starter people were written there.
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "people").symlink_to(outside)
    code, _, err = run_ppm("init", tmp_path / "ws")
    assert code == 2 and err == f"ppm: error: '{tmp_path / 'ws' / 'people'}' is a symbolic link; ppm init writes only into real folders of the workspace (choose an empty folder)\n"
    assert list(outside.iterdir()) == [] and not (tmp_path / "ws" / "ppm.yaml").exists()


def test_the_starter_project_explains_its_scores_and_team(tmp_path):
    # A newcomer met eleven score inputs of three models, with no word on which the default model reads.
    write_workspace(tmp_path / "ws")
    text = (tmp_path / "ws" / "projects" / "new-website.yaml").read_text()
    assert "The default 'value' model reads financial_value, urgency and risk" in text and "fte 0.5 is half time" in text
