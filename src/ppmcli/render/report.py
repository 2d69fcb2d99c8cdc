"""Render layer: the `ppm report` record as a terminal report, plain text, Markdown, CSV or the stable JSON.

The text, plain and Markdown layouts are the report a portfolio manager hands
to leadership: the rollup table, each project with its newest note, the
projects needing attention, the top risks, the milestones coming up. CSV is
the rollup table with every figure (or, with `--projects`, one row per
project under its JSON keys); JSON follows PRODUCT.md's `report` contract. Nothing here computes a figure.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ppmcli.analysis.delivery.evm import ATTENTION_INDEX, Figures, ProjectValue, Trend
from ppmcli.analysis.delivery.rollup import UPCOMING_DAYS, Attention, Report, Rollup, TrendReport
from ppmcli.core.errors import counted
from ppmcli.render import escape
from ppmcli.render.json import Memo, dumps, iso, money, ratio
from ppmcli.render import table as tables
from ppmcli.render.output import Output
from ppmcli.render.table import HEALTH_SYMBOLS, TERMINAL_ROWS, Column, Kind, Table, format_cell, shorten

FORMATS = (*tables.FORMATS, "json")

_EMOJI = {"red": "🔴", "amber": "🟠", "green": "🟢", "unknown": "⚪"}
_STYLE = {"red": "bold red", "amber": "yellow", "green": "green", "unknown": "dim"}
_GROUP_HEADER = {"portfolio": "Portfolio", "program": "Program", "goal": "Goal", "phase": "Phase", "tag": "Tag"}
_NO_GROUP = {"program": "(no program)", "goal": "(no goal)", "tag": "(no tag)", "portfolio": "(no portfolio)", "phase": "(no phase)"}
# Every figure of a project or group: (JSON and CSV name, terminal header or None when only in JSON/CSV, kind).
FIGURE_COLUMNS: tuple[tuple[str, str | None, Kind], ...] = (
    ("bac", "BAC", "money"),
    ("pv", None, "money"),
    ("ev", None, "money"),
    ("ac", None, "money"),
    ("eac", "EAC", "money"),
    ("vac", None, "money"),
    ("cv", None, "money"),
    ("sv", None, "money"),
    ("spi", "SPI", "ratio"),
    ("cpi", "CPI", "ratio"),
    ("tcpi", None, "ratio"),
    ("benefits", "Benefits", "money"),
    ("benefits_realized", "Realized", "money"),
    ("labor_cost", None, "money"),
    ("risk_exposure", "Risk exp.", "money"),
    ("late_milestones", "Late", "int"),
)
_ROUNDING: dict[str, Callable[[Any], Any]] = {"money": money, "ratio": ratio, "int": int}
# A rollup column's priority on a narrow terminal (table.Column.priority): the group and its health are KEY columns, the rest go from the largest number.
_FIGURE_PRIORITY = {"spi": 2, "cpi": 2, "bac": 3, "eac": 3, "late_milestones": 3, "benefits": 4, "risk_exposure": 4, "benefits_realized": 5}
# Rows of each list on a terminal before "… and N more" (the other formats list them all).
_MAX_ROWS = 25
# The lists are not in CSV, which is the rollup table.
_ALL_LISTED = "--format plain (or markdown, json) shows every row"


def health_label(health: str, fmt: str) -> str:
    """A health as a cell of format `fmt`: its symbol (an emoji in Markdown) and its word; the word alone in CSV."""
    if fmt == "csv":
        return health
    symbol = _EMOJI[health] if fmt == "markdown" else HEALTH_SYMBOLS[health]
    return f"{symbol} {health}"


def health_style(value: Any) -> str | None:
    """The terminal style of a health cell (`health_label`), by its last word."""
    return _STYLE.get(str(value).rsplit(" ", 1)[-1])


def index_style(value: Any) -> str | None:
    """Red for an SPI or CPI cell below the attention threshold."""
    # SPI/CPI under 0.9 is what puts a project on the attention list.
    return "red" if isinstance(value, float) and value < ATTENTION_INDEX else None


_FIGURE_STYLES: dict[str, Callable[[Any], str | None]] = {"spi": index_style, "cpi": index_style}


# ---------------------------------------------------------------- JSON


_FIGURE_NAMES = tuple(name for name, _, _ in FIGURE_COLUMNS)
_FIGURE_VALUES = operator.attrgetter(*_FIGURE_NAMES)
Rounding = tuple[Callable[[Any], Any], ...]  # per figure column, its rounding


def _roundings() -> Rounding:
    """Each figure column's rounding, remembered by value for one report: 20,000 projects' 285,000 figures hold 78,000 values."""
    kinds = {kind: Memo(rounding).__getitem__ for kind, rounding in _ROUNDING.items()}
    return tuple(kinds[kind] for _, _, kind in FIGURE_COLUMNS)


def _figures_json(f: Figures, rounding: Rounding) -> dict[str, Any]:
    return dict(zip(_FIGURE_NAMES, map(operator.call, rounding, _FIGURE_VALUES(f))))


def _rollup_json(rollup: Rollup, rounding: Rounding) -> dict[str, Any]:
    return {"key": rollup.key, "name": rollup.name, "projects": list(rollup.projects), "health": rollup.health, **_figures_json(rollup.figures, rounding)}


def project_json(value: ProjectValue, managers: Mapping[str, str], rounding: Rounding | None = None) -> dict[str, Any]:
    """One project of the report's JSON (`projects`): `ppm status --format json` shows the same object."""
    return {
        "id": value.id,
        "phase": value.phase,
        "health": value.health,
        "status_date": iso(value.status_date),
        "percent_complete": money(value.percent_complete),
        **_figures_json(value.figures, rounding or _roundings()),
        **_project_details_json(value, managers),
    }


