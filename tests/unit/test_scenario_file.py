"""`scenarios/ID.yaml`: a new file kind, validated by `ppm check` with exact positions."""

from __future__ import annotations

import pytest

from conftest import ACME, check, run_ppm

PEOPLE = {"people/ann.yaml": "name: Ann\nrole: engineer\n"}
PROJECT = """\
name: App
portfolio: main
manager: ann
phase: proposed
start: 2027-01-04
end: 2027-06-30
budget: 100000
goals: [growth]
scores: {financial_value: 4, urgency: 3, risk: 2}
"""
BASE = {"portfolios/main.yaml": "name: Main\nowner: ann\n", "projects/app.yaml": PROJECT, **PEOPLE}


def scenario(text: str) -> list[tuple]:
    return [f for f in check({**BASE, "scenarios/what-if.yaml": text}, messages=True) if f[0].startswith("scenarios/")]


def test_a_full_scenario_is_valid():
    text = """\
name: Budget cut by 20 %
description: What leadership asked on 2026-11-20
plan:
  budget: 4000000
  months: 18
  max_delay: 3
  hire: [{role: engineer, count: 2, from: 2027-02}]
  stop: []
  force_in: [app]
  force_out: []
  model: value
  method: optimal
"""
    assert scenario(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: X\ndescripton: y\n", (2, 1, "unknown-field", "'descripton' is not a field; did you mean 'description'?")),
        ("name: X\nplan:\n  max_dealy: 2\n", (3, 3, "unknown-field", "'max_dealy' is not a field; did you mean 'max_delay'?")),
        ("name: X\nplan:\n  hire: [{role: engineer, count: 1, cuont: 2}]\n", (3, 37, "unknown-field", "'cuont' is not a field; did you mean 'count'?")),
        ("plan: {}\n", (1, 1, "missing-field", "missing required field 'name'")),
        ("name: X\nplan:\n  budget: -5\n", (3, 11, "invalid-value", "'budget' must be at least 0, found -5")),
        ("name: X\nplan:\n  months: 0\n", (3, 11, "invalid-value", "'months' must be at least 1, found 0")),
        ("name: X\nplan:\n  max_delay: 25\n", (3, 14, "invalid-value", "'max_delay' must be at most 24, found 25")),
        ("name: X\nplan:\n  hire: [{role: engineer, count: 0}]\n", (3, 34, "invalid-value", "'count' must be above 0, found 0")),
        ("name: X\nplan:\n  hire: [{role: engineer, count: 2, from: 2027-13}]\n", (3, 43, "invalid-value", "'from' should be a month (YYYY-MM), found '2027-13'")),
        ("name: X\nplan:\n  hire: [{role: engineer, count: 2, from: 2027-02-01}]\n", (3, 43, "invalid-value", "'from' should be a month (YYYY-MM), found '2027-02-01'")),
        ("name: X\nplan:\n  method: fastest\n", (3, 11, "invalid-value", "'method' must be one of greedy, optimal; found 'fastest'")),
        ("name: X\nplan:\n  stop: [nope]\n", (3, 10, "unknown-reference", "project 'nope' is not defined")),
        ("name: X\nplan:\n  force_in: [ap]\n", (3, 14, "unknown-reference", "project 'ap' is not defined; did you mean 'app'?")),
        ("name: X\nplan:\n  force_out: [app, nope]\n", (3, 20, "unknown-reference", "project 'nope' is not defined")),
        ("name: X\nplan:\n  model: valeu\n", (3, 10, "unknown-reference", "scoring model 'valeu' is not defined in ppm.yaml; did you mean 'value'?")),
        ("name: X\nplan:\n  hire:\n    - {role: enginer, count: 1}\n", (4, 14, "hire-unused-role", "role 'enginer' is held by nobody and booked by no open project, so the hire changes no plan; did you mean 'engineer'?")),
    ],
    ids=lambda v: v[2] + ":" + v[3][:20] if isinstance(v, tuple) else None,
)
def test_each_problem_at_its_position(text, expected):
    assert scenario(text) == [("scenarios/what-if.yaml", *expected)]


def test_a_hired_role_a_project_books_is_fine():
    files = {**BASE, "projects/app.yaml": PROJECT + "team:\n  - {role: data-scientist, fte: 1}\n"}
    found = check({**files, "scenarios/s.yaml": "name: X\nplan:\n  hire: [{role: data-scientist, count: 1}]\n"}, codes={"hire-unused-role"})
    assert found == []


def test_acme_scenarios_add_no_finding():
    code, out, _ = run_ppm("-C", ACME, "--as-of", "2026-11-25", "check", "--format", "json")
    assert "scenarios/" not in out


def test_schema_of_the_kind():
    import json

    code, out, _ = run_ppm("schema", "scenario")
    schema = json.loads(out)
    assert code == 0 and schema["$id"] == "ppm:scenario" and schema["additionalProperties"] is False
