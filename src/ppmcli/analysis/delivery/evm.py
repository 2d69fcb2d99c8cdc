"""Analysis layer: earned value of one project as of a date, and the figures that rollups sum.

Follows PRODUCT.md's "Earned value" exactly: the planned fraction counts the
organisation's working days (both ends inclusive), EV/AC come from the newest
status on or before the date, and every ratio is None where its divisor is 0,
so no input can make a report crash. Statuses dated after the date are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TypeVar

from ppmcli.analysis.resources.workdays import WorkCalendar
from ppmcli.core.model import Milestone, Phase, Project, RiskStatus, StatusReport

UNKNOWN = "unknown"
# Worst-of order: red beats amber beats green; unknown loses to any reported health.
HEALTH_RANK = {UNKNOWN: 0, "green": 1, "amber": 2, "red": 3}
# SPI or CPI under this puts a project on the "needs attention" list (and is a watermelon when reported green).
ATTENTION_INDEX = 0.9


def worst_health(healths: Iterable[str]) -> str:
    """The worst of some healths; `unknown` only when every one is unknown (or there are none).

    Args:
        healths: "green", "amber", "red" or "unknown" values.

    Returns:
        The worst reported health.
    """
    return max(healths, key=HEALTH_RANK.__getitem__, default=UNKNOWN)


def is_stale(phase: Phase, status: StatusReport | None, as_of: date, limit_days: int) -> bool:
    """Tell whether a project's status is stale: committed, and its newest status older than the limit (or none while in execution).

    Args:
        phase: the project's phase.
        status: its newest status on or before `as_of`, or None.
        as_of: the date.
        limit_days: `checks.stale_status_days`.

    Returns:
        True when `stale-status` applies.
    """
    if not phase.is_committed:
        return False
    if status is None:
        return phase is Phase.EXECUTION
    return (as_of - status.date).days > limit_days


def planned_fraction(start: date, end: date, as_of: date, calendar: WorkCalendar) -> float:
    """Share of a plan's working days that have passed by `as_of` (both ends inclusive).

    Args:
        start: first day of the plan.
        end: last day of the plan.
        as_of: the date the fraction is taken at.
        calendar: the organisation's working days.

    Returns:
        0 before `start`; 1 from `end` on, and for a plan with no working day once
        it has started; else working days in [start, as_of] / working days in [start, end].
    """
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    total = calendar.count(start, end)
    if total == 0:
        return 1.0
    return calendar.count(start, as_of) / total


def ratios(bac: float, pv: float, ev: float, ac: float) -> tuple[float | None, float | None, float | None]:
    """SPI = EV/PV, CPI = EV/AC, TCPI = (BAC − EV)/(BAC − AC); None where the divisor is 0.

    Used for one project and, on the sums, for a rollup.

    Returns:
        (spi, cpi, tcpi).
    """
    spi = ev / pv if pv else None
    cpi = ev / ac if ac else None
    tcpi = (bac - ev) / (bac - ac) if bac != ac else None
    return spi, cpi, tcpi


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures a report shows for a project or a group, in `currency` unless noted.

    Attributes:
        bac: budget at completion (Σ of budgets).
        pv, ev, ac: planned value, earned value, actual cost.
        eac: estimate at completion; vac = bac − eac; cv = ev − ac; sv = ev − pv.
        spi, cpi, tcpi: ratios (of the sums for a group); None where a divisor is 0.
        benefits: expected benefits; benefits_realized: realized to date.
        labor_cost: planned cost of the named allocations.
        risk_exposure: Σ probability × impact of open risks.
        late_milestones: count of milestones not done and due before the date.
    """

    bac: float
    pv: float
    ev: float
    ac: float
    eac: float
    vac: float
    cv: float
    sv: float
    spi: float | None
    cpi: float | None
    tcpi: float | None
    benefits: float
    benefits_realized: float
    labor_cost: float
    risk_exposure: float
    late_milestones: int

    @classmethod
    def build(
        cls,
        *,
        bac: float,
        pv: float,
        ev: float,
        ac: float,
        eac: float,
        benefits: float,
        benefits_realized: float,
        labor_cost: float,
        risk_exposure: float,
        late_milestones: int,
    ) -> Figures:
        """Figures from the summable inputs; variances and ratios are derived here, once."""
        spi, cpi, tcpi = ratios(bac, pv, ev, ac)
        return cls(
            bac=bac, pv=pv, ev=ev, ac=ac, eac=eac, vac=bac - eac, cv=ev - ac, sv=ev - pv,
            spi=spi, cpi=cpi, tcpi=tcpi, benefits=benefits, benefits_realized=benefits_realized,
            labor_cost=labor_cost, risk_exposure=risk_exposure, late_milestones=late_milestones,
        )


