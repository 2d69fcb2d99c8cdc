"""The rule registry, the checks' behaviour on a broken workspace, and the model's domain predicates."""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from conftest import check
from ppmcli.analysis import checks
from ppmcli.core.model import Milestone, Project
from ppmcli.core.rules import RULES, Severity, register

PROJECT = """\
name: App
portfolio: digital
manager: ann
phase: planning
start: 2026-01-05
end: 2026-12-31
budget: 100000
scores: {risk: 2}
milestones:
  - {name: Beta, date: 2026-10-01}
"""


def test_every_check_function_is_a_registered_rule_in_module_order() -> None:
    functions = [f for module in (checks.references, checks.staffing, checks.delivery) for name, f in inspect.getmembers(module, inspect.isfunction) if name.startswith("check_")]
    registered = [rule.check for rule in RULES.values() if rule.check is not None]
    assert sorted(f.__name__ for f in functions) == sorted(f.__name__ for f in registered)
    assert [f.__name__ for f in registered][:4] == ["check_unknown_reference", "check_portfolio_mismatch", "check_dependency_cycle", "check_unscored"]
    # The loader's rules come first, without a check function.
    assert [rule.code for rule in RULES.values()][:2] == ["unreadable-file", "yaml-syntax"] and RULES["yaml-syntax"].check is None
    for rule in registered:
        assert rule.__name__ == "check_" + next(r.code for r in RULES.values() if r.check is rule).replace("-", "_")


def test_a_code_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register("watermelon", Severity.WARNING, "again", "again")


def test_checks_that_need_ppm_yaml_are_skipped_while_it_is_invalid() -> None:
    files = {"portfolios/digital.yaml": "name: Digital\nowner: ann\n", "people/ann.yaml": "name: Ann\nrole: engineer\n", "projects/app.yaml": PROJECT}
    assert {code for *_, code in check(files)} == {"unscored", "late-milestone"}
    broken = {code for *_, code in check(files, settings="name: [\n")}
    assert broken == {"yaml-syntax", "late-milestone"}  # unscored reads the scoring models; the milestone does not


@pytest.mark.parametrize(
    ("done", "as_of", "is_done", "is_late"),
    [
        (None, date(2026, 10, 2), False, True),
        (None, date(2026, 10, 1), False, False),  # due today is not late
        (date(2026, 10, 5), date(2026, 10, 3), False, True),  # done later than as_of: not done yet then
        (date(2026, 10, 5), date(2026, 10, 5), True, False),
    ],
)
def test_milestone_done_and_late_as_of_a_date(done: date | None, as_of: date, is_done: bool, is_late: bool) -> None:
    milestone = Milestone(name="Beta", date=date(2026, 10, 1), done=done)
    assert (milestone.is_done(as_of), milestone.is_late(as_of)) == (is_done, is_late)


def _project(phase: str, start: str, end: str) -> Project:
    return Project.model_validate({"name": "P", "manager": "ann", "phase": phase, "start": date.fromisoformat(start), "end": date.fromisoformat(end), "budget": 1.0})


@pytest.mark.parametrize(
    ("phase", "end", "state"),
    [("cancelled", "2026-01-31", "cancelled"), ("closed", "2026-12-31", "met"), ("execution", "2026-06-30", "overlaps"), ("execution", "2026-05-31", "ok"), ("proposed", "2026-06-01", "ok")],
)
def test_dependency_state(phase: str, end: str, state: str) -> None:
    project = _project("planning", "2026-06-01", "2026-12-31")
    assert project.dependency_state(_project(phase, "2026-01-05", end)) == state


def test_the_summary_names_the_checks_not_run_while_ppm_yaml_is_invalid() -> None:
    from ppmcli.core.findings import Finding
    from ppmcli.render.findings import summary

    loader_error = Finding("ppm.yaml", 3, 1, Severity.ERROR, "unknown-field", "'bogus' is not a field")
    rule_error = Finding("ppm.yaml", 9, 12, Severity.ERROR, "unknown-reference", "default scoring model 'x' is not defined")
    # A goal or a score input is defined in ppm.yaml: references to them are not checked either (that went unsaid).
    skipped = "\nppm.yaml is invalid, so the checks that read it did not run:\noverallocation, watermelon, unscored, labor-over-budget,\nstale-status, budget-overrun, and unknown-reference for goals and scores"
    # As the line names them; stale-status and budget-overrun ran on the default limits, beside ppm.yaml's own.
    assert {code for code, rule in RULES.items() if rule.needs_settings} == {"overallocation", "watermelon", "unscored", "labor-over-budget", "stale-status", "budget-overrun"}
    assert summary([loader_error], 5) == "5 files checked: 1 error, 0 warnings" + skipped
    assert summary([rule_error], 5) == "5 files checked: 1 error, 0 warnings"  # a rule's finding: ppm.yaml validated


