"""The fast parse gives the careful parse's values, or declines: on random, risky and hostile files."""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ACME, REPO
from ppmcli.core.positions import Positions, Unsure
from ppmcli.load import fastmarks, fastyaml
from ppmcli.load.loader import load, parse_file, validate_file
from ppmcli.load.sources import FileSource
from ppmcli.load.yamlpos import marks_of, parse_yaml

pytestmark = pytest.mark.skipif(fastyaml.ryml is None, reason="rapidyaml is not installed")

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"

# Scalars whose reading differs between YAML 1.1 and 1.2, or that rapidyaml's JSON emitter rewrites.
RISKY = [
    "010", "0777", "09", "00", "1_000", "1__0", "-1_0.5", "1:20", "190:20:30.15", "0:30", ".inf", "-.inf", "+.inf", ".Inf", ".iNf",
    ".NaN", ".nan", "~", "0x1F", "0b101", "0o17", "yes", "Yes", "No", "on", "OFF", "y", "n", "True", "TRUE", "true", "false",
    "null", "Null", "NULL", "", "2026-01-05", "2026-1-5", "2026-02-30", "2026-01-05T10:00:00Z", "2026-01-05 10:00", "1e3",
    "1E+3", "1.0e3", "1.0e+3", "6.8523015e+5", "1.5e-3", "5.e3", "1.0", "1.", ".5", "-.5", "+.5", "-0", "-0.0", "+1", "+0.5",
    "0", "-1", "42", "0.25", "12345678901234567890123", "=", "<<", "Infinity", "NaN", "nan", "prj-1", "a b", "a#b", "a #b",
    "http://x", "x:y", "'", '"', "-", "?", "!", "&a", "*a", "@x", "`x", "%x", "|", ">", "---", "...", "a\\b", "é",
]
SCALAR = st.one_of(st.sampled_from(RISKY), st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6))


