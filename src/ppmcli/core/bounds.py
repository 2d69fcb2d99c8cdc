"""The limits that keep every command's work bounded whatever a workspace or an option holds.

Kept free of heavy imports: the command line checks its date options against them
before anything else is loaded.
"""

from __future__ import annotations

import re
from datetime import date

# The days ppm plans in. Far enough from date.min and date.max that every derived date (a period's end,
# twelve months on, a status deadline) stays a date, and narrow enough that a calendar over it is cheap.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
# Sub-folders group entity files; nothing real nests this deep (the loader reads no deeper, the stat snapshot vouches for nothing deeper).
MAX_FOLDER_DEPTH = 64


def outside_window(day: date) -> str | None:
    """Why `day` cannot be planned with (the end of a sentence), or None when it is inside the window."""
    return None if FIRST_DAY <= day <= LAST_DAY else outside_years(day.year)


def outside_years(year: int) -> str | None:
    """Why a month of `year` (year 0 included, which no date has) cannot be planned with, or None."""
    if FIRST_DAY.year <= year <= LAST_DAY.year:
        return None
    return f"is outside the years ppm plans in ({FIRST_DAY.year} to {LAST_DAY.year})"


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits: \d also matches ٢٠٢٦


def iso_day(text: str) -> date:
    """A date written exactly YYYY-MM-DD (Python alone also reads 20261125 and 2026-W48-3).

    Raises:
        ValueError: not written so, or no such day (its message says why, in words: "2026-02 has 28 days").
    """
    if not ISO_DAY.fullmatch(text):
        raise ValueError("not written YYYY-MM-DD")
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
    if year == 0:
        raise ValueError("there is no year 0000")
    if not 1 <= month <= 12:
        raise ValueError(f"there is no month {text[5:7]}")
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    length = 29 if month == 2 and leap else _MONTH_DAYS[month - 1]
    if not 1 <= day <= length:
        raise ValueError(f"{text[:7]} has {length} days")
    return date(year, month, day)
