"""Tests for render.plan and `ppm plan` on the command line: the JSON's keys, 80 columns, exit codes and one-sentence errors."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

import pytest

from conftest import ACME, run_ppm
from ppmcli.analysis.selection.options import PlanOptions, parse_hire
from ppmcli.analysis.selection.plan import plan
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource
from ppmcli.render.output import Output
from ppmcli.render.plan import render_plan

AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def acme_plan():
    ws, _ = load(FileSource(ACME))
    options = PlanOptions(budget=Fraction(5_000_000), max_delay=3, hires=(parse_hire("data-engineer=2@2027-03"),), stop=("erp-finance-upgrade",))
    return plan(ws, ws.projects, AS_OF, options)


def test_json_has_the_contract_s_keys_in_order(acme_plan) -> None:
    data = json.loads(render_plan(acme_plan, "USD", Output("json")))
    assert list(data) == ["as_of", "horizon", "method", "proven", "gap", "budget", "cost", "value", "projects", "capacity", "overloaded", "breaches"]
    assert data["horizon"] == {"from": "2026-11", "to": "2027-10"} and data["proven"] is True and data["gap"] == 0
    assert [list(row) for row in data["projects"][:1]] == [["id", "state", "rank", "score", "value", "cost", "selected", "delay", "start", "end", "reason"]]
    stopped = next(row for row in data["projects"] if row["id"] == "erp-finance-upgrade")
    assert (stopped["selected"], stopped["delay"], stopped["reason"]) == (False, None, "stopped")
    late = next(row for row in data["projects"] if row["id"] == "ai-support-assistant")
    assert (late["delay"], late["start"], late["end"]) == (3, "2027-07-05", "2027-12-30")
    hired = [row for row in data["capacity"] if row["role"] == "data-engineer"]
    assert list(hired[0]) == ["role", "period", "supply", "hires", "demand", "utilization"]
    # Two people × the organisation's 23 working days of March 2027, none before.
    assert [row["hires"] for row in hired[3:5]] == [0, 46] and hired[4]["supply"] == 69 + 46
    assert len(data["capacity"]) == 7 * 12


@pytest.mark.parametrize("fmt", ["plain", "text"])
def test_tables_fit_80_columns(acme_plan, fmt: str) -> None:
    text = render_plan(acme_plan, "USD", Output(fmt, width=80))
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "ai-support-assistant" in text and "+3 months" in text and "2027-07-05" in text
    assert "stopped: frees 245,000" in text


def test_plain_explanations_fit_80_columns_under_short_ids(make_workspace) -> None:
    # The sentences wrapped to the room the ids left, not the column's header ("Project" is wider than "y").
    team = "team: [{role: be, fte: 1}]"
    files = {f"projects/{pid}.yaml": f"{{name: {pid}, portfolio: digital, manager: ann, phase: proposed, start: 2027-02-01, end: 2027-02-28, budget: 10, scores: {{financial_value: {score}, urgency: 1, risk: 1}}, {team}}}\n" for pid, score in (("x", 5), ("y", 4))}
    root = make_workspace({"portfolios/digital.yaml": "{name: Digital, owner: ann}\n", "people/ann.yaml": "{name: Ann, role: be}\n", **files})
    code, out, err = run_ppm("-C", root, "--as-of", "2027-01-04", "plan", "--months", "3", "--max-delay", "1", "--format", "plain")
    assert code == 0, err
    assert "y        1 month late; a month earlier: be over capacity in 2027-02" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_a_start_after_the_horizon_says_its_demand_is_not_checked(make_workspace) -> None:
    # Five people's work on one person's role "fits" a month later, once that month lies past the horizon: said, not hidden.
    project = "{name: x, portfolio: digital, manager: ann, phase: proposed, start: 2027-02-01, end: 2027-02-26, budget: 10, scores: {financial_value: 5, urgency: 1, risk: 1}, team: [{role: be, fte: 5}]}\n"
    root = make_workspace({"portfolios/digital.yaml": "{name: Digital, owner: ann}\n", "people/ann.yaml": "{name: Ann, role: be}\n", "projects/x.yaml": project})
    args = ("-C", root, "--as-of", "2027-01-04", "plan", "--max-delay", "1")
    code, out, _ = run_ppm(*args, "--months", "2", "--format", "csv")
    assert code == 0
    assert out.splitlines()[1].endswith(",yes,1,2027-02-01,2027-03-01,2027-03-26,\"1 month late; a month earlier: be over capacity in 2027-02 (needs 100.0 days, 20.0 left); "
                                         "starts after the horizon ends (2027-02), so its team's demand is not checked; --months plans further\"")
    code, out, _ = run_ppm(*args, "--months", "3", "--format", "csv")  # a horizon that holds March: out, and no such note
    assert code == 0 and ",no," in out.splitlines()[1] and "horizon" not in out


def test_text_draws_the_heat_map_with_the_hired_role_marked(acme_plan) -> None:
    text = render_plan(acme_plan, "USD", Output("text", width=80))
    assert "data-engineer +hire" in text and "Utilization by month, 2026-11 to 2027-10" in text
    assert "person" not in text.split("Utilization by month", 1)[1]  # no empty people section


def test_csv_lists_every_project_with_why(acme_plan) -> None:
    lines = render_plan(acme_plan, "USD", Output("csv")).splitlines()
    assert lines[0] == "id,state,rank,score,value,cost,selected,delay,planned_start,start,end,reason"
    assert len(lines) == 1 + 13


def test_cli_exit_codes_and_one_sentence_errors() -> None:
    base = ("-C", ACME, "--as-of", "2026-11-25", "plan")
    code, out, _ = run_ppm(*base, "--budget", "1000000", "--format", "json")
    found = json.loads(out)
    assert code == 1 and found["breaches"] == [
        {"limit": "budget", "detail": "the kept running projects and the forced candidates cost 2262000, 1262000 over the budget of 1000000"}
    ]
    # Only the forced (mandatory) candidate is selected.
    assert [row["id"] for row in found["projects"] if row["state"] == "candidate" and row["selected"]] == ["gdpr-data-retention"]
    code, _, err = run_ppm(*base, "--hire", "qa")
    assert code == 2 and err == "ppm: error: --hire 'qa' is not ROLE=N or ROLE=N@YYYY-MM (e.g. backend-engineer=2@2027-03)\n"
    # A negative number of people is said as 0 is (it read as "not ROLE=N").
    code, _, err = run_ppm(*base, "--hire", "qa=-1")
    assert code == 2 and err == "ppm: error: --hire 'qa=-1': the number of people must be above 0 and at most 10,000\n"
    code, _, err = run_ppm(*base, "--force-in", "ml-demand-forcasting")
    assert code == 2 and err == "ppm: error: --force-in: no project 'ml-demand-forcasting'; did you mean 'ml-demand-forecasting'?\n"
    code, _, err = run_ppm(*base, "--stop", "self-service-portl")
    assert code == 2 and err == "ppm: error: --stop: no project 'self-service-portl'; did you mean 'self-service-portal'?\n"
    code, _, err = run_ppm(*base, "--months", "1000")
    assert code == 2 and err == "ppm: error: --months must be from 1 to 120 (ten years), not 1000\n"
    code, out, _ = run_ppm(*base, "--max-delay", "3", "--format", "json")
    assert code == 0 and json.loads(out)["method"] == "optimal"


def test_a_hire_of_a_role_nothing_needs_is_a_warning_with_the_role_meant() -> None:
    # `--hire data-enginer=2` planned as if nothing were wrong: a new row for the misspelt role, no word.
    code, out, err = run_ppm("-C", ACME, "--as-of", "2026-11-25", "plan", "--hire", "data-enginer=2", "--format", "json")
    assert code == 0 and json.loads(out)["method"] == "optimal"
    assert err == "ppm: warning: --hire data-enginer=2: role 'data-enginer' is held by nobody and booked by no open project, so the hire changes no plan; did you mean 'data-engineer'?\n"
    assert run_ppm("-C", ACME, "--as-of", "2026-11-25", "plan", "--hire", "data-engineer=2", "--format", "json")[2] == ""


def test_overloaded_months_of_a_role_are_one_row(acme_plan) -> None:
    # Ten months of one role were ten near-identical rows of the Limits table.
    from dataclasses import replace

    over = {("qa-engineer", f"2027-{month:02d}") for month in range(1, 11)} | {("designer", "2027-02")}
    cells = tuple(replace(cell, overloaded=(cell.role, cell.period) in over) for cell in acme_plan.capacity)
    text = render_plan(replace(acme_plan, capacity=cells), "USD", Output("plain"))
    rows = [line for line in text.splitlines() if line.startswith("overloaded")]
    assert rows == [
        "overloaded   designer in 2027-02: the running projects alone exceed the supply",
        "overloaded   qa-engineer in 2027-01, 2027-02, 2027-03, 2027-04, 2027-05,",
    ]
    assert "             2027-06, 2027-07, 2027-08 and 2 more: the running projects alone\n" in text


def test_a_terminal_shows_a_screenful_of_the_plan_and_every_stopped_project(make_workspace) -> None:
    # At 2,000 projects a terminal got all 2,845 lines; other commands stop at a screenful and say how many more.
    def proposal(pid: str, phase: str, score: int) -> str:
        return f"{{name: {pid}, portfolio: digital, manager: ann, phase: {phase}, start: 2027-02-01, end: 2027-02-28, budget: 10, scores: {{financial_value: {score}, urgency: 1, risk: 1}}}}\n"

    files = {f"projects/c{n:02d}.yaml": proposal(f"c{n:02d}", "proposed", 1 + n % 5) for n in range(50)}
    files.update({f"projects/r{n:02d}.yaml": proposal(f"r{n:02d}", "execution", 3) for n in range(15)})
    root = make_workspace({"portfolios/digital.yaml": "{name: Digital, owner: ann}\n", "people/ann.yaml": "{name: Ann, role: be}\n", **files})
    ws, _ = load(FileSource(root))
    found = plan(ws, ws.projects, date(2027, 1, 4), PlanOptions(budget=Fraction(300), stop=("r14",)))
    text = render_plan(found, "USD", Output("text", width=100))
    shown = {word for line in text.splitlines() for word in line.split()[:2]}
    assert {f"r{n:02d}" for n in range(9)} | {"r14"} <= shown and "r09" not in shown  # nine kept and the stopped one
    assert "… and 5 more running and 20 more candidate projects; --format plain (or csv, json) shows every row" in text
    assert "Running: 14 kept, 1 stopped. Candidates: 16 of 50 started, 0 late." in " ".join(text.split())
    assert all(f"c{n:02d}" in render_plan(found, "USD", Output("plain")) for n in range(50))
