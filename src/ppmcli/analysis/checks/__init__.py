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


def sparing(ws: Workspace, known: Collection[str]) -> Workspace:
    """The workspace without the projects whose per-project findings are `known` (kept from an earlier check): what the per-project checks run on."""
    return replace(ws, projects={pid: project for pid, project in ws.projects.items() if pid not in known}) if known else ws


def run_check_sparing(ws: Workspace, rest: Workspace, as_of: date, check: Check) -> list[Finding]:
    """One check's findings: a per-project check's on `rest` (`sparing`), any other's on the whole workspace."""
    return run_check(rest if check in _PER_PROJECT else ws, as_of, check)


def per_project_findings(rest: Workspace, checks: Sequence[Check], parts: Sequence[list[Finding]]) -> dict[str, list[Finding]]:
    """What the per-project checks among `checks` (their findings: `parts`) found in each project's file of `rest`, by project id;
    nothing if one of them found something elsewhere (against `Rule.per_project`), which keeping by file would lose."""
    found: dict[str, list[Finding]] = {pid: [] for pid in rest.projects}
    project_of = {rest.file_of("projects", pid): pid for pid in rest.projects}
    for check, part in zip(checks, parts):
        if check in _PER_PROJECT:
            for finding in part:
                if finding.path not in project_of:
                    return {}
                found[project_of[finding.path]].append(finding)
    return found


@dataclass(frozen=True)
class Changed:
    """What a diff's change touched, for the per-project rules (`Rule.per_project`).

    Attributes:
        head: the head side with only the projects the change touched (each a model that is not the base's own).
        kept: the files of the head's other projects, where such a rule finds what it found on the base side.
    """

    head: Workspace
    kept: frozenset[str]


def changed_part(base: Workspace, head: Workspace) -> Changed | None:
    """What the change touched; None when ppm.yaml is not the same object on both sides, so every project may read
    differently. A file both sides load alike is one model, shared through the file cache."""
    if base.settings is None or base.settings is not head.settings:
        return None
    touched = {pid: project for pid, project in head.projects.items() if base.projects.get(pid) is not project}
    return Changed(replace(head, projects=touched), frozenset(head.file_of("projects", pid) for pid in head.projects if pid not in touched))


def run_check_on_sides(as_of: date, sides: Sequence[Workspace], wanted: Sequence[Sequence[Check]], changed: Changed | None, check: Check) -> list[list[Finding]]:
    """One check's findings on the base and the head side of a diff, where it runs (a side whose ppm.yaml is invalid skips the checks that need it).

    A per-project check runs on the head side only on the projects the change touched (`changed_part`): in the
    others' files it finds what it found on the base side.
    """
    (base, head), (base_checks, head_checks) = sides, wanted
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