def _project_details_json(value: ProjectValue, managers: Mapping[str, str]) -> dict[str, Any]:
    """The keys appended to a project's JSON after its figures: name, manager, dates and the newest note."""
    return {
        "name": value.name,
        "manager": value.manager,
        "manager_name": managers.get(value.manager),
        "start": iso(value.start),
        "end": iso(value.end),
        "note": value.note,
    }


def report_json(report: Report) -> dict[str, Any]:
    """The stable JSON object of `ppm report`: as_of, currency, total, groups, projects."""
    rounding = _roundings()
    return {
        "as_of": iso(report.as_of),
        "currency": report.currency,
        "total": _rollup_json(report.total, rounding),
        "groups": [_rollup_json(group, rounding) for group in report.groups],
        "projects": [project_json(value, report.managers, rounding) for value in report.projects],
    }


def trend_json(record: TrendReport) -> dict[str, Any]:
    """The JSON of `ppm report --trend ID`: the project and one point per status date."""
    trend = record.trend
    return {
        "as_of": iso(trend.as_of),
        "currency": record.currency,
        "id": trend.id,
        "name": trend.name,
        "trend": [
            {
                "date": iso(point.date),
                "health": point.health,
                "percent_complete": money(point.percent_complete),
                "planned_fraction": ratio(point.planned_fraction),
                "pv": money(point.pv),
                "ev": money(point.ev),
                "ac": money(point.ac),
                "spi": ratio(point.spi),
                "cpi": ratio(point.cpi),
            }
            for point in trend.points
        ],
    }


# ---------------------------------------------------------------- tables


def rollup_table(report: Report, fmt: str) -> Table:
    """The rollup table: one row per group, then the total; CSV has every figure, under its JSON name.

    On a terminal (`text`) a long rollup shows its first groups, the total, and how many groups it left out.
    """
    full = fmt == "csv"
    figures = [(name, header, kind) for name, header, kind in FIGURE_COLUMNS if full or header is not None]
    if full:
        columns = [Column("key"), Column("name"), Column("projects", "int"), Column("health")]
        columns += [Column(name, kind) for name, _, kind in figures]
    else:
        columns = [Column(_GROUP_HEADER[report.by]), Column("#", "int", priority=4), Column("Health", style=health_style)]
        columns += [Column(header or name, kind, _FIGURE_STYLES.get(name), _FIGURE_PRIORITY.get(name, 2)) for name, header, kind in figures]
    groups, omitted = shorten(report.groups, TERMINAL_ROWS if fmt == "text" else None, f"{report.by}s")
    rows = []
    for group in (*groups, report.total):
        if full:
            label: tuple[Any, ...] = (group.key, group.name)
        elif group is report.total:
            label = ("Total",)
        elif group.key is None:
            label = (_NO_GROUP[report.by],)
        else:
            label = (group.name,)
        rows.append((*label, len(group.projects), health_label(group.health, fmt), *(getattr(group.figures, name) for name, _, _ in figures)))
    # A project of several goals (tags) is in each of their rows: the rows add up to more than the total, which counts it once.
    shared = report.by in _SHARED_GROUPINGS and sum(len(group.projects) for group in report.groups) > len(report.total.projects)
    footer = [f"A project counts in each {report.by} it has, so the rows add up to more than the total."] if shared and not full else []
    return Table(columns=columns, rows=rows, title=None if full else f"By {report.by}", rules_after=frozenset({len(rows) - 2}), omitted=omitted, footer=footer)


