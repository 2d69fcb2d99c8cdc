"""Render layer: sheets of typed cells as one Excel workbook (Office Open XML), byte for byte the same for the same input.

The package is written here, not by a library: a workbook of typed cells, one
style table, frozen header rows, filters and column widths is a small, fixed
subset of SpreadsheetML (ECMA-376 part 1, §18), laid out as Excel and
XlsxWriter lay it out; writing it directly is about five times faster than
XlsxWriter's per-cell objects on a large portfolio, and needs no extra.
`tests/unit/test_xlsx_writer.py` writes random sheets with both and reads them
back alike.

Numbers and dates are written as numbers and dates with a number format, never
as text; every string is a shared string, never a formula, so a name such as
`=HYPERLINK(…)` stays text. Strings are escaped for XML, and characters XML
cannot hold are written as Excel's `_xHHHH_` escapes. Document properties and
the zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ppmcli.core.errors import PpmError
from ppmcli.render import escape

# Number formats by column kind: Excel's built-in id where the format is built in, else a custom id (164 and up).
NUMBER_FORMATS = {
    "int": (1, "0"),
    "general": (0, "General"),  # a figure as written (a score input: reach 50000, confidence 0.5)
    "number": (4, "#,##0.00"),
    "money": (4, "#,##0.00"),
    "ratio": (164, "0.0000"),
    "percent": (10, "0.00%"),
    "date": (165, "yyyy-mm-dd"),
    "points": (166, '0.0"%"'),  # a percentage written as its points (45 for 45 %), as the JSON holds it
}
# Fill and font of the capacity bands, as the terminal heat map draws them (render.capacity.BANDS): (fill, font colour, bold).
BAND_STYLES: dict[str, tuple[str | None, str, bool]] = {
    "over": ("C00000", "FFFFFF", True),
    "full": ("FFD966", "000000", False),
    "healthy": ("A9D08E", "000000", False),
    "under-used": (None, "008B8B", False),
    "gap": ("7030A0", "FFFFFF", True),
}
# A fixed creation time: the same input gives the same bytes.
CREATED = "2000-01-01T00:00:00Z"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_CELL = 32_767  # Excel's limit on the characters of a cell
MAX_ROWS = 1_048_576  # and on the rows of a sheet
MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, int, number, money, ratio, percent, points, date, bool


@dataclass
class Sheet:
    """One worksheet: columns, rows of values, and optionally per row the band of each cell (the capacity heat map)."""

    name: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    bands: Sequence[Sequence[str | None]] = ()


# Widths of the figure columns (their cells are not measured: a figure's text is about this long).
_WIDTHS = {"int": 8, "general": 12, "number": 12, "money": 16, "ratio": 9, "percent": 9, "points": 9, "date": 11, "bool": 7}

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SELECTED = ' tabSelected="1"'
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

def _shared_string(text: str) -> str:
    """One `<si>` of the shared strings: escaped, and marked where Excel would otherwise drop its outer spaces."""
    text = escape.spreadsheet_text(text)
    if text != text.strip():
        return f'<si><t xml:space="preserve">{text}</t></si>'
    return f"<si><t>{text}</t></si>"


def column_letter(index: int) -> str:
    """`A` for 0, `Z` for 25, `AA` for 26: the column part of a cell reference."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


NoneType = type(None)
# The types a cell is written from; anything else is first made one of them (`_plain`).
_PLAIN = {str, float, int, bool, date, NoneType}


def _plain(value: Any) -> Any:
    """A value of a subclass (an enum of text, a datetime) as its plain type.

    Raises:
        TypeError: a value no cell can hold.
    """
    if isinstance(value, str):
        return str.__str__(value)  # its text: `str()` of a text enum may be its name
    for kind in (bool, int, float):
        if isinstance(value, kind):
            return kind(value)
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    raise TypeError(f"cannot write {type(value).__name__} to a cell")


def _serial(day: date) -> int | None:
    """Excel's serial number of a day (1900 date system, with its 29 February 1900 that never was); None before 1900."""
    days = (day - date(1899, 12, 31)).days
    if days < 1:
        return None
    return days + 1 if days > 59 else days


