"""The workbook writer (render.xlsx): valid parts, Excel's calendar and escapes (openpyxl decodes `_xHHHH_` as Excel does), and the same workbook XlsxWriter writes.

XlsxWriter, a well-kept writer of the same format, is the reference: random sheets written by both and read
back by openpyxl hold the same values, types, number formats, colours, frozen rows, filters and widths.
"""

from __future__ import annotations

import enum
import io
import math
import re
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppmcli.core.errors import PpmError
from ppmcli.render.xlsx import BAND_STYLES, MAX_ROWS, Column, Sheet, column_letter, render_workbook

REFERENCE_FORMATS = {"int": "0", "number": "#,##0.00", "money": "#,##0.00", "ratio": "0.0000", "percent": "0.00%", "date": "yyyy-mm-dd"}


def reference_workbook(sheets: list[Sheet]) -> bytes:
    """The same sheets through XlsxWriter, as `export xlsx` wrote them before it had its own writer."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False})
    header = book.add_format({"bold": True, "bottom": 1})
    styles = {
        "over": {"bg_color": "#C00000", "font_color": "#FFFFFF", "bold": True}, "full": {"bg_color": "#FFD966", "font_color": "#000000"},
        "healthy": {"bg_color": "#A9D08E", "font_color": "#000000"}, "under-used": {"font_color": "#008B8B"}, "gap": {"bg_color": "#7030A0", "font_color": "#FFFFFF", "bold": True},
    }
    formats = {(kind, None): book.add_format({"num_format": code}) for kind, code in REFERENCE_FORMATS.items()}
    formats.update({(kind, band): book.add_format({"num_format": code, **style}) for kind, code in REFERENCE_FORMATS.items() for band, style in styles.items()})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        kinds = [column.kind for column in sheet.columns]
        widths = [max(len(column.header), {"int": 8, "number": 12, "money": 16, "ratio": 9, "percent": 9, "date": 11, "bool": 7}.get(column.kind, 0)) for column in sheet.columns]
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(sheet.rows), 1), len(kinds) - 1)
        for col, column in enumerate(sheet.columns):
            ws.write_string(0, col, column.header, header)
        for number, row in enumerate(sheet.rows, start=1):
            for col, value in enumerate(row):
                band = sheet.bands[number - 1][col] if sheet.bands else None
                style = formats.get((kinds[col], band))
                if value is None:
                    if band is not None:
                        ws.write_blank(number, col, None, style)
                elif isinstance(value, str):
                    ws.write_string(number, col, value[:32767])
                    widths[col] = max(widths[col], len(value[:32767]))
                elif isinstance(value, bool):
                    ws.write_boolean(number, col, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(number, col, value, style)
                else:
                    ws.write_datetime(number, col, datetime(value.year, value.month, value.day), formats.get(("date", band)))
        for col, width in enumerate(widths):
            ws.set_column(col, col, min(width + 2, 60))
    book.close()
    return buffer.getvalue()


def read_back(data: bytes) -> list[dict]:
    """Per sheet what a user sees: every cell's value, type, format and colours; frozen rows, filter and widths."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = []
    for ws in book.worksheets:
        cells = {
            cell.coordinate: (cell.value, cell.data_type, cell.number_format, cell.fill.fill_type, cell.fill.fgColor.rgb, cell.font.b, font_rgb(cell.font.color))
            for row in ws.iter_rows() for cell in row if cell.value is not None or cell.has_style
        }
        widths = {letter: dimension.width for letter, dimension in ws.column_dimensions.items()}
        sheets.append({"name": ws.title, "cells": cells, "frozen": ws.freeze_panes, "filter": ws.auto_filter.ref, "widths": widths})
    return sheets


def font_rgb(colour) -> str | None:
    """A font's own colour; None for the default (XlsxWriter names the theme's text colour, which is the default too)."""
    return colour.rgb if colour is not None and colour.type == "rgb" else None


KINDS = ["text", "int", "number", "money", "ratio", "percent", "date", "bool"]
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
VALUES = {
    "text": TEXT, "bool": st.booleans(), "date": st.dates(min_value=date(1900, 1, 1)),
    "int": st.integers(-10**15, 10**15), # Figures of at most 15 significant digits (as Excel shows them): XlsxWriter writes 16 (`%.16G`), which can miss the
    # exact double this writer writes by its last digit.
    **{kind: st.floats(-1e15, 1e15, allow_nan=False).map(lambda x: float(f"{x:.15g}")) for kind in ("number", "money", "ratio", "percent")},
}


@st.composite
def sheets(draw) -> list[Sheet]:
    made = []
    for n in range(draw(st.integers(1, 3))):
        columns = [Column(draw(TEXT) or "h", kind) for kind in draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))]
        rows = draw(st.lists(st.tuples(*(st.none() | VALUES[column.kind] | TEXT for column in columns)), max_size=5))
        bands = draw(st.lists(st.lists(st.none() | st.sampled_from(list(BAND_STYLES)), min_size=len(columns), max_size=len(columns)), min_size=len(rows), max_size=len(rows)) | st.just([]))
        made.append(Sheet(f"Sheet {n}", columns, [list(row) for row in rows], bands))
    return made


