"""Tests for render.conflicts: the table, the empty case, and the stable JSON list."""

from __future__ import annotations

import json
from datetime import date

from ppmcli.analysis.resources.conflicts import Conflict, ConflictsReport, Helper
from ppmcli.render.conflicts import as_json, as_text
from ppmcli.render.output import Output

CONFLICT = Conflict("ann", date(2026, 3, 2), date(2026, 3, 13), 1.2, 1.0, 10, ("a", "b"), (("a", 0), ("b", 1)))
HELPERS = tuple(Helper(f"h{i}", 10.0 - i, (10.0 - i) / 10) for i in range(7))


def test_plain_table_lists_each_conflict() -> None:
    text = as_text(ConflictsReport((CONFLICT,), None), Output("plain", color=False))
    assert text.splitlines() == [
        "Over-allocation: 1 conflict",
        "",
        "person  from        to          days  peak  capacity  projects",
        "------  ----------  ----------  ----  ----  --------  --------",
        "ann     2026-03-02  2026-03-13    10  1.20      1.00  a, b",
    ]


def test_suggestions_column_names_the_first_helpers_and_counts_the_rest() -> None:
    text = as_text(ConflictsReport((CONFLICT, CONFLICT), (HELPERS, ())), Output("csv", color=False))
    lines = text.splitlines()
    assert lines[0] == "person,from,to,days,peak,capacity,projects,suggestions"
    assert lines[1].endswith('"h0 10.0 d (1.00 FTE), h1 9.0 d (0.90 FTE), h2 8.0 d (0.80 FTE), h3 7.0 d (0.70 FTE), h4 6.0 d (0.60 FTE), +2 more"')
    assert lines[2].endswith(",nobody with the role has room")


def test_no_conflict_is_a_sentence_except_in_csv() -> None:
    empty = ConflictsReport((), None)
    assert as_text(empty, Output("plain", color=False)) == "No over-allocated people.\n"
    assert as_text(empty, Output("csv", color=False)) == "person,from,to,days,peak,capacity,projects\n"
    assert as_json(empty) == "[]\n"


def test_json_has_the_contract_keys_and_suggestions_only_when_asked() -> None:
    plain = json.loads(as_json(ConflictsReport((CONFLICT,), None)))
    assert plain == [{"person": "ann", "from": "2026-03-02", "to": "2026-03-13", "peak": 1.2, "capacity": 1, "days": 10, "projects": ["a", "b"]}]
    suggested = json.loads(as_json(ConflictsReport((CONFLICT,), (HELPERS[:1],))))
    assert suggested[0]["suggestions"] == [{"person": "h0", "free_days": 10, "free_fte": 1}]


def test_a_terminal_shows_a_screenful_and_says_how_many_more_the_other_formats_show_all() -> None:
    many = ConflictsReport(tuple(Conflict(f"p{i:02d}", date(2026, 3, 2), date(2026, 3, 13), 1.2, 1.0, 10, ("a",), (("a", 0),)) for i in range(30)), None)
    text = as_text(many, Output("text", color=False, width=100, height=20))
    assert [f"p{i:02d}" in text for i in (13, 14)] == [True, False]  # 20 lines: 14 rows and their title, header, rule, note
    assert "Over-allocation: 30 conflicts" in text
    assert "… and 16 more conflicts; narrow with --person or --portfolio, or --format plain (or csv, json) shows every row" in " ".join(text.split())
    for fmt in ("plain", "markdown", "csv"):
        assert all(f"p{i:02d}" in as_text(many, Output(fmt, color=False, height=20)) for i in range(30))
