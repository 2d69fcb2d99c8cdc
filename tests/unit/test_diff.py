"""`ppm diff` on real git repositories: what a change does to entities, funding, capacity, health and findings."""

from __future__ import annotations

import json
import re

import pytest

from conftest import SETTINGS, git, run_ppm, write_tree

AS_OF = "2026-03-02"
PERSON = "name: {name}\nrole: engineer\ncapacity: 1.0\n"


def project(budget: int, *, team: str = "", status: str = "", urgency: int = 3) -> str:
    text = (
        "name: P\nportfolio: main\nmanager: ann\nphase: planning\nstart: 2026-01-05\nend: 2026-06-30\n"
        f"budget: {budget}\ngoals: [growth]\nscores: {{financial_value: 4, urgency: {urgency}, risk: 2}}\n"
    )
    if team:
        text += f"team:\n  - {{person: {team}, fte: 0.6}}\n"
    if status:
        text += f"status:\n  - {{date: 2026-02-27, health: {status}, percent_complete: 30, actual_cost: 1000}}\n"
    return text


BASE = {
    "ppm.yaml": SETTINGS,
    "portfolios/main.yaml": "name: Main\nowner: ann\nbudget: 1000000\n",
    "people/ann.yaml": PERSON.format(name="Ann"),
    "people/bob.yaml": PERSON.format(name="Bob"),
    "projects/alpha.yaml": project(300000, team="bob", status="green", urgency=5),
    "projects/beta.yaml": project(200000, urgency=4),
    "projects/gamma.yaml": project(100000, urgency=1),
}


@pytest.fixture
def repo(git_repo):
    """A repository whose `ws/` folder holds the base workspace, committed."""
    path, commit = git_repo
    write_tree(path / "ws", BASE)
    commit("base")
    return path, commit


def diff_json(path, *args: str) -> dict:
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_nothing_changed(repo):
    path, _ = repo
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--format", "markdown")
    assert code == 0
    assert out.endswith("No portfolio changes between `" + git(path, "rev-parse", "--short", "HEAD").strip() + "` and `working tree`.\n")


def test_add_remove_rename_and_edit(repo):
    path, _ = repo
    ws = path / "ws"
    (ws / "projects" / "gamma.yaml").unlink()
    write_tree(ws, {"projects/delta.yaml": project(50000).replace("name: P", "name: Delta")})  # another project: no rename
    git(path, "mv", "ws/people/ann.yaml", "ws/people/anne.yaml")
    write_tree(ws, {"projects/beta.yaml": project(250000, urgency=4)})
    result = diff_json(path, "HEAD")
    assert result["added"] == ["delta"]
    assert result["removed"] == ["gamma"]
    assert result["renamed"] == [{"from": "ann", "to": "anne"}]
    assert result["changed"]["beta"] == {"budget": {"old": 200000, "new": 250000}}
    assert {f["code"] for f in result["findings"]["new"]} == {"unknown-reference"}  # every manager: ann is dangling now


def test_json_names_entities_by_id_and_by_kind_only_where_one_id_names_two_kinds(repo):
    path, _ = repo
    ws = path / "ws"
    write_tree(ws, {"projects/carol.yaml": project(50000), "people/carol.yaml": PERSON.format(name="Carol"), "people/dave.yaml": PERSON.format(name="Dave")})
    write_tree(ws, {"projects/beta.yaml": project(250000, urgency=4), "people/bob.yaml": PERSON.format(name="Robert")})
    result = diff_json(path, "HEAD")
    assert result["added"] == ["projects/carol", "people/carol", "dave"]
    assert result["changed"]["beta"] == {"budget": {"old": 200000, "new": 250000}}
    assert result["changed"]["bob"] == {"name": {"old": "Bob", "new": "Robert"}}