_SHARED_GROUPINGS = ("goal", "tag")


# The per-project table's columns in CSV: the keys of a project in the report's JSON, in order.
_PROJECT_CSV: tuple[tuple[str, Kind], ...] = (
    ("id", "text"),
    ("phase", "text"),
    ("health", "text"),
    ("status_date", "text"),
    ("percent_complete", "number"),
    *((name, kind) for name, _, kind in FIGURE_COLUMNS),
    ("name", "text"),
    ("manager", "text"),
    ("manager_name", "text"),
    ("start", "text"),
    ("end", "text"),
    ("note", "text"),
)


def projects_table(report: Report, fmt: str) -> Table:
    """One row per reported project, with its newest status note; in CSV every key of the project's JSON, as named there."""
    if fmt == "csv":
        rows = [
            (
                value.id,
                value.phase,
                value.health,
                iso(value.status_date),
                value.percent_complete,
                *(getattr(value.figures, name) for name, _, _ in FIGURE_COLUMNS),
                value.name,
                value.manager,
                report.managers.get(value.manager),
                iso(value.start),
                iso(value.end),
                value.note,
            )
            for value in report.projects
        ]
        return Table(columns=[Column(name, kind) for name, kind in _PROJECT_CSV], rows=rows)
    listed, omitted = shorten(report.projects, _listed(fmt), "projects", hint=_ALL_LISTED)
    # Projects by id, as every other table of the report names them. On a narrow terminal the name goes first (under its
    # row: free text is never hidden), then the manager, the percent done, then the indexes; id, health, end and note stay.
    columns = [
        Column("Project"),
        Column("Name", wrap=True, priority=5),
        Column("Manager", priority=4),
        Column("Health", style=health_style),
        Column("Done", "percent", priority=3),
        Column("SPI", "ratio", index_style, priority=2),
        Column("CPI", "ratio", index_style, priority=2),
        Column("End"),
        Column("Latest note", wrap=True),
    ]
    rows = [
        (
            value.id,
            value.name,
            report.managers.get(value.manager, value.manager),
            health_label(value.health, fmt),
            value.percent_complete,
            value.figures.spi,
            value.figures.cpi,
            value.end.isoformat(),
            value.note,
        )
        for value in listed
    ]
    return Table(columns=columns, rows=rows, title="Projects", omitted=omitted)


def attention_text(attention: Attention) -> str:
    """Why a project needs attention, as one line of its reasons with their figures."""
    value = attention.project
    f = value.figures
    words = {
        "red": "reported red",
        "amber": "reported amber",
        "spi": f"SPI {format_cell(f.spi, 'ratio')}",
        "cpi": f"CPI {format_cell(f.cpi, 'ratio')}",
        "late": "late: " + ", ".join(f"'{m.name}' (due {m.date})" for m in value.late),
        "over-budget": f"EAC {format_cell(f.eac, 'money')} over BAC {format_cell(f.bac, 'money')}",
        "stale": f"last status {value.status_date}" if value.status_date is not None else "no status report",
    }
    return "; ".join(words[reason] for reason in attention.reasons)


def _listed(fmt: str) -> int | None:
    return _MAX_ROWS if fmt == "text" else None


def attention_table(report: Report, fmt: str) -> Table:
    """Open projects that are red or amber, under 0.9 SPI or CPI, late on a milestone, or forecast over budget."""
    rows, omitted = shorten(
        [(a.project.id, a.project.phase, health_label(a.project.health, fmt), a.project.figures.spi, a.project.figures.cpi, attention_text(a)) for a in report.attention],
        _listed(fmt),
        "projects",
        hint=_ALL_LISTED,
    )
    return Table(
        columns=[
            Column("Project"),
            Column("Phase", priority=3),
            Column("Health", style=health_style),
            Column("SPI", "ratio", index_style, 2),
            Column("CPI", "ratio", index_style, 2),
            Column("Why", wrap=True),
        ],
        rows=rows,
        title="Needs attention",
        omitted=omitted,
    )


def risks_table(report: Report) -> Table:
    """The open risks with the highest exposure."""
    return Table(
        columns=[
            Column("Project"),
            Column("Risk", wrap=True),
            Column("Owner", priority=3),
            Column("Probability", "ratio", priority=4),
            Column("Impact", "money", priority=4),
            Column("Exposure", "money", priority=2),
        ],
        rows=[(r.project, r.name, r.owner, r.probability, r.impact, r.exposure) for r in report.risks],
        title="Top risks by exposure",
    )


