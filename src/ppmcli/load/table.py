"""A CSV table of projects → project models, validated as the loader validates files, with each cell's position.

The header names the fields (`id`, `name`, `portfolio`, `program`, `manager`,
`phase`, `start`, `end`, `budget`, `benefits`, `tags`, `scores.NAME`). Row 1 is
the header; a finding points at `FILE.csv:ROW:COL`, ROW counting records as a
spreadsheet numbers its rows and COL counting cells from 1.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ppmcli.core.bounds import iso_day
from ppmcli.core.findings import Finding, Location
from ppmcli.core.model import Project
from ppmcli.core.names import closest_field, suggestion
from ppmcli.core.numbers import written_number
from ppmcli.core.positions import Positions
from ppmcli.core.spreadsheet import FORMULA_START
from ppmcli.load.loader import decode, validate_file

FIELDS = ("id", "name", "portfolio", "program", "manager", "phase", "start", "end", "budget", "benefits", "tags")
SCORE_PREFIX = "scores."
DATES = frozenset({"start", "end"})
AMOUNTS = frozenset({"budget", "benefits"})
# What ppm's CSV output prefixes with a quote, so a spreadsheet does not run it as a formula.
# An id becomes a file name: no folders, no hidden files, no spaces or control characters, any script.
_ID_LENGTH = 100
# File systems count a name's bytes (255 at most, ".yaml" included): 100 CJK characters are 300 bytes of UTF-8.
_ID_BYTES = 200
# What an id must be, said wherever one is refused.
ID_RULE = f"no '/', '\\', spaces or control characters, not starting with '.', at most {_ID_LENGTH} characters and {_ID_BYTES} bytes of UTF-8"
MAX_ROWS = 100_000


@dataclass
class Row:
    """One table row: the project id, the fields as a file would hold them, and where each cell is.

    Attributes:
        number: the row's number in the table (the header is 1).
        stand_in: for a row with bad cells, the project its other cells make, with a neutral value in each bad
            cell, so that those cells can still be checked against the workspace (references); else None.
        flagged: the columns (from 1) that have a finding of their own.
    """

    id: str
    fields: dict[str, Any]
    positions: Positions
    model: Project | None
    number: int = 0
    stand_in: Project | None = None
    flagged: frozenset[int] = frozenset()


def unguard(cell: str) -> str:
    """A cell as written before ppm's formula guard (`'=1+2` → `=1+2`, `''=x` → `'=x`); any other leading quote is kept."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START) else cell


_SAVE_AS = "save it as CSV UTF-8 (Excel: File › Save As › CSV UTF-8)"