# ---------------------------------------------------------------- per-project rules


def _each_project_alone(ws, as_of: date, check) -> list:
    from dataclasses import replace

    return [finding for pid, project in ws.projects.items() for finding in check(replace(ws, projects={pid: project}), as_of)]


def _rule_workspaces():
    """acme, and the workspace of every rule's golden case."""
    from conftest import ACME, REPO
    from ppmcli.load.loader import load
    from ppmcli.load.sources import FileSource

    roots = [ACME, *sorted(path / "workspace" for path in (REPO / "tests" / "cases").glob("rule-*"))]
    return [(root.name if root != ACME else "acme", load(FileSource(root))[0]) for root in roots if (root / "ppm.yaml").is_file()]


def test_a_per_project_rule_finds_about_each_project_what_it_finds_about_it_alone_in_its_file() -> None:
    from ppmcli.analysis.checks import checks_for

    as_of = date(2026, 11, 25)
    per_project = [rule for rule in RULES.values() if rule.per_project]
    assert {rule.code for rule in per_project} == {"stale-status", "future-status", "past-end", "budget-overrun", "late-milestone", "watermelon", "allocation-outside-project", "unscored"}
    fired = set()
    for name, ws in _rule_workspaces():
        for rule in per_project:
            if rule.check not in checks_for(ws):
                continue
            whole = sorted(rule.check(ws, as_of))
            assert whole == sorted(_each_project_alone(ws, as_of, rule.check)), (name, rule.code)
            files = {ws.positions[("projects", pid)].path for pid in ws.projects}
            assert all(finding.path in files for finding in whole), (name, rule.code)
            fired |= {finding.code for finding in whole}
    assert fired >= {"stale-status", "future-status", "past-end", "budget-overrun", "late-milestone", "watermelon", "allocation-outside-project", "unscored"}


def test_a_rule_across_projects_is_not_the_sum_of_each_project_alone() -> None:
    # The property above can fail: an over-allocation needs two projects that book the same person.
    as_of = date(2026, 11, 25)
    ws = dict(_rule_workspaces())["acme"]
    assert sorted(checks.staffing.check_overallocation(ws, as_of)) != sorted(_each_project_alone(ws, as_of, checks.staffing.check_overallocation))


# ---------------------------------------------------------------- checks by person


def test_a_check_by_person_finds_about_each_person_alone_what_it_finds_about_them_in_the_whole_workspace() -> None:
    from dataclasses import replace

    from ppmcli.analysis.checks import _BY_PERSON, checks_for

    as_of = date(2026, 6, 1)
    assert set(_BY_PERSON) == {checks.staffing.check_overallocation}
    fired = set()
    for name, ws in _rule_workspaces():
        for check, by_person in _BY_PERSON.items():
            if check not in checks_for(ws):
                continue
            tagged = list(by_person(ws, as_of))
            assert sorted(finding for _, finding in tagged) == sorted(check(ws, as_of)), name
            for person in ws.people:
                alone = replace(ws, people={person: ws.people[person]})
                assert sorted(by_person(alone, as_of)) == sorted(item for item in tagged if item[0] == person), (name, person)
            fired |= {finding.code for _, finding in tagged}
    assert "overallocation" in fired


# ---------------------------------------------------------------- the checks' work in shares


@pytest.mark.parametrize("projects_per_share", [1, 2, 1000])
def test_the_checks_work_in_shares_finds_what_each_check_finds_on_the_whole_workspace(monkeypatch: pytest.MonkeyPatch, projects_per_share: int) -> None:
    from ppmcli.analysis.checks import checks_for, gathered, run_share, shares, sparing
    from ppmcli.core.findings import sorted_findings

    monkeypatch.setattr(checks, "_PROJECTS_PER_SHARE", projects_per_share)
    as_of = date(2026, 6, 1)
    for name, ws in _rule_workspaces():
        wanted = checks_for(ws)
        work = shares(ws, sparing(ws, {}), wanted)
        found = gathered(wanted, work, [run_share(as_of, share) for share in work])
        for check, part in zip(wanted, found):
            findings = [finding for _, finding in part] if check in checks._BY_PERSON else part
            assert sorted_findings(findings) == sorted_findings(check(ws, as_of)) and len(findings) == len(list(check(ws, as_of))), (name, check.__name__)
        if len(ws.projects) > projects_per_share:
            assert sum(1 for share in work if checks.delivery.check_future_status in share.checks) > 1, name