def sum_figures(items: Sequence[Figures]) -> Figures:
    """A rollup: sums of the money figures and counts, ratios recomputed from the sums.

    Args:
        items: the children's figures (each project counted once).

    Returns:
        The group's figures (all zero, ratios None, for no children).
    """
    return Figures.build(
        bac=sum(f.bac for f in items),
        pv=sum(f.pv for f in items),
        ev=sum(f.ev for f in items),
        ac=sum(f.ac for f in items),
        eac=sum(f.eac for f in items),
        benefits=sum(f.benefits for f in items),
        benefits_realized=sum(f.benefits_realized for f in items),
        labor_cost=sum(f.labor_cost for f in items),
        risk_exposure=sum(f.risk_exposure for f in items),
        late_milestones=sum(f.late_milestones for f in items),
    )


@dataclass(frozen=True, slots=True)
class ProjectValue:
    """One project as of a date.

    Attributes:
        id, name, phase: the project's.
        as_of: the date the figures are taken at.
        status: the newest status report on or before `as_of`, or None.
        health: that status's health, or "unknown".
        planned_fraction: share of the plan's working days passed (0..1).
        figures: the project's figures (`labor_cost` as given by the caller).
        late: milestones not done by `as_of` whose date is before it, by date.
        slipped: milestones done (by `as_of`) after their date, by date.
        manager: the manager's person id; start, end: the project's planned dates.
    """

    id: str
    name: str
    phase: str
    as_of: date
    status: StatusReport | None
    health: str
    planned_fraction: float
    figures: Figures
    late: tuple[Milestone, ...]
    slipped: tuple[Milestone, ...]
    manager: str
    start: date
    end: date

    @property
    def status_date(self) -> date | None:
        return None if self.status is None else self.status.date

    @property
    def percent_complete(self) -> float | None:
        return None if self.status is None else self.status.percent_complete

    @property
    def note(self) -> str | None:
        """The newest status's note (None without a status or a note)."""
        return None if self.status is None else self.status.note


def _benefits_realized(statuses: Iterable[StatusReport], as_of: date) -> float:
    """The most recent `benefits_realized` reported on or before `as_of` (0 without one)."""
    newest: StatusReport | None = None
    for report in statuses:
        if report.benefits_realized is not None and report.date <= as_of and (newest is None or report.date > newest.date):
            newest = report
    return 0.0 if newest is None or newest.benefits_realized is None else newest.benefits_realized


# Floats for the report; exact fractions of the figures as written where a limit compares sums (`ppm plan`'s budget).
Amount = TypeVar("Amount", float, Fraction)


def _spent(bac: Amount, status: StatusReport | None, read: Callable[[float], Amount]) -> tuple[Amount, Amount, Amount]:
    """(EV, AC, EAC) of a budget at its newest status; EAC is the status's forecast if given, else BAC/CPI (BAC when
    CPI is null or 0). `read` turns a figure of the status into `bac`'s kind of number."""
    if status is None:
        return bac * 0, bac * 0, bac
    ev = bac * read(status.percent_complete) / 100
    ac = read(status.actual_cost)
    if status.forecast_cost is not None:
        return ev, ac, read(status.forecast_cost)
    cpi = ev / ac if ac else None
    return ev, ac, bac / cpi if cpi else bac