def test_moving_a_project_changes_no_team_entry_that_takes_its_dates(repo):
    path, _ = repo
    # bob's entry takes the project's dates; ann's writes its own `from`, and takes the project's `to`.
    base = project(300000, team="bob", status="green", urgency=5).replace("fte: 0.6}\n", "fte: 0.6}\n  - {person: ann, fte: 0.2, from: 2026-02-02}\n")
    write_tree(path / "ws", {"projects/alpha.yaml": base})
    git(path, "commit", "-qam", "ann joins")
    moved = base.replace("end: 2026-06-30", "end: 2026-09-30")
    write_tree(path / "ws", {"projects/alpha.yaml": moved})
    assert diff_json(path, "HEAD")["changed"]["alpha"] == {"end": {"old": "2026-06-30", "new": "2026-09-30"}}
    # A `to` written in the file is compared as written.
    write_tree(path / "ws", {"projects/alpha.yaml": moved.replace("from: 2026-02-02}", "from: 2026-02-02, to: 2026-05-29}")})
    assert diff_json(path, "HEAD")["changed"]["alpha"] == {
        "end": {"old": "2026-06-30", "new": "2026-09-30"},
        "team[ann].to": {"old": None, "new": "2026-05-29"},
    }
    # A person booked twice (one period split in two at another fte): the second entry is added, not lost.
    split = moved.replace("from: 2026-02-02}", "from: 2026-02-02, to: 2026-05-29}\n  - {person: ann, fte: 0.8, from: 2026-06-01}")
    write_tree(path / "ws", {"projects/alpha.yaml": split})
    changed = diff_json(path, "HEAD")["changed"]["alpha"]
    assert changed["team[ann #1].to"] == {"old": None, "new": "2026-05-29"}
    assert changed["team[ann #2]"]["old"] is None and changed["team[ann #2]"]["new"]["fte"] == 0.8


def test_an_entry_added_above_another_of_the_same_person_changes_that_one_in_no_way(repo):
    # Paired by order, the new entry read as bob's changed (fte 1 → 0.9, from and to added) and his as added.
    path, commit = repo
    base = project(300000, team="bob", status="green", urgency=5)
    write_tree(path / "ws", {"projects/alpha.yaml": base})
    commit("bob on alpha")
    write_tree(path / "ws", {"projects/alpha.yaml": base.replace("team:\n", "team:\n  - {person: bob, fte: 0.9, from: 2026-03-02, to: 2026-03-31}\n")})
    assert diff_json(path, "HEAD")["changed"]["alpha"] == {
        "team[bob #1]": {"old": None, "new": {"person": "bob", "fte": 0.9, "from": "2026-03-02", "to": "2026-03-31"}},
    }


def test_untracked_and_uncommitted_files_count(repo):
    path, _ = repo
    write_tree(path / "ws", {"projects/new.yaml": project(1000), "projects/alpha.yaml": project(310000, team="bob", status="green", urgency=5)})
    result = diff_json(path, "HEAD")
    assert result["added"] == ["new"] and "alpha" in result["changed"]


def test_change_pushes_a_project_below_the_funding_line(repo):
    path, commit = repo
    base = git(path, "rev-parse", "HEAD").strip()
    write_tree(path / "ws", {"projects/alpha.yaml": project(450000, team="bob", status="green", urgency=5)})
    commit("alpha costs more")
    result = diff_json(path, base, "HEAD", "--budget", "600000")
    assert result["selection"]["budget"] == 600000
    assert result["selection"]["changes"] == [{"id": "beta", "was_selected": True, "now_selected": False, "reason": "needs 200000, 150000 left"}]


def test_change_creates_then_resolves_an_over_allocation(repo):
    path, commit = repo
    base = git(path, "rev-parse", "HEAD").strip()
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4)})
    created = commit("bob on beta too")
    result = diff_json(path, base, created)
    assert [(c["person"], c["peak"], c["projects"]) for c in result["conflicts"]["new"]] == [("bob", 1.2, ["alpha", "beta"])]
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, urgency=4)})
    commit("bob off beta")
    result = diff_json(path, created, "HEAD")
    assert result["conflicts"]["new"] == [] and [c["person"] for c in result["conflicts"]["resolved"]] == ["bob"]
    assert {f["code"] for f in result["findings"]["fixed"]} == {"overallocation"}


def test_status_update_turns_a_project_red(repo):
    path, _ = repo
    write_tree(path / "ws", {"projects/alpha.yaml": project(300000, team="bob", status="red", urgency=5)})
    result = diff_json(path, "HEAD")
    assert result["health"] == {"green": {"old": 1, "new": 0}, "red": {"old": 0, "new": 1}}
    assert result["changed"]["alpha"] == {"status[2026-02-27].health": {"old": "green", "new": "red"}}


@pytest.mark.parametrize("rev", ["nope", "--output=x", "-p", "HEAD~3"])
def test_bad_revisions(repo, rev):
    path, _ = repo
    code, out, err = run_ppm("-C", path / "ws", "diff", "--", rev)
    assert (code, out) == (2, "")
    assert err == f"ppm: error: unknown git revision '{rev}'\n"
    assert not (path / "ws" / "x").exists()


def test_outside_a_repository(make_workspace):
    code, _, err = run_ppm("-C", make_workspace({}), "diff", "HEAD")
    assert code == 2 and "is not inside a git repository" in err


