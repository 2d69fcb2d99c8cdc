"""The stable JSON of the analysis commands: fixed key order (the order records are built in), explicit rounding.

Money and scores are rounded to 2 decimals, ratios (SPI, CPI, utilization, FTE) to 4;
dates are ISO strings.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any


def money(value: float | None) -> float | None:
    """Money and scores: 2 decimals (None stays null)."""
    return None if value is None or not math.isfinite(value) else _clean(round(value, 2))


def ratio(value: float | None) -> float | None:
    """SPI, CPI, utilization, FTE: 4 decimals."""
    return None if value is None or not math.isfinite(value) else _clean(round(value, 4))


def _clean(value: float) -> float | int:
    # -0.0 prints as "-0.0"; whole numbers print without ".0" so output reads like the input.
    if value == 0:
        return 0
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def dumps(data: Any) -> str:
    """JSON text of already-rounded records, two-space indented, one trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
