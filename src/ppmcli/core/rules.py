"""The registry of finding codes: one ordered place that names every rule `ppm check` applies.

A rule is registered once, with its code, severity, summary and example: the
file-level rules the loader emits are registered here (they have no check
function); the cross-file rules by the `@rule` decorator on their check
function in `ppmcli.analysis.checks`, in the order that package imports them.
The README's rule table is generated from `RULES` (`python -m ppmcli.analysis.checks`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so `max()` gives the worst."""

    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Rule:
    """A finding code.

    Attributes:
        code: kebab-case identifier shown in brackets after each message.
        severity: default severity.
        summary: what the rule flags, one line.
        example: a short input that triggers it, as it would appear in a file.
        check: the check function `(workspace, as_of) -> findings` that applies it,
            or None for a rule the loader applies while reading files.
        needs_settings: the check reads ppm.yaml, so it is skipped while ppm.yaml
            is invalid (the other checks still run on a broken workspace).
        per_project: what the check finds about a project comes from that project alone
            (with ppm.yaml and the date), and each finding is in that project's file: a
            diff runs it on the head side only for the projects the change touches.
        when, where: for the README's tables of a command's checks: when the rule
            fires, in detail, and where its finding points.
    """

    code: str
    severity: Severity
    summary: str
    example: str
    check: Callable[..., Any] | None = None
    needs_settings: bool = False
    per_project: bool = False
    when: str = ""
    where: str = ""


# Every rule, in the documented order: file-level rules first, then the cross-file checks.
RULES: dict[str, Rule] = {}

CheckT = TypeVar("CheckT", bound=Callable[..., Any])


def register(
    code: str,
    severity: Severity,
    summary: str,
    example: str,
    check: Callable[..., Any] | None = None,
    *,
    needs_settings: bool = False,
    per_project: bool = False,
    when: str = "",
    where: str = "",
) -> Rule:
    """Add a rule to `RULES` (after the ones registered before it); a code is registered once."""
    if code in RULES:
        raise ValueError(f"rule '{code}' is registered twice")
    RULES[code] = entry = Rule(code, severity, summary, example, check, needs_settings, per_project, when, where)
    return entry


def rule(
    code: str, severity: Severity, summary: str, example: str, *, needs_settings: bool = False, per_project: bool = False, when: str = "", where: str = ""
) -> Callable[[CheckT], CheckT]:
    """Decorator: the check function applies rule `code`; registers it with its metadata, in import order."""

    def decorate(check: CheckT) -> CheckT:
        register(code, severity, summary, example, check, needs_settings=needs_settings, per_project=per_project, when=when, where=where)
        return check

    return decorate


_E, _W = Severity.ERROR, Severity.WARNING

# The rules the loader applies while reading and validating each file.
register("unreadable-file", _E, "a file that cannot be read as UTF-8 text: binary, too large, a directory, a name that is not UTF-8, a symlink out of the workspace, to a dot-file or into .git (never followed), no permission", "projects/logo.yaml holding a PNG")
register("yaml-syntax", _E, "YAML that does not parse (the message says what to fix: see YAML mistakes below), an alias bomb, a custom tag; for `ppm import csv`, a table that is not CSV (a quote never closed, cells split by ';')", "note: Blocked: waiting")
register("duplicate-key", _E, "the same key twice in one mapping (YAML would silently keep the last)", "budget: 1\nbudget: 2")
register("unknown-field", _E, "a field that format version 1 does not define (typos must not pass)", "budgt: 100000")
register("missing-field", _E, "a required field is absent; points at the mapping that lacks it", "a project without `manager:`")
register("invalid-value", _E, "wrong type (a file that is not a mapping too), out of range, an empty or blank name (nothing a reader sees), bad date, end before start, amount above 10^15, one allocation's fte above its person's capacity (and 1)", "percent_complete: 140")
register("duplicate-id", _E, "two files of one kind with the same id (file name), in different sub-folders, or ids that differ only in case; the later file (by path) is left out of the analyses but still checked", "projects/a/app.yaml and projects/b/app.yaml; App.yaml and app.yaml")