def test_invalid_at_one_revision_is_still_diffed(repo):
    path, _ = repo
    write_tree(path / "ws", {"projects/beta.yaml": "name: [broken\n", "projects/gamma.yaml": project(120000, urgency=1)})
    result = diff_json(path, "HEAD")
    assert result["removed"] == ["beta"]  # its file no longer validates: the analyses go without it
    assert result["invalid"] == ["beta"]  # and the lists say why
    assert result["changed"]["gamma"] == {"budget": {"old": 100000, "new": 120000}}
    assert [f["code"] for f in result["findings"]["new"]] == ["yaml-syntax"]
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--format", "markdown")
    assert "files: 1 changed, 1 invalid now;" in out and "- project `beta`: **invalid now (see Findings): compared as if removed**\n" in out
    assert "removed" not in out.replace("as if removed", "")
    (path / "ws" / "projects" / "beta.yaml").unlink()  # a file that is gone is removed
    assert diff_json(path, "HEAD")["invalid"] == []


def test_a_file_made_invalid_keeps_its_rule_findings_unknown_not_fixed(repo):
    path, commit = repo
    # At the base, beta books a role nobody holds (a rule's warning in its file) and gamma has a bad budget (the loader's error).
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, urgency=4) + "team:\n  - {role: nobody, fte: 1}\n", "projects/gamma.yaml": project(100000, urgency=1).replace("budget: 100000", "budget: lots")})
    commit("a warning and an error")
    # The change breaks beta (a field that does not exist) and fixes gamma's budget.
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, urgency=4) + "team:\n  - {role: nobody, fte: 1}\nbad: 1\n", "projects/gamma.yaml": project(100000, urgency=1)})
    result = diff_json(path, "HEAD")
    assert [(f["path"], f["code"]) for f in result["findings"]["new"]] == [("projects/beta.yaml", "unknown-field")]
    # beta's role-without-supply is not fixed, only unread now; gamma's budget error is fixed.
    assert [(f["path"], f["code"]) for f in result["findings"]["fixed"]] == [("projects/gamma.yaml", "invalid-value")]


def test_a_per_project_finding_fixed_in_a_valid_file_is_fixed_while_another_file_is_broken(repo):
    path, commit = repo
    late = project(100000, urgency=1) + "milestones:\n  - {name: Kick-off, date: 2026-02-02}\n"
    write_tree(path / "ws", {"projects/gamma.yaml": late})
    commit("gamma's kick-off is late")
    # The change marks the milestone done, and breaks beta: gamma's file is still read by its per-project rules.
    write_tree(path / "ws", {"projects/gamma.yaml": late.replace("2026-02-02}", "2026-02-02, done: 2026-02-05}"), "projects/beta.yaml": project(200000, urgency=4) + "bogus: 1\n"})
    result = diff_json(path, "HEAD")
    assert [(f["path"], f["code"]) for f in result["findings"]["fixed"]] == [("projects/gamma.yaml", "late-milestone")]


@pytest.mark.parametrize("broken", ["people/bob.yaml", "ppm.yaml"])
def test_a_person_or_settings_made_invalid_fixes_no_finding_of_a_rule_elsewhere(repo, broken):
    path, commit = repo
    # At the base, bob is over-booked (alpha and beta at 0.6 each): an error in a project's file.
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4)})
    commit("bob over-booked")
    assert [f["code"] for f in diff_json(path, "HEAD~1")["findings"]["new"]] == ["overallocation"]
    (path / "ws" / broken).write_text((path / "ws" / broken).read_text() + "bogus: 1\n")
    result = diff_json(path, "HEAD")
    assert [f["code"] for f in result["findings"]["new"]] == ["unknown-field"]
    assert result["findings"]["fixed"] == []  # the over-allocation is unknown at the head, not fixed
    assert result["invalid"] == [{"people/bob.yaml": "bob", "ppm.yaml": "ppm.yaml"}[broken]]


# The markdown comment for alpha's budget going to 450,000 and its health to red, below its title (and gate, with --fail-on).
ALPHA_TURNS_RED = """\
**files: 1 changed; 1 crosses the funding line; Budget (BAC) +150,000; 1 project in worse health**

#### Changes

- project `alpha`
  - `budget`: 300,000 → 450,000
  - `status[2026-02-27].health`: green → red

#### Funding line (budget 600,000)

| project | before | after | why |
| --- | --- | --- | --- |
| `beta` | funded | not funded | needs 200000, 150000 left |

#### Report totals

| total | before | after | change |
| --- | ---: | ---: | ---: |
| Budget (BAC) | 600,000 | 750,000 | +150,000 |
| Projects green | 1 | 0 | −1 |
| Projects red | 0 | 1 | +1 |

#### Health

- `alpha`: green → red
"""


