"""Render layer: `ppm status ID`, one project's weekly view, as text (rich), plain, Markdown (to paste in an update) or JSON.

The header says who, what and how it is doing in a few lines; then one table
per section (earned value, milestones, open risks, team, trend), then the
findings of `ppm check` in the project's file, one per line as `check` prints
them. JSON's `project` is exactly the project's object of `report --format json`.
"""

from __future__ import annotations

from typing import Any

from ppmcli.analysis.delivery.rollup import Attention, TrendReport
from ppmcli.analysis.delivery.status import MilestoneState, ProjectStatus
from ppmcli.render import escape
from ppmcli.render import table as tables
from ppmcli.render.conflicts import record as conflict_record
from ppmcli.render.findings import as_text, record
from ppmcli.render.json import dumps, iso, money, ratio
from ppmcli.render.output import Output
from ppmcli.render.report import attention_text, health_label, health_style, index_style, project_json, titled_section, trend_json
from ppmcli.render.table import Column, Table, format_cell

FORMATS = ("text", "plain", "markdown", "json")


# ---------------------------------------------------------------- JSON


def status_json(found: ProjectStatus) -> dict[str, Any]:
    """The JSON of `ppm status ID`: the report's project object, then the status's own sections."""
    value = found.value
    status = value.status
    return {
        "as_of": iso(value.as_of),
        "currency": found.currency,
        "project": project_json(value, {value.manager: found.manager_name} if found.manager_name is not None else {}),
        "portfolio": None if found.portfolio is None else {"id": found.portfolio[0], "name": found.portfolio[1]},
        "program": None if found.program is None else {"id": found.program[0], "name": found.program[1]},
        "status": None
        if status is None
        else {
            "date": iso(status.date),
            "health": status.health.value,
            "percent_complete": money(status.percent_complete),
            "actual_cost": money(status.actual_cost),
            "forecast_cost": money(status.forecast_cost),
            "benefits_realized": money(status.benefits_realized),
            "note": status.note,
        },
        "attention": list(found.attention),
        "milestones": [
            {"name": m.milestone.name, "date": iso(m.milestone.date), "done": iso(m.milestone.done), "state": m.state, "days": m.days} for m in found.milestones
        ],
        "risks": [
            {"name": r.name, "owner": r.owner, "probability": ratio(r.probability), "impact": money(r.impact), "exposure": money(r.exposure), "mitigation": r.mitigation}
            for r in found.risks
        ],
        "team": [
            {
                "person": line.person,
                "name": line.name,
                "role": line.role,
                "fte": ratio(line.fte),
                "from": iso(line.start),
                "to": iso(line.end),
                "conflicts": [conflict_record(c, None) for c in line.conflicts],  # as `ppm conflicts --format json` has them
            }
            for line in found.team
        ],
        "trend": trend_json(TrendReport(found.currency, found.trend))["trend"],  # as `report --trend ID --format json` has it
        "path": found.path,
        "findings": [record(f) for f in found.findings],
    }


# ---------------------------------------------------------------- text, plain, Markdown


def _header(s: ProjectStatus, fmt: str) -> list[str]:
    """The lines above the tables, raw (escaped by the caller): who, what, when, how."""
    value = s.value
    manager = f"{s.manager_name} ({value.manager})" if s.manager_name else value.manager
    where = " / ".join(pair[1] for pair in (s.portfolio, s.program) if pair is not None)
    lines = [
        f"Phase {value.phase}, {value.start} to {value.end}" + (f", {where}" if where else ""),
        f"Manager: {manager}",
    ]
    status = value.status
    if status is None:
        lines.append(f"Health: {health_label(value.health, fmt)} (no status report on or before {value.as_of})")
    else:
        lines.append(f"Health: {health_label(value.health, fmt)}, {format_cell(status.percent_complete, 'percent')} complete, reported {status.date}")
        if status.note:
            lines.append(f"Note: {status.note}")
    if s.attention:
        lines.append(f"Needs attention: {attention_text(Attention(value, s.attention))}")
    return lines


def evm_table(s: ProjectStatus) -> Table:
    """PV, EV, AC, SPI, CPI, EAC, VAC in one row."""
    f = s.value.figures
    return Table(
        columns=[
            Column("BAC", "money"),
            Column("PV", "money"),
            Column("EV", "money"),
            Column("AC", "money"),
            Column("SPI", "ratio", index_style),
            Column("CPI", "ratio", index_style),
            Column("EAC", "money"),
            Column("VAC", "money"),
        ],
        rows=[(f.bac, f.pv, f.ev, f.ac, f.spi, f.cpi, f.eac, f.vac)],
        title=f"Earned value ({s.currency})",
    )


_STATE_STYLE = {"late": "bold red", "slipped": "yellow", "done": "green"}


def _state(m: MilestoneState) -> str:
    if m.state == "slipped":
        return f"slipped {m.days} d"
    if m.state == "late":
        return f"LATE {m.days} d"
    return m.state