def estimate_and_actual(project: Project, as_of: date, read: Callable[[float], Fraction]) -> tuple[Fraction, Fraction]:
    """(EAC, AC) of a project as of a date, exactly (`read` gives the exact value of a figure as written): the figures
    `earned_value` gives, without the others, for `ppm plan`'s remaining cost, whose sums a budget must hold exactly."""
    _, ac, eac = _spent(read(project.budget), project.latest_status(as_of), read)
    return eac, ac


def earned_value(project: Project, as_of: date, calendar: WorkCalendar, labor_cost: float = 0.0) -> ProjectValue:
    """Earned value, health, benefits, risk exposure and milestones of one project as of a date.

    Args:
        project: the project.
        as_of: the date; statuses after it are ignored.
        calendar: the organisation's working days.
        labor_cost: the project's labor cost (from the allocation analysis), carried into its figures.

    Returns:
        The project's record.
    """
    status = project.latest_status(as_of)
    return _value_at(project, as_of, calendar, status, labor_cost)


def _value_at(project: Project, as_of: date, calendar: WorkCalendar, status: StatusReport | None, labor_cost: float) -> ProjectValue:
    bac = project.budget
    fraction = planned_fraction(project.start, project.end, as_of, calendar)
    ev, ac, eac = _spent(bac, status, float)
    pv = bac * fraction
    # A milestone done after `as_of` was not done yet as of then (the report can be run for a past date).
    late = tuple(sorted((m for m in project.milestones if m.is_late(as_of)), key=_milestone_order))
    slipped = tuple(sorted((m for m in project.milestones if m.done is not None and m.date < m.done <= as_of), key=_milestone_order))
    figures = Figures.build(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        eac=eac,
        benefits=project.benefits or 0.0,
        benefits_realized=_benefits_realized(project.status, as_of),
        labor_cost=labor_cost,
        risk_exposure=sum(r.probability * r.impact for r in project.risks if r.status is RiskStatus.OPEN),
        late_milestones=len(late),
    )
    return ProjectValue(
        id=project.id,
        name=project.name,
        phase=project.phase.value,
        as_of=as_of,
        status=status,
        health=status.health.value if status is not None else UNKNOWN,
        planned_fraction=fraction,
        figures=figures,
        late=late,
        slipped=slipped,
        manager=project.manager,
        start=project.start,
        end=project.end,
    )


def _milestone_order(milestone: Milestone) -> tuple[date, str]:
    return (milestone.date, milestone.name)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """A project's earned value as of one of its status dates.

    Attributes:
        date: the status's date.
        health: its health.
        percent_complete: its percent complete.
        planned_fraction: share of the plan's working days passed by that date.
        pv, ev, ac: planned value, earned value, actual cost on that date.
        spi, cpi: the ratios on that date (None where a divisor is 0).
    """

    date: date
    health: str
    percent_complete: float
    planned_fraction: float
    pv: float
    ev: float
    ac: float
    spi: float | None
    cpi: float | None


@dataclass(frozen=True, slots=True)
class Trend:
    """A project's status history read as a time series.

    Attributes:
        id, name: the project's.
        as_of: statuses after this date are left out.
        points: one per status on or before `as_of`, oldest first.
    """

    id: str
    name: str
    as_of: date
    points: tuple[TrendPoint, ...]


def trend(project: Project, as_of: date, calendar: WorkCalendar) -> Trend:
    """SPI, CPI, percent complete and health of a project at each of its status dates.

    Args:
        project: the project.
        as_of: statuses dated after it are ignored.
        calendar: the organisation's working days.

    Returns:
        The trend, oldest status first.
    """
    points = []
    for report in project.statuses_until(as_of):
        value = _value_at(project, report.date, calendar, report, 0.0)
        f = value.figures
        points.append(TrendPoint(report.date, value.health, report.percent_complete, value.planned_fraction, f.pv, f.ev, f.ac, f.spi, f.cpi))
    return Trend(project.id, project.name, as_of, tuple(points))