class _Styles:
    """The workbook's style table (`xl/styles.xml`): the index of each cell format, in a fixed order."""

    HEADER = 1

    def __init__(self) -> None:
        self.fonts = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>', '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>']
        self.fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
        self.formats = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>', '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/>']
        self.index: dict[tuple[str, str | None], int] = {}
        for kind, (format_id, _) in NUMBER_FORMATS.items():
            self.index[(kind, None)] = self._add(format_id, 0, 0)
        for kind, (format_id, _) in NUMBER_FORMATS.items():
            for band, (fill, colour, bold) in BAND_STYLES.items():
                font = self._font(colour, bold)
                self.index[(kind, band)] = self._add(format_id, font, self._fill(fill) if fill else 0)

    def _font(self, colour: str, bold: bool) -> int:
        return self._entry(self.fonts, f'<font>{"<b/>" if bold else ""}<sz val="11"/><color rgb="FF{colour}"/><name val="Calibri"/><family val="2"/></font>')

    def _fill(self, colour: str) -> int:
        return self._entry(self.fills, f'<fill><patternFill patternType="solid"><fgColor rgb="FF{colour}"/><bgColor indexed="64"/></patternFill></fill>')

    @staticmethod
    def _entry(entries: list[str], xml: str) -> int:
        if xml not in entries:
            entries.append(xml)
        return entries.index(xml)

    def _add(self, format_id: int, font: int, fill: int) -> int:
        applied = "".join(flag for flag, used in ((' applyNumberFormat="1"', format_id), (' applyFont="1"', font), (' applyFill="1"', fill)) if used)
        self.formats.append(f'<xf numFmtId="{format_id}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"{applied}/>')
        return len(self.formats) - 1

    def xml(self) -> str:
        custom = "".join(f'<numFmt numFmtId="{format_id}" formatCode="{escape.html_text(code)}"/>' for format_id, code in sorted(set(NUMBER_FORMATS.values())) if format_id >= 164)
        return (
            f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
            f'<numFmts count="{custom.count("<numFmt ")}">{custom}</numFmts>'
            f'<fonts count="{len(self.fonts)}">{"".join(self.fonts)}</fonts>'
            f'<fills count="{len(self.fills)}">{"".join(self.fills)}</fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(self.formats)}">{"".join(self.formats)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
        )


class _Strings:
    """The shared strings (`xl/sharedStrings.xml`): each distinct text once, in the order first written."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def __call__(self, text: str) -> int:
        self.count += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> str:
        items = "".join(map(_shared_string, self.index))
        return f'{_DECLARATION}<sst xmlns="{_MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'


def render_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes.

    Raises:
        PpmError: a sheet holds more rows than Excel can.
    """
    workbook = Workbook()
    workbook.add_all(sheets)
    return workbook.bytes()