def scalar_text(text: str, style: int) -> str:
    if style == 0:
        return text
    if style == 1:
        return "'" + text.replace("'", "''") + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def documents(draw: st.DrawFn) -> str:
    """YAML text from a random structure of risky scalars, plain or quoted, in block and flow style (not always valid YAML)."""

    def flow(depth: int) -> str:
        kind = draw(st.integers(0, 2 if depth < 3 else 0))
        if kind == 0:
            return scalar_text(draw(SCALAR), draw(st.integers(0, 2)))
        if kind == 1:
            return "[" + ", ".join(flow(depth + 1) for _ in range(draw(st.integers(0, 3)))) + "]"
        pairs = [f"{scalar_text(draw(SCALAR), draw(st.integers(0, 2)))}: {flow(depth + 1)}" for _ in range(draw(st.integers(0, 3)))]
        return "{" + ", ".join(pairs) + "}"

    def block(indent: int, depth: int) -> list[str]:
        lines = []
        pad = " " * indent
        sequence = depth > 0 and draw(st.booleans())
        for _ in range(draw(st.integers(1, 4))):
            head = f"{pad}- " if sequence else f"{pad}{scalar_text(draw(SCALAR), draw(st.integers(0, 2)))}:"
            if depth < 3 and draw(st.integers(0, 3)) == 0:
                lines.append(head.rstrip())
                lines.extend(block(indent + draw(st.sampled_from([0, 2, 4])) if not sequence else indent + 2, depth + 1))
            else:
                lines.append(f"{head} {flow(depth)}".rstrip() + draw(st.sampled_from(["", "", " # note"])))
        return lines

    lines = block(0, 0)
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["# comment", "", "---", "%YAML 1.1", "key: &a 1", "other: *a", "<<: {m: 1}", "tagged: !!str 1"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types all the way down (1 is not 1.0, nan is nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a) and all(type(x) is type(y) for x, y in zip(a, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_agrees(text: str) -> bool:
    """The fast parse declines, or gives the careful parse's value and the careful parse has no finding; True if it did not decline."""
    with fastyaml.quiet_stderr():
        try:
            value = fastyaml.fast_value(text)
        except fastyaml.Unsure:
            return False
    careful, positions, findings = parse_yaml(text, "f.yaml")
    assert findings == [], text
    assert same(value, careful), (text, value, careful)
    assert marks_of(text) == positions.marks, text
    assert_located(text, positions.marks)
    return True


# Path elements that name nothing, or name something only by YAML 1.1's reading of a key (True is 1, 1.0 is 1).
PROBES = ("zz-none", 0, 1, 1.0, True, None, -1, math.inf, "1", "yes", dt.date(2026, 1, 5))


def assert_located(text: str, marks: dict) -> int:
    """rapidyaml's locator gives `marks_of`'s mark for every recorded path and for paths below them that do not exist, or is unsure; how many it was sure of."""
    sure = 0
    for path, mark in marks.items():
        for probe in (path, *(path + (extra,) for extra in PROBES)):
            depth = len(probe)
            while probe[:depth] not in marks:
                depth -= 1
            try:
                found = fastmarks.locate(text, probe)
            except Unsure:
                continue
            assert found == (depth, marks[probe[:depth]]), (text, probe, found)
            sure += 1
    return sure


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fast_parse_gives_the_careful_value_or_declines(text):
    assert_agrees(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab:-[]{},'\"#? \n01.e+_~yn", max_size=40))
def test_fast_parse_on_short_hostile_text(text):
    assert_agrees(text)


def test_risky_plain_scalars_read_as_yaml_1_1():
    text = "".join(f"k{index}: {word}\n" for index, word in enumerate(["010", "1_000", "1:20", "yes", "off", "2026-01-05", "1e3", "~", "0x1F", "12"]))
    assert assert_agrees(text)
    with fastyaml.quiet_stderr():
        value = fastyaml.fast_value(text)
    # As the careful parse reads them (it reads 010 as ten, where PyYAML reads eight).
    assert list(value.values()) == [10, 1000, 80, True, False, dt.date(2026, 1, 5), "1e3", None, 31, 12]


@pytest.mark.parametrize(
    "text",
    [
        "a: '2026-01-05'\nb: 2026-01-05\n",  # the same text quoted and bare
        "a: 1\na: 2\n",  # duplicate key
        "yes: 1\ntrue: 2\n",  # keys equal once resolved
        "a: {b: c #d}\n",  # libyaml reads "#d}" as a comment that swallows the brace; rapidyaml does not
        "a: [b,\n  # c\n  d]\n",  # a comment line inside a flow sequence
        "a:\n  - {b: c}  - {d: e}\n",  # libyaml refuses text after a closed flow mapping; rapidyaml takes it
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "- 1\n- 2\n",
        "a: |\n  yes\n",
        "a: -.5\n",
        "a: .NaN\n",
        "a: '0.5e3'\nb: .5e3\n",  # the quoted text is remembered; the plain one is rewritten by rapidyaml
        "a: nan\n",
        "a: [1, 2\n",  # a syntax error (rapidyaml's message must not reach stderr)
        "a: 1\n---\nb: 2\n",
        "\ufeffa: 1\n",
        "a: caf\u00e9\n",
        "a:\tb\n",
        "a: " + "[" * 60 + "]" * 60 + "\n",
    ],
)
def test_the_fast_parse_declines_what_it_cannot_vouch_for(text, capfd):
    with fastyaml.quiet_stderr():
        with pytest.raises(fastyaml.Unsure):
            fastyaml.fast_value(text)
    assert capfd.readouterr().err == ""


def test_outside_quiet_stderr_everything_goes_the_careful_way():
    with pytest.raises(fastyaml.Unsure):
        fastyaml.fast_value("a: 1\n")


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.yaml")))
def test_hostile_corpus(name):
    data = (HOSTILE / name).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    assert_agrees(text)
    # Through the loader too: the same findings at the same places.
    with fastyaml.quiet_stderr():
        fast = validate_file("people", "x", parse_file("people/x.yaml", data))
    careful = validate_file("people", "x", parse_yaml(text, "people/x.yaml"))
    assert fast[2] == careful[2] and fast[0] == careful[0]


def _vouched(text: str) -> bool:
    with fastyaml.quiet_stderr():
        try:
            fastyaml.fast_value(text)
        except Unsure:
            return False
    return True


def _declines(text: str) -> dict:
    raise fastyaml.Unsure


def test_example_and_generated_workspaces_go_the_fast_way_and_check_the_same(tmp_path, monkeypatch):
    from ppmcli.analysis.checks import run_checks

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path / "ws", projects=40, people=20, seed=3)
    as_of = dt.date(2026, 6, 1)
    for root in (ACME, tmp_path / "ws"):
        source = FileSource(root)
        paths, _ = source.files()
        texts = [source.read(path).decode() for path in paths]  # type: ignore[union-attr]
        fast = sum(assert_agrees(text) for text in texts)
        assert fast >= len(paths) * 0.8
        # rapidyaml places every path of these files: composing them again is the exception.
        located = [assert_located(text, marks_of(text)) for text in texts if _vouched(text)]
        assert all(located) and sum(located) >= 10 * len(located)
        workspace, findings = load(FileSource(root))
        findings += run_checks(workspace, as_of)
        with monkeypatch.context() as patch:
            patch.setattr(fastyaml, "fast_value", _declines)
            careful_ws, careful_findings = load(FileSource(root))
            careful_findings += run_checks(careful_ws, as_of)
        assert findings and findings == careful_findings and workspace == careful_ws


def test_without_rapidyaml_every_file_goes_the_careful_way(monkeypatch):
    monkeypatch.setattr(fastyaml, "ryml", None)
    with fastyaml.quiet_stderr():
        value, positions, findings = fastyaml.parse_text("a: 2026-01-05\n", "people/a.yaml")
    assert value == {"a": dt.date(2026, 1, 5)} and positions.filled and findings == []
    workspace, findings = load(FileSource(ACME))
    assert workspace.projects and all(p.filled for p in workspace.positions.values())


def test_positions_are_found_only_when_asked(monkeypatch):
    with fastyaml.quiet_stderr():
        value, positions, findings = fastyaml.parse_text("# x\nname: A\nrole: dev\n", "people/a.yaml")
    assert not positions.filled and positions.has_key(("role",)) and not positions.has_key(("team",)) and not positions.filled
    # One path is found by rapidyaml, without composing the file.
    assert positions.key(("role",)).line == 3 and positions.value(("role", "x")).column == 7 and not positions.filled
    assert (positions.key(("team", 0)).line, positions.key(("team", 0)).column) == (2, 1)


def _positions_by_both_ways(text: str) -> tuple[Positions, Positions]:
    with fastyaml.quiet_stderr():
        fast = fastyaml.parse_text(text, "p/a.yaml")[1]
    return fast, parse_yaml(text, "p/a.yaml")[1]


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nteam:\n  - {person: x, fte: 0.5}\n  -   person: y\n      fte: 1\n'q k': quoted\n2026: plain\nyes: bool\n",
        "s:\n- - 'x'\n  - [1, {k: v}]\n-\n  - z\nm: {a: [b, c]}\n",
        "e: []\nf: {}\ng:\ni: ~\n",  # empty values and collections: the locator is unsure, libyaml answers
        "a:   # a comment before the value\n  - 1\nb:\n  - # a comment after the dash\n    2\n",
    ],
)
def test_the_locator_and_the_composer_place_every_path_alike(text):
    fast, careful = _positions_by_both_ways(text)
    assert not fast.filled
    for path in [*careful.marks, ("a", "zz"), ("team", 5), ("team", True, "fte"), (2026,), ("2026",), (True,), ("yes",), ("s", 0, 1, "k")]:
        assert fast.value(path) == careful.value(path), path
        assert fast.key(path) == careful.key(path), path
        assert fast.has_key(path) == careful.has_key(path), path


def test_an_unsure_locator_hands_over_to_the_composer():
    fast, careful = _positions_by_both_ways("a: []\nb: 1\n")
    assert fast.value(("a",)) == careful.value(("a",)) and fast.filled
    with pytest.raises(Unsure):
        fastmarks.locate("a: []\n", ("a",))


def _unusual_by_hand(text: str) -> bool:
    """The screen written plainly: a character class, substrings, and a stack of brackets."""
    if not text.isascii() or fastyaml._UNUSUAL_CHARACTER.search(text) or any(pair in text for pair in ("--", "\n.", "-.", "+.", ":,", ":]", ":}")) or text.startswith("."):
        return True
    if fastyaml._COLON_STARTS_NODE.search(text):
        return True
    stack: list[str] = []
    for index, char in enumerate(text):
        blank_line = char == "\n" and text[index + 1 :].lstrip(" ").startswith("\n")
        if (char == "#" or blank_line) and stack:
            return True
        if char == "\n" and stack:  # a line break inside a flow collection: after `,`, `[`, `{` or in a value only
            line = text[text.rfind("\n", 0, index) + 1 : index]
            fragment = line[max(line.rfind(","), line.rfind("["), line.rfind("{")) + 1 :].strip(" ")
            if fragment and ": " not in fragment:
                return True
        if char in "[{":
            # An opener after the line's indentation, `[`, `{`, `,`, or `: ` / `- ` (blanks aside); else inside a plain scalar (`0[0`, `a {b`).
            head = text[:index].rstrip(" \t")
            gap = len(head) < index
            ok = not head or head[-1] in "\n\r[{," or (gap and head[-1] == ":") or (gap and head[-1] == "-" and (len(head) == 1 or head[-2] in " \t\n\r"))
            if not ok:
                return True
            stack.append(char)
        elif char in "]}" and (not stack or stack.pop() != {"]": "[", "}": "{"}[char]):
            return True
    if bool(stack) or fastyaml._AFTER_FLOW.search(text) is not None:
        return True
    # A quoted scalar's quote, blanks, then a `-` entry indicator on the same line.
    for index, char in enumerate(text):
        if char in "'\"":
            rest = text[index + 1 :].split("\n", 1)[0]
            if rest.startswith(" ") and rest.lstrip(" ").startswith("-") and rest.lstrip(" ")[1:2] in ("", " "):
                return True
    return False


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab:-[]{},'\"#?&|\\ \t\n01.e+_~yn\xe9\x00\x7f", max_size=60))
def test_the_screen_is_the_plain_one(text):
    fast = not text.isascii() or fastyaml.unusual(text, text.encode("ascii"))
    assert fast == _unusual_by_hand(text), text


@pytest.mark.parametrize("text", ['tags:\n  - "opex"  - "finance"\n', "a {b: }\n", "k: x [y]\n", "risks:\n  - {name: a, i\n     owner: b}\n", "k: [a,\n  b\n  : c]\n", "k: {'a\n  b': c}\n", "0[0: ]", "k: a{b: ]\n", "{a\n\n}", "{:0}", "k: [:0]\n", "{a: :0}", "k: [a,\n  :0]\n", "k: {a:}\n", "k: [a:]\n", "k: {a:, b: 1}\n", "k: [a:, b]\n", "k: {a: [b:]}\n", "k: [x::]\n", "team:\n  - {person: tamika, fte:}\n"])
def test_colons_libyaml_refuses_go_the_careful_way(text):
    # libyaml refuses these, or reads them otherwise ({a\n\n}: rapidyaml kept the line break in the key); placing a finding then crashed.
    assert not assert_agrees(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="a:-[]{}, \n0'\"", max_size=16))
def test_fast_parse_on_dense_flow_and_colons(text):
    # The characters where rapidyaml and libyaml have disagreed ({a:}, [:x], {a\n\n}), densely.
    assert_agrees(text)


def test_bracket_pairing_stops_past_the_deepest_nesting_allowed():
    # One pass per level would make a hostile file of 40,000 nested brackets cost seconds; past MAX_DEPTH the
    # brackets are left for the careful way, which reports the nesting.
    from ppmcli.load.fastyaml import _paired, unusual
    from ppmcli.load.yamlpos import MAX_DEPTH

    assert _paired(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) == b""
    deep = MAX_DEPTH + 5
    assert _paired(b"[" * deep + b"]" * deep) != b""
    text = "a: " + "[" * 40_000 + "]" * 40_000 + "\n"
    assert unusual(text, text.encode())
