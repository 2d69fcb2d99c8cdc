"""Analysis layer: the delivery checks of `ppm check`, from status reports, budgets, milestones and dependencies.

Each check is `check_<code>(ws, as_of) -> Iterable[Finding]` (listed in
`checks.CHECKS`) and points at the exact line: the status's date, health or
forecast, the milestone's date, the dependency, the portfolio's budget. Closed
and cancelled projects are history and are not checked, except as dependencies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ppmcli.analysis.allocation import calendar_of
from ppmcli.analysis.evm import earned_value, is_stale
from ppmcli.analysis.rollup import ATTENTION_INDEX
from ppmcli.core.findings import MAX_LISTED, Finding, listed, quote
from ppmcli.core.model import Checks, Phase, Project, StatusReport, Workspace


def _amount(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _status_index(project: Project, report: StatusReport) -> int:
    """Position of `report` in the file's `status` list (statuses may be written in any order)."""
    return next(index for index, candidate in enumerate(project.status) if candidate is report)


def _checks(ws: Workspace) -> Checks:
    return ws.settings.checks if ws.settings is not None else Checks()


def check_stale_status(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A committed project's newest status is older than `checks.stale_status_days`; a project in execution has none.

    Flags `- date: 2026-10-30` as of 2026-11-25 (26 days, limit 14). Fix: add this week's status.
    """
    limit = _checks(ws).stale_status_days
    for pid, project in ws.projects.items():
        latest = project.latest_status(as_of)
        if not is_stale(project.phase, latest, as_of, limit):
            continue
        if latest is None:
            yield Finding.at(ws.where("projects", pid, "phase"), "stale-status", f"project in execution has no status report on or before {as_of}")
        else:
            yield Finding.at(
                ws.where("projects", pid, "status", _status_index(project, latest), "date"),
                "stale-status",
                f"newest status is from {latest.date}, {(as_of - latest.date).days} days before {as_of} (limit {limit} days)",
            )


def check_budget_overrun(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project's newest forecast is above its budget by more than `checks.budget_overrun_tolerance`.

    Flags `forecast_cost: 850000` on a budget of 700000 (21% over, tolerance 10%). Fix: re-baseline or cut scope.
    """
    tolerance = _checks(ws).budget_overrun_tolerance
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        latest = project.latest_status(as_of)
        if latest is None or latest.forecast_cost is None:
            continue
        forecast, budget = latest.forecast_cost, project.budget
        if forecast > budget * (1 + tolerance):
            over = f"{(forecast - budget) / budget:.1%} above" if budget else "above"
            yield Finding.at(
                ws.where("projects", pid, "status", _status_index(project, latest), "forecast_cost"),
                "budget-overrun",
                f"forecast {_amount(forecast)} is {over} the budget of {_amount(budget)} (tolerance {tolerance * 100:g}%)",
            )


def check_portfolio_over_budget(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """The budgets of a portfolio's open projects add up to more than the portfolio's `budget`.

    Flags the portfolio's `budget: 4500000` when its open projects ask for 5,200,000. Fix: stop or defer projects.
    """
    demand: dict[str, float] = {}
    for project in ws.projects.values():
        if project.phase.is_open and project.portfolio is not None:
            demand[project.portfolio] = demand.get(project.portfolio, 0.0) + project.budget
    for pid, portfolio in ws.portfolios.items():
        total = demand.get(pid, 0.0)
        if portfolio.budget is not None and total > portfolio.budget:
            yield Finding.at(
                ws.where("portfolios", pid, "budget"),
                "portfolio-over-budget",
                f"open projects' budgets add up to {_amount(total)}, {_amount(total - portfolio.budget)} above the budget of {_amount(portfolio.budget)}",
            )


def check_late_milestone(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project's milestone is not done and its date is before `--as-of`.

    Flags `{name: Finance marts cut-over, date: 2026-11-13}` as of 2026-11-25. Fix: record `done:` or re-plan the date.
    """
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        for index, milestone in enumerate(project.milestones):
            # Done after as_of means not done yet as of then.
            if milestone.date < as_of and (milestone.done is None or milestone.done > as_of):
                days = (as_of - milestone.date).days
                yield Finding.at(
                    ws.where("projects", pid, "milestones", index, "date"),
                    "late-milestone",
                    f"milestone {quote(milestone.name)} was due {milestone.date} and is not done ({days} days late)",
                )


def check_dependency_not_viable(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project depends on a cancelled project, or on one not closed that ends after this one starts.

    Flags `depends_on: [legacy-crm]` when legacy-crm is cancelled. Fix: drop the dependency or re-plan the dates.
    """
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        found: list[tuple[int, str, str]] = []  # index in depends_on, id, why
        for index, dep_id in enumerate(project.depends_on):
            dep = ws.projects.get(dep_id)
            if dep is None or dep_id == pid:
                continue  # unknown-reference and dependency-cycle report these
            if dep.phase is Phase.CANCELLED:
                found.append((index, dep_id, "which is cancelled"))
            elif dep.phase is not Phase.CLOSED and dep.end > project.start:
                found.append((index, dep_id, f"which ends {dep.end}, after this project starts on {project.start}"))
        # A dense dependency graph would give a finding per edge: beyond a few, one per project says it all.
        if len(found) > MAX_LISTED:
            names = listed(quote(dep_id) for _, dep_id, _ in found)
            message = f"depends on {len(found):,} projects that are cancelled or end after this project starts on {project.start}: {names}"
            yield Finding.at(ws.where("projects", pid, "depends_on", found[0][0]), "dependency-not-viable", message)
            continue
        for index, dep_id, why in found:
            yield Finding.at(ws.where("projects", pid, "depends_on", index), "dependency-not-viable", f"depends on {quote(dep_id)}, {why}")


def check_watermelon(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project's newest status is green while its SPI or CPI is under 0.9 (green outside, red inside).

    Flags `health: green` at 30% complete when 56% of the working days have passed (SPI 0.54). Fix: report the real health.
    """
    if ws.settings is None:
        return
    calendar = calendar_of(ws.settings)
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        value = earned_value(project, as_of, calendar)
        if value.status is None or value.health != "green":
            continue
        low = [f"{name} is {index:.2f}" for name, index in (("SPI", value.figures.spi), ("CPI", value.figures.cpi)) if index is not None and index < ATTENTION_INDEX]
        if low:
            yield Finding.at(
                ws.where("projects", pid, "status", _status_index(project, value.status), "health"),
                "watermelon",
                f"status is green but {' and '.join(low)} (under {ATTENTION_INDEX})",
            )
