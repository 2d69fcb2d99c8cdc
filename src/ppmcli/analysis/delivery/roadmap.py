"""Analysis layer: the roadmap, open projects as bars on a timeline, grouped by portfolio or program.

`build_roadmap` returns one frozen `Roadmap` record: the date range, the groups
with their bars clipped to it, each bar's milestones (done, due or late as of
the date) and the dependencies between projects. It adds no arithmetic of its
own beyond dates; health is the newest status's on or before `as_of`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ppmcli.analysis.context import context
from ppmcli.analysis.delivery.evm import UNKNOWN, worst_health
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import quote
from ppmcli.core.model import Milestone, Project, Workspace

if TYPE_CHECKING:
    from ppmcli.analysis.selection.plan import Breach, Plan

ROADMAP_GROUPINGS = ("portfolio", "program")

Date = date  # `date` is a field name inside MilestoneMark: its annotations say `Date`


@dataclass(frozen=True, slots=True)
class MilestoneMark:
    """A milestone on a bar.

    Attributes:
        name: the milestone's name.
        date: its planned date.
        done: the day it was done, None when not done by `as_of` (done later counts as not done yet).
        state: "done", "late" (not done, planned before `as_of`) or "due" (not done, planned on or after it).
        at: where it sits on the timeline: the done day when done, else the planned date.
    """

    name: str
    date: Date
    done: Date | None
    state: str
    at: Date


@dataclass(frozen=True, slots=True)
class Bar:
    """One open project on the timeline.

    Attributes:
        id, name, phase: the project's.
        health: its newest status's health on or before `as_of`, or "unknown".
        start, end: the project's planned dates (inclusive).
        bar_start, bar_end: the same, clipped to the roadmap's range.
        milestones: its milestones that fall inside the range, by `at`, then name.
        depends_on: the ids it depends on, as written.
        planned_start: on a plan's roadmap, the start in the file of a candidate the plan starts late (`start` is the new one); else None.
        stopped: on a plan's roadmap, a running project the plan stops.
    """

    id: str
    name: str
    phase: str
    health: str
    start: date
    end: date
    bar_start: date
    bar_end: date
    milestones: tuple[MilestoneMark, ...]
    depends_on: tuple[str, ...]
    planned_start: date | None = None
    stopped: bool = False

    @property
    def clipped_start(self) -> bool:
        return self.start < self.bar_start

    @property
    def clipped_end(self) -> bool:
        return self.end > self.bar_end


@dataclass(frozen=True, slots=True)
class Lane:
    """A group of bars (a portfolio or a program).

    Attributes:
        key: the portfolio or program id; None for projects with no program.
        name: its display name (None where `key` is None).
        health: worst health of its bars.
        bars: its bars, by start, then id.
    """

    key: str | None
    name: str | None
    health: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A dependency of a project on the roadmap.

    Attributes:
        project: the dependent project's id; start: its start.
        needs: the project it depends on.
        needs_end: that project's end (None when it is not a valid project).
        state: "ok" (it ends by the day this one starts), "overlaps" (it ends after this
            one starts; it is not closed), "met" (it is closed), "cancelled" (it can never
            be met), "invalid" (its file is invalid, so its dates are not known) or "unknown"
            (no project has that id).
    """

    project: str
    start: date
    needs: str
    needs_end: date | None
    state: str


@dataclass(frozen=True, slots=True)
class Roadmap:
    """The roadmap as of a date.

    Attributes:
        organisation: `ppm.yaml`'s name.
        as_of: the date health and milestone states are taken at.
        by: "portfolio" or "program".
        start, end: the range shown (inclusive).
        lanes: the groups, by key, the group with key None last.
        links: the dependencies of the projects shown, by project, then the id depended on.
        outside: open projects (after the filters) that fall wholly outside the range, by id.
        planned: drawn from a plan (`ppm roadmap --plan`): candidates it leaves out are not drawn,
            the ones it starts late are at their new dates, running ones it stops are marked.
        breaches: the limits that plan breaks (its forced projects, or the running ones alone, do not fit):
            it then starts nothing else.
        left_out: the candidates that plan does not start (not drawn), in rank order.
    """

    organisation: str
    as_of: date
    by: str
    start: date
    end: date
    lanes: tuple[Lane, ...]
    links: tuple[Link, ...]
    outside: tuple[str, ...]
    planned: bool = False
    breaches: tuple[Breach, ...] = ()
    left_out: tuple[str, ...] = ()

    @property
    def bars(self) -> tuple[Bar, ...]:
        return tuple(bar for lane in self.lanes for bar in lane.bars)


def milestone_state(milestone: Milestone, as_of: date) -> str:
    """A milestone as of a date: "done" (done on or before it), "late" (not done, planned before it) or "due".

    Args:
        milestone: the milestone.
        as_of: the date.

    Returns:
        The state.
    """
    if milestone.is_done(as_of):
        return "done"
    return "late" if milestone.date < as_of else "due"


