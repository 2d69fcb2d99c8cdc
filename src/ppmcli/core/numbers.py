"""How amounts of money read in messages and reports, the same in a finding and in a diff; and how one written
by a person (an option, a spreadsheet cell) is read."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def written_number(text: str) -> Decimal | None:
    """A number as a person writes it (`5000000`, `5_000_000`, `5,000,000`, `4.5e6`), exactly; None when it is not one,
    a comma anywhere but between groups of three digits (`1,00`) included."""
    text = text.strip()
    if "," in text and not _GROUPED.fullmatch(text):
        return None
    try:
        return Decimal(text.replace("_", "").replace(",", ""))
    except InvalidOperation:
        return None


def amount(value: float) -> str:
    """Thousands separated, cents only when there are any: 700,000 and 1,234.50."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
