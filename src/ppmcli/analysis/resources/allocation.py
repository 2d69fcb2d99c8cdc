"""Analysis layer: people's allocations as supply, demand and labor cost over working days.

Role and person supply and demand per period, in person-days (for `ppm
capacity` and selection under `--capacity`), and planned labor cost; counted by
the range engine of `ranges`, for all projects in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ppmcli.analysis.resources.ranges import horizon, Ranges, span
from ppmcli.analysis.resources.workdays import Period, WorkCalendar
from ppmcli.core.model import Project, Workspace


def role_supply(ws: Workspace, calendar: WorkCalendar, periods: Sequence[Period]) -> dict[str, tuple[float, ...]]:
    """Person-days each role can give per period.

    Supply of a role = Σ over people with the role of capacity × their available
    days (working days outside time off) in the period.

    Args:
        ws: The workspace (every person counts; people are never filtered).
        calendar: The working calendar.
        periods: Consecutive periods, in order.

    Returns:
        Role → person-days per period, roles in name order.
    """
    roles = sorted({person.role for person in ws.people.values()})
    if not periods:
        return {role: () for role in roles}
    index = {role: row for row, role in enumerate(roles)}
    first, last = horizon(periods)
    ranges = Ranges()
    for person in ws.people.values():
        if person.capacity:
            ranges.add(first, last, person.capacity, index[person.role], person)
    table = ranges.spread(calendar, periods, len(roles))
    return {role: tuple(table[row].tolist()) for role, row in index.items()}


def _demand_ranges(ws: Workspace, projects: Mapping[str, Project]) -> tuple[dict[tuple[str, str], int], Ranges]:
    """The ranges of the projects' role demand, one row per (project id, role) its team asks for."""
    rows: dict[tuple[str, str], int] = {}
    ranges = Ranges()
    for pid, project in projects.items():
        for entry in project.team:
            start, end = span(entry)
            if entry.role is not None:
                ranges.add(start, end, entry.fte, rows.setdefault((pid, entry.role), len(rows)))
                continue
            person = ws.people.get(entry.person or "")
            if person is not None:
                ranges.add(start, end, entry.fte, rows.setdefault((pid, person.role), len(rows)), person)
    return rows, ranges


def role_demand_by_project(
    ws: Workspace, projects: Mapping[str, Project], calendar: WorkCalendar, periods: Sequence[Period]
) -> dict[str, dict[str, tuple[float, ...]]]:
    """Person-days each project's team asks of each role per period, for many projects at once.

    A role allocation asks fte × working days of the period inside it; a named
    allocation asks fte × the person's available days inside it, under that
    person's role. Allocations of unknown people are skipped. Every (allocation,
    period) pair is counted in one vectorized pass.

    Args:
        ws: The workspace (for the people named).
        projects: The projects whose `team` is counted (whatever their phase), by id.
        calendar: The working calendar.
        periods: Consecutive periods, in order.

    Returns:
        Project id (in `projects` order) → role → person-days per period, roles in
        name order; only roles the team asks for.
    """
    rows, ranges = _demand_ranges(ws, projects)
    table = ranges.spread(calendar, periods, len(rows))
    result: dict[str, dict[str, tuple[float, ...]]] = {pid: {} for pid in projects}
    for (pid, role), row in sorted(rows.items()):
        result[pid][role] = tuple(table[row].tolist())
    return result


def role_demand_cells(
    ws: Workspace, projects: Mapping[str, Project], calendar: WorkCalendar, periods: Sequence[Period]
) -> dict[str, dict[tuple[str, str], float]]:
    """The positive figures of `role_demand_by_project`, keyed by (period key, role), for selection under capacity.

    Sparse: only the cells an allocation reaches are computed, never a project × role × period table.

    Args:
        ws: The workspace (for the people named).
        projects: The projects whose `team` is counted, by id.
        calendar: The working calendar.
        periods: Consecutive periods, in order.

    Returns:
        Project id (in `projects` order) → (period key, role) → person-days above 0,
        ordered by period, then role.
    """
    rows, ranges = _demand_ranges(ws, projects)
    result: dict[str, dict[tuple[str, str], float]] = {pid: {} for pid in projects}
    row, period, days = ranges.cells(calendar, periods)
    positive = days > 0
    row, period, days = row[positive], period[positive], days[positive]
    roles = sorted({role for _, role in rows})
    role_rank = {role: rank for rank, role in enumerate(roles)}
    pids = list(projects)
    project_number = {pid: number for number, pid in enumerate(pids)}
    project = np.array([project_number[pid] for pid, _ in rows], dtype=np.int64)[row]
    # A cell's label numbers (period, role) in key order; labels[label] is the key.
    label = period * len(roles) + np.array([role_rank[role] for _, role in rows], dtype=np.int64)[row]
    order = np.lexsort((label, project))
    project, label, days = project[order], label[order], days[order]
    labels = [(p.key, role) for p in periods for role in roles]
    firsts = np.flatnonzero(np.diff(project, prepend=-1)).tolist()  # each project's first cell
    owners, label_list, day_list = project[firsts].tolist(), label.tolist(), days.tolist()
    for owner, low, high in zip(owners, firsts, [*firsts[1:], len(day_list)]):
        result[pids[owner]] = dict(zip(map(labels.__getitem__, label_list[low:high]), day_list[low:high]))
    return result


def project_role_demand(ws: Workspace, project: Project, calendar: WorkCalendar, periods: Sequence[Period]) -> dict[str, tuple[float, ...]]:
    """Person-days one project's team asks of each role per period (`role_demand_by_project` for one project).

    Args:
        ws: The workspace (for the people named).
        project: The project whose `team` is counted (whatever its phase).
        calendar: The working calendar.
        periods: Consecutive periods, in order.

    Returns:
        Role → person-days per period, roles in name order; only roles the team asks for.
    """
    return role_demand_by_project(ws, {project.id: project}, calendar, periods)[project.id]


def labor_costs(ws: Workspace, projects: Mapping[str, Project], calendar: WorkCalendar) -> dict[str, float]:
    """Planned labor cost of the named allocations of many projects at once.

    Σ over a project's named allocations, in team order, of fte × the person's
    `cost_rate` (0 when none) × the person's available days inside the
    allocation. Role allocations have no rate, and unknown people are skipped.

    Args:
        ws: The workspace (for the people named).
        projects: The projects, by id.
        calendar: The working calendar.

    Returns:
        Project id (in `projects` order) → cost, in the workspace currency.
    """
    ranges = Ranges()
    for number, project in enumerate(projects.values()):
        for entry in project.team:
            person = ws.people.get(entry.person or "")
            if person is not None and person.cost_rate:
                ranges.add(*span(entry), entry.fte * person.cost_rate, number, person)
    cost: np.ndarray = np.zeros(len(projects))
    if ranges.starts:
        # fte × rate × days per allocation, then each project's terms added in team order from 0.
        terms = np.asarray(ranges.weights) * ranges.available_days(calendar)
        cost = np.bincount(np.asarray(ranges.rows, dtype=np.int64), weights=terms, minlength=len(projects))
    return dict(zip(projects, cost.tolist()))


def labor_cost(ws: Workspace, project: Project, calendar: WorkCalendar) -> float:
    """Planned labor cost of one project's named allocations (`labor_costs` for one project).

    Args:
        ws: The workspace (for the people named).
        project: The project.
        calendar: The working calendar.

    Returns:
        The cost, in the workspace currency.
    """
    return labor_costs(ws, {project.id: project}, calendar)[project.id]
