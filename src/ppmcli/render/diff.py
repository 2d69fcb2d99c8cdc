"""`ppm diff` as a pull-request comment (Markdown), terminal text, and JSON. Renders a `PortfolioDiff`; computes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ppmcli.analysis.review.diff import FieldChange, PortfolioDiff
from ppmcli.core.kinds import KIND_LABEL
from ppmcli.core.numbers import amount
from ppmcli.render.conflicts import record as conflict_record
from ppmcli.render.findings import record as finding_record
from ppmcli.render.json import dumps, money

DIFF_FORMATS = ("text", "plain", "markdown", "json")
_TOTAL_NAMES = {"bac": "Budget (BAC)", "eac": "Forecast (EAC)", "benefits": "Benefits", "benefits_realized": "Benefits realized", "risk_exposure": "Risk exposure", "labor_cost": "Labor cost"}


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return amount(value)
    if isinstance(value, dict):
        return ", ".join(f"{key} {_value(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return str(value)


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + amount(abs(value))


def _score(value: Any) -> str:
    return "—" if value is None else f"{float(value):.2f}"


def _rank(value: int | None) -> str:
    return "—" if value is None else f"#{value}"


def _field_line(change: FieldChange) -> str:
    if change.old is None:
        return f"`{change.field}` added: {_value(change.new)}"
    if change.new is None:
        return f"`{change.field}` removed (was {_value(change.old)})"
    return f"`{change.field}`: {_value(change.old)} → {_value(change.new)}"


def summary(diff: PortfolioDiff) -> str:
    """The one line a reviewer reads first."""
    entities = diff.entities
    parts = []
    counts = {"changed": len(entities.changed), "added": len(entities.added), "removed": len(entities.removed), "renamed": len(entities.renamed)}
    files = ", ".join(f"{count} {word}" for word, count in counts.items() if count)
    if files:
        parts.append(f"files: {files}")
    if diff.funding:
        parts.append(f"{len(diff.funding)} cross{'es' if len(diff.funding) == 1 else ''} the funding line")
    if diff.ranks:
        parts.append(f"{len(diff.ranks)} rank/score change{'s' * (len(diff.ranks) != 1)}")
    if diff.new_conflicts:
        parts.append(f"{len(diff.new_conflicts)} new over-allocation{'s' * (len(diff.new_conflicts) != 1)}")
    if diff.resolved_conflicts:
        parts.append(f"{len(diff.resolved_conflicts)} over-allocation{'s' * (len(diff.resolved_conflicts) != 1)} resolved")
    for total in diff.totals:
        if total.name in ("bac", "eac"):
            parts.append(f"{_TOTAL_NAMES[total.name]} {_signed(total.new - total.old)}")
    errors = sum(1 for f in diff.new_findings if str(f.severity) == "error")
    if errors:
        parts.append(f"{errors} new error{'s' * (errors != 1)}")
    return "; ".join(parts) if parts else "no portfolio changes"


def _conflict_line(conflict: Any) -> str:
    return (
        f"{conflict.person} over-allocated {conflict.start} → {conflict.end}: peak {conflict.peak:g} FTE "
        f"of {conflict.capacity:g} on {conflict.days} days ({', '.join(conflict.projects)})"
    )


def _sections(diff: PortfolioDiff, md: bool) -> Iterable[tuple[str, list[str]]]:
    """(title, lines) per section; lines are Markdown list items or table rows when `md`."""
    code = (lambda text: f"`{text}`") if md else (lambda text: text)
    entities = diff.entities
    lines = []
    for kind, ident in entities.added:
        lines.append(f"- {KIND_LABEL[kind]} {code(ident)}: **added**" if md else f"+ {KIND_LABEL[kind]} {ident}: added")
    for kind, ident in entities.removed:
        lines.append(f"- {KIND_LABEL[kind]} {code(ident)}: **removed**" if md else f"- {KIND_LABEL[kind]} {ident}: removed")
    for kind, old, new in entities.renamed:
        lines.append(f"- {KIND_LABEL[kind]} {code(new)}: renamed from {code(old)}" if md else f"~ {KIND_LABEL[kind]} {new}: renamed from {old}")
    for change in entities.changed:
        name = "ppm.yaml" if change.kind == "settings" else f"{KIND_LABEL[change.kind]} {code(change.id)}"
        lines.append(f"- {name}" if md else f"~ {name}")
        lines += [f"  - {_field_line(field)}" if md else f"    {_field_line(field).replace('`', '')}" for field in change.fields]
    if lines:
        yield "Changes", lines
    if diff.funding:
        title = "Funding line" + (f" (budget {amount(float(diff.budget))})" if diff.budget is not None else "")
        rows = []
        for change in diff.funding:
            was = "funded" if change.was_selected else ("—" if change.was_selected is None else "not funded")
            now = "funded" if change.now_selected else ("—" if change.now_selected is None else "not funded")
            why = change.reason or ""
            rows.append(f"| {code(change.id)} | {was} | {now} | {why} |" if md else f"{change.id}: {was} → {now}{'  (' + why + ')' if why else ''}")
        yield title, (["| project | before | after | why |", "| --- | --- | --- | --- |"] + rows) if md else rows
    if diff.ranks:
        rows = [
            f"| {code(r.id)} | {_rank(r.old_rank)} → {_rank(r.new_rank)} | {_score(r.old_score)} → {_score(r.new_score)} |" if md
            else f"{r.id}: rank {_rank(r.old_rank)} → {_rank(r.new_rank)}, score {_score(r.old_score)} → {_score(r.new_score)}"
            for r in diff.ranks
        ]
        yield "Ranking", (["| project | rank | score |", "| --- | --- | --- |"] + rows) if md else rows
    conflicts = [f"- new: {_conflict_line(c)}" for c in diff.new_conflicts] + [f"- resolved: {_conflict_line(c)}" for c in diff.resolved_conflicts]
    if conflicts:
        yield "Capacity", conflicts
    if diff.totals or diff.health:
        rows = [
            f"| {_TOTAL_NAMES[t.name]} | {amount(t.old)} | {amount(t.new)} | {_signed(t.new - t.old)} |" if md
            else f"{_TOTAL_NAMES[t.name]}: {amount(t.old)} → {amount(t.new)} ({_signed(t.new - t.old)})"
            for t in diff.totals
        ]
        rows += [f"| Projects {health} | {old} | {new} | {_signed(new - old)} |" if md else f"Projects {health}: {old} → {new}" for health, old, new in diff.health]
        yield "Report totals", (["| total | before | after | change |", "| --- | ---: | ---: | ---: |"] + rows) if md else rows
    findings = [f"- new {f.severity}: {code(f'{f.path}:{f.line}:{f.column}')} {f.message} [{f.code}]" for f in diff.new_findings]
    findings += [f"- fixed {f.severity}: {code(f.path)} {f.message} [{f.code}]" for f in diff.fixed_findings]
    if findings:
        yield "Findings", findings


def render_diff(diff: PortfolioDiff, fmt: str) -> str:
    """`ppm diff` as `fmt`: json, markdown (a pull-request comment) or text."""
    if fmt == "json":
        return dumps(as_json(diff))
    return as_markdown(diff) if fmt == "markdown" else as_text(diff)


def as_markdown(diff: PortfolioDiff) -> str:
    """A pull-request comment: a title, the summary line, then short sections."""
    head = f"### Portfolio diff: `{diff.base}` → `{diff.head}`\n\n"
    if not diff:
        return head + f"No portfolio changes between `{diff.base}` and `{diff.head}`.\n"
    parts = [head + f"**{summary(diff)}**\n"]
    for title, lines in _sections(diff, md=True):
        parts.append(f"#### {title}\n\n" + "\n".join(lines) + "\n")
    return "\n".join(parts)


def as_text(diff: PortfolioDiff) -> str:
    head = f"Portfolio diff: {diff.base} → {diff.head}\n"
    if not diff:
        return head + "no portfolio changes\n"
    parts = [head + summary(diff) + "\n"]
    for title, lines in _sections(diff, md=False):
        parts.append(f"{title}\n" + "\n".join(f"  {line}" for line in lines) + "\n")
    return "\n".join(parts)


def _json_value(value: Any) -> Any:
    if isinstance(value, float):
        return money(value)
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    return value


def as_json(diff: PortfolioDiff) -> dict[str, Any]:
    """The stable JSON of `ppm diff`."""
    entities = diff.entities
    return {
        "base": diff.base,
        "head": diff.head,
        "summary": summary(diff),
        "added": [f"{kind}/{ident}" for kind, ident in entities.added],
        "removed": [f"{kind}/{ident}" for kind, ident in entities.removed],
        "renamed": [{"from": f"{kind}/{old}", "to": f"{kind}/{new}"} for kind, old, new in entities.renamed],
        "changed": {
            ("ppm.yaml" if change.kind == "settings" else f"{change.kind}/{change.id}"): {
                field.field: {"old": _json_value(field.old), "new": _json_value(field.new)} for field in change.fields
            }
            for change in entities.changed
        },
        "ranks": [
            {"id": r.id, "old_rank": r.old_rank, "new_rank": r.new_rank, "old_score": money(float(r.old_score)) if r.old_score is not None else None, "new_score": money(float(r.new_score)) if r.new_score is not None else None}
            for r in diff.ranks
        ],
        "selection": None if diff.funding is None else {
            "budget": money(float(diff.budget)) if diff.budget is not None else None,
            "changes": [{"id": c.id, "was_selected": c.was_selected, "now_selected": c.now_selected, "reason": c.reason} for c in diff.funding],
        },
        "conflicts": {"new": [conflict_record(c, None) for c in diff.new_conflicts], "resolved": [conflict_record(c, None) for c in diff.resolved_conflicts]},
        "totals": {t.name: {"old": money(t.old), "new": money(t.new), "change": money(t.new - t.old)} for t in diff.totals},
        "health": {health: {"old": old, "new": new} for health, old, new in diff.health},
        "findings": {"new": [finding_record(f) for f in diff.new_findings], "fixed": [finding_record(f) for f in diff.fixed_findings]},
    }