def read_table(data: bytes, label: str) -> tuple[list[Row], list[Finding]]:
    """Every row of a CSV table of projects, validated; findings at `label:ROW:COL`."""
    # Excel's "Unicode Text" is UTF-16, its "CSV (Comma delimited)" the Windows code page; its "CSV UTF-8" is what this reads.
    text = decode(label, data, "a CSV table", _SAVE_AS)
    if isinstance(text, Finding):
        return [], [text]
    records, broken = _records(text, label)
    if broken is not None:
        return [], [broken]
    # Excel's hint line (`sep=,`, written when a file names its separator): the header is the row after it.
    hint = records[0][0].lstrip("\ufeff") if records and records[0] and not any(cell.strip() for cell in records[0][1:]) else ""
    head = 1 if hint.startswith("sep=") else 0
    if not records[head:] or not any(cell.strip() for cell in records[head]):
        return [], [Finding.at(Location(label), "missing-field", "the table has no header row naming the fields (id, name, portfolio, …)")]
    if len(records) - head > MAX_ROWS + 1:
        return [], [Finding.at(Location(label, MAX_ROWS + 2 + head), "invalid-value", f"the table has {len(records) - 1 - head:,} rows, above the limit of {MAX_ROWS:,}")]
    separator = hint[4:] if head and hint[4:] not in ("", ",") else next((char for char in ";\t" if len(records[head]) == 1 and char in records[head][0]), None)
    if separator is not None:
        # Excel in a language with a decimal comma writes CSV with ';' between the cells; "Text" files use tabs.
        return [], [Finding.at(Location(label, 1, 1), "yaml-syntax", f"the header's cells are separated by {'a tab' if separator == chr(9) else repr(separator)}, not ',': save the table as CSV with commas (Excel: CSV UTF-8)")]
    header, findings = _header(records[head], label, head + 1)
    # Cells under a named column, known or not (an unknown one is said once, in the header), are not strays.
    width = max((index + 1 for index, cell in enumerate(records[head]) if cell.strip()), default=0)
    if "id" not in header.values():
        findings.append(Finding.at(Location(label, head + 1, 1), "missing-field", "the header has no 'id' column; each row needs the id of its project file"))
        return [], findings
    rows = []
    for number, record in enumerate(records[head + 1 :], start=head + 2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines, as spreadsheets leave at the end
        row, row_findings = _row(record, number, header, width, label)
        findings.extend(row_findings)
        rows.append(row)
    return rows, findings


def _records(text: str, label: str) -> tuple[list[list[str]], Finding | None]:
    """The table's records, or a finding where it stops being a table: a quote never closed (the lenient reading took
    every line after it into one cell, and the rows there were lost), text after a cell's closing quote."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    lines = 0  # the lines the records read so far span
    try:
        for record in reader:
            records.append(record)
            lines = reader.line_num
    except csv.Error as exc:
        row = len(records) + 1
        # Lines as the csv reader counts them: broken at CR and LF only (splitlines breaks at a form feed too).
        rest = "".join(re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)[lines:])
        problem, column = _broken_cell(rest)
        if problem == "unclosed":
            why = "the quote that opens this cell is never closed, so every line after it would read as this one cell: close it (a quote inside a quoted cell is written twice: \"\")"
        elif problem == "after":
            why = "text follows the quote that closes this cell: quote the whole cell, writing each quote inside it twice (\"a \"\"b\"\" c\"), or take the quotes off"
        else:
            why = f"not a CSV table: {exc}"
        return records, Finding.at(Location(label, row, column), "yaml-syntax", why)
    return records, None


def _broken_cell(text: str) -> tuple[str | None, int]:
    """Where a record (starting `text`) breaks the CSV format: ("unclosed", column) for a quote never closed, ("after",
    column) for text after a closing quote; (None, 1) when it is neither."""
    column, state, at = 1, "start", 0
    while at < len(text):
        character = text[at]
        if state == "quoted":
            # To the next quote in one step: a quote never closed leaves the rest of a large file to cross.
            at = text.find('"', at)
            if at < 0:
                return "unclosed", column
            state = "closing"
        elif state == "closing" and character == '"':
            state = "quoted"  # a quote written twice: one quote in the cell
        elif character == ",":
            column, state = column + 1, "start"
        elif character in "\r\n":
            return None, 1  # the record ended whole
        elif state == "closing":
            return "after", column
        elif state == "start":
            state = "quoted" if character == '"' else "plain"
        at += 1
    return ("unclosed", column) if state == "quoted" else (None, 1)


def _header(cells: list[str], label: str, row: int) -> tuple[dict[int, str], list[Finding]]:
    """Column index → field name; unknown and repeated names are findings at the header's `row`."""
    header: dict[int, str] = {}
    findings = []
    known = [*FIELDS, SCORE_PREFIX + "NAME"]
    for index, cell in enumerate(cells):
        name = unguard(cell.strip().lstrip("\ufeff"))
        where = Location(label, row, index + 1)
        if name in header.values():
            findings.append(Finding.at(where, "duplicate-key", f"column '{name}' appears twice in the header"))
        elif name in FIELDS or name.startswith(SCORE_PREFIX) and len(name) > len(SCORE_PREFIX):
            header[index] = name
        elif name:
            findings.append(Finding.at(where, "unknown-field", f"unknown column '{name[:80]}'{suggestion(closest_field(name, known))}"))
    return header, findings


def _row(record: list[str], number: int, header: dict[int, str], width: int, label: str) -> tuple[Row, list[Finding]]:
    findings: list[Finding] = []
    fields: dict[str, Any] = {}
    marks: dict[tuple, tuple[int, ...]] = {(): (number - 1, 0)}
    ident = ""
    for index, name in header.items():
        cell = unguard(record[index].strip()) if index < len(record) else ""
        mark = (number - 1, index, 0, index)
        if name == "id":
            ident = cell
            if cell and not file_name_id(cell):
                findings.append(Finding.at(Location(label, number, index + 1), "invalid-value", f"id '{cell[:80]}' cannot name a file: {ID_RULE}"))
            marks[("__id__",)] = mark
            continue
        if not cell:
            # An empty cell writes nothing, but a finding about its field (missing, required) points at it.
            marks.setdefault((name,) if not name.startswith(SCORE_PREFIX) else ("scores", name[len(SCORE_PREFIX) :]), mark[:2])
            continue
        if name.startswith(SCORE_PREFIX):
            score = name[len(SCORE_PREFIX) :]
            fields.setdefault("scores", {})[score] = _number(cell)
            marks[("scores",)] = mark
            marks[("scores", score)] = mark
        elif name == "tags":
            tags = [tag.strip() for tag in cell.split(";") if tag.strip()]
            fields["tags"] = tags
            marks[("tags",)] = mark
            for position in range(len(tags)):
                marks[("tags", position)] = mark
        else:
            fields[name] = _date(cell) if name in DATES else _number(cell) if name in AMOUNTS else cell
            marks[(name,)] = mark
    if ("portfolio",) not in marks and ("program",) in marks:
        marks[("portfolio",)] = marks[("program",)]  # a table without the column: "needs a portfolio (or a program)" at the program's cell
    extra = next((index for index in range(width, len(record)) if record[index].strip()), None)
    if extra is not None:
        findings.append(Finding.at(Location(label, number, extra + 1), "unknown-field", f"a cell beyond the header's last column ({width}); give it a column name or remove it"))
    positions = Positions(label, marks)
    if not ident:
        findings.append(Finding.at(Location(label, number, 1), "missing-field", "missing required field 'id'"))
    # A row without a usable id has its other cells checked all the same, under an id no file can have.
    checked_id = ident if file_name_id(ident) else f"row {number}"
    model, _, validation = validate_file("projects", checked_id, (dict(fields), positions, []))
    findings.extend(validation)
    if isinstance(model, Project) and not findings:
        return Row(ident, fields, positions, model, number), findings
    flagged = frozenset(f.column for f in findings if f.line == number)
    stand_in, hidden = _stand_in(checked_id, fields, marks, flagged, positions)
    findings.extend(hidden)
    return Row(ident, fields, positions, None, number, stand_in, flagged), findings


# What stands in for a bad (or missing) required cell: any valid value does, as no finding at that cell is kept.
_NEUTRAL: dict[str, Any] = {"name": "-", "manager": "x", "portfolio": "x", "phase": "proposed", "budget": 0.0}


def _stand_in(ident: str, fields: dict[str, Any], marks: dict[tuple, tuple[int, ...]], flagged: frozenset[int], positions: Positions) -> tuple[Project | None, list[Finding]]:
    """The project a row makes with each flagged cell left out (a neutral value where the field is required), or None;
    and the findings across its good cells that the bad ones kept from being made (an end before the start)."""

    def bad(key: tuple) -> bool:
        mark = marks.get(key)
        return mark is None or mark[1] + 1 in flagged

    kept = {name: value for name, value in fields.items() if name in ("scores", "tags") or not bad((name,))}
    if "scores" in kept:
        kept["scores"] = {name: value for name, value in kept["scores"].items() if not bad(("scores", name))}
    if "tags" in kept and bad(("tags",)):
        del kept["tags"]
    for name, value in _NEUTRAL.items():
        if name not in kept and not (name == "portfolio" and "program" in kept):
            kept[name] = value
    start, end = kept.get("start"), kept.get("end")
    hidden: list[Finding] = []
    if isinstance(start, date) and isinstance(end, date) and end < start:
        # Every other cell of `kept` is good: what its validation finds is the check across fields, at the real cells.
        _, _, hidden = validate_file("projects", ident, (dict(kept), positions, []))
    day = start if isinstance(start, date) else end if isinstance(end, date) else date(2000, 1, 1)
    kept["start"], kept["end"] = (start, end) if isinstance(start, date) and isinstance(end, date) and start <= end else (day, day)
    model, _, findings = validate_file("projects", ident, (kept, Positions(""), []))
    return (model if isinstance(model, Project) and not findings else None), hidden


def file_name_id(text: str) -> bool:
    """Whether `text` can be an id, that is a file name inside its folder."""
    return (
        0 < len(text) <= _ID_LENGTH
        and len(text.encode("utf-8", "surrogatepass")) <= _ID_BYTES
        and not text.startswith(".")
        and all(ch.isprintable() and not ch.isspace() and ch not in "/\\" for ch in text)
    )


def _date(cell: str) -> date | str:
    """A date written YYYY-MM-DD, as in the files, or the text as found (the model then says it is not a date)."""
    try:
        return iso_day(cell)
    except ValueError:
        return cell


def _number(cell: str) -> float | str:
    """A number as a spreadsheet writes it (`1200000`, `1,200,000.50`), or the text as found (the model says why not)."""
    number = written_number(cell)
    value = float(number) if number is not None and number.is_finite() else None
    return value if value is not None and math.isfinite(value) else cell  # 1e400 is said as written, not as inf