def milestones_table(s: ProjectStatus) -> Table:
    return Table(
        columns=[Column("Due"), Column("Milestone", wrap=True), Column("Done"), Column("State", style=lambda v: _STATE_STYLE.get(str(v).split(" ")[0].lower()))],
        rows=[(m.milestone.date.isoformat(), m.milestone.name, iso(m.milestone.done) if m.state != "open" else None, _state(m)) for m in s.milestones],
        title="Milestones",
    )


def risks_table(s: ProjectStatus) -> Table:
    """Open risks, highest exposure first; on a narrow terminal the probability and impact go first, then the owner."""
    return Table(
        columns=[
            Column("Risk", wrap=True),
            Column("Owner", priority=3),
            Column("Prob.", "ratio", priority=4),
            Column("Impact", "money", priority=4),
            Column("Exposure", "money"),
            Column("Mitigation", wrap=True),
        ],
        rows=[(r.name, r.owner, r.probability, r.impact, r.exposure, r.mitigation) for r in s.risks],
        title="Open risks by exposure",
    )


def team_table(s: ProjectStatus) -> Table:
    """Each allocation, with the peak of any over-allocation it is part of; the conflicts themselves under the table."""
    rows = []
    footer = []
    for line in s.team:
        # A role demand has nobody yet: its row says so, and its role is in the Role column like a person's.
        who = (line.name or line.person or "") if line.person is not None else "(unstaffed)"
        peak = max((c.peak for c in line.conflicts), default=None)
        rows.append((who, line.role, line.fte, line.start.isoformat(), line.end.isoformat(), peak))
        for c in line.conflicts:
            others = [p for p in c.projects if p != s.value.id]
            footer.append(
                f"{who} is over-allocated from {c.start} to {c.end}: peak {format_cell(c.peak, 'ratio')} FTE of {format_cell(c.capacity, 'ratio')}"
                + (f", also on {', '.join(others)}" if others else "")
            )
    return Table(
        columns=[Column("Who"), Column("Role"), Column("FTE", "ratio"), Column("From"), Column("To"), Column("Peak", "ratio", lambda v: "bold red" if v is not None else None)],
        rows=rows,
        title="Team",
        footer=footer,
    )


def trend_table(s: ProjectStatus, fmt: str) -> Table:
    points = s.trend.points
    return Table(
        columns=[Column("Date"), Column("Health", style=health_style), Column("Done", "percent"), Column("Planned", "percent"), Column("SPI", "ratio", index_style), Column("CPI", "ratio", index_style)],
        rows=[(p.date.isoformat(), health_label(p.health, fmt), p.percent_complete, 100 * p.planned_fraction, p.spi, p.cpi) for p in points],
        title=(f"Trend of the last {len(points)} statuses" if len(points) > 1 else "Trend of the last status") if points else "Trend",
        # The newest point's SPI is at its own date, the earned value above at --as-of: the two differ, and both are right.
        footer=["Planned, SPI and CPI of each status are as of its date; the earned value above is as of the report's date."] if points else [],
    )


def _findings(s: ProjectStatus, out: Output) -> str:
    fmt = out.format
    heading = f"Findings of ppm check in {s.path}"
    if any(f.path != s.path for f in s.findings):
        heading += " and on its team's over-allocations"
    # On a terminal the heading wraps to its width (a long path), escaped first so the break stays a break.
    heading = tables.title(heading, fmt) if fmt == "markdown" else _indented(escape.terminal(heading), out, "").rstrip("\n")
    if not s.findings:
        body = "  None." if fmt != "markdown" else "\nNone."
        return f"{heading}\n{body}\n"
    lines = as_text(s.findings)
    if fmt == "markdown":
        # Each finding a list item, escaped as Markdown text: it cannot open a block or a link.
        return f"{heading}\n\n" + "".join(f"- {escape.markdown(line)}\n" for line in lines.splitlines())
    # One finding a line as `ppm check` writes it; on a terminal wrapped to its width, the rest of a finding indented.
    return f"{heading}\n" + "".join(_indented(line, out, "") for line in lines.splitlines())


def _indented(line: str, out: Output, indent: str = "  ") -> str:
    """A header line, indented; on a terminal wrapped at word boundaries to its width."""
    if not out.terminal:
        return f"{indent}{line}\n"
    return "\n".join(tables.wrap(indent + line, out.width, indent + "  ")) + "\n"


def render(s: ProjectStatus, out: Output) -> str:
    """`ppm status ID`: text (rich), plain, markdown or json."""
    fmt = out.format
    if fmt == "json":
        return dumps(status_json(s))
    value = s.value
    title = f"{value.name} ({value.id}): status as of {value.as_of}"
    header = _header(s, fmt)
    if fmt == "markdown":
        head = f"## {escape.markdown(title)}\n\n" + "".join(f"- {escape.markdown(line)}\n" for line in header)
    else:
        head = _indented(escape.terminal(title), out, "") + "".join(_indented(escape.terminal(line), out) for line in header)
    parts = [
        head,
        tables.render(evm_table(s), out),
        titled_section(milestones_table(s), out, "No milestones."),
        titled_section(risks_table(s), out, "No open risks."),
        titled_section(team_table(s), out, "No team allocated."),
        titled_section(trend_table(s, fmt), out, "No status report on or before this date."),
        _findings(s, out),
    ]
    return "\n".join(parts)
