"""Analysis layer: people's allocations as supply, demand and cost over working days.

Owns the arithmetic of role and person capacity (supply and demand per period,
in person-days, for `ppm capacity` and selection under `--capacity`), planned
labor cost, and the checks about allocations (`allocation-outside-project`,
`role-without-supply`, `labor-over-budget`). Counting is by ranges (vectorized
over every allocation × period pair, for all projects in one pass) on top of
`workdays.WorkCalendar`, never by walking days.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ppmcli.analysis.filters import select_projects
from ppmcli.analysis.workdays import Period, WorkCalendar, merge_ranges, period_of, periods
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import Finding, cut, quote
from ppmcli.core.model import Allocation, Person, Project, Settings, Workspace

__all__ = [
    "CapacityReport",
    "Utilization",
    "calendar_of",
    "capacity",
    "capacity_periods",
    "capacity_report",
    "check_allocation_outside_project",
    "check_labor_over_budget",
    "check_role_without_supply",
    "labor_cost",
    "labor_costs",
    "person_time_off",
    "project_role_demand",
    "role_demand_by_project",
    "role_demand_cells",
    "role_supply",
    "span",
    "spread",
]


def calendar_of(settings: Settings) -> WorkCalendar:
    """The organisation's working calendar.

    Args:
        settings: `ppm.yaml`.

    Returns:
        The calendar of `settings.calendar` (work week and holidays).
    """
    return WorkCalendar.from_names(settings.calendar.workdays, settings.calendar.holidays)


def span(entry: Allocation) -> tuple[date, date]:
    """An allocation's inclusive dates (the model fills them from the project's when left out).

    Args:
        entry: A team entry of a validated project.

    Returns:
        `(from, to)`.
    """
    if entry.start is None or entry.end is None:
        raise ValueError("allocation dates are filled in when the project is validated")
    return entry.start, entry.end


def person_time_off(person: Person) -> list[tuple[date, date]]:
    """A person's time off as disjoint, sorted inclusive ranges (overlaps merged, so no day counts twice).

    Args:
        person: The person.

    Returns:
        Merged `(first, last)` ranges.
    """
    return merge_ranges((off.start, off.end) for off in person.time_off) if person.time_off else []


def spread(
    calendar: WorkCalendar,
    periods: Sequence[Period],
    starts: Sequence[date] | np.ndarray,
    ends: Sequence[date] | np.ndarray,
    weights: Sequence[float] | np.ndarray,
    rows: Sequence[int] | np.ndarray,
    nrows: int,
) -> np.ndarray:
    """Sum weight × working days of each range inside each period, per row.

    Args:
        calendar: The working calendar.
        periods: Consecutive periods, in order.
        starts: First day of each range (inclusive): dates or a `datetime64[D]` array.
        ends: Last day of each range (inclusive), likewise.
        weights: Weight of each range (FTE, capacity; negative to subtract).
        rows: Output row of each range.
        nrows: Number of output rows.

    Returns:
        A `(nrows, len(periods))` float array.
    """
    out = np.zeros(nrows * len(periods), dtype=np.float64)
    if len(starts) and periods:
        row, period, value = _pieces(calendar, periods, _days(starts), _days(ends), np.asarray(weights, dtype=np.float64), np.asarray(rows, dtype=np.int64))
        # bincount adds in input order, so each cell sums its ranges in the order they were given.
        out += np.bincount(row * len(periods) + period, weights=value, minlength=out.size)
    return out.reshape(nrows, len(periods))


def _pieces(calendar: WorkCalendar, periods: Sequence[Period], begin: np.ndarray, finish: np.ndarray, weight: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, period index, weight × working days) of every (range, period it overlaps) pair, in range order."""
    period_starts = _days([p.start for p in periods])
    period_ends = _days([p.end for p in periods])
    # Periods each range overlaps: from the first ending on or after its start
    # to the last starting on or before its end.
    first = np.searchsorted(period_ends, begin, side="left")
    last = np.searchsorted(period_starts, finish, side="right") - 1
    spans = np.maximum(last - first + 1, 0)
    owner = np.repeat(np.arange(len(spans)), spans)
    offsets = np.cumsum(spans) - spans
    period = first[owner] + (np.arange(len(owner)) - offsets[owner])
    lo = np.maximum(begin[owner], period_starts[period])
    hi = np.minimum(finish[owner], period_ends[period])
    return rows[owner], period, weight[owner] * calendar.count_many(lo, hi)