def test_markdown_comment(repo):
    path, commit = repo
    base = git(path, "rev-parse", "--short", "HEAD").strip()
    write_tree(path / "ws", {"projects/alpha.yaml": project(450000, team="bob", status="red", urgency=5)})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--budget", "600000", "--format", "markdown")
    assert code == 0
    assert out == f"### Portfolio diff: `{base}` → `working tree`\n\n" + ALPHA_TURNS_RED


def test_readme_example_on_acme(git_repo):
    """The README's diff example is the real output of that change on examples/acme."""
    import re
    import shutil

    from conftest import ACME, REPO

    path, commit = git_repo
    shutil.copytree(ACME, path, dirs_exist_ok=True)
    commit("acme")
    erp = path / "projects" / "erp-finance-upgrade.yaml"
    text = erp.read_text().replace("budget: 750000", "budget: 1100000")
    text = text.replace("  - date: 2026-10-30\n    health: green", "  - date: 2026-10-30\n    health: red")
    erp.write_text(text)
    code, out, _ = run_ppm("-C", path, "--as-of", "2026-11-25", "diff", "HEAD", "--budget", "5000000", "--format", "markdown")
    readme = (REPO / "README.md").read_text()
    example = readme.split("```markdown\n### Portfolio diff:", 1)[1].split("```", 1)[0]
    assert code == 0
    assert re.sub(r"`[0-9a-f]{7,}`", "`BASE`", "### Portfolio diff:" + example) == re.sub(r"`[0-9a-f]{7,}`", "`BASE`", out)


def test_files_the_change_leaves_alone_are_parsed_once(repo, monkeypatch):
    import ppmcli.load.loader as loader

    path, _ = repo
    write_tree(path / "ws", {"projects/beta.yaml": project(250000, urgency=4)})
    parsed = []
    real = loader.parse_file
    monkeypatch.setattr(loader, "parse_file", lambda file, *a: parsed.append(file) or real(file, *a))
    code, _, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "--no-cache", "diff", "HEAD", "--format", "json")
    assert code == 0
    assert sorted(parsed) == sorted([*BASE, "projects/beta.yaml"])


def test_both_sides_are_checked_at_once_on_two_cores_with_the_same_result(repo, monkeypatch):
    from conftest import forks_counted
    from ppmcli.load import parallel

    if not parallel.can_fork():
        pytest.skip("needs fork and two cores")
    path, _ = repo
    # Over-allocates Bob, and breaks a file: findings on one side only.
    write_tree(path / "ws", {"projects/beta.yaml": project(250000, team="bob", urgency=4), "people/ann.yaml": "name: [\n"})
    args = ("-C", path / "ws", "--as-of", AS_OF, "--no-cache", "diff", "HEAD", "--format", "json")
    one = run_ppm(*args)
    forks = forks_counted(monkeypatch, parallel_from=0)
    two = run_ppm(*args)
    assert forks and two == one
    found = json.loads(one[1])
    assert {f["code"] for f in found["findings"]["new"]} >= {"yaml-syntax", "overallocation"}, found["findings"]


def test_a_side_whose_settings_are_invalid_skips_only_the_rules_that_need_them(repo):
    path, _ = repo
    # Over-allocates Bob (a rule that needs ppm.yaml) and names an unknown person (one that does not).
    beta = project(250000, team="bob", urgency=4) + "  - {person: zed, fte: 0.1}\n"
    write_tree(path / "ws", {"projects/beta.yaml": beta})
    assert {f["code"] for f in diff_json(path, "HEAD")["findings"]["new"]} == {"overallocation", "unknown-reference"}
    write_tree(path / "ws", {"ppm.yaml": "currency: [\n"})
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--format", "json")
    assert code == 0, err
    assert {f["code"] for f in json.loads(out)["findings"]["new"]} == {"yaml-syntax", "unknown-reference"}


def test_files_both_revisions_hold_are_read_from_git_once(repo, monkeypatch):
    from ppmcli.load import git as git_module

    path, commit = repo
    write_tree(path / "ws", {"projects/beta.yaml": project(250000, urgency=4)})
    commit("beta's budget")
    requests = []
    real = git_module.run_git
    monkeypatch.setattr(git_module, "run_git", lambda repo, *args, stdin=None, **how: (args[0] == "cat-file" and stdin is not None and requests.append(stdin.split())) or real(repo, *args, stdin=stdin, **how))
    result = diff_json(path, "HEAD~1", "HEAD")
    assert result["changed"]["beta"] == {"budget": {"old": 200000, "new": 250000}}
    assert [len(ids) for ids in requests] == [len(BASE), 1]  # the second revision reads only the blob that differs


