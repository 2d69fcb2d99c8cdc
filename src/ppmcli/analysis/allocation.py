"""Analysis layer: people's allocations as supply, demand and cost over working days.

Owns the arithmetic of role capacity (supply and demand per period, in
person-days) and of planned labor cost, on top of `workdays.WorkCalendar`.
Counting is by ranges (vectorized over every allocation × period pair), never
by walking days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from ppmcli.analysis.workdays import Period, WorkCalendar, merge_ranges
from ppmcli.core.model import Allocation, Person, Project, Settings, Workspace

__all__ = [
    "calendar_of",
    "labor_cost",
    "person_time_off",
    "project_role_demand",
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
    return merge_ranges((off.start, off.end) for off in person.time_off)


def spread(
    calendar: WorkCalendar,
    periods: Sequence[Period],
    starts: Sequence[date],
    ends: Sequence[date],
    weights: Sequence[float],
    rows: Sequence[int],
    nrows: int,
) -> np.ndarray:
    """Sum weight × working days of each range inside each period, per row.

    Args:
        calendar: The working calendar.
        periods: Consecutive periods, in order.
        starts: First day of each range (inclusive).
        ends: Last day of each range (inclusive).
        weights: Weight of each range (FTE, capacity; negative to subtract).
        rows: Output row of each range.
        nrows: Number of output rows.

    Returns:
        A `(nrows, len(periods))` float array.
    """
    out = np.zeros(nrows * len(periods), dtype=np.float64)
    if not len(starts) or not periods:
        return out.reshape(nrows, len(periods))
    period_starts = np.array([p.start for p in periods], dtype="datetime64[D]")
    period_ends = np.array([p.end for p in periods], dtype="datetime64[D]")
    begin = np.asarray(starts, dtype="datetime64[D]")
    finish = np.asarray(ends, dtype="datetime64[D]")
    # Periods each range overlaps: from the first ending on or after its start
    # to the last starting on or before its end.
    first = np.searchsorted(period_ends, begin, side="left")
    last = np.searchsorted(period_starts, finish, side="right") - 1
    spans = np.maximum(last - first + 1, 0)
    total = int(spans.sum())
    if total == 0:
        return out.reshape(nrows, len(periods))
    owner = np.repeat(np.arange(len(spans)), spans)
    offsets = np.cumsum(spans) - spans
    period = first[owner] + (np.arange(total) - offsets[owner])
    lo = np.maximum(begin[owner], period_starts[period])
    hi = np.minimum(finish[owner], period_ends[period])
    days = calendar.count_many(lo, hi)
    weight = np.asarray(weights, dtype=np.float64)[owner]
    cell = np.asarray(rows, dtype=np.int64)[owner] * len(periods) + period
    out += np.bincount(cell, weights=weight * days, minlength=out.size)
    return out.reshape(nrows, len(periods))


class _Ranges:
    """Weighted ranges collected for one `spread` call."""

    __slots__ = ("starts", "ends", "weights", "rows")

    def __init__(self) -> None:
        self.starts: list[date] = []
        self.ends: list[date] = []
        self.weights: list[float] = []
        self.rows: list[int] = []

    def add(self, start: date, end: date, weight: float, row: int) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.weights.append(weight)
        self.rows.append(row)

    def add_available(self, start: date, end: date, weight: float, row: int, time_off: Iterable[tuple[date, date]]) -> None:
        """Add [start, end] less the (merged) time off inside it: working days there minus time-off working days."""
        self.add(start, end, weight, row)
        for off_start, off_end in time_off:
            lo, hi = max(off_start, start), min(off_end, end)
            if lo <= hi:
                self.add(lo, hi, -weight, row)

    def spread(self, calendar: WorkCalendar, periods: Sequence[Period], nrows: int) -> np.ndarray:
        return spread(calendar, periods, self.starts, self.ends, self.weights, self.rows, nrows)


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
            ranges.add_available(first, last, person.capacity, index[person.role], person_time_off(person))
    table = ranges.spread(calendar, periods, len(roles))
    return {role: tuple(float(v) for v in table[row]) for role, row in index.items()}


def project_role_demand(ws: Workspace, project: Project, calendar: WorkCalendar, periods: Sequence[Period]) -> dict[str, tuple[float, ...]]:
    """Person-days one project's team asks of each role per period.

    A role allocation asks fte × working days of the period inside it; a named
    allocation asks fte × the person's available days inside it, under that
    person's role. Allocations of unknown people are skipped.

    Args:
        ws: The workspace (for the people named).
        project: The project whose `team` is counted (whatever its phase).
        calendar: The working calendar.
        periods: Consecutive periods, in order.

    Returns:
        Role → person-days per period, roles in name order; only roles the team asks for.
    """
    index: dict[str, int] = {}
    ranges = _Ranges()
    for entry in project.team:
        start, end = span(entry)
        if entry.role is not None:
            ranges.add(start, end, entry.fte, index.setdefault(entry.role, len(index)))
            continue
        person = ws.people.get(entry.person or "")
        if person is not None:
            row = index.setdefault(person.role, len(index))
            ranges.add_available(start, end, entry.fte, row, person_time_off(person))
    table = ranges.spread(calendar, periods, len(index))
    return {role: tuple(float(v) for v in table[index[role]]) for role in sorted(index)}


def labor_cost(ws: Workspace, project: Project, calendar: WorkCalendar) -> float:
    """Planned labor cost of a project's named allocations.

    Σ over named allocations of fte × the person's `cost_rate` (0 when none) ×
    the person's available days inside the allocation. Role allocations have no
    rate, and unknown people are skipped.

    Args:
        ws: The workspace (for the people named).
        project: The project.
        calendar: The working calendar.

    Returns:
        The cost, in the workspace currency.
    """
    cost = 0.0
    for entry in project.person_allocations:
        person = ws.people.get(entry.person or "")
        if person is None or not person.cost_rate:
            continue
        days = calendar.available(*span(entry), person_time_off(person))
        cost += entry.fte * person.cost_rate * days
    return cost
