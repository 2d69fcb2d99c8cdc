"""Render layer: `ppm conflicts` as a table (text, plain, markdown, csv) or the stable JSON list."""

from __future__ import annotations

from ppmcli.analysis.resources.conflicts import Conflict, ConflictsReport, Helper
from ppmcli.render.json import dumps, iso, money, ratio
from ppmcli.render import table as tables
from ppmcli.render.output import Output
from ppmcli.render.table import ALL_ROWS, Column, Table, screenful, shorten

FORMATS = (*tables.FORMATS, "json")

# Helpers named per conflict in a table cell; JSON lists them all.
MAX_HELPERS_SHOWN = 5


def _helpers_text(helpers: tuple[Helper, ...]) -> str:
    if not helpers:
        return "nobody with the role has room"
    shown = [f"{h.person} {h.free_days:.1f} d ({h.free_fte:.2f} FTE)" for h in helpers[:MAX_HELPERS_SHOWN]]
    more = len(helpers) - MAX_HELPERS_SHOWN
    return ", ".join(shown) + (f", +{more} more" if more > 0 else "")


def as_table(report: ConflictsReport, *, limit: int | None = None) -> Table:
    """The conflicts table; with `--suggest`, a column of who could help.

    Args:
        report: The conflicts.
        limit: Most rows shown (a terminal's screenful); None shows every conflict.
    """
    columns = [
        Column("person"),
        Column("from"),
        Column("to"),
        # On a narrow terminal the length in days goes first: the dates say it. The peak keeps its capacity beside it.
        Column("days", "int", priority=5),
        Column("peak", "ratio", style=lambda _: "bold red", priority=2),
        Column("capacity", "ratio", priority=3),
        Column("projects", wrap=True, priority=3),
    ]
    if report.helpers is not None:
        # Free text: when the figures and the projects that clash leave it no room, it goes under its row.
        columns.append(Column("could help (free person-days, average FTE)", wrap=True, priority=4, key="suggestions"))
    rows: list[tuple[object, ...]] = []
    for index, conflict in enumerate(report.conflicts):
        row: list[object] = [
            conflict.person,
            iso(conflict.start),
            iso(conflict.end),
            conflict.days,
            conflict.peak,
            conflict.capacity,
            ", ".join(conflict.projects),
        ]
        if report.helpers is not None:
            row.append(_helpers_text(report.helpers[index]))
        rows.append(tuple(row))
    count = len(report.conflicts)
    shown, omitted = shorten(rows, limit, "conflicts", hint=f"narrow with --person or --portfolio, or {ALL_ROWS}")
    return Table(columns, shown, title=f"Over-allocation: {count:,} conflict{'s' * (count != 1)}", omitted=omitted)


def as_text(report: ConflictsReport, out: Output) -> str:
    """The table (text: a screenful of conflicts, then how many more; the other formats every conflict); one sentence instead of an empty table for people to read."""
    if not report.conflicts and out.format != "csv":
        return "No over-allocated people.\n"  # a sentence, as every empty view says its own
    table = as_table(report, limit=screenful(out.height) if out.terminal else None)
    return tables.render(table, out)


def record(conflict: Conflict, helpers: tuple[Helper, ...] | None) -> dict[str, object]:
    data: dict[str, object] = {
        "person": conflict.person,
        "from": iso(conflict.start),
        "to": iso(conflict.end),
        "peak": ratio(conflict.peak),
        "capacity": ratio(conflict.capacity),
        "days": conflict.days,
        "projects": list(conflict.projects),
    }
    if helpers is not None:
        # Person-days are rounded like money (2 decimals), FTE like a ratio.
        data["suggestions"] = [
            {"person": h.person, "free_days": money(h.free_days), "free_fte": ratio(h.free_fte)} for h in helpers
        ]
    return data


def render(report: ConflictsReport, out: Output) -> str:
    """`ppm conflicts`: json, or the table (`as_text`)."""
    return as_json(report) if out.format == "json" else as_text(report, out)


def as_json(report: ConflictsReport) -> str:
    """The stable JSON: a list of `person`, `from`, `to`, `peak`, `capacity`, `days`, `projects` (+ `suggestions`)."""
    helpers = report.helpers if report.helpers is not None else (None,) * len(report.conflicts)
    return dumps([record(conflict, extra) for conflict, extra in zip(report.conflicts, helpers)])
