"""Render layer: `ppm scenarios`, the plans side by side (text, plain, markdown for a PR comment, csv, json).

Two tables: one row per plan (value, cost, budget left, started, delayed,
stopped, hires, highest utilization), then one row per project some plan
starts or stops, with where each plan puts it. On a terminal the first is
turned a quarter (a column per plan, a row per figure), so that the plans
stand side by side at 80 columns; there, the plans that do not fit beside the
labels continue below in groups. CSV is the first table with a
column per such project. Scenario and project names come from the pull
request: the table layer escapes them.
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from typing import Any

from ppmcli.analysis.selection.scenarios import Comparison, Outcome, Placement
from ppmcli.core.errors import counted
from ppmcli.core.findings import listed, quote
from ppmcli.core.model import BASELINE
from ppmcli.render import escape, table as tables
from ppmcli.render.json import dumps, iso, money, ratio
from ppmcli.render.output import Output
from ppmcli.render.table import Column, Table

FORMATS = (*tables.FORMATS, "json")


def _hires(found: Outcome) -> str | None:
    hires = found.plan.hires
    return ", ".join(f"{hire.role} +{hire.count:g}" + (f" from {hire.month}" if hire.month else "") for hire in hires) or None


def _peak(found: Outcome) -> str | None:
    cell = found.peak
    if cell is None:
        return None
    return f"no supply: {cell.role} {cell.period}" if cell.utilization is None else f"{cell.utilization * 100:.0f}% {cell.role} {cell.period}"


def placement(cell: Placement) -> str | None:
    """A project in one plan, in a word: kept or stopped (running), starts now or late, or None (left out)."""
    if cell.running:
        return "kept" if cell.selected else "stopped"
    if not cell.selected:
        return None
    return "starts" if not cell.delay else f"{cell.delay} mo late"  # not "+2 mo": CSV guards a leading "+"


def summary_table(found: Comparison, fmt: str, *, titled: bool = True) -> Table:
    columns = [
        Column("scenario", key="id"),  # CSV headers are the JSON's keys
        Column("name"),
        Column("value", "number"),
        Column(f"cost ({found.currency})", "money", key="cost"),
        Column("budget left", "money", key="budget_left"),
        Column("started", "int"),
        Column("delayed", "int"),
        Column("stopped", "int"),
        Column("hires"),
        Column("highest utilization", key="highest_utilization"),
    ]
    rows: list[list[Any]] = [
        [o.id, o.name, float(o.plan.value), float(o.plan.cost), None if o.plan.left is None else float(o.plan.left), o.started, o.delayed, o.stopped, _hires(o), _peak(o)]
        for o in found.outcomes
    ]
    if fmt == "csv":  # one table: a column per project of the plans (`projects.ID`: an id may be `name`), its placement in each plan
        columns += [Column(f"projects.{line.id}") for line in found.every]
        for index, row in enumerate(rows):
            row += [placement(line.placements[index]) for line in found.every]
    broken = [o.id for o in found.outcomes if o.plan.breaches]
    one = len(broken) == 1
    # A command to copy: the id (a file name: any text) and the narrowing options quoted for a shell.
    narrowed = "".join(f" {shlex.quote(part)}" for part in found.narrowed)
    commands = listed(("ppm plan" if ident == BASELINE else f"ppm plan --scenario {shlex.quote(ident)}") + narrowed for ident in broken)
    footer = [f"the plan{'' if one else 's'} of {listed(map(quote, broken))} break{'s' if one else ''} a forced limit; {commands} say{'s' if one else ''} which"] if broken else []
    footer += _left_out(found) + _unproven(found)
    table = Table(columns, [tuple(row) for row in rows], title=f"Scenarios as of {found.as_of.isoformat()}" if titled else None, footer=footer)
    return tables.transposed(table) if fmt == "text" else table


def _left_out(found: Comparison) -> list[str]:
    return [f"scenario {quote(ident)} cannot be planned, left out: {why}" for ident, why in found.failed]


def _unproven(found: Comparison) -> list[str]:
    """The exact plans the time limit stopped before they were proven, with their gaps (a shared 60 s stops many)."""
    stopped = [(o.id, o.plan.solve.gap) for o in found.outcomes if o.plan.solve is not None and not o.plan.proven]
    if not stopped:
        return []
    one = len(stopped) == 1
    gaps = listed(f"{quote(ident)} (gap {gap:.2%})" for ident, gap in stopped)
    return [f"the plan{'' if one else 's'} of {gaps} {'is' if one else 'are'} not proven optimal: the time limit stopped the solver; --time-limit S gives each plan S seconds"]


def stderr_notes(found: Comparison, fmt: str) -> list[str]:
    """For stderr, where the output is JSON or CSV (no footer under a table): the scenarios left out, and why; the plans not proven optimal."""
    return [f"ppm: {escape.terminal(line)}" for line in _left_out(found) + _unproven(found)] if fmt in ("json", "csv") else []


# Candidates no plan starts, named under the projects table before "and N more".
_LEFT_OUT_NAMED = 5


def projects_table(found: Comparison, *, titled: bool = True) -> Table:
    """A row per project some plan starts or stops, a column per plan (on a terminal: narrow, in groups beside the ids)."""
    columns = [Column("project"), *(Column(o.id, narrow=True) for o in found.outcomes)]
    rows = [(line.id, *(placement(cell) for cell in line.placements)) for line in found.projects]
    ids = found.left_out_ids
    footer = [f"{counted(len(ids), 'candidate')} that no plan starts {'is' if len(ids) == 1 else 'are'} not shown: {listed(ids, _LEFT_OUT_NAMED)}"] if ids else []
    left_out = f": {counted(found.left_out, 'candidate')} left out by every plan" if found.left_out else ""
    empty = f"No plan starts or stops a project{left_out}."
    return Table(columns, rows, title="Projects: where each plan starts them (— left out)" if titled else None, footer=footer, repeat=1, empty=empty)


def render(found: Comparison, out: Output) -> str:
    """`ppm scenarios` in `out.format`."""
    if out.format == "json":
        return dumps(as_json(found))
    summary = summary_table(found, out.format)
    first = tables.render(summary, out)
    if out.format == "csv":
        both = first
    else:
        both = first + "\n" + tables.render(projects_table(found), out)
    return both if out.format != "markdown" or len(both) <= tables.COMMENT_LIMIT else _within_a_comment(summary, first, out, len(found.outcomes))


def _within_a_comment(summary: Table, rendered: str, out: Output, plans: int) -> str:
    """A Markdown comment too long for GitHub: the summary alone, cut at a whole row if it is still too long, its notes
    (the plans that break a limit, the scenarios left out) kept below it, and a line that says what was left out (the
    branch decides how many scenarios there are); `rendered` is the summary as `render` wrote it."""
    rows_only = tables.render(replace(summary, footer=()), out)
    notes = rendered[len(rows_only) :]
    shown, left = tables.cut_comment(rows_only, tables.COMMENT_LIMIT, room=len(notes))
    if len(notes) > tables.COMMENT_LIMIT // 2:  # hundreds of scenarios left out: the count says it
        notes, _ = tables.cut_comment(notes, tables.COMMENT_LIMIT // 2)
        notes = "\n" + notes + "\n\n… and more notes left out"
    rows = sum(1 for line in left if tables.is_row(line))
    left_out = "the table of where each plan starts each project"
    if rows:
        left_out = f"{counted(rows, 'more plan')} of {plans:,} and " + left_out
    return f"{shown}\n{notes.rstrip()}\n\n… {left_out} left out (the comment is limited to {tables.COMMENT_LIMIT:,} characters); run `ppm scenarios` locally for all.\n"


def as_json(found: Comparison) -> dict[str, Any]:
    """The stable JSON of `ppm scenarios`."""
    return {
        "as_of": iso(found.as_of),
        "scenarios": [
            {
                "id": o.id,
                "name": o.name,
                "value": money(float(o.plan.value)),
                "cost": money(float(o.plan.cost)),
                "budget": None if o.plan.budget is None else money(float(o.plan.budget)),
                "budget_left": None if o.plan.left is None else money(float(o.plan.left)),
                "started": o.started,
                "delayed": o.delayed,
                "stopped": o.stopped,
                "hires": [{"role": h.role, "count": h.count, "from": h.month} for h in o.plan.hires],
                "highest_utilization": None if o.peak is None else {"role": o.peak.role, "period": o.peak.period, "utilization": ratio(o.peak.utilization)},
                "breaches": len(o.plan.breaches),
                "proven": o.plan.proven,
                "gap": None if o.plan.solve is None else ratio(o.plan.solve.gap),
            }
            for o in found.outcomes
        ],
        "projects": [
            {"id": line.id, "plans": {o.id: {"state": "running" if cell.running else "candidate", "selected": cell.selected, "delay": cell.delay} for o, cell in zip(found.outcomes, line.placements)}}
            for line in found.every
        ],
        "left_out": found.left_out,
        "failed": [{"id": ident, "reason": why} for ident, why in found.failed],
    }
