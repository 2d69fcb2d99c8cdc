"""Analysis layer: the reference checks of `ppm check`: ids that name nothing, mismatched portfolios, dependency cycles, missing scores."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import date
from typing import Any

from ppmcli.analysis.context import context
from ppmcli.analysis.cycles import find_cycles
from ppmcli.analysis.selection.options import hire_changes_nothing
from ppmcli.core.findings import MAX_LISTED, Finding, Location, cut, listed, quote
from ppmcli.core.model import Workspace
from ppmcli.core.names import Hints, did_you_mean
from ppmcli.core.rules import Severity, rule

def _reference(ws: Workspace, known: Mapping[str, Collection[str]], hints: Hints, kind: str, target: str, where: tuple[Any, ...], label: str) -> Finding | None:
    """A finding when `target` names no entity of `kind` (`known`: the ids of each kind, invalid files' included)."""
    if target in known[kind]:
        return None
    source_kind, source_id, *path = where
    return Finding.at(ws.where(source_kind, source_id, *path), "unknown-reference", f"{label} {quote(target)} is not defined{hints(target, known[kind])}")


@rule(
    "unknown-reference",
    Severity.ERROR,
    "a reference to an id that does not exist: portfolio, program, person, goal, dependency, exclusion, risk owner, scoring criterion, a scenario's project or model",
    "manager: tamikka",
)
def check_unknown_reference(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """Every id a file names must exist: portfolio, program, person, goal, dependency, exclusion, risk owner, score input, a scenario's projects and model.

    Why: A dangling reference silently drops a project from its portfolio, a person from capacity,
    a score from the ranking.

    Fix: Correct the id (the message names the closest one), or add the missing file.
    """
    settings = ws.settings
    refs: list[Finding | None] = []
    known = {kind: set(getattr(ws, kind)) | ws.invalid.get(kind, frozenset()) for kind in ("people", "portfolios", "programs", "projects")}
    hints = Hints()
    for pid, portfolio in ws.portfolios.items():
        refs.append(_reference(ws, known, hints, "people", portfolio.owner, ("portfolios", pid, "owner"), "person"))
    for gid, program in ws.programs.items():
        refs.append(_reference(ws, known, hints, "portfolios", program.portfolio, ("programs", gid, "portfolio"), "portfolio"))
        if program.manager is not None:
            refs.append(_reference(ws, known, hints, "people", program.manager, ("programs", gid, "manager"), "person"))
    from ppmcli.analysis.selection.scoring import settings_inputs

    inputs = settings_inputs(ws.settings) if ws.settings is not None else set()
    for pid, project in ws.projects.items():
        if project.portfolio is not None and _written(ws, pid, "portfolio"):
            refs.append(_reference(ws, known, hints, "portfolios", project.portfolio, ("projects", pid, "portfolio"), "portfolio"))
        if project.program is not None:
            refs.append(_reference(ws, known, hints, "programs", project.program, ("projects", pid, "program"), "program"))
        refs.append(_reference(ws, known, hints, "people", project.manager, ("projects", pid, "manager"), "person"))
        for index, dep in enumerate(project.depends_on):
            if dep != pid:
                refs.append(_reference(ws, known, hints, "projects", dep, ("projects", pid, "depends_on", index), "project"))
        for index, other in enumerate(project.excludes):
            if other != pid:
                refs.append(_reference(ws, known, hints, "projects", other, ("projects", pid, "excludes", index), "project"))
        for index, entry in enumerate(project.team):
            if entry.person is not None:
                refs.append(_reference(ws, known, hints, "people", entry.person, ("projects", pid, "team", index, "person"), "person"))
        for index, risk in enumerate(project.risks):
            if risk.owner is not None:
                refs.append(_reference(ws, known, hints, "people", risk.owner, ("projects", pid, "risks", index, "owner"), "person"))
        if settings is not None:
            for index, goal in enumerate(project.goals):
                if goal not in settings.goals:
                    refs.append(Finding.at(_goal_place(ws, pid, goal, index), "unknown-reference", f"goal {quote(goal)} is not defined in ppm.yaml{hints(goal, settings.goals)}"))
            for name in project.scores:
                if name not in inputs:
                    refs.append(Finding.at(ws.where("projects", pid, "scores", name, key=True), "unknown-reference", f"score {quote(name)} is not an input of any scoring model{hints(name, inputs)}"))
    for sid, scenario in ws.scenarios.items():
        for option in ("stop", "force_in", "force_out"):
            for index, target in enumerate(getattr(scenario.plan, option)):
                refs.append(_reference(ws, known, hints, "projects", target, ("scenarios", sid, "plan", option, index), "project"))
        model = scenario.plan.model
        if settings is not None and model is not None and model not in settings.scoring.models:
            refs.append(Finding.at(ws.where("scenarios", sid, "plan", "model"), "unknown-reference", f"scoring model {quote(model)} is not defined in ppm.yaml{hints(model, settings.scoring.models)}"))
    if settings is not None and settings.scoring.default not in settings.scoring.models:
        refs.append(Finding.at(ws.where("settings", "", "scoring", "default"), "unknown-reference", f"default scoring model {quote(settings.scoring.default)} is not defined{did_you_mean(settings.scoring.default, settings.scoring.models)}"))
    return (finding for finding in refs if finding is not None)


def _written(ws: Workspace, project_id: str, field: str) -> bool:
    """Whether a project's file writes `field` itself (the loader fills `portfolio` from the program)."""
    positions = ws.positions.get(("projects", project_id))
    return positions is not None and positions.has_key((field,))


def _goal_place(ws: Workspace, pid: str, goal: str, index: int) -> Location:
    """Where a project's file names `goal`: its key in the mapping form (`{growth: 0.5}`), its item in the list form
    (`[growth, cost]`, read as the same goals in order)."""
    positions = ws.positions.get(("projects", pid))
    if positions is None or positions.has_key(("goals", goal)):
        return ws.where("projects", pid, "goals", goal, key=True)
    return ws.where("projects", pid, "goals", index)


@rule(
    "portfolio-mismatch",
    Severity.ERROR,
    "a project's `portfolio` differs from its program's",
    "portfolio: ops with program: mobile-experience (digital)",
)
def check_portfolio_mismatch(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A project that names both a program and a portfolio must name the program's portfolio.

    Why: The project would count in one portfolio's report and the program in another's.

    Fix: Drop the project's `portfolio` (it is taken from the program), or correct it.
    """
    for pid, project in ws.projects.items():
        program = ws.programs.get(project.program or "")
        if program is not None and _written(ws, pid, "portfolio") and project.portfolio != program.portfolio:
            yield Finding.at(
                ws.where("projects", pid, "portfolio"),
                "portfolio-mismatch",
                f"portfolio {quote(project.portfolio)} differs from program {quote(project.program)}'s portfolio {quote(program.portfolio)}",
            )


@rule(
    "dependency-cycle",
    Severity.ERROR,
    "projects that depend on each other in a cycle (the cycle is named)",
    "a depends_on [b], b depends_on [a]",
)
def check_dependency_cycle(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """Dependencies must form no cycle; each cycle is reported once, at the dependency of its first project (by id).

    Why: No project of a cycle can ever start, and selection could not order them.

    Fix: Remove one dependency of the cycle the message names.
    """
    graph = {pid: [d for d in p.depends_on if d in ws.projects] for pid, p in ws.projects.items()}
    reported: set[frozenset[str]] = set()
    for cycle in find_cycles(graph):
        members = frozenset(cycle)
        if members in reported:
            continue
        reported.add(members)
        start = cycle[0]
        index = ws.projects[start].depends_on.index(cycle[1] if len(cycle) > 1 else start)
        # A long cycle is named by its first few projects and its length.
        shown = [cut(pid) for pid in cycle[:MAX_LISTED]] + (["…"] if len(cycle) > MAX_LISTED else [])
        path = " → ".join([*shown, cut(start)]) + (f" ({len(cycle):,} projects)" if len(cycle) > MAX_LISTED else "")
        yield Finding.at(ws.where("projects", start, "depends_on", index), "dependency-cycle", f"dependency cycle: {path}")




@rule(
    "unscored",
    Severity.ERROR,
    "an open project lacks an input of the default scoring model",
    "scores: {urgency: 3} with a model that needs financial_value",
    needs_settings=True,
    per_project=True,
)
def check_unscored(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """Every open project has every input of the default scoring model; every project's inputs of every model are within their range (else `invalid-value`).

    Why: A project without its scores cannot be ranked, so prioritization would leave it out
    unseen.

    Fix: Add the missing `scores:` entries, or correct the value out of range.
    """
    from ppmcli.analysis.selection.scoring import input_problems

    settings = context(ws).settings
    default = settings.scoring.models.get(settings.scoring.default)
    for pid, project in ws.projects.items():
        # A closed project is ranked no more: it needs no scores, but those it has are still checked (a value outside its scale is an error).
        if default is not None and project.phase.is_open:
            missing = input_problems(project, default).missing
            if missing:
                yield Finding.at(
                    ws.where("projects", pid, "scores"),
                    "unscored",
                    f"missing {listed(quote(name) for name in missing)} for scoring model {quote(settings.scoring.default)}",
                )
        invalid = {name: message for model in settings.scoring.models.values() for name, message in input_problems(project, model).invalid}
        for name, message in sorted(invalid.items()):
            yield Finding.at(ws.where("projects", pid, "scores", name), "invalid-value", message)


@rule(
    "hire-unused-role",
    Severity.WARNING,
    "a scenario hires a role that no person holds and no open project books",
    "hire: [{role: backend-engineeer, count: 2}]",
)
def check_hire_unused_role(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A scenario hires a role that no person holds and no open project books in its team.

    Why: Hiring a new role is fine, but when nothing needs it the hire changes no plan;
    most often the role's name is misspelt.

    Fix: Correct the role (the message names the closest one), or book the role in the projects that need it.
    """
    roles = {person.role for person in ws.people.values()}
    roles |= {entry.role for project in ws.projects.values() if project.phase.is_open for entry in project.team if entry.role is not None}
    hints = Hints()
    for sid, scenario in ws.scenarios.items():
        for index, hire in enumerate(scenario.plan.hire):
            if hire.role not in roles:
                yield Finding.at(
                    ws.where("scenarios", sid, "plan", "hire", index, "role"),
                    "hire-unused-role",
                    hire_changes_nothing(hire.role) + hints(hire.role, roles),
                )


@rule(
    "scenario-option",
    Severity.ERROR,
    "a scenario stops a project that is not running, forces in or out one that is not a candidate, forces out one it must start, or hires after its horizon",
    "stop: [supplier-portal] while it is in initiation",
)
def check_scenario_option(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A scenario option that `ppm plan` refuses on this workspace: `stop` of a project not in execution or monitoring,
    `force_in` or `force_out` of one not proposed, in initiation or in planning, `force_out` of a candidate the plan
    must start (mandatory, in `force_in`, or one of these depends on it), a hire from a month after the plan's
    months from `--as-of`.

    Why: `ppm plan --scenario ID` stops on it, and `ppm scenarios` leaves the scenario out.

    Fix: Name a project in the phase the option takes (a project moves on: stop it no longer), leave out of
    `force_out` what the plan must start, or move the hire into the horizon (or lengthen `months`).
    """
    if not ws.scenarios:
        return  # the plan's options are not needed: `ppm check` starts faster without them
    from ppmcli.analysis.selection.options import forced_out_contradictions, hire_fits, horizon, plan_options, unnameable

    for sid, scenario in ws.scenarios.items():
        for option in ("stop", "force_in", "force_out"):
            for index, pid in enumerate(getattr(scenario.plan, option)):
                project = ws.projects.get(pid)
                why = unnameable("--" + option.replace("_", "-"), project) if project is not None else None
                if why is not None:
                    yield Finding.at(ws.where("scenarios", sid, "plan", option, index), "scenario-option", f"{option} {quote(pid)}: {why}")
        for index, sentence in forced_out_contradictions(ws, ws.projects, scenario.plan.force_in, scenario.plan.force_out, ("force_in", "force_out")):
            yield Finding.at(ws.where("scenarios", sid, "plan", "force_out", index), "scenario-option", sentence)
        options = plan_options(scenario, {})  # as `ppm plan --scenario` reads it
        months = [period.key for period in horizon(as_of, options.months)]
        for index, hire in enumerate(options.hires):
            if not hire_fits(hire.month, months):
                yield Finding.at(
                    ws.where("scenarios", sid, "plan", "hire", index, "from"),
                    "scenario-option",
                    f"a hire from {hire.month} is after the plan's horizon as of {as_of}, {months[0]} to {months[-1]}, so it would add no one",
                )
