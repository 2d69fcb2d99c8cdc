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

from collections.abc import Callable, Iterable
from datetime import date

# Imported for their `@rule` registrations, in the documented order.
from ppmcli.analysis.checks import references, staffing, delivery  # noqa: F401  # isort: skip
from ppmcli.core.findings import Finding
from ppmcli.core.model import Workspace
from ppmcli.core.rules import RULES, Severity

# A check: the findings of one rule in a workspace as of a date.
Check = Callable[[Workspace, date], Iterable[Finding]]


def checks_for(ws: Workspace) -> list[Check]:
    """The checks to run on a workspace, in rule order; with ppm.yaml invalid, those that need it are left out."""
    return [entry.check for entry in RULES.values() if entry.check is not None and (ws.settings is not None or not entry.needs_settings)]


def run_check(ws: Workspace, as_of: date, check: Check) -> list[Finding]:
    """One check's findings."""
    return list(check(ws, as_of))


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
