"""`ppm diff` as a pull-request comment (Markdown), terminal text, and JSON. Renders a `PortfolioDiff`; computes nothing.

Every name, id, value, reason and message comes from the pull request: each is
escaped for its format (`escape`), and the comment is cut under GitHub's size limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ppmcli.analysis.review.diff import FieldChange, PortfolioDiff
from ppmcli.analysis.review.gate import Gate
from ppmcli.core.errors import counted
from ppmcli.core.findings import listed
from ppmcli.core.kinds import KIND_LABEL
from ppmcli.core.numbers import amount
from ppmcli.render import escape
from ppmcli.render.conflicts import record as conflict_record
from ppmcli.render.findings import record as finding_record
from ppmcli.render.json import dumps, money
from ppmcli.render.output import Output
from ppmcli.render import scenarios as scenario_view
from ppmcli.render import table as tables
from ppmcli.render.table import COMMENT_LIMIT, cut_comment, is_row

FORMATS = ("text", "plain", "markdown", "json")
SCENARIOS = "Scenarios (against the base's plan)"
# A changed value is shown up to this many characters (a tag list can be megabytes long).
VALUE_SHOWN = 300
_TOTAL_NAMES = {"bac": "Budget (BAC)", "eac": "Forecast (EAC)", "benefits": "Benefits", "benefits_realized": "Benefits realized", "risk_exposure": "Risk exposure", "labor_cost": "Labor cost"}


def _value(value: Any) -> str:
    """A value as text, no longer than about `VALUE_SHOWN` characters however large the value (then cut by `_clip`)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return amount(value)
    if isinstance(value, dict):
        return _joined(f"{key} {_value(item)}" for key, item in value.items())
    if isinstance(value, list):
        return "[" + _joined(_value(item) for item in value) + "]"
    return _clip(str(value))


def _joined(parts: Iterable[str]) -> str:
    # Stops reading the parts once there is more than can be shown: a list of 1,500 long tags is never joined whole.
    shown, size = [], 0
    for part in parts:
        shown.append(part)
        size += len(part) + 2
        if size > VALUE_SHOWN:
            break
    return ", ".join(shown)


def _clip(text: str) -> str:
    # Cut before escaping, so no escape is cut in half.
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"


def _signed(value: float) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + amount(abs(value))


def _score(value: Any) -> str:
    return "—" if value is None else f"{float(value):.2f}"


def _rank(value: int | None, md: bool = False) -> str:
    # In Markdown on GitHub "#12" is a link to issue 12 (and a mention in its timeline): the rank column says what it is.
    return "—" if value is None else str(value) if md else f"#{value}"


@dataclass(frozen=True)
class _Style:
    """How user text is written: `code` for an id or path (`cell` in a table row), `text` for a value, name or message."""

    md: bool
    code: escape.Escaper
    cell: escape.Escaper
    text: escape.Escaper


_MARKDOWN = _Style(True, escape.markdown_code, lambda text: escape.markdown_code(text, table=True), escape.markdown)
_TERMINAL = _Style(False, escape.terminal, escape.terminal, escape.terminal)


def _field_line(change: FieldChange, style: _Style) -> str:
    field, value = style.code(change.field), (lambda item: style.text(_clip(_value(item))))
    if change.old is None:
        return f"{field} added: {value(change.new)}"
    if change.new is None:
        return f"{field} removed (was {value(change.old)})"
    return f"{field}: {value(change.old)} → {value(change.new)}"


