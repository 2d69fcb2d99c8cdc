"""Analysis layer: the records the HTML dashboard shows, gathered from the other analyses in one call.

The dashboard adds no arithmetic: the rollup is `rollup.build_report`, the
roadmap `roadmap.build_roadmap`, the funding line and the efficient frontier
`selection.prioritize` and `selection.frontier`, the heat map
`allocation.capacity`, the over-allocations `conflicts.select_conflicts`, the bubbles and earned-value curves `evm.earned_value`
and `evm.trend`, the plan timeline `selection.plan.plan`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from ppmcli.analysis.context import context
from ppmcli.analysis.resources.capacity import CapacityReport, capacity
from ppmcli.analysis.resources.conflicts import Conflict, select_conflicts
from ppmcli.analysis.delivery.evm import ProjectValue, Trend, earned_value, trend
from ppmcli.analysis.delivery.roadmap import Roadmap, build_roadmap
from ppmcli.analysis.delivery.rollup import Report, build_report
from ppmcli.analysis.selection.options import PlanOptions
from ppmcli.analysis.selection.plan import Plan, plan
from ppmcli.analysis.selection.prioritize import Frontier, Limits, Selection, frontier, prioritize
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Project, Workspace

# Seconds the exact solver gets for the whole frontier of the dashboard, every budget together: a
# chart, not a decision. Budgets it cannot prove in their share are drawn open, with their gap.
FRONTIER_SECONDS = 5.0
# The dashboard's plan: `ppm plan --budget N --max-delay 3`, its solver within this many seconds (a picture, not the decision).
PLAN_MAX_DELAY = 3
PLAN_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the portfolio dashboard shows, as of one date.

    Attributes:
        report: the rollup, exactly as `ppm report` computes it with the same options.
        roadmap: the open projects' timeline, grouped by portfolio.
        selection: the ranking of the open projects, with the funding line when a budget is given.
        frontier: the efficient frontier (optimal value against budget), its solves within `FRONTIER_SECONDS`.
        capacity: role (and person) utilization per month, twelve months from the month of the date.
        values: every open project's earned-value record (health, risk exposure), by id, for the
            score against risk chart.
        trends: the earned value of each reported project at each of its status dates, by id
            (projects without a status are left out).
        conflicts: the current over-allocations (ending on or after the date) of the people
            working on the reported projects, as `ppm conflicts` lists them.
        people: the display name of each person in `conflicts`, by id.
        plan: `ppm plan` with the budget and delays up to `PLAN_MAX_DELAY` months, for the plan timeline.
    """

    report: Report
    roadmap: Roadmap
    selection: Selection
    frontier: Frontier
    capacity: CapacityReport
    values: tuple[ProjectValue, ...]
    trends: tuple[Trend, ...]
    conflicts: tuple[Conflict, ...]
    people: Mapping[str, str]
    plan: Plan | None = None


def build_dashboard(
    ws: Workspace,
    projects: Mapping[str, Project],
    as_of: date,
    *,
    by: str = "portfolio",
    include_all: bool = False,
    budget: Fraction | None = None,
    portfolio: str | None = None,
    tags: Sequence[str] = (),
) -> Dashboard:
    """Gather the dashboard's records.

    Args:
        ws: the workspace.
        projects: the projects kept by --portfolio/--tag, by id.
        as_of: the date of every figure.
        by: the report's grouping.
        include_all: the report also covers proposed and cancelled projects.
        budget: the funding available, for the funding line (None: a ranking only).
        portfolio, tags: the filters, for the capacity analysis (which narrows demand itself).

    Returns:
        The dashboard record.

    Raises:
        PpmError: ppm.yaml is invalid, or as the analyses raise for bad options.
    """
    calendar = context(ws).calendar
    report = build_report(ws, projects, as_of, by=by, include_all=include_all)
    open_projects = [project for _, project in sorted(projects.items()) if project.phase.is_open]
    trends = tuple(found for value in report.projects if (found := trend(projects[value.id], as_of, calendar)).points)
    conflicts = tuple(select_conflicts(ws, as_of, projects=[value.id for value in report.projects]))
    return Dashboard(
        report=report,
        roadmap=build_roadmap(ws, projects, as_of),
        selection=prioritize(ws, projects, limits=Limits(budget=budget)),
        frontier=frontier(ws, projects, total_time_limit=FRONTIER_SECONDS),
        capacity=capacity(ws, as_of, portfolio=portfolio, tags=tags),
        values=tuple(earned_value(project, as_of, calendar) for project in open_projects),
        trends=trends,
        conflicts=conflicts,
        people={c.person: ws.people[c.person].name for c in conflicts},
        plan=plan(ws, projects, as_of, PlanOptions(budget=budget, max_delay=PLAN_MAX_DELAY, time_limit=PLAN_SECONDS)),
    )
