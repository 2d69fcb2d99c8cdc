"""Analysis layer: over-allocation of people, found by a sweep over allocation boundaries.

A person's load is constant between two allocation boundaries, so the sweep
visits those segments, never single days. A conflict is a maximal run of
over-allocated available days (PRODUCT.md, "Allocation and over-allocation");
this module owns that rule, the `overallocation` check, and the "who could
help" suggestions of `ppm conflicts --suggest`.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ppmcli.analysis.context import context
from ppmcli.analysis.filters import select_projects
from ppmcli.analysis.resources.ranges import person_time_off, span
from ppmcli.analysis.resources.workdays import WorkCalendar
from ppmcli.core.errors import PpmError, counted
from ppmcli.core.findings import cut, quote
from ppmcli.core.model import Person, Phase, Workspace
from ppmcli.core.names import did_you_mean

__all__ = [
    "Booking",
    "Conflict",
    "ConflictsReport",
    "Helper",
    "Segment",
    "bookings_by_person",
    "conflicts_report",
    "find_conflicts",
    "load_segments",
    "person_conflicts",
    "select_conflicts",
    "suggest_helpers",
]

_ONE_DAY = timedelta(days=1)
# FTE sums are binary floats: 0.1 + 0.2 must not count as above a capacity of 0.3.
EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Booking:
    """One named allocation that counts as a person's load.

    Attributes:
        project: Project id.
        index: Position of the entry in the project's `team` list.
        start: First day (inclusive).
        end: Last day (inclusive).
        fte: Load in FTE on every day of the range.
    """

    project: str
    index: int
    start: date
    end: date
    fte: float


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of days over which a person's bookings do not change.

    Attributes:
        start: First day (inclusive).
        end: Last day (inclusive).
        load: Sum of the bookings' FTE.
        bookings: The bookings active on every day of the stretch.
    """

    start: date
    end: date
    load: float
    bookings: tuple[Booking, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A maximal run of over-allocated available days of one person.

    Attributes:
        person: Person id.
        start: First over-allocated day (`from`).
        end: Last over-allocated day (`to`).
        peak: Highest load on those days, in FTE.
        capacity: The person's capacity in FTE (without tolerance).
        days: Number of over-allocated available days in the run.
        projects: Sorted ids of the projects with an allocation on one of those days.
        bookings: Those allocations, as (project id, team index), sorted.
        loads: (first day, last day, load in FTE) of each stretch of the run above capacity, in date order
            (days between stretches are unavailable ones); not part of what makes two conflicts equal.
    """

    person: str
    start: date
    end: date
    peak: float
    capacity: float
    days: int
    projects: tuple[str, ...]
    bookings: tuple[tuple[str, int], ...]
    loads: tuple[tuple[date, date, float], ...] = field(default=(), compare=False)

    def within(self, other: Conflict) -> bool:
        """Whether this conflict over-allocates its person in no way `other` did: every day of its stretches lies in one
        of `other`'s, no further above capacity (as shown, to 4 decimals), on no more available days (a stretch spans
        the person's time off: time off taken back over-books days `other` did not)."""
        if self.person != other.person or not (other.start <= self.start and self.end <= other.end) or self.days > other.days:
            return False
        # Both in date order: one walk over `other`'s stretches (a branch may give a person thousands of them).
        stretches = iter(other.loads)
        stretch = next(stretches, None)
        for start, end, load in self.loads:
            excess = round(load - self.capacity, 4)
            day = start
            while day <= end:
                while stretch is not None and stretch[1] < day:
                    stretch = next(stretches, None)
                if stretch is None or stretch[0] > day:
                    return False  # a day no stretch of `other` over-booked
                if round(stretch[2] - other.capacity, 4) < excess:
                    return False
                day = stretch[1] + _ONE_DAY
        return True


def finding_opening(conflict: Conflict) -> str:
    """How the `overallocation` finding of a conflict opens: who, and when; a diff tells by it which finding a conflict made."""
    return f"{cut(conflict.person)} is over-allocated from {conflict.start} to {conflict.end} ({counted(conflict.days, 'day')}): "


@dataclass(frozen=True, slots=True)
class Helper:
    """Someone with the same role who has room while a conflict lasts.

    Attributes:
        person: Person id.
        free_days: Person-days of capacity left unbooked over the conflict's dates.
        free_fte: `free_days` spread over the working days of those dates, in FTE.
    """

    person: str
    free_days: float
    free_fte: float


def bookings_by_person(ws: Workspace, *, tentative: bool = False, excluding: frozenset[tuple[str, int]] = frozenset()) -> dict[str, list[Booking]]:
    """Named allocations that count as load, per known person.

    Args:
        ws: The workspace.
        tentative: Count proposed projects' allocations too.
        excluding: (project id, team index) of allocations that count as no load (`ppm check`'s fte typos).

    Returns:
        Person id → bookings (in project id, team order); people without any are absent.
    """
    result: dict[str, list[Booking]] = {}
    for pid, project in ws.projects.items():
        if not (project.phase.is_committed or (tentative and project.phase is Phase.PROPOSED)):
            continue
        for index, entry in enumerate(project.team):
            if entry.person is not None and entry.person in ws.people and (pid, index) not in excluding:
                start, end = span(entry)
                if start <= end:
                    result.setdefault(entry.person, []).append(Booking(pid, index, start, end, entry.fte))
    return result


def load_segments(bookings: Sequence[Booking]) -> list[Segment]:
    """Cut a person's bookings into stretches of constant load (the sweep).

    Args:
        bookings: The person's bookings.

    Returns:
        Segments in date order, each with at least one booking; days with no
        booking belong to no segment.
    """
    return [Segment(*stretch) for stretch in _sweep(bookings)]


def _sweep(bookings: Sequence[Booking]) -> Iterator[tuple[date, date, float, tuple[Booking, ...]]]:
    """The fields of each `Segment`, in date order; as plain tuples, since the conflict search keeps only the few over capacity."""
    # Load changes only where a booking starts or the day after one ends.
    starting: dict[date, list[Booking]] = {}
    ending: dict[date, list[Booking]] = {}
    for booking in bookings:
        starting.setdefault(booking.start, []).append(booking)
        ending.setdefault(booking.end + _ONE_DAY, []).append(booking)
    boundaries = sorted(starting.keys() | ending.keys())
    active: dict[int, Booking] = {}
    for here, following in zip(boundaries, boundaries[1:]):
        for booking in ending.get(here, ()):
            del active[id(booking)]
        for booking in starting.get(here, ()):
            active[id(booking)] = booking
        if active:
            current = tuple(active.values())
            # fsum: the load does not depend on the order bookings were added in.
            yield here, following - _ONE_DAY, math.fsum([b.fte for b in current]), current


class _Availability:
    """A person's available days: working days outside their (merged) time off."""

    __slots__ = ("calendar", "time_off", "_off_starts", "_off_ends")

    def __init__(self, calendar: WorkCalendar, person: Person) -> None:
        self.calendar = calendar
        self.time_off = person_time_off(person)
        self._off_starts = [start for start, _ in self.time_off]
        self._off_ends = [end for _, end in self.time_off]

    def count(self, start: date, end: date) -> int:
        # Only the (merged, sorted) ranges that reach [start, end]: most calls meet none, and then nothing is merged again.
        inside = self.time_off[bisect_left(self._off_ends, start) : bisect_right(self._off_starts, end)]
        return self.calendar.available(start, end, inside)

    def _off_holding(self, day: date) -> tuple[date, date] | None:
        """The time-off range holding `day`, if any."""
        index = bisect_right(self._off_starts, day) - 1
        if index >= 0 and self.time_off[index][1] >= day:
            return self.time_off[index]
        return None

    def first(self, start: date, end: date) -> date:
        """First available day in [start, end]; call only when there is one."""
        day = start
        while day <= end:
            off = self._off_holding(day)
            if off is not None:
                day = off[1] + _ONE_DAY
            elif not self.calendar.is_working(day):
                day += _ONE_DAY
            else:
                return day
        raise ValueError(f"no available day in {start}..{end}")

    def last(self, start: date, end: date) -> date:
        """Last available day in [start, end]; call only when there is one."""
        day = end
        while day >= start:
            off = self._off_holding(day)
            if off is not None:
                day = off[0] - _ONE_DAY
            elif not self.calendar.is_working(day):
                day -= _ONE_DAY
            else:
                return day
        raise ValueError(f"no available day in {start}..{end}")


def person_conflicts(person_id: str, person: Person, bookings: Sequence[Booking], calendar: WorkCalendar, tolerance: float) -> list[Conflict]:
    """One person's conflicts, in date order.

    Only available days matter: a holiday or a day off inside a run neither
    adds to its `days` nor breaks it; an available day that is not over
    capacity + tolerance ends it.

    Args:
        person_id: The person's id.
        person: The person.
        bookings: Their bookings.
        calendar: The working calendar.
        tolerance: FTE above capacity allowed before a day is over-allocated.

    Returns:
        The conflicts, ordered by `from`.
    """
    limit = person.capacity + tolerance + EPSILON
    available = _Availability(calendar, person)
    conflicts: list[Conflict] = []
    run: list[tuple[Segment, int]] = []  # over-allocated segments with their available days
    last_day = date.min
    for start, end, load, active in _sweep(bookings):
        if load <= limit:
            continue
        days = available.count(start, end)
        if days == 0:
            continue
        # Segments below the limit (and days with no booking) between the run and this one break it only with an available day.
        if run and available.count(last_day + _ONE_DAY, start - _ONE_DAY) > 0:
            conflicts.append(_conflict(person_id, person, run, available))
            run = []
        run.append((Segment(start, end, load, active), days))
        last_day = end
    if run:
        conflicts.append(_conflict(person_id, person, run, available))
    return conflicts


def _conflict(person_id: str, person: Person, run: list[tuple[Segment, int]], available: _Availability) -> Conflict:
    bookings = sorted({(b.project, b.index) for segment, _ in run for b in segment.bookings})
    return Conflict(
        person=person_id,
        start=available.first(run[0][0].start, run[0][0].end),
        end=available.last(run[-1][0].start, run[-1][0].end),
        peak=max(segment.load for segment, _ in run),
        capacity=person.capacity,
        days=sum(days for _, days in run),
        projects=tuple(sorted({project for project, _ in bookings})),
        bookings=tuple(bookings),
        loads=tuple((segment.start, segment.end, segment.load) for segment, _ in run),
    )


# The last sweeps, by workspace (identity) and `tentative`: `ppm check`'s rule and `diff` ask for the same
# sweep of one side. The calendar is a function of the workspace's settings, so it needs no key of its own.
_SWEEPS: dict[tuple[int, bool, frozenset[tuple[str, int]]], tuple[Workspace, tuple[Conflict, ...]]] = {}
_MAX_SWEEPS = 4


def find_conflicts(ws: Workspace, calendar: WorkCalendar, *, tentative: bool = False, excluding: frozenset[tuple[str, int]] = frozenset()) -> list[Conflict]:
    """Every conflict of every person, over all projects (swept once per workspace).

    Args:
        ws: The workspace; its settings give the tolerance.
        calendar: The working calendar.
        tentative: Count proposed projects' allocations too.
        excluding: allocations that count as no load (`bookings_by_person`).

    Returns:
        Conflicts ordered by person, then `from`.
    """
    key = (id(ws), tentative, excluding)
    swept = _SWEEPS.get(key)
    if swept is not None and swept[0] is ws:
        return list(swept[1])
    tolerance = ws.settings.checks.overallocation_tolerance if ws.settings is not None else 0.0
    conflicts: list[Conflict] = []
    for person_id, bookings in sorted(bookings_by_person(ws, tentative=tentative, excluding=excluding).items()):
        conflicts.extend(person_conflicts(person_id, ws.people[person_id], bookings, calendar, tolerance))
    if len(_SWEEPS) >= _MAX_SWEEPS:
        _SWEEPS.pop(next(iter(_SWEEPS)))
    _SWEEPS[key] = (ws, tuple(conflicts))
    return conflicts


def select_conflicts(
    ws: Workspace,
    as_of: date,
    *,
    history: bool = False,
    tentative: bool = False,
    person: str | None = None,
    projects: Collection[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    excluding: frozenset[tuple[str, int]] = frozenset(),
) -> list[Conflict]:
    """Conflicts found over all projects, then narrowed to those to show.

    Args:
        ws: The workspace (with valid settings).
        as_of: Conflicts ending before this date are history.
        history: Keep past conflicts too (`--all`).
        tentative: Count proposed projects' allocations too.
        person: Only this person's conflicts.
        projects: Only conflicts involving one of these project ids (shown whole); None for all.
        start: `--from`: only conflicts ending on or after it (it replaces the `as_of` cut); None for none.
        end: `--to`: only conflicts starting on or before it; None for none.
        excluding: allocations that count as no load (`bookings_by_person`).

    Returns:
        Conflicts ordered by person, then `from`.

    Raises:
        PpmError: `person` names nobody (or one whose file is invalid); `end` is before `start`.
    """
    if person is not None and ws.is_invalid("people", person):
        raise PpmError(f"--person: {ws.invalid_file('people', person, 'their bookings cannot be checked')}")
    if person is not None and person not in ws.people:
        raise PpmError(f"--person: no person {quote(person)}{did_you_mean(person, ws.people)}")
    if start is not None and end is not None and end < start:
        raise PpmError(f"--to {end} is before --from {start}")
    lowest = start if start is not None else (None if history else as_of)
    calendar = context(ws).calendar
    return [
        c
        for c in find_conflicts(ws, calendar, tentative=tentative, excluding=excluding)
        if (lowest is None or c.end >= lowest)
        and (end is None or c.start <= end)
        and (person is None or c.person == person)
        and (projects is None or any(p in projects for p in c.projects))
    ]


# Each conflict is weighed against every other person of its role: a bound on that work (about a second).
MAX_SUGGEST_PAIRS = 100_000


def suggest_helpers(ws: Workspace, conflicts: Sequence[Conflict], *, tentative: bool = False) -> list[tuple[Helper, ...]]:
    """For each conflict, people of the same role with unbooked capacity over its dates.

    Free capacity of a candidate = Σ over their available days in [from, to] of
    max(0, capacity − load), load counted as for conflicts.

    Args:
        ws: The workspace (with valid settings).
        conflicts: The conflicts to help with.
        tentative: Count proposed projects' allocations as load too.

    Returns:
        Per conflict, the helpers with free capacity, most free first (then by id).

    Raises:
        PpmError: more than MAX_SUGGEST_PAIRS (conflict, candidate) pairs to weigh.
    """
    calendar = context(ws).calendar
    bookings = bookings_by_person(ws, tentative=tentative)
    by_role: dict[str, list[str]] = {}
    for pid, person in ws.people.items():
        by_role.setdefault(person.role, []).append(pid)
    pairs = sum(len(by_role[ws.people[conflict.person].role]) - 1 for conflict in conflicts)
    if pairs > MAX_SUGGEST_PAIRS:
        raise PpmError(
            f"--suggest would weigh {len(conflicts):,} conflicts against the people of their roles ({pairs:,} pairs, above the limit of {MAX_SUGGEST_PAIRS:,}); "
            "narrow it with --person, --portfolio or --tag"
        )
    segments: dict[str, list[Segment]] = {}
    result: list[tuple[Helper, ...]] = []
    for conflict in conflicts:
        working = calendar.count(conflict.start, conflict.end)
        helpers = []
        for candidate in by_role.get(ws.people[conflict.person].role, ()):
            if candidate == conflict.person:
                continue
            person = ws.people[candidate]
            if candidate not in segments:
                segments[candidate] = load_segments(bookings.get(candidate, ()))
            free = _free_days(_Availability(calendar, person), person.capacity, segments[candidate], conflict.start, conflict.end)
            if free > EPSILON:
                helpers.append(Helper(candidate, free, free / working if working else 0.0))
        helpers.sort(key=lambda h: (-h.free_days, h.person))
        result.append(tuple(helpers))
    return result


def _free_days(available: _Availability, capacity: float, segments: Sequence[Segment], start: date, end: date) -> float:
    free = capacity * available.count(start, end)
    for segment in segments:
        lo, hi = max(segment.start, start), min(segment.end, end)
        if lo <= hi:
            free -= min(segment.load, capacity) * available.count(lo, hi)
    return max(free, 0.0)


@dataclass(frozen=True, slots=True)
class ConflictsReport:
    """What `ppm conflicts` shows.

    Attributes:
        conflicts: The conflicts, by person then `from`.
        helpers: With `--suggest`, per conflict, who of the same role has room; else None.
    """

    conflicts: tuple[Conflict, ...]
    helpers: tuple[tuple[Helper, ...], ...] | None


def conflicts_report(
    ws: Workspace,
    as_of: date,
    *,
    history: bool = False,
    tentative: bool = False,
    person: str | None = None,
    portfolio: str | None = None,
    tags: Sequence[str] = (),
    suggest: bool = False,
    start: date | None = None,
    end: date | None = None,
) -> ConflictsReport:
    """The conflicts of `ppm conflicts`, found over all projects and shown where a narrowed project is in one.

    Args:
        ws: The workspace (with valid settings).
        as_of: Conflicts ending before this date are history.
        history: Keep past conflicts too (`--all`).
        tentative: Count proposed projects' allocations too.
        person: Only this person's conflicts.
        portfolio: Only conflicts involving a project of this portfolio.
        tags: Only conflicts involving a project with every one of these tags.
        suggest: Also find who could help with each conflict.
        start: `--from`: only conflicts overlapping the range from this day (instead of from `as_of`).
        end: `--to`: only conflicts overlapping the range up to this day.

    Returns:
        The report.

    Raises:
        PpmError: an unknown person or portfolio, an inverted range.
    """
    narrowed = select_projects(ws, portfolio, tags) if portfolio is not None or tags else None
    found = select_conflicts(ws, as_of, history=history, tentative=tentative, person=person, projects=narrowed, start=start, end=end)
    helpers = tuple(suggest_helpers(ws, found, tentative=tentative)) if suggest else None
    return ConflictsReport(tuple(found), helpers)