def test_moving_a_file_with_a_known_error_to_another_folder_is_no_new_error(repo):
    path, commit = repo
    # Bob over-allocated on alpha and beta (an error that names the other file), then beta moves to a sub-folder.
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4)})
    commit("beta books bob too")
    (path / "ws/projects/later").mkdir()
    git(path, "mv", "ws/projects/beta.yaml", "ws/projects/later/beta.yaml")
    result = diff_json(path, "HEAD")
    assert result["findings"] == {"new": [], "fixed": []}, result["findings"]
    code, _, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--fail-on", "new-error")
    assert code == 0, err


def test_a_portfolio_only_one_side_has_narrows_the_diff_without_an_error(repo):
    path, _ = repo
    write_tree(path / "ws", {"portfolios/newp.yaml": "name: New\nowner: ann\nbudget: 10\n"})
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--portfolio", "newp", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["added"] == ["newp"]


def test_a_filter_neither_side_knows_is_refused_not_an_empty_diff_that_passes_the_gate(repo):
    # A typo in --portfolio or --tag emptied both sides: no change, and `--fail-on` passed with nothing checked.
    path, _ = repo
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--portfolio", "mian", "--fail-on", "new-error")
    assert (code, out) == (2, "") and err == "ppm: error: --portfolio: no portfolio 'mian' (portfolios: main); did you mean 'main'?\n"
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--tag", "nosuch")
    assert (code, out) == (2, "") and err.startswith("ppm: error: --tag: no project carries tag 'nosuch'")
    # A portfolio only the base has is accepted, and named among the closest (only the head's were).
    (path / "ws" / "portfolios" / "main.yaml").rename(path / "ws" / "portfolios" / "mainline.yaml")
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--portfolio", "main")
    assert code == 0, err
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--portfolio", "mian")
    assert (code, out) == (2, "") and err == "ppm: error: --portfolio: no portfolio 'mian' (portfolios: main, mainline); did you mean 'main'?\n"


def _apply(ws, change: dict[str, str | None]) -> None:
    """Write each file of `change` (relative path → text), or remove it (None)."""
    for name, text in change.items():
        if text is None:
            (ws / name).unlink()
    write_tree(ws, {name: text for name, text in change.items() if text is not None})


@pytest.mark.parametrize(
    "change",
    [
        # a late milestone and a stale status on one project; the others untouched
        {"projects/beta.yaml": project(200000, urgency=4, status="green").replace("2026-02-27", "2026-01-02") + "milestones:\n  - {name: Beta, date: 2026-02-01}\n"},
        # ppm.yaml changes: every project may read differently (a shorter stale window)
        {"ppm.yaml": SETTINGS + "checks:\n  stale_status_days: 1\n"},
        # a project removed, one added
        {"projects/gamma.yaml": None, "projects/delta.yaml": project(50000, status="red") + "milestones:\n  - {name: M, date: 2026-02-01}\n"},
    ],
    ids=["one-project", "settings", "removed-and-added"],
)
def test_per_project_rules_on_the_changed_projects_alone_find_what_a_whole_check_finds(repo, monkeypatch, change):
    from ppmcli.analysis import checks

    path, _ = repo
    _apply(path / "ws", change)
    args = ("-C", path / "ws", "--as-of", AS_OF, "--no-cache", "diff", "HEAD", "--format", "json")
    checked: list[set[str]] = []
    real = checks.run_check
    monkeypatch.setattr(checks, "run_check", lambda ws, as_of, check: checked.append(set(ws.projects)) or real(ws, as_of, check))
    reused = run_ppm(*args)
    if "ppm.yaml" in change:
        assert {"alpha", "beta", "gamma"} in checked and not any(len(ids) == 1 for ids in checked)
    else:
        assert set(change) - {"projects/gamma.yaml"} == {f"projects/{pid}.yaml" for ids in checked if len(ids) == 1 for pid in ids}
    monkeypatch.setattr(checks, "_PER_PROJECT", frozenset())  # every rule on the whole of both sides
    whole = run_ppm(*args)
    assert reused == whole and reused[0] == 0
    assert json.loads(whole[1])["findings"]["new"], "the change makes findings"


def test_a_project_that_takes_its_programs_portfolio_is_one_model_on_both_sides(repo, monkeypatch):
    from ppmcli.analysis import checks

    path, commit = repo
    in_program = project(80000).replace("portfolio: main\n", "program: core\n")
    write_tree(path / "ws", {"programs/core.yaml": "name: Core\nportfolio: main\nmanager: ann\n", "projects/delta.yaml": in_program})
    commit("delta, in a program")
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, urgency=4) + "milestones:\n  - {name: Beta, date: 2026-02-01}\n"})
    checked: list[set[str]] = []
    real = checks.run_check
    monkeypatch.setattr(checks, "run_check", lambda ws, as_of, check: checked.append(set(ws.projects)) or real(ws, as_of, check))
    found = diff_json(path, "HEAD")
    assert [f["code"] for f in found["findings"]["new"]] == ["late-milestone"]
    assert min(checked, key=len) == {"beta"}  # delta, copied with main as its portfolio, is the same copy on both sides: not run again