def build_roadmap(
    ws: Workspace,
    projects: Mapping[str, Project],
    as_of: date,
    *,
    by: str = "portfolio",
    start: date | None = None,
    end: date | None = None,
    plan: Plan | None = None,
) -> Roadmap:
    """The open projects as a timeline, grouped, with milestones and dependencies.

    Args:
        ws: the workspace (group names, the projects depended on).
        projects: the projects to show (already narrowed by --portfolio/--tag), by id; only open ones are shown.
        as_of: the date of health and milestone states.
        by: "portfolio" or "program".
        start: first day of the range; default the earliest start of the projects shown.
        end: last day of the range; default the latest end of the projects shown.
        plan: `ppm plan`'s answer over `projects`, to draw its dates instead of the files'.

    Returns:
        The roadmap record.

    Raises:
        PpmError: `by` is not a roadmap grouping, or the range ends before it starts.
    """
    if by not in ROADMAP_GROUPINGS:
        raise PpmError(f"--by {quote(by)} is not one of {', '.join(ROADMAP_GROUPINGS)}")
    if start is not None and end is not None and end < start:
        raise PpmError(f"--to {end} is before --from {start}")
    moved: dict[str, date] = {}
    stopped: set[str] = set()
    if plan is not None:
        projects, moved, stopped = _as_planned(projects, plan)
    candidates = [project for _, project in sorted(projects.items()) if project.phase.is_open]
    if end is None:
        end = max([p.end for p in candidates] + ([start] if start is not None else []), default=as_of)
    if start is None:
        start = min([p.start for p in candidates] + [end])
    inside = [p for p in candidates if p.end >= start and p.start <= end]
    outside = tuple(p.id for p in candidates if p.end < start or p.start > end)
    bars = {p.id: _bar(p, as_of, start, end, moved.get(p.id), p.id in stopped) for p in inside}
    members: dict[str | None, list[Bar]] = {}
    for project in inside:
        members.setdefault(project.portfolio if by == "portfolio" else project.program, []).append(bars[project.id])
    lanes = tuple(
        Lane(key, _lane_name(ws, by, key), worst_health(bar.health for bar in members[key]), tuple(sorted(members[key], key=lambda b: (b.start, b.id))))
        for key in sorted(members, key=lambda k: (k is None, k or ""))
    )
    links = tuple(_link(ws, project, needs) for project in inside for needs in sorted(set(project.depends_on)))
    return Roadmap(
        organisation=context(ws).settings.name,
        as_of=as_of,
        by=by,
        start=start,
        end=end,
        lanes=lanes,
        links=links,
        outside=outside,
        planned=plan is not None,
        breaches=tuple(plan.breaches) if plan is not None else (),
        left_out=tuple(row.id for row in plan.projects if row.state == "candidate" and not row.selected) if plan is not None else (),
    )


def _as_planned(projects: Mapping[str, Project], plan: Plan) -> tuple[dict[str, Project], dict[str, date], set[str]]:
    """The projects as the plan has them: candidates it leaves out dropped, late ones moved with their milestones.

    Returns:
        (the projects, the file's start of each moved one, the stopped running ones).
    """
    from ppmcli.analysis.selection.plan import shift

    found = dict(projects)
    moved: dict[str, date] = {}
    stopped: set[str] = set()
    for row in plan.projects:
        if row.state == "running":
            if not row.selected:
                stopped.add(row.id)
        elif not row.selected:
            found.pop(row.id, None)
        elif row.delay:
            project = found[row.id]
            milestones = tuple(milestone.model_copy(update={"date": shift(milestone.date, row.delay)}) for milestone in project.milestones)
            found[row.id] = project.model_copy(update={"start": row.start, "end": row.end, "milestones": milestones})
            moved[row.id] = row.planned_start
    return found, moved, stopped


def _bar(project: Project, as_of: date, start: date, end: date, planned_start: date | None = None, stopped: bool = False) -> Bar:
    status = project.latest_status(as_of)
    marks = []
    for milestone in project.milestones:
        state = milestone_state(milestone, as_of)
        done = milestone.done if state == "done" else None
        at = done or milestone.date
        if start <= at <= end:
            marks.append(MilestoneMark(milestone.name, milestone.date, done, state, at))
    marks.sort(key=lambda m: (m.at, m.name))
    return Bar(
        id=project.id,
        name=project.name,
        phase=project.phase.value,
        health=status.health.value if status is not None else UNKNOWN,
        start=project.start,
        end=project.end,
        bar_start=max(project.start, start),
        bar_end=min(project.end, end),
        milestones=tuple(marks),
        depends_on=project.depends_on,
        planned_start=planned_start,
        stopped=stopped,
    )


def _lane_name(ws: Workspace, by: str, key: str | None) -> str | None:
    if key is None:
        return None
    entity = ws.portfolios.get(key) if by == "portfolio" else ws.programs.get(key)
    return entity.name if entity is not None else key


def _link(ws: Workspace, project: Project, needs: str) -> Link:
    dependency = ws.projects.get(needs)
    if dependency is None:
        return Link(project.id, project.start, needs, None, "invalid" if ws.is_invalid("projects", needs) else "unknown")
    return Link(project.id, project.start, needs, dependency.end, project.dependency_state(dependency))
