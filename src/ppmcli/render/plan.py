"""Render layer: `ppm plan` as tables (projects with planned and new start, why each decision), a role × month heat map, and the stable JSON.

Every figure comes from `analysis.selection.plan`; this module only lays it out and
rounds it. Tables go through `table.render_table` and the heat map through
`capacity.heatmap`, so their escaping applies here too. In plain text every
table fits 80 columns: the explanations are wrapped into continuation rows.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction
from typing import Any

from ppmcli.analysis.filters import nothing_to
from ppmcli.analysis.selection.plan import CapacityCell, Plan, PlanRow
from ppmcli.core.errors import counted
from ppmcli.core.findings import listed
from ppmcli.render import table as tables
from ppmcli.render.json import dumps, money, ratio
from ppmcli.render.output import Output
from ppmcli.render.ranking import proof_note
from ppmcli.render.table import TERMINAL_ROWS, Column, Table, format_cell, more_kinds, shorten

FORMATS = (*tables.FORMATS, "json")  # every table format, as the other commands whose renderers build Tables
# Plain text is read in 80 columns: the "why" column wraps to what the project column leaves.
PLAIN_WIDTH = 80
# Role-months named in the line of binding constraints; the heat map shows them all.
_BINDING_SHOWN = 8


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _money(value: Fraction | None) -> str:
    return format_cell(_number(value), "money")


def decision(row: PlanRow) -> str:
    """A project's decision in a word or two: kept, stopped, start, delay N, out."""
    if row.state == "running":
        return "kept" if row.selected else "stopped"
    if not row.selected:
        return "out"
    return "start" if not row.delay else f"+{counted(row.delay, 'month')}"


def why(row: PlanRow, last: str) -> str | None:
    """Why the plan made its decision about a project, in a sentence; `last` is the horizon's last month."""
    if row.state == "running":
        if row.selected:
            return None
        freed = ", ".join(f"{days:.1f} days of {role}" for role, days in row.frees)
        months = f" from {row.freed_months[0]} to {row.freed_months[1]}" if row.freed_months else ""
        return f"stopped: frees {_money(row.cost)}" + (f" and {freed}{months}" if freed else "")
    if not row.selected:
        return row.reason
    parts = []
    if row.forced:
        parts.append(f"forced: {row.forced}")
    if row.delayed_by:
        parts.append(f"{counted(row.delay or 0, 'month')} late; {row.delayed_by}")
    if row.after_horizon:
        parts.append(f"starts after the horizon ends ({last}), so its team's demand is not checked; --months plans further")
    return "; ".join(parts) or None


# ---------------------------------------------------------------- tables


# A terminal's plan shows the running projects it stops and a few it keeps, then the top of the candidates' ranking.
RUNNING_SHOWN = 10
CANDIDATES_SHOWN = TERMINAL_ROWS - RUNNING_SHOWN


def projects_table(plan: Plan, currency: str, unmatched: str | None = None, *, terminal: bool = False) -> Table:
    """The running projects, then the candidates in rank order: cost, decision, planned and new start; on a terminal,
    a screenful of them (every stopped one) and how many more."""
    # Narrow terminals lose the rank, then the planned start, then the cost: the decision and the new start stay.
    columns = [Column("#", "int", priority=4), Column("Project"), Column("Cost to go", "money", priority=2, key="cost"), Column("Plan", wrap=True), Column("Planned", priority=3), Column("Start")]
    running = [row for row in plan.projects if row.state == "running"]
    candidates = [row for row in plan.projects if row.state != "running"]
    omitted = None
    if terminal and len(plan.projects) > TERMINAL_ROWS:
        room = max(RUNNING_SHOWN - sum(not row.selected for row in running), 0)
        kept = {row.id for row in [row for row in running if row.selected][:room]}
        shown = [row for row in running if not row.selected or row.id in kept]
        omitted = more_kinds([(len(running) - len(shown), "running"), (len(candidates) - CANDIDATES_SHOWN, "candidate")], "projects")
        running, candidates = shown, candidates[:CANDIDATES_SHOWN]
    rows = [
        [row.rank, row.id, _number(row.cost), decision(row), row.planned_start.isoformat(), row.start.isoformat() if row.selected else None]
        for row in (*running, *candidates)
    ]
    rules = frozenset({len(running) - 1}) if running and candidates else frozenset()
    return Table(columns=columns, rows=rows, title=_title(plan), footer=_totals(plan, currency), rules_after=rules, omitted=omitted, empty=nothing_to("plan", unmatched))


