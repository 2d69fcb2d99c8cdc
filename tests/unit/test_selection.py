"""Tests for analysis.selection: greedy reasons with figures, the forced set, filters, exact selection against brute force."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ppmcli.analysis.selection.prioritize import MAX_STEPS, Limits, frontier, prioritize
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Person, Project, Settings, Workspace

# One criterion on a 0..100 scale with weight 1: a project's score (and value) is its `v`.
SETTINGS = Settings.model_validate(
    {
        "name": "T",
        "currency": "USD",
        "scoring": {"default": "v", "models": {"v": {"type": "weighted", "criteria": {"v": {"weight": 1, "scale": [0, 100]}}}, "wsjf": {"type": "wsjf"}}},
    }
)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))  # 22 working days (Monday to Friday, no holidays)
APRIL = (date(2026, 4, 1), date(2026, 4, 30))  # 22 working days


def project(pid: str, v: float | None, cost: float, phase: str = "proposed", **fields: Any) -> Project:
    data: dict[str, Any] = {
        "__id__": pid,
        "name": pid,
        "portfolio": fields.pop("portfolio", "main"),
        "manager": "pm",
        "phase": phase,
        "start": date(2026, 1, 1),
        "end": date(2026, 12, 31),
        "budget": cost,
        "scores": {} if v is None else {"v": v},
    }
    team = fields.pop("team", ())
    data["team"] = [{"role": role, "fte": fte, "from": first, "to": last} for role, fte, (first, last) in team]
    return Project.model_validate({**data, **fields})


def person(pid: str, role: str, capacity: float = 1.0) -> Person:
    return Person.model_validate({"__id__": pid, "name": pid, "role": role, "capacity": capacity})


def workspace(*projects: Project, people: tuple[Person, ...] = ()) -> Workspace:
    return Workspace(settings=SETTINGS, projects={p.id: p for p in projects}, people={p.id: p for p in people})


def decisions(selection) -> dict[str, tuple[bool | None, str | None]]:
    return {row.id: (row.selected, row.reason) for row in selection.rows}


def run(ws: Workspace, **kwargs: Any):
    return prioritize(ws, ws.projects, **kwargs)


# ---------------------------------------------------------------- greedy, with the figures of each reason


def test_greedy_budget_reason_names_need_and_what_is_left():
    ws = workspace(project("a", 90, 350000), project("b", 80, 400000), project("c", 70, 150000))
    found = run(ws, limits=Limits(budget=Fraction(600000)))
    assert decisions(found) == {"a": (True, None), "b": (False, "needs 400000, 250000 left"), "c": (True, None)}
    assert (found.cost, found.left, found.value) == (500000, 100000, 160)
    assert [row.cumulative for row in found.rows] == [350000, None, 500000]


def test_greedy_dependencies_closed_met_cancelled_never_lower_ranked_not_yet():
    ws = workspace(
        project("app", 90, 10, depends_on=["platform"]),
        project("platform", 50, 10),
        project("uses-closed", 80, 10, depends_on=["old"]),
        project("old", 10, 10, phase="closed"),
        project("uses-cancelled", 70, 10, depends_on=["gone"]),
        project("gone", 10, 10, phase="cancelled"),
        project("uses-left-out", 60, 10, depends_on=["pricey"]),
        project("pricey", 55, 1000),
    )
    found = decisions(run(ws, limits=Limits(budget=Fraction(100))))
    assert found["app"] == (False, "depends on platform, which ranks below it")
    assert found["uses-closed"] == (True, None)
    assert found["uses-cancelled"] == (False, "depends on gone, cancelled")
    assert found["uses-left-out"] == (False, "depends on pricey, not selected")
    assert found["pricey"] == (False, "needs 1000, 90 left")  # only uses-closed (10) is selected before it


@pytest.mark.parametrize("method", ["greedy", "optimal"])
def test_a_project_in_a_dependency_cycle_is_never_selected(method: str) -> None:
    # A dependency-cycle error of ppm check: none of the cycle can start before the others, so none is funded.
    ws = workspace(
        project("self", 90, 10, depends_on=["self"]),
        project("c", 80, 10, depends_on=["d"]),
        project("d", 70, 10, depends_on=["c"]),
        project("after", 60, 10, depends_on=["c"]),
        project("free", 50, 10),
        project("done", 10, 10, phase="closed", depends_on=["done-too"]),
        project("done-too", 40, 10, depends_on=["done"]),
    )
    found = decisions(run(ws, limits=Limits(budget=Fraction(1000)), method=method))
    assert found["self"] == (False, "depends on self, in a dependency cycle")
    assert found["c"] == (False, "depends on d, in a dependency cycle")
    assert found["d"] == (False, "depends on c, in a dependency cycle")
    assert found["after"][0] is False and found["free"] == (True, None)
    # A dependency on a closed project is met, even where the closed project's own dependencies lead back.
    assert found["done-too"] == (True, None)


def test_a_cycle_through_a_delivered_project_is_no_cycle():
    # portal needs ocr (closed), ocr needs assistant: read as a cycle, the assistant was out "in a dependency cycle".
    ws = workspace(
        project("portal", 90, 10, depends_on=["ocr"]),
        project("ocr", 10, 10, phase="closed", depends_on=["assistant"]),
        project("assistant", 80, 10, depends_on=["portal"]),
    )
    for method in ("greedy", "optimal"):
        found = decisions(run(ws, limits=Limits(budget=Fraction(1000)), method=method))
        assert found["portal"] == (True, None) and found["assistant"] == (True, None), method


def test_greedy_tries_budget_before_dependencies_before_exclusions():
    ws = workspace(project("a", 90, 50), project("b", 80, 100, depends_on=["z"], excludes=["a"]), project("c", 70, 10, excludes=["a"]), project("z", 1, 1))
    found = decisions(run(ws, limits=Limits(budget=Fraction(60))))
    assert found["b"] == (False, "needs 100, 10 left")
    assert found["c"] == (False, "excludes a, selected")


def test_exclusion_is_symmetric_and_a_closed_alternative_blocks_nothing():
    ws = workspace(project("a", 90, 10), project("b", 80, 10, excludes=["a"]), project("c", 70, 10, excludes=["old"]), project("old", 99, 10, phase="closed"))
    found = decisions(run(ws, limits=Limits(budget=Fraction(100))))
    assert found == {"a": (True, None), "b": (False, "excludes a, selected"), "c": (True, None)}


def test_greedy_capacity_reason_names_role_month_need_and_what_is_left():
    staff = (person("ann", "backend-engineer"), person("bob", "designer", capacity=0))
    ws = workspace(
        # 0.75 × 22 working days of March = 16.5 of the 22 Ann gives: 5.5 left.
        project("a", 90, 10, team=[("backend-engineer", 0.75, MARCH)]),
        project("b", 80, 10, team=[("backend-engineer", 0.25, APRIL), ("backend-engineer", 1, MARCH)]),
        project("c", 70, 10, team=[("backend-engineer", 0.25, MARCH)]),
        project("d", 60, 10, team=[("designer", 0.5, APRIL)]),
        project("e", 50, 10, team=[("qa-engineer", 1, APRIL)]),
        people=staff,
    )
    found = decisions(run(ws, limits=Limits(capacity=True)))
    assert found["a"] == (True, None)
    assert found["b"] == (False, "backend-engineer over capacity in 2026-03 (needs 22.0 days, 5.5 left)")
    assert found["c"] == (True, None)  # 5.5 days fit in 5.5 left, exactly
    assert found["d"] == (False, "designer has no supply in 2026-04 (needs 11.0 days)")
    assert found["e"] == (False, "qa-engineer has no supply in 2026-04 (needs 22.0 days)")


def test_no_limit_means_a_plain_ranking_without_selection():
    ws = workspace(project("a", 90, 10), project("b", None, 10))
    found = run(ws)
    assert found.method is None
    assert decisions(found) == {"a": (None, None), "b": (None, None)}


# ---------------------------------------------------------------- forced in and out


def test_forced_set_is_mandatory_force_in_and_their_open_dependencies_transitively():
    ws = workspace(
        project("law", 10, 100, mandatory=True, depends_on=["base"]),
        project("base", 5, 100, depends_on=["root", "old"]),
        project("root", 1, 100),
        project("old", 1, 100, phase="closed"),
        project("wish", 20, 100),
        project("top", 90, 100),
        project("unscored", None, 1),
    )
    found = run(ws, limits=Limits(budget=Fraction(500), force_in=("wish",), force_out=("top",)))
    forced = {row.id: row.forced for row in found.rows if row.forced}
    assert forced == {"law": "mandatory", "base": "needed by law", "root": "needed by base", "wish": "--force-in"}
    assert decisions(found)["top"] == (False, "forced out (--force-out)")
    assert decisions(found)["unscored"] == (False, "unscored (lacks 'v')")


def test_unscored_projects_are_selected_only_when_forced_and_add_no_value():
    ws = workspace(project("a", 50, 10), project("u", None, 10, mandatory=True))
    found = run(ws, limits=Limits(budget=Fraction(100)), method="optimal")
    assert decisions(found) == {"a": (True, None), "u": (True, None)}
    assert found.value == 50


@pytest.mark.parametrize("method", ["greedy", "optimal"])
def test_forced_projects_alone_over_budget_say_by_how_much_and_select_nothing_else(method):
    ws = workspace(project("law", 10, 700, mandatory=True), project("a", 90, 1))
    found = run(ws, limits=Limits(budget=Fraction(500)), method=method)
    assert found.breaches == ("budget: the forced projects alone cost 700, 200 over the budget of 500",)
    assert decisions(found) == {"a": (False, "not considered: the forced projects alone break the budget"), "law": (True, None)}
    assert found.left == -200


def test_forced_projects_alone_over_capacity_name_role_month_and_excess():
    ws = workspace(project("law", 10, 1, mandatory=True, team=[("backend-engineer", 1.5, MARCH)]), project("a", 90, 1), people=(person("ann", "backend-engineer"),))
    found = run(ws, limits=Limits(capacity=True), method="optimal")
    assert found.breaches == ("capacity: the forced projects alone need 33.0 days of backend-engineer in 2026-03, 22.0 available (11.0 over)",)
    assert decisions(found)["a"] == (False, "not considered: the forced projects alone break the capacity")


def test_forced_projects_that_exclude_each_other_are_both_selected_with_a_warning():
    ws = workspace(project("a", 10, 1, mandatory=True, excludes=["b"]), project("b", 10, 1, mandatory=True), project("c", 5, 1, excludes=["a"]))
    found = run(ws, limits=Limits(budget=Fraction(10)), method="optimal")
    assert found.warnings == ("forced projects a and b exclude each other; both are selected, so the exclusion is broken",)
    assert decisions(found) == {"a": (True, None), "b": (True, None), "c": (False, "excludes a, selected")}


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(budget=Fraction(1), force_in=("nope",)), "--force-in: no project 'nope'"),
        (Limits(budget=Fraction(1), force_in=("old",)), "project 'old' is closed; only open projects"),
        (Limits(budget=Fraction(1), force_out=("nope",)), "--force-out: no project 'nope'"),
        (Limits(budget=Fraction(1), force_out=("law",)), "--force-out law contradicts its being forced in \\(mandatory\\)"),
        (Limits(budget=Fraction(1), force_in=("a",), force_out=("a",)), "--force-out a contradicts its being forced in \\(by --force-in\\)"),
    ],
)
def test_contradictory_or_unknown_forcing_is_a_one_sentence_error(limits, message):
    ws = workspace(project("a", 10, 1), project("law", 1, 1, mandatory=True), project("old", 1, 1, phase="closed"))
    with pytest.raises(PpmError, match=message):
        run(ws, limits=limits)


# ---------------------------------------------------------------- filters are the world


def test_filter_is_the_world_a_dependency_outside_is_met_only_when_closed():
    ws = workspace(
        project("app", 90, 10, portfolio="digital", depends_on=["platform"]),
        project("report", 80, 10, portfolio="digital", depends_on=["old"]),
        project("platform", 50, 10, portfolio="infra"),
        project("old", 50, 10, portfolio="infra", phase="closed"),
        project("law", 50, 10, portfolio="infra", mandatory=True),
    )
    digital = {pid: p for pid, p in ws.projects.items() if p.portfolio == "digital"}
    found = prioritize(ws, digital, limits=Limits(budget=Fraction(100)), method="optimal")
    # `law` is outside the world: not forced here. Ranks restart at 1.
    assert decisions(found) == {"app": (False, "depends on platform, outside --portfolio/--tag"), "report": (True, None)}
    assert [row.rank for row in found.rows] == [1, 2]


# ---------------------------------------------------------------- optimal


def test_optimal_beats_greedy_where_greedy_is_suboptimal_and_compare_says_how():
    # Greedy takes 'big' (60) and has 40 left, too little for either of the two 50s; optimal takes both (100).
    ws = workspace(project("big", 60, 60), project("one", 50, 50), project("two", 50, 50))
    greedy = run(ws, limits=Limits(budget=Fraction(100)))
    assert (greedy.value, sorted(pid for pid, (on, _) in decisions(greedy).items() if on)) == (60, ["big"])
    found = run(ws, limits=Limits(budget=Fraction(100)), method="optimal", compare=True)
    assert found.solve is not None and found.solve.proven and found.solve.gap == 0
    assert found.value == 100
    assert decisions(found)["big"] == (False, "needs 60, 0 left")
    assert found.comparison is not None
    assert (found.comparison.added, found.comparison.dropped, found.comparison.gain) == (("one", "two"), ("big",), 40)


def test_optimal_reaches_a_high_ranked_project_through_its_lower_ranked_dependency():
    ws = workspace(project("app", 90, 50, depends_on=["platform"]), project("platform", 10, 50), project("other", 80, 60))
    found = run(ws, limits=Limits(budget=Fraction(100)), method="optimal")
    assert decisions(found) == {"app": (True, None), "other": (False, "needs 60, 0 left"), "platform": (True, None)}


def test_optimal_value_for_wsjf_is_the_cost_of_delay_not_the_score():
    def wsjf(pid: str, delay: int, size: int, cost: float) -> Project:
        return project(pid, None, cost, scores={"business_value": delay, "time_criticality": 0, "risk_reduction": 0, "job_size": size})

    # Scores: small 10/1 = 10, large 30/10 = 3. Only one fits: by value (cost of delay) the large one wins.
    ws = workspace(wsjf("small", 10, 1, 100), wsjf("large", 30, 10, 100))
    found = run(ws, model="wsjf", limits=Limits(budget=Fraction(100)), method="optimal")
    assert decisions(found)["large"] == (True, None)
    assert found.value == 30


def test_among_equally_valuable_sets_optimal_prefers_higher_ranked_projects_every_time():
    # {a, d} and {b, c} are worth 100 each and cost 100 each (a + b and a + c cost 110); a ranks first, so {a, d} every run.
    ws = workspace(project("a", 70, 60), project("b", 60, 50), project("c", 40, 50), project("d", 30, 40))
    sets = {tuple(pid for pid, (on, _) in decisions(run(ws, limits=Limits(budget=Fraction(100)), method="optimal")).items() if on) for _ in range(5)}
    assert sets == {("a", "d")}


def test_budget_compares_exactly_decimal_costs_that_sum_to_the_budget_fit():
    ws = workspace(project("a", 50, 0.1), project("b", 40, 0.2))
    for method in ("greedy", "optimal"):
        found = run(ws, limits=Limits(budget=Fraction(3, 10)), method=method)
        assert [row.selected for row in found.rows] == [True, True]
        assert found.left == 0


def test_frontier_runs_from_forced_cost_to_everything_with_changes_per_step():
    ws = workspace(project("law", 5, 100, mandatory=True), project("a", 90, 200), project("b", 50, 100), project("c", 45, 100))
    found = frontier(ws, ws.projects, steps=4)
    assert [step.budget for step in found.steps] == [100, 200, 300, 400, 500]
    assert [step.value for step in found.steps] == [5, 55, 100, 145, 190]
    # 200: b (50); 300: b + c (95) beats a (90); 400: a + b (140) beats b + c; 500: everything.
    assert [(step.added, step.dropped) for step in found.steps] == [(("law",), ()), (("b",), ()), (("c",), ()), (("a",), ("c",)), (("c",), ())]
    assert all(step.proven for step in found.steps)
    with pytest.raises(PpmError, match="leave out --budget"):
        frontier(ws, ws.projects, limits=Limits(budget=Fraction(1)))


def test_frontier_top_budget_leaves_out_projects_no_selection_can_hold():
    # d depends on the cancelled x, and e on d: neither can ever be selected, so neither adds to the top budget.
    ws = workspace(project("a", 90, 200), project("b", 50, 100), project("x", 1, 50, "cancelled"), project("d", 80, 300, depends_on=["x"]), project("e", 70, 400, depends_on=["d"]))
    found = frontier(ws, ws.projects, steps=1)
    assert [step.budget for step in found.steps] == [0, 300]
    assert found.steps[-1].selected == ("a", "b")


def test_frontier_shares_one_time_budget_among_its_budgets(monkeypatch):
    from ppmcli.analysis.selection import solver

    real = solver.solve_binary
    given: list[float] = []

    def slow(values, rows, upper, **kwargs):
        given.append(kwargs["time_limit"])
        time.sleep(0.1)  # each budget uses a little of the time, which the later ones then lack
        return real(values, rows, upper, **kwargs)

    monkeypatch.setattr(solver, "solve_binary", slow)
    ws = workspace(project("a", 90, 200), project("b", 50, 100), project("c", 45, 100))
    found = frontier(ws, ws.projects, steps=4, total_time_limit=2.0)
    assert all(step.proven for step in found.steps)
    # Each budget gets an equal share of what is left: 2.0 / 5 first; what a quick one leaves goes to the next.
    assert 0.35 < given[0] <= 0.4
    assert all(0 < limit <= (2.0 - 0.1 * done) / (5 - done) for done, limit in enumerate(given))
    assert given == sorted(given)


def test_frontier_out_of_time_keeps_the_greedy_sets_not_proven():
    ws = workspace(project("a", 90, 200), project("b", 50, 100), project("c", 45, 100))
    found = frontier(ws, ws.projects, steps=4, total_time_limit=0)
    greedy = frontier(ws, ws.projects, steps=4, method="greedy")
    assert [step.selected for step in found.steps] == [step.selected for step in greedy.steps]
    assert [step.proven for step in found.steps] == [False] * 5
    # Without a solve the only bound is every value taken: 185 against what each greedy set is worth.
    assert [step.gap for step in found.steps] == [float("inf")] + [float((185 - step.value) / step.value) for step in greedy.steps[1:]]


def test_frontier_steps_are_capped():
    ws = workspace(project("a", 90, 200))
    assert len(frontier(ws, ws.projects, steps=MAX_STEPS, method="greedy").steps) == MAX_STEPS + 1
    with pytest.raises(PpmError, match=f"--steps must be at most {MAX_STEPS}, not {MAX_STEPS + 1}"):
        frontier(ws, ws.projects, steps=MAX_STEPS + 1)


# ---------------------------------------------------------------- properties against brute force


def working_days(first: date, last: date) -> int:
    return sum(1 for k in range((last - first).days + 1) if (first + timedelta(days=k)).weekday() < 5)


MONTHS = {"2026-03": MARCH, "2026-04": APRIL}


@st.composite
def portfolios(draw) -> tuple[Workspace, Limits]:
    count = draw(st.integers(1, 7))
    ids = [f"p{index}" for index in range(count)]
    people = tuple(person(f"x{index}", role, capacity) for index, (role, capacity) in enumerate(draw(st.lists(st.tuples(st.sampled_from(["dev", "qa"]), st.sampled_from([0.5, 1.0])), max_size=3))))
    found = []
    for index, pid in enumerate(ids):
        phase = draw(st.sampled_from(["proposed", "proposed", "execution", "closed", "cancelled"]))
        # Dependencies on lower indexes only: no cycles (a cycle is an error `ppm check` reports).
        deps = draw(st.lists(st.sampled_from(ids[:index]), max_size=2, unique=True)) if index else []
        excludes = draw(st.lists(st.sampled_from(ids), max_size=1, unique=True))
        team = [(role, fte, MONTHS[month]) for role, fte, month in draw(st.lists(st.tuples(st.sampled_from(["dev", "qa"]), st.sampled_from([0.25, 0.5, 1.0]), st.sampled_from(sorted(MONTHS))), max_size=2))]
        found.append(
            project(
                pid,
                float(draw(st.integers(0, 100))),
                float(draw(st.integers(1, 10))),
                phase=phase,
                depends_on=deps,
                excludes=[e for e in excludes if e != pid],
                mandatory=draw(st.booleans()) and draw(st.booleans()),
                team=team,
            )
        )
    ws = workspace(*found, people=people)
    budget = draw(st.none() | st.integers(0, 40).map(Fraction))
    capacity = draw(st.booleans()) or budget is None
    open_ids = [p.id for p in found if p.phase.is_open]
    force_in = tuple(draw(st.lists(st.sampled_from(open_ids), max_size=1))) if open_ids else ()
    return ws, Limits(budget=budget, capacity=capacity, force_in=force_in)


def forced_of(ws: Workspace, limits: Limits) -> set[str]:
    forced = {pid for pid, p in ws.projects.items() if p.phase.is_open and (p.mandatory or pid in limits.force_in)}
    while True:
        more = {d for pid in forced for d in ws.projects[pid].depends_on if ws.projects[d].phase.is_open} - forced
        if not more:
            return forced
        forced |= more


def demand(ws: Workspace, pids: set[str]) -> dict[tuple[str, str], float]:
    need: dict[tuple[str, str], float] = {}
    for pid in pids:
        for entry in ws.projects[pid].team:
            month = entry.start.strftime("%Y-%m")
            need[(month, entry.role)] = need.get((month, entry.role), 0.0) + entry.fte * working_days(entry.start, entry.end)
    return need


def supply(ws: Workspace, cell: tuple[str, str]) -> float:
    return sum(p.capacity for p in ws.people.values() if p.role == cell[1]) * working_days(*MONTHS[cell[0]])


def respects(ws: Workspace, limits: Limits, chosen: set[str], forced: set[str]) -> bool:
    """The contract's limits, written out slowly; what the forced projects alone break is allowed."""
    projects = ws.projects
    if not forced <= chosen or any(not projects[pid].phase.is_open for pid in chosen):
        return False
    if limits.budget is not None and sum(Fraction(projects[pid].budget) for pid in chosen) > max(limits.budget, sum(Fraction(projects[pid].budget) for pid in forced)):
        return False
    for pid in chosen - forced:
        for dep in projects[pid].depends_on:
            if projects[dep].phase.value != "closed" and dep not in chosen:
                return False
    for a, b in itertools.combinations(sorted(chosen), 2):
        if (b in projects[a].excludes or a in projects[b].excludes) and not {a, b} <= forced:
            return False
    if limits.capacity:
        base = demand(ws, forced)
        for cell, days in demand(ws, chosen).items():
            if days > max(supply(ws, cell), base.get(cell, 0.0)) + 1e-6:
                return False
    return True


