"""Analysis layer: the staffing checks of `ppm check`: over-allocated people, and allocations outside their project, without supply or above budget."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

from ppmcli.analysis.context import context
from ppmcli.analysis.resources.allocation import labor_costs
from ppmcli.analysis.resources.conflicts import finding_opening, select_conflicts
from ppmcli.analysis.resources.ranges import span
from ppmcli.core.errors import counted
from ppmcli.core.findings import Finding, Location, cut, listed, quote
from ppmcli.core.model import Workspace
from ppmcli.core.names import Hints
from ppmcli.core.numbers import amount
from ppmcli.core.rules import Severity, rule


@rule(
    "overallocation",
    Severity.ERROR,
    "a person is booked above capacity (plus tolerance) on available days ending on or after --as-of",
    "alice at 0.6 + 0.6 FTE, capacity 1.0",
    needs_settings=True,
    when="a conflict among committed projects ends on or after `--as-of`",
    where="one finding per conflict, at the **first** of the allocations on its days (by file path, then line); the message lists the others as `path:line`",
)
def check_overallocation(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A person booked above capacity + tolerance on available days, in a conflict among committed projects ending on or after `as_of`.

    Why: An over-booked person delays every project they are on. One finding per conflict, at the
    first of the allocations involved (by file, then line); the message names the others' lines, so
    the fix can start in either file.

    An allocation whose fte alone is above the person's capacity plus the tolerance, and above 1 (`fte: 50`
    meant as 50 %), is an `invalid-value` error instead, at its fte, and makes no conflict of its own.

    Fix: Lower or move one allocation, or raise `checks.overallocation_tolerance`.
    """
    yield from (finding for _, finding in overallocation_by_person(ws, as_of))


def overallocation_by_person(ws: Workspace, as_of: date) -> Iterator[tuple[str, Finding]]:
    """`check_overallocation`'s findings, each with the person it is about: what it finds about a person comes from that
    person's file, the projects whose team names them, ppm.yaml and the date (a workspace of some people only has theirs)."""
    typos: set[tuple[str, int]] = set()
    for place, project_id, index, fte, person in fte_typos(ws):
        typos.add((project_id, index))
        yield person, Finding.at(
            place,
            "invalid-value",
            f"fte {fte:g} is above {cut(person)}'s capacity of {ws.people[person].capacity:g} in this one allocation; fte is a fraction: 0.5 = half time",
        )
    # Swept without the typos: a typo's conflict is not a second finding, but must not hide the others it touches
    # either (two allocations at 0.6 the week after one at 50 make one run with it, and are over-allocated on their own).
    conflicts = select_conflicts(ws, as_of, excluding=frozenset(typos))
    # The allocations' places, found file by file: a file's positions are found once, while it is at hand.
    place_of = {booking: ws.where("projects", booking[0], "team", booking[1]) for booking in sorted({b for c in conflicts for b in c.bookings})}
    for conflict in conflicts:
        places = sorted(place_of[booking] for booking in conflict.bookings)
        others = listed(f"{cut(place.path)}:{place.line}" for place in places[1:])
        also = f"; also booked at {others}" if others else ""
        yield conflict.person, Finding.at(
            places[0],
            "overallocation",
            f"{finding_opening(conflict)}peak {round(conflict.peak, 4)} FTE against capacity {round(conflict.capacity, 4)} on {listed(cut(p) for p in conflict.projects)}{also}",
        )


def fte_typos(ws: Workspace) -> Iterator[tuple[Location, str, int, float, str]]:
    """Named allocations whose fte alone is above the person's capacity (plus the over-allocation tolerance) and above 1:
    a percentage (`fte: 50`) meant as a fraction.

    Yields (where the fte is, project id, team index, fte, person id). A role demand may be several
    FTE (3 qa-engineers), and an fte up to 1 above a part-timer's capacity is an over-allocation, not a typo.
    Issue 17 asks for this hint on an fte above capacity; no one person works more than full time on one project.
    An fte the tolerance allows is no over-allocation (`ppm conflicts` shows none), so no error either.
    """
    tolerance = ws.settings.checks.overallocation_tolerance if ws.settings is not None else 0.0
    for pid, project in ws.projects.items():
        for index, entry in enumerate(project.team):
            person = ws.people.get(entry.person or "")
            if person is not None and entry.fte > max(person.capacity + tolerance, 1.0):
                yield ws.where("projects", pid, "team", index, "fte"), pid, index, entry.fte, entry.person or ""


