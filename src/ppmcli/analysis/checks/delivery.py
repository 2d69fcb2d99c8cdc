"""Analysis layer: the delivery checks of `ppm check`, from status reports, budgets, milestones and dependencies.

Each check is `check_<code>(ws, as_of) -> Iterable[Finding]` (registered by
`@rule`) and points at the exact line: the status's date, health or
forecast, the milestone's date, the dependency, the portfolio's budget. Closed
and cancelled projects are history and are not checked, except as dependencies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ppmcli.analysis.context import context
from ppmcli.analysis.delivery.evm import ATTENTION_INDEX, earned_value, is_stale
from ppmcli.core.errors import counted
from ppmcli.core.findings import MAX_LISTED, Finding, listed, quote
from ppmcli.core.model import Checks, Project, StatusReport, Workspace
from ppmcli.core.numbers import amount, exact
from ppmcli.core.rules import Severity, rule


def _status_index(project: Project, report: StatusReport) -> int:
    """Position of `report` in the file's `status` list (statuses may be written in any order)."""
    return next(index for index, candidate in enumerate(project.status) if candidate is report)


def _days(span: timedelta) -> str:
    return f"{span.days:,} day{'s' if span.days != 1 else ''}"


def _checks(ws: Workspace) -> Checks:
    return ws.settings.checks if ws.settings is not None else Checks()


@rule(
    "stale-status",
    Severity.WARNING,
    "a committed project's newest status is older than checks.stale_status_days (or an executing project has none)",
    "newest status 2026-10-30, as of 2026-11-25",
    when="a committed project's newest status is more than `checks.stale_status_days` (14) days old, or a project in `execution` has none",
    where="the status's `date` (or the project's `phase`)",
    per_project=True,
    needs_settings=True,
)
def check_stale_status(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A committed project's newest status is older than `checks.stale_status_days`; a project in execution has none.

    Why: Every delivery figure (health, earned value, forecasts) comes from the newest status.

    Fix: Add this week's status.
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
                f"newest status is from {latest.date}, {counted((as_of - latest.date).days, 'day')} before {as_of} (limit {counted(limit, 'day')})",
            )


