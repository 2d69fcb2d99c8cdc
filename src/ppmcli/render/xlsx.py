"""Render layer: sheets of typed cells as one Excel workbook (XlsxWriter), byte for byte the same for the same input.

Numbers and dates are written as numbers and dates with a number format, never
as text; every string goes through `write_string`, so a name such as `=HYPERLINK(…)`
stays text and never becomes a formula. Document properties and the zip
entries carry a fixed timestamp.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ppmcli.core.errors import PpmError

# Number formats by column kind.
FORMATS = {
    "int": "0",
    "number": "#,##0.00",
    "money": "#,##0.00",
    "ratio": "0.0000",
    "percent": "0.00%",
    "date": "yyyy-mm-dd",
}
# Fill and font of the capacity bands, as the terminal heat map draws them (render.capacity.BANDS).
BAND_STYLES = {
    "over": {"bg_color": "#C00000", "font_color": "#FFFFFF", "bold": True},
    "full": {"bg_color": "#FFD966", "font_color": "#000000"},
    "healthy": {"bg_color": "#A9D08E", "font_color": "#000000"},
    "under-used": {"font_color": "#008B8B"},
    "gap": {"bg_color": "#7030A0", "font_color": "#FFFFFF", "bold": True},
}
# A fixed creation time: the same input gives the same bytes.
CREATED = datetime(2000, 1, 1)
MAX_CELL = 32_767  # Excel's limit on the characters of a cell
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, int, number, money, ratio, percent, date, bool


@dataclass
class Sheet:
    """One worksheet: columns, rows of values, and per row an optional band for the cells of the `banded` columns."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    bands: Sequence[str | None] = ()
    banded: frozenset[str] = field(default_factory=frozenset)


def render_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes.

    Raises:
        PpmError: XlsxWriter (the `xlsx` extra) is not installed.
    """
    try:
        import xlsxwriter
    except ImportError:
        raise PpmError("export xlsx needs XlsxWriter; install it with: pip install 'ppmcli[xlsx]'") from None
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"created": CREATED, "author": "ppm", "title": "Portfolio"})
    header = book.add_format({"bold": True, "bottom": 1})
    formats = {kind: book.add_format({"num_format": pattern}) for kind, pattern in FORMATS.items()}
    banded = {(kind, band): book.add_format({"num_format": FORMATS.get(kind, "General"), **style}) for kind in FORMATS for band, style in BAND_STYLES.items()}
    for sheet in sheets:
        _write_sheet(book.add_worksheet(sheet.name), sheet, header, formats, banded)
    book.close()
    return buffer.getvalue()


def _write_sheet(ws: Any, sheet: Sheet, header: Any, formats: dict[str, Any], banded: dict[tuple[str, str], Any]) -> None:
    widths = [len(column.header) for column in sheet.columns]
    for col, column in enumerate(sheet.columns):
        ws.write_string(0, col, column.header, header)
    bands = list(sheet.bands) or [None] * len(sheet.rows)
    for number, (row, band) in enumerate(zip(sheet.rows, bands), start=1):
        for col, (value, column) in enumerate(zip(row, sheet.columns)):
            style = banded[(column.kind, band)] if band in BAND_STYLES and column.header in sheet.banded and column.kind in FORMATS else formats.get(column.kind)
            widths[col] = max(widths[col], _write(ws, number, col, value, column.kind, style))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.columns) - 1)
    for col, width in enumerate(widths):
        ws.set_column(col, col, min(width + 2, MAX_WIDTH))


def _write(ws: Any, row: int, col: int, value: Any, kind: str, style: Any) -> int:
    """Write one typed cell; returns the characters it shows (for the column width)."""
    if value is None:
        ws.write_blank(row, col, None, style)
        return 0
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
        return 5
    if isinstance(value, (int, float)):
        ws.write_number(row, col, value, style)
        return len(f"{value:,.2f}") if kind != "percent" else 8
    if isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), style)
        return 10
    text = str(value)[:MAX_CELL]
    ws.write_string(row, col, text)
    return len(text)