def test_a_finding_that_names_a_line_in_another_file_is_the_same_when_that_file_gains_a_line(repo):
    path, commit = repo
    # Bob over-allocated on alpha and beta: the finding in one file names the other with its line.
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4)})
    commit("beta books bob too")
    write_tree(path / "ws", {name: "# reviewed\n" + BASE[name] if name != "projects/beta.yaml" else "# reviewed\n" + project(200000, team="bob", urgency=4) for name in ("projects/alpha.yaml", "projects/beta.yaml")})
    result = diff_json(path, "HEAD")
    assert result["findings"] == {"new": [], "fixed": []}, result["findings"]
    code, _, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--fail-on", "new-error")
    assert code == 0, err


def test_the_change_that_creates_the_portfolio_is_diffed_against_an_empty_base(git_repo):
    path, commit = git_repo
    (path / "README").write_text("before the portfolio\n")
    commit("no portfolio yet")
    write_tree(path / "ws", BASE)
    result = diff_json(path, "HEAD")
    assert sorted(result["added"]) == sorted(name.rsplit("/", 1)[-1].removesuffix(".yaml") for name in BASE if name != "ppm.yaml")
    assert result["removed"] == [] and result["invalid"] == []
    # A baseline, or a head, named without a portfolio is still an error, naming the revision as given.
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "report", "--baseline", "HEAD")
    assert (code, out, err) == (2, "", "ppm: error: revision 'HEAD' has no ppm.yaml in 'ws/'\n")


def test_a_base_with_the_files_but_no_ppm_yaml_is_an_empty_portfolio_too(git_repo):
    # It was read as a workspace without settings: 0 added, a third of the findings new, and health-drop passed.
    path, commit = git_repo
    files = {name: text for name, text in BASE.items() if name != "ppm.yaml"}
    write_tree(path / "ws", files)
    commit("the files, before their ppm.yaml")
    write_tree(path / "ws", BASE)
    result = diff_json(path, "HEAD")
    assert sorted(result["added"]) == sorted(name.rsplit("/", 1)[-1].removesuffix(".yaml") for name in files)
    assert result["removed"] == [] and result["invalid"] == []


def test_a_program_moved_to_another_portfolio_changes_its_file_not_its_projects(repo):
    path, commit = repo
    in_program = project(80000).replace("portfolio: main\n", "program: core\n")
    write_tree(path / "ws", {"portfolios/other.yaml": "name: Other\nowner: ann\n", "programs/core.yaml": "name: Core\nportfolio: main\nmanager: ann\n", "projects/delta.yaml": in_program})
    commit("delta, in a program of main")
    write_tree(path / "ws", {"programs/core.yaml": "name: Core\nportfolio: other\nmanager: ann\n"})
    found = diff_json(path, "HEAD")
    assert found["changed"] == {"core": {"portfolio": {"old": "main", "new": "other"}}}  # fields as written
    assert found["summary"].startswith("files: 1 changed")


@pytest.mark.parametrize("second_from", ["2026-03-14", "2026-03-16"])  # the next day (a Saturday), or the next working day
def test_an_allocation_split_in_two_with_the_same_fte_leaves_its_overallocation_as_it_was(repo, second_from):
    path, commit = repo
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4)})
    commit("bob over-booked by alpha and beta")
    split = project(200000, urgency=4) + f"team:\n  - {{person: bob, fte: 0.6, to: 2026-03-13}}\n  - {{person: bob, fte: 0.6, from: {second_from}}}\n"
    write_tree(path / "ws", {"projects/beta.yaml": split})
    found = diff_json(path, "HEAD")
    assert found["conflicts"] == {"new": [], "worse": [], "eased": [], "resolved": []}


def test_an_added_file_that_does_not_validate_is_listed_with_the_changes(repo):
    path, _ = repo
    write_tree(path / "ws", {"projects/delta.yaml": "name: [broken\n"})
    result = diff_json(path, "HEAD")
    assert (result["added"], result["invalid"]) == ([], ["delta"])
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD")
    assert "! project delta: added, invalid (see Findings): not compared\n" in out and "files: 1 invalid now" in out


