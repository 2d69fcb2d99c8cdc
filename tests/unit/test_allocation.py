"""Tests for analysis.resources (allocation, capacity, the staffing checks): role supply and demand, labor cost (hand-computed figures; batched against per-project and day-by-day versions)."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SETTINGS
from ppmcli.analysis.checks.staffing import check_allocation_outside_project, check_labor_over_budget, check_role_without_supply
from ppmcli.analysis.resources.allocation import delayed_role_demand_cells, labor_cost, labor_costs, project_role_demand, role_demand_by_project, role_demand_cells, role_supply
from ppmcli.analysis.resources.capacity import capacity, capacity_periods
from ppmcli.analysis.resources.ranges import spread
from ppmcli.analysis.resources.workdays import WorkCalendar, calendar_of, periods
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Person, Project, Settings, Workspace
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource

D = date
# March 2026 has 22 weekdays; Monday 2026-03-02 is a holiday, so 21 working days. April 2026 has 22.
CALENDAR_SETTINGS = SETTINGS + "calendar:\n  holidays: [2026-03-02]\n"

PROJECT = """\
name: P
portfolio: main
manager: pm
phase: execution
start: 2026-03-01
end: 2026-04-30
budget: 10000
scores: {financial_value: 3, urgency: 3, risk: 3}
team:
  - {person: ann, fte: 0.5, from: 2026-03-01, to: 2026-04-10}
  - {role: qa, fte: 1, from: 2026-03-30, to: 2026-04-03}
  - {person: ghost, fte: 1}