def summary(diff: PortfolioDiff) -> str:
    """The one line a reviewer reads first."""
    entities = diff.entities
    parts = []
    renamed_to = {(kind, now) for kind, _, now in entities.renamed}  # a file renamed and edited counts once, as renamed
    counts = {"changed": sum((c.kind, c.id) not in renamed_to for c in entities.changed), "added": len(entities.added), "removed": len(entities.gone), "renamed": len(entities.renamed), "invalid now": len(entities.invalid), "invalid, edited": len(entities.edited_invalid)}
    files = ", ".join(f"{count} {word}" for word, count in counts.items() if count)
    if files:
        parts.append(f"files: {files}")
    if diff.funding:
        parts.append(f"{len(diff.funding)} cross{'es' if len(diff.funding) == 1 else ''} the funding line")
    if diff.ranks:
        # Projects whose own score changed, that entered or left the ranking, apart from those that only moved
        # because another did (one project cancelled moves every one below it: one change, not eleven).
        kinds = Counter(
            "entered the ranking" if r.old_rank is None else "left the ranking" if r.new_rank is None else "score change" if r.old_score != r.new_score else "moved in rank"
            for r in diff.ranks
        )
        for kind in ("score change", "entered the ranking", "left the ranking", "moved in rank"):
            if kinds[kind]:
                parts.append(counted(kinds[kind], kind) if kind == "score change" else f"{counted(kinds[kind], 'project')} {kind}")
    # An over-allocation the change only shortened or lowered is eased, not one new and one resolved.
    for conflicts, noun, after in (
        (diff.created_conflicts, "new over-allocation", ""),
        (diff.grown_conflicts, "over-allocation", " made worse"),
        (diff.eased_conflicts, "over-allocation", " eased"),
        (diff.ended_conflicts, "over-allocation", " resolved"),
    ):
        if conflicts:
            parts.append(counted(len(conflicts), noun) + after)
    for total in diff.totals:  # what it costs, and what it is to bring (the benefits intended)
        if total.name in ("bac", "eac", "benefits"):
            parts.append(f"{_TOTAL_NAMES[total.name]} {_signed(total.new - total.old)}")
    if diff.worse_health:
        parts.append(f"{counted(len(diff.worse_health), 'project')} in worse health")
    if diff.new_errors:  # as the gate counts them: an over-allocation made no worse is not one
        parts.append(counted(len(diff.new_errors), "new error"))
    return "; ".join(parts) if parts else "no portfolio changes"


def _score_change(change: Any) -> str:
    """`51.39 → 53.10`, or `51.39` alone when only the rank moved."""
    return _score(change.new_score) if change.old_score == change.new_score else f"{_score(change.old_score)} → {_score(change.new_score)}"


def _conflict_line(conflict: Any, style: _Style) -> str:
    return (
        f"{style.text(conflict.person)} over-allocated {conflict.start} → {conflict.end}: peak {conflict.peak:g} FTE "
        f"of {conflict.capacity:g} on {counted(conflict.days, 'day')} ({listed(map(style.text, conflict.projects))})"
    )


def _sections(diff: PortfolioDiff, style: _Style, width: int | None = None) -> Iterable[tuple[str, list[str]]]:
    """(title, lines) per section; lines are Markdown list items or table rows when `style.md`."""
    md, code, cell, text = style.md, style.code, style.cell, style.text
    entities = diff.entities
    lines = []
    for kind, ident in entities.added:
        lines.append(f"- {KIND_LABEL[kind]} {code(ident)}: **added**" if md else f"+ {KIND_LABEL[kind]} {code(ident)}: added")
    for kind, ident in entities.gone:
        lines.append(f"- {KIND_LABEL[kind]} {code(ident)}: **removed**" if md else f"- {KIND_LABEL[kind]} {code(ident)}: removed")
    removed = set(entities.removed)
    for kind, ident in entities.invalid:
        # The analyses below go without it, as if it were removed: said here, so a "resolved" below is read as such.
        name = "ppm.yaml" if kind == "settings" else f"{KIND_LABEL[kind]} {code(ident)}"
        what = "invalid now (see Findings): compared as if removed" if kind == "settings" or (kind, ident) in removed else "added, invalid (see Findings): not compared"
        lines.append(f"- {name}: **{what}**" if md else f"! {name}: {what}")
    for kind, ident in entities.edited_invalid:
        what = "invalid at both revisions, edited (see Findings): not compared"
        lines.append(f"- {KIND_LABEL[kind]} {code(ident)}: **{what}**" if md else f"! {KIND_LABEL[kind]} {code(ident)}: {what}")
    for kind, old, new in entities.renamed:
        lines.append(f"- {KIND_LABEL[kind]} {code(new)}: renamed from {code(old)}" if md else f"~ {KIND_LABEL[kind]} {code(new)}: renamed from {code(old)}")
    for change in entities.changed:
        name = "ppm.yaml" if change.kind == "settings" else f"{KIND_LABEL[change.kind]} {code(change.id)}"
        lines.append(f"- {name}" if md else f"~ {name}")
        lines += [f"  - {_field_line(field, style)}" if md else f"    {_field_line(field, style)}" for field in change.fields]
    if lines:
        yield "Changes", lines
    if diff.funding:
        title = "Funding line" + (f" (budget {amount(float(diff.budget))})" if diff.budget is not None else "")
        rows = []
        for crossing in diff.funding:
            was = "funded" if crossing.was_selected else ("—" if crossing.was_selected is None else "not funded")
            now = "funded" if crossing.now_selected else ("—" if crossing.now_selected is None else "not funded")
            why = text(crossing.reason or "")
            rows.append(f"| {cell(crossing.id)} | {was} | {now} | {why} |" if md else f"{code(crossing.id)}: {was} → {now}{'  (' + why + ')' if why else ''}")
        yield title, (["| project | before | after | why |", "| --- | --- | --- | --- |"] + rows) if md else rows
    if diff.ranks:
        rows = [
            f"| {cell(r.id)} | {_rank(r.old_rank, md)} → {_rank(r.new_rank, md)} | {_score_change(r)} |" if md
            else f"{code(r.id)}: rank {_rank(r.old_rank)} → {_rank(r.new_rank)}, score {_score_change(r)}"
            for r in diff.ranks
        ]
        yield "Ranking", (["| project | rank | score |", "| --- | --- | --- |"] + rows) if md else rows
    conflicts = [
        f"- {word}: {_conflict_line(c, style)}"
        for word, shown in (("new", diff.created_conflicts), ("worse", diff.grown_conflicts), ("eased", diff.eased_conflicts), ("resolved", diff.ended_conflicts))
        for c in shown
    ]
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
    if diff.project_health:
        yield "Health", [f"- {code(c.id)}: {c.old} → {c.new}" if md else f"{code(c.id)}: {c.old} → {c.new}" for c in diff.project_health]
    if diff.scenarios is not None:
        found = diff.scenarios
        # On a terminal the tables fit its width under the section's indent, as `ppm scenarios` fits them; the scenarios
        # that cannot be planned are named under the first, as there.
        shown = Output("markdown") if md else Output("text", width=width - 2) if width is not None else Output("plain")
        lines = tables.render(scenario_view.summary_table(found, shown.format, titled=False), shown).rstrip("\n").split("\n")
        if found.projects:
            lines += [""] + tables.render(scenario_view.projects_table(found, titled=False), shown).rstrip("\n").split("\n")
        yield SCENARIOS, lines
    findings = [f"- new {f.severity}: {code(f'{f.path}:{f.line}:{f.column}')} {text(f.message)} [{f.code}]" for f in diff.new_findings]
    findings += [f"- fixed {f.severity}: {code(f.path)} {text(f.message)} [{f.code}]" for f in diff.fixed_findings]
    if findings:
        yield "Findings", findings


