"""Analysis layer: the portfolio report, projects' earned value rolled up by portfolio, program, goal, phase or tag.

`build_report` returns one frozen `Report` record (groups, total, projects, and
the lists a portfolio manager reads first: projects needing attention, top
risks, milestones coming up); renderers lay it out per format and compute
nothing. `project_trend` reads one project's statuses as a time series.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from ppmcli.analysis.context import context
from ppmcli.analysis.resources.allocation import labor_costs
from ppmcli.analysis.delivery.evm import ATTENTION_INDEX, HEALTH_RANK, Figures, ProjectValue, Trend, earned_value, is_stale, sum_figures, trend, worst_health
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import quote
from ppmcli.core.model import Goal, Phase, PortfolioDef, Program, Project, RiskStatus, Workspace
from ppmcli.core.names import did_you_mean

GROUPINGS = ("portfolio", "program", "goal", "phase", "tag")
# The lifecycle order, used to order `--by phase` groups.
PHASE_ORDER = tuple(phase.value for phase in Phase)
# Phases the report covers by default; `--all` adds proposed and cancelled.
REPORTED_PHASES = frozenset({Phase.INITIATION, Phase.PLANNING, Phase.EXECUTION, Phase.MONITORING, Phase.CLOSED})
TOP_RISKS = 10
UPCOMING_DAYS = 30


@dataclass(frozen=True, slots=True)
class Rollup:
    """One group of the report (or the total).

    Attributes:
        key: the group's id (portfolio, program or goal id, phase, tag); None for the
            projects with no program, goal or tag (and for the total).
        name: the group's display name (None where `key` is None, except "Total").
        projects: ids of the projects in the group, sorted.
        health: worst of the projects' health ("unknown" only when all are unknown).
        figures: sums of the projects' figures, ratios from the sums.
    """

    key: str | None
    name: str | None
    projects: tuple[str, ...]
    health: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class Attention:
    """A project the portfolio manager should look at first.

    Attributes:
        project: the project's record.
        reasons: why, in a fixed order, from "red", "amber", "spi", "cpi", "late", "over-budget",
            "stale" (SPI or CPI under 0.9; EAC above BAC; the `stale-status` rule).
    """

    project: ProjectValue
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskLine:
    """An open risk, for the top-risks list.

    Attributes:
        project: the project's id.
        name, owner, mitigation: the risk's (owner and mitigation may be None).
        probability: 0..1; impact: in currency; exposure = probability × impact.
    """

    project: str
    name: str
    owner: str | None
    probability: float
    impact: float
    exposure: float
    mitigation: str | None


@dataclass(frozen=True, slots=True)
class MilestoneLine:
    """A milestone not done yet and due within the next days.

    Attributes:
        date: when it is due; project: the project's id; name: the milestone's.
        health: the project's health.
    """

    date: date
    project: str
    name: str
    health: str


@dataclass(frozen=True, slots=True)
class Report:
    """The portfolio report as of a date.

    Attributes:
        organisation: `ppm.yaml`'s name; currency: its currency.
        as_of: the date of every figure.
        by: the grouping (one of `GROUPINGS`).
        total: every reported project, each counted once.
        groups: one rollup per group, ordered by key (phases in lifecycle order), the
            group with key None last.
        projects: every reported project, by id.
        attention: open projects that are red or amber, under 0.9 SPI or CPI, late on a
            milestone, forecast over budget or with a stale status; worst health first, then
            most reasons, then id.
        risks: the open risks with the highest exposure (at most `TOP_RISKS`).
        upcoming: milestones not done, due from `as_of` to `as_of` + `UPCOMING_DAYS`, by date.
        managers: the display name of each reported project's manager, by person id (a manager
            who is not a valid person is left out).
        left_out: the projects asked about that the report does not cover (proposed and cancelled, without `--all`).
    """

    organisation: str
    currency: str
    as_of: date
    by: str
    total: Rollup
    groups: tuple[Rollup, ...]
    projects: tuple[ProjectValue, ...]
    attention: tuple[Attention, ...]
    risks: tuple[RiskLine, ...]
    upcoming: tuple[MilestoneLine, ...]
    managers: Mapping[str, str]
    left_out: int = 0


def reported(projects: Mapping[str, Project], include_all: bool = False) -> dict[str, Project]:
    """The projects a report covers: phases initiation to closed, or every phase with `include_all`."""
    return {pid: p for pid, p in projects.items() if include_all or p.phase in REPORTED_PHASES}


def build_report(ws: Workspace, projects: Mapping[str, Project], as_of: date, by: str = "portfolio", include_all: bool = False) -> Report:
    """Earned value, health, benefits, risks and milestones of projects, rolled up.

    Args:
        ws: the workspace (settings, portfolios, programs, people for labor cost).
        projects: the projects to report on (already narrowed by --portfolio/--tag), by id.
        as_of: the date of the figures; statuses after it are ignored.
        by: the grouping: portfolio, program, goal, phase or tag.
        include_all: also report proposed and cancelled projects.

    Returns:
        The report record.

    Raises:
        PpmError: `by` is not a grouping, or ppm.yaml is invalid.
    """
    if by not in GROUPINGS:
        raise PpmError(f"--by {quote(by)} is not one of {', '.join(GROUPINGS)}")
    ctx = context(ws)
    calendar = ctx.calendar
    covered = dict(sorted(reported(projects, include_all).items()))
    costs = labor_costs(ws, covered, calendar)
    values = tuple(earned_value(project, as_of, calendar, costs[pid]) for pid, project in covered.items())
    by_id = {value.id: value for value in values}
    members: dict[str | None, list[str]] = {}
    for value in values:
        for key in _keys(projects[value.id], by):
            members.setdefault(key, []).append(value.id)
    groups = tuple(
        _rollup(key, _group_name(ws, by, key), [by_id[pid] for pid in members[key]])
        for key in sorted(members, key=lambda k: _group_order(by, k))
    )
    return Report(
        organisation=ctx.settings.name,
        currency=ctx.settings.currency,
        as_of=as_of,
        by=by,
        total=_rollup(None, "Total", values),
        groups=groups,
        projects=values,
        attention=_attention(values, ctx.settings.checks.stale_status_days),
        risks=open_risks(projects[value.id] for value in values),
        upcoming=_upcoming(values, projects, as_of),
        managers={value.manager: ws.people[value.manager].name for value in values if value.manager in ws.people},
        left_out=len(projects) - len(covered),
    )


def _rollup(key: str | None, name: str | None, values: Iterable[ProjectValue]) -> Rollup:
    values = list(values)
    return Rollup(
        key=key,
        name=name,
        projects=tuple(sorted(value.id for value in values)),
        health=worst_health(value.health for value in values),
        figures=sum_figures([value.figures for value in values]),
    )


def _keys(project: Project, by: str) -> tuple[str | None, ...]:
    """The groups a project stands in: one, or one per goal/tag (None when it has none)."""
    if by == "portfolio":
        return (project.portfolio,)
    if by == "program":
        return (project.program,)
    if by == "phase":
        return (project.phase.value,)
    keys = sorted(project.goals) if by == "goal" else sorted(set(project.tags))
    return tuple(keys) or (None,)


def _group_order(by: str, key: str | None) -> tuple[int, int, str]:
    if key is None:
        return (1, 0, "")
    if by == "phase":
        return (0, PHASE_ORDER.index(key), key)
    return (0, 0, key)


def _group_name(ws: Workspace, by: str, key: str | None) -> str | None:
    if key is None:
        return None
    entity: PortfolioDef | Program | Goal | None = None
    if by == "portfolio":
        entity = ws.portfolios.get(key)
    elif by == "program":
        entity = ws.programs.get(key)
    elif by == "goal":
        entity = context(ws).settings.goals.get(key)
    return entity.name if entity is not None else key


def attention_reasons(value: ProjectValue, stale_days: int) -> tuple[str, ...]:
    """Why a project needs attention: red/amber health, SPI or CPI under 0.9, late milestones, EAC above BAC, a stale status.

    Args:
        value: the project's record.
        stale_days: `checks.stale_status_days`.

    Returns:
        Reason codes, in this order: "red" or "amber", "spi", "cpi", "late", "over-budget", "stale".
    """
    f = value.figures
    reasons = []
    if value.health in ("red", "amber"):
        reasons.append(value.health)
    if f.spi is not None and f.spi < ATTENTION_INDEX:
        reasons.append("spi")
    if f.cpi is not None and f.cpi < ATTENTION_INDEX:
        reasons.append("cpi")
    if f.late_milestones:
        reasons.append("late")
    if f.eac > f.bac:
        reasons.append("over-budget")
    if is_stale(Phase(value.phase), value.status, value.as_of, stale_days):
        reasons.append("stale")
    return tuple(reasons)


def _attention(values: Iterable[ProjectValue], stale_days: int) -> tuple[Attention, ...]:
    # Closed and cancelled projects are history: nothing left to act on.
    found = [Attention(value, reasons) for value in values if Phase(value.phase).is_open and (reasons := attention_reasons(value, stale_days))]
    found.sort(key=lambda a: (-HEALTH_RANK[a.project.health], -len(a.reasons), a.project.id))
    return tuple(found)


def open_risks(projects: Iterable[Project], limit: int | None = TOP_RISKS) -> tuple[RiskLine, ...]:
    """The open risks of `projects`, highest exposure first (then project, name, position): the first `limit`, or all."""
    # A large portfolio has hundreds of thousands of risks: rank keys, build records for the top few only.
    keyed = ((-risk.probability * risk.impact, project.id, risk.name, index, risk) for project in projects for index, risk in enumerate(project.risks) if risk.status is RiskStatus.OPEN)
    top = sorted(keyed, key=lambda entry: entry[:4]) if limit is None else heapq.nsmallest(limit, keyed, key=lambda entry: entry[:4])
    return tuple(RiskLine(pid, risk.name, risk.owner, risk.probability, risk.impact, -negative, risk.mitigation) for negative, pid, _, _, risk in top)


def _upcoming(values: Iterable[ProjectValue], projects: Mapping[str, Project], as_of: date) -> tuple[MilestoneLine, ...]:
    horizon = as_of + timedelta(days=UPCOMING_DAYS)
    lines = [
        MilestoneLine(milestone.date, value.id, milestone.name, value.health)
        for value in values
        if Phase(value.phase).is_open
        for milestone in projects[value.id].milestones
        if as_of <= milestone.date <= horizon and not milestone.is_done(as_of)
    ]
    lines.sort(key=lambda m: (m.date, m.project, m.name))
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class TrendReport:
    """`ppm report --trend ID`: one project's trend, with the organisation's currency.

    Attributes:
        currency: `ppm.yaml`'s currency; trend: the project's points.
    """

    currency: str
    trend: Trend


def project_trend(ws: Workspace, project_id: str, as_of: date) -> TrendReport:
    """One project's SPI, CPI, percent complete and health at each status date up to `as_of`.

    Args:
        ws: the workspace.
        project_id: the project's id.
        as_of: statuses after it are ignored.

    Returns:
        The trend record.

    Raises:
        PpmError: no valid project has that id (its file is invalid, or there is none), or ppm.yaml is invalid.
    """

    project = ws.projects.get(project_id)
    if project is None and ws.is_invalid("projects", project_id):
        raise PpmError(f"--trend: {ws.invalid_file('projects', project_id, 'it has no trend')}")
    if project is None:
        raise PpmError(f"--trend: no project {quote(project_id)}{did_you_mean(project_id, ws.projects)}")
    ctx = context(ws)
    return TrendReport(ctx.settings.currency, trend(project, as_of, ctx.calendar))