"""

PEOPLE = {
    "portfolios/main.yaml": "name: Main\nowner: pm\n",
    "people/pm.yaml": "name: PM\nrole: manager\ncapacity: 0\n",
    # Time off 03-09..03-13 and 03-12..03-16 overlap: merged, 6 working days in March.
    "people/ann.yaml": """\
        name: Ann
        role: backend
        cost_rate: 1000
        time_off:
          - {from: 2026-03-09, to: 2026-03-13}
          - {from: 2026-03-12, to: 2026-03-16}
        """,
    "people/ben.yaml": "name: Ben\nrole: backend\ncapacity: 0.5\ncost_rate: 800\n",
}


def load_ws(root) -> Workspace:
    workspace, _ = load(FileSource(root))
    return workspace


@pytest.fixture
def ws(make_workspace) -> Workspace:
    return load_ws(make_workspace({**PEOPLE, "projects/p.yaml": PROJECT}, settings=CALENDAR_SETTINGS))


def test_calendar_of_reads_workdays_and_holidays(ws: Workspace) -> None:
    calendar = calendar_of(ws.settings)
    assert calendar == WorkCalendar(workdays=(0, 1, 2, 3, 4), holidays=(D(2026, 3, 2),))
    assert calendar.count(D(2026, 3, 1), D(2026, 3, 31)) == 21


def test_role_supply_counts_capacity_times_available_days(ws: Workspace) -> None:
    months = periods(D(2026, 3, 1), D(2026, 4, 30), "month")
    supply = role_supply(ws, calendar_of(ws.settings), months)
    # ann: 21 - 6 days off = 15 in March, 22 in April; ben: 0.5 × 21, 0.5 × 22; pm holds capacity 0.
    assert supply == {"backend": (25.5, 33.0), "manager": (0.0, 0.0)}


def test_project_role_demand_counts_named_and_role_allocations(ws: Workspace) -> None:
    months = periods(D(2026, 3, 1), D(2026, 4, 30), "month")
    demand = project_role_demand(ws, ws.projects["p"], calendar_of(ws.settings), months)
    # ann 0.5 × 15 available March days, 0.5 × 8 April days (1-3, 6-10); qa 2 days (30, 31) then 3 (1-3); ghost is skipped.
    assert demand == {"backend": (7.5, 4.0), "qa": (2.0, 3.0)}


def test_project_role_demand_by_week_and_outside_the_range(ws: Workspace) -> None:
    weeks = periods(D(2026, 3, 30), D(2026, 4, 12), "week")
    demand = project_role_demand(ws, ws.projects["p"], calendar_of(ws.settings), weeks)
    assert [w.key for w in weeks] == ["2026-W14", "2026-W15"]
    assert demand == {"backend": (2.5, 2.5), "qa": (5.0, 0.0)}
    later = periods(D(2027, 1, 1), D(2027, 1, 31), "month")
    assert project_role_demand(ws, ws.projects["p"], calendar_of(ws.settings), later) == {"backend": (0.0,), "qa": (0.0,)}


def test_labor_cost_is_fte_rate_and_available_days(ws: Workspace) -> None:
    # ann: 0.5 × 1000 × (15 + 8); the role and the unknown person cost nothing.
    assert labor_cost(ws, ws.projects["p"], calendar_of(ws.settings)) == 11500.0


def test_labor_cost_without_rate_is_zero(make_workspace) -> None:
    people = {**PEOPLE, "people/ann.yaml": "name: Ann\nrole: backend\n"}
    ws = load_ws(make_workspace({**people, "projects/p.yaml": PROJECT}, settings=CALENDAR_SETTINGS))
    assert labor_cost(ws, ws.projects["p"], calendar_of(ws.settings)) == 0.0


def test_spread_subtracts_negative_weights_and_ignores_ranges_outside() -> None:
    calendar = WorkCalendar.from_names(["mon", "tue", "wed", "thu", "fri"], [])
    weeks = periods(D(2026, 1, 5), D(2026, 1, 18), "week")
    table = spread(
        calendar,
        weeks,
        [D(2026, 1, 1), D(2026, 1, 7), D(2025, 1, 1), D(2026, 1, 9)],
        [D(2026, 1, 31), D(2026, 1, 7), D(2025, 12, 31), D(2026, 1, 8)],
        [2.0, -1.0, 5.0, 9.0],
        [0, 0, 1, 1],
        2,
    )
    assert table.tolist() == [[9.0, 10.0], [0.0, 0.0]]


def test_batched_demand_and_labor_keep_each_project_apart(ws: Workspace) -> None:
    months = periods(D(2026, 3, 1), D(2026, 4, 30), "month")
    twin = ws.projects["p"].model_copy(update={"id": "twin", "team": ws.projects["p"].team[:1]})
    projects = {"p": ws.projects["p"], "twin": twin}
    calendar = calendar_of(ws.settings)
    assert role_demand_by_project(ws, projects, calendar, months) == {"p": {"backend": (7.5, 4.0), "qa": (2.0, 3.0)}, "twin": {"backend": (7.5, 4.0)}}
    assert role_demand_cells(ws, projects, calendar, months) == {
        "p": {("2026-03", "backend"): 7.5, ("2026-03", "qa"): 2.0, ("2026-04", "backend"): 4.0, ("2026-04", "qa"): 3.0},
        "twin": {("2026-03", "backend"): 7.5, ("2026-04", "backend"): 4.0},
    }
    assert labor_costs(ws, projects, calendar) == {"p": 11500.0, "twin": 11500.0}
    assert labor_costs(ws, {}, calendar) == {} and role_demand_cells(ws, projects, calendar, []) == {"p": {}, "twin": {}}


def test_delayed_demand_is_the_demand_of_the_team_moved_while_time_off_stays(ws: Workspace) -> None:
    from ppmcli.analysis.selection.plan import shift

    months = periods(D(2026, 3, 1), D(2026, 7, 31), "month")
    calendar = calendar_of(ws.settings)
    p = ws.projects["p"]
    other = p.model_copy(update={"id": "q", "team": p.team[1:2]})
    cells, roles = delayed_role_demand_cells(ws, {"p": p, "q": other}, ["p"], 2, calendar, months)
    assert list(cells) == [("p", 0), ("q", 0), ("p", 1), ("p", 2)] and roles == ["backend", "qa"]
    for delay in range(3):
        moved = p.model_copy(update={"team": [entry.model_copy(update={"start": shift(entry.start, delay), "end": shift(entry.end, delay)}) for entry in p.team]})
        assert cells[("p", delay)] == role_demand_cells(ws, {"p": moved}, calendar, months)["p"]
    assert cells[("q", 0)] == role_demand_cells(ws, {"q": other}, calendar, months)["q"]
    # ann's time off (03-09..03-16) is not moved: a month later her allocation covers all of April, where she has none.
    assert cells[("p", 0)][("2026-03", "backend")] == 7.5 and cells[("p", 1)][("2026-04", "backend")] == 0.5 * 22


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(9999, 12, 31)), st.integers(min_value=0, max_value=30))
def test_shift_months_is_plan_shift_on_arrays(day: date, months: int) -> None:
    from ppmcli.analysis.resources.ranges import shift_months
    from ppmcli.analysis.selection.plan import shift

    moved = shift_months(np.array([day, D(2028, 1, 31)], dtype="datetime64[D]"), months).astype(object).tolist()
    assert moved == [shift(day, months), shift(D(2028, 1, 31), months)]


# ---------------------------------------------------------------- batched against per-project and day by day

START = D(2026, 12, 14)
offsets = st.integers(min_value=0, max_value=80)
ROLES = ("dev", "ops", "qa")
PROPERTY_SETTINGS = Settings.model_validate({"name": "T", "currency": "USD", "scoring": {"default": "w", "models": {"w": {"type": "wsjf"}}}})


def stretch(draw, longest: int) -> dict[str, date]:
    first = START + timedelta(days=draw(offsets))
    return {"from": first, "to": first + timedelta(days=draw(st.integers(0, longest)))}


@st.composite
def workspaces(draw) -> tuple[Workspace, WorkCalendar]:
    people = {}
    for index in range(draw(st.integers(0, 4))):
        pid = f"x{index}"
        people[pid] = Person.model_validate(
            {
                "__id__": pid,
                "name": pid,
                "role": draw(st.sampled_from(ROLES)),
                "capacity": draw(st.sampled_from([0.0, 0.5, 1.0])),
                "cost_rate": draw(st.sampled_from([None, 0.0, 700.0, 812.5])),
                # Overlapping and touching ranges on purpose: a day off counts once.
                "time_off": [stretch(draw, 12) for _ in range(draw(st.integers(0, 3)))],
            }
        )
    projects = {}
    for index in range(draw(st.integers(1, 5))):
        team = []
        for _ in range(draw(st.integers(0, 4))):
            who = draw(st.sampled_from([*people, "ghost", "role"]))
            entry = {"role": draw(st.sampled_from(ROLES))} if who == "role" else {"person": who}
            team.append({**entry, "fte": draw(st.sampled_from([0.1, 0.2, 0.3, 0.5, 1.0])), **stretch(draw, 60)})
        pid = f"p{index}"
        projects[pid] = Project.model_validate(
            {"__id__": pid, "name": pid, "portfolio": "m", "manager": "pm", "phase": "execution", "start": START, "end": START + timedelta(days=150), "budget": 1, "team": team}
        )
    holidays = [START + timedelta(days=draw(offsets)) for _ in range(draw(st.integers(0, 4)))]
    workdays = sorted(draw(st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]))))
    return Workspace(settings=PROPERTY_SETTINGS, projects=projects, people=people), WorkCalendar.from_names(workdays, holidays)


def available_days(ws: Workspace, calendar: WorkCalendar, start: date, end: date, person: str | None) -> list[date]:
    """The definition, day by day: working days, less the person's time off."""
    off = [] if person is None else [(o.start, o.end) for o in ws.people[person].time_off]
    days = (start + timedelta(days=k) for k in range((end - start).days + 1))
    return [day for day in days if calendar.is_working(day) and not any(a <= day <= b for a, b in off)]