def _title(plan: Plan) -> str:
    delays = f"delays up to {counted(plan.max_delay, 'month')}" if plan.max_delay else "no delay"
    return f"Plan {plan.first} to {plan.last}, {plan.method} by '{plan.model}', {delays}"


def _totals(plan: Plan, currency: str) -> list[str]:
    running = [row for row in plan.projects if row.state == "running"]
    candidates = [row for row in plan.projects if row.state == "candidate"]
    started = [row for row in candidates if row.selected]
    lines = [
        f"Running: {sum(row.selected for row in running):,} kept, {sum(not row.selected for row in running):,} stopped. "
        f"Candidates: {len(started):,} of {len(candidates):,} started, {sum(1 for row in started if row.delay):,} late.",
        f"Cost to go {_money(plan.cost)} {currency}, value {format_cell(float(plan.value), 'number')}"
        + (f"; budget {_money(plan.budget)}, left {_money(plan.left)}." if plan.budget is not None else "."),
    ]
    if plan.solve is not None:
        lines.append(proof_note(plan.solve))
    return lines


def _two_columns(pairs: list[tuple[str, str]], fmt: str, header: str) -> list[list[Any]]:
    """(label, sentence) rows under a first column headed `header`; in plain text each sentence wraps into continuation
    rows to fit 80 columns (rich wraps its own)."""
    if fmt != "plain":
        return [[label, text] for label, text in pairs]
    room = max(30, PLAIN_WIDTH - 2 - max(len(header), *(len(label) for label, _ in pairs)))
    rows: list[list[Any]] = []
    for label, text in pairs:
        for index, line in enumerate(textwrap.wrap(text, room, break_on_hyphens=False) or [""]):
            rows.append([label if index == 0 else "", line])
    return rows


def why_table(plan: Plan, fmt: str, *, terminal: bool = False) -> Table | None:
    """One row per decision that needs a word; on a terminal, a screenful of them and how many more."""
    explained = [(row.id, text) for row in plan.projects if (text := why(row, plan.last))]
    if not explained:
        return None
    shown, omitted = shorten(explained, TERMINAL_ROWS if terminal else None, "explanations")
    return Table(columns=[Column("Project"), Column("Why", wrap=True)], rows=_two_columns(shown, fmt, "Project"), title="Why", omitted=omitted)


def limits_table(plan: Plan, fmt: str) -> Table | None:
    """Hires, overloaded months, binding constraints and breaches, a line each."""
    rows: list[tuple[str, str]] = []
    for hire in plan.hires:
        when = f"from {hire.month}" if hire.month else f"from {plan.first}"
        rows.append(("hire", f"{hire.count:g} {hire.role} {when}"))
    # One row per role, its months listed (ten months of one role read as ten near-identical rows).
    months: dict[str, list[str]] = {}
    for role, period in plan.overloaded:
        months.setdefault(role, []).append(period)
    for role, periods in months.items():
        rows.append(("overloaded", f"{role} in {listed(periods, _BINDING_SHOWN)}: the running projects alone exceed the supply"))
    binding = plan.binding
    if binding:
        rows.append(("at 100 %", listed((f"{cell.role} {cell.period}" for cell in binding), _BINDING_SHOWN)))
    if plan.budget is not None:
        rows.append(("budget left", _money(plan.left)))
    for breach in plan.breaches:
        rows.append((f"BREACH {breach.limit}", breach.detail))
    if not rows:
        return None
    return Table(columns=[Column("Limit"), Column("Detail", wrap=True)], rows=_two_columns(rows, fmt, "Limit"), title="Limits")


def capacity_table(plan: Plan) -> Table:
    """Every role × month (plain, markdown): supply with the hires, the hires, the plan's demand, utilization."""
    rows = [[cell.period, cell.role, cell.supply, cell.hires, cell.demand, cell.utilization] for cell in plan.capacity]
    columns = [Column("period"), Column("role"), Column("supply", "number"), Column("hires", "number"), Column("demand", "number"), Column("utilization", "ratio")]
    return Table(columns=columns, rows=rows, title="Capacity by month (person-days; supply from --as-of, hires included)")


