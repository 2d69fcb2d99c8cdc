"""Analysis layer: the options of `ppm plan` (and of a scenario), and whether they fit a workspace, without planning.

Light on purpose: `ppm check` reads scenarios with these (the `scenario-option`
rule), and `ppm scenarios` settles every scenario's options before it plans
any, so neither imports the planner to say that an option names the wrong
project.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Any

from ppmcli.analysis.resources.workdays import Period, add_months, months_between
from ppmcli.analysis.selection.forced import contradiction, forced_projects, unmet_dependencies
from ppmcli.analysis.selection.scoring import resolve_model
from ppmcli.core.numbers import exact
from ppmcli.core.bounds import outside_years
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import cut, quote
from ppmcli.core.model import Phase, Project, Scenario, Workspace

# How prioritize selects and plan places.
METHODS = ("greedy", "optimal")

RUNNING = (Phase.EXECUTION, Phase.MONITORING)
CANDIDATE = (Phase.PROPOSED, Phase.INITIATION, Phase.PLANNING)
# Bounds on the options, so a typo cannot ask for a century of months or a program of millions of variables.
MAX_MONTHS = 120
MAX_DELAY = 24
MAX_HIRES = 10_000


@dataclass(frozen=True, slots=True)
class Hire:
    """`--hire ROLE=N[@YYYY-MM]`: N more people of a role from a month (None: the horizon's first)."""

    role: str
    count: float
    month: str | None = None

    def __str__(self) -> str:
        return f"{self.role}={self.count:g}" + (f"@{self.month}" if self.month else "")


_HIRE = re.compile(r"^([^=@\s]+)=(-?[0-9]+(?:\.[0-9]+)?)(?:@([0-9]{4})-([0-9]{2}))?$")


def hire_changes_nothing(role: str) -> str:
    """What a hire of `role` that no person holds and no open project books is, for a scenario's finding and for
    `--hire`'s warning alike (the caller adds the closest role)."""
    return f"role {quote(role)} is held by nobody and booked by no open project, so the hire changes no plan"


def parse_hire(text: str) -> Hire:
    """`ROLE=N` or `ROLE=N@YYYY-MM`.

    Raises:
        PpmError: the text is not of that form, N is 0 or above `MAX_HIRES`, or the month does not exist.
    """
    match = _HIRE.match(text.strip())
    if match is None:
        raise PpmError(f"--hire {quote(text)} is not ROLE=N or ROLE=N@YYYY-MM (e.g. backend-engineer=2@2027-03)")
    role, count, year, month = match.groups()
    number = float(count)
    if not 0 < number <= MAX_HIRES:
        raise PpmError(f"--hire {quote(text)}: the number of people must be above 0 and at most {MAX_HIRES:,}")
    if month is not None and not 1 <= int(month) <= 12:
        raise PpmError(f"--hire {quote(text)}: {year}-{month} is not a month")
    if year is not None and (why := outside_years(int(year))) is not None:
        raise PpmError(f"--hire {quote(text)}: {year}-{month} {why}")
    return Hire(role, number, None if year is None else f"{year}-{month}")


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """The options of `ppm plan`.

    Attributes:
        budget: funding for the kept running projects and the selected candidates, or None.
        months: the horizon, in calendar months from the one holding `--as-of`.
        max_delay: the most whole months a candidate may start late.
        hires, stop, force_in, force_out, model, method, time_limit: as on the command line.
    """

    budget: Fraction | None = None
    months: int = 12
    max_delay: int = 0
    hires: tuple[Hire, ...] = ()
    stop: tuple[str, ...] = ()
    force_in: tuple[str, ...] = ()
    force_out: tuple[str, ...] = ()
    model: str | None = None
    method: str = "optimal"
    time_limit: float | None = None


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


# The command line's flag of each option a sentence may name: its key in a scenario file, and its `PlanOptions` field.
_NAMED_OPTIONS = {"--stop": ("stop", "stop"), "--force-in": ("force_in", "force_in"), "--force-out": ("force_out", "force_out"), "--hire": ("hire", "hires"), "--model": ("model", "model")}


def option_labels(scenario: Scenario | None, given: Mapping[str, Any]) -> dict[str, str]:
    """How a sentence about an option names it: by its flag, or by its key in the scenario file where the scenario set it
    and the command line did not (a user who typed no `--stop` is told about the file's `stop`)."""
    labels = {flag: flag for flag in _NAMED_OPTIONS}
    if scenario is not None:
        for flag, (key, name) in _NAMED_OPTIONS.items():
            if getattr(scenario.plan, key) not in (None, ()) and given.get(name) in (None, ()):
                labels[flag] = key
    return labels


def horizon(as_of: date, months: int) -> list[Period]:
    """The horizon's months, the first cut to start on `as_of` (so both supply and demand count only days still to come)."""
    last = add_months(as_of, months)
    found = months_between(as_of, date.fromordinal(last.toordinal() - 1))
    return [replace(found[0], start=as_of), *found[1:]]


# What --stop, --force-in and --force-out may name: the phases, and what a sentence calls them.
_NAMEABLE = {
    "--stop": (RUNNING, "running (execution or monitoring)"),
    "--force-in": (CANDIDATE, "a candidate (proposed, initiation or planning)"),
    "--force-out": (CANDIDATE, "a candidate (proposed, initiation or planning)"),
}


# What an invalid project named by each option cannot be, in `Workspace.invalid_file`'s sentence.
_CANNOT = {"--stop": "it cannot be stopped", "--force-in": "it cannot be started", "--force-out": "it cannot be forced out"}


def hire_fits(month: str | None, keys: Sequence[str]) -> bool:
    """Whether a hire from `month` (None: the first) adds to a horizon of months `keys`: one from a month before it
    (hired already, or a scenario written months ago) adds to every month of it; one after it would add nothing."""
    return month is None or month <= keys[-1]


def unnameable(option: str, project: Project) -> str | None:
    """Why `option` (--stop, --force-in, --force-out) cannot name `project`, by its phase; None when it can."""
    phases, what = _NAMEABLE[option]
    return None if project.phase in phases else f"the project is {project.phase.state}, not {what}"


def _named(ws: Workspace, world: Mapping[str, Project], pid: str, option: str, allowed: Sequence[str], label: str) -> None:
    """One sentence when `pid` is not one of `allowed` (running projects for --stop, candidates for --force-in/out)."""
    from ppmcli.core.names import did_you_mean as hint

    if pid in allowed:
        return
    if pid in world:
        raise PpmError(f"{label} {cut(pid)}: {unnameable(option, world[pid])}")  # the id is right: no other to suggest
    if pid in ws.projects:
        raise PpmError(f"{label} {cut(pid)}: the project is outside --portfolio/--tag")
    if ws.is_invalid("projects", pid):
        raise PpmError(f"{label}: {ws.invalid_file('projects', pid, _CANNOT[option])}")
    raise PpmError(f"{label}: no project {quote(pid)}{hint(pid, allowed)}")


def forced_out_contradictions(ws: Workspace, world: Mapping[str, Project], force_in: Sequence[str], force_out: Sequence[str], labels: tuple[str, str] = ("--force-in", "--force-out")) -> list[tuple[int, str]]:
    """Each project of `force_out` (by its index there) that a plan of `world` must start (a mandatory candidate, one of
    `force_in`, or a candidate they depend on), with the sentence; `labels` name force_in and force_out in it."""
    if not force_out:
        return []
    candidates = {pid: project for pid, project in sorted(world.items()) if project.phase in CANDIDATE}
    needs = unmet_dependencies(ws, world, candidates, candidates)
    forced = forced_projects(ws, world, candidates, list(candidates), needs, [pid for pid in force_in if pid in candidates])
    return [(index, contradiction(labels[1], pid, forced[pid], labels[0])) for index, pid in enumerate(force_out) if pid in forced]


def check_time_limit(seconds: float) -> None:
    """One sentence for a `--time-limit` that bounds nothing: not above 0, or not finite (every solve has a deadline)."""
    if not 0 < seconds < float("inf"):
        given = "not infinity (so does a number too large to read, 1e400)" if seconds == float("inf") else f"not {seconds:g}"
        raise PpmError(f"--time-limit must be a finite number of seconds above 0, {given}")


def check_options(options: PlanOptions) -> None:
    """One sentence for an option out of its bounds, before the workspace is read."""
    if options.method not in METHODS:
        from ppmcli.core.names import did_you_mean

        raise PpmError(f"--method {quote(options.method)} is not one of {', '.join(METHODS)}{did_you_mean(options.method, METHODS)}")
    if not 1 <= options.months <= MAX_MONTHS:
        raise PpmError(f"--months must be from 1 to {MAX_MONTHS} (ten years), not {cut(str(options.months))}")
    if not 0 <= options.max_delay <= MAX_DELAY:
        raise PpmError(f"--max-delay must be from 0 to {MAX_DELAY} months, not {cut(str(options.max_delay))}")
    if options.time_limit is not None:
        check_time_limit(options.time_limit)
    if options.time_limit is not None and options.method != "optimal":
        raise PpmError("--time-limit bounds the exact solver; it does nothing with --method greedy")


def check_fit(ws: Workspace, world: Mapping[str, Project], as_of: date, options: PlanOptions, labels: Mapping[str, str] | None = None) -> None:
    """One sentence for an option that does not fit this workspace: a project named that is not running (--stop) or
    not a candidate (--force-in/--force-out), one forced out that is forced in, an unknown model, a hire outside the
    horizon. Cheap: nothing is planned.

    Args:
        world: the projects `--portfolio`/`--tag` keep, by id.
        labels: how to name each option (`option_labels`); default its flag.
    """
    label = labels or option_labels(None, {})
    running = sorted(pid for pid, project in world.items() if project.phase in RUNNING)
    candidates = sorted(pid for pid, project in world.items() if project.phase in CANDIDATE)
    for pid in options.stop:
        _named(ws, world, pid, "--stop", running, label["--stop"])
    for option, named in (("--force-in", options.force_in), ("--force-out", options.force_out)):
        for pid in named:
            _named(ws, world, pid, option, candidates, label[option])
    contradicted = forced_out_contradictions(ws, world, options.force_in, options.force_out, (label["--force-in"], label["--force-out"]))
    if contradicted:
        raise PpmError(contradicted[0][1])
    assert ws.settings is not None
    resolve_model(ws.settings, options.model, label["--model"])
    keys = [period.key for period in horizon(as_of, options.months)]
    for hire in options.hires:
        if not hire_fits(hire.month, keys):
            raise PpmError(f"{label['--hire']} {cut(str(hire))}: {hire.month} is after the plan's horizon, {keys[0]} to {keys[-1]}, so it would add no one")
