"""Analysis layer: the range engine under capacity, demand and labor cost.

Weighted date ranges (an allocation, a person's capacity) are counted in
working days per period, vectorized over every range × period pair with numpy,
on top of `workdays.WorkCalendar`, never by walking days. A person's range
counts only their available days (time off taken out).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from ppmcli.analysis.resources.workdays import Period, WorkCalendar, merge_ranges
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Allocation, Person


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


# The (allocation, period) pairs a selection under capacity may weigh: 20,000 projects over four years take 840,000.
# Allocations spanning centuries (a hostile workspace of 450 KB) took 38 million, and 6.75 GB as the solver's cells.
MAX_DEMAND_PAIRS = 5_000_000


def _pieces(
    calendar: WorkCalendar, periods: Sequence[Period], begin: np.ndarray, finish: np.ndarray, weight: np.ndarray, rows: np.ndarray, limit: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, period index, weight × working days) of every (range, period it overlaps) pair, in range order.

    Raises:
        PpmError: there would be more than `limit` pairs (counted before any is made).
    """
    period_starts = _days([p.start for p in periods])
    period_ends = _days([p.end for p in periods])
    # Periods each range overlaps: from the first ending on or after its start
    # to the last starting on or before its end.
    first = np.searchsorted(period_ends, begin, side="left")
    last = np.searchsorted(period_starts, finish, side="right") - 1
    spans = np.maximum(last - first + 1, 0)
    if limit is not None and (pairs := int(spans.sum())) > limit:
        raise PpmError(
            f"the capacity limits would weigh {pairs:,} (allocation, month) pairs, more than the {limit:,} ppm takes; "
            "narrow the projects with --portfolio or --tag, or check allocations that span decades"
        )
    owner = np.repeat(np.arange(len(spans)), spans)
    offsets = np.cumsum(spans) - spans
    period = first[owner] + (np.arange(len(owner)) - offsets[owner])
    lo = np.maximum(begin[owner], period_starts[period])
    hi = np.minimum(finish[owner], period_ends[period])
    return rows[owner], period, weight[owner] * calendar.count_many(lo, hi)


_EPOCH = date(1970, 1, 1).toordinal()
_BEYOND_DATES = np.datetime64(f"{date.max.year + 1}-01", "M")


