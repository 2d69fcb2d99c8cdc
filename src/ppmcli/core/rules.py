"""The registry of finding codes: one place that names every rule `ppm check` applies.

The README's rule table is generated from `RULES` (`python -m ppmcli.core.rules`),
and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from ppmcli.core.findings import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """A finding code.

    Attributes:
        code: kebab-case identifier shown in brackets after each message.
        severity: default severity.
        summary: what the rule flags, one line.
        example: a short input that triggers it, as it would appear in a file.
    """

    code: str
    severity: Severity
    summary: str
    example: str


_E, _W = Severity.ERROR, Severity.WARNING

# Order is the documented order: file-level rules first, then cross-file, then portfolio checks.
_RULES = (
    Rule("unreadable-file", _E, "a file that cannot be read as UTF-8 text: binary, too large, a directory, a symlink out of the workspace, no permission", "projects/logo.yaml holding a PNG"),
    Rule("yaml-syntax", _E, "YAML that does not parse, an alias bomb, a custom tag, or a top level that is not a mapping", "name: [unclosed"),
    Rule("duplicate-key", _E, "the same key twice in one mapping (YAML would silently keep the last)", "budget: 1\nbudget: 2"),
    Rule("unknown-field", _E, "a field that format version 1 does not define (typos must not pass)", "budgt: 100000"),
    Rule("missing-field", _E, "a required field is absent; points at the mapping that lacks it", "a project without `manager:`"),
    Rule("invalid-value", _E, "wrong type, out of range, bad date, end before start, amount above 10^15", "percent_complete: 140"),
    Rule("duplicate-id", _E, "two files of one kind with the same id (file name), in different sub-folders", "projects/a/app.yaml and projects/b/app.yaml"),
    Rule("unknown-reference", _E, "a reference to an id that does not exist: portfolio, program, person, goal, dependency, exclusion, risk owner, scoring criterion", "manager: tamikka"),
    Rule("portfolio-mismatch", _E, "a project's `portfolio` differs from its program's", "portfolio: ops with program: mobile-experience (digital)"),
    Rule("dependency-cycle", _E, "projects that depend on each other in a cycle (the cycle is named)", "a depends_on [b], b depends_on [a]"),
    Rule("unscored", _E, "an open project lacks an input of the default scoring model", "scores: {urgency: 3} with a model that needs financial_value"),
    Rule("overallocation", _E, "a person is booked above capacity (plus tolerance) on available days ending on or after --as-of", "alice at 0.6 + 0.6 FTE, capacity 1.0"),
    Rule("stale-status", _W, "a committed project's newest status is older than checks.stale_status_days (or an executing project has none)", "newest status 2026-10-30, as of 2026-11-25"),
    Rule("budget-overrun", _W, "an open project's newest forecast is above budget by more than checks.budget_overrun_tolerance", "budget: 100000, forecast_cost: 125000"),
    Rule("portfolio-over-budget", _W, "open projects' budgets add up to more than the portfolio's budget", "budget: 1000000 with 1.2M of open projects"),
    Rule("late-milestone", _W, "an open project's milestone is not done and its date is before --as-of", "{name: Beta, date: 2026-10-01} with no done"),
    Rule("allocation-outside-project", _W, "a team allocation's dates run outside the project's start and end", "from: 2025-12-01 on a project starting 2026-01-05"),
    Rule("dependency-not-viable", _W, "an open project depends on a cancelled project, or on one not closed that ends after this one starts", "depends_on: [legacy-crm] (cancelled)"),
    Rule("role-without-supply", _W, "a role is demanded but no person holds it", "{role: qa-enginer, fte: 1}"),
    Rule("labor-over-budget", _W, "a committed project's planned labor cost is above its budget", "2 FTE at 1000/day for a year on a 100000 budget"),
    Rule("watermelon", _W, "an open project's newest status is green while its SPI or CPI is under 0.9", "health: green at SPI 0.7"),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def rules_markdown() -> str:
    """The README's rule table."""
    lines = ["| code | severity | what it flags | example |", "| --- | --- | --- | --- |"]
    for rule in _RULES:
        example = rule.example.replace("\n", "` `")
        lines.append(f"| `{rule.code}` | {rule.severity} | {rule.summary} | `{example}` |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
