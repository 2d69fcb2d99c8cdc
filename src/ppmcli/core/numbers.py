"""How amounts of money read in messages and reports, the same in a finding and in a diff; how one written
by a person (an option, a spreadsheet cell) is read; and a file's number as the decimal it was written as."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def written_number(text: str) -> Decimal | None:
    """A number as a person writes it (`5000000`, `5_000_000`, `5,000,000`, `4.5e6`), exactly; None when it is not one,
    a comma anywhere but between groups of three digits (`1,00`) included."""
    text = text.strip()
    if not text.isascii() or "," in text and not _GROUPED.fullmatch(text):
        return None  # digits of other scripts ('１２３', '٥٠٠') are numbers to Python, not to YAML
    try:
        return Decimal(text.replace("_", "").replace(",", ""))
    except InvalidOperation:
        return None


def amount(value: float) -> str:
    """Thousands separated, cents only when there are any: 700,000 and 1,234.50."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@lru_cache(maxsize=65536)
def exact(number: float) -> Fraction:
    """The decimal a YAML number was written as, exactly: 0.1 is 1/10, so 0.1 + 0.2 == 0.3.

    `repr` of a float is the shortest decimal that reads back as the same float,
    which is what the file said for any number with up to 15 significant digits.
    """
    if number.is_integer():
        return Fraction(int(number))
    return Fraction(Decimal(repr(number)))