@settings(max_examples=150, deadline=None)
@given(sheets())
def test_the_same_workbook_as_xlsxwriter_writes(drawn):
    assert read_back(render_workbook(drawn)) == read_back(reference_workbook(drawn))


def excel_strings(data: bytes) -> list[str]:
    """The shared strings as Excel reads them: XML text, then its `_xHHHH_` escapes decoded left to right (openpyxl decodes only `_x005F_`)."""
    table = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml"))
    texts = ["".join(item.itertext()) for item in table]
    return [re.sub("_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match.group(1), 16)), text) for text in texts]


def test_hostile_text_reads_back_as_written():
    texts = ["=HYPERLINK(\"http://evil\",\"x\")", "<r><t>x</t></r>", "a & b < c > d \" '", " lead", "trail\t", "line\r\nbreak", "\x00\x01\x1f", "_x0041_ stays", "_x005F_", "\ufffe\uffff", "مرحبا", "x" * 40_000]
    data = render_workbook([Sheet("S", [Column("Text")], [[text] for text in texts])])
    assert excel_strings(data) == ["Text", *(text[:32_767] for text in texts)]
    assert all(row[0].data_type == "s" for row in openpyxl.load_workbook(io.BytesIO(data))["S"].iter_rows(min_row=2))


def test_a_lone_surrogate_is_escaped_not_a_crash():
    data = render_workbook([Sheet("S", [Column("Text")], [["a\ud800b"]])])
    assert "<t>a_xD800_b</t>" in zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml").decode()


def test_dates_in_excels_calendar():
    # Excel counts 1900-01-01 as 1 and has a 29 February 1900, so 1 March 1900 is 61; 2026-01-01 is 46023.
    days = [date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(2026, 1, 1), date(1899, 12, 31)]
    data = render_workbook([Sheet("S", [Column("Day", "date")], [[day] for day in days])])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r'<c r="A\d+" s="\d+"><v>(\d+)</v>', sheet) == ["1", "59", "61", "46023"]
    read = openpyxl.load_workbook(io.BytesIO(data))["S"]
    assert [row[0].value for row in read.iter_rows(min_row=2)] == [datetime(1900, 1, 1), datetime(1900, 2, 28), datetime(1900, 3, 1), datetime(2026, 1, 1), "1899-12-31"]


def test_a_figure_excel_cannot_hold_is_its_error_value():
    read = openpyxl.load_workbook(io.BytesIO(render_workbook([Sheet("S", [Column("X", "number")], [[math.inf], [math.nan], [1.5]])])))["S"]
    assert [row[0].value for row in read.iter_rows(min_row=2)] == ["#NUM!", "#NUM!", 1.5]


def test_values_of_subclasses_are_written_as_their_plain_values():
    class Phase(str, enum.Enum):
        EXECUTION = "execution"

    class Count(enum.IntEnum):
        THREE = 3

    sheet = Sheet("S", [Column("Text"), Column("N", "int"), Column("Day", "date"), Column("Flag", "bool")], [[Phase.EXECUTION, Count.THREE, datetime(2026, 1, 1, 13, 30), True]])
    read = openpyxl.load_workbook(io.BytesIO(render_workbook([sheet])))["S"]
    assert [cell.value for cell in read[2]] == ["execution", 3, datetime(2026, 1, 1), True]
    with pytest.raises(TypeError, match="cannot write list to a cell"):
        render_workbook([Sheet("S", [Column("X")], [[[1]]])])


def test_a_sheet_larger_than_excel_is_refused():
    with pytest.raises(PpmError, match=r"the Big sheet would have 1,048,577 rows; Excel holds at most 1,048,576"):
        render_workbook([Sheet("Big", [Column("X")], [["x"]] * MAX_ROWS)])


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 701, 702, 16_383)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA", "XFD"]


def test_every_part_is_well_formed_listed_and_dated_alike():
    data = render_workbook([Sheet("Ranking & more", [Column("A"), Column("B", "money")], [["x", 1.5]]), Sheet("It's", [Column("C", "date")], [])])
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    parsed = {name: ElementTree.fromstring(archive.read(name)) for name in names}
    parts = {node.get("PartName", "").lstrip("/") for node in parsed["[Content_Types].xml"]} - {""}
    assert parts == {name for name in names if not name.endswith(".rels") and name != "[Content_Types].xml"}
    targets = {"xl/" + node.get("Target") for node in parsed["xl/_rels/workbook.xml.rels"]} | {node.get("Target") for node in parsed["_rels/.rels"]}
    assert targets == parts
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ranking & more", "It's"] and book["It's"].auto_filter.ref == "A1:A2"
    assert book.properties.creator == "ppm" and book.properties.created == datetime(2000, 1, 1)

