"""One fixture per file-level and reference rule, with the exact (path, line, column, code) expected."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import check
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource

AS_OF = date(2026, 11, 25)

PORTFOLIO = "name: Digital\nowner: ann\nbudget: 1000000\n"
PERSON = "name: Ann\nrole: engineer\n"
PROJECT = """\
name: App
portfolio: digital
manager: ann
phase: planning
start: 2026-01-05
end: 2026-12-18
budget: 100000
goals: [growth]
scores: {financial_value: 4, urgency: 3, risk: 2}
"""


def findings(files: dict[str, str], codes: set[str] | None = None) -> list[tuple]:
    return check({"portfolios/digital.yaml": PORTFOLIO, "people/ann.yaml": PERSON, **files}, as_of=AS_OF, codes=codes)


def test_valid_workspace_has_no_findings():
    assert findings({"projects/app.yaml": PROJECT}) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: [unclosed\n", [(1, 7, "yaml-syntax")]),  # the bracket never closed, not the end of the file
        ('name: "unclosed\nportfolio: digital\n', [(1, 7, "yaml-syntax")]),  # the quote never closed, not the end of the file
        (PROJECT + "name: Again\n", [(10, 1, "duplicate-key")]),
        (PROJECT + "budgt: 5\n", [(10, 1, "unknown-field")]),
        (PROJECT.replace("manager: ann\n", ""), [(1, 1, "missing-field")]),
        (PROJECT.replace("budget: 100000", "budget: -5"), [(7, 9, "invalid-value")]),
        (PROJECT.replace("start: 2026-01-05", "start: 2026-02-30"), [(5, 8, "invalid-value")]),
        (PROJECT.replace("end: 2026-12-18", "end: 2025-09-30"), [(6, 6, "invalid-value")]),
        (PROJECT.replace("phase: planning", "phase: planing"), [(4, 8, "invalid-value")]),
        (PROJECT.replace("budget: 100000", "budget: " + "9" * 400), [(7, 9, "invalid-value")]),
        (PROJECT.replace("budget: 100000", "budget: .inf"), [(7, 9, "invalid-value")]),
        (PROJECT.replace("budget: 100000", "budget: 2000000000000000"), [(7, 9, "invalid-value")]),
        (PROJECT + "team:\n  - {person: ann, role: engineer, fte: 0.5}\n", [(11, 5, "invalid-value")]),
        (PROJECT + "team:\n  - {fte: 0.5}\n", [(11, 5, "invalid-value")]),
        # Neither, and no fte either: both said (it was only the missing fte; the contract puts the first at the entry).
        (PROJECT + "team:\n  - {person: ann, fte: 0.5}\n  - {}\n", [(12, 5, "invalid-value"), (12, 5, "missing-field")]),
        (PROJECT + "team:\n  - {person: ann, fte: 0}\n", [(11, 24, "invalid-value")]),
        (PROJECT + "risks:\n  - {name: R, probability: 1.5, impact: 10}\n", [(11, 28, "invalid-value")]),
        (
            PROJECT + "status:\n  - {date: 2026-11-20, health: green, percent_complete: 10, actual_cost: 0}\n"
            "  - {date: 2026-11-20, health: red, percent_complete: 20, actual_cost: 0}\n",
            [(12, 12, "invalid-value")],
        ),
        (PROJECT + "status:\n  - {date: 2026-11-20, health: green, percent_complete: 140, actual_cost: 0}\n", [(11, 57, "invalid-value")]),
        # Only `from`, after the project's end (the entry's end): at `from`, not at the entry.
        (PROJECT + "team:\n  - {person: ann, fte: 0.5, from: 2027-12-01}\n", [(11, 35, "invalid-value")]),
        # A key written beside a merge overrides the merged one (it was an internal error, taken for a duplicate key).
        (PROJECT + "team:\n  - &t {person: ann, fte: 0.5, from: 2026-02-02, to: 2026-03-02}\n  - {<<: *t, to: 2026-01-15}\n", [(12, 18, "invalid-value")]),
        # Keys YAML 1.1 reads as a number, a boolean (`on`) or null: unknown fields at the key (it was pydantic's "Keys should be strings" at the value).
        (PROJECT + "2026: plan\nmilestones:\n  - {name: B, on: 2026-12-01, date: 2026-12-01}\n~: 1\n", [(10, 1, "unknown-field"), (12, 15, "unknown-field"), (13, 1, "unknown-field")]),
        # The same in a mapping of ids: at each key, not at the value (it said "'goals' should be text, found 2026").
        (PROJECT.replace("goals: [growth]", "goals: {growth: 1, 2026: 1, ~: 1}"), [(8, 20, "invalid-value"), (8, 29, "invalid-value")]),
        ("- a\n- b\n", [(1, 1, "invalid-value")]),
        # An empty file: each required field missing, and a portfolio (or a program), which no other error holds back.
        ("", [(1, 1, "missing-field")] * 7),
        # No portfolio, and a bad budget: both at once (the rule across fields waited for every field to validate).
        (PROJECT.replace("portfolio: digital\n", "").replace("budget: 100000", "budget: lots"), [(1, 1, "missing-field"), (6, 9, "invalid-value")]),
        # A name every report prints, empty: it said nothing, and its CSV export could not be imported back.
        (PROJECT.replace("name: App", 'name: ""') + "milestones:\n  - {name: '', date: 2026-12-01}\n", [(1, 7, "invalid-value"), (11, 12, "invalid-value")]),
        (PROJECT.replace("name: App", 'name: "   "'), [(1, 7, "invalid-value")]),
        (PROJECT.replace("name: App", 'name: "\\u200b"'), [(1, 7, "invalid-value")]),  # a zero-width space alone
    ],
    ids=[
        "yaml-syntax", "unclosed-quote", "duplicate-key", "unknown-field", "missing-field", "negative-budget", "impossible-date",
        "end-before-start", "bad-enum", "400-digits", "infinity", "above-1e15", "person-and-role", "neither-person-nor-role", "empty-team-entry",
        "zero-fte", "probability", "same-status-date", "percent-complete", "from-after-end", "merge-overridden", "keys-not-text", "id-keys-not-text", "top-level-list", "empty-file", "no-portfolio-and-bad-budget",
        "empty-name", "blank-name", "zero-width-name",
    ],
)
def test_file_rules(text, expected):
    got = findings({"projects/app.yaml": text})
    assert [(line, column, code) for _, line, column, code in got] == expected


def test_unknown_field_suggests_the_close_name(make_workspace, ppm):
    root = make_workspace({"portfolios/digital.yaml": PORTFOLIO, "people/ann.yaml": PERSON, "projects/app.yaml": PROJECT + "budgt: 5\n"})
    code, out, _ = ppm("-C", root, "check", "--as-of", "2026-11-25")
    assert out == "projects/app.yaml:10:1: error: 'budgt' is not a field; did you mean 'budget'? [unknown-field]\n"
    assert code == 1


def test_duplicate_id_across_sub_folders():
    got = findings({"projects/a/app.yaml": PROJECT, "projects/b/app.yaml": PROJECT})
    assert got == [("projects/b/app.yaml", 1, 1, "duplicate-id")]


def test_a_duplicate_file_keeps_its_own_findings():
    # It is left out of the model, but its typos are still found (they were hidden until the file was renamed).
    got = findings({"projects/a/app.yaml": PROJECT, "projects/b/App.yaml": PROJECT + "budgt: 600\nbudget: 1\n"})
    assert got == [("projects/b/App.yaml", 1, 1, "duplicate-id"), ("projects/b/App.yaml", 10, 1, "unknown-field"), ("projects/b/App.yaml", 11, 1, "duplicate-key")]


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("manager: ann", "manager: anne"), (3, 10)),
        (("portfolio: digital", "portfolio: digitl"), (2, 12)),
        (("goals: [growth]", "goals: {growht: 1}"), (8, 9)),
        (("scores: {financial_value: 4,", "scores: {financial_valu: 4,"), (9, 10)),
    ],
    ids=["person", "portfolio", "goal", "score-input"],
)
def test_unknown_reference(replace, expected):
    got = findings({"projects/app.yaml": PROJECT.replace(*replace)}, {"unknown-reference"})
    assert [(line, column) for _, line, column, _ in got] == [expected]


def test_unknown_goals_written_as_a_list_each_at_its_item():
    # Each was found at the list's '[' (flow) or first item (block).
    flow = findings({"projects/app.yaml": PROJECT.replace("goals: [growth]", "goals: [growth, zz, yy]")}, {"unknown-reference"})
    assert [(line, column) for _, line, column, _ in flow] == [(8, 17), (8, 21)]
    block = findings({"projects/app.yaml": PROJECT.replace("goals: [growth]", "goals:\n  - zz\n  - growth\n  - yy")}, {"unknown-reference"})
    assert [(line, column) for _, line, column, _ in block] == [(9, 5), (11, 5)]


def test_unknown_reference_message_suggests(make_workspace, ppm):
    root = make_workspace({"portfolios/digital.yaml": PORTFOLIO, "people/ann.yaml": PERSON, "projects/app.yaml": PROJECT.replace("manager: ann", "manager: anne")})
    _, out, _ = ppm("-C", root, "check", "--as-of", "2026-11-25", "--fail-on", "never")
    assert "person 'anne' is not defined; did you mean 'ann'? [unknown-reference]" in out


def test_reference_to_an_invalid_file_is_not_unknown():
    got = findings({"projects/app.yaml": PROJECT, "people/bob.yaml": "name: Bob\n", "projects/b.yaml": PROJECT.replace("manager: ann", "manager: bob")})
    assert got == [("people/bob.yaml", 1, 1, "missing-field")]


def test_portfolio_mismatch():
    program = "name: Mobile\nportfolio: digital\n"
    other = "name: Ops\nowner: ann\n"
    text = PROJECT.replace("portfolio: digital\n", "portfolio: ops\nprogram: mobile\n")
    got = findings({"programs/mobile.yaml": program, "portfolios/ops.yaml": other, "projects/app.yaml": text})
    assert got == [("projects/app.yaml", 2, 12, "portfolio-mismatch")]


def test_project_takes_its_programs_portfolio(make_workspace):
    program = "name: Mobile\nportfolio: digital\n"
    root = make_workspace({"portfolios/digital.yaml": PORTFOLIO, "people/ann.yaml": PERSON, "programs/mobile.yaml": program, "projects/app.yaml": PROJECT.replace("portfolio: digital\n", "program: mobile\n")})
    ws, found = load(FileSource(root))
    assert found == [] and ws.projects["app"].portfolio == "digital"


def test_dependency_cycle_is_named_once(make_workspace, ppm):
    files = {
        "projects/a.yaml": PROJECT + "depends_on: [b]\n",
        "projects/b.yaml": PROJECT + "depends_on: [c]\n",
        "projects/c.yaml": PROJECT + "depends_on: [a]\n",
        "projects/d.yaml": PROJECT + "depends_on: [d]\n",
    }
    got = findings(files, {"dependency-cycle"})
    assert got == [("projects/a.yaml", 10, 14, "dependency-cycle"), ("projects/d.yaml", 10, 14, "dependency-cycle")]
    _, out, _ = ppm("check", "--as-of", "2026-11-25", "-C", make_workspace({"portfolios/digital.yaml": PORTFOLIO, "people/ann.yaml": PERSON, **files}))
    assert "dependency cycle: a → b → c → a" in out
    assert "dependency cycle: d → d" in out


def test_excluding_itself_is_invalid():
    got = findings({"projects/app.yaml": PROJECT + "excludes: [app]\n"})
    assert got == [("projects/app.yaml", 10, 12, "invalid-value")]


def test_unscored_points_at_scores():
    got = findings({"projects/app.yaml": PROJECT.replace("urgency: 3, ", "")}, {"unscored"})
    assert got == [("projects/app.yaml", 9, 9, "unscored")]


def test_closed_projects_need_no_scores():
    text = PROJECT.replace("phase: planning", "phase: closed").replace("scores: {financial_value: 4, urgency: 3, risk: 2}\n", "")
    assert findings({"projects/app.yaml": text}, {"unscored"}) == []


def test_a_closed_projects_scores_are_still_within_their_scale():
    # It needs none, but one it has outside its scale is an error all the same (it passed unseen).
    text = PROJECT.replace("phase: planning", "phase: closed").replace("scores: {financial_value: 4, urgency: 3, risk: 2}", "scores: {urgency: 9}")
    assert findings({"projects/app.yaml": text}) == [("projects/app.yaml", 9, 19, "invalid-value")]


def test_score_outside_its_scale():
    got = findings({"projects/app.yaml": PROJECT.replace("urgency: 3", "urgency: 9")})
    assert got == [("projects/app.yaml", 9, 39, "invalid-value")]


def test_one_bad_file_never_hides_the_others():
    got = findings({"projects/a.yaml": "name: [\n", "projects/b.yaml": PROJECT + "oops: 1\n", "people/c.yaml": "name: C\n"})
    assert {(path, code) for path, _, _, code in got} == {
        ("projects/a.yaml", "yaml-syntax"),
        ("projects/b.yaml", "unknown-field"),
        ("people/c.yaml", "missing-field"),
    }
