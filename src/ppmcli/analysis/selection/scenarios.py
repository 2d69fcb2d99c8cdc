"""`ppm scenarios` and `ppm plan --scenario`: scenarios as `ppm plan` options, and their plans side by side.

A scenario file holds some of the plan's options; the command line's win
(`plan_options`). `compare` runs the plan of each scenario (and the
`baseline`, the plan with no options) on one loaded workspace, and keeps what a
reviewer compares: value, cost, budget left, the projects started, stopped
and delayed, the hires, the highest utilization, and per project where each
plan puts it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ppmcli.analysis.selection.options import PlanOptions, check_fit, option_labels, plan_options
from ppmcli.analysis.selection.plan import CapacityCell, Plan, plan
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import cut, listed, quote
from ppmcli.core.model import BASELINE, Project, Scenario, Workspace
from ppmcli.core.names import did_you_mean

INVALID = "is invalid; run 'ppm check' to see why"


def find_scenario(ws: Workspace, ident: str) -> Scenario:
    """The valid scenario `ident`.

    Raises:
        PpmError: no such scenario, or its file is invalid.
    """
    if ident in ws.scenarios:
        return ws.scenarios[ident]
    if ws.is_invalid("scenarios", ident):
        raise PpmError(ws.invalid_file("scenarios", ident, "it cannot be planned"))
    if ident == BASELINE:
        raise PpmError(f"'{BASELINE}' is the plan with no options, always shown first: name the scenarios to compare with it")
    known = listed(cut(name) for name in ws.scenarios) or "none"
    raise PpmError(f"no scenario {quote(ident)} (scenarios: {known}){did_you_mean(ident, ws.scenarios)}")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One plan's figures, as a column of the comparison.

    Attributes:
        id, name: the scenario's (`baseline` for the plan with no options).
        plan: the plan itself.
        started: candidates the plan starts; delayed: those of them that start late.
        stopped: running projects the plan stops.
        peak: the role and month of the highest utilization (first, one booked with no supply, utilization None), or None.
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
    """Where one plan puts a project: a running one kept or stopped; a candidate started (at `delay` months) or left out."""

    running: bool
    selected: bool
    delay: int | None


@dataclass(frozen=True, slots=True)
class ProjectLine:
    """A project of the plans, with its placement in each plan (in the outcomes' order)."""

    id: str
    name: str
    placements: tuple[Placement, ...]

    @property
    def moved(self) -> bool:
        """Whether some plan starts it (a candidate) or stops it (a running project)."""
        return any(p.selected != p.running for p in self.placements)


@dataclass(frozen=True, slots=True)
class Comparison:
    """`ppm scenarios`: the outcomes side by side, and the projects whose placement a reviewer wants to see.

    Attributes:
        as_of: the reference date; currency: ppm.yaml's.
        outcomes: baseline first, then the scenarios in the order asked (default: by id).
        every: every project of the plans, in the baseline's order (running by id, then candidates by rank), others
            after by id: what JSON and CSV list, for a script to read any project's placement.
        failed: scenarios whose options do not fit the workspace, with the sentence why: left out, as a file that does not validate is.
        narrowed: the command-line options that narrowed every plan (`--portfolio P`, `--tag T`), to repeat where the
            output names a command that shows one plan.
    """

    as_of: date
    currency: str
    outcomes: tuple[Outcome, ...]
    every: tuple[ProjectLine, ...]
    failed: tuple[tuple[str, str], ...] = ()
    narrowed: tuple[str, ...] = ()

    @property
    def projects(self) -> tuple[ProjectLine, ...]:
        """What the tables show: the projects some plan starts or stops."""
        return tuple(line for line in self.every if line.moved)

    @property
    def left_out(self) -> int:
        """How many candidates no plan starts (not in `projects`)."""
        return len(self.left_out_ids)

    @property
    def left_out_ids(self) -> tuple[str, ...]:
        """The candidates no plan starts (not in `projects`), in the lines' order."""
        return tuple(line.id for line in self.every if not line.moved and not any(p.running for p in line.placements))


def outcome(ident: str, name: str, found: Plan) -> Outcome:
    """A plan's column."""
    started = [row for row in found.projects if row.state == "candidate" and row.selected]
    cells = [cell for cell in found.capacity if cell.utilization is not None]
    # A role booked in a month where nobody holds it is over without measure: it comes before any ratio.
    unsupplied = next((cell for cell in found.capacity if cell.utilization is None and cell.demand > 0), None)
    return Outcome(
        id=ident,
        name=name,
        plan=found,
        started=len(started),
        delayed=sum(1 for row in started if row.delay),
        stopped=sum(1 for row in found.projects if row.state == "running" and not row.selected),
        peak=unsupplied or max(cells, key=lambda cell: cell.utilization or 0.0, default=None),  # the first of equals: roles by name, then months
    )


class TimeShare:
    """A time budget that plans solved one after another share: each may take what is left over the plans still to come.

    The workspace decides how many scenarios there are: with a time limit of each, a branch that adds a hundred
    could hold CI for an hour and more. A plan solved early leaves its unused time to the later ones.
    """

    # Each plan gets at least this much: the solver then returns its starting plan, never worse than greedy's.
    FLOOR = 0.1

    def __init__(self, seconds: float, plans: int) -> None:
        self.seconds = seconds
        self.deadline = time.perf_counter() + seconds
        self.left = plans

    @property
    def spent(self) -> bool:
        """Whether the time is up: building a plan's program takes time too, which no solver limit bounds."""
        return time.perf_counter() >= self.deadline

    def next(self) -> float:
        """The next plan's time limit, in seconds."""
        seconds = max(self.FLOOR, (self.deadline - time.perf_counter()) / max(self.left, 1))
        self.left -= 1
        return seconds


def compare(
    ws: Workspace,
    projects: Mapping[str, Project],
    as_of: date,
    scenarios: Sequence[Scenario],
    given: Mapping[str, Any] = {},
    *,
    share: TimeShare | None = None,
    baseline: Plan | None = None,
    baseline_name: str = "Plan as is",
    invalid: Sequence[str] = (),
    narrowed: Sequence[str] = (),
) -> Comparison:
    """The baseline and each scenario's plan, over `projects` (the world of every plan), side by side.

    Args:
        given: options every plan takes from the command line (a time limit of each).
        share: a time budget the plans share instead (`TimeShare`, counting the baseline unless it is given).
        baseline: the plan to compare with, when it is not this workspace's (`ppm diff`: the base's).
        invalid: ids of scenario files that do not validate: left out and named, as those that do not fit are.
        narrowed: the options that narrowed `projects` (`--portfolio`, `--tag` and their values), for `Comparison.narrowed`.

    A scenario whose options do not fit the workspace (a stop of a project that is not running…) is
    listed in `failed` with the sentence why, and the others are compared; so is one left once a shared time is
    spent (each plan's program takes time to build, beyond its solver's limit: a branch adding a thousand
    scenarios would otherwise hold CI for half an hour).
    """

    def options(scenario: Scenario | None) -> PlanOptions:
        return _options(scenario, given if share is None else {**given, "time_limit": share.next()})

    if baseline is None:
        baseline = plan(ws, projects, as_of, options(None))
    outcomes = [outcome(BASELINE, baseline_name, baseline)]
    failed = []
    for scenario in scenarios:
        why = why_unfit(ws, projects, as_of, scenario, given)
        if why is not None:
            failed.append((scenario.id, why))
        elif share is not None and share.spent:
            failed.append((scenario.id, f"the {share.seconds:g} s the plans share ran out before it; ppm plan --scenario {scenario.id} plans it alone"))
        else:
            outcomes.append(outcome(scenario.id, scenario.name, plan(ws, projects, as_of, options(scenario))))
    failed = sorted(failed + [(ident, f"the file {INVALID}") for ident in invalid])  # by id, as the scenarios are listed
    return replace(_lines(ws, as_of, tuple(outcomes), tuple(failed)), narrowed=tuple(narrowed))


def unfit(ws: Workspace, projects: Mapping[str, Project], as_of: date, scenarios: Sequence[Scenario], given: Mapping[str, Any] = {}) -> list[tuple[str, str]]:
    """The scenarios whose options do not fit the workspace, each with the sentence why, found without planning any."""
    return [(scenario.id, why) for scenario in scenarios if (why := why_unfit(ws, projects, as_of, scenario, given)) is not None]


def why_unfit(ws: Workspace, projects: Mapping[str, Project], as_of: date, scenario: Scenario, given: Mapping[str, Any]) -> str | None:
    """Why the scenario's options (with those `given` on the command line) do not fit the workspace, naming each option
    as the file writes it unless the command line gave it; None when they fit."""
    try:
        check_fit(ws, projects, as_of, _options(scenario, given), option_labels(scenario, given))
    except PpmError as exc:
        return str(exc)
    return None


def _options(scenario: Scenario | None, given: Mapping[str, Any]) -> PlanOptions:
    # A time limit given for the comparison bounds the exact plans; a greedy scenario has no solver to bound.
    options = plan_options(scenario, given)
    return replace(options, time_limit=None) if options.method == "greedy" else options


def _lines(ws: Workspace, as_of: date, outcomes: tuple[Outcome, ...], failed: tuple[tuple[str, str], ...]) -> Comparison:
    assert ws.settings is not None
    rows = [{row.id: row for row in found.plan.projects} for found in outcomes]
    order = [row.id for row in outcomes[0].plan.projects]
    order += sorted({pid for plan_rows in rows[1:] for pid in plan_rows} - set(order))
    every = []
    for pid in order:
        placements = []
        for plan_rows in rows:
            row = plan_rows.get(pid)
            if row is None:
                placements.append(Placement(False, False, None))
                continue
            placements.append(Placement(row.state == "running", row.selected, row.delay))
        every.append(ProjectLine(pid, ws.projects[pid].name if pid in ws.projects else pid, tuple(placements)))
    return Comparison(as_of, ws.settings.currency, outcomes, tuple(every), failed)
