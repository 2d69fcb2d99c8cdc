"""Render layer: `ppm score` and `ppm prioritize` as tables (the funding line, the footer of totals) and as the stable JSON.

Builds `table.Table` records and JSON lists from `scoring` and `selection`
records; every figure comes from the analysis, and is only rounded here.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ppmcli.analysis.filters import nothing_to
from ppmcli.analysis.selection.scoring import Explanation, Ranked, Ranking
from ppmcli.analysis.selection.prioritize import Decision, Frontier, Selection, Solve
from ppmcli.core.errors import counted
from ppmcli.render.json import dumps, money, ratio
from ppmcli.render import escape, table as tables
from ppmcli.render.output import Output
from ppmcli.render.table import TERMINAL_ROWS, Column, Table, format_cell, more_kinds, shorten

FORMATS = (*tables.FORMATS, "json")

# On a terminal, a long ranking shows its top and says how many rows it left out.
TOP_ROWS = TERMINAL_ROWS
# ... and, for a selection, that many funded rows and the first unfunded ones below the line.
TOP_UNFUNDED = 10

# Forced projects can overfill many role-months; the first few say enough.
_BREACHES_SHOWN = 5


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _rounded(value: Fraction | None) -> float | None:
    return money(_number(value))


def _score_columns(model_type: str, *, funding: bool = False) -> list[Column]:
    # For a weighted model the value is the score: one column says it.
    # On a narrow terminal (table.Column.priority) the value goes first, then the rank (the row order says it), then the cost:
    # the score, what ranks the projects, stays longest; the project is a KEY column. In a funding table (`funding`) the
    # rows are in funding order, not rank order: the rank and each project's cost back the decision and outlast the score.
    rank_priority, score_priority = (2, 3) if funding else (3, 2)
    columns = [Column("#", "int", priority=rank_priority, key="rank"), Column("Project", key="id"), Column("Score", "number", priority=score_priority, key="score")]
    if model_type != "weighted":
        columns.append(Column("Value", "number", priority=4, key="value"))
    return columns + [Column("Cost", "money", priority=2, key="cost")]


def _score_cells(row: Ranked | Decision, model_type: str) -> list[Any]:
    cells = [row.rank, row.id, _number(row.score)]
    if model_type != "weighted":
        cells.append(_number(row.value))
    return cells + [_number(row.cost)]


def _unscored(lacks: Sequence[str]) -> str | None:
    return f"unscored: {', '.join(lacks)}" if lacks else None


def _model_title(model: str, model_type: str) -> str:
    """The model by name and type ("'value' (weighted)"); once when its name is its type ("'wsjf'", not "'wsjf' (wsjf)")."""
    return f"'{model}'" if model == model_type else f"'{model}' ({model_type})"


# ---------------------------------------------------------------- ppm score


def score_table(ranking: Ranking, *, terminal: bool = False, unmatched: str | None = None) -> Table:
    """The ranking as a table; on a terminal, only its top rows. `unmatched`: why the filters left no project (`filters.unmatched`)."""
    columns = _score_columns(ranking.type)
    rows = [_score_cells(row, ranking.type) for row in ranking.rows]
    if any(row.lacks for row in ranking.rows):
        columns.append(Column("Note", wrap=True, key="note"))
        rows = [cells + [_unscored(row.lacks)] for cells, row in zip(rows, ranking.rows)]
    shown, omitted = shorten(rows, TOP_ROWS if terminal else None, "projects")
    title = f"Open projects ranked by {_model_title(ranking.model, ranking.type)}"
    return Table(columns=columns, rows=shown, title=title, omitted=omitted, empty=nothing_to("score", unmatched))


def render_score(ranking: Ranking, out: Output, *, unmatched: str | None = None) -> str:
    """`ppm score`: text (rich, the top of the ranking), plain, markdown, csv or json (every project); a sentence when there is no project."""
    if out.format == "json":
        return dumps(score_json(ranking))
    return tables.render(score_table(ranking, terminal=out.terminal, unmatched=unmatched), out)


def score_json(ranking: Ranking) -> list[dict[str, Any]]:
    """The stable JSON of `ppm score`: a list in rank order."""
    return [_base(row) for row in ranking.rows]


def _base(row: Ranked | Decision) -> dict[str, Any]:
    return {"rank": row.rank, "id": row.id, "score": _rounded(row.score), "value": _rounded(row.value), "cost": _rounded(row.cost)}


# ---------------------------------------------------------------- ppm score --explain


def explain_table(explanation: Explanation) -> Table:
    """Each input's raw value, normalized value, weight and share of the score."""
    scored = explanation.scored
    where = f"rank {explanation.rank}" if explanation.rank is not None else "not ranked"
    if scored.score is None:
        title = f"{explanation.project} under {_model_title(explanation.model, explanation.type)}: unscored"
        return Table(columns=[Column("Lacks", key="lacks")], rows=[[lack] for lack in scored.lacks], title=title)
    title = f"{explanation.project} under {_model_title(explanation.model, explanation.type)}: score {format_cell(float(scored.score), 'number')}, {where}"
    if explanation.type == "weighted":
        columns = [
            Column("Criterion", key="name"),
            Column("Raw", "number", priority=3, key="raw"),
            Column("Normalized", "ratio", priority=4, key="normalized"),
            Column("Weight", "number", priority=2, key="weight"),
            Column("Share", "number", priority=2, key="share"),
            Column("Note", wrap=True, key="note"),
        ]
        rows = [[t.name, _number(t.raw), _number(t.normalized), _number(t.weight), _number(t.share), t.note] for t in scored.terms]
        footer = [f"The shares sum to the score: {format_cell(float(scored.score), 'number')}."]
    else:
        columns = [Column("Input", key="name"), Column("Raw", "number", priority=2, key="raw"), Column("Share", "number", priority=2, key="share"), Column("Note", wrap=True, key="note")]
        rows = [[t.name, _number(t.raw), _number(t.share), t.note] for t in scored.terms]
        footer = [_formula(explanation)]
    return Table(columns=columns, rows=rows, title=title, footer=footer)