def value_of(ws: Workspace, chosen: set[str]) -> Fraction:
    return sum((Fraction(ws.projects[pid].scores["v"]).limit_denominator() for pid in chosen), Fraction(0))


def forced_break(ws: Workspace, limits: Limits, forced: set[str]) -> bool:
    cost = sum(Fraction(ws.projects[pid].budget) for pid in forced)
    over_budget = limits.budget is not None and cost > limits.budget
    over_capacity = limits.capacity and any(days > supply(ws, cell) + 1e-6 for cell, days in demand(ws, forced).items())
    return over_budget or over_capacity


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_optimal_value_equals_brute_force_and_every_selection_respects_the_limits(case):
    ws, limits = case
    forced = forced_of(ws, limits)
    greedy = run(ws, limits=limits)
    optimal = run(ws, limits=limits, method="optimal")
    chosen = {pid: {row.id for row in found.rows if row.selected} for pid, found in (("greedy", greedy), ("optimal", optimal))}
    for found in chosen.values():
        assert respects(ws, limits, found, forced)
        assert forced <= found
    if forced_break(ws, limits, forced):
        assert chosen["optimal"] == chosen["greedy"] == forced
        return
    candidates = sorted(pid for pid, p in ws.projects.items() if p.phase.is_open and pid not in forced)
    best = max(
        value_of(ws, forced | set(subset))
        for size in range(len(candidates) + 1)
        for subset in itertools.combinations(candidates, size)
        if respects(ws, limits, forced | set(subset), forced)
    )
    assert optimal.solve is not None and optimal.solve.proven
    assert optimal.value == best
    assert value_of(ws, chosen["greedy"]) <= best
    # Every project left out carries a reason; every selected one none.
    assert all((row.reason is None) == bool(row.selected) for row in optimal.rows + greedy.rows)