@rule(
    "future-status",
    Severity.WARNING,
    "a status report dated after --as-of (ignored by every figure until then)",
    "date: 2027-11-20 in a report written 2026-11-20",
    when="a status report is dated after `--as-of` (often a typo in the year); every figure ignores it until then",
    where="that status's `date`",
    per_project=True,
)
def check_future_status(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A status report dated after `--as-of`.

    Why: Figures as of a day use the reports up to that day, so a report dated ahead by a typo
    is silently left out of every health, forecast and earned value.

    Fix: Correct the date (or, to look ahead on purpose, run with a later `--as-of`).
    """
    for pid, project in ws.projects.items():
        for index, report in enumerate(project.status):
            if report.date > as_of:
                yield Finding.at(
                    ws.where("projects", pid, "status", index, "date"),
                    "future-status",
                    f"status dated {report.date} is {_days(report.date - as_of)} after {as_of}, so it is ignored; correct the date if it is a typo",
                )


@rule(
    "past-end",
    Severity.WARNING,
    "an open project's end date has passed while its phase is not closed or cancelled",
    "end: 2026-10-31, phase: execution, as of 2026-11-25",
    when="a project whose `phase` is not `closed` or `cancelled` has an `end` before `--as-of`",
    where="the project's `end`",
    per_project=True,
)
def check_past_end(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project's end date has passed.

    Why: A project past its end is either finished (and its open phase keeps it in the
    portfolio's budget, capacity and report) or late (and its plan no longer says when it ends).

    Fix: Close it (`phase: closed` or `cancelled`), or re-plan its `end`.
    """
    for pid, project in ws.projects.items():
        if project.phase.is_open and project.end < as_of:
            yield Finding.at(
                ws.where("projects", pid, "end"),
                "past-end",
                f"project ended {project.end}, {_days(as_of - project.end)} before {as_of}, but its phase is still '{project.phase.value}'; set phase: closed (or cancelled), or move its end",
            )


@rule(
    "budget-overrun",
    Severity.WARNING,
    "an open project's newest forecast is above budget by more than checks.budget_overrun_tolerance",
    "budget: 100000, forecast_cost: 125000",
    when="an open project's newest status forecasts more than budget × (1 + `checks.budget_overrun_tolerance`)",
    where="the `forecast_cost` value",
    per_project=True,
    needs_settings=True,
)
def check_budget_overrun(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project's newest forecast is above its budget by more than `checks.budget_overrun_tolerance`.

    Why: The overrun is known to the project but not yet to the portfolio's budget.

    Fix: Re-baseline the budget or cut scope.
    """
    tolerance = _checks(ws).budget_overrun_tolerance
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        latest = project.latest_status(as_of)
        if latest is None or latest.forecast_cost is None:
            continue
        forecast, budget = latest.forecast_cost, project.budget
        # As written: 115,000 is not above 100,000 × 1.15 (in binary floating point it is).
        if exact(forecast) > exact(budget) * (1 + exact(tolerance)):
            over = f"{_percent_above(forecast, budget, tolerance)} above" if budget else "above"
            yield Finding.at(
                ws.where("projects", pid, "status", _status_index(project, latest), "forecast_cost"),
                "budget-overrun",
                f"forecast {amount(forecast)} is {over} the budget of {amount(budget)} (tolerance {tolerance * 100:g}%)",
            )


def _percent_above(forecast: float, budget: float, tolerance: float) -> str:
    """How far above the budget a forecast is, in percent, with as many decimals as it takes to read above the tolerance
    (115,000.01 on 100,000 is 15.00001 %: "15.0 %" would read as the tolerance itself)."""
    share = (forecast - budget) / budget
    digits = 1
    while digits < 6 and round(share * 100, digits) <= tolerance * 100:
        digits += 1
    return f"{share:.{digits}%}"


@rule(
    "portfolio-over-budget",
    Severity.WARNING,
    "open projects' budgets add up to more than the portfolio's budget",
    "budget: 1000000 with 1.2M of open projects",
    when="the budgets of a portfolio's open projects (proposed ones included) add up to more than its `budget`",
    where="the portfolio's `budget`",
)
def check_portfolio_over_budget(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """The budgets of a portfolio's open projects add up to more than the portfolio's `budget`.

    Why: The portfolio has promised more money than it holds.

    Fix: Stop or defer projects, or raise the portfolio's budget.
    """
    demand = ws.open_budgets()
    for pid, portfolio in ws.portfolios.items():
        total = demand.get(pid, 0.0)
        if portfolio.budget is not None and total > portfolio.budget:
            yield Finding.at(
                ws.where("portfolios", pid, "budget"),
                "portfolio-over-budget",
                f"open projects' budgets add up to {amount(total)}, {amount(total - portfolio.budget)} above the budget of {amount(portfolio.budget)}",
            )


@rule(
    "late-milestone",
    Severity.WARNING,
    "an open project's milestone is not done and its date is before --as-of",
    "{name: Beta, date: 2026-10-01} with no done",
    when="an open project's milestone is not done and its date is before `--as-of`",
    where="the milestone's `date`",
    per_project=True,
)
def check_late_milestone(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project's milestone is not done and its date is before `--as-of`.

    Why: A missed date nobody re-planned hides the delay from the roadmap.

    Fix: Record `done:` or re-plan the date.
    """
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        for index, milestone in enumerate(project.milestones):
            if milestone.is_late(as_of):
                days = (as_of - milestone.date).days
                yield Finding.at(
                    ws.where("projects", pid, "milestones", index, "date"),
                    "late-milestone",
                    f"milestone {quote(milestone.name)} was due {milestone.date} and is not done ({counted(days, 'day')} late)",
                )


@rule(
    "dependency-not-viable",
    Severity.WARNING,
    "an open project depends on a cancelled project, or on one not closed that ends after this one starts",
    "depends_on: [legacy-crm] (cancelled)",
    when="an open project depends on a cancelled project, or on one not yet closed that ends after this project starts",
    where="the entry in `depends_on`",
)
def check_dependency_not_viable(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project depends on a cancelled project, or on one not closed that ends after this one starts.

    Why: The project cannot start as planned on what it depends on.

    Fix: Drop the dependency or re-plan the dates.
    """
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        found: list[tuple[int, str, str]] = []  # index in depends_on, id, why
        for index, dep_id in enumerate(project.depends_on):
            dep = ws.projects.get(dep_id)
            if dep is None or dep_id == pid:
                continue  # unknown-reference and dependency-cycle report these, and an invalid file its own errors
            state = project.dependency_state(dep)
            if state == "cancelled":
                found.append((index, dep_id, "which is cancelled"))
            elif state == "overlaps":
                found.append((index, dep_id, f"which ends {dep.end}, after this project starts on {project.start}"))
        # A dense dependency graph would give a finding per edge: beyond a few, one per project says it all.
        if len(found) > MAX_LISTED:
            names = listed(quote(dep_id) for _, dep_id, _ in found)
            message = f"depends on {len(found):,} projects that are cancelled or end after this project starts on {project.start}: {names}"
            yield Finding.at(ws.where("projects", pid, "depends_on", found[0][0]), "dependency-not-viable", message)
            continue
        for index, dep_id, why in found:
            yield Finding.at(ws.where("projects", pid, "depends_on", index), "dependency-not-viable", f"depends on {quote(dep_id)}, {why}")


def _under(index: float, limit: float) -> str:
    """`index` (below `limit`) with two decimals, or as many more as it takes to show it below (0.898, not 0.90)."""
    places = 2
    while round(index, places) >= limit and places < 6:
        places += 1
    return f"{index:.{places}f}"


@rule(
    "watermelon",
    Severity.WARNING,
    "an open project's newest status is green while its SPI or CPI is under 0.9",
    "health: green at SPI 0.7",
    needs_settings=True,
    when="an open project's newest status is green while its SPI or CPI is under 0.9",
    where="the status's `health`",
    per_project=True,
)
def check_watermelon(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project's newest status is green while its SPI or CPI is under 0.9 (green outside, red inside).

    Why: The reported health hides what earned value shows.

    Fix: Report the real health, or correct `percent_complete` and `actual_cost`.
    """
    calendar = context(ws).calendar
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        value = earned_value(project, as_of, calendar)
        if value.status is None or value.health != "green":
            continue
        low = [f"{name} is {_under(index, ATTENTION_INDEX)}" for name, index in (("SPI", value.figures.spi), ("CPI", value.figures.cpi)) if index is not None and index < ATTENTION_INDEX]
        if low:
            yield Finding.at(
                ws.where("projects", pid, "status", _status_index(project, value.status), "health"),
                "watermelon",
                f"status is green but {' and '.join(low)} (under {ATTENTION_INDEX})",
            )