def _formula(explanation: Explanation) -> str:
    scored = explanation.scored
    assert scored.score is not None and scored.value is not None
    divisor = scored.terms[-1]
    value, score = format_cell(float(scored.value), "number"), format_cell(float(scored.score), "number")
    if explanation.type == "wsjf":
        return f"score = (business_value + time_criticality + risk_reduction) / job_size = {value} / {format_cell(_number(divisor.raw), 'number')} = {score}; the shares sum to it."
    return f"score = reach × impact × confidence / effort = {value} / {format_cell(_number(divisor.raw), 'number')} = {score}."


def explain_json(explanation: Explanation) -> dict[str, Any]:
    """`ppm score --explain ID --format json`: the project's score and each input's part in it."""
    scored = explanation.scored
    return {
        "id": explanation.project,
        "model": explanation.model,
        "type": explanation.type,
        "rank": explanation.rank,
        "score": _rounded(scored.score),
        "value": _rounded(scored.value),
        "lacks": list(scored.lacks),
        "criteria": [
            {"name": t.name, "raw": ratio(_number(t.raw)), "normalized": ratio(_number(t.normalized)), "weight": _rounded(t.weight), "share": _rounded(t.share), "note": t.note}
            for t in scored.terms
        ],
    }


# ---------------------------------------------------------------- ppm prioritize