def render(diff: PortfolioDiff, out: Output, gate: Gate | None = None) -> str:
    """`ppm diff`: json, markdown (a pull-request comment) or text (text and plain alike); with the gate of `--fail-on` when given."""
    if out.format == "json":
        return dumps(as_json(diff) | ({"gate": gate_json(gate)} if gate is not None else {}))
    return as_markdown(diff, gate=gate) if out.format == "markdown" else as_text(diff, out.width if out.terminal else None, gate=gate)


def _gate_lines(gate: Gate, style: _Style) -> list[str]:
    """The verdict first (which effects failed), then one line or table row per place that failed it."""
    checked = ", ".join(gate.effects)
    if not gate.failures:
        return [f"**✅ Gate passed** (checked: {checked})" if style.md else f"Gate passed (checked: {checked})"]

    def where(failure: Any) -> str:  # a file position alone; a person, project or portfolio named as such
        place = (style.cell if style.md else style.code)(failure.where)
        return place if failure.kind == "file" else f"{failure.kind} {place}"

    failed = ", ".join(gate.failed)
    if not style.md:
        return [f"Gate FAILED: {failed} (checked: {checked})"] + [f"  {f.effect}: {where(f)}: {style.text(f.detail)}" for f in gate.failures]
    rows = [f"| {f.effect} | {where(f)} | {style.text(f.detail)} |" for f in gate.failures]
    return [f"**❌ Gate failed: {failed}** (checked: {checked})", "", "| effect | where | what |", "| --- | --- | --- |"] + rows


def gate_json(gate: Gate) -> dict[str, Any]:
    """The gate's part of `ppm diff --format json`."""
    return {
        "fail_on": list(gate.effects),
        "failed": list(gate.failed),
        "failures": [{"effect": f.effect, "kind": f.kind, "where": f.where, "detail": f.detail} for f in gate.failures],
    }


def as_markdown(diff: PortfolioDiff, limit: int = COMMENT_LIMIT, gate: Gate | None = None) -> str:
    """A pull-request comment: a title, the summary line, then short sections; under `limit` characters.

    A longer comment is cut at a whole line (a list item or a table row, so
    every table and list stays well formed) and ends with a line that says how
    many lines were left out and how to see them all.
    """
    base, head = escape.markdown_code(diff.base), escape.markdown_code(diff.head)
    title = f"### Portfolio diff: {base} → {head}\n\n"
    if gate is not None:
        title += "\n".join(_gate_lines(gate, _MARKDOWN)) + "\n\n"
    if not diff:
        return title + f"No portfolio changes between {base} and {head}.\n"
    parts = [title + f"**{summary(diff)}**\n"]
    for heading, lines in _sections(diff, _MARKDOWN):
        parts.append(f"#### {heading}\n\n" + "\n".join(lines) + "\n")
    comment = "\n".join(parts)
    return comment if len(comment) <= limit else _cut(parts, limit, base)


