"""`ppm scenarios` and `ppm plan --scenario`: scenarios as `ppm plan` options, and their plans side by side.

A scenario file holds some of the plan's options; the command line's win
(`plan_options`). `compare` runs the plan of each scenario (and the
`baseline`, the plan with no options) on one loaded workspace, and keeps what a
reviewer compares: value, cost, budget left, the projects started, stopped
and delayed, the hires, the highest utilization, and per project where each
plan puts it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ppmcli.analysis.selection.plan import CapacityCell, Hire, Plan, PlanOptions, plan
from ppmcli.analysis.selection.scoring import exact
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import cut, listed, quote
from ppmcli.core.model import Project, Scenario, Workspace
from ppmcli.core.names import did_you_mean

BASELINE = "baseline"


def plan_options(scenario: Scenario | None, given: Mapping[str, Any]) -> PlanOptions:
    """The options of a plan: the defaults, then the scenario's, then those `given` on the command line.

    Args:
        scenario: the scenario file, or None.
        given: `PlanOptions` fields the command line set (None, or an empty list, means not given).
    """
    values: dict[str, Any] = {}
    if scenario is not None:
        options = scenario.plan
        if options.budget is not None:
            values["budget"] = exact(options.budget)
        if options.hire:
            values["hires"] = tuple(Hire(hire.role, float(hire.count), str(hire.start) if hire.start is not None else None) for hire in options.hire)
        for name in ("months", "max_delay", "stop", "force_in", "force_out", "model", "method"):
            value = getattr(options, name)
            if value is not None and value != ():
                values[name] = value
    values.update({name: value for name, value in given.items() if value is not None and value != ()})
    return PlanOptions(**values)


def find_scenario(ws: Workspace, ident: str) -> Scenario:
    """The valid scenario `ident`.

    Raises:
        PpmError: no such scenario, or its file is invalid.
    """
    if ident in ws.scenarios:
        return ws.scenarios[ident]
    if ident in ws.invalid.get("scenarios", frozenset()):
        raise PpmError(f"scenario {quote(ident)} is invalid; run 'ppm check' to see why")
    known = listed(cut(name) for name in ws.scenarios) or "none"
    raise PpmError(f"unknown scenario {quote(ident)}{did_you_mean(ident, ws.scenarios)} (scenarios: {known})")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One plan's figures, as a column of the comparison.

    Attributes:
        id, name: the scenario's (`baseline` for the plan with no options).
        plan: the plan itself.
        started: candidates the plan starts; delayed: those of them that start late.
        stopped: running projects the plan stops.
        peak: the role and month of the highest utilization, or None (no supply anywhere).
    """

    id: str
    name: str
    plan: Plan
    started: int
    delayed: int
    stopped: int
    peak: CapacityCell | None

    @property
    def hired(self) -> float:
        return sum(hire.count for hire in self.plan.hires)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one plan puts a project: started (at `delay` months), kept, stopped, or left out (both False)."""

    selected: bool
    delay: int | None
    stopped: bool


@dataclass(frozen=True, slots=True)
class ProjectLine:
    """A project that some plan starts or stops, with its placement in each plan (in the outcomes' order)."""

    id: str
    name: str
    placements: tuple[Placement, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """`ppm scenarios`: the outcomes side by side, and the projects whose placement a reviewer wants to see.

    Attributes:
        as_of: the reference date; currency: ppm.yaml's.
        outcomes: baseline first, then the scenarios in the order asked (default: by id).
        projects: every candidate started by at least one plan and every running project stopped by one,
            in the baseline's order (running by id, then candidates by rank), others after by id.
        left_out: candidates no plan starts (not listed).
    """

    as_of: date
    currency: str
    outcomes: tuple[Outcome, ...]
    projects: tuple[ProjectLine, ...]
    left_out: int


def outcome(ident: str, name: str, found: Plan) -> Outcome:
    """A plan's column."""
    started = [row for row in found.projects if row.state == "candidate" and row.selected]
    cells = [cell for cell in found.capacity if cell.utilization is not None]
    return Outcome(
        id=ident,
        name=name,
        plan=found,
        started=len(started),
        delayed=sum(1 for row in started if row.delay),
        stopped=sum(1 for row in found.projects if row.state == "running" and not row.selected),
        peak=max(cells, key=lambda cell: (cell.utilization, cell.period, cell.role), default=None),
    )


def compare(ws: Workspace, projects: Mapping[str, Project], as_of: date, scenarios: Sequence[Scenario], given: Mapping[str, Any] = {}) -> Comparison:
    """The baseline and each scenario's plan, over `projects` (the world of every plan), side by side.

    Args:
        given: options every plan takes from the command line (a time limit).

    Raises:
        PpmError: a scenario's options do not fit the workspace (a stop of a project that is not running…);
            the sentence names the scenario.
    """
    assert ws.settings is not None
    outcomes = [outcome(BASELINE, "Plan as is", plan(ws, projects, as_of, plan_options(None, given)))]
    for scenario in scenarios:
        try:
            found = plan(ws, projects, as_of, plan_options(scenario, given))
        except PpmError as exc:
            raise PpmError(f"scenario {quote(scenario.id)}: {exc}") from None
        outcomes.append(outcome(scenario.id, scenario.name, found))
    return _lines(ws, as_of, tuple(outcomes))


def _lines(ws: Workspace, as_of: date, outcomes: tuple[Outcome, ...]) -> Comparison:
    assert ws.settings is not None
    rows = [{row.id: row for row in found.plan.projects} for found in outcomes]
    order = [row.id for row in outcomes[0].plan.projects]
    order += sorted({pid for plan_rows in rows[1:] for pid in plan_rows} - set(order))
    lines = []
    candidates = set()
    for pid in order:
        placements = []
        for plan_rows in rows:
            row = plan_rows.get(pid)
            if row is None:
                placements.append(Placement(False, None, False))
                continue
            if row.state == "candidate":
                candidates.add(pid)
            placements.append(Placement(row.selected, row.delay, row.state == "running" and not row.selected))
        started = any(p.selected for p, row in zip(placements, rows) if pid in row and row[pid].state == "candidate")
        if started or any(p.stopped for p in placements):
            lines.append(ProjectLine(pid, ws.projects[pid].name if pid in ws.projects else pid, tuple(placements)))
    shown = {line.id for line in lines}
    return Comparison(as_of, ws.settings.currency, outcomes, tuple(lines), len(candidates - shown))