def selection_table(selection: Selection, currency: str, *, terminal: bool = False, unmatched: str | None = None) -> Table:
    """The ranking with the funding line: funded projects (in rank order) above it, the others below, each with why.

    On a terminal a long table keeps the top funded rows and the first rows below the line.
    """
    if selection.method is None:
        return _ranking_only(selection, terminal, unmatched)
    compare = selection.comparison
    greedy = {row.id: row.selected for row in compare.greedy.rows} if compare else {}
    columns = _score_columns(selection.type, funding=True) + [Column("Cumulative", "money", priority=4, key="cumulative"), Column("Funded", key="selected")]
    if compare:
        columns.append(Column("Greedy", key="greedy_selected"))  # what --compare asks for: kept on a narrow terminal
    columns.append(Column("Why", wrap=True, key="reason"))
    funded: list[list[Any]] = []
    unfunded: list[list[Any]] = []
    for row in selection.rows:
        cells = _score_cells(row, selection.type) + [_number(row.cumulative), "yes" if row.selected else "no"]
        if compare:
            cells.append("yes" if greedy.get(row.id) else "no")
        cells.append(reason_shown(row))
        (funded if row.selected else unfunded).append(cells)
    omitted = None
    if terminal and len(funded) + len(unfunded) > TOP_ROWS:
        more_funded, more_unfunded = max(0, len(funded) - TOP_ROWS), max(0, len(unfunded) - TOP_UNFUNDED)
        funded, unfunded = funded[:TOP_ROWS], unfunded[:TOP_UNFUNDED]
        omitted = more_kinds([(more_funded, "funded"), (more_unfunded, "unfunded")], "projects")
    rules = frozenset({len(funded) - 1}) if funded and unfunded else frozenset()
    return Table(
        columns=columns,
        rows=funded + unfunded,
        title=_selection_title(selection, currency),
        footer=_footer(selection, currency),
        rules_after=rules,
        omitted=omitted,
        notes=_notes(selection),
        empty=nothing_to("prioritize", unmatched),
    )


def _ranking_only(selection: Selection, terminal: bool, unmatched: str | None) -> Table:
    columns = _score_columns(selection.type) + [Column("Note", wrap=True, key="note")]
    rows = [_score_cells(row, selection.type) + [_unscored(row.lacks)] for row in selection.rows]
    shown, omitted = shorten(rows, TOP_ROWS if terminal else None, "projects")
    title = f"Open projects ranked by {_model_title(selection.model, selection.type)} (no limit given: --budget or --capacity selects)"
    return Table(columns=columns, rows=shown, title=title, omitted=omitted, empty=nothing_to("prioritize", unmatched))


def _money(value: Fraction | None) -> str:
    return format_cell(_number(value), "money")


def _selection_title(selection: Selection, currency: str) -> str:
    limits = []
    if selection.budget is not None:
        limits.append(f"budget {_money(selection.budget)} {currency}")
    if selection.capacity:
        limits.append("monthly role capacity")
    return f"Funding by {_model_title(selection.model, selection.type)}, {selection.method}, under {' and '.join(limits)}"


def _footer(selection: Selection, currency: str) -> list[str]:
    line = f"Funded {selection.funded} of {counted(len(selection.rows), 'project')}: cost {_money(selection.cost)} {currency}, value {format_cell(float(selection.value), 'number')}"
    if selection.budget is not None:
        line += f"; budget {_money(selection.budget)}, left {_money(selection.left)}"
    return [line]


def proof_note(solve: Solve) -> str:
    """Whether the exact solver proved its answer optimal, in a sentence under the output."""
    return "Proven optimal." if solve.proven else f"Not proven optimal: the time limit stopped the solver at a gap of {solve.gap:.2%}."


def _notes(selection: Selection) -> list[str]:
    notes = limit_notes(selection)
    if selection.solve is not None:
        notes.append(proof_note(selection.solve))
    comparison = selection.comparison
    if comparison is not None:
        added = ", ".join(comparison.added) or "nothing"
        dropped = ", ".join(comparison.dropped) or "nothing"
        notes.append(
            f"Optimal against greedy: adds {added}; drops {dropped}; value {format_cell(float(comparison.greedy.value), 'number')} → "
            f"{format_cell(float(selection.value), 'number')} ({'+' if comparison.gain >= 0 else ''}{format_cell(float(comparison.gain), 'number')})."
        )
    return notes


def limit_notes(found: Selection | Frontier) -> list[str]:
    """What the forced projects break alone (the limit, by how much) and the exclusions they break, as notes under a table."""
    notes = []
    if found.breaches:
        consequence = "so nothing else is selected" + (" at any budget" if isinstance(found, Frontier) else "")
        shown = "; ".join(found.breaches[:_BREACHES_SHOWN])
        more = f"; and {len(found.breaches) - _BREACHES_SHOWN} more" if len(found.breaches) > _BREACHES_SHOWN else ""
        notes.append(f"The forced projects alone break a limit, {consequence}: {shown}{more}.")
    return notes + [f"Warning: {warning}" for warning in found.warnings]


