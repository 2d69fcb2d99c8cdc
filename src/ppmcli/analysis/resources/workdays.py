"""Working-day calendar and reporting periods.

Pure date arithmetic for the analysis layer: which days are working days
(weekday in the organisation's work week and not a holiday), how many there
are in an inclusive range, how many of them a person has outside their time
off, and the ISO-week / month / quarter periods that capacity and reports are
bucketed into. All ranges are inclusive at both ends.

Nothing here reads files or prints.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from ppmcli.core.model import Settings

__all__ = [
    "PERIOD_KINDS",
    "WEEKDAYS",
    "Period",
    "WorkCalendar",
    "add_months",
    "calendar_of",
    "merge_ranges",
    "months_between",
    "period_of",
    "periods",
]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_ONE_DAY = timedelta(days=1)
PERIOD_KINDS = ("week", "month", "quarter")


def _as_date(value: date) -> date:
    """Drop any time part: ``datetime`` is a ``date`` subclass but compares badly with one."""
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """An organisation's working days: a work week minus holidays.

    ``workdays`` and ``holidays`` are normalised on construction (sorted,
    without duplicates), so two calendars built from the same days in a
    different order compare equal.

    Attributes:
        workdays: Working weekdays, 0 = Monday .. 6 = Sunday.
        holidays: Non-working dates. A holiday on a weekday outside the work
            week is harmless: it is never subtracted twice.
    """

    workdays: tuple[int, ...]
    holidays: tuple[date, ...]
    # Derived lookups, built once in __post_init__ because count() sits in hot
    # loops (hundreds of thousands of calls per command).
    _working_weekday: tuple[bool, ...] = field(init=False, repr=False, compare=False)
    # _partial[w][r]: working weekdays among the r days starting on weekday w.
    _partial: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    _per_week: int = field(init=False, repr=False, compare=False)
    # Ordinals of holidays that fall on working weekdays, sorted: only these
    # reduce a count, and bisect on ints is cheaper than on dates.
    _holiday_ordinals: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _holiday_set: frozenset[date] = field(init=False, repr=False, compare=False)
    _weekmask: np.ndarray = field(init=False, repr=False, compare=False)
    _holidays_np: np.ndarray = field(init=False, repr=False, compare=False)
    # None when the work week is empty: numpy refuses an all-zero weekmask.
    _busdaycal: np.busdaycalendar | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for day in self.workdays:
            if isinstance(day, bool) or not isinstance(day, (int, np.integer)) or not 0 <= day <= 6:
                raise ValueError(f"workday must be an int 0..6 (0 = Monday), got {day!r}")
        workdays = tuple(sorted({int(day) for day in self.workdays}))
        holidays = tuple(sorted({_as_date(h) for h in self.holidays}))
        working = tuple(d in workdays for d in range(7))
        partial = tuple(
            tuple(sum(working[(w + i) % 7] for i in range(r)) for r in range(7))
            for w in range(7)
        )
        holiday_ordinals = tuple(h.toordinal() for h in holidays if working[h.weekday()])
        weekmask = np.array(working, dtype=bool)
        holidays_np = np.array(holidays, dtype="datetime64[D]")
        weekmask.setflags(write=False)
        holidays_np.setflags(write=False)
        busdaycal = np.busdaycalendar(weekmask=weekmask, holidays=holidays_np) if workdays else None

        setattr_ = object.__setattr__  # the dataclass is frozen
        setattr_(self, "workdays", workdays)
        setattr_(self, "holidays", holidays)
        setattr_(self, "_working_weekday", working)
        setattr_(self, "_partial", partial)
        setattr_(self, "_per_week", len(workdays))
        setattr_(self, "_holiday_ordinals", holiday_ordinals)
        setattr_(self, "_holiday_set", frozenset(holidays))
        setattr_(self, "_weekmask", weekmask)
        setattr_(self, "_holidays_np", holidays_np)
        setattr_(self, "_busdaycal", busdaycal)

    @classmethod
    def from_names(cls, workdays: Iterable[str], holidays: Iterable[date]) -> WorkCalendar:
        """Build a calendar from weekday names.

        Args:
            workdays: Weekday names from ``WEEKDAYS`` (``"mon"`` .. ``"sun"``),
                case-insensitive.
            holidays: Non-working dates.

        Returns:
            The calendar.

        Raises:
            ValueError: A name is not a weekday name.
        """
        indices: list[int] = []
        for name in workdays:
            key = name.strip().lower()
            if key not in WEEKDAYS:
                raise ValueError(f"unknown weekday {name!r}; expected one of {', '.join(WEEKDAYS)}")
            indices.append(WEEKDAYS.index(key))
        return cls(workdays=tuple(indices), holidays=tuple(holidays))

    def is_working(self, day: date) -> bool:
        """Tell whether a day is a working day.

        Args:
            day: The date.

        Returns:
            True when its weekday is in the work week and it is not a holiday.
        """
        day = _as_date(day)
        return self._working_weekday[day.weekday()] and day not in self._holiday_set

    def count(self, start: date, end: date) -> int:
        """Count working days in ``[start, end]``, both ends inclusive.

        Args:
            start: First day of the range.
            end: Last day of the range.

        Returns:
            The number of working days; 0 when ``end < start``.
        """
        first = start.toordinal()
        last = end.toordinal()
        if last < first:
            return 0
        # Whole weeks contribute a fixed number of days; the remainder is a
        # table lookup keyed by the weekday the range starts on.
        weeks, rest = divmod(last - first + 1, 7)
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is weekday().
        days = weeks * self._per_week + self._partial[(first - 1) % 7][rest]
        ordinals = self._holiday_ordinals
        if ordinals:
            days -= bisect_right(ordinals, last) - bisect_left(ordinals, first)
        return days

    def count_many(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Count working days in many inclusive ranges at once.

        Args:
            starts: First days, convertible to ``datetime64[D]``.
            ends: Last days, same shape as ``starts`` (or broadcastable).

        Returns:
            An ``int64`` array of counts, 0 where ``end < start``.
        """
        begin = np.asarray(starts, dtype="datetime64[D]")
        stop = np.asarray(ends, dtype="datetime64[D]")
        shape = np.broadcast_shapes(begin.shape, stop.shape)
        if self._busdaycal is None:
            return np.zeros(shape, dtype=np.int64)
        # busday_count is half-open [begin, end); our ranges are inclusive.
        counts = np.busday_count(begin, stop + np.timedelta64(1, "D"), busdaycal=self._busdaycal)
        # An inverted range gives a negative count from numpy; it is empty.
        return np.maximum(np.asarray(counts, dtype=np.int64), 0).reshape(shape)

    def available(self, start: date, end: date, time_off: Sequence[tuple[date, date]]) -> int:
        """Count working days in ``[start, end]`` outside the time-off ranges.

        Args:
            start: First day of the range.
            end: Last day of the range.
            time_off: Inclusive ``(first, last)`` ranges; they may overlap or
                reach outside ``[start, end]``. Inverted ranges are empty.

        Returns:
            The number of available days; 0 when ``end < start``.
        """
        days = self.count(start, end)
        if days == 0 or not time_off:
            return days
        # Merge first so a day inside two overlapping ranges is removed once.
        for off_start, off_end in merge_ranges(time_off):
            lo = max(off_start, start)
            hi = min(off_end, end)
            if lo <= hi:
                days -= self.count(lo, hi)
        return days

    def working_days(self, start: date, end: date) -> np.ndarray:
        """List the working days in ``[start, end]``.

        Args:
            start: First day of the range.
            end: Last day of the range.

        Returns:
            A sorted ``datetime64[D]`` array, empty when ``end < start``.
        """
        start = _as_date(start)
        end = _as_date(end)
        if end < start or self._busdaycal is None:
            return np.array([], dtype="datetime64[D]")
        days = np.arange(
            np.datetime64(start, "D"), np.datetime64(end, "D") + np.timedelta64(1, "D")
        )
        return days[np.is_busday(days, busdaycal=self._busdaycal)]


