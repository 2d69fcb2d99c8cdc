"""How amounts of money read in messages and reports, the same in a finding and in a diff."""

from __future__ import annotations


def amount(value: float) -> str:
    """Thousands separated, cents only when there are any: 700,000 and 1,234.50."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
