"""Analysis layer: which projects a selection must take (mandatory ones, `--force-in`, what they depend on), and the
dependencies not yet met; shared by `prioritize`, `plan` and the check of a scenario's options (light: no solver).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from typing import Protocol

from ppmcli.analysis.cycles import cyclic_components
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import cut, quote
from ppmcli.core.model import INVALID_FILE, Phase, Project, Workspace
from ppmcli.core.names import did_you_mean


# Why a dependency on a project of the same dependency cycle is never met: that project waits on this one.
IN_A_CYCLE = "in a dependency cycle"


def unmet_dependencies(ws: Workspace, world: Mapping[str, Project], rows: Container[str], pids: Iterable[str]) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """Each project's (of `pids`) dependencies that are not yet met, each with None (met once selected) or why it can never be met.

    A closed project is delivered, so a dependency on it is met and left out here. `rows` are the
    projects that may be selected; a dependency outside them is "not defined", "whose file is invalid",
    "cancelled" or "outside --portfolio/--tag". A dependency on the project itself, or on one that depends on it
    through others (a `dependency-cycle` error), is never met: none of the cycle could start first.
    """
    # Only what is still to come: a closed project is delivered, so a dependency on it is met and its own lead nowhere.
    graph = {
        pid: [dep for dep in project.depends_on if dep in ws.projects and project.dependency_state(ws.projects[dep]) != "met"] if project.phase is not Phase.CLOSED else []
        for pid, project in ws.projects.items()
    }
    cycle_of = {pid: members for component in cyclic_components(graph) for members in [frozenset(component)] for pid in component}
    return {pid: _unmet(ws, world, rows, pid, cycle_of.get(pid, frozenset())) for pid in pids}


def _unmet(ws: Workspace, world: Mapping[str, Project], rows: Container[str], pid: str, cycle: frozenset[str]) -> tuple[tuple[str, str | None], ...]:
    needs: list[tuple[str, str | None]] = []
    for dep in dict.fromkeys(world[pid].depends_on):
        target = ws.projects.get(dep)
        state = world[pid].dependency_state(target) if target is not None else None
        if state == "met":
            continue
        if dep in cycle:
            needs.append((dep, IN_A_CYCLE))
        elif dep in rows:
            needs.append((dep, None))
        elif target is None:
            needs.append((dep, INVALID_FILE if ws.is_invalid("projects", dep) else "not defined"))
        elif state == "cancelled":
            needs.append((dep, "cancelled"))
        else:
            needs.append((dep, "outside --portfolio/--tag"))
    return tuple(needs)


class _MaybeMandatory(Protocol):
    @property
    def mandatory(self) -> bool: ...


def forced_projects(ws: Workspace, projects: Mapping[str, Project], rows: Mapping[str, _MaybeMandatory], order: Sequence[str], needs: Mapping[str, tuple[tuple[str, str | None], ...]], force_in: Sequence[str]) -> dict[str, str]:
    """Mandatory open projects, `--force-in`, and every open project they depend on (transitively), each with why.

    `rows` are the projects that may be selected (ranked ones, or a plan's candidates before they are ranked).

    Returns:
        Per forced project, in the order found: "--force-in", "mandatory" or "needed by ID".

    Raises:
        PpmError: a `--force-in` project that is not among `rows`.
    """
    forced: dict[str, str] = {}
    for pid in force_in:
        _check_named(ws, projects, rows, pid, "--force-in")
        forced.setdefault(pid, "--force-in")
    for pid in order:
        if rows[pid].mandatory:
            forced.setdefault(pid, "mandatory")
    queue = list(forced)
    while queue:
        pid = queue.pop(0)
        for dep, never in needs[pid]:
            if never is None and dep not in forced:
                forced[dep] = f"needed by {pid}"
                queue.append(dep)
    return forced


def contradiction(option: str, pid: str, forced_by: str, force_in: str = "--force-in") -> str:
    """The sentence for a project forced out (by `option`) that is forced in: `forced_by` as `forced_projects` says it."""
    return f"{option} {cut(pid)} contradicts its being forced in ({forced_by if forced_by != '--force-in' else 'by ' + force_in})"


def _check_named(ws: Workspace, projects: Mapping[str, Project], rows: Container[str], pid: str, option: str) -> None:
    if pid in rows:
        return
    if pid not in projects and ws.is_invalid("projects", pid):
        raise PpmError(f"{option}: {ws.invalid_file('projects', pid, 'it cannot be selected')}")
    if pid not in projects:
        raise PpmError(f"{option}: no project {quote(pid)} among the projects looked at{did_you_mean(pid, projects)}")
    raise PpmError(f"{option}: project {quote(pid)} is {projects[pid].phase.value}; only open projects can be selected")