def render_selection(selection: Selection, currency: str, out: Output, *, unmatched: str | None = None) -> str:
    """`ppm prioritize`: text (rich, the top of each side of the funding line), plain, markdown, csv or json (every project); a sentence when there is no project."""
    if out.format == "json":
        return dumps(selection_json(selection))
    return tables.render(selection_table(selection, currency, terminal=out.terminal, unmatched=unmatched), out)


def render_explanation(explanation: Explanation, out: Output) -> str:
    """`ppm score --explain ID`."""
    return dumps(explain_json(explanation)) if out.format == "json" else tables.render(explain_table(explanation), out)


def render_frontier(frontier: Frontier, currency: str, out: Output) -> str:
    """`ppm prioritize --frontier`."""
    return dumps(frontier_json(frontier)) if out.format == "json" else tables.render(frontier_table(frontier, currency), out)


def selection_json(selection: Selection) -> list[dict[str, Any]]:
    """The stable JSON of `ppm prioritize`: a list in rank order; `selected` only when a limit applies.

    With `--compare greedy`, each object also has `greedy_selected` and `greedy_reason`.
    """
    greedy = {row.id: row for row in selection.comparison.greedy.rows} if selection.comparison else {}
    out = []
    for row in selection.rows:
        item = _base(row)
        if selection.method is not None:
            item["selected"] = bool(row.selected)
        item["reason"] = row.reason
        if row.id in greedy:
            item["greedy_selected"] = bool(greedy[row.id].selected)
            item["greedy_reason"] = greedy[row.id].reason
        out.append(item)
    return out


def machine_format_notes(found: Selection | Frontier, fmt: str) -> list[str]:
    """For stderr, where the output is JSON or CSV (which hold rows only): the `limit_notes` text shows under the table."""
    if fmt not in ("json", "csv"):
        return []
    notes = [note.removeprefix("Warning: ") for note in limit_notes(found)]
    return [f"ppm: warning: {escape.terminal(note[:1].lower() + note[1:])}" for note in notes]


def not_proven_warning(solve: Solve | None, what: str, fmt: str) -> str | None:
    """A line for stderr where the output is JSON or CSV (the others say it under their table): the time limit stopped
    the solver before it proved the `what` ("set", "plan") it found optimal."""
    if solve is None or solve.proven or fmt not in ("json", "csv"):
        return None
    return f"ppm: warning: the time limit was hit; the {what} is the best found, not proven optimal (gap {solve.gap:.2%})"


# ---------------------------------------------------------------- ppm prioritize --frontier


def frontier_table(frontier: Frontier, currency: str) -> Table:
    """Value against budget, one row per step, with what each step adds and drops."""
    columns = [
        Column("Budget", "money", key="budget"),
        Column("Cost", "money", priority=3, key="cost"),
        Column("Value", "number", key="value"),
        Column("Projects", "int", priority=2, key="projects"),
        Column("Change", wrap=True, key="change"),
    ]
    rows = []
    for step in frontier.steps:
        change = " ".join([f"+{pid}" for pid in step.added] + [f"-{pid}" for pid in step.dropped])
        if step.stopped:
            change += f" (not proven optimal, gap {step.gap:.2%})"
        rows.append([_number(step.budget), _number(step.cost), _number(step.value), len(step.selected), change])
    title = f"Efficient frontier by {_model_title(frontier.model, frontier.type)}, {frontier.method}{' under monthly role capacity' if frontier.capacity else ''} ({currency})"
    return Table(columns=columns, rows=rows, title=title, notes=limit_notes(frontier))


def frontier_json(frontier: Frontier) -> list[dict[str, Any]]:
    """`ppm prioritize --frontier --format json`: one object per budget step; greedy proves nothing (false, gap null), as `ppm plan` says."""
    return [
        {
            "budget": _rounded(step.budget),
            "cost": _rounded(step.cost),
            "value": _rounded(step.value),
            "selected": list(step.selected),
            "added": list(step.added),
            "dropped": list(step.dropped),
            "proven_optimal": step.proven,
            "gap": None if step.gap is None else ratio(step.gap),
        }
        for step in frontier.steps
    ]


def reason_shown(row: Any) -> str | None:
    """A decision's reason as every table words it: why it is forced (`forced: mandatory`), else why it is out."""
    return f"forced: {row.forced}" if row.forced else row.reason
