"""Render layer: sheets of typed cells as one Excel workbook (XlsxWriter), byte for byte the same for the same input.

Numbers and dates are written as numbers and dates with a number format, never
as text; every string goes through `write_string`, so a name such as `=HYPERLINK(…)`
stays text and never becomes a formula. Document properties and the zip
entries carry a fixed timestamp.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ppmcli.core.errors import PpmError

# Number formats by column kind.
NUMBER_FORMATS = {
    "int": "0",
    "number": "#,##0.00",
    "money": "#,##0.00",
    "ratio": "0.0000",
    "percent": "0.00%",
    "date": "yyyy-mm-dd",
}
# Fill and font of the capacity bands, as the terminal heat map draws them (render.capacity.BANDS).
BAND_STYLES: dict[str, dict[str, Any]] = {
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
    """One worksheet: columns, rows of values, and optionally per row the band of each cell (the capacity heat map)."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    bands: Sequence[Sequence[str | None]] = ()


# Widths of the figure columns (their cells are not measured: a figure's text is about this long).
_WIDTHS = {"int": 8, "number": 12, "money": 16, "ratio": 9, "percent": 9, "date": 11, "bool": 7}


def writer() -> Any:
    """The XlsxWriter module (the CLI asks for it before loading, so a missing extra is said at once).

    Raises:
        PpmError: XlsxWriter (the `xlsx` extra) is not installed.
    """
    try:
        import xlsxwriter
    except ImportError:
        raise PpmError("export xlsx needs XlsxWriter; install it with: pip install 'ppmcli[xlsx]'") from None
    return xlsxwriter


def render_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes.

    Raises:
        PpmError: XlsxWriter (the `xlsx` extra) is not installed.
    """
    xlsxwriter = writer()
    buffer = io.BytesIO()
    # In memory: no temporary files; XlsxWriter stamps zip entries with a fixed date, so only `created` needs fixing.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"created": CREATED, "author": "ppm", "title": "Portfolio"})
    header = book.add_format({"bold": True, "bottom": 1})
    formats: dict[tuple[str, str | None], Any] = {(kind, None): book.add_format({"num_format": pattern}) for kind, pattern in NUMBER_FORMATS.items()}
    formats.update({(kind, band): book.add_format({"num_format": NUMBER_FORMATS.get(kind, "General"), **style}) for kind in NUMBER_FORMATS for band, style in BAND_STYLES.items()})
    for sheet in sheets:
        _write_sheet(book.add_worksheet(sheet.name), sheet, header, formats)
    book.close()
    return buffer.getvalue()


def _write_sheet(ws: Any, sheet: Sheet, header: Any, formats: dict[tuple[str, str | None], Any]) -> None:
    kinds = [column.kind for column in sheet.columns]
    widths = [max(len(column.header), _WIDTHS.get(column.kind, 0)) for column in sheet.columns]
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(sheet.rows), 1), len(kinds) - 1)
    for col, column in enumerate(sheet.columns):
        ws.write_string(0, col, column.header, header)
    no_bands: Sequence[None] = [None] * len(kinds)
    for number, row in enumerate(sheet.rows, start=1):
        bands = sheet.bands[number - 1] if sheet.bands else no_bands
        for col, value in enumerate(row):
            kind, band = kinds[col], bands[col]
            if value is None:
                if band is not None:
                    ws.write_blank(number, col, None, formats.get((kind, band)))
            elif isinstance(value, str):
                text = value[:MAX_CELL]
                ws.write_string(number, col, text)
                if len(text) > widths[col]:
                    widths[col] = len(text)
            elif isinstance(value, bool):
                ws.write_boolean(number, col, value)
            elif isinstance(value, (int, float)):
                ws.write_number(number, col, value, formats.get((kind, band)))
            elif isinstance(value, date):
                ws.write_datetime(number, col, datetime(value.year, value.month, value.day), formats.get(("date", band)))
            else:
                raise TypeError(f"cannot write {type(value).__name__} to a cell")
    for col, width in enumerate(widths):
        ws.set_column(col, col, min(width + 2, MAX_WIDTH))