def slow_demand(ws: Workspace, project: Project, calendar: WorkCalendar, spans: list) -> dict[str, list[float]]:
    demand: dict[str, list[float]] = {}
    for entry in project.team:
        if entry.person is not None and entry.person not in ws.people:
            continue
        role = entry.role if entry.role is not None else ws.people[entry.person].role
        row = demand.setdefault(role, [0.0] * len(spans))
        for day in available_days(ws, calendar, entry.start, entry.end, entry.person):
            for index, period in enumerate(spans):
                if day in period:
                    row[index] += entry.fte
    return dict(sorted(demand.items()))


def close(found: dict, expected: dict) -> bool:
    return found.keys() == expected.keys() and all(math.isclose(a, b, abs_tol=1e-9) for key in found for a, b in zip(found[key], expected[key], strict=True))


@settings(max_examples=200, deadline=None)
@given(workspaces(), st.sampled_from(["week", "month", "quarter"]))
def test_batched_role_demand_is_each_projects_own_and_the_definition(case, by) -> None:
    ws, calendar = case
    spans = periods(START, START + timedelta(days=120), by)
    batched = role_demand_by_project(ws, ws.projects, calendar, spans)
    # Exactly the figures of one project at a time: batching never mixes projects nor reorders a sum.
    assert batched == {pid: project_role_demand(ws, project, calendar, spans) for pid, project in ws.projects.items()}
    for pid, project in ws.projects.items():
        assert close(batched[pid], slow_demand(ws, project, calendar, spans))
    positive = {
        pid: dict(sorted(((period.key, role), days[index]) for role, days in demand.items() for index, period in enumerate(spans) if days[index] > 0))
        for pid, demand in batched.items()
    }
    cells = role_demand_cells(ws, ws.projects, calendar, spans)
    assert cells == positive
    assert [list(found) for found in cells.values()] == [list(found) for found in positive.values()]  # ordered by period, then role