def test_time_limit_bounds_the_budget_re_solves_too(monkeypatch):
    from ppmcli.analysis.selection import solver

    real = solver.solve_binary
    given_limits: list[float] = []

    def first_answer_over_budget(values, rows, upper, **kwargs):
        given_limits.append(kwargs["time_limit"])
        outcome = real(values, rows, upper, **kwargs)
        if len(given_limits) == 1:  # as a rounding slip on a large budget would: a set a little over it
            time.sleep(0.2)
            everything = (True,) * len(values)
            return replace(outcome, chosen=everything, primary=everything)
        return outcome

    monkeypatch.setattr(solver, "solve_binary", first_answer_over_budget)
    ws = workspace(project("big", 60, 60), project("one", 50, 50), project("two", 50, 50))
    run(ws, limits=Limits(budget=Fraction(100)), method="optimal", time_limit=5.0)
    assert len(given_limits) == 2
    assert given_limits[0] <= 5.0 and given_limits[1] <= given_limits[0] - 0.2


def _closure(edges: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Every (a, b) with a path from a to b: the slow, obvious way."""
    found = {(a, b) for a, targets in edges.items() for b in targets}
    while True:
        more = {(a, c) for a, b in found for b2, c in found if b == b2} - found
        if not more:
            return found
        found |= more


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from("abcdefg"), st.lists(st.sampled_from("abcdefg"), max_size=5), max_size=7))
def test_without_implied_keeps_what_the_edges_imply_and_no_edge_another_implies(edges):
    from ppmcli.analysis.selection.prioritize import without_implied

    reduced = without_implied(edges)
    assert set(reduced) == set(edges)
    if any((a, a) in _closure(edges) for a in edges):  # a cycle: left as it is
        assert reduced == {a: list(b) for a, b in edges.items()}
        return
    assert _closure(reduced) == _closure(edges)
    for a, targets in reduced.items():
        assert len(set(targets)) == len(targets)
        for b in targets:  # no kept edge follows from the others
            rest = {**reduced, a: [t for t in targets if t != b]}
            assert (a, b) not in _closure(rest)


def test_amounts_up_to_the_limit_of_10_15_are_solved_and_proven():
    # HiGHS refuses a coefficient of 10^15 (its "large" bound) and said only "Empty": a valid amount read as a time limit hit.
    ws = workspace(project("huge", 40, 1e15), project("small", 60, 250000))
    found = run(ws, limits=Limits(budget=Fraction(10**15)), method="optimal")
    assert found.solve is not None and found.solve.proven and found.solve.gap == 0
    assert decisions(found) == {"small": (True, None), "huge": (False, "needs 1000000000000000, 999999999750000 left")}