def test_ranks_in_the_markdown_comment_are_no_issue_links(repo):
    # On GitHub "#3" links issue 3 and mentions the pull request in its timeline: one per moved project.
    path, commit = repo
    write_tree(path / "ws", {"projects/gamma.yaml": project(100000, urgency=5)})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--format", "markdown")
    ranking = out.split("#### Ranking\n", 1)[1].split("\n\n", 1)[0]
    assert code == 0 and "| `gamma` | 3 → " in ranking and not re.search(r"#\d", ranking)
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD")
    assert "gamma: rank #3 → #" in out  # a terminal links nothing: the # reads as a rank


def test_an_overallocation_the_change_lowers_is_eased_not_one_new_and_one_resolved(repo):
    # Bob at 0.6 + 0.6 + 0.3; the change drops the 0.3. The summary said "1 new over-allocation; 1 over-allocation resolved".
    path, commit = repo
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob"), "projects/gamma.yaml": project(100000, team="bob").replace("fte: 0.6", "fte: 0.3")})
    commit("bob over-booked three times")
    write_tree(path / "ws", {"projects/gamma.yaml": project(100000)})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--format", "plain")
    assert code == 0
    assert "1 over-allocation eased" in out.splitlines()[1] and "new over-allocation" not in out and "resolved" not in out
    assert "  - eased: bob over-allocated" in out
    conflicts = diff_json(path, "HEAD")["conflicts"]  # JSON says it as the text does
    assert ([c["person"] for c in conflicts["eased"]], conflicts["new"], conflicts["worse"], conflicts["resolved"]) == (["bob"], [], [], [])


def test_an_overallocation_the_change_makes_worse_is_worse_not_one_new_and_one_resolved(repo):
    # Bob at 0.6 + 0.6, raised to 0.6 + 0.7: the summary said "1 new over-allocation; 1 over-allocation resolved".
    path, commit = repo
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob")})
    commit("bob over-booked")
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob").replace("fte: 0.6", "fte: 0.7")})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--format", "plain", "--fail-on", "new-overallocation")
    assert code == 1
    summary = next(line for line in out.splitlines() if line.startswith("files: "))
    assert "1 over-allocation made worse" in summary and "new over-allocation" not in out and "resolved" not in out
    assert "  - worse: bob over-allocated" in out
    conflicts = diff_json(path, "HEAD")["conflicts"]
    assert ([c["person"] for c in conflicts["worse"]], conflicts["new"], conflicts["eased"], conflicts["resolved"]) == (["bob"], [], [], [])
    # A booking on days the base had none of bob's is a new over-allocation beside it, and the old one is then worse or not.
    autumn = project(100000).replace("start: 2026-01-05\nend: 2026-06-30", "start: 2026-09-01\nend: 2026-09-30")
    write_tree(path / "ws", {"projects/gamma.yaml": autumn + "team:\n  - {person: bob, fte: 0.6}\n  - {person: bob, fte: 0.6}\n"})
    conflicts = diff_json(path, "HEAD")["conflicts"]
    assert ([c["from"] for c in conflicts["new"]], [c["person"] for c in conflicts["worse"]], conflicts["resolved"]) == (["2026-09-01"], ["bob"], [])


def test_the_summary_line_says_what_the_change_does_to_the_benefits(repo):
    # Only the budget and the forecast were summed up there: a benefits case raised by millions read as no change.
    path, _ = repo
    write_tree(path / "ws", {"projects/alpha.yaml": project(300000, team="bob", status="green", urgency=5) + "benefits: 9000000\n"})
    found = diff_json(path, "HEAD")
    assert found["summary"] == "files: 1 changed; Benefits +9,000,000"


def test_a_threshold_of_ppm_yaml_reads_old_to_new_even_when_the_base_wrote_its_default(repo):
    # The gate judges the head by its own ppm.yaml: a loosened threshold must read as one ("added: 0.9" hid the 0).
    path, commit = repo
    write_tree(path / "ws", {"ppm.yaml": SETTINGS + "checks:\n  overallocation_tolerance: 0.0\n"})
    commit("the default, written out")
    write_tree(path / "ws", {"ppm.yaml": SETTINGS + "checks:\n  overallocation_tolerance: 0.9\n"})
    assert diff_json(path, "HEAD")["changed"]["ppm.yaml"] == {"checks.overallocation_tolerance": {"old": 0.0, "new": 0.9}}
    write_tree(path / "ws", {"ppm.yaml": SETTINGS})  # written out or left to its default: the same settings
    assert diff_json(path, "HEAD")["changed"] == {}