def _cut(parts: list[str], limit: int, base: str) -> str:
    """The comment's first whole lines that fit in `limit` with the closing line, and that line."""
    shown, left = cut_comment("\n".join(parts), limit, len(base))
    more = sum(1 for line in left if is_row(line))
    fields = sum(1 for line in left if line.startswith("  - "))  # a changed file's field lines, under its item
    told = [counted(count, what) for count, what in ((more, "more change"), (fields, "field change")) if count] or ["0 more changes"]
    note = f"… {' and '.join(told)} left out (the comment is limited to {limit:,} characters); run `ppm diff` against {base} locally for all."
    return shown + "\n\n" + note + "\n"


def as_text(diff: PortfolioDiff, width: int | None = None, gate: Gate | None = None) -> str:
    """The diff as text; on a terminal (`width`) long lines (the gate's too) wrap at words under their own indent, but a finding stays one line (grep-able)."""
    head = f"Portfolio diff: {escape.terminal(diff.base)} → {escape.terminal(diff.head)}\n"
    if gate is not None:
        head += "\n".join(wrapped for line in _gate_lines(gate, _TERMINAL) for wrapped in _wrapped(line, width)) + "\n\n"
    if not diff:
        return head + "no portfolio changes\n"
    parts = [head + "\n".join(_wrapped(summary(diff), width)) + "\n"]
    for title, lines in _sections(diff, _TERMINAL, width):
        fit = None if title in ("Findings", SCENARIOS) else width  # a finding stays one line; a table keeps its rows
        parts.append(f"{title}\n" + "\n".join(wrapped for line in lines for wrapped in _wrapped(f"  {line}", fit)) + "\n")
    return "\n".join(parts)


def _wrapped(line: str, width: int | None) -> list[str]:
    if width is None:
        return [line]
    indent = line[: len(line) - len(line.lstrip())] + "  "
    return tables.wrap(line, width, indent)


def _json_value(value: Any) -> Any:
    if isinstance(value, float):
        return money(value)
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    return value


def _names(entities: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The contract's "per id" name of each (kind, id) in one list: the id, or `kind/id` where the same id names
    two kinds in that list (a person and a project both called `mobile`); ppm.yaml by its file name."""
    # ppm.yaml counts under its own name: a project may be `projects/ppm.yaml.yaml`, whose id is `ppm.yaml`.
    named = [(kind, "ppm.yaml" if kind == "settings" else ident) for kind, ident in entities]
    counts = Counter(name for _, name in named)
    return {entity: name if counts[name] == 1 or kind == "settings" else f"{kind}/{name}" for entity, (kind, name) in zip(entities, named)}


def as_json(diff: PortfolioDiff) -> dict[str, Any]:
    """The stable JSON of `ppm diff`."""
    entities = diff.entities
    added, removed, invalid, edited_invalid = _names(entities.added), _names(entities.removed), _names(entities.invalid), _names(entities.edited_invalid)
    renamed = _names([(kind, old) for kind, old, _ in entities.renamed] + [(kind, new) for kind, _, new in entities.renamed])
    changed = _names([(change.kind, change.id) for change in entities.changed])
    return {
        "base": diff.base,
        "head": diff.head,
        "summary": summary(diff),
        "added": list(added.values()),
        "removed": list(removed.values()),
        "invalid": list(invalid.values()),
        "edited_invalid": list(edited_invalid.values()),
        "renamed": [{"from": renamed[kind, old], "to": renamed[kind, new]} for kind, old, new in entities.renamed],
        "changed": {
            changed[change.kind, change.id]: {field.field: {"old": _json_value(field.old), "new": _json_value(field.new)} for field in change.fields}
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
        "conflicts": {
            kind: [conflict_record(c, None) for c in shown]
            for kind, shown in (("new", diff.created_conflicts), ("worse", diff.grown_conflicts), ("eased", diff.eased_conflicts), ("resolved", diff.ended_conflicts))
        },
        "totals": {t.name: {"old": money(t.old), "new": money(t.new), "change": money(t.new - t.old)} for t in diff.totals},
        "health": {health: {"old": old, "new": new} for health, old, new in diff.health},
        "project_health": [{"id": c.id, "old": c.old, "new": c.new} for c in diff.project_health],
        "findings": {"new": [finding_record(f) for f in diff.new_findings], "fixed": [finding_record(f) for f in diff.fixed_findings]},
    } | ({"scenarios": scenario_view.as_json(diff.scenarios)} if diff.scenarios is not None else {})