def shift_months(days: np.ndarray, months: int) -> np.ndarray:
    """Each day (`datetime64[D]`) moved `months` calendar months later, the day of the month kept (the month's last day when it is shorter);
    `date.max` past the last year a `date` holds. The arrays' form of `plan.shift`."""
    if months == 0:
        return days
    month = days.astype("datetime64[M]")
    into = (days - month.astype("datetime64[D]")).astype(np.int64)
    # Units named: NumPy 2.5 deprecates adding a bare integer to a date ("generic" timedelta), later an error.
    moved = month + np.timedelta64(months, "M")
    first = moved.astype("datetime64[D]")
    length = ((moved + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    return np.where(moved >= _BEYOND_DATES, np.datetime64(date.max, "D"), first + np.minimum(into, length - 1))


def _days(days: Sequence[date] | np.ndarray) -> np.ndarray:
    if isinstance(days, np.ndarray):
        return days.astype("datetime64[D]", copy=False)
    # Through ordinals: numpy converts a list of `date` objects one slow call at a time.
    ordinals = np.fromiter(map(date.toordinal, days), dtype=np.int64, count=len(days))
    return (ordinals - _EPOCH).astype("datetime64[D]")


class Ranges:
    """Weighted ranges collected for one computation; a person's range counts only their available days.

    Each person's time off is merged once, the first time one of their ranges is
    added, however many allocations they have.
    """

    __slots__ = ("starts", "ends", "weights", "rows", "people", "_number", "_time_off", "_moved")

    def __init__(self) -> None:
        self.starts: list[date] = []
        self.ends: list[date] = []
        self.weights: list[float] = []
        self.rows: list[int] = []
        self.people: list[int] = []  # per range: the number of its person's time off, −1 for none
        self._number: dict[int, int] = {}  # id(person) → number
        self._time_off: list[list[tuple[date, date]]] = []
        self._moved: list[tuple[np.ndarray, int, np.ndarray]] = []  # (ranges, months, rows) of `repeat_moved`

    def add_many(self, starts: Sequence[date], ends: Sequence[date], weights: Sequence[float], rows: Sequence[int], people: Sequence[Person | None]) -> None:
        """`add` of each range in turn: one call for many, as a loop over a whole workspace's allocations wants."""
        self.starts.extend(starts)
        self.ends.extend(ends)
        self.weights.extend(weights)
        self.rows.extend(rows)
        self.people.extend(map(self._time_off_of, people))

    def add(self, start: date, end: date, weight: float, row: int, person: Person | None = None) -> None:
        """Add [start, end] at `weight` to `row`; with `person`, less that person's time off inside it."""
        self.starts.append(start)
        self.ends.append(end)
        self.weights.append(weight)
        self.rows.append(row)
        self.people.append(self._time_off_of(person))

    def _time_off_of(self, person: Person | None) -> int:
        """The number of a person's merged time off (merged the first time they are seen), −1 for none."""
        if person is None:
            return -1
        number = self._number.get(id(person))
        if number is None:
            number = self._number[id(person)] = len(self._time_off)
            self._time_off.append(person_time_off(person))
        return number

    def repeat_moved(self, numbers: np.ndarray, months: int, rows: np.ndarray) -> None:
        """Add the ranges `numbers` again, their dates `months` calendar months later (`shift_months`), in `rows`.

        Weights and people are theirs; a person's time off stays where it is. The copies follow every range added.
        """
        self._moved.append((numbers, months, rows))

    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(starts, ends, weights, rows, people) of every range, moved copies last."""
        begin, finish = _days(self.starts), _days(self.ends)
        weight = np.asarray(self.weights, dtype=np.float64)
        rows = np.asarray(self.rows, dtype=np.int64)
        people = np.asarray(self.people, dtype=np.int64)
        if not self._moved:
            return begin, finish, weight, rows, people
        return (
            np.concatenate([begin, *(shift_months(begin[numbers], months) for numbers, months, _ in self._moved)]),
            np.concatenate([finish, *(shift_months(finish[numbers], months) for numbers, months, _ in self._moved)]),
            np.concatenate([weight, *(weight[numbers] for numbers, _, _ in self._moved)]),
            np.concatenate([rows, *(moved_rows for _, _, moved_rows in self._moved)]),
            np.concatenate([people, *(people[numbers] for numbers, _, _ in self._moved)]),
        )

    def _days_off(self, begin: np.ndarray, finish: np.ndarray, who: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(range index, first, last) of every non-empty intersection of a range with its person's (`who`) time off, in range then date order."""
        sizes = np.array([len(ranges) for ranges in self._time_off] + [0], dtype=np.int64)  # number −1 owns none
        first = np.cumsum(sizes) - sizes
        off_starts = _days([start for ranges in self._time_off for start, _ in ranges])
        off_ends = _days([end for ranges in self._time_off for _, end in ranges])
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
        begin, finish, weight, rows, people = self._arrays()
        owner, lo, hi = self._days_off(begin, finish, people)
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
        row, period, value = _pieces(calendar, periods, *self._expanded(), limit=MAX_DEMAND_PAIRS)
        cells, where = np.unique(row * len(periods) + period, return_inverse=True)
        # As in `spread`: bincount adds each cell's terms in range order.
        return cells // len(periods), cells % len(periods), np.bincount(where, weights=value, minlength=len(cells))

    def available_days(self, calendar: WorkCalendar) -> np.ndarray:
        """Per range, its working days outside its person's time off (exact integers)."""
        begin, finish, _, _, people = self._arrays()
        owner, lo, hi = self._days_off(begin, finish, people)
        off = np.bincount(owner, weights=calendar.count_many(lo, hi), minlength=len(begin))
        return calendar.count_many(begin, finish) - off.astype(np.int64)


def horizon(periods: Sequence[Period]) -> tuple[date, date]:
    """First and last day of consecutive periods."""
    return periods[0].start, periods[-1].end