def merge_ranges(ranges: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sort inclusive date ranges and merge those that overlap or touch.

    Args:
        ranges: Inclusive ``(first, last)`` ranges in any order. A range with
            ``last < first`` is empty and dropped.

    Returns:
        Disjoint, non-adjacent ranges in ascending order covering the same days.
    """
    merged: list[tuple[date, date]] = []
    for first, last in sorted((_as_date(a), _as_date(b)) for a, b in ranges if b >= a):
        # Adjacent ranges (next starts the day after) merge too: same days, fewer pieces.
        if merged and first.toordinal() <= merged[-1][1].toordinal() + 1:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A reporting period: an ISO week, a calendar month or a quarter.

    Attributes:
        start: First day.
        end: Last day (inclusive).
        key: ``"2026-W02"`` (ISO week-numbering year and week), ``"2026-01"``
            or ``"2026-Q1"``.
    """

    start: date
    end: date
    key: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= _as_date(day) <= self.end


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - _ONE_DAY


def period_of(day: date, by: str) -> Period:
    """Find the period of a kind that holds a day.

    Args:
        day: The date.
        by: ``"week"`` (ISO week, Monday to Sunday), ``"month"`` or ``"quarter"``.

    Returns:
        The period holding ``day``.

    Raises:
        ValueError: ``by`` is not a period kind.
    """
    day = _as_date(day)
    if by == "week":
        iso = day.isocalendar()
        start = day - timedelta(days=iso.weekday - 1)
        # The ISO year, not day.year: 2027-01-03 is in 2026-W53.
        return Period(start, start + timedelta(days=6), f"{iso.year:04d}-W{iso.week:02d}")
    if by == "month":
        return Period(
            date(day.year, day.month, 1),
            _month_end(day.year, day.month),
            f"{day.year:04d}-{day.month:02d}",
        )
    if by == "quarter":
        quarter = (day.month - 1) // 3 + 1
        first_month = 3 * quarter - 2
        return Period(
            date(day.year, first_month, 1),
            _month_end(day.year, first_month + 2),
            f"{day.year:04d}-Q{quarter}",
        )
    raise ValueError(f"unknown period {by!r}; expected one of {', '.join(PERIOD_KINDS)}")


def periods(start: date, end: date, by: str) -> list[Period]:
    """List the whole periods that overlap ``[start, end]``, in order.

    The first period may begin before ``start`` and the last end after
    ``end``: periods are never clipped.

    Args:
        start: First day of the range.
        end: Last day of the range (inclusive).
        by: ``"week"``, ``"month"`` or ``"quarter"``.

    Returns:
        Consecutive periods; empty when ``end < start``.

    Raises:
        ValueError: ``by`` is not a period kind.
    """
    if by not in PERIOD_KINDS:
        raise ValueError(f"unknown period {by!r}; expected one of {', '.join(PERIOD_KINDS)}")
    end = _as_date(end)
    result: list[Period] = []
    if end < _as_date(start):
        return result
    current = period_of(start, by)
    while True:
        result.append(current)
        if current.end >= end or current.end == date.max:
            return result
        current = period_of(current.end + _ONE_DAY, by)


def months_between(start: date, end: date) -> list[Period]:
    """List the calendar months overlapping ``[start, end]``.

    Args:
        start: First day of the range.
        end: Last day of the range (inclusive).

    Returns:
        The same as ``periods(start, end, "month")``.
    """
    return periods(start, end, "month")


def add_months(day: date, months: int) -> date:
    """Move to the first day of the month ``months`` months after ``day``'s.

    The day of month is deliberately dropped: the result is always a first
    of month, so ``add_months(first, 12) - 1 day`` is the last day of the
    twelve months starting with ``first``'s month.

    Args:
        day: Any date; only its year and month matter.
        months: Months to move, negative to go back.

    Returns:
        The first day of the target month.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, 1)


def calendar_of(settings: Settings) -> WorkCalendar:
    """The organisation's working calendar.

    Args:
        settings: `ppm.yaml`.

    Returns:
        The calendar of `settings.calendar` (work week and holidays).
    """
    return WorkCalendar.from_names(settings.calendar.workdays, settings.calendar.holidays)
