"""Analysis layer: people's allocations as supply, demand and labor cost over working days.

Role and person supply and demand per period, in person-days (for `ppm
capacity` and selection under `--capacity`), and planned labor cost; counted by
the range engine of `ranges`, for all projects in one pass.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np

from ppmcli.analysis.resources.ranges import horizon, Ranges, span
from ppmcli.analysis.resources.workdays import Period, WorkCalendar
from ppmcli.core.model import Person, Project, Workspace


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
    starts: list[date] = []
    ends: list[date] = []
    weights: list[float] = []
    numbers: list[int] = []
    people: list[Person | None] = []
    known = ws.people
    for pid, project in projects.items():
        for entry in project.team:
            role, person = entry.role, None
            if role is None:
                person = known.get(entry.person or "")
                if person is None:
                    continue
                role = person.role
            start, end = span(entry)
            starts.append(start)
            ends.append(end)
            weights.append(entry.fte)
            numbers.append(rows.setdefault((pid, role), len(rows)))
            people.append(person)
    ranges = Ranges()
    ranges.add_many(starts, ends, weights, numbers, people)
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
    cells, _ = delayed_role_demand_cells(ws, projects, (), 0, calendar, periods)
    return {pid: cells[(pid, 0)] for pid in projects}


def delayed_role_demand_cells(
    ws: Workspace,
    projects: Mapping[str, Project],
    delayed: Sequence[str],
    delays: int,
    calendar: WorkCalendar,
    periods: Sequence[Period],
) -> tuple[dict[tuple[str, int], dict[tuple[str, str], float]], list[str]]:
    """`role_demand_cells` of each project as planned (delay 0) and of each `delayed` one started 1 … `delays` months later,
    and the roles the projects' teams book (inside the periods or not).

    A later start moves every allocation's dates by whole calendar months (`shift_months`); a person's time off stays
    where it is. The later starts are copies of the planned ranges with moved dates, made on arrays, not teams built again.

    Returns:
        (project id, delay) → (period key, role) → person-days above 0: every project at 0, in `projects` order,
        then the delayed ones at each later delay; and the roles, in name order.
    """
    rows, ranges = _demand_ranges(ws, projects)
    owners: list[tuple[str, int]] = [(pid, 0) for pid in projects]
    number = {pid: index for index, pid in enumerate(projects)}
    roles = sorted({role for _, role in rows})
    rank = {role: index for index, role in enumerate(roles)}
    base_owner = np.array([number[pid] for pid, _ in rows], dtype=np.int64)
    base_role = np.array([rank[role] for _, role in rows], dtype=np.int64)
    # The rows of the delayed projects, each copied once per later delay, in the same order.
    position = np.full(len(projects), -1, dtype=np.int64)
    position[[number[pid] for pid in delayed]] = np.arange(len(delayed))
    moving_rows = np.flatnonzero(position[base_owner] >= 0)
    copy_of = np.full(len(rows), -1, dtype=np.int64)
    copy_of[moving_rows] = np.arange(len(moving_rows))
    range_rows = np.asarray(ranges.rows, dtype=np.int64)
    moving_ranges = np.flatnonzero(copy_of[range_rows] >= 0)
    row_owner, row_role = [base_owner], [base_role]
    for delay in range(1, delays + 1):
        owners.extend((pid, delay) for pid in delayed)
        ranges.repeat_moved(moving_ranges, delay, len(rows) + (delay - 1) * len(moving_rows) + copy_of[range_rows[moving_ranges]])
        row_owner.append(len(projects) + (delay - 1) * len(delayed) + position[base_owner[moving_rows]])
        row_role.append(base_role[moving_rows])
    return _cells(ranges, np.concatenate(row_owner), np.concatenate(row_role), roles, owners, calendar, periods), roles


def _cells(
    ranges: Ranges,
    row_owner: np.ndarray,
    row_role: np.ndarray,
    roles: Sequence[str],
    owners: Sequence[tuple[str, int]],
    calendar: WorkCalendar,
    periods: Sequence[Period],
) -> dict[tuple[str, int], dict[tuple[str, str], float]]:
    """(project id, delay) → (period key, role) → person-days above 0 of the ranges, whose rows belong to `owners[row_owner[row]]` and `roles[row_role[row]]`."""
    result: dict[tuple[str, int], dict[tuple[str, str], float]] = {owner: {} for owner in owners}
    row, period, days = ranges.cells(calendar, periods)
    positive = days > 0
    row, period, days = row[positive], period[positive], days[positive]
    project = row_owner[row]
    # A cell's label numbers (period, role) in key order; labels[label] is the key.
    label = period * len(roles) + row_role[row]
    order = np.lexsort((label, project))
    project, label, days = project[order], label[order], days[order]
    labels = [(p.key, role) for p in periods for role in roles]
    firsts = np.flatnonzero(np.diff(project, prepend=-1))  # each owner's first cell
    cells = zip(map(labels.__getitem__, label.tolist()), days.tolist())
    for owner, count in zip(project[firsts].tolist(), np.diff(firsts, append=len(days)).tolist()):
        result[owners[owner]] = dict(itertools.islice(cells, count))
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