def csv_table(plan: Plan) -> Table:
    """One CSV row per project, with every figure of the decision."""
    columns = [
        Column("id"), Column("state"), Column("rank", "int"), Column("score", "number"), Column("value", "number"), Column("cost", "money"),
        Column("selected"), Column("delay", "int"), Column("planned_start"), Column("start"), Column("end"), Column("reason"),
    ]
    rows = [
        [row.id, row.state, row.rank, _number(row.score), _number(row.value), _number(row.cost), "yes" if row.selected else "no", row.delay,
         row.planned_start.isoformat(), row.start.isoformat(), row.end.isoformat(), why(row, plan.last)]
        for row in plan.projects
    ]
    return Table(columns=columns, rows=rows)


# ---------------------------------------------------------------- the heat map


def _as_capacity_report(plan: Plan):  # -> allocation.CapacityReport
    """The plan's role × month cells as `ppm capacity` records, for its heat map (no people rows)."""
    from ppmcli.analysis.resources.capacity import CapacityReport, Utilization
    from ppmcli.analysis.resources.workdays import periods

    months = periods(_first_day(plan.first), _first_day(plan.last), "month")
    by_role: dict[str, list[CapacityCell]] = {}
    for cell in plan.capacity:
        by_role.setdefault(cell.role, []).append(cell)
    roles = []
    for role, cells in by_role.items():
        shown = [cell.utilization for cell in cells]
        peaks = [value for value in shown if value is not None]
        name = role + (" +hire" if any(cell.hires for cell in cells) else "")
        roles.append(Utilization(
            name, role, tuple(cell.supply for cell in cells), tuple(cell.demand for cell in cells), (0.0,) * len(cells),
            tuple(shown), tuple(shown), max(peaks) if peaks else None, any(cell.utilization is None and cell.demand > 0 for cell in cells),
            tuple(shown),  # by month, each month's peak is itself
        ))
    return CapacityReport("month", tuple(months), tuple(roles), ())


def _first_day(key: str):  # -> date
    from datetime import date

    return date(int(key[:4]), int(key[5:7]), 1)


# ---------------------------------------------------------------- formats


def render_plan(plan: Plan, currency: str, out: Output, *, unmatched: str | None = None) -> str:
    """`ppm plan`: text (rich tables and the heat map), plain (80 columns), markdown, csv (the projects) or json; a sentence when there is no project."""
    if out.format == "json":
        return dumps(plan_json(plan))
    if out.format == "csv":
        return tables.render(csv_table(plan), out)
    if not plan.projects:
        # No running project and no candidate: nothing planned, no demand to draw; what the limits say stays.
        return tables.render(projects_table(plan, currency, unmatched), out) + "".join("\n" + tables.render(table, out) for table in [limits_table(plan, out.format)] if table is not None)
    found = [projects_table(plan, currency, terminal=out.terminal), why_table(plan, out.format, terminal=out.terminal), limits_table(plan, out.format)]
    parts = [tables.render(table, out) for table in found if table is not None]
    if out.terminal:
        from ppmcli.render.capacity import heatmap

        title = f"Utilization by month, {plan.first} to {plan.last}: the plan's demand ÷ supply (from --as-of, hires included)"
        parts.append(heatmap(_as_capacity_report(plan), color=out.color, width=out.width, title=title))
    else:
        parts.append(tables.render(capacity_table(plan), out))
    return "\n".join(parts)


def plan_json(plan: Plan) -> dict[str, Any]:
    """The stable JSON of `ppm plan`, keys in the contract's order."""
    return {
        "as_of": plan.as_of.isoformat(),
        "horizon": {"from": plan.first, "to": plan.last},
        "method": plan.method,
        "proven": plan.proven,
        "gap": None if plan.solve is None else ratio(plan.solve.gap),
        "budget": money(_number(plan.budget)),
        "cost": money(_number(plan.cost)),
        "value": money(_number(plan.value)),
        "projects": [
            {
                "id": row.id,
                "state": row.state,
                "rank": row.rank,
                "score": money(_number(row.score)),
                "value": money(_number(row.value)),
                "cost": money(_number(row.cost)),
                "selected": row.selected,
                "delay": row.delay,
                "start": row.start.isoformat(),
                "end": row.end.isoformat(),
                "reason": row.reason,
            }
            for row in plan.projects
        ],
        "capacity": [
            {"role": cell.role, "period": cell.period, "supply": money(cell.supply), "hires": money(cell.hires), "demand": money(cell.demand), "utilization": ratio(cell.utilization)}
            for cell in plan.capacity
        ],
        "overloaded": [{"role": role, "period": period} for role, period in plan.overloaded],
        "breaches": [{"limit": breach.limit, "detail": breach.detail} for breach in plan.breaches],
    }