class Workbook:
    """A workbook written sheet after sheet: each sheet's XML is made when it is added, so a caller may add the
    first sheets while the last ones are still being computed. The bytes depend only on the sheets, in order."""

    def __init__(self) -> None:
        self.styles, self.strings = _Styles(), _Strings()
        self.sheets: list[tuple[str, str]] = []  # name, filter range
        self.parts: list[tuple[str, str]] = []

    def add(self, sheet: Sheet) -> None:
        """Write the next sheet (its strings join the shared ones in the order first written).

        Raises:
            PpmError: the sheet holds more rows than Excel can.
        """
        number = len(self.sheets) + 1
        self.parts.append((f"xl/worksheets/sheet{number}.xml", _sheet_xml(sheet, number == 1, self.styles, self.strings)))
        self.sheets.append((sheet.name, _filter_range(sheet)))

    def add_all(self, sheets: Sequence[Sheet]) -> None:
        for sheet in sheets:
            self.add(sheet)

    def bytes(self) -> bytes:
        """The workbook of the sheets added: its package parts, then the sheets, deflated at level 1 in a zip."""
        count = len(self.sheets)
        package = [
            ("[Content_Types].xml", _content_types(count)),
            ("_rels/.rels", _relationships([(f"{_REL}/officeDocument", "xl/workbook.xml"), (f"{_PACKAGE_REL}/metadata/core-properties", "docProps/core.xml"), (f"{_REL}/extended-properties", "docProps/app.xml")])),
            ("docProps/app.xml", _app([name for name, _ in self.sheets])),
            ("docProps/core.xml", _core()),
            ("xl/workbook.xml", _workbook(self.sheets)),
            ("xl/_rels/workbook.xml.rels", _relationships([*((f"{_REL}/worksheet", f"worksheets/sheet{n}.xml") for n in range(1, count + 1)), (f"{_REL}/styles", "styles.xml"), (f"{_REL}/sharedStrings", "sharedStrings.xml")])),
            ("xl/styles.xml", self.styles.xml()),
            ("xl/sharedStrings.xml", self.strings.xml()),
            *self.parts,
        ]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, text in package:
                entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.create_system = 0  # the same bytes whatever system writes them
                entry.external_attr = 0
                # Level 1: a workbook of repetitive XML compresses nearly as well, in a third of the time of level 6.
                archive.writestr(entry, text.encode("utf-8"), compresslevel=1)
        return buffer.getvalue()


def _sheet_xml(sheet: Sheet, first: bool, styles: _Styles, strings: _Strings) -> str:
    if len(sheet.rows) >= MAX_ROWS:
        raise PpmError(f"the {sheet.name} sheet would have {len(sheet.rows) + 1:,} rows; Excel holds at most {MAX_ROWS:,}")
    kinds = [column.kind for column in sheet.columns]
    letters = [column_letter(col) for col in range(len(kinds))]
    widths = [max(len(column.header), _WIDTHS.get(column.kind, 0)) for column in sheet.columns]
    plain = [styles.index.get((kind, None), 0) for kind in kinds]
    header = styles.HEADER
    rows = ['<row r="1">' + "".join(f'<c r="{letter}1" s="{header}" t="s"><v>{strings(column.header)}</v></c>' for letter, column in zip(letters, sheet.columns)) + "</row>"]
    band_style = styles.index
    date_style = styles.index[("date", None)]
    openers = [f'<c r="{letter}' for letter in letters]
    for number, row in enumerate(sheet.rows, start=2):
        bands = sheet.bands[number - 2] if sheet.bands else None
        at = f'{number}"'
        cells = []
        for col, value in enumerate(row):
            kind = type(value)
            if kind not in _PLAIN:
                value = _plain(value)
                kind = type(value)
            # Exact types (a bool is never taken for an int); strings, the commonest, carry no style.
            if kind is str:
                text = value[:MAX_CELL]
                cells.append(f'{openers[col]}{at} t="s"><v>{strings(text)}</v></c>')
                if len(text) > widths[col]:
                    widths[col] = len(text)
                continue
            band = bands[col] if bands else None
            if kind is NoneType:
                if band is not None:
                    cells.append(f'{openers[col]}{at} s="{band_style.get((kinds[col], band), 0)}"/>')
                continue
            style = band_style.get((kinds[col], band), 0) if band else plain[col]
            styled = f' s="{style}"' if style else ""
            if kind is float:
                if math.isfinite(value):
                    cells.append(f"{openers[col]}{at}{styled}><v>{value!r}</v></c>")  # the shortest text that reads back as this double
                else:  # not a number Excel can hold: its own error value, never the text "inf"
                    cells.append(f'{openers[col]}{at}{styled} t="e"><v>#NUM!</v></c>')
            elif kind is int:
                cells.append(f"{openers[col]}{at}{styled}><v>{value}</v></c>")
            elif kind is bool:
                cells.append(f'{openers[col]}{at} t="b"><v>{int(value)}</v></c>')
            else:
                serial = _serial(value)
                if serial is None:  # before 1900: no Excel date, the ISO date as text
                    cells.append(f'{openers[col]}{at} t="s"><v>{strings(value.isoformat())}</v></c>')
                else:
                    cells.append(f'{openers[col]}{at} s="{band_style.get(("date", band), date_style)}"><v>{serial}</v></c>')
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    last = f"{letters[-1]}{len(sheet.rows) + 1}" if letters else "A1"
    corner, bottom = _filter_corner(sheet)
    columns = _columns([min(width + 2, MAX_WIDTH) for width in widths])
    return (
        f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:{last}"/>'
        f'<sheetViews><sheetView{_SELECTED if first else ""} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{columns}</cols>" if columns else ""}'
        f'<sheetData>{"".join(rows)}</sheetData><autoFilter ref="A1:{corner}{bottom}"/>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
    )