def test_one_project_leaving_the_ranking_is_one_score_change_and_the_others_only_move(repo):
    # Cancelling one project read "3 rank/score changes", each line repeating an unchanged score ("score 51.39 → 51.39").
    path, _ = repo
    write_tree(path / "ws", {"projects/alpha.yaml": project(300000, team="bob", status="green", urgency=5).replace("phase: planning", "phase: cancelled")})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--format", "markdown")
    lines = out.splitlines()
    assert "1 project left the ranking; 2 projects moved in rank" in lines[2]
    ranking = lines[lines.index("#### Ranking") + 4 :][:3]
    assert [line.count("→") for line in ranking] == [1, 1, 2]  # beta and gamma only move; alpha leaves (rank and score), last


def test_a_project_whose_id_is_ppm_yaml_does_not_take_the_settings_key(repo):
    # projects/ppm.yaml.yaml has the id `ppm.yaml`: its budget change took the key of a change to ppm.yaml itself.
    path, commit = repo
    write_tree(path / "ws", {"projects/ppm.yaml.yaml": project(1000)})
    commit("a project named like the settings file")
    write_tree(path / "ws", {"projects/ppm.yaml.yaml": project(2000), "ppm.yaml": SETTINGS.replace("currency: USD", "currency: EUR")})
    changed = diff_json(path, "HEAD")["changed"]
    assert changed["ppm.yaml"] == {"currency": {"old": "USD", "new": "EUR"}}
    assert changed["projects/ppm.yaml"] == {"budget": {"old": 1000, "new": 2000}}


@pytest.mark.parametrize(
    ("change", "swept"),
    [
        ({"projects/beta.yaml": project(200000, team="bob", urgency=4)}, {"bob"}),  # bob booked twice: a new over-allocation
        ({"people/bob.yaml": PERSON.format(name="Bob").replace("capacity: 1.0", "capacity: 0.5")}, {"bob"}),  # alpha alone is too much now
        ({"projects/alpha.yaml": None}, {"bob"}),  # bob's project removed: his conflicts may go
        ({"people/carl.yaml": PERSON.format(name="Carl"), "projects/gamma.yaml": project(100000, team="carl", urgency=1)}, {"carl"}),
        ({"ppm.yaml": SETTINGS + "checks:\n  overallocation_tolerance: 0.5\n"}, None),  # every person may read differently
    ],
    ids=["booked-twice", "capacity", "removed", "added", "settings"],
)
def test_over_allocation_is_swept_again_on_the_head_side_only_for_the_people_a_change_reaches(repo, monkeypatch, change, swept):
    from ppmcli.analysis import checks

    path, _ = repo
    _apply(path / "ws", change)
    args = ("-C", path / "ws", "--as-of", AS_OF, "--no-cache", "diff", "HEAD", "--format", "json")
    runs: list[set[str]] = []
    (check, by_person), = checks._BY_PERSON.items()
    monkeypatch.setattr(checks, "_BY_PERSON", {check: lambda ws, as_of: runs.append(set(ws.people)) or by_person(ws, as_of)})
    reused = run_ppm(*args)
    assert runs == ([] if swept is None else [{"ann", "bob"}, swept]), runs  # the base side whole, then the head's reached people
    monkeypatch.setattr(checks, "_BY_PERSON", {})  # every rule on the whole of both sides
    whole = run_ppm(*args)
    assert reused == whole and reused[0] == 0
    findings = json.loads(whole[1])["findings"]
    if "projects/beta.yaml" in change or "people/bob.yaml" in change:
        assert [f["code"] for f in findings["new"]] == ["overallocation"]


def test_an_edit_to_a_file_invalid_at_both_revisions_is_listed(repo):
    # Neither side has a model of it: the diff said "no portfolio changes" and every gate passed.
    path, commit = repo
    broken = project(300000, urgency=5) + "budgt: 1\n"
    write_tree(path / "ws", {"projects/delta.yaml": broken})
    commit("delta broken")
    unchanged = diff_json(path, "HEAD")
    assert unchanged["edited_invalid"] == [] and unchanged["summary"] == "no portfolio changes"
    write_tree(path / "ws", {"projects/delta.yaml": broken.replace("budget: 300000", "budget: 9000000")})
    found = diff_json(path, "HEAD")
    assert (found["edited_invalid"], found["summary"]) == (["delta"], "files: 1 invalid, edited")
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD")
    assert "! project delta: invalid at both revisions, edited (see Findings): not compared\n" in out


def test_a_file_refused_unread_at_both_revisions_is_no_edit(repo):
    # Refused before parsing (too many values), it had fresh positions on each side: "invalid, edited" with nothing changed.
    path, commit = repo
    write_tree(path / "ws", {"projects/big.yaml": "- a\n" * 100_100})
    commit("a file too big to read")
    found = diff_json(path, "HEAD", "HEAD")
    assert (found["edited_invalid"], found["summary"]) == ([], "no portfolio changes")
