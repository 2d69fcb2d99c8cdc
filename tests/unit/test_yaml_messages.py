"""A YAML mistake gets a message that says what is wrong and how to fix it, at an exact place (not libyaml's words alone)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import check
from ppmcli.load.yamlerrors import MAX_SCANNED, field_names
from ppmcli.load.yamlpos import parse_yaml

PROJECT = """\
name: App
portfolio: digital
manager: ann
phase: execution
start: 2026-01-05
end: 2026-12-18
budget: 100000
scores:
  financial_value: 4
  urgency: 3
team:
  - {person: ann, fte: 0.5}
  - {person: bob, fte: 0.5}
status:
  - date: 2026-11-20
    health: amber
    percent_complete: 40
    actual_cost: 30000
"""


def _edit(line: int, text: str | None = None, insert: str | None = None) -> str:
    """PROJECT with its 1-based `line` replaced by `text`, or `insert` put after it."""
    lines = PROJECT.splitlines()
    if insert is not None:
        lines.insert(line, insert)
    else:
        lines[line - 1] = text or ""
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A ': ' inside a plain value, the most common mistake: at that colon, with the line to write.
        (_edit(18, insert="    note: Blocked: waiting on legal"), "19:18: a ': ' inside a value starts a new key; put the value in quotes: note: \"Blocked: waiting on legal\""),
        (_edit(18, insert="    note: Blocked:"), "19:18: a ':' at the end of a value starts a new key; put the value in quotes: note: \"Blocked:\""),
        (_edit(18, insert='    note: Vendor says: "late"'), "19:22: a ': ' inside a value starts a new key; put the value in quotes: note: 'Vendor says: \"late\"'"),
        (_edit(13, "  - {person: bob, fte: 0.5, note: Risk: vendor late}"), "13:39: a ': ' inside a value starts a new key; put the value in quotes: note: \"Risk: vendor late\""),
        # In {…} the same text may be a missing ',': both fixes are said.
        (_edit(13, "  - {person: bob fte: 0.5}"), "13:21: a ': ' inside a value starts a new key; put the value in quotes: person: \"bob fte: 0.5\", or put a ',' before 'fte' if it starts the next entry"),
        # A line indented deeper than the key above goes on with that key's value.
        (_edit(16, "      health: amber"), "16:13: 'health' is indented deeper than 'date' on line 15, so it goes on with that value; indent it as far as 'date', or put the value in quotes if the line belongs to it"),
        # Indentation of list items and keys.
        (_edit(13, " - {person: bob, fte: 0.5}"), "13:2: this list item is indented 1 space but the one on line 12 is indented 2 spaces; indent the items of one list alike"),
        (_edit(16, "   health: amber"), "16:4: 'health' is indented 3 spaces but 'date' on line 15 is indented 4 spaces; indent the keys of one item alike"),
        (_edit(16, "  health: amber"), "16:3: 'health' is indented as far as the '- ' on line 15; indent it as far as 'date' to keep it in that item, or start a new item with '- '"),
        (_edit(10, " urgency: 3"), "10:2: 'urgency' is indented 1 space but 'financial_value' on line 9 is indented 2 spaces; indent the keys of one mapping alike"),
        (_edit(7, insert="- capex"), "8:1: a '- ' list item among the keys of a mapping; put it under the key it belongs to, indented deeper than that key"),
        # A missing ':' or a missing space after it: at the line that lacks it (libyaml noticed on the next one).
        (_edit(7, "budget 100000"), "7:1: missing ':' after 'budget'"),
        (PROJECT + "budget 100000\n", "19:1: missing ':' after 'budget'"),
        (_edit(4, "phase:execution"), "4:6: missing space after ':' in 'phase:execution'; write phase: execution"),
        (_edit(10, "  urgency:3"), "10:10: missing space after ':' in 'urgency:3'; write urgency: 3"),
        # Not a field: it may be a key without its ':' or a value's next line, so libyaml's words stay, with both fixes.
        (_edit(18, insert="    vendor late"), "19:5: could not find expected ':' in 'vendor late'; write ':' after its key, or indent the line deeper if it goes on with the value above"),
        # Tabs.
        (_edit(10, "\turgency: 3"), "10:1: indent with spaces, not tabs"),
        (_edit(9, "\tfinancial_value: 4"), "9:1: indent with spaces, not tabs"),
        # Quotes.
        (_edit(1, 'name: "App'), '1:7: this opening " is never closed; end the value with a closing "'),
        (_edit(1, "name: 'App's"), "1:12: text after the closing ' of a quoted value; write '' for a ' inside '…', or put the value in \"…\""),
        (_edit(1, 'name: "The "App""'), '1:13: text after the closing " of a quoted value; write \\" for a " inside "…", or put the value in \'…\''),
        (_edit(1, 'name: "App') + 'note: "x"\n', '19:8: the " opened on line 1 closes only here, on line 19; end its value with a closing " on line 1'),
        (_edit(1, 'name: "C:\\projects"'), "1:10: '\\p' is not an escape inside \"…\"; write \\\\ for a backslash, or put the value in '…'"),
        # Brackets: at the one never closed.
        (_edit(12, "  - {person: ann, fte: 0.5"), "12:5: this '{' is never closed; end its mapping with '}'"),
        (PROJECT + "tags: [capex, web\n", "19:7: this '[' is never closed; end its list with ']'"),
        (_edit(7, insert="tags: [capex, web"), "8:7: this '[' is never closed; end its list with ']'"),
        (_edit(7, insert="tags: [capex]]"), "8:14: a ']' that closes nothing; remove it, or add the '[' it closes"),
        # Characters a plain value cannot start with.
        (_edit(3, "manager: @ann"), "3:10: a value cannot start with '@'; put it in quotes: manager: \"@ann\""),
        (_edit(1, "name: `App` rewrite"), "1:7: a value cannot start with '`'; put it in quotes: name: \"`App` rewrite\""),
        (_edit(18, insert="    note: *urgent* vendor late"), "19:11: a value starting with '*' is read as a reference to an anchor ('&name'); put it in quotes: note: \"*urgent* vendor late\""),
        # Layout of the file.
        (PROJECT + "---\nname: Other\n", "19:1: a second YAML document starts here, and a ppm file holds one; remove the '---' line and what follows it, or move that to a file of its own"),
        (" " + PROJECT, "2:1: this line is indented less than 'name', the first key of the file; start the keys at the top of a file at its first column"),
        # Causes that cannot be told apart: libyaml's words, and the likely fix as a hint.
        (_edit(11, "team: [{person: ann, fte: 0.5} {person: bob, fte: 0.5}]"), "11:32: did not find expected ',' or ']' (while parsing a flow sequence); separate the entries of […] with ', ' and put a value holding ': ' in quotes"),
        (_edit(18, insert="    note: \"x\" : y"), "19:15: mapping values are not allowed in this context; a ': ' inside a value starts a new key: put that value in quotes"),
    ],
    ids=[
        "colon-in-value", "colon-at-end", "colon-in-value-with-quotes", "colon-in-flow", "colon-or-comma-in-flow", "key-too-deep",
        "list-item-indent", "item-key-indent", "item-key-at-dash", "mapping-key-indent", "list-among-keys",
        "missing-colon", "missing-colon-last-line", "no-space-after-colon", "no-space-after-colon-nested", "line-without-colon",
        "tab", "tab-first-key", "unclosed-quote", "apostrophe", "quote-inside-quotes", "quote-closed-lines-later", "unknown-escape",
        "unclosed-brace", "unclosed-bracket-at-end", "unclosed-bracket", "extra-bracket", "at-sign", "backtick", "asterisk",
        "second-document", "indented-first-key", "flow-unknown", "quoted-then-colon",
    ],
)
def test_yaml_mistake_message(text, expected):
    found = check({"projects/app.yaml": text}, codes={"yaml-syntax"}, messages=True)
    assert [f"{path}:{line}:{column}: {message}" for path, line, column, _, message in found] == [f"projects/app.yaml:{expected}"]


def test_fields_known():
    assert {"budget", "fte", "health", "person", "note", "date", "probability"} <= field_names()


def test_far_into_a_large_file_the_hint_stays():
    """Past MAX_SCANNED characters the tokens are not read again (it would take seconds): libyaml's words and the hint."""
    text = "name: App\nteam:\n" + "  - {person: ann, fte: 0.5}\n" * (MAX_SCANNED // 20) + "note: Blocked: waiting\n"
    _, _, found = parse_yaml(text, "projects/app.yaml")
    assert [(f.line, f.column, f.message) for f in found] == [(MAX_SCANNED // 20 + 3, 14, "mapping values are not allowed in this context; a ': ' inside a value starts a new key: put that value in quotes")]


@settings(max_examples=300)
@given(st.text(alphabet=" \t#ab:", max_size=30))
def test_a_comment_is_cut_as_the_pattern_of_a_blank_before_a_hash_would_cut_it(text):
    # Found with str.find: the pattern `[ \t]+#.*$` took time growing with the square of a line of blanks (hours at 4 MiB).
    import re

    from ppmcli.load.yamlerrors import _before_comment

    assert _before_comment(text).rstrip() == re.sub(r"[ \t]+#.*$", "", text).rstrip()


def test_a_long_value_is_cut_before_it_is_quoted_so_the_fix_keeps_its_closing_quote():
    _, _, findings = parse_yaml("name: A\nnote: Blocked: x" + " " * 300 + "y\n", "projects/app.yaml")
    (finding,) = findings
    assert finding.message.startswith("a ': ' inside a value starts a new key; put the value in quotes: note: \"Blocked: x ")
    assert finding.message.endswith('…"')


@settings(max_examples=300)
@given(st.text(alphabet="[]{}- \nab", max_size=60))
def test_the_nesting_bound_is_the_walk_that_clamps_at_zero(text):
    # Vectorized (a 4 MiB file of brackets took 2 s walked in Python); small texts pass the cheap count first, so the
    # bound is called directly, and against the slow obvious walk.
    import re

    from ppmcli.load import yamlpos

    depth = deepest = 0
    for character in text:
        if character in "[]{}":
            depth = depth + 1 if character in "[{" else max(depth - 1, 0)
            deepest = max(deepest, depth)
    dashes = max((line.count("-") for line in re.findall(r"^[ \t]*((?:-[ \t]+)+)", text, re.MULTILINE)), default=0)
    real = yamlpos.MAX_COMPOSE_DEPTH
    try:
        yamlpos.MAX_COMPOSE_DEPTH = 0  # past the cheap count, into the walk
        assert yamlpos.nesting_bound(text) == deepest + dashes
    finally:
        yamlpos.MAX_COMPOSE_DEPTH = real


def test_the_scanner_reads_a_bounded_number_of_characters_per_load_however_many_files_are_broken(monkeypatch):
    # A branch of thousands of broken files, each scanned to MAX_SCANNED, would cost CI minutes: past the load's budget,
    # messages keep libyaml's words with their hint; the next load has its budget again.
    from ppmcli.load import yamlerrors

    monkeypatch.setattr(yamlerrors, "MAX_SCANNED_PER_LOAD", 3_000)
    broken = "name: App\nteam:\n" + "  - {person: ann, fte: 0.5}\n" * 40 + "note: Blocked: waiting\n"  # 1,159 characters
    files = {f"projects/app{index}.yaml": broken for index in range(3)}
    explained = "a ': ' inside a value starts a new key; put the value in quotes: note: \"Blocked: waiting\""
    kept = "mapping values are not allowed in this context; a ': ' inside a value starts a new key: put that value in quotes"
    for _ in range(2):
        found = check(files, codes={"yaml-syntax"}, messages=True)
        assert [(path, message) for path, _, _, _, message in found] == [("projects/app0.yaml", explained), ("projects/app1.yaml", explained), ("projects/app2.yaml", kept)]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("name: App\nphase: planning\nnote: a \x07 bell\n", (3, 9)),
        ("\ufeffname: App\nnote: é \x1b[31m\n", (2, 9)),  # libyaml's reader counts bytes of UTF-8, a byte order mark among them
        ("\ufeffname: \x1b[31mApp\n", (1, 7)),
        ("name: App\r\nnote: x\x07\r\n", (2, 8)),
    ],
)
def test_a_control_character_is_found_where_it_is(text, place):
    # It was at 1:1 wherever it was, in a file of any length.
    found = check({"projects/app.yaml": text}, codes={"yaml-syntax"}, messages=True)
    assert [(line, column) for _, line, column, _, _ in found] == [place]
    assert found[0][4].startswith("unacceptable character #x00")
