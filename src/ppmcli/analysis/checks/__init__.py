"""The cross-file rules of `ppm check`, one check function per rule, run in the registry's order.

Each check is `check_<code>(workspace, as_of) -> Iterable[Finding]`, decorated
with `@rule(code, severity, summary, example)` (see `ppmcli.core.rules`), and
documented in one form: what it flags, why, how to fix. A new rule is one
decorated function in one of these modules. File-level rules (syntax, fields,
types) are the loader's. Only the CLI (and tests) import this package: no
analysis depends on the checks.

`python -m ppmcli.analysis.checks` prints the README's rule table, and
`python -m ppmcli.analysis.checks delivery` (or `staffing`) the table of that
module's checks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

# Imported for their `@rule` registrations, in the documented order.
from ppmcli.analysis.checks import references, staffing, delivery  # noqa: F401  # isort: skip
from ppmcli.core.findings import Finding
from ppmcli.core.model import Workspace
from ppmcli.core.rules import RULES, Severity

# A check: the findings of one rule in a workspace as of a date.
Check = Callable[[Workspace, date], Iterable[Finding]]


# The checks of per-project rules (see `Rule.per_project`).
_PER_PROJECT = frozenset(entry.check for entry in RULES.values() if entry.per_project)


def checks_for(ws: Workspace) -> list[Check]:
    """The checks to run on a workspace, in rule order; with ppm.yaml invalid, those that need it are left out."""
    return [entry.check for entry in RULES.values() if entry.check is not None and (ws.settings is not None or not entry.needs_settings)]


def run_check(ws: Workspace, as_of: date, check: Check) -> list[Finding]:
    """One check's findings."""
    return list(check(ws, as_of))


# The checks whose every finding is about one person, and how to have them by person: what such a check finds about a
# person comes from that person's file, the projects whose team names them, ppm.yaml and the date, so on a workspace
# of some people only it finds what it finds about them. `ppm check` keeps such findings under a key of exactly those
# files (`load.session.load_for_check`): a check by person that reads anything else needs it in that key too.
_BY_PERSON: dict[Check, Callable[[Workspace, date], Iterable[tuple[str, Finding]]]] = {staffing.check_overallocation: staffing.overallocation_by_person}


@dataclass(frozen=True)
class Spared:
    """What the checks whose findings an earlier check kept run on (`sparing`).

    Attributes:
        projects: the workspace with only the projects whose per-project findings are not kept, for the per-project checks.
        people: the workspace with only the people whose findings are not kept, for the checks by person.
    """

    projects: Workspace
    people: Workspace


def sparing(ws: Workspace, known: Collection[tuple[str, str]]) -> Spared:
    """What the per-project and by-person checks run on when the findings about the `known` projects and people
    (`("projects", id)`, `("people", id)`) are kept."""
    return Spared(
        replace(ws, projects={pid: project for pid, project in ws.projects.items() if ("projects", pid) not in known}) if known else ws,
        replace(ws, people={person: p for person, p in ws.people.items() if ("people", person) not in known}) if known else ws,
    )


# Projects in one share of the per-project checks (`shares`): enough that a share costs far more than its pickling,
# few enough that the two processes finish together, and fewer than the parses `fastmarks` keeps, so each file is
# parsed once to place every rule's findings in it.
_PROJECTS_PER_SHARE = 32
# Shares of the checks by person: each share sweeps only its people, but reads every project's team.
_PEOPLE_SHARES = 2


@dataclass(frozen=True)
class Share:
    """Some checks on a workspace: one part of the checks' work, for one process to claim (`shares`).

    Attributes:
        workspace: what the checks run on: the whole workspace, or some of the spared projects or people.
        checks: the checks.
    """

    workspace: Workspace
    checks: tuple[Check, ...]


def shares(ws: Workspace, spared: Spared, checks: Sequence[Check]) -> list[Share]:
    """The checks' work in parts that cost alike: any other check on the whole workspace, first, as the largest; a check by
    person on each of `_PEOPLE_SHARES` parts of the spared people; the per-project checks together on each run of
    `_PROJECTS_PER_SHARE` spared projects. What a per-project check finds about a project, and a check by person about a
    person, does not depend on which others are with them (`Rule.per_project`, `_BY_PERSON`)."""
    whole = [Share(ws, (check,)) for check in checks if check not in _PER_PROJECT and check not in _BY_PERSON]
    people = list(spared.people.people.items())
    by_person = [
        Share(replace(spared.people, people=dict(people[part::_PEOPLE_SHARES])), (check,))
        for check in checks
        if check in _BY_PERSON
        for part in range(min(_PEOPLE_SHARES, len(people)) or 1)
    ]
    per_project = tuple(check for check in checks if check in _PER_PROJECT)
    projects = list(spared.projects.projects.items())
    runs = [
        Share(replace(spared.projects, projects=dict(projects[start : start + _PROJECTS_PER_SHARE])), per_project)
        for start in range(0, len(projects), _PROJECTS_PER_SHARE)
    ]
    return whole + by_person + (runs if per_project else [])


def run_share(as_of: date, share: Share) -> list[list[Any]]:
    """Each of a share's checks' findings: a check by person's each with its person (`_BY_PERSON`)."""
    return [list(_BY_PERSON[check](share.workspace, as_of)) if check in _BY_PERSON else run_check(share.workspace, as_of, check) for check in share.checks]


def gathered(checks: Sequence[Check], work: Sequence[Share], results: Sequence[list[list[Any]]]) -> list[list[Any]]:
    """Each check's findings (as `run_share` gives them), from the results of the shares of its work."""
    found: dict[Check, list[Any]] = {check: [] for check in checks}
    for share, result in zip(work, results):
        for check, part in zip(share.checks, result):
            found[check].extend(part)
    return [found[check] for check in checks]


