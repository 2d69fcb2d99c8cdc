"""Variance against a baseline: the portfolio now compared with the portfolio at an earlier git revision.

No baseline is captured by hand: any revision or tag is one. Slips are counted
in the organisation's working days, signed (positive = later than planned).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ppmcli.analysis.context import context
from ppmcli.analysis.resources.allocation import labor_costs
from ppmcli.analysis.delivery.evm import earned_value
from ppmcli.analysis.delivery.rollup import reported
from ppmcli.analysis.resources.workdays import WorkCalendar, calendar_of
from ppmcli.core.model import Phase, Project, Workspace


@dataclass(frozen=True, slots=True)
class MilestoneSlip:
    """A milestone whose date moved: `slip` working days (negative when pulled in)."""

    name: str
    old: date
    new: date
    slip: int


@dataclass(frozen=True, slots=True)
class ProjectVariance:
    """One project present in the baseline and now.

    Attributes:
        id: the project's id.
        phase_old, phase_new: its phase then and now.
        end_old, end_new: its planned end; `end_slip` working days between them (signed).
        budget_old, budget_new: its budget (BAC) then and now.
        eac_old, eac_new: its estimate at completion then and now (each as of its own newest status).
        health_old, health_new: its health then and now.
        milestones: milestones (matched by name) whose date moved.
    """

    id: str
    phase_old: str
    phase_new: str
    end_old: date
    end_new: date
    end_slip: int
    budget_old: float
    budget_new: float
    eac_old: float
    eac_new: float
    health_old: str
    health_new: str
    milestones: tuple[MilestoneSlip, ...]

    @property
    def changed(self) -> bool:
        return bool(
            self.end_slip or self.milestones or self.budget_old != self.budget_new or round(self.eac_old, 2) != round(self.eac_new, 2)
            or self.health_old != self.health_new or self.phase_old != self.phase_new
        )


@dataclass(frozen=True, slots=True)
class Baseline:
    """The variance report of `ppm report --baseline REV`.

    Attributes:
        revision: the baseline's label (short commit id).
        as_of: the date of both sides' figures.
        added: projects that exist now and not in the baseline.
        removed: projects in the baseline that no longer exist.
        cancelled: projects cancelled since the baseline.
        projects: projects in both whose plan, cost or health moved, by id.
        budget_old, budget_new, eac_old, eac_new: totals over the projects in both that the
            report covers now (proposed and cancelled ones only with `--all`), so they add up
            to the report's own totals.
    """

    revision: str
    as_of: date
    added: tuple[str, ...]
    removed: tuple[str, ...]
    cancelled: tuple[str, ...]
    projects: tuple[ProjectVariance, ...]
    budget_old: float
    budget_new: float
    eac_old: float
    eac_new: float


def signed_workdays(calendar: WorkCalendar, old: date, new: date) -> int:
    """Working days from `old` to `new`: positive when `new` is later, 0 when equal."""
    if new > old:
        return calendar.count(old, new) - calendar.is_working(old)
    if new < old:
        return -(calendar.count(new, old) - calendar.is_working(new))
    return 0


def _eac(project: Project, as_of: date, calendar: WorkCalendar, labor: float) -> tuple[float, str]:
    value = earned_value(project, as_of, calendar, labor)
    return value.figures.eac, value.health


def compare_baseline(
    base: Workspace, now: Workspace, base_projects: Mapping[str, Project], now_projects: Mapping[str, Project], as_of: date, revision: str, *, include_all: bool = False
) -> Baseline:
    """Compare the projects of `base` (the baseline revision) with those of `now`.

    Args:
        base, now: the two workspaces (now's calendar counts the slips).
        base_projects, now_projects: the projects compared on each side (filters applied).
        as_of: the date of every figure.
        revision: the baseline's label.
        include_all: the report covers proposed and cancelled projects too (its `--all`): the totals count them.
    """
    calendar = context(now).calendar
    base_calendar = calendar_of(base.settings) if base.settings is not None else calendar
    variances = []
    totals = [0.0, 0.0, 0.0, 0.0]
    common = sorted(base_projects.keys() & now_projects.keys())
    totalled = reported(now_projects, include_all)
    # Labor cost of every compared project in one pass per side, not one per project.
    labor_old = labor_costs(base, {pid: base_projects[pid] for pid in common}, base_calendar)
    labor_new = labor_costs(now, {pid: now_projects[pid] for pid in common}, calendar)
    for pid in common:
        old, new = base_projects[pid], now_projects[pid]
        eac_old, health_old = _eac(old, as_of, base_calendar, labor_old[pid])
        eac_new, health_new = _eac(new, as_of, calendar, labor_new[pid])
        old_milestones = {m.name: m.date for m in old.milestones}
        slips = tuple(
            MilestoneSlip(m.name, old_milestones[m.name], m.date, signed_workdays(calendar, old_milestones[m.name], m.date))
            for m in sorted(new.milestones, key=lambda m: (m.date, m.name))
            if m.name in old_milestones and old_milestones[m.name] != m.date
        )
        variance = ProjectVariance(
            pid, old.phase.value, new.phase.value, old.end, new.end, signed_workdays(calendar, old.end, new.end),
            old.budget, new.budget, eac_old, eac_new, health_old, health_new, slips,
        )
        if pid in totalled:
            for index, amount in enumerate((old.budget, new.budget, eac_old, eac_new)):
                totals[index] += amount
        if variance.changed:
            variances.append(variance)
    cancelled = tuple(
        pid for pid in sorted(base_projects.keys() & now_projects.keys())
        if now_projects[pid].phase is Phase.CANCELLED and base_projects[pid].phase is not Phase.CANCELLED
    )
    return Baseline(
        revision=revision,
        as_of=as_of,
        added=tuple(sorted(now_projects.keys() - base_projects.keys())),
        removed=tuple(sorted(base_projects.keys() - now_projects.keys())),
        cancelled=cancelled,
        projects=tuple(variances),
        budget_old=totals[0],
        budget_new=totals[1],
        eac_old=totals[2],
        eac_new=totals[3],
    )