def _columns(widths: Sequence[int]) -> str:
    """The `<col>` elements: one per run of neighbouring columns of the same width, as Excel writes them.

    A width is stored as Excel stores it: characters of the default font's digit (7 pixels) plus 5 pixels of padding, in 1/256ths.
    """
    runs: list[list[int]] = []  # [first, last, width], 1-based
    for col, width in enumerate(widths, start=1):
        if runs and runs[-1][2] == width:
            runs[-1][1] = col
        else:
            runs.append([col, col, width])
    return "".join(f'<col min="{first}" max="{last}" width="{math.floor((width * 7 + 5) / 7 * 256) / 256!r}" customWidth="1"/>' for first, last, width in runs)


def _filter_corner(sheet: Sheet) -> tuple[str, int]:
    """The column and row of the filter's last cell: the header and every row (at least one, as Excel wants)."""
    return column_letter(max(len(sheet.columns), 1) - 1), max(len(sheet.rows), 1) + 1


def _filter_range(sheet: Sheet) -> str:
    corner, bottom = _filter_corner(sheet)
    return f"'{sheet.name.replace(chr(39), chr(39) * 2)}'!$A$1:${corner}${bottom}"


def _workbook(sheets: Sequence[tuple[str, str]]) -> str:
    """`xl/workbook.xml` of the sheets, each (name, filter range)."""
    listed = "".join(f'<sheet name="{escape.html_text(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, (name, _) in enumerate(sheets, start=1))
    # Excel keeps each sheet's filter range as a hidden name; it opens a filter without one, but keeps it when it saves.
    filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">{escape.html_text(area, quote=False)}</definedName>' for n, (_, area) in enumerate(sheets))
    return (
        f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
        f"<sheets>{listed}</sheets>{f'<definedNames>{filters}</definedNames>' if filters else ''}</workbook>"
    )


def _content_types(sheets: int) -> str:
    office = "application/vnd.openxmlformats-officedocument"
    overrides = [
        ("/docProps/app.xml", f"{office}.extended-properties+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/xl/workbook.xml", f"{office}.spreadsheetml.sheet.main+xml"),
        ("/xl/styles.xml", f"{office}.spreadsheetml.styles+xml"),
        ("/xl/sharedStrings.xml", f"{office}.spreadsheetml.sharedStrings+xml"),
        *((f"/xl/worksheets/sheet{n}.xml", _SHEET_TYPE) for n in range(1, sheets + 1)),
    ]
    return (
        f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
        + "</Types>"
    )


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    listed = "".join(f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>' for n, (kind, target) in enumerate(targets, start=1))
    return f'{_DECLARATION}<Relationships xmlns="{_PACKAGE_REL}">{listed}</Relationships>'


def _app(names: Sequence[str]) -> str:
    titles = "".join(f"<vt:lpstr>{escape.html_text(name, quote=False)}</vt:lpstr>" for name in names)
    return (
        f'{_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<Application>ppm</Application><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>'
        f'<vt:variant><vt:i4>{len(names)}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{len(names)}" baseType="lpstr">{titles}</vt:vector></TitlesOfParts></Properties>'
    )


def _core() -> str:
    return (
        f'{_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<dc:title>Portfolio</dc:title><dc:creator>ppm</dc:creator><cp:lastModifiedBy>ppm</cp:lastModifiedBy>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{CREATED}</dcterms:modified></cp:coreProperties>'
    )