def upcoming_table(report: Report, fmt: str) -> Table:
    """Milestones not done, due in the next days."""
    rows, omitted = shorten([(m.date.isoformat(), m.project, m.name, health_label(m.health, fmt)) for m in report.upcoming], _listed(fmt), "milestones", hint=_ALL_LISTED)
    return Table(
        columns=[Column("Due"), Column("Project"), Column("Milestone", wrap=True), Column("Health", style=health_style)],
        rows=rows,
        title=f"Milestones due in the next {UPCOMING_DAYS} days",
        omitted=omitted,
    )


def titled_section(table: Table, out: Output, empty: str) -> str:
    """A titled table of a report, or `empty` under its title when it has no rows."""
    return tables.render(replace(table, empty=empty), out)


def render(report: Report, out: Output, *, only_projects: bool = False) -> str:
    """The report: text (rich, fitted to the terminal; long lists cut), plain, markdown, csv or json.

    `only_projects` gives the per-project table alone (in CSV, one row per project instead of per group); JSON has both always.
    """
    fmt = out.format
    if fmt == "json":
        return dumps(report_json(report))
    if only_projects:
        return tables.render(projects_table(report, fmt), out)
    if fmt == "csv":
        return tables.render(rollup_table(report, fmt), out)
    heading = f"{report.organisation}: portfolio report as of {report.as_of.isoformat()}, {report.currency}, {counted(len(report.projects), 'project')}"
    parts = [f"## {escape.markdown(heading)}\n" if fmt == "markdown" else f"{escape.terminal(heading)}\n"]
    if report.left_out:  # a starter workspace of two proposals reported "1 project" while the roadmap drew both
        one = report.left_out == 1
        parts[0] += f"{counted(report.left_out, 'proposed or cancelled project')} {'is' if one else 'are'} left out; --all reports {'it' if one else 'them'}.\n"
    parts.append(tables.render(rollup_table(report, fmt), out))
    parts.append(titled_section(projects_table(report, fmt), out, "No project is reported."))
    parts.append(titled_section(attention_table(report, fmt), out, "No project needs attention."))
    parts.append(titled_section(risks_table(report), out, "No open risks."))
    parts.append(titled_section(upcoming_table(report, fmt), out, "No milestone is due."))
    return "\n".join(parts)


def trend_table(record: TrendReport, fmt: str) -> Table:
    """One row per status date: health, percent complete against plan, PV, EV, AC, SPI, CPI."""
    trend: Trend = record.trend
    footer = []
    if len(trend.points) > 1:
        first, last = trend.points[0], trend.points[-1]
        footer.append(
            f"From {first.date} to {last.date}: SPI {format_cell(first.spi, 'ratio')} → {format_cell(last.spi, 'ratio')}, "
            f"CPI {format_cell(first.cpi, 'ratio')} → {format_cell(last.cpi, 'ratio')}, health {first.health} → {last.health}"
        )
    csv = fmt == "csv"
    headers = _TREND_CSV if csv else _TREND_HEADERS
    kinds = ("text", "text", "percent", "ratio" if csv else "percent", "money", "money", "money", "ratio", "ratio")
    styles = (None, health_style, None, None, None, None, None, index_style, index_style)
    priorities = (1, 1, 2, 3, 4, 3, 3, 2, 2)  # the date and health are KEY columns; PV goes first on a narrow terminal
    return Table(
        columns=[Column(header, kind, style, priority) for header, kind, style, priority in zip(headers, kinds, styles, priorities)],  # type: ignore[arg-type]
        rows=[
            (
                p.date.isoformat(),
                health_label(p.health, fmt),
                p.percent_complete,
                p.planned_fraction if csv else f"{p.planned_fraction:.0%}",
                p.pv,
                p.ev,
                p.ac,
                p.spi,
                p.cpi,
            )
            for p in trend.points
        ],
        title=f"Trend of {trend.id} ({trend.name}) as of {trend.as_of.isoformat()}, {record.currency}",
        footer=footer,
    )


_TREND_HEADERS = ("Date", "Health", "Done", "Planned", "PV", "EV", "AC", "SPI", "CPI")
_TREND_CSV = ("date", "health", "percent_complete", "planned_fraction", "pv", "ev", "ac", "spi", "cpi")


def render_trend(record: TrendReport, out: Output) -> str:
    """`ppm report --trend ID`."""
    if out.format == "json":
        return dumps(trend_json(record))
    return titled_section(trend_table(record, out.format), out, "No status report on or before this date.")
