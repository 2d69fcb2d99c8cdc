"""Tests for render.ranking: the funding line, long tables on a terminal, the stable JSON of score and prioritize."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction

from conftest import ACME, run_ppm
from ppmcli.analysis.selection.scoring import explain, rank_projects
from ppmcli.analysis.selection.prioritize import Limits, Solve, prioritize
from ppmcli.render import ranking as render
from ppmcli.render.output import Output
from ppmcli.render.table import render as render_table
from test_selection import SETTINGS, project, workspace


def test_terminal_table_draws_the_funding_line_between_funded_and_unfunded_and_a_footer():
    ws = workspace(project("a", 90, 300), project("b", 80, 400), project("c", 70, 100))
    found = prioritize(ws, ws.projects, limits=Limits(budget=Fraction(500)))
    text = render_table(render.selection_table(found, "USD", terminal=True), Output("text", color=False))
    lines = text.splitlines()
    rule = next(index for index, line in enumerate(lines) if "═" in line)
    assert "c " in lines[rule - 1] and "b " in lines[rule + 1]
    assert "Funded 2 of 3 projects: cost 400 USD, value 160.00; budget 500, left 100" in text
    assert "needs 400, 200 left" in text


def test_plain_table_keeps_funded_rows_first_in_rank_order_and_a_rule_of_equals():
    ws = workspace(project("a", 90, 300), project("b", 80, 400), project("c", 70, 100))
    found = prioritize(ws, ws.projects, limits=Limits(budget=Fraction(500)))
    lines = render_table(render.selection_table(found, "USD"), Output("plain")).splitlines()
    body = [line.split()[1] for line in lines[4:7] if not line.startswith("=")]
    assert body == ["a", "c"]
    assert lines[6].startswith("=")


def test_long_tables_on_a_terminal_show_the_top_and_say_how_many_more_machine_formats_show_all():
    ws = workspace(*(project(f"p{index:02d}", 100 - index, 10) for index in range(60)))
    found = prioritize(ws, ws.projects, limits=Limits(budget=Fraction(450)))  # 45 fit
    table = render.selection_table(found, "USD", terminal=True)
    assert len(table.rows) == render.TOP_ROWS + render.TOP_UNFUNDED
    assert table.omitted == "… and 5 more funded and 5 more unfunded projects; --format plain (or csv, json) shows every row"
    assert len(render.selection_table(found, "USD").rows) == 60
    # Only the kinds there are more of: all 45 funded rows did not fit, the unfunded ones all did ("and 0 more unfunded").
    few_out = prioritize(ws, ws.projects, limits=Limits(budget=Fraction(580)))  # 58 fit
    assert render.selection_table(few_out, "USD", terminal=True).omitted == "… and 18 more funded projects; --format plain (or csv, json) shows every row"
    # More rows than a screenful, yet each side fits its share: nothing is left out, and nothing said ("… and  projects").
    fits = workspace(*(project(f"p{index:02d}", 100 - index, 10) for index in range(43)))
    assert render.selection_table(prioritize(fits, fits.projects, limits=Limits(budget=Fraction(350))), "USD", terminal=True).omitted is None
    ranking = rank_projects(ws.projects, SETTINGS)
    assert len(render.score_table(ranking, terminal=True).rows) == render.TOP_ROWS
    assert render.score_table(ranking, terminal=True).omitted.startswith("… and 20 more projects")
    assert len(render.score_table(ranking).rows) == 60


def test_prioritize_json_has_selected_only_under_a_limit_and_rounds_for_output():
    ws = workspace(project("a", 100 / 3, 10.005), project("b", 20, 10), project("u", None, 1))
    plain = render.selection_json(prioritize(ws, ws.projects))
    assert [list(item) for item in plain] == [["rank", "id", "score", "value", "cost", "reason"]] * 3
    limited = render.selection_json(prioritize(ws, ws.projects, limits=Limits(budget=Fraction(15))))
    assert limited[0] == {"rank": 1, "id": "a", "score": 33.33, "value": 33.33, "cost": 10.01, "selected": True, "reason": None}
    assert limited[1] == {"rank": 2, "id": "b", "score": 20, "value": 20, "cost": 10, "selected": False, "reason": "needs 10, 5.00 left"}  # 4.995 left
    assert limited[2] == {"rank": None, "id": "u", "score": None, "value": None, "cost": 1, "selected": False, "reason": "unscored (lacks 'v')"}
    json.dumps(limited, allow_nan=False)


def test_compare_adds_greedy_keys_and_a_note_with_the_gain():
    ws = workspace(project("big", 60, 60), project("one", 50, 50), project("two", 50, 50))
    found = prioritize(ws, ws.projects, limits=Limits(budget=Fraction(100)), method="optimal", compare=True)
    items = render.selection_json(found)
    assert [(i["id"], i["selected"], i["greedy_selected"]) for i in items] == [("big", False, True), ("one", True, False), ("two", True, False)]
    assert items[1]["greedy_reason"] == "needs 50, 40 left"
    notes = render.selection_table(found, "USD").notes
    assert notes == ["Proven optimal.", "Optimal against greedy: adds one, two; drops big; value 60.00 → 100.00 (+40.00)."]


def test_a_stopped_solver_is_said_once_in_the_table_or_on_stderr_for_json_and_csv():
    ws = workspace(project("a", 60, 60))
    proven = prioritize(ws, ws.projects, limits=Limits(budget=Fraction(100)), method="optimal")
    assert "Proven optimal." in render.selection_table(proven, "USD").notes and render.not_proven_warning(proven.solve, "set", "json") is None
    found = replace(proven, solve=Solve(False, 0.0235, 10.0, "Time limit reached"))
    assert "Not proven optimal: the time limit stopped the solver at a gap of 2.35%." in render.selection_table(found, "USD").notes
    # Where the notes show (text, plain, markdown), stderr does not say it again; JSON and CSV hold rows only.
    assert [render.not_proven_warning(found.solve, "set", fmt) for fmt in ("text", "plain", "markdown")] == [None] * 3
    assert render.not_proven_warning(found.solve, "set", "csv") == "ppm: warning: the time limit was hit; the set is the best found, not proven optimal (gap 2.35%)"


def test_forced_breach_is_one_note_with_the_figures():
    ws = workspace(project("law", 10, 700, mandatory=True), project("a", 90, 1))
    notes = render.selection_table(prioritize(ws, ws.projects, limits=Limits(budget=Fraction(500))), "USD").notes
    assert notes == ["The forced projects alone break a limit, so nothing else is selected: budget: the forced projects alone cost 700, 200 over the budget of 500."]


def test_explain_json_shares_sum_to_the_rounded_score():
    ws = workspace(project("a", 42.5, 10))
    data = render.explain_json(explain(ws.projects, SETTINGS, "a"))
    assert data["score"] == 42.5 and data["rank"] == 1
    assert data["criteria"] == [{"name": "v", "raw": 42.5, "normalized": 0.425, "weight": 1, "share": 42.5, "note": "scale 0–100"}]


def test_a_model_named_as_its_type_is_named_once_in_titles():
    # "Open projects ranked by 'wsjf' (wsjf)" said the same word twice.
    assert render._model_title("wsjf", "wsjf") == "'wsjf'" and render._model_title("value", "weighted") == "'value' (weighted)"
    code, out, _ = run_ppm("-C", ACME, "--as-of", "2026-11-25", "--format", "plain", "prioritize", "--model", "wsjf")
    assert code == 0 and out.startswith("Open projects ranked by 'wsjf' (no limit given")
