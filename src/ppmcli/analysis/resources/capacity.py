"""Analysis layer: the capacity report of `ppm capacity`: supply, demand and utilization per role and person per period."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from ppmcli.analysis.context import context
from ppmcli.analysis.filters import select_projects
from ppmcli.analysis.resources.ranges import horizon, Ranges, span
from ppmcli.analysis.resources.workdays import PERIOD_KINDS, Period, WorkCalendar, period_of
from ppmcli.analysis.resources.workdays import periods as period_list  # `periods` names the parameter below
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import quote
from ppmcli.core.model import Project, Workspace
from ppmcli.core.names import did_you_mean

# A guard against `--from 1900-01-01 --by week`: rows × periods cells are held in memory.
MAX_PERIODS = 1000


@dataclass(frozen=True, slots=True)
class Utilization:
    """Supply and demand of one role or one person, per period (all figures in person-days).

    Attributes:
        name: The role, or the person's id.
        role: The role (the person's role for a person row).
        supply: Capacity × available days, per period.
        demand: Committed projects' demand, per period.
        tentative: Proposed projects' demand, per period (beside `demand`, not in it).
        utilization: demand / supply, None where supply is 0.
        utilization_tentative: (demand + tentative) / supply, None where supply is 0.
        peak: Highest utilization with tentative demand over the periods (None when
            supply is always 0); for ordering long lists.
        gap: Demand (committed or tentative) in a period without supply.
        month_peak: Per period, the highest committed utilization of a month inside it (a
            quarter at 56 % may hold a month at 120 %); a month's or week's own utilization.
    """

    name: str
    role: str
    supply: tuple[float, ...]
    demand: tuple[float, ...]
    tentative: tuple[float, ...]
    utilization: tuple[float | None, ...]
    utilization_tentative: tuple[float | None, ...]
    peak: float | None
    gap: bool
    month_peak: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class CapacityReport:
    """Role and person utilization per period, for `ppm capacity`.

    Attributes:
        by: "week", "month" or "quarter".
        periods: The periods, in order.
        roles: One row per role, in name order.
        people: One row per person, in id order.
    """

    by: str
    periods: tuple[Period, ...]
    roles: tuple[Utilization, ...]
    people: tuple[Utilization, ...]


def capacity_periods(as_of: date, by: str, start: date | None = None, end: date | None = None) -> list[Period]:
    """The periods `ppm capacity` covers.

    Args:
        as_of: The reference date.
        by: "week", "month" or "quarter".
        start: `--from`; default the first day of the period holding `as_of`.
        end: `--to`; default twelve months after the first period's first day, less a day.

    Returns:
        Whole periods overlapping [start, end].

    Raises:
        PpmError: `by` is not a period kind, the range is inverted or too long.
    """
    if by not in PERIOD_KINDS:
        raise PpmError(f"--by {quote(by)} is not one of {', '.join(PERIOD_KINDS)}")
    first = start if start is not None else period_of(as_of, by).start
    last = end if end is not None else _year_after(period_of(first, by).start) - timedelta(days=1)
    if last < first:
        since = f"--from {first}" if start is not None else f"{first}, where the range starts by default (the {by} of --as-of); give --from"
        raise PpmError(f"--to {last} is before {since}")
    # Bound the days first (a quarter has at most 92) so the list is never built for an absurd range.
    if (last - first).days > MAX_PERIODS * 92 or len(result := period_list(first, last, by)) > MAX_PERIODS:
        raise PpmError(f"{first} to {last} is more than {MAX_PERIODS} periods by {by}; narrow --from/--to")
    return result


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return date(day.year + 1, 3, 1)


def capacity_report(
    ws: Workspace,
    projects: Mapping[str, Project],
    calendar: WorkCalendar,
    periods: Sequence[Period],
    by: str,
    *,
    role: str | None = None,
) -> CapacityReport:
    """Supply, committed and tentative demand, and utilization per role and per person.

    Args:
        ws: The workspace; every person counts in supply.
        projects: The projects whose demand counts (narrowed by the filters);
            only open ones count: committed as demand, proposed as tentative.
        calendar: The working calendar.
        periods: Consecutive periods, in order.
        by: The period kind, carried into the report.
        role: Only this role's row and its people's rows.

    Returns:
        Rows for every role held by a person or demanded by an open project, and every person.

    Raises:
        PpmError: `role` is neither held nor demanded.
    """
    people = list(ws.people.items())
    row_of = {pid: row for row, (pid, _) in enumerate(people)}
    count = len(people)
    demanded: set[str] = set()
    role_entries: list[tuple[date, date, float, str, bool]] = []
    ranges = Ranges()
    # Rows of one spread: people's supply, committed demand and tentative demand, then role allocations after them.
    first, last = horizon(periods) if periods else (date.min, date.min)
    for pid, person in people:
        if person.capacity:
            ranges.add(first, last, person.capacity, row_of[pid], person)
    for project in projects.values():
        if not project.phase.is_open:
            continue
        shift = count if project.phase.is_committed else 2 * count
        for entry in project.team:
            start, end = span(entry)
            if entry.role is not None:
                demanded.add(entry.role)
                role_entries.append((start, end, entry.fte, entry.role, project.phase.is_committed))
            elif entry.person in row_of:
                ranges.add(start, end, entry.fte, shift + row_of[entry.person], ws.people[entry.person])
    roles = sorted({person.role for _, person in people} | demanded)
    role_row = {name: index for index, name in enumerate(roles)}
    for start, end, fte, name, committed in role_entries:
        ranges.add(start, end, fte, 3 * count + 2 * role_row[name] + (0 if committed else 1))
    table = ranges.spread(calendar, periods, 3 * count + 2 * len(roles))
    person_supply, person_demand, person_tentative = table[:count], table[count : 2 * count], table[2 * count : 3 * count]
    role_tables = table[3 * count :].reshape(len(roles), 2, len(periods))
    grouping = np.array([role_row[person.role] for _, person in people], dtype=np.int64)
    role_supply_ = np.zeros((len(roles), len(periods)))
    role_demand = role_tables[:, 0].copy()
    role_tentative = role_tables[:, 1].copy()
    if count:
        np.add.at(role_supply_, grouping, person_supply)
        np.add.at(role_demand, grouping, person_demand)
        np.add.at(role_tentative, grouping, person_tentative)
    if role is not None and role not in role_row:
        raise PpmError(f"--role: no person holds and no open project demands role {quote(role)}{did_you_mean(role, roles)}")
    role_keep = [index for index, name in enumerate(roles) if role is None or name == role]
    person_keep = [index for index, (_, person) in enumerate(people) if role is None or person.role == role]
    role_rows = _utilization_rows([(roles[i], roles[i]) for i in role_keep], role_supply_[role_keep], role_demand[role_keep], role_tentative[role_keep])
    person_rows = _utilization_rows(
        [(people[i][0], people[i][1].role) for i in person_keep], person_supply[person_keep], person_demand[person_keep], person_tentative[person_keep]
    )
    if by == "quarter" and periods:
        # The same rows, by month: each quarter's peak is its busiest month.
        months = capacity_report(ws, projects, calendar, period_list(periods[0].start, periods[-1].end, "month"), "month", role=role)
        role_rows = _with_month_peaks(role_rows, months.roles, periods, months.periods)
        person_rows = _with_month_peaks(person_rows, months.people, periods, months.periods)
    return CapacityReport(by, tuple(periods), role_rows, person_rows)


def _with_month_peaks(rows: Sequence[Utilization], monthly: Sequence[Utilization], periods: Sequence[Period], months: Sequence[Period]) -> tuple[Utilization, ...]:
    """`rows` (by quarter) with `month_peak` the highest monthly utilization of each quarter; `monthly` holds the same rows by month."""
    inside = [[index for index, month in enumerate(months) if period.start <= month.start <= period.end] for period in periods]
    result = []
    for row, by_month in zip(rows, monthly, strict=True):
        peaks = tuple(max((u for i in indexes if (u := by_month.utilization[i]) is not None), default=None) for indexes in inside)
        result.append(replace(row, month_peak=peaks))
    return tuple(result)


def capacity(
    ws: Workspace,
    as_of: date,
    *,
    by: str = "month",
    start: date | None = None,
    end: date | None = None,
    role: str | None = None,
    portfolio: str | None = None,
    tags: Sequence[str] = (),
) -> CapacityReport:
    """What `ppm capacity` shows: utilization per role and per person over the periods in range.

    Args:
        ws: The workspace (with valid settings).
        as_of: The reference date (the default range starts at its period).
        by: "week", "month" or "quarter".
        start: `--from`, or None.
        end: `--to`, or None.
        role: Only this role and its people.
        portfolio: Only demand of this portfolio's projects (supply is never filtered).
        tags: Only demand of projects with every one of these tags.

    Returns:
        The report.

    Raises:
        PpmError: a bad period kind or range, an unknown role or portfolio.
    """
    projects = select_projects(ws, portfolio, tags)
    return capacity_report(ws, projects, context(ws).calendar, capacity_periods(as_of, by, start, end), by, role=role)


def _utilization_rows(names: Sequence[tuple[str, str]], supply: np.ndarray, demand: np.ndarray, tentative: np.ndarray) -> tuple[Utilization, ...]:
    """One `Utilization` per (name, role), from (rows × periods) matrices; whole matrices at once, for 10,000 people."""
    has_supply = supply > 0
    divisor = np.where(has_supply, supply, 1.0)
    committed = demand / divisor
    with_tentative = (demand + tentative) / divisor
    peaks = np.where(has_supply, with_tentative, -np.inf).max(axis=1, initial=-np.inf)
    gaps = np.any(~has_supply & ((demand > 0) | (tentative > 0)), axis=1)
    complete = np.asarray(has_supply.all(axis=1))
    result = []
    for index, (name, role) in enumerate(names):
        usable = complete[index]
        peak = float(peaks[index])
        # Most rows have supply in every period: only the others need nulls.
        own = tuple(committed[index].tolist()) if usable else _nulls(committed[index], has_supply[index])
        result.append(
            Utilization(
                name,
                role,
                tuple(supply[index].tolist()),
                tuple(demand[index].tolist()),
                tuple(tentative[index].tolist()),
                own,
                tuple(with_tentative[index].tolist()) if usable else _nulls(with_tentative[index], has_supply[index]),
                peak if math.isfinite(peak) else None,
                bool(gaps[index]),
                own,  # a month's or week's peak is itself; quarters get theirs from their months
            )
        )
    return tuple(result)


def _nulls(values: np.ndarray, valid: np.ndarray) -> tuple[float | None, ...]:
    return tuple(value if ok else None for value, ok in zip(values.tolist(), valid.tolist()))
