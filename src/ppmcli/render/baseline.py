"""`ppm report --baseline REV`: the variance against a baseline revision as a table section and as JSON. Renders; computes nothing."""

from __future__ import annotations

from typing import Any

from ppmcli.analysis.review.baseline import Baseline
from ppmcli.analysis.delivery.rollup import Report
from ppmcli.render.output import Output
from ppmcli.render.json import dumps, iso, money
from ppmcli.render import table as tables
from ppmcli.render.report import health_label, health_style, render as render_report, report_json
from ppmcli.render.table import KEEP, KEY, TERMINAL_ROWS, Column, Table, shorten


def _slip(days: int) -> str:
    return f"{days:+d} wd" if days else "0"


def baseline_table(baseline: Baseline, fmt: str, *, terminal: bool = False) -> Table:
    """One row per project whose plan, cost or health moved since the baseline, health marked as the report marks it for
    `fmt`; on a terminal, the first of them and how many more."""
    rows = []
    for p in baseline.projects:
        phase = p.phase_new if p.phase_old == p.phase_new else f"{p.phase_old} → {p.phase_new}"
        slips = "; ".join(f"{m.name} {_slip(m.slip)}" for m in p.milestones)
        health = health_label(p.health_new, fmt) if p.health_old == p.health_new else f"{health_label(p.health_old, fmt)} → {health_label(p.health_new, fmt)}"
        rows.append((p.id, phase, iso(p.end_new), p.end_slip, slips, p.budget_new - p.budget_old, p.eac_new - p.eac_old, iso(p.end_old), p.budget_old, p.budget_new, p.eac_old, p.eac_new, health))

    def moved(index: int, still: int = 6) -> int:
        """What moved (a slip, a change of budget or EAC, of phase) is kept longest at a narrow width; a column where nothing did goes first."""
        return KEEP if any(row[index] for row in rows) else still

    # A phase change explains its row (a cancelled project's figures drop to 0): kept with the slip, Budget ± and EAC ±.
    phase_priority = KEEP if any(p.phase_old != p.phase_new for p in baseline.projects) else 4
    columns = (
        Column("Project", key="id"),
        Column("Phase", priority=phase_priority, wrap=phase_priority == KEEP, key="phase"),
        # The new end goes before what moved: the slip says how far it moved.
        Column("End", priority=KEY, key="end.new"),  # a date: never left out, as the README promises
        Column("Slip (wd)", "signed", priority=moved(3), key="end.slip_workdays"),
        Column("Milestone slips", wrap=True, priority=moved(4), key="milestones"),
        Column("Budget ±", "change", priority=moved(5), key="budget.change"),
        Column("EAC ±", "change", priority=moved(6), key="eac.change"),
        Column("End then", priority=5, key="end.old"),
        Column("Budget then", "money", priority=5, key="budget.old"),
        Column("Budget now", "money", priority=4, key="budget.new"),
        Column("EAC then", "money", priority=5, key="eac.old"),
        Column("EAC now", "money", priority=4, key="eac.new"),
        Column("Health", style=health_style, key="health"),
    )
    footer = [
        f"Since {baseline.revision}: added {', '.join(baseline.added) or 'none'}; removed {', '.join(baseline.removed) or 'none'}; "
        f"cancelled {', '.join(baseline.cancelled) or 'none'}.",
        f"Budget {baseline.budget_old:,.0f} → {baseline.budget_new:,.0f}; EAC {baseline.eac_old:,.0f} → {baseline.eac_new:,.0f} "
        "(projects in both, as reported above)." + (" wd = working days." if rows else ""),  # the unit of the table's slips
    ]
    shown, omitted = shorten(rows, TERMINAL_ROWS if terminal else None, "projects")
    return Table(columns, shown, title=f"Variance against baseline {baseline.revision}", footer=footer, omitted=omitted)


def render_baseline(baseline: Baseline, out: Output) -> str:
    table = baseline_table(baseline, out.format, terminal=out.terminal)
    if not table.rows and out.format != "csv":
        user = tables.escaper(out.format)
        footer = [user(line) for line in table.footer]
        if out.terminal:  # fitted to the screen as a table's footer is
            footer = [part for line in footer for part in tables.wrap(line, out.width)]
        return f"{tables.title(table.title or '', out.format)}\n\nNo project moved.\n\n" + "\n".join(footer) + "\n"
    return tables.render(table, out)


def baseline_json(baseline: Baseline) -> dict[str, Any]:
    """The `baseline` object of `ppm report --baseline REV --format json`."""
    return {
        "revision": baseline.revision,
        "added": list(baseline.added),
        "removed": list(baseline.removed),
        "cancelled": list(baseline.cancelled),
        "budget": {"old": money(baseline.budget_old), "new": money(baseline.budget_new), "change": money(baseline.budget_new - baseline.budget_old)},
        "eac": {"old": money(baseline.eac_old), "new": money(baseline.eac_new), "change": money(baseline.eac_new - baseline.eac_old)},
        "projects": [
            {
                "id": p.id,
                "phase": {"old": p.phase_old, "new": p.phase_new},
                "end": {"old": iso(p.end_old), "new": iso(p.end_new), "slip_workdays": p.end_slip},
                "budget": {"old": money(p.budget_old), "new": money(p.budget_new), "change": money(p.budget_new - p.budget_old)},
                "eac": {"old": money(p.eac_old), "new": money(p.eac_new), "change": money(p.eac_new - p.eac_old)},
                "health": {"old": p.health_old, "new": p.health_new},
                "milestones": [{"name": m.name, "old": iso(m.old), "new": iso(m.new), "slip_workdays": m.slip} for m in p.milestones],
            }
            for p in baseline.projects
        ],
    }


def render_with_report(report: Report, baseline: Baseline, out: Output) -> str:
    """The report followed by its variance against the baseline; JSON gains a `baseline` key, CSV is the variance table."""
    if out.format == "json":
        return dumps({**report_json(report), "baseline": baseline_json(baseline)})
    if out.format == "csv":
        return tables.render(baseline_table(baseline, out.format), out)
    return render_report(report, out) + "\n" + render_baseline(baseline, out)