@settings(max_examples=200, deadline=None)
@given(workspaces())
def test_batched_labor_cost_is_each_projects_own_and_the_definition(case) -> None:
    ws, calendar = case
    batched = labor_costs(ws, ws.projects, calendar)
    assert batched == {pid: labor_cost(ws, project, calendar) for pid, project in ws.projects.items()}
    for pid, project in ws.projects.items():
        expected = sum(
            entry.fte * (ws.people[entry.person].cost_rate or 0.0) * len(available_days(ws, calendar, entry.start, entry.end, entry.person))
            for entry in project.team
            if entry.person in ws.people
        )
        assert math.isclose(batched[pid], expected, abs_tol=1e-6)


@settings(max_examples=150, deadline=None)
@given(workspaces(), st.sampled_from(["week", "month"]))
def test_role_supply_is_capacity_times_available_days(case, by) -> None:
    ws, calendar = case
    spans = periods(START, START + timedelta(days=100), by)
    expected: dict[str, list[float]] = {role: [0.0] * len(spans) for role in sorted({p.role for p in ws.people.values()})}
    for pid, person in ws.people.items():
        for day in available_days(ws, calendar, spans[0].start, spans[-1].end, pid):
            expected[person.role][next(i for i, period in enumerate(spans) if day in period)] += person.capacity
    assert close(role_supply(ws, calendar, spans), expected)


# ---------------------------------------------------------------- capacity per period

YEAR_END_SETTINGS = SETTINGS + "calendar:\n  holidays: [2026-12-25, 2027-01-01]\n"
YEAR_END = {
    "portfolios/main.yaml": "name: Main\nowner: pm\n",
    "people/pm.yaml": "name: PM\nrole: manager\ncapacity: 0\n",
    "people/ann.yaml": "name: Ann\nrole: backend\n",
    "projects/run.yaml": """\
        name: Run
        portfolio: main
        manager: pm
        phase: execution
        start: 2026-12-01
        end: 2027-01-31
        budget: 1
        scores: {financial_value: 3, urgency: 3, risk: 3}
        team:
          - {person: ann, fte: 0.5, from: 2026-12-21, to: 2027-01-08}
        """,
    "projects/idea.yaml": """\
        name: Idea
        portfolio: main
        manager: pm
        phase: proposed
        start: 2026-12-01
        end: 2027-01-31
        budget: 1
        scores: {financial_value: 3, urgency: 3, risk: 3}
        team:
          - {role: qa, fte: 1, from: 2026-12-30, to: 2027-01-05}
          - {person: ann, fte: 0.25, from: 2027-01-04, to: 2027-01-08}
        """,
    "projects/old.yaml": """\
        name: Old
        portfolio: main
        manager: pm
        phase: closed
        start: 2026-12-01
        end: 2027-01-31
        budget: 1
        scores: {financial_value: 3, urgency: 3, risk: 3}
        tags: [legacy]
        team:
          - {person: ann, fte: 1}
          - {role: closed-role, fte: 1}
        """,
}


@pytest.fixture
def year_end(make_workspace) -> Workspace:
    return load_ws(make_workspace(YEAR_END, settings=YEAR_END_SETTINGS))


def rows(utilizations) -> dict[str, tuple]:
    return {u.name: (u.supply, u.demand, u.tentative, u.utilization, u.utilization_tentative) for u in utilizations}


def test_capacity_by_week_across_the_year_boundary_and_week_53(year_end: Workspace) -> None:
    report = capacity(year_end, D(2026, 12, 1), by="week", start=D(2026, 12, 21), end=D(2027, 1, 10))
    assert [p.key for p in report.periods] == ["2026-W52", "2026-W53", "2027-W01"]
    # 2026 has an ISO week 53 (Dec 28 - Jan 3). W52: 4 working days (the 25th is a holiday); W53: Dec 28-31 (Jan 1 is a holiday); W01: 5.
    assert rows(report.roles) == {
        "backend": ((4.0, 4.0, 5.0), (2.0, 2.0, 2.5), (0.0, 0.0, 1.25), (0.5, 0.5, 0.5), (0.5, 0.5, 0.75)),
        "manager": ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0), (None, None, None), (None, None, None)),
        # Proposed role demand on Dec 30-31 and Jan 4-5 has no supply: a gap, utilization null.
        "qa": ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 2.0, 2.0), (None, None, None), (None, None, None)),
    }
    assert [(u.name, u.gap) for u in report.roles] == [("backend", False), ("manager", False), ("qa", True)]
    assert rows(report.people)["ann"] == rows(report.roles)["backend"]
    assert [u.name for u in report.people] == ["ann", "pm"]


