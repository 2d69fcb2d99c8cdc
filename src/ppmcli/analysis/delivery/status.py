"""Analysis layer: `ppm status ID`, one project's status as its project manager reads it each week.

The figures are the report's own: the project is rolled up by `rollup.build_report`
alone (every phase), so `status` and `report --format json` can never disagree.
Around them: the project's milestones, its open risks by exposure, its team with
the over-allocations each allocation is part of, the trend of its last statuses,
and the findings of `ppm check` in its file (the checks are run by the caller:
only the CLI runs them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ppmcli.analysis.context import context
from ppmcli.analysis.delivery.evm import ProjectValue, Trend, trend
from ppmcli.analysis.delivery.rollup import RiskLine, attention_reasons, build_report, open_risks
from ppmcli.analysis.resources.conflicts import Conflict, finding_opening, select_conflicts
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import Finding, quote
from ppmcli.core.model import Milestone, PortfolioDef, Program, Workspace
from ppmcli.core.names import did_you_mean

# Statuses the trend shows: the last weeks a project manager compares with.
TREND_POINTS = 6


@dataclass(frozen=True, slots=True)
class MilestoneState:
    """A milestone as of the date.

    Attributes:
        milestone: the milestone (name, date, done).
        state: "done" (on or before its date), "slipped" (done after it), "late" (not done, date
            passed) or "open" (not done, not due yet). A `done` after the date counts as not done.
        days: for slipped, calendar days after the date it was done; for late, days overdue; else 0.
    """

    milestone: Milestone
    state: str
    days: int


@dataclass(frozen=True, slots=True)
class TeamLine:
    """One allocation of the project's team.

    Attributes:
        index: its position in the project's `team` list.
        person: the person's id (None for a role demand); name: the person's name (None when
            the person is not valid or for a role demand).
        role: the role demanded, or the person's role.
        fte, start, end: the allocation.
        conflicts: the current over-allocations (ending on or after the date) this allocation is part of.
    """

    index: int
    person: str | None
    name: str | None
    role: str | None
    fte: float
    start: date
    end: date
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True, slots=True)
class ProjectStatus:
    """`ppm status ID`: one project as of a date.

    Attributes:
        currency: `ppm.yaml`'s currency.
        value: the project's figures, exactly the report's.
        manager_name: the manager's name (None when the manager is not a valid person).
        portfolio, program: the (id, name) of the project's portfolio and program, or None.
        attention: why the report lists it under "needs attention" (reason codes; empty when it does not).
        milestones: every milestone, by date.
        risks: the open risks, highest exposure first.
        team: the allocations, in the file's order.
        trend: the last `TREND_POINTS` statuses on or before the date, oldest first.
        path: the project's file, relative to the workspace root.
        findings: `ppm check`'s findings in that file, and those of the over-allocations its team is part of, in check order.
    """

    currency: str
    value: ProjectValue
    manager_name: str | None
    portfolio: tuple[str, str] | None
    program: tuple[str, str] | None
    attention: tuple[str, ...]
    milestones: tuple[MilestoneState, ...]
    risks: tuple[RiskLine, ...]
    team: tuple[TeamLine, ...]
    trend: Trend
    path: str
    findings: tuple[Finding, ...]


def project_status(ws: Workspace, project_id: str, as_of: date, findings: Iterable[Finding] = ()) -> ProjectStatus:
    """One project's status, figures, milestones, risks, team, trend and findings.

    Args:
        ws: the workspace (valid settings).
        project_id: the project's id.
        as_of: the date; statuses after it are ignored.
        findings: every finding of `ppm check` (those of the project's file are kept).

    Returns:
        The status record.

    Raises:
        PpmError: no valid project has that id (with a "did you mean"), or ppm.yaml is invalid.
    """
    project = ws.projects.get(project_id)
    findings = tuple(findings)
    if project is None:
        if ws.is_invalid("projects", project_id):
            raise PpmError(ws.invalid_file("projects", project_id, "it has no status"))
        raise PpmError(f"no project {quote(project_id)}{did_you_mean(project_id, ws.projects)}")
    ctx = context(ws)
    report = build_report(ws, {project_id: project}, as_of, include_all=True)
    value = report.projects[0]
    path = ws.where("projects", project_id).path
    conflicts = select_conflicts(ws, as_of, projects=(project_id,))
    # The team's over-allocations that `ppm check` places in another project's file (at the first allocation).
    shared = tuple(finding_opening(c) for c in conflicts)
    full = trend(project, as_of, ctx.calendar)
    # The conflicts each allocation is in, found once: a search per team entry was quadratic (76,000 entries: hours).
    in_conflicts: dict[tuple[str, int], list[Conflict]] = {}
    for conflict in conflicts:
        for booking in conflict.bookings:
            if booking[0] == project_id:
                in_conflicts.setdefault(booking, []).append(conflict)
    return ProjectStatus(
        currency=ctx.settings.currency,
        value=value,
        manager_name=report.managers.get(value.manager),
        portfolio=_named(ws.portfolios, project.portfolio),  # the loader gave it its program's
        program=_named(ws.programs, project.program),
        attention=attention_reasons(value, ctx.settings.checks.stale_status_days) if project.phase.is_open else (),
        milestones=tuple(_milestone_state(m, as_of) for m in sorted(project.milestones, key=lambda m: (m.date, m.name))),
        risks=open_risks([project], limit=None),
        team=tuple(
            TeamLine(
                index=index,
                person=entry.person,
                name=ws.people[entry.person].name if entry.person in ws.people else None,
                role=entry.role or (ws.people[entry.person].role if entry.person in ws.people else None),
                fte=entry.fte,
                start=entry.start or project.start,
                end=entry.end or project.end,
                conflicts=tuple(in_conflicts.get((project_id, index), ())),
            )
            for index, entry in enumerate(project.team)
        ),
        trend=Trend(full.id, full.name, full.as_of, full.points[-TREND_POINTS:]),
        path=path,
        findings=tuple(f for f in findings if f.path == path or (f.code == "overallocation" and f.message.startswith(shared))),
    )


def _named(entities: Mapping[str, PortfolioDef] | Mapping[str, Program], key: str | None) -> tuple[str, str] | None:
    """(id, display name), the id standing for the name of an entity that is not valid."""
    if key is None:
        return None
    entity = entities.get(key)
    return (key, entity.name if entity is not None else key)


def _milestone_state(milestone: Milestone, as_of: date) -> MilestoneState:
    if milestone.is_done(as_of):
        assert milestone.done is not None
        late_by = (milestone.done - milestone.date).days
        return MilestoneState(milestone, "slipped" if late_by > 0 else "done", max(late_by, 0))
    if milestone.is_late(as_of):
        return MilestoneState(milestone, "late", (as_of - milestone.date).days)
    return MilestoneState(milestone, "open", 0)
