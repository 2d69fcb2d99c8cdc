"""`ppm plan --scenario` (the file's options, the command line's win) and `ppm scenarios` (plans side by side)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import ACME, run_ppm
from ppmcli.analysis.selection.options import Hire, PlanOptions, plan_options
from ppmcli.analysis.selection.scenarios import compare
from ppmcli.core.model import Scenario
from test_diff import repo  # noqa: F401  (the repository fixture)
from test_plan import AS_OF, BUSY, MARCH, NEW, project, workspace

ACME_RUN = ("-C", ACME, "--as-of", "2026-11-25")
# Each acme scenario and the same options by hand.
BY_HAND = {
    "budget-cut": ("--budget", "2800000"),
    "hire-data-engineers": ("--hire", "data-engineer=2@2027-02"),
    "stop-warehouse": ("--stop", "data-warehouse-migration"),
}


def acme_copy(tmp_path: Path) -> Path:
    """A copy of examples/acme to add scenario files to (or change)."""
    ws = tmp_path / "acme"
    shutil.copytree(ACME, ws)
    return ws


def scenario(**plan: object) -> Scenario:
    return Scenario.model_validate({"__id__": "s", "name": "S", "plan": plan})


@pytest.mark.parametrize("fmt", ["json", "plain", "markdown", "csv"])
@pytest.mark.parametrize("ident", list(BY_HAND))
def test_a_scenario_is_its_options_given_by_hand(ident, fmt):
    by_file = run_ppm(*ACME_RUN, "plan", "--scenario", ident, "--format", fmt)
    by_hand = run_ppm(*ACME_RUN, "plan", *BY_HAND[ident], "--format", fmt)
    assert by_file == by_hand and by_file[0] == 0


def test_command_line_options_win():
    by_file = run_ppm(*ACME_RUN, "plan", "--scenario", "budget-cut", "--budget", "3000000", "--max-delay", "2", "--format", "json")
    by_hand = run_ppm(*ACME_RUN, "plan", "--budget", "3000000", "--max-delay", "2", "--format", "json")
    assert by_file == by_hand
    assert json.loads(by_file[1])["budget"] == 3000000


def test_plan_options_merge_file_then_command_line():
    found = scenario(budget=1000.5, months=6, hire=[{"role": "dev", "count": 2, "from": "2027-02"}], stop=["a"], method="greedy")
    assert plan_options(found, {}) == PlanOptions(budget=Fraction(2001, 2), months=6, hires=(Hire("dev", 2.0, "2027-02"),), stop=("a",), method="greedy")
    given = {"months": 3, "hires": (), "stop": ("b",), "method": None}  # an empty list or None is not given
    assert plan_options(found, given) == PlanOptions(budget=Fraction(2001, 2), months=3, hires=(Hire("dev", 2.0, "2027-02"),), stop=("b",), method="greedy")
    assert plan_options(None, {}) == PlanOptions()


def test_compare_hand_computed():
    # The developer is busy in March with a running project: the baseline starts nothing; stopping it starts NEW;
    # a budget below NEW's cost (after the stop) starts nothing again.
    ws = workspace(BUSY, NEW)
    found = compare(ws, ws.projects, AS_OF, [
        scenario(stop=["busy"]),
        Scenario.model_validate({"__id__": "tight", "name": "Tight", "plan": {"stop": ["busy"], "budget": 40}}),
    ], {"months": 3})
    assert [(o.id, o.started, o.stopped, o.plan.cost) for o in found.outcomes] == [("baseline", 0, 0, 100), ("s", 1, 1, 50), ("tight", 0, 1, 0)]
    assert [(line.id, [(p.running, p.selected, p.delay) for p in line.placements]) for line in found.projects] == [
        ("busy", [(True, True, 0), (True, False, None), (True, False, None)]),
        ("new", [(False, False, None), (False, True, 0), (False, False, None)]),
    ]
    assert found.outcomes[0].peak is not None and (found.outcomes[0].peak.role, found.outcomes[0].peak.period) == ("dev", "2027-03")
    assert found.left_out == 0


def test_scenarios_left_once_the_shared_time_is_spent_are_named_not_planned():
    # Each plan's program takes time to build, which no solver limit bounds: 120 scenarios took 152 s under a 60 s share.
    from ppmcli.analysis.selection.scenarios import TimeShare

    ws = workspace(BUSY, NEW)
    share = TimeShare(0.0, 3)
    found = compare(ws, ws.projects, AS_OF, [scenario(stop=["busy"]), scenario(budget=40).model_copy(update={"id": "t"})], {"months": 3}, share=share)
    assert [o.id for o in found.outcomes] == ["baseline"]
    assert found.failed == (
        ("s", "the 0 s the plans share ran out before it; ppm plan --scenario s plans it alone"),
        ("t", "the 0 s the plans share ran out before it; ppm plan --scenario t plans it alone"),
    )
    # Time left: every scenario is planned.
    assert [o.id for o in compare(ws, ws.projects, AS_OF, [scenario(stop=["busy"])], {"months": 3}, share=TimeShare(60.0, 2)).outcomes] == ["baseline", "s"]


def test_a_scenario_that_does_not_fit_is_left_out_with_why_and_the_others_compared():
    ws = workspace(BUSY, NEW)
    found = compare(ws, ws.projects, AS_OF, [scenario(stop=["new"]), scenario(budget=1)], {"months": 3})
    assert [o.id for o in found.outcomes] == ["baseline", "s"]  # the second one, which fits
    assert [(ident, why.split(":")[0]) for ident, why in found.failed] == [("s", "stop new")]


def test_the_scenarios_command_names_a_scenario_it_cannot_plan_and_compares_the_rest(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "stop-portal.yaml").write_text("name: Stop the portal\nplan: {stop: [supplier-portal]}\n")
    # `ppm check` says so first, at the option.
    assert "scenarios/stop-portal.yaml:2:15: error: stop 'supplier-portal': the project is in initiation, not running (execution or monitoring) [scenario-option]\n" in run_ppm("-C", ws, "--as-of", "2026-11-25", "check")[1]
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "json")
    found = json.loads(out)
    assert code == 0 and [s["id"] for s in found["scenarios"]] == ["baseline", "budget-cut", "hire-data-engineers", "stop-warehouse"]
    assert [f["id"] for f in found["failed"]] == ["stop-portal"] and "not running" in found["failed"][0]["reason"]
    assert err.startswith("ppm: scenario 'stop-portal' cannot be planned, left out: stop supplier-portal") and err.count("\n") == 1
    code, out, _ = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "markdown")
    assert code == 0 and "scenario 'stop-portal' cannot be planned, left out" in out


def test_a_named_scenario_that_cannot_be_planned_stops_the_command_before_any_plan_is_made(tmp_path, monkeypatch):
    import ppmcli.analysis.selection.scenarios as scenarios

    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "stop-portal.yaml").write_text("name: Stop the portal\nplan: {stop: [supplier-portal]}\n")
    planned = []
    monkeypatch.setattr(scenarios, "plan", lambda *args: planned.append(args))
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "budget-cut", "stop-portal")
    assert (code, out, planned) == (2, "", [])
    assert err == "ppm: error: scenario 'stop-portal': stop supplier-portal: the project is in initiation, not running (execution or monitoring)\n"  # the id is right: no other suggested


def test_the_scenarios_whose_forced_projects_break_a_limit_are_named_under_the_table(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "tiny.yaml").write_text("name: Tiny\nplan: {budget: 1}\n")  # the running projects alone cost more
    code, out, _ = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "markdown")
    assert code == 0 and "the plan of 'tiny' breaks a forced limit; ppm plan --scenario tiny says which" in out


def test_an_invalid_scenario_file_is_named_as_left_out_not_dropped(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "typo.yaml").write_text("name: Typo\nplan:\n  budgett: 5\n")
    (ws / "scenarios" / "zzz.yaml").write_text("name: Z\nplan: {stop: [supplier-portal]}\n")  # cannot be planned: after typo, by id
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "json")
    assert code == 0 and [f["id"] for f in json.loads(out)["failed"]] == ["typo", "zzz"]
    assert json.loads(out)["failed"][0] == {"id": "typo", "reason": "the file is invalid; run 'ppm check' to see why"}
    assert "scenario 'typo' cannot be planned, left out: the file is invalid; run 'ppm check' to see why" in err
    code, out, _ = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "markdown")
    assert "scenario 'typo' cannot be planned, left out: the file is invalid" in out


def test_a_long_hired_role_is_cut_in_the_error(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "far.yaml").write_text("name: Far\nplan: {hire: [{role: " + "r" * 300 + ", count: 1, from: 2030-01}]}\n")
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-11-25", "plan", "--scenario", "far")
    assert (code, out) == (2, "") and "is after the plan's horizon" in err and "r" * 81 not in err and len(err) < 300


def test_scenarios_command_errors():
    code, out, err = run_ppm(*ACME_RUN, "scenarios", "budget-cutt")
    assert (code, out) == (2, "") and err == "ppm: error: no scenario 'budget-cutt' (scenarios: budget-cut, hire-data-engineers, stop-warehouse); did you mean 'budget-cut'?\n"
    code, out, err = run_ppm(*ACME_RUN, "plan", "--scenario", "nope")
    assert code == 2 and "no scenario 'nope'" in err


def test_invalid_scenario_file_is_refused(make_workspace):
    ws = make_workspace({"people/ann.yaml": "name: Ann\nrole: dev\n", "scenarios/bad.yaml": "name: X\nplan: {budgt: 1}\n"})
    code, _, err = run_ppm("-C", ws, "plan", "--scenario", "bad")
    assert code == 2 and "ppm: error: scenario 'bad' has an invalid file, so it cannot be planned: scenarios/bad.yaml:2:8: 'budgt' is not a field; did you mean 'budget'?; run 'ppm check' for every finding\n" in err


def test_scenarios_default_is_every_scenario_and_the_baseline():
    code, out, _ = run_ppm(*ACME_RUN, "scenarios", "--format", "json")
    assert code == 0
    assert [s["id"] for s in json.loads(out)["scenarios"]] == ["baseline", "budget-cut", "hire-data-engineers", "stop-warehouse"]
    code, out, _ = run_ppm(*ACME_RUN, "scenarios", "stop-warehouse", "budget-cut", "--format", "json")
    assert [s["id"] for s in json.loads(out)["scenarios"]] == ["baseline", "stop-warehouse", "budget-cut"]


def test_scenarios_json_places_every_project_of_the_plans_the_tables_only_those_some_plan_starts_or_stops():
    found = json.loads(run_ppm(*ACME_RUN, "scenarios", "--format", "json")[1])
    plan = json.loads(run_ppm(*ACME_RUN, "plan", "--format", "json")[1])
    assert [row["id"] for row in found["projects"]] == [row["id"] for row in plan["projects"]]
    kept = {ident: {"state": "running", "selected": True, "delay": 0} for ident in ("baseline", "budget-cut", "hire-data-engineers", "stop-warehouse")}
    assert next(row for row in found["projects"] if row["id"] == "customer-mobile-app")["plans"] == kept
    never = next(row for row in found["projects"] if row["id"] == "mobile-app-outsourced")["plans"]
    assert found["left_out"] == 1 and {cell["selected"] for cell in never.values()} == {False}
    table = run_ppm(*ACME_RUN, "scenarios", "--format", "plain")[1]
    # Not a row of the table, but named under it (it said only "1 candidate … is not shown").
    assert "\nmobile-app-outsourced " not in table and "customer-mobile-app" not in table
    assert "1 candidate that no plan starts is not shown: mobile-app-outsourced" in table


def test_diff_plans_an_added_or_changed_scenario_against_the_base_plan(repo):
    from conftest import write_tree
    from test_diff import AS_OF as DIFF_AS_OF

    path, commit = repo
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", DIFF_AS_OF, "diff", "HEAD", "--format", "json")
    assert "scenarios" not in json.loads(out)  # no scenario touched: no plans
    write_tree(path / "ws", {"scenarios/cut.yaml": "name: Cut\nplan:\n  budget: 250000\n", "scenarios/odd.yaml": "name: Odd\nplan:\n  stop: [alpha]\n"})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", DIFF_AS_OF, "diff", "HEAD", "--format", "json")
    found = json.loads(out)["scenarios"]
    # Remaining cost: alpha is 30 % done for 1,000 (EAC 3,333.33, AC 1,000: 2,333.33 left), beta 200,000, gamma 100,000.
    # The base's plan starts all three; the cut to 250,000 starts alpha and beta (202,333.33) and has no room for gamma.
    assert [(s["id"], s["cost"], s["started"], s["budget_left"]) for s in found["scenarios"]] == [("baseline", 302333.33, 3, None), ("cut", 202333.33, 2, 47666.67)]
    assert found["failed"] == [{"id": "odd", "reason": "stop alpha: the project is in planning, not running (execution or monitoring)"}]
    commit("scenarios")
    write_tree(path / "ws", {"scenarios/cut.yaml": "name: Cut\nplan:\n  budget: 500000\n"})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", DIFF_AS_OF, "diff", "HEAD", "--format", "markdown")
    assert "#### Scenarios (against the base's plan)" in out and "| cut " in out and "odd" not in out.split("#### Scenarios")[1]


def test_diff_shares_one_time_budget_among_the_plans_of_the_scenarios_it_touches(repo, monkeypatch):
    from conftest import write_tree
    from test_diff import AS_OF as DIFF_AS_OF

    from ppmcli.analysis.review import diff as review
    from ppmcli.analysis.selection import scenarios as scenario_plans

    limits = []
    real = scenario_plans.plan

    def recorded(ws, projects, as_of, options=None):
        limits.append(options.time_limit)
        return real(ws, projects, as_of, options)

    monkeypatch.setattr(scenario_plans, "plan", recorded)
    monkeypatch.setattr(review, "plan", recorded)
    path, _ = repo
    write_tree(path / "ws", {f"scenarios/s{n}.yaml": f"name: S{n}\nplan:\n  budget: {250000 + n}\n" for n in range(5)})
    code, _, _ = run_ppm("-C", path / "ws", "--as-of", DIFF_AS_OF, "diff", "HEAD", "--format", "json")
    # The base's plan and five scenarios: six exact plans sharing 60 s, each what is left over the plans still to come.
    assert code == 0 and len(limits) == 6 and 9.5 < limits[0] <= 10.0
    assert all(limit <= 60.0 / (6 - index) for index, limit in enumerate(limits))  # never more than an equal share of what is left


def test_scenario_names_are_escaped_in_the_comment(make_workspace):
    ws = make_workspace({
        "people/ann.yaml": "name: Ann\nrole: dev\n",
        "portfolios/main.yaml": "name: Main\nowner: ann\n",
        "scenarios/evil.yaml": "name: '<img src=x> @everyone | [x](http://a) =1+1'\nplan: {budget: 10}\n",
    })
    code, out, _ = run_ppm("-C", ws, "--as-of", "2027-03-01", "scenarios", "--format", "markdown")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("| evil"))
    assert "&lt;img src=x&gt; @\u200deveryone \\| \\[x\\](http\u200d://a) =1+1" in row and row.count(" | ") == 9


def scenario_findings(tmp_path, name: str, text: str) -> list[str]:
    """What `ppm check` says (as of 2026-11-25) about one scenario file, `scenarios/NAME.yaml`, written into a copy of acme."""
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / f"{name}.yaml").write_text(text)
    return [line for line in run_ppm("-C", ws, "--as-of", "2026-11-25", "check")[1].splitlines() if line.startswith(f"scenarios/{name}.yaml")]


def test_check_finds_each_scenario_option_plan_would_refuse(tmp_path):
    found = scenario_findings(
        tmp_path,
        "odd",
        "name: Odd\nplan:\n  force_in: [erp-finance-upgrade]\n  force_out: [identity-platform, supplier-portal]\n  months: 3\n  hire: [{role: qa-engineer, count: 1, from: 2027-02}, {role: qa-engineer, count: 1, from: 2026-10}]\n",
    )
    assert found == [
        "scenarios/odd.yaml:3:14: error: force_in 'erp-finance-upgrade': the project is in execution, not a candidate (proposed, initiation or planning) [scenario-option]",
        "scenarios/odd.yaml:4:15: error: force_out 'identity-platform': the project is in monitoring, not a candidate (proposed, initiation or planning) [scenario-option]",
        "scenarios/odd.yaml:6:46: error: a hire from 2027-02 is after the plan's horizon as of 2026-11-25, 2026-11 to 2027-01, so it would add no one [scenario-option]",
    ]  # the hire from 2026-10, before the horizon, counts from its first month


def test_a_scenario_named_on_the_command_line_that_cannot_be_planned_is_an_error(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "stop-portal.yaml").write_text("name: Stop the portal\nplan: {stop: [supplier-portal]}\n")
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "budget-cut", "stop-portal")
    assert (code, out) == (2, "") and err.startswith("ppm: error: scenario 'stop-portal': stop supplier-portal: the project is in initiation")


def test_a_scenario_forcing_out_what_the_plan_must_start_is_found_by_check_and_left_out(tmp_path):
    ws = acme_copy(tmp_path)
    # gdpr-data-retention is mandatory; mobile-loyalty-program is forced in by the other file and out by itself.
    (ws / "scenarios" / "out.yaml").write_text("name: Out\nplan:\n  force_out: [gdpr-data-retention]\n")
    (ws / "scenarios" / "both.yaml").write_text("name: Both\nplan:\n  force_in: [mobile-loyalty-program]\n  force_out: [mobile-loyalty-program]\n")
    found = [line for line in run_ppm("-C", ws, "--as-of", "2026-11-25", "check")[1].splitlines() if line.startswith(("scenarios/out", "scenarios/both"))]
    assert found == [
        "scenarios/both.yaml:4:15: error: force_out mobile-loyalty-program contradicts its being forced in (by force_in) [scenario-option]",
        "scenarios/out.yaml:3:15: error: force_out gdpr-data-retention contradicts its being forced in (mandatory) [scenario-option]",
    ]
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "json")
    assert code == 0 and json.loads(out)["failed"] == [
        {"id": "both", "reason": "force_out mobile-loyalty-program contradicts its being forced in (by force_in)"},
        {"id": "out", "reason": "force_out gdpr-data-retention contradicts its being forced in (mandatory)"},
    ]
    assert run_ppm("-C", ws, "--as-of", "2026-11-25", "plan", "--scenario", "out") == (2, "", "ppm: error: scenario 'out': force_out gdpr-data-retention contradicts its being forced in (mandatory)\n")
    # Given on the command line, the option is named by its flag.
    assert run_ppm("-C", ws, "--as-of", "2026-11-25", "plan", "--scenario", "out", "--force-out", "gdpr-data-retention")[2] == "ppm: error: scenario 'out': --force-out gdpr-data-retention contradicts its being forced in (mandatory)\n"


def test_a_scenario_file_cannot_take_the_baselines_id(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "baseline.yaml").write_text("name: Not the baseline\nplan: {budget: 1}\n")
    assert "scenarios/baseline.yaml:1:1: error: 'baseline' is what `ppm scenarios` calls the plan with no options; give the file another name [invalid-value]\n" in run_ppm("-C", ws, "--as-of", "2026-11-25", "check")[1]
    found = json.loads(run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "json")[1])
    assert [s["id"] for s in found["scenarios"]].count("baseline") == 1 and found["scenarios"][0]["name"] == "Plan as is"
    assert found["failed"] == [{"id": "baseline", "reason": "the file is invalid; run 'ppm check' to see why"}]


def test_a_delayed_start_is_written_without_a_leading_plus_that_csv_would_guard():
    from ppmcli.analysis.selection.scenarios import Placement
    from ppmcli.render.scenarios import placement

    assert [placement(Placement(False, True, delay)) for delay in (0, 2)] == ["starts", "2 mo late"]
    assert [placement(Placement(True, kept, 0 if kept else None)) for kept in (True, False)] + [placement(Placement(False, False, None))] == ["kept", "stopped", None]


def test_a_role_booked_where_nobody_holds_it_is_the_highest_utilization():
    from ppmcli.render.scenarios import summary_table

    testing = project("testing", None, 10, "execution", team=(("tester", 0.5, MARCH),))  # nobody is a tester
    ws = workspace(BUSY, testing)
    found = compare(ws, ws.projects, AS_OF, [], {"months": 3})
    peak = found.outcomes[0].peak
    assert (peak.role, peak.period, peak.utilization) == ("tester", "2027-03", None)
    assert summary_table(found, "plain").rows[0][-1] == "no supply: tester 2027-03"


def test_an_invalid_scenario_is_a_skipped_file_only_for_the_commands_that_read_scenarios(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "broken.yaml").write_text("name: Broken\nplan: {bogus: 1}\n")
    skipped = "ppm: skipped 1 invalid file (scenarios/broken.yaml); run 'ppm check' for details\n"
    assert skipped not in run_ppm("-C", ws, "--as-of", "2026-11-25", "report")[2]
    assert skipped not in run_ppm("-C", ws, "--as-of", "2026-11-25", "plan")[2]
    assert skipped in run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios")[2]
    assert skipped in run_ppm("-C", ws, "--as-of", "2026-11-25", "plan", "--scenario", "budget-cut")[2]


def test_a_scenario_hire_from_a_year_ppm_does_not_plan_in_and_a_baseline_in_capitals_are_findings(tmp_path):
    found = scenario_findings(tmp_path, "Baseline", "name: B\nplan: {hire: [{role: data-engineer, count: 1, from: 0000-01}]}\n")
    assert found == [
        "scenarios/Baseline.yaml:1:1: error: 'baseline' is what `ppm scenarios` calls the plan with no options; give the file another name [invalid-value]",
        "scenarios/Baseline.yaml:2:53: error: 'from' 0000-01 is outside the years ppm plans in (1900 to 2199) [invalid-value]",
    ]


def test_a_scenario_s_bad_months_are_found_with_its_other_errors(tmp_path):
    # Each was found only once the file had no other error: fixing a scenario took a CI run per error.
    found = scenario_findings(
        tmp_path,
        "bad",
        "name: Bad\nplan:\n  hire:\n    - {role: a, count: 2, from: 2027-13}\n    - {role: b, count: 1, from: 2300-01}\n"
        "    - {role: c, count: 1, from: 2027-02-01}\n    - {role: d, count: -2}\n  months: 0\n",
    )
    assert found == [
        "scenarios/bad.yaml:4:33: error: 'from' should be a month (YYYY-MM), found '2027-13' [invalid-value]",
        "scenarios/bad.yaml:5:33: error: 'from' 2300-01 is outside the years ppm plans in (1900 to 2199) [invalid-value]",
        "scenarios/bad.yaml:6:33: error: 'from' should be a month (YYYY-MM), found '2027-02-01' [invalid-value]",
        "scenarios/bad.yaml:7:24: error: 'count' must be above 0, found -2 [invalid-value]",
        "scenarios/bad.yaml:8:11: error: 'months' must be at least 1, found 0 [invalid-value]",
    ]


def test_naming_the_baseline_says_it_is_always_shown():
    assert run_ppm(*ACME_RUN, "scenarios", "baseline", "budget-cut") == (2, "", "ppm: error: 'baseline' is the plan with no options, always shown first: name the scenarios to compare with it\n")


def test_the_breach_footnote_repeats_the_options_that_narrowed_the_plans(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "tiny.yaml").write_text("name: Tiny\nplan: {budget: 1}\n")
    for path in (ws / "projects").rglob("*.yaml"):  # a tag with a space, which the command must quote
        path.write_text(path.read_text().replace("customer-facing", "customer facing"))
    code, out, _ = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "tiny", "--portfolio", "digital", "--tag", "customer facing", "--format", "plain")
    assert code == 0 and "the plan of 'tiny' breaks a forced limit; ppm plan --scenario tiny --portfolio digital --tag 'customer facing' says which" in out


def test_the_breach_footnote_quotes_a_scenario_id_for_a_shell(tmp_path):
    ws = acme_copy(tmp_path)
    (ws / "scenarios" / "cut; rm -rf ~.yaml").write_text("name: Tiny\nplan: {budget: 1}\n")  # a file name is any text
    code, out, _ = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "plain")
    assert code == 0 and "ppm plan --scenario 'cut; rm -rf ~' says which" in out


def test_without_a_time_limit_the_plans_share_one_budget(monkeypatch):
    # A time limit of each let a branch of a hundred scenarios hold CI for an hour and more (13 hard ones took 841 s).
    import ppmcli.analysis.selection.scenarios as scenarios
    from ppmcli.analysis.selection.scenarios import TimeShare

    clock = iter([0.0, 0.0, 10.0, 50.0, 59.99])
    monkeypatch.setattr(scenarios.time, "perf_counter", lambda: next(clock))
    share = TimeShare(60.0, 4)
    assert [share.next() for _ in range(4)] == [15.0, 50 / 3, 5.0, TimeShare.FLOOR]
    limits = []
    real = scenarios.plan
    monkeypatch.setattr(scenarios, "plan", lambda ws, projects, as_of, options: limits.append(options.time_limit) or real(ws, projects, as_of, options))
    monkeypatch.setattr(scenarios.time, "perf_counter", lambda: 0.0)
    code, out, err = run_ppm(*ACME_RUN, "scenarios", "--format", "json")
    assert code == 0, err
    plans = len(json.loads(out)["scenarios"])
    assert plans > 2 and limits[0] == 60.0 / plans  # every plan counted, the baseline too
    limits.clear()
    assert run_ppm(*ACME_RUN, "scenarios", "--time-limit", "7", "--format", "json")[0] == 0
    assert set(limits) <= {7.0, None}  # given: each plan's own (greedy scenarios have none)


def test_the_markdown_comment_stays_under_githubs_limit(tmp_path):
    # 400 one-line scenario files made a 130,000-character comment: GitHub refuses it, and the pull request got none.
    ws = acme_copy(tmp_path)
    for n in range(400):
        (ws / "scenarios" / f"cut-{n}.yaml").write_text(f"name: S{n}\nplan:\n  budget: {1_000_000 + n * 20_000}\n")
    # A scenario that cannot be planned is named below the table, which the cut dropped at first.
    (ws / "scenarios" / "zz-broken.yaml").write_text("name: Broken\nplan:\n  stop: [ml-demand-forecasting]\n")
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-11-25", "scenarios", "--format", "markdown")
    assert code == 0, err
    lines = out.splitlines()
    assert len(out) <= 60_000 and lines[-1].startswith("… ") and "more plans of 404 and the table of where each plan starts each project left out" in lines[-1]
    assert "scenario 'zz-broken' cannot be planned, left out" in out
    rows = [line for line in lines if line.startswith("| ")]
    assert rows[-1].startswith("| cut-") and "| baseline " in out and out.index(rows[-1]) < out.index("zz-broken")  # cut at a whole row


def test_a_plan_the_time_limit_stopped_says_so(monkeypatch):
    # With a shared 60 s many plans stop unproven; the comparison said nothing (plan --scenario did).
    code, out, err = run_ppm(*ACME_RUN, "scenarios", "--time-limit", "0.0001")
    assert code == 0 and "are not proven optimal: the time limit stopped the solver" in out and "'hire-data-engineers' (gap " in out
    code, out, err = run_ppm(*ACME_RUN, "scenarios", "--time-limit", "0.0001", "--format", "json")
    plans = {entry["id"]: entry for entry in json.loads(out)["scenarios"]}
    assert plans["hire-data-engineers"]["proven"] is False and plans["hire-data-engineers"]["gap"] > 0
    assert "not proven optimal" in err
    code, out, _ = run_ppm(*ACME_RUN, "scenarios", "--format", "json")
    assert all(entry["proven"] and entry["gap"] == 0 for entry in json.loads(out)["scenarios"] if entry["gap"] is not None)


def test_plans_that_start_and_stop_nothing_say_so_under_the_summary(make_workspace):
    # The projects table was dropped without a word: two candidates, and no sign that no plan starts either.
    too_big = "{{name: {0}, portfolio: digital, manager: ann, phase: proposed, start: 2027-02-01, end: 2027-02-26, budget: 10, scores: {{financial_value: 3}}, team: [{{role: be, fte: 2}}]}}\n"
    root = make_workspace({
        "portfolios/digital.yaml": "{name: Digital, owner: ann}\n",
        "people/ann.yaml": "{name: Ann, role: be}\n",
        "projects/x.yaml": too_big.format("x"),
        "projects/y.yaml": too_big.format("y"),
        "scenarios/tight.yaml": "{name: Tight, plan: {budget: 5}}\n",
    })
    for fmt in ("plain", "markdown"):
        code, out, _ = run_ppm("-C", root, "--as-of", "2027-01-04", "scenarios", "--format", fmt)
        assert code == 0 and out.rstrip().endswith("No plan starts or stops a project: 2 candidates left out by every plan.")