_EPOCH = date(1970, 1, 1).toordinal()


def _days(days: Sequence[date] | np.ndarray) -> np.ndarray:
    if isinstance(days, np.ndarray):
        return days.astype("datetime64[D]", copy=False)
    # Through ordinals: numpy converts a list of `date` objects one slow call at a time.
    ordinals = np.fromiter((day.toordinal() for day in days), dtype=np.int64, count=len(days))
    return (ordinals - _EPOCH).astype("datetime64[D]")


class _Ranges:
    """Weighted ranges collected for one computation; a person's range counts only their available days.

    Each person's time off is merged once, the first time one of their ranges is
    added, however many allocations they have.
    """

    __slots__ = ("starts", "ends", "weights", "rows", "people", "_number", "_time_off")

    def __init__(self) -> None:
        self.starts: list[date] = []
        self.ends: list[date] = []
        self.weights: list[float] = []
        self.rows: list[int] = []
        self.people: list[int] = []  # per range: the number of its person's time off, −1 for none
        self._number: dict[int, int] = {}  # id(person) → number
        self._time_off: list[list[tuple[date, date]]] = []

    def add(self, start: date, end: date, weight: float, row: int, person: Person | None = None) -> None:
        """Add [start, end] at `weight` to `row`; with `person`, less that person's time off inside it."""
        self.starts.append(start)
        self.ends.append(end)
        self.weights.append(weight)
        self.rows.append(row)
        if person is None:
            self.people.append(-1)
            return
        number = self._number.get(id(person))
        if number is None:
            number = self._number[id(person)] = len(self._time_off)
            self._time_off.append(person_time_off(person))
        self.people.append(number)

    def _days_off(self, begin: np.ndarray, finish: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(range index, first, last) of every non-empty intersection of a range with its person's time off, in range then date order."""
        sizes = np.array([len(ranges) for ranges in self._time_off] + [0], dtype=np.int64)  # number −1 owns none
        first = np.cumsum(sizes) - sizes
        off_starts = _days([start for ranges in self._time_off for start, _ in ranges])
        off_ends = _days([end for ranges in self._time_off for _, end in ranges])
        who = np.asarray(self.people, dtype=np.int64)
        counts = sizes[who]
        owner = np.repeat(np.arange(len(who)), counts)
        slot = first[who[owner]] + (np.arange(len(owner)) - (np.cumsum(counts) - counts)[owner])
        lo = np.maximum(off_starts[slot], begin[owner])
        hi = np.minimum(off_ends[slot], finish[owner])
        keep = lo <= hi
        return owner[keep], lo[keep], hi[keep]

    def _expanded(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(starts, ends, weights, rows) with each range's days off right after it, at the opposite weight.

        Working days there minus working days off, in the order the ranges were
        added: every cell sums the same terms in the same order whatever else is
        collected beside them, so batching never changes a figure.
        """
        begin, finish = _days(self.starts), _days(self.ends)
        weight = np.asarray(self.weights, dtype=np.float64)
        rows = np.asarray(self.rows, dtype=np.int64)
        owner, lo, hi = self._days_off(begin, finish)
        order = np.argsort(np.concatenate((np.arange(len(rows)), owner)), kind="stable")
        return (
            np.concatenate((begin, lo))[order],
            np.concatenate((finish, hi))[order],
            np.concatenate((weight, -weight[owner]))[order],
            np.concatenate((rows, rows[owner]))[order],
        )

    def spread(self, calendar: WorkCalendar, periods: Sequence[Period], nrows: int) -> np.ndarray:
        """`spread` of the ranges: a (nrows, periods) table."""
        return spread(calendar, periods, *self._expanded(), nrows)

    def cells(self, calendar: WorkCalendar, periods: Sequence[Period]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, period index, sum) of every cell a range reaches, sorted by row then period: a sparse `spread`."""
        if not self.starts or not periods:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        row, period, value = _pieces(calendar, periods, *self._expanded())
        cells, where = np.unique(row * len(periods) + period, return_inverse=True)
        # As in `spread`: bincount adds each cell's terms in range order.
        return cells // len(periods), cells % len(periods), np.bincount(where, weights=value, minlength=len(cells))

    def available_days(self, calendar: WorkCalendar) -> np.ndarray:
        """Per range, its working days outside its person's time off (exact integers)."""
        begin, finish = _days(self.starts), _days(self.ends)
        owner, lo, hi = self._days_off(begin, finish)
        off = np.bincount(owner, weights=calendar.count_many(lo, hi), minlength=len(begin))
        return calendar.count_many(begin, finish) - off.astype(np.int64)


def _horizon(periods: Sequence[Period]) -> tuple[date, date]:
    return periods[0].start, periods[-1].end


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
    first, last = _horizon(periods)
    ranges = _Ranges()
    for person in ws.people.values():
        if person.capacity:
            ranges.add(first, last, person.capacity, index[person.role], person)
    table = ranges.spread(calendar, periods, len(roles))
    return {role: tuple(table[row].tolist()) for role, row in index.items()}


def _demand_ranges(ws: Workspace, projects: Mapping[str, Project]) -> tuple[dict[tuple[str, str], int], _Ranges]:
    """The ranges of the projects' role demand, one row per (project id, role) its team asks for."""
    rows: dict[tuple[str, str], int] = {}
    ranges = _Ranges()
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
    ranges = _Ranges()
    for number, project in enumerate(projects.values()):
        for entry in project.team:
            person = ws.people.get(entry.person or "")
            if person is not None and person.cost_rate:
                ranges.add(*span(entry), entry.fte * person.cost_rate, number, person)
    cost = np.zeros(len(projects))
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


# ---------------------------------------------------------------- capacity per period

PERIOD_KINDS = ("week", "month", "quarter")
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
        raise PpmError(f"--by '{by}' is not one of {', '.join(PERIOD_KINDS)}")
    first = start if start is not None else period_of(as_of, by).start
    last = end if end is not None else _year_after(period_of(first, by).start) - timedelta(days=1)
    if last < first:
        raise PpmError(f"--to {last} is before --from {first}")
    # Bound the days first (a quarter has at most 92) so the list is never built for an absurd range.
    if (last - first).days > MAX_PERIODS * 92 or len(result := periods(first, last, by)) > MAX_PERIODS:
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
    ranges = _Ranges()
    # Rows of one spread: people's supply, committed demand and tentative demand, then role allocations after them.
    first, last = _horizon(periods) if periods else (date.min, date.min)
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
        from ppmcli.analysis.checks import hint  # checks imports this module for its CHECKS list

        raise PpmError(f"no person holds and no open project demands role '{role}'{hint(role, roles)}")
    role_keep = [index for index, name in enumerate(roles) if role is None or name == role]
    person_keep = [index for index, (_, person) in enumerate(people) if role is None or person.role == role]
    role_rows = _utilization_rows([(roles[i], roles[i]) for i in role_keep], role_supply_[role_keep], role_demand[role_keep], role_tentative[role_keep])
    person_rows = _utilization_rows(
        [(people[i][0], people[i][1].role) for i in person_keep], person_supply[person_keep], person_demand[person_keep], person_tentative[person_keep]
    )
    return CapacityReport(by, tuple(periods), role_rows, person_rows)


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
    if ws.settings is None:
        raise ValueError("capacity needs valid settings")
    projects = select_projects(ws, portfolio, tags)
    return capacity_report(ws, projects, calendar_of(ws.settings), capacity_periods(as_of, by, start, end), by, role=role)


def _utilization_rows(names: Sequence[tuple[str, str]], supply: np.ndarray, demand: np.ndarray, tentative: np.ndarray) -> tuple[Utilization, ...]:
    """One `Utilization` per (name, role), from (rows × periods) matrices; whole matrices at once, for 10,000 people."""
    has_supply = supply > 0
    divisor = np.where(has_supply, supply, 1.0)
    committed = demand / divisor
    with_tentative = (demand + tentative) / divisor
    peaks = np.where(has_supply, with_tentative, -np.inf).max(axis=1, initial=-np.inf)
    gaps = np.any(~has_supply & ((demand > 0) | (tentative > 0)), axis=1)
    complete = has_supply.all(axis=1)
    result = []
    for index, (name, role) in enumerate(names):
        usable = complete[index]
        peak = float(peaks[index])
        result.append(
            Utilization(
                name,
                role,
                tuple(supply[index].tolist()),
                tuple(demand[index].tolist()),
                tuple(tentative[index].tolist()),
                # Most rows have supply in every period: only the others need nulls.
                tuple(committed[index].tolist()) if usable else _nulls(committed[index], has_supply[index]),
                tuple(with_tentative[index].tolist()) if usable else _nulls(with_tentative[index], has_supply[index]),
                peak if math.isfinite(peak) else None,
                bool(gaps[index]),
            )
        )
    return tuple(result)


def _nulls(values: np.ndarray, valid: np.ndarray) -> tuple[float | None, ...]:
    return tuple(value if ok else None for value, ok in zip(values.tolist(), valid.tolist()))


# ---------------------------------------------------------------- checks


def check_allocation_outside_project(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """`allocation-outside-project`: a team entry's `from`/`to` runs outside the project's start and end.

    Example:
        `{person: alice, fte: 0.5, from: 2025-12-01}` on a project starting
        2026-01-05. Fix: move the allocation inside the project, or the project's dates.
    """
    for pid, project in ws.projects.items():
        for index, entry in enumerate(project.team):
            start, end = span(entry)
            who = cut(entry.person) if entry.person is not None else f"role {cut(entry.role or '')}"
            if start < project.start:
                yield Finding.at(
                    ws.where("projects", pid, "team", index, "from"),
                    "allocation-outside-project",
                    f"allocation of {who} starts {start}, before the project starts ({project.start})",
                )
            if end > project.end:
                yield Finding.at(
                    ws.where("projects", pid, "team", index, "to"),
                    "allocation-outside-project",
                    f"allocation of {who} ends {end}, after the project ends ({project.end})",
                )


def check_role_without_supply(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """`role-without-supply`: an open project demands a role that no person holds.

    Roles have no registry, so a misspelt role is not an unknown reference; its
    demand simply has no supply.

    Example:
        `{role: qa-enginer, fte: 1}` while people hold `qa-engineer`. Fix:
        correct the role, or add a person who holds it.
    """
    from ppmcli.analysis.checks import Hints  # checks imports this module for its CHECKS list

    held = {person.role for person in ws.people.values()}
    hint = Hints()
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        for index, entry in enumerate(project.team):
            if entry.role is not None and entry.role not in held:
                yield Finding.at(
                    ws.where("projects", pid, "team", index, "role"),
                    "role-without-supply",
                    f"no person holds role {quote(entry.role)}, so its demand has no supply{hint(entry.role, held)}",
                )


def check_labor_over_budget(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """`labor-over-budget`: a committed project's planned labor cost is above its budget.

    Example:
        2 FTE at 1000 a day for a year on a 100000 budget. Fix: raise the
        budget or trim the team.
    """
    if ws.settings is None:
        return
    committed = {pid: project for pid, project in ws.projects.items() if project.phase.is_committed}
    for pid, cost in labor_costs(ws, committed, calendar_of(ws.settings)).items():
        if cost > committed[pid].budget:
            yield Finding.at(
                ws.where("projects", pid, "budget"),
                "labor-over-budget",
                f"planned labor cost {cost:,.0f} {ws.settings.currency} is above the budget of {committed[pid].budget:,.0f}",
            )