def test_capacity_by_month_and_quarter(year_end: Workspace) -> None:
    months = capacity(year_end, D(2026, 12, 1), by="month", start=D(2026, 12, 1), end=D(2027, 1, 31))
    # December 2026: 23 weekdays less the 25th; January 2027: 21 less the 1st. ann: 8 days in Dec, 5 in Jan at 0.5.
    assert rows(months.roles)["backend"] == ((22.0, 20.0), (4.0, 2.5), (0.0, 1.25), (4 / 22, 0.125), (4 / 22, 3.75 / 20))
    quarters = capacity(year_end, D(2026, 11, 25), by="quarter", end=D(2027, 1, 1))
    # Q4 2026: October 22 + November 21 + December 22 working days.
    assert [p.key for p in quarters.periods] == ["2026-Q4", "2027-Q1"]
    assert rows(quarters.roles)["backend"][0][0] == 65.0


def test_capacity_by_quarter_peaks_at_its_busiest_month(year_end: Workspace) -> None:
    quarters = capacity(year_end, D(2026, 11, 25), by="quarter", end=D(2027, 1, 1))
    backend = {u.name: u for u in quarters.roles}["backend"]
    # Q4 2026: 4 person-days of demand over 65 of supply, all in December (4 / 22): the quarter hides its busiest month.
    assert backend.utilization[0] == pytest.approx(4 / 65)
    assert backend.month_peak[0] == pytest.approx(4 / 22)
    # Q1 2027 (January to March): only January has demand, 2.5 of its 20 days.
    assert backend.month_peak[1] == pytest.approx(0.125)
    # Without supply there is no peak; by month (or week) the peak is the period's own utilization.
    assert {u.name: u for u in quarters.roles}["manager"].month_peak == (None, None)
    months = capacity(year_end, D(2026, 12, 1), by="month", start=D(2026, 12, 1), end=D(2027, 1, 31))
    assert all(u.month_peak == u.utilization for u in months.roles + months.people)


def test_capacity_default_range_is_twelve_months_from_the_period_of_as_of() -> None:
    assert [p.key for p in capacity_periods(D(2026, 11, 25), "month")][::11] == ["2026-11", "2027-10"]
    weeks = capacity_periods(D(2026, 11, 25), "week")
    assert (weeks[0].start, weeks[-1].key, len(weeks)) == (D(2026, 11, 23), "2027-W47", 53)
    assert [p.key for p in capacity_periods(D(2026, 11, 25), "quarter")] == ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]
    # The week of 2044-03-01 starts on 29 February; a year on, the range ends on 2045-02-28.
    leap = capacity_periods(D(2044, 3, 1), "week")
    assert (leap[0].start, leap[-1].key) == (D(2044, 2, 29), "2045-W09")


@pytest.mark.parametrize(
    ("by", "start", "end", "message"),
    [
        ("day", None, None, "--by 'day' is not one of week, month, quarter"),
        ("month", D(2026, 5, 1), D(2026, 4, 1), "--to 2026-04-01 is before --from 2026-05-01"),
        # No --from given: the message names the start the range took by default, not a --from the user never wrote.
        ("month", None, D(2025, 12, 1), r"--to 2025-12-01 is before 2026-11-01, where the range starts by default \(the month of --as-of\); give --from"),
        ("week", D(2000, 1, 1), D(2030, 1, 1), "more than 1000 periods"),
    ],
)
def test_capacity_periods_refuse_bad_options(by, start, end, message) -> None:
    with pytest.raises(PpmError, match=message):
        capacity_periods(D(2026, 11, 25), by, start, end)


def test_capacity_role_filter_and_unknown_role(year_end: Workspace) -> None:
    report = capacity(year_end, D(2026, 12, 1), role="backend")
    assert ([u.name for u in report.roles], [u.name for u in report.people]) == (["backend"], ["ann"])
    # A role only a closed project demands is no row at all.
    with pytest.raises(PpmError, match="role 'closed-role'"):
        capacity(year_end, D(2026, 12, 1), role="closed-role")
    with pytest.raises(PpmError, match="did you mean 'backend'"):
        capacity(year_end, D(2026, 12, 1), role="bakend")


