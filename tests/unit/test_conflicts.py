"""Tests for analysis.conflicts: hand-computed conflicts, the sweep against a day-by-day version, suggestions, the check."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ACME, SETTINGS
from ppmcli.analysis.checks.staffing import check_overallocation
from ppmcli.analysis.resources.conflicts import (
    EPSILON,
    Booking,
    Conflict,
    conflicts_report,
    find_conflicts,
    load_segments,
    person_conflicts,
    suggest_helpers,
)
from ppmcli.analysis.resources.ranges import person_time_off
from ppmcli.analysis.resources.workdays import WorkCalendar
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Person, Workspace
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource

D = date
ONE = timedelta(days=1)
# March 2026: Monday 2 .. Friday 13 are ten weekdays; Monday 9 is a holiday in HOLIDAY_CAL.
MON_FRI = WorkCalendar.from_names(["mon", "tue", "wed", "thu", "fri"], [])
HOLIDAY_CAL = WorkCalendar.from_names(["mon", "tue", "wed", "thu", "fri"], [D(2026, 3, 9)])


def person(capacity: float = 1.0, time_off: tuple[tuple[date, date], ...] = ()) -> Person:
    return Person.model_validate(
        {"name": "Ann", "role": "dev", "capacity": capacity, "time_off": [{"from": a, "to": b} for a, b in time_off]}
    )


def book(project: str, start: date, end: date, fte: float, index: int = 0) -> Booking:
    return Booking(project, index, start, end, fte)


def summary(conflicts: list[Conflict]) -> list[tuple]:
    return [(c.start, c.end, round(c.peak, 4), c.days, c.projects) for c in conflicts]


TWO_WEEKS = [book("a", D(2026, 3, 2), D(2026, 3, 13), 0.6), book("b", D(2026, 3, 2), D(2026, 3, 13), 0.6)]


def test_two_overlapping_bookings_make_one_conflict() -> None:
    found = person_conflicts("ann", person(), TWO_WEEKS, MON_FRI, 0.0)
    assert summary(found) == [(D(2026, 3, 2), D(2026, 3, 13), 1.2, 10, ("a", "b"))]
    assert found[0].capacity == 1.0 and found[0].bookings == (("a", 0), ("b", 0))


def test_a_holiday_neither_counts_nor_breaks_the_run() -> None:
    assert summary(person_conflicts("ann", person(), TWO_WEEKS, HOLIDAY_CAL, 0.0)) == [(D(2026, 3, 2), D(2026, 3, 13), 1.2, 9, ("a", "b"))]


def test_time_off_neither_counts_nor_breaks_the_run() -> None:
    ann = person(time_off=((D(2026, 3, 4), D(2026, 3, 6)),))
    assert summary(person_conflicts("ann", ann, TWO_WEEKS, MON_FRI, 0.0)) == [(D(2026, 3, 2), D(2026, 3, 13), 1.2, 7, ("a", "b"))]


def test_from_and_to_are_the_first_and_last_available_over_allocated_days() -> None:
    # Off Monday-Tuesday of the first week and Friday of the second; the 7th and 8th are a weekend.
    ann = person(time_off=((D(2026, 3, 2), D(2026, 3, 3)), (D(2026, 3, 13), D(2026, 3, 13))))
    bookings = [book("a", D(2026, 3, 1), D(2026, 3, 15), 0.6), book("b", D(2026, 3, 1), D(2026, 3, 15), 0.6)]
    assert summary(person_conflicts("ann", ann, bookings, HOLIDAY_CAL, 0.0)) == [(D(2026, 3, 4), D(2026, 3, 12), 1.2, 6, ("a", "b"))]


def test_capacity_half_is_exceeded_by_one_booking_above_it() -> None:
    over = [book("a", D(2026, 3, 2), D(2026, 3, 6), 0.6)]
    assert summary(person_conflicts("ann", person(0.5), over, MON_FRI, 0.0)) == [(D(2026, 3, 2), D(2026, 3, 6), 0.6, 5, ("a",))]
    exactly = [book("a", D(2026, 3, 2), D(2026, 3, 6), 0.5)]
    assert person_conflicts("ann", person(0.5), exactly, MON_FRI, 0.0) == []


def test_tolerance_allows_load_up_to_capacity_plus_tolerance() -> None:
    assert person_conflicts("ann", person(), TWO_WEEKS, MON_FRI, 0.2) == []
    above = [*TWO_WEEKS, book("c", D(2026, 3, 5), D(2026, 3, 5), 0.1)]
    found = person_conflicts("ann", person(), above, MON_FRI, 0.2)
    assert summary(found) == [(D(2026, 3, 5), D(2026, 3, 5), 1.3, 1, ("a", "b", "c"))]
    assert found[0].capacity == 1.0  # without tolerance


def test_an_available_day_at_capacity_breaks_the_run() -> None:
    bookings = [
        book("a", D(2026, 3, 2), D(2026, 3, 13), 0.6),
        book("b", D(2026, 3, 2), D(2026, 3, 4), 0.6),
        book("c", D(2026, 3, 6), D(2026, 3, 13), 0.6),
    ]
    assert summary(person_conflicts("ann", person(), bookings, MON_FRI, 0.0)) == [
        (D(2026, 3, 2), D(2026, 3, 4), 1.2, 3, ("a", "b")),
        (D(2026, 3, 6), D(2026, 3, 13), 1.2, 6, ("a", "c")),
    ]


def test_a_weekend_or_a_day_off_between_over_allocated_days_does_not_break_the_run() -> None:
    bookings = [
        book("a", D(2026, 3, 2), D(2026, 3, 13), 0.6),
        book("b", D(2026, 3, 2), D(2026, 3, 6), 0.6),
        book("c", D(2026, 3, 9), D(2026, 3, 13), 0.7),
    ]
    assert summary(person_conflicts("ann", person(), bookings, MON_FRI, 0.0)) == [(D(2026, 3, 2), D(2026, 3, 13), 1.3, 10, ("a", "b", "c"))]
    # The break day (Thursday 5th) is off: no available day at capacity in between, so one run.
    broken = [book("a", D(2026, 3, 2), D(2026, 3, 13), 0.6), book("b", D(2026, 3, 2), D(2026, 3, 4), 0.6), book("c", D(2026, 3, 6), D(2026, 3, 13), 0.6)]
    ann = person(time_off=((D(2026, 3, 5), D(2026, 3, 5)),))
    assert summary(person_conflicts("ann", ann, broken, MON_FRI, 0.0)) == [(D(2026, 3, 2), D(2026, 3, 13), 1.2, 9, ("a", "b", "c"))]


def test_over_allocation_only_on_days_off_is_no_conflict() -> None:
    weekend = [book("a", D(2026, 3, 1), D(2026, 3, 31), 0.6), book("b", D(2026, 3, 7), D(2026, 3, 8), 0.6)]
    assert person_conflicts("ann", person(), weekend, MON_FRI, 0.0) == []
    assert person_conflicts("ann", person(), [book("a", D(2026, 3, 9), D(2026, 3, 9), 2.0)], HOLIDAY_CAL, 0.0) == []


def test_fte_sums_are_compared_without_binary_noise() -> None:
    bookings = [book("a", D(2026, 3, 2), D(2026, 3, 6), 0.1), book("b", D(2026, 3, 2), D(2026, 3, 6), 0.2)]
    assert person_conflicts("ann", person(0.3), bookings, MON_FRI, 0.0) == []


def test_a_conflict_across_the_year_boundary() -> None:
    calendar = WorkCalendar.from_names(["mon", "tue", "wed", "thu", "fri"], [D(2026, 12, 25), D(2027, 1, 1)])
    bookings = [book("a", D(2026, 12, 21), D(2027, 1, 8), 0.6), book("b", D(2026, 12, 24), D(2027, 1, 5), 0.6)]
    # Dec 24, 28-31 and Jan 4-5: 7 days; the 25th and the 1st are holidays.
    assert summary(person_conflicts("ann", person(), bookings, calendar, 0.0)) == [(D(2026, 12, 24), D(2027, 1, 5), 1.2, 7, ("a", "b"))]


# ---------------------------------------------------------------- the sweep against a day-by-day version


def slow_conflicts(person_id: str, who: Person, bookings: list[Booking], calendar: WorkCalendar, tolerance: float) -> list[Conflict]:
    """The definition, day by day: runs of over-allocated available days, broken by an available day not over."""
    if not bookings:
        return []
    off = person_time_off(who)
    conflicts: list[Conflict] = []
    run: list[tuple[date, float, list[Booking]]] = []

    def close() -> None:
        if run:
            active = sorted({(b.project, b.index) for _, _, bs in run for b in bs})
            conflicts.append(Conflict(person_id, run[0][0], run[-1][0], max(load for _, load, _ in run), who.capacity, len(run), tuple(sorted({p for p, _ in active})), tuple(active)))
            run.clear()

    day = min(b.start for b in bookings)
    while day <= max(b.end for b in bookings):
        available = calendar.is_working(day) and not any(a <= day <= b for a, b in off)
        if available:
            active = [b for b in bookings if b.start <= day <= b.end]
            load = math.fsum(b.fte for b in active)
            if load > who.capacity + tolerance + EPSILON:
                run.append((day, load, active))
            else:
                close()
        day += ONE
    close()
    return conflicts


FIRST = D(2026, 12, 14)
day_offsets = st.integers(min_value=0, max_value=50)
ftes = st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5, 0.6, 0.7, 1.0])


@st.composite
def scenarios(draw):
    raw = draw(st.lists(st.tuples(day_offsets, st.integers(0, 30), ftes), min_size=0, max_size=7))
    bookings = [book(f"p{i % 3}", FIRST + timedelta(days=s), FIRST + timedelta(days=s + n), fte, index=i) for i, (s, n, fte) in enumerate(raw)]
    offs = draw(st.lists(st.tuples(day_offsets, st.integers(0, 10)), max_size=3))
    time_off = tuple((FIRST + timedelta(days=s), FIRST + timedelta(days=s + n)) for s, n in offs)
    holidays = [FIRST + timedelta(days=d) for d in draw(st.lists(day_offsets, max_size=5))]
    workdays = draw(st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=0, max_size=7))
    capacity = draw(st.sampled_from([0.0, 0.5, 0.8, 1.0]))
    tolerance = draw(st.sampled_from([0.0, 0.1, 0.25]))
    return bookings, person(capacity, time_off), WorkCalendar.from_names(sorted(workdays), holidays), tolerance


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_sweep_finds_the_same_conflicts_as_a_day_by_day_walk(scenario) -> None:
    bookings, who, calendar, tolerance = scenario
    assert person_conflicts("ann", who, bookings, calendar, tolerance) == slow_conflicts("ann", who, bookings, calendar, tolerance)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_segments_give_every_day_its_load(scenario) -> None:
    bookings = scenario[0]
    segments = load_segments(bookings)
    covered: dict[date, float] = {}
    for segment in segments:
        assert segment.start <= segment.end
        day = segment.start
        while day <= segment.end:
            assert day not in covered  # segments never overlap
            covered[day] = segment.load
            day += ONE
    day = FIRST
    while day <= FIRST + timedelta(days=90):
        active = [b.fte for b in bookings if b.start <= day <= b.end]
        assert covered.get(day) == (math.fsum(active) if active else None)
        day += ONE


# ---------------------------------------------------------------- over a workspace

PROJECT = """\
name: {name}
portfolio: {portfolio}
manager: pm
phase: {phase}
start: 2026-03-02
end: 2026-03-31
budget: 100000
tags: [{tag}]
scores: {{financial_value: 3, urgency: 3, risk: 3}}
team:
{team}
"""


def project(phase: str, team: list[str], portfolio: str = "main", tag: str = "x") -> str:
    return PROJECT.format(name=phase, phase=phase, portfolio=portfolio, tag=tag, team="\n".join(f"  - {entry}" for entry in team))


FILES = {
    "portfolios/main.yaml": "name: Main\nowner: pm\n",
    "portfolios/other.yaml": "name: Other\nowner: pm\n",
    "people/pm.yaml": "name: PM\nrole: manager\ncapacity: 0\n",
    "people/ann.yaml": "name: Ann\nrole: dev\n",
    "people/bea.yaml": "name: Bea\nrole: dev\n",
    "people/cal.yaml": "name: Cal\nrole: dev\ncapacity: 0.5\n",
    "people/dan.yaml": "name: Dan\nrole: qa\n",
    "projects/a.yaml": project("execution", ["{person: ann, fte: 0.6}", "{person: bea, fte: 0.5, from: 2026-03-02, to: 2026-03-13}"]),
    "projects/b.yaml": project("planning", ["{person: ann, fte: 0.6, from: 2026-03-16, to: 2026-03-20}", "{role: dev, fte: 3}"], portfolio="other", tag="y"),
    "projects/c.yaml": project("proposed", ["{person: ann, fte: 0.6, from: 2026-03-02, to: 2026-03-06}", "{person: dan, fte: 0.2}"]),
    "projects/d.yaml": project("closed", ["{person: ann, fte: 1}"]),
}


@pytest.fixture
def ws(make_workspace) -> Workspace:
    workspace, _ = load(FileSource(make_workspace(FILES)))
    return workspace


def test_only_committed_named_allocations_count_unless_tentative(ws: Workspace) -> None:
    committed = find_conflicts(ws, MON_FRI)
    assert summary(committed) == [(D(2026, 3, 16), D(2026, 3, 20), 1.2, 5, ("a", "b"))]
    tentative = find_conflicts(ws, MON_FRI, tentative=True)
    assert summary(tentative) == [(D(2026, 3, 2), D(2026, 3, 6), 1.2, 5, ("a", "c")), (D(2026, 3, 16), D(2026, 3, 20), 1.2, 5, ("a", "b"))]


def test_conflicts_report_keeps_those_ending_on_or_after_as_of(ws: Workspace) -> None:
    assert len(conflicts_report(ws, D(2026, 3, 20)).conflicts) == 1
    assert conflicts_report(ws, D(2026, 3, 21)).conflicts == ()
    assert len(conflicts_report(ws, D(2026, 3, 21), history=True).conflicts) == 1


def test_from_to_keep_the_conflicts_overlapping_the_range(ws: Workspace) -> None:
    # Tentative conflicts: 2026-03-02..06 (a, c) and 2026-03-16..20 (a, b); --from replaces the --as-of cut.
    def shown(start: date | None, end: date | None) -> list[date]:
        return [c.start for c in conflicts_report(ws, D(2026, 12, 1), tentative=True, start=start, end=end).conflicts]

    assert shown(D(2026, 3, 6), D(2026, 3, 16)) == [D(2026, 3, 2), D(2026, 3, 16)]  # each touched by one day
    assert shown(D(2026, 3, 7), D(2026, 3, 15)) == []
    assert shown(D(2026, 3, 7), None) == [D(2026, 3, 16)]
    assert shown(None, D(2026, 3, 15)) == []  # without --from the --as-of cut stands
    assert shown(D(2026, 1, 1), D(2026, 3, 5)) == [D(2026, 3, 2)]
    with pytest.raises(PpmError, match="--to 2026-03-01 is before --from 2026-03-02"):
        shown(D(2026, 3, 2), D(2026, 3, 1))


def test_filters_show_a_conflict_whole_where_a_narrowed_project_is_in_it(ws: Workspace) -> None:
    as_of = D(2026, 3, 1)
    assert [c.projects for c in conflicts_report(ws, as_of, portfolio="other").conflicts] == [("a", "b")]
    assert [c.projects for c in conflicts_report(ws, as_of, tags=["x"], tentative=True).conflicts] == [("a", "c"), ("a", "b")]
    assert conflicts_report(ws, as_of, portfolio="other", tags=["x"]).conflicts == ()
    assert conflicts_report(ws, as_of, person="bea").conflicts == ()
    with pytest.raises(PpmError, match="--person: no person 'anne'; did you mean 'ann'"):
        conflicts_report(ws, as_of, person="anne")


def test_suggestions_name_people_of_the_role_with_room(ws: Workspace) -> None:
    report = conflicts_report(ws, D(2026, 3, 1), suggest=True)
    # Over 2026-03-16..20 (5 days): bea is free (her booking ended on the 13th): 5 days, 1.0 FTE;
    # cal has capacity 0.5: 2.5 days, 0.5 FTE. dan holds another role.
    assert [(h.person, h.free_days, h.free_fte) for h in report.helpers[0]] == [("bea", 5.0, 1.0), ("cal", 2.5, 0.5)]


def test_suggestions_count_partial_free_capacity(ws: Workspace) -> None:
    conflict = Conflict("ann", D(2026, 3, 9), D(2026, 3, 20), 1.2, 1.0, 10, ("a",), (("a", 0),))
    # bea: 0.5 booked on 9-13 (5 days × 0.5 free) and free 16-20 (5 days): 7.5 over 10 working days.
    helpers = suggest_helpers(ws, [conflict])[0]
    assert [(h.person, h.free_days, h.free_fte) for h in helpers] == [("bea", 7.5, 0.75), ("cal", 5.0, 0.5)]


def test_check_overallocation_reports_at_the_first_allocation_and_names_the_others(ws: Workspace) -> None:
    findings = list(check_overallocation(ws, D(2026, 3, 1)))
    assert [(f.path, f.line, f.column, f.code) for f in findings] == [("projects/a.yaml", 11, 5, "overallocation")]
    assert findings[0].message == (
        "ann is over-allocated from 2026-03-16 to 2026-03-20 (5 days): peak 1.2 FTE against capacity 1.0 on a, b;"
        " also booked at projects/b.yaml:11"
    )
    assert list(check_overallocation(ws, D(2026, 3, 21))) == []


def test_tolerance_comes_from_settings(make_workspace) -> None:
    root = make_workspace(FILES, settings=SETTINGS + "checks:\n  overallocation_tolerance: 0.2\n")
    workspace, _ = load(FileSource(root))
    assert find_conflicts(workspace, MON_FRI) == []


def test_acme_has_one_committed_conflict_and_one_tentative() -> None:
    workspace, _ = load(FileSource(ACME))
    as_of = D(2026, 11, 25)
    assert [(c.person, c.start, c.end, c.peak, c.capacity, c.days, c.projects) for c in conflicts_report(workspace, as_of).conflicts] == [
        ("alice", D(2026, 11, 2), D(2027, 1, 29), 1.2, 1.0, 59, ("customer-mobile-app", "payments-gateway-upgrade")),
    ]
    tentative = conflicts_report(workspace, as_of, tentative=True).conflicts
    assert [(c.person, c.start, c.end, c.days) for c in tentative] == [
        ("alice", D(2026, 11, 2), D(2027, 1, 29), 59),
        ("quinn", D(2027, 4, 5), D(2027, 8, 31), 105),
    ]


def _stretches(draw_days: list[tuple[int, int, int]]) -> tuple[tuple[date, date, float], ...]:
    """Stretches in date order from (gap before, length, load in tenths), days from 2027-01-01."""
    found, day = [], date(2027, 1, 1)
    for gap, length, tenths in draw_days:
        first = day + timedelta(days=gap)
        found.append((first, first + timedelta(days=length - 1), tenths / 10))
        day = first + timedelta(days=length)
    return tuple(found)


_STRETCH = st.tuples(st.integers(0, 3), st.integers(1, 4), st.integers(11, 16))


@settings(max_examples=500, deadline=None)
@given(st.lists(_STRETCH, min_size=1, max_size=5), st.lists(_STRETCH, min_size=1, max_size=5), st.sampled_from([1.0, 0.8]))
def test_within_is_the_day_by_day_comparison(mine, theirs, capacity):
    from ppmcli.analysis.resources.conflicts import Conflict

    def conflict(stretches, capacity):
        return Conflict("ann", stretches[0][0], stretches[-1][1], max(s[2] for s in stretches), capacity, 1, ("p",), (("p", 0),), stretches)

    head, base = conflict(_stretches(mine), capacity), conflict(_stretches(theirs), 1.0)
    excess_on = {}
    for first, last, load in base.loads:
        day = first
        while day <= last:
            excess_on[day] = round(load - base.capacity, 4)
            day += timedelta(days=1)
    slow = True
    for first, last, load in head.loads:
        day = first
        while day <= last:
            slow = slow and day in excess_on and excess_on[day] >= round(load - head.capacity, 4)
            day += timedelta(days=1)
    assert head.within(base) == slow
