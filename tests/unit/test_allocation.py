"""Tests for analysis.allocation: role supply and demand, labor cost (hand-computed figures)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SETTINGS
from ppmcli.analysis.allocation import calendar_of, labor_cost, project_role_demand, role_supply, spread
from ppmcli.analysis.workdays import WorkCalendar, periods
from ppmcli.core.model import Workspace
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
