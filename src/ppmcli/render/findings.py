"""Findings → text lines, JSON, or GitHub workflow annotations. Pure functions of the findings."""

from __future__ import annotations

from collections.abc import Sequence

from ppmcli.core.errors import counted
from ppmcli.core.findings import Finding, Severity
from ppmcli.core.kinds import SETTINGS_FILE
from ppmcli.core.rules import RULES
from ppmcli.render import escape
from ppmcli.render.json import dumps
from ppmcli.render.output import Output

FORMATS = ("text", "plain", "json", "github")


def render(findings: Sequence[Finding], out: Output, *, prefix: str = "") -> str:
    """`ppm check`: json, github (annotations on files under `prefix`), or text lines (text and plain, every finding)."""
    if out.format == "json":
        return as_json(findings)
    if out.format == "github":
        return as_github(findings, prefix=prefix)
    return as_text(findings, color=out.color)


def as_text(findings: Sequence[Finding], *, color: bool = False) -> str:
    """`PATH:LINE:COL: SEVERITY: MESSAGE [CODE]`, one per line; path and message escaped for a terminal or CI log."""
    severities = {severity: str(severity) for severity in Severity}
    if color:
        severities = {severity: f"\x1b[{'31' if severity is Severity.ERROR else '33'}m{name}\x1b[0m" for severity, name in severities.items()}
    # Joined by spaces (which start no "::" and no "##["), the paths and messages change under escaping only
    # if one of them does: when none does, they are written as they are, without a call per string.
    joined = " ".join([text for f in findings for text in (f.path, f.message)])
    if escape.terminal(joined) == joined:
        return "".join([f"{f.path}:{f.line}:{f.column}: {severities[f.severity]}: {f.message} [{f.code}]\n" for f in findings])
    return "".join([f"{escape.terminal(f.path)}:{f.line}:{f.column}: {severities[f.severity]}: {escape.terminal(f.message)} [{f.code}]\n" for f in findings])


def record(f: Finding) -> dict[str, object]:
    """A finding as a JSON object: path, line, column, severity, code, message."""
    return {"path": f.path, "line": f.line, "column": f.column, "severity": str(f.severity), "code": f.code, "message": f.message}


def as_json(findings: Sequence[Finding]) -> str:
    return dumps([record(f) for f in findings])


def as_github(findings: Sequence[Finding], prefix: str = "") -> str:
    """GitHub workflow commands: `::error file=…,line=…,col=…,title=CODE::MESSAGE`.

    Args:
        prefix: the workspace's folder inside the repository, so annotations land on the right file
            (`portfolio` or `portfolio/`; empty or `.` for the root).
    """
    folder = prefix.strip().removeprefix("./").strip("/")
    prefix = "" if folder in ("", ".") else folder + "/"
    lines = []
    for f in findings:
        level = "error" if f.severity is Severity.ERROR else "warning"
        props = f"file={escape.annotation_property(prefix + f.path)},line={f.line},col={f.column},title={escape.annotation_property(f.code)}"
        lines.append(f"::{level} {props}::{escape.annotation_data(f.message)}")
    return "".join(line + "\n" for line in lines)


def summary(findings: Sequence[Finding], files: int) -> str:
    """The line under `ppm check`'s findings: files, errors and warnings, and the rules not run while ppm.yaml is invalid."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    checked = f"{counted(files, 'file')} checked"
    if not findings:
        return f"{checked}: no problems"
    line = f"{checked}: {counted(errors, 'error')}, {counted(warnings, 'warning')}"
    # An error the loader found in ppm.yaml (a code without a check function, all registered in core) means it did not
    # validate, so the rules that read it did not run. They are not named: a result from the cache has not imported them.
    if any(f.path == SETTINGS_FILE and f.severity is Severity.ERROR and f.code in RULES and RULES[f.code].check is None for f in findings):
        line += "\nppm.yaml is invalid, so the checks that read it did not run:\noverallocation, watermelon, unscored, labor-over-budget,\nstale-status, budget-overrun, and unknown-reference for goals and scores"
    return line
