"""Render layer: the portfolio as the sheets of `ppm export xlsx` (Projects, Ranking, Plan, Capacity, Conflicts, Report), and the projects table `ppm export csv` writes.

Every figure is the value of the stable JSON of the command that owns it
(`prioritize`, `plan`, `capacity`, `conflicts`, `report`): its records, or its rounding;
ISO dates become dates. The projects table has the columns `ppm import csv` reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ppmcli.analysis.resources.capacity import CapacityReport
from ppmcli.analysis.resources.conflicts import ConflictsReport
from ppmcli.analysis.delivery.rollup import Report
from ppmcli.analysis.selection.plan import Plan
from ppmcli.analysis.selection.prioritize import Selection
from ppmcli.core.errors import counted
from ppmcli.core.model import Project
from ppmcli.render import capacity as capacity_render
from ppmcli.render import conflicts as conflicts_render
from ppmcli.render.json import money, ratio
from ppmcli.render.plan import plan_json
from ppmcli.render.ranking import selection_json
from ppmcli.render.report import report_json
from ppmcli.render.table import Column as TableColumn
from ppmcli.render.table import Table
from ppmcli.render.xlsx import Column, Sheet

# Separator of tags in one cell (`ppm import csv` splits on it).
TAG_SEPARATOR = "; "


def project_columns(projects: Iterable[Project]) -> list[tuple[str, str]]:
    """(header, kind) of the projects table: the fields `ppm import csv` reads, and a `scores.NAME` column per score in use."""
    names = sorted({name for project in projects for name in project.scores})
    fixed = [("id", "text"), ("name", "text"), ("portfolio", "text"), ("program", "text"), ("manager", "text"), ("phase", "text"), ("start", "date"), ("end", "date"), ("budget", "money"), ("benefits", "money"), ("tags", "text")]
    return fixed + [(f"scores.{name}", "general") for name in names]


def project_rows(projects: dict[str, Project], columns: Sequence[tuple[str, str]]) -> list[list[Any]]:
    rows = []
    for pid, project in projects.items():
        values: dict[str, Any] = {
            "id": pid, "name": project.name, "portfolio": project.portfolio, "program": project.program, "manager": project.manager,
            "phase": project.phase.value, "start": project.start, "end": project.end, "budget": project.budget, "benefits": project.benefits,
            "tags": TAG_SEPARATOR.join(project.tags) or None,
        }
        rows.append([values[header] if header in values else project.scores.get(header[len("scores.") :]) for header, _ in columns])
    return rows


# What a project file may hold beyond the table's columns, as a note names it.
_BEYOND_THE_TABLE = {"mandatory": "a mandatory flag", "goals": "goals", "depends_on": "dependencies", "excludes": "exclusions", "team": "a team", "milestones": "milestones", "risks": "risks", "status": "status reports"}


def left_out(projects: dict[str, Project]) -> str | None:
    """What `projects_table` leaves out of the project files, in one sentence (None when they hold nothing else): an
    import of the table into another workspace creates projects without it."""
    # What a file holds, not what it writes empty (`mandatory: false`, `team: []`).
    holding = [project for project in projects.values() if any(getattr(project, field) for field in _BEYOND_THE_TABLE)]
    if not holding:
        return None
    held = [label for field, label in _BEYOND_THE_TABLE.items() if any(getattr(project, field) for project in holding)]
    named = ", ".join(held[:-1]) + f" and {held[-1]}" if len(held) > 1 else held[0]
    return f"the table has the columns 'ppm import csv' reads; {counted(len(holding), 'project')} also {'hold' if len(holding) > 1 else 'holds'} {named}, which it leaves out"


def projects_table(projects: dict[str, Project]) -> Table:
    """The projects as a table for `ppm export csv`: figures as written (not rounded: an export edited and imported
    again must give the same files), ISO dates, the header `ppm import csv` reads."""
    columns = project_columns(projects.values())
    rows = [[_as_written(value) for value in row] for row in project_rows(projects, columns)]
    return Table(columns=[TableColumn(header, "text") for header, _ in columns], rows=rows)


def _as_written(value: Any) -> Any:
    """A whole float as the int it is (750000, not 750000.0); any other value as it is (a text column writes a float's repr)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _dated(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _sheet(name: str, records: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str, str]]) -> Sheet:
    """A sheet of JSON records: (key, header, kind) per column; dates parsed, lists joined."""
    rows = []
    for record in records:
        row = []
        for key, _, kind in columns:
            value = record.get(key)
            if kind == "date":
                value = _dated(value)
            elif isinstance(value, list):
                value = ", ".join(map(str, value))
            row.append(value)
        rows.append(row)
    return Sheet(name, [Column(header, kind) for _, header, kind in columns], rows)


_RANKING = [("rank", "Rank", "int"), ("id", "Project", "text"), ("score", "Score", "number"), ("value", "Value", "number"), ("cost", "Cost", "money"), ("selected", "Selected", "bool"), ("reason", "Why", "text")]


_PLAN = [
    ("id", "Project", "text"), ("state", "State", "text"), ("rank", "Rank", "int"), ("score", "Score", "number"), ("value", "Value", "number"), ("cost", "Cost to go", "money"),
    ("selected", "Selected", "bool"), ("delay", "Delay (months)", "int"), ("start", "Start", "date"), ("end", "End", "date"), ("reason", "Why", "text"),
]


def plan_sheet(plan: Plan) -> Sheet:
    """The Plan sheet: `ppm plan`'s projects (running ones, then the candidates in rank order), a column per key of its JSON."""
    return _sheet("Plan", plan_json(plan)["projects"], _PLAN)


_CONFLICTS = [("person", "Person", "text"), ("from", "From", "date"), ("to", "To", "date"), ("peak", "Peak FTE", "ratio"), ("capacity", "Capacity", "ratio"), ("days", "Days", "int"), ("projects", "Projects", "text")]
_FIGURES = [("bac", "BAC", "money"), ("pv", "PV", "money"), ("ev", "EV", "money"), ("ac", "AC", "money"), ("eac", "EAC", "money"), ("vac", "VAC", "money"), ("cv", "CV", "money"), ("sv", "SV", "money"), ("spi", "SPI", "ratio"), ("cpi", "CPI", "ratio"), ("tcpi", "TCPI", "ratio"), ("benefits", "Benefits", "money"), ("benefits_realized", "Benefits realized", "money"), ("labor_cost", "Labor cost", "money"), ("risk_exposure", "Risk exposure", "money"), ("late_milestones", "Late milestones", "int")]
_REPORT = [("id", "Project", "text"), ("phase", "Phase", "text"), ("health", "Health", "text"), ("status_date", "Status date", "date"), ("percent_complete", "Percent complete", "points"), *_FIGURES]


def capacity_sheet(report: CapacityReport) -> Sheet:
    """The heat map of `ppm capacity`: a row per role, then per person, a column per period holding the utilization, coloured by band as on the terminal.

    Each figure is rounded as `ppm capacity --format json` rounds it, straight from the report (not through its JSON text: a large portfolio has many cells).
    """
    periods = [period.key for period in report.periods]
    rows: list[list[Any]] = []
    bands: list[list[str | None]] = []
    if periods:
        for kind, people in (("role", report.roles), ("person", report.people)):
            for row in people:
                shares = [ratio(share) for share in row.utilization]
                rows.append([kind, row.name, *shares])
                bands.append([None, None, *(_band(share, bool(money(demand) or money(tentative))) for share, demand, tentative in zip(shares, row.demand, row.tentative))])
    return Sheet("Capacity", [Column("Kind"), Column("Name"), *(Column(period, "percent") for period in periods)], rows, bands)


def _band(utilization: float | None, loaded: bool) -> str | None:
    band = capacity_render.band(utilization, loaded)
    return None if band == "none" else band


def selection_sheets(projects: dict[str, Project], selection: Selection, plan: Plan) -> list[Sheet]:
    """The sheets Projects, Ranking (`ppm prioritize`) and Plan (`ppm plan`)."""
    columns = project_columns(projects.values())
    return [
        Sheet("Projects", [Column(header, kind) for header, kind in columns], project_rows(projects, columns)),
        _sheet("Ranking", selection_json(selection), _RANKING if selection.method is not None else [c for c in _RANKING if c[0] != "selected"]),
        plan_sheet(plan),
    ]


def conflicts_sheet(conflicts: ConflictsReport) -> Sheet:
    """The Conflicts sheet: `ppm conflicts --format json`."""
    return _sheet("Conflicts", [conflicts_render.record(conflict, None) for conflict in conflicts.conflicts], _CONFLICTS)


def report_sheet(report: Report) -> Sheet:
    """The Report sheet: `ppm report --format json`'s projects, and a Total row."""
    rolled = report_json(report)
    total = {**rolled["total"], "id": "Total", "phase": None, "status_date": None, "percent_complete": None}
    return _sheet("Report", [*rolled["projects"], total], _REPORT)