def test_capacity_filters_narrow_demand_never_supply(year_end: Workspace) -> None:
    # Only the closed project carries the tag: no demand is left, the supply stays.
    report = capacity(year_end, D(2026, 12, 1), by="month", start=D(2026, 12, 1), end=D(2026, 12, 31), tags=["legacy"])
    assert rows(report.roles)["backend"] == ((22.0,), (0.0,), (0.0,), (0.0,), (0.0,))
    assert "qa" not in rows(report.roles)
    with pytest.raises(PpmError, match=r"^--tag: no project carries tag 'legasy' \(tags: legacy\); did you mean 'legacy'\?$"):
        capacity(year_end, D(2026, 12, 1), tags=["legasy"])


# ---------------------------------------------------------------- checks


CHECKED = {
    **PEOPLE,
    "projects/p.yaml": PROJECT.replace("budget: 10000", "budget: 11000").replace(
        "  - {person: ghost, fte: 1}", "  - {role: bakend, fte: 1, from: 2026-02-20, to: 2026-05-05}"
    ),
    "projects/idea.yaml": PROJECT.replace("phase: execution", "phase: proposed").replace("budget: 10000", "budget: 1"),
}


def test_resource_checks_flag_allocation_dates_roles_and_labor(make_workspace) -> None:
    ws = load_ws(make_workspace(CHECKED, settings=CALENDAR_SETTINGS))
    as_of = D(2026, 3, 1)
    outside = [(f.path, f.line, f.column, f.message) for f in check_allocation_outside_project(ws, as_of)]
    assert outside == [
        ("projects/p.yaml", 12, 34, "allocation of role bakend starts 2026-02-20, before the project starts (2026-03-01)"),
        ("projects/p.yaml", 12, 50, "allocation of role bakend ends 2026-05-05, after the project ends (2026-04-30)"),
    ]
    roles = [(f.path, f.line, f.column, f.severity.name, f.message) for f in check_role_without_supply(ws, as_of)]
    assert roles == [
        ("projects/idea.yaml", 11, 12, "WARNING", "no person holds role 'qa', so its demand has no supply"),
        ("projects/p.yaml", 11, 12, "WARNING", "no person holds role 'qa', so its demand has no supply"),
        ("projects/p.yaml", 12, 12, "WARNING", "no person holds role 'bakend', so its demand has no supply; did you mean 'backend'?"),
    ]
    # The only person who might hold 'qa' has an invalid file: it is not said that no one holds it.
    broken = load_ws(make_workspace({**CHECKED, "people/quinn.yaml": "name: Quinn\nrole: qa\ncapacity: lots\n"}, settings=CALENDAR_SETTINGS))
    assert [f.message for f in check_role_without_supply(broken, as_of)][0] == "no valid person holds role 'qa' (1 person file is invalid, so not counted), so its demand has no supply"
    # p: 11500 of labor on 11000 (the proposed project's labor is not checked).
    labor = [(f.path, f.line, f.message) for f in check_labor_over_budget(ws, as_of)]
    assert labor == [("projects/p.yaml", 7, "planned labor cost 11,500 USD is above the budget of 11,000")]


def test_labor_at_the_budget_is_not_above_it(make_workspace) -> None:
    # 0.1 FTE × 3 a day for one day is 0.30000000000000004 in binary floating point: at a budget of 0.3, not above it.
    one_day = "name: P\nportfolio: main\nmanager: pm\nphase: execution\nstart: 2026-03-03\nend: 2026-03-03\nbudget: {budget}\nteam:\n  - {{person: cy, fte: 0.1}}\n"
    people = {"portfolios/main.yaml": "name: Main\nowner: pm\n", "people/pm.yaml": "name: PM\nrole: manager\n", "people/cy.yaml": "name: Cy\nrole: backend\ncost_rate: 3\n"}
    at = load_ws(make_workspace({**people, "projects/p.yaml": one_day.format(budget=0.3)}, settings=CALENDAR_SETTINGS))
    assert list(check_labor_over_budget(at, D(2026, 3, 1))) == []
    under = load_ws(make_workspace({**people, "projects/p.yaml": one_day.format(budget=0.29)}, settings=CALENDAR_SETTINGS))
    assert [f.message for f in check_labor_over_budget(under, D(2026, 3, 1))] == ["planned labor cost 0.30 USD is above the budget of 0.29"]
