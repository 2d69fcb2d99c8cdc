"""Render layer: `ppm capacity` as a heat map on a terminal, long tables (plain, markdown, csv) or the stable JSON.

Utilization bands (documented in the README): under-used below 50 %, healthy
from 50 % to under 90 %, full from 90 % to 100 %, over above 100 %; gap where
there is demand but no supply.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from itertools import chain, repeat
from typing import TYPE_CHECKING

from ppmcli.analysis.resources.capacity import CapacityReport, Utilization
from ppmcli.render import escape
from ppmcli.render.json import Memo, money, ratio
from ppmcli.render import table as tables
from ppmcli.render.output import Output
from ppmcli.render.table import ALL_ROWS, Column, ColumnRows, Table, more_rows

if TYPE_CHECKING:
    from rich.text import Text

FORMATS = (*tables.FORMATS, "json")

# (band, lowest utilization in it, terminal style, legend), highest band first.
BANDS: tuple[tuple[str, float, str, str], ...] = (
    ("over", 1.0, "bold white on red", "over >100%"),
    ("full", 0.9, "black on yellow", "full ≤100%"),
    ("healthy", 0.5, "black on green", "healthy <90%"),
    ("under-used", 0.0, "cyan", "under-used <50%"),
)
GAP_STYLE = "bold white on magenta"
NONE_STYLE = "dim"
# People (or roles) beyond this many are summarized in a terminal heat map.
MAX_HEATMAP_ROWS = 40


def band(utilization: float | None, has_demand: bool) -> str:
    """The band of a cell: over, full, healthy, under-used, gap (demand, no supply) or none.

    Args:
        utilization: demand / supply, None when there is no supply.
        has_demand: Some demand (committed or tentative) falls in the cell.

    Returns:
        The band's name.
    """
    if utilization is None:
        return "gap" if has_demand else "none"
    # Compare the figure as shown (4 decimals), so 100.00 % is full, never over.
    value = round(utilization, 4)
    if value > 1.0:
        return "over"
    for name, lowest, _, _ in BANDS[1:]:
        if value >= lowest:
            return name
    return "under-used"


_STYLES = {name: style for name, _, style, _ in BANDS} | {"gap": GAP_STYLE, "none": NONE_STYLE}


# Marks a quarter whose busiest month is over 100 % while the quarter as a whole is not.
PEAK_FLAG = "!"


def _cell(utilization: float | None, has_demand: bool, peak: float | None = None) -> tuple[str, str]:
    kind = band(utilization, has_demand)
    if utilization is None:
        return ("gap" if kind == "gap" else "·"), _STYLES[kind]
    flag = PEAK_FLAG if kind != "over" and band(peak, has_demand) == "over" else ""
    return f"{utilization * 100:.0f}%{flag}", _STYLES[kind]


# Said instead of empty heat maps and tables: no one is staffed and no role is booked.
NO_CAPACITY = "No person or role to show: the workspace has no people and no project books a role."
# One of the two tables empty (`--role` of a role only projects book: no person holds it).
NO_ROLE = "No role to show."
NO_PERSON = "No person holds the roles shown."


def render(report: CapacityReport, out: Output) -> str:
    """`ppm capacity`: text (the heat map, fitted to the terminal), csv (one table), json, or the other table formats (two long tables)."""
    if out.format == "json":
        return as_json(report)
    if not report.roles and not report.people and out.format != "csv":
        return tables.render(Table([Column("role")], [], title=f"Capacity by {report.by}", empty=NO_CAPACITY), out)
    if out.terminal:
        return heatmap(report, color=out.color, width=out.width)
    if out.format == "csv":
        return tables.render(as_csv_table(report), out)
    return "\n".join(tables.render(table, out) for table in as_tables(report))


# ---------------------------------------------------------------- terminal heat map


def heatmap(report: CapacityReport, *, color: bool, width: int = 120, max_rows: int = MAX_HEATMAP_ROWS, title: str | None = None) -> str:
    """Role and people heat maps: one row per role (person), one column per period, cells coloured by band.

    A `+ proposed` row under a name gives utilization with proposed projects'
    demand, where there is any. Periods wrap into several tables to fit `width`.

    Args:
        report: The capacity report.
        color: Colour the cells (else the same layout without styles).
        width: Terminal width in characters.
        max_rows: Most roles (people) drawn; the busiest are kept and the rest counted.
        title: The line above the maps (default: what `ppm capacity` divides); a section with no rows is left out.

    Returns:
        The rendered text.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    def cell(utilization: float | None, has_demand: bool, peak: float | None = None) -> Text:
        content, style = _cell(utilization, has_demand, peak)
        flagged[0] |= content.endswith(PEAK_FLAG)
        return Text(content, style=style)

    flagged = [False]

    console = Console(file=io.StringIO(), width=width, color_system="standard" if color else None, force_terminal=color, no_color=not color, highlight=False)
    periods = report.periods
    span = f"{periods[0].key} to {periods[-1].key}" if periods else "no periods"
    console.print(Text(title or f"Utilization by {report.by}, {span}: committed demand ÷ supply", style="bold"))
    sections = (("role", report.roles, "roles"), ("person", report.people, "people"))
    for label, rows, plural in sections:
        if not rows:
            if title is None:  # `ppm capacity`'s own map says which section is empty (a role no one holds)
                console.print(Text(NO_ROLE if label == "role" else NO_PERSON))
                console.print()
            continue
        shown = _rows_that_matter(rows, max_rows)
        # Names and roles as `Text`, escaped: rich never reads markup from a workspace.
        names = {row.name: escape.terminal(row.name) for row in shown} | {row.role: escape.terminal(row.role) for row in shown}
        name_width = max([len(label), len("+ proposed") + 2] + [len(names[row.name]) + 2 for row in shown] + [len(names[row.role]) for row in shown])
        key_width = max([len(p.key) for p in periods] + [len("gap"), len("100%")])
        # Each column costs its width, one space of padding either side and a divider.
        per_table = max(1, (width - name_width - 1) // (key_width + 3))
        for first in range(0, max(len(periods), 1), per_table):
            indexes = range(first, min(first + per_table, len(periods)))
            table = RichTable(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
            table.add_column(label, no_wrap=True, min_width=name_width)
            for index in indexes:
                table.add_column(periods[index].key, justify="right", no_wrap=True, min_width=key_width)
            previous_role = None
            for row in shown:
                if label == "person" and row.role != previous_role:
                    table.add_row(Text(names[row.role], style="italic"), *("" for _ in indexes))
                    previous_role = row.role
                name = Text(f"  {names[row.name]}" if label == "person" else names[row.name])
                table.add_row(name, *(cell(row.utilization[i], row.demand[i] > 0 or row.tentative[i] > 0, row.month_peak[i]) for i in indexes))
                if any(row.tentative[i] > 0 for i in indexes):
                    table.add_row(
                        Text("  + proposed", style="dim"),
                        *(cell(row.utilization_tentative[i], row.demand[i] > 0 or row.tentative[i] > 0) for i in indexes),
                    )
            console.print(table)
            console.print()
        hidden = len(rows) - len(shown)
        if hidden:
            console.print(Text(more_rows(hidden, f"{plural} (lower peak utilization)", hint=f"narrow with --role, or {ALL_ROWS}")))
    for line in _legend(color=color, flagged=flagged[0], width=width):
        console.print(line)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _legend(*, color: bool, flagged: bool, width: int) -> list[Text]:
    """The legend under the heat maps, in lines of at most `width` columns broken between its entries.

    Without colour the bands' samples would show nothing (a cell's figure says its band), so only what a cell
    can show in text is explained: "gap", "·" and the peak flag.
    """
    from rich.text import Text

    entries = [(f" {sample} ", style) for _, _, style, sample in reversed(BANDS)] if color else []
    # A coloured sample ends in its padding; text entries bring their own spacing.
    entries += [(" gap: no supply ", GAP_STYLE), (" · none", "")] if color else [("gap: no supply", ""), ("  · none", "")]
    if flagged:
        entries.append((f"  {PEAK_FLAG} a month inside is over 100%", ""))
    lines = [Text()]
    for text, style in entries:
        if lines[-1].cell_len and lines[-1].cell_len + len(text) > width:
            lines.append(Text())
            text = text if style else text.lstrip()  # a coloured sample keeps its padding
        lines[-1].append(text, style=style)
    return lines


def _rows_that_matter(rows: Sequence[Utilization], limit: int) -> list[Utilization]:
    """All rows when few; else the `limit` busiest (gaps first, then highest peak), kept in role then name order."""
    if len(rows) <= limit:
        chosen = list(rows)
    else:
        chosen = sorted(rows, key=lambda row: (not row.gap, -(row.peak or 0.0), row.name))[:limit]
    return sorted(chosen, key=lambda row: (row.role, row.name))


# ---------------------------------------------------------------- long tables and JSON

_FIGURES = (
    Column("supply", "number"),
    Column("demand", "number"),
    Column("tentative", "number"),
    Column("utilization", "ratio"),
    Column("utilization_tentative", "ratio"),
    Column("peak", "ratio"),
)


def _long_columns(report: CapacityReport, rows: Sequence[Utilization]) -> list[list[object]]:
    """Period, name, then the figures: one line per name and period, a column at a time (a weekly table is a million lines)."""
    count = len(report.periods)
    periods: list[object] = [period.key for period in report.periods]
    columns: list[list[object]] = [periods * len(rows), list(chain.from_iterable(repeat(row.name, count) for row in rows))]
    for figure in ("supply", "demand", "tentative", "utilization", "utilization_tentative", "month_peak"):
        columns.append(list(chain.from_iterable(getattr(row, figure) for row in rows)))
    return columns


def as_tables(report: CapacityReport) -> list[Table]:
    """Two long tables (roles, then people) for plain text and Markdown: one line per name and period."""
    return [
        Table([Column("period"), Column("role"), *_FIGURES], ColumnRows(_long_columns(report, report.roles)), title=f"Roles by {report.by} (person-days)", empty=NO_ROLE),
        Table([Column("period"), Column("person"), *_FIGURES], ColumnRows(_long_columns(report, report.people)), title=f"People by {report.by} (person-days)", empty=NO_PERSON),
    ]


def as_csv_table(report: CapacityReport) -> Table:
    """One CSV table: `kind` (role or person), `name`, `period`, then the figures; roles first."""
    roles, people = _long_columns(report, report.roles), _long_columns(report, report.people)
    kinds = ["role"] * len(roles[0]) + ["person"] * len(people[0])
    period, name, *figures = (first + second for first, second in zip(roles, people))
    return Table([Column("kind"), Column("name"), Column("period"), *_FIGURES], ColumnRows([kinds, name, period, *figures]))


def _number_text(rounding: Callable[[float | None], float | int | None]) -> Memo:
    """JSON text of rounded figures by value, made on first use: a weekly capacity repeats the same few values a million times.

    A rounded figure is finite or None, and repr is JSON's own text for a float or an int.
    """
    return Memo(lambda value: "null" if (rounded := rounding(value)) is None else repr(rounded))


def _json_rows(report: CapacityReport, rows: Sequence[Utilization], key: str) -> list[str]:
    """The text of one list, in pieces, a line per row and period; each row's lines are one join of its pieces, in C: no Python call per line."""
    periods = [json.dumps(period.key, ensure_ascii=False) for period in report.periods]
    count = len(periods)
    if not rows or not count:
        return ["[]"]
    # Person-days are rounded like money (2 decimals); utilization is a ratio (4).
    days, share = _number_text(money), _number_text(ratio)
    # A line is 15 pieces: the labels stay, each row puts in its name and its figures.
    labels = ('    {"period": ', "", "", "", ', "demand": ', "", ', "tentative": ', "", ', "utilization": ', "", ', "utilization_tentative": ', "", ', "peak": ', "", "},\n")
    step = len(labels)
    pieces = [""] * (step * count)
    for place, label in enumerate(labels):
        pieces[place::step] = [label] * count
    pieces[1::step] = periods
    rows_text = []
    for row in rows:
        pieces[2::step] = [f', "{key}": {json.dumps(row.name, ensure_ascii=False)}, "supply": '] * count
        pieces[3::step] = map(days.__getitem__, row.supply)
        pieces[5::step] = map(days.__getitem__, row.demand)
        pieces[7::step] = map(days.__getitem__, row.tentative)
        pieces[9::step] = map(share.__getitem__, row.utilization)
        pieces[11::step] = map(share.__getitem__, row.utilization_tentative)
        pieces[13::step] = map(share.__getitem__, row.month_peak)
        rows_text.append("".join(pieces))
    rows_text[-1] = rows_text[-1][:-2]  # the last line has no comma
    return ["[\n", *rows_text, "\n  ]"]


def as_json(report: CapacityReport) -> str:
    """The stable JSON: `{"roles": [...], "people": [...]}`, rows by name then period, one row per line.

    Each row is written from a fixed key list with `json.dumps` of every
    string and rounded number, not through `dumps`: weekly capacity of 10,000
    people is a million rows, and the indenting encoder is pure Python.
    """
    # One join of every row's text: the output is megabytes, and each concatenation would copy it whole.
    return escape.json_text("".join(['{\n  "roles": ', *_json_rows(report, report.roles, "role"), ',\n  "people": ', *_json_rows(report, report.people, "person"), "\n}\n"]))
