"""Tests for the working-day calendar and reporting periods."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppmcli.analysis.resources.workdays import (
    WEEKDAYS,
    Period,
    WorkCalendar,
    add_months,
    merge_ranges,
    months_between,
    period_of,
    periods,
)

D = date
MON_FRI = WorkCalendar.from_names(["mon", "tue", "wed", "thu", "fri"], [])
# New Year's Day 2026 is a Thursday; 2026-01-03 is a Saturday holiday that must not count twice.
JAN_CAL = WorkCalendar.from_names(
    ["mon", "tue", "wed", "thu", "fri"], [D(2026, 1, 1), D(2026, 1, 3), D(2025, 12, 25)]
)


# --- slow reference implementations -------------------------------------------------


def slow_count(cal: WorkCalendar, start: date, end: date) -> int:
    n = 0
    day = start
    while day <= end:
        if day.weekday() in cal.workdays and day not in cal.holidays:
            n += 1
        day += timedelta(days=1)
    return n


def slow_available(
    cal: WorkCalendar, start: date, end: date, time_off: list[tuple[date, date]]
) -> int:
    n = 0
    day = start
    while day <= end:
        off = any(a <= day <= b for a, b in time_off)
        if day.weekday() in cal.workdays and day not in cal.holidays and not off:
            n += 1
        day += timedelta(days=1)
    return n


# --- construction ----------------------------------------------------------------------


def test_from_names_maps_weekdays_and_normalises() -> None:
    holidays = [D(2026, 5, 1), D(2026, 1, 1), D(2026, 1, 1)]
    cal = WorkCalendar.from_names(["Fri", "mon", "mon"], holidays)
    assert cal.workdays == (0, 4)
    assert cal.holidays == (D(2026, 1, 1), D(2026, 5, 1))
    assert cal == WorkCalendar((4, 0), (D(2026, 5, 1), D(2026, 1, 1)))
    assert hash(cal) == hash(WorkCalendar((4, 0), (D(2026, 5, 1), D(2026, 1, 1))))
    assert WEEKDAYS[cal.workdays[1]] == "fri"


def test_from_names_rejects_unknown_day() -> None:
    with pytest.raises(ValueError, match="unknown weekday"):
        WorkCalendar.from_names(["mon", "funday"], [])


def test_rejects_out_of_range_weekday_index() -> None:
    with pytest.raises(ValueError):
        WorkCalendar((0, 7), ())


def test_is_working() -> None:
    assert JAN_CAL.is_working(D(2026, 1, 2))  # Friday
    assert not JAN_CAL.is_working(D(2026, 1, 1))  # holiday
    assert not JAN_CAL.is_working(D(2026, 1, 4))  # Sunday


# --- hand-computed counts ----------------------------------------------------------------


def test_count_month_with_holiday() -> None:
    # January 2026: 22 weekdays; New Year's Day (Thursday) is a holiday, and the
    # Saturday holiday must not be subtracted.
    assert MON_FRI.count(D(2026, 1, 1), D(2026, 1, 31)) == 22
    assert JAN_CAL.count(D(2026, 1, 1), D(2026, 1, 31)) == 21


def test_count_across_year_boundary() -> None:
    # Mon 2025-12-29 .. Fri 2026-01-02: five weekdays, one of them New Year's Day.
    assert MON_FRI.count(D(2025, 12, 29), D(2026, 1, 2)) == 5
    assert JAN_CAL.count(D(2025, 12, 29), D(2026, 1, 2)) == 4
    # Christmas (Thursday) through the first week of January.
    assert JAN_CAL.count(D(2025, 12, 22), D(2026, 1, 9)) == 15 - 2


def test_count_single_weekend_day_and_inverted_range() -> None:
    assert MON_FRI.count(D(2026, 1, 3), D(2026, 1, 3)) == 0
    assert MON_FRI.count(D(2026, 1, 5), D(2026, 1, 5)) == 1
    assert MON_FRI.count(D(2026, 1, 9), D(2026, 1, 5)) == 0
    assert MON_FRI.available(D(2026, 1, 9), D(2026, 1, 5), [(D(2026, 1, 1), D(2026, 1, 31))]) == 0


def test_count_sunday_to_thursday_week() -> None:
    cal = WorkCalendar.from_names(["sun", "mon", "tue", "wed", "thu"], [D(2026, 1, 2)])
    assert cal.count(D(2026, 1, 4), D(2026, 1, 10)) == 5  # Sun..Sat
    assert cal.count(D(2026, 1, 9), D(2026, 1, 10)) == 0  # Fri, Sat
    assert cal.count(D(2026, 1, 4), D(2026, 1, 4)) == 1  # Sunday works
    # January 2026: 4 Sun + 4 Mon + 4 Tue + 4 Wed + 5 Thu; the Friday holiday is off anyway.
    assert cal.count(D(2026, 1, 1), D(2026, 1, 31)) == 21


def test_empty_work_week() -> None:
    cal = WorkCalendar((), ())
    assert cal.count(D(2026, 1, 1), D(2026, 12, 31)) == 0
    starts = np.array(["2026-01-01"], "datetime64[D]")
    ends = np.array(["2026-02-01"], "datetime64[D]")
    assert cal.count_many(starts, ends).tolist() == [0]
    assert cal.working_days(D(2026, 1, 1), D(2026, 1, 31)).size == 0


# --- available ---------------------------------------------------------------------------


def test_available_overlapping_time_off_counts_once() -> None:
    # Jan 5-9 and Jan 7-13 merge to Jan 5-13: 7 working days off.
    off = [(D(2026, 1, 7), D(2026, 1, 13)), (D(2026, 1, 5), D(2026, 1, 9))]
    assert JAN_CAL.available(D(2026, 1, 1), D(2026, 1, 31), off) == 21 - 7


def test_available_adjacent_time_off() -> None:
    off = [(D(2026, 1, 5), D(2026, 1, 9)), (D(2026, 1, 10), D(2026, 1, 16))]
    assert JAN_CAL.available(D(2026, 1, 1), D(2026, 1, 31), off) == 21 - 10


def test_available_time_off_reaching_outside_range() -> None:
    # Only Jan 2 is both in range and a working day (Jan 1 is a holiday).
    off = [(D(2025, 12, 20), D(2026, 1, 2)), (D(2026, 3, 1), D(2026, 3, 31))]
    assert JAN_CAL.available(D(2026, 1, 1), D(2026, 1, 31), off) == 20
    assert JAN_CAL.available(D(2026, 1, 1), D(2026, 1, 31), []) == 21


def test_merge_ranges() -> None:
    assert merge_ranges([]) == []
    assert merge_ranges(
        [
            (D(2026, 1, 10), D(2026, 1, 12)),
            (D(2026, 1, 1), D(2026, 1, 3)),
            (D(2026, 1, 4), D(2026, 1, 5)),  # adjacent to the first
            (D(2026, 1, 2), D(2026, 1, 2)),  # inside it
            (D(2026, 1, 11), D(2026, 1, 20)),  # overlaps
            (D(2026, 2, 5), D(2026, 2, 1)),  # inverted: empty
        ]
    ) == [(D(2026, 1, 1), D(2026, 1, 5)), (D(2026, 1, 10), D(2026, 1, 20))]


# --- vectorised helpers ------------------------------------------------------------------


def test_count_many_matches_count() -> None:
    starts = np.array(["2026-01-01", "2025-12-29", "2026-01-03", "2026-01-09"], "datetime64[D]")
    ends = np.array(["2026-01-31", "2026-01-02", "2026-01-03", "2026-01-05"], "datetime64[D]")
    got = JAN_CAL.count_many(starts, ends)
    assert got.dtype == np.int64
    assert got.tolist() == [21, 4, 0, 0]


def test_working_days() -> None:
    days = JAN_CAL.working_days(D(2025, 12, 31), D(2026, 1, 6))
    assert days.dtype == np.dtype("datetime64[D]")
    expected = [D(2025, 12, 31), D(2026, 1, 2), D(2026, 1, 5), D(2026, 1, 6)]
    assert [d.item() for d in days] == expected
    assert JAN_CAL.working_days(D(2026, 1, 6), D(2026, 1, 5)).size == 0


# --- periods -----------------------------------------------------------------------------


def test_iso_week_53() -> None:
    w53 = Period(D(2026, 12, 28), D(2027, 1, 3), "2026-W53")
    assert period_of(D(2026, 12, 28), "week") == w53
    assert period_of(D(2027, 1, 3), "week") == w53
    assert period_of(D(2027, 1, 4), "week").key == "2027-W01"
    assert period_of(D(2026, 1, 7), "week") == Period(D(2026, 1, 5), D(2026, 1, 11), "2026-W02")
    # 2025-12-29 belongs to ISO year 2026.
    assert period_of(D(2025, 12, 29), "week").key == "2026-W01"


def test_months_and_quarters_across_year_boundary() -> None:
    assert [p.key for p in months_between(D(2025, 11, 15), D(2026, 2, 1))] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    qs = periods(D(2025, 11, 15), D(2026, 4, 1), "quarter")
    assert qs == [
        Period(D(2025, 10, 1), D(2025, 12, 31), "2025-Q4"),
        Period(D(2026, 1, 1), D(2026, 3, 31), "2026-Q1"),
        Period(D(2026, 4, 1), D(2026, 6, 30), "2026-Q2"),
    ]
    assert period_of(D(2028, 2, 29), "month") == Period(D(2028, 2, 1), D(2028, 2, 29), "2028-02")
    assert period_of(D(2026, 2, 10), "month").end == D(2026, 2, 28)


def test_periods_weeks_and_edge_cases() -> None:
    weeks = periods(D(2026, 12, 30), D(2027, 1, 5), "week")
    assert [w.key for w in weeks] == ["2026-W53", "2027-W01"]
    assert periods(D(2026, 2, 1), D(2026, 1, 1), "month") == []
    assert periods(D(2026, 1, 1), D(2026, 1, 1), "month") == [period_of(D(2026, 1, 1), "month")]
    with pytest.raises(ValueError):
        periods(D(2026, 1, 1), D(2026, 2, 1), "year")
    with pytest.raises(ValueError):
        period_of(D(2026, 1, 1), "fortnight")


def test_periods_sort_in_time_order() -> None:
    ps = periods(D(2026, 1, 1), D(2026, 12, 31), "month")
    assert sorted(reversed(ps)) == ps


def test_add_months() -> None:
    assert add_months(D(2026, 3, 15), 12) == D(2027, 3, 1)
    assert add_months(D(2026, 11, 30), 2) == D(2027, 1, 1)
    assert add_months(D(2026, 1, 31), -1) == D(2025, 12, 1)
    assert add_months(D(2026, 1, 1), 0) == D(2026, 1, 1)
    # Twelve months from the period holding as_of.
    first = period_of(D(2026, 3, 15), "month").start
    assert months_between(first, add_months(first, 12) - timedelta(days=1))[-1].key == "2027-02"


# --- property tests ----------------------------------------------------------------------

BASE = D(2024, 1, 1)
days_strategy = st.integers(min_value=0, max_value=3 * 366).map(lambda n: BASE + timedelta(days=n))


@st.composite
def calendars(draw: st.DrawFn) -> WorkCalendar:
    workdays = draw(st.sets(st.integers(0, 6)))
    holidays = draw(st.lists(days_strategy, max_size=30))
    return WorkCalendar(tuple(workdays), tuple(holidays))


@st.composite
def ranges(draw: st.DrawFn) -> tuple[date, date]:
    # Mostly ordered ranges, some inverted ones.
    a = draw(days_strategy)
    b = draw(days_strategy)
    return (a, b) if draw(st.booleans()) else (min(a, b), max(a, b))


@settings(max_examples=300, deadline=None)
@given(calendars(), ranges())
def test_count_matches_day_by_day(cal: WorkCalendar, rng: tuple[date, date]) -> None:
    start, end = rng
    expected = slow_count(cal, start, end)
    assert cal.count(start, end) == expected
    assert cal.working_days(start, end).size == expected
    assert all(cal.is_working(d.item()) for d in cal.working_days(start, end))


@settings(max_examples=200, deadline=None)
@given(calendars(), st.lists(ranges(), min_size=1, max_size=20))
def test_count_many_matches_count(cal: WorkCalendar, rngs: list[tuple[date, date]]) -> None:
    starts = np.array([a for a, _ in rngs], dtype="datetime64[D]")
    ends = np.array([b for _, b in rngs], dtype="datetime64[D]")
    assert cal.count_many(starts, ends).tolist() == [cal.count(a, b) for a, b in rngs]


@settings(max_examples=300, deadline=None)
@given(calendars(), ranges(), st.lists(ranges(), max_size=8))
def test_available_matches_day_by_day(
    cal: WorkCalendar, rng: tuple[date, date], time_off: list[tuple[date, date]]
) -> None:
    start, end = rng
    assert cal.available(start, end, time_off) == slow_available(cal, start, end, time_off)


@settings(max_examples=200, deadline=None)
@given(calendars(), ranges(), st.lists(st.integers(0, 3 * 366), max_size=10))
def test_counts_over_partition_sum_to_whole(
    cal: WorkCalendar, rng: tuple[date, date], cuts: list[int]
) -> None:
    start, end = min(rng), max(rng)
    span = (end - start).days
    points = sorted({c % (span + 1) for c in cuts if c % (span + 1) > 0})
    bounds = [start, *(start + timedelta(days=p) for p in points), end + timedelta(days=1)]
    pieces = [(bounds[i], bounds[i + 1] - timedelta(days=1)) for i in range(len(bounds) - 1)]
    assert sum(cal.count(a, b) for a, b in pieces) == cal.count(start, end)
    off = [(start + timedelta(days=3), start + timedelta(days=10))]
    assert sum(cal.available(a, b, off) for a, b in pieces) == cal.available(start, end, off)


@settings(max_examples=200, deadline=None)
@given(st.lists(ranges(), max_size=12))
def test_merge_ranges_covers_same_days(rngs: list[tuple[date, date]]) -> None:
    merged = merge_ranges(rngs)
    covered = {a + timedelta(days=i) for a, b in rngs for i in range((b - a).days + 1)}
    got = {a + timedelta(days=i) for a, b in merged for i in range((b - a).days + 1)}
    assert got == covered
    for (_, b1), (a2, _) in zip(merged, merged[1:]):
        assert (a2 - b1).days > 1  # disjoint and not adjacent


@settings(max_examples=200, deadline=None)
@given(ranges(), st.sampled_from(["week", "month", "quarter"]))
def test_periods_tile_the_range(rng: tuple[date, date], by: str) -> None:
    start, end = min(rng), max(rng)
    ps = periods(start, end, by)
    assert ps[0].start <= start <= ps[0].end
    assert ps[-1].start <= end <= ps[-1].end
    for prev, nxt in zip(ps, ps[1:]):
        assert nxt.start == prev.end + timedelta(days=1)
    assert len({p.key for p in ps}) == len(ps)
    for p in ps:
        assert period_of(p.start, by) == p
        assert period_of(p.end, by) == p