@dataclass(frozen=True)
class Found:
    """What the checks found (`gathered`), and what is to be kept.

    Attributes:
        parts: each check's findings.
        kept: what the per-project checks found in each spared project's file (`("projects", id)`; none if one of them
            found something elsewhere, against `Rule.per_project`, which keeping by file would lose) and the checks by
            person about each spared person (`("people", id)`).
    """

    parts: list[list[Finding]]
    kept: dict[tuple[str, str], list[Finding]]


def found_sparing(spared: Spared, checks: Sequence[Check], results: Sequence[list[Any]]) -> Found:
    """The checks' findings (`results`, from `gathered`) as each check's, and by spared project and person."""
    projects: dict[str, list[Finding]] | None = {pid: [] for pid in spared.projects.projects} if any(check in _PER_PROJECT for check in checks) else None
    people: dict[str, list[Finding]] = {person: [] for person in spared.people.people} if any(check in _BY_PERSON for check in checks) else {}
    project_of = {spared.projects.file_of("projects", pid): pid for pid in spared.projects.projects}
    parts: list[list[Finding]] = []
    for check, result in zip(checks, results):
        if check in _BY_PERSON:
            for person, finding in result:
                people[person].append(finding)
            result = [finding for _, finding in result]
        elif check in _PER_PROJECT and projects is not None:
            for finding in result:
                if finding.path not in project_of:
                    projects = None
                    break
                projects[project_of[finding.path]].append(finding)
        parts.append(result)
    kept = {("projects", pid): found for pid, found in (projects or {}).items()}
    kept.update((("people", person), found) for person, found in people.items())
    return Found(parts, kept)


@dataclass(frozen=True)
class Changed:
    """What a diff's change touched, for the per-project rules (`Rule.per_project`) and the checks by person (`_BY_PERSON`).

    Attributes:
        head: the head side with only the projects the change touched (each a model that is not the base's own).
        kept: the files of the head's other projects, where such a rule finds what it found on the base side.
        people: the head side with only the people the change reaches (their file, or a touched or removed project that
            names them on either side); about the others a check by person finds what it found on the base side.
    """

    head: Workspace
    kept: frozenset[str]
    people: Workspace


def changed_part(base: Workspace, head: Workspace) -> Changed | None:
    """What the change touched; None when ppm.yaml is not the same object on both sides, so every project may read
    differently. A file both sides load alike is one model, shared through the file cache."""
    if base.settings is None or base.settings is not head.settings:
        return None
    touched = {pid: project for pid, project in head.projects.items() if base.projects.get(pid) is not project}
    changed_projects = [side.projects[pid] for pid in touched.keys() | (base.projects.keys() - head.projects.keys()) for side in (base, head) if pid in side.projects]
    named = {person for project in changed_projects for person in project.named_people}
    reached = {person: p for person, p in head.people.items() if base.people.get(person) is not p or person in named}
    return Changed(
        replace(head, projects=touched),
        frozenset(head.file_of("projects", pid) for pid in head.projects if pid not in touched),
        replace(head, people=reached),
    )


def run_check_on_sides(as_of: date, sides: Sequence[Workspace], wanted: Sequence[Sequence[Check]], changed: Changed | None, check: Check) -> list[list[Finding]]:
    """One check's findings on the base and the head side of a diff, where it runs (a side whose ppm.yaml is invalid skips the checks that need it).

    A per-project check runs on the head side only on the projects the change touched (`changed_part`): in the
    others' files it finds what it found on the base side. A check by person runs there only on the people the change
    reaches: about the others it finds what it found on the base side.
    """
    (base, head), (base_checks, head_checks) = sides, wanted
    if changed is not None and check in _BY_PERSON and check in base_checks and check in head_checks:
        about = list(_BY_PERSON[check](base, as_of))
        unreached = [finding for person, finding in about if person not in changed.people.people]
        return [[finding for _, finding in about], unreached + [finding for _, finding in _BY_PERSON[check](changed.people, as_of)]]
    base_found = run_check(base, as_of, check) if check in base_checks else []
    if check not in head_checks:
        return [base_found, []]
    if changed is None or check not in _PER_PROJECT or check not in base_checks:
        return [base_found, run_check(head, as_of, check)]
    return [base_found, [finding for finding in base_found if finding.path in changed.kept] + run_check(changed.head, as_of, check)]


def run_checks(ws: Workspace, as_of: date) -> list[Finding]:
    """Every check's findings, in rule order (callers sort for output)."""
    return [finding for check in checks_for(ws) for finding in check(ws, as_of)]


def checks_markdown(module: str) -> str:
    """The README's table of one check module's rules (`delivery`, `staffing`): when each fires and where it points."""
    lines = ["| code | when | where |", "| --- | --- | --- |"]
    for entry in RULES.values():
        if entry.check is not None and entry.check.__module__ == f"{__name__}.{module}":
            flag = " (error)" if entry.severity is Severity.ERROR else ""
            lines.append(f"| `{entry.code}`{flag} | {entry.when} | {entry.where} |")
    return "\n".join(lines) + "\n"


def rules_markdown() -> str:
    """The README's rule table: every registered rule, in order."""
    lines = ["| code | severity | what it flags | example |", "| --- | --- | --- | --- |"]
    for entry in RULES.values():
        example = entry.example.replace("\n", "` `")
        lines.append(f"| `{entry.code}` | {entry.severity} | {entry.summary} | `{example}` |")
    return "\n".join(lines) + "\n"