@rule(
    "allocation-outside-project",
    Severity.WARNING,
    "a team allocation's dates run outside the project's start and end",
    "from: 2025-12-01 on a project starting 2026-01-05",
    when="a team entry's `from` or `to` lies outside the project's `start`..`end`",
    where="that `from` or `to` value",
    per_project=True,
)
def check_allocation_outside_project(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A team entry's `from`/`to` runs outside the project's start and end.

    Why: Demand outside the project's dates books people for work that is not planned.

    Fix: Move the allocation inside the project, or the project's dates.
    """
    for pid, project in ws.projects.items():
        for index, entry in enumerate(project.team):
            start, end = span(entry)
            who = cut(entry.person) if entry.person is not None else f"role {cut(entry.role or '')}"
            if start < project.start:
                yield Finding.at(
                    ws.where("projects", pid, "team", index, "from"),
                    "allocation-outside-project",
                    f"allocation of {who} starts {start}, before the project starts ({project.start})",
                )
            if end > project.end:
                yield Finding.at(
                    ws.where("projects", pid, "team", index, "to"),
                    "allocation-outside-project",
                    f"allocation of {who} ends {end}, after the project ends ({project.end})",
                )


@rule(
    "role-without-supply",
    Severity.WARNING,
    "a role is demanded but no person holds it",
    "{role: qa-enginer, fte: 1}",
    when="an open project asks for a role that no person holds (with \"did you mean\" to a held role)",
    where="the entry's `role` value",
)
def check_role_without_supply(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """An open project demands a role that no person holds.

    Why: Roles have no registry, so a misspelt role is not an unknown reference; its demand simply
    has no supply.

    Fix: Correct the role (the message names the closest held one), or add a person who holds it.
    """
    held = {person.role for person in ws.people.values()}
    hint = Hints()
    # A person file that did not validate may hold the role: its own finding says what to mend, and this one says so.
    invalid = len(ws.invalid.get("people", ()))
    who = f"no valid person holds role {{}} ({counted(invalid, 'person file')} {'is' if invalid == 1 else 'are'} invalid, so not counted)" if invalid else "no person holds role {}"
    for pid, project in ws.projects.items():
        if not project.phase.is_open:
            continue
        for index, entry in enumerate(project.team):
            if entry.role is not None and entry.role not in held:
                yield Finding.at(
                    ws.where("projects", pid, "team", index, "role"),
                    "role-without-supply",
                    f"{who.format(quote(entry.role))}, so its demand has no supply{hint(entry.role, held)}",
                )


@rule(
    "labor-over-budget",
    Severity.WARNING,
    "a committed project's planned labor cost is above its budget",
    "2 FTE at 1000/day for a year on a 100000 budget",
    needs_settings=True,
    when="a committed project's planned labor cost is above its `budget`",
    where="the project's `budget`",
)
def check_labor_over_budget(ws: Workspace, as_of: date) -> Iterator[Finding]:
    """A committed project's planned labor cost (its named allocations × cost rates) is above its budget.

    Why: The budget cannot pay the team as planned.

    A project with an fte meant as a percentage (`fte: 50`, an error of `overallocation`'s) is left out: its labor
    cost would be that typo's, and the one mistake already has its finding.

    Fix: Raise the budget or trim the team.
    """
    ctx = context(ws)
    typos = {pid for _, pid, _, _, _ in fte_typos(ws)}
    committed = {pid: project for pid, project in ws.projects.items() if project.phase.is_committed and pid not in typos}
    for pid, cost in labor_costs(ws, committed, ctx.calendar).items():
        budget = committed[pid].budget
        # The cost is a sum of products in floating point: 0.1 FTE × 3 a day is 0.30000000000000004, not above 0.3.
        if cost > budget and not math.isclose(cost, budget, rel_tol=1e-12):
            yield Finding.at(
                ws.where("projects", pid, "budget"),
                "labor-over-budget",
                f"planned labor cost {amount(cost)} {ctx.settings.currency} is above the budget of {amount(budget)}",
            )
