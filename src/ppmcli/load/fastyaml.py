"""The fast way from YAML text to plain values: rapidyaml parses, its JSON emitter and `json` build the values.

rapidyaml (C++) parses a file many times faster than libyaml composes it, but
it follows YAML 1.2, keeps no positions that Python can read, and resolves
aliases itself. So it is given only the files it can be trusted with, and
everything else goes the careful way (`yamlpos`): a file with anything unusual
(anchors, aliases, tags, merge keys, directives, several documents, block
scalars, escapes, tabs, carriage returns, control or non-ASCII characters,
complex keys, reserved indicators, signed floats that start with a dot, .nan
or .inf), a file whose nesting might reach the depth limit, a file whose top
value is not a mapping, a file with a duplicate key, a number the careful way
would refuse, and a file where a scalar the YAML 1.1 rules would read as
something else than text is also written quoted. Every scalar is resolved by
PyYAML's own YAML 1.1 rules, as the careful way does, so both give equal values.

A file parsed here has no findings (the careful way would report none either);
its positions are found on demand, only where a finding points into it: one
path at a time from rapidyaml's offsets (`fastmarks`), or, where those cannot
settle it, by libyaml's composer as the careful way finds them (`yamlpos.marks_of`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
from typing import Any, Iterator

from ppmcli.core.findings import Finding
from ppmcli.core.positions import Positions, Unsure
from ppmcli.load.fastmarks import locate, ryml
from ppmcli.load.yamlpos import MAX_DEPTH, marks_of, parse_yaml, plain_value


# Anything rapidyaml and libyaml might read differently, or that the careful way guards against: anchors,
# aliases, tags, block scalars, reserved indicators, escapes, tabs, carriage returns, control characters,
# directives and merge keys (%, <), complex keys (?) and anything not ASCII; then document markers (--- and
# ...), numbers that rapidyaml rewrites when it emits JSON (-.5 becomes -0.5), and a ':' right before a flow
# indicator (`{a:}`: libyaml refuses it, rapidyaml reads an empty value). A match only sends a file
# the careful way, so these may be broader than what they stand for. The characters are found by deleting
# every other byte (`bytes.translate`, one pass in C); the pairs by substring tests.
_UNUSUAL_CHARACTER = re.compile(r"[&*!|>@`\\\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f%<?]")
# A ':' where a node may start ([:x], {a: :x}, [a, :x], and in block context too, to be safe): libyaml
# refuses a flow scalar that starts with ':', rapidyaml reads it as text.
_COLON_STARTS_NODE = re.compile(r"[\[{,:][ \n]*:")
_USUAL_BYTES = bytes(byte for byte in range(128) if not _UNUSUAL_CHARACTER.match(chr(byte)))
_DASHES = re.compile(r"^ *((?:- +)+)", re.MULTILINE)
# First characters of the plain scalars that YAML 1.1 may read as something else than text (PyYAML's resolver table).
_RISKY_FIRST = frozenset("-+0123456789.yYnNtTfFoO~<=")


class _File:
    """The file being decoded: the JSON decoder's hooks read it."""

    text = ""
    quoted = False
    # rapidyaml may run only while its error messages go nowhere (see `quiet_stderr`).
    enabled = False


_MISSING = object()
# Short texts repeat (dates, numbers): their values, which are immutable, are kept.
_SEEN: dict[str, Any] = {}


def _resolve(text: str) -> Any:
    """The value of a scalar that was (as far as the file shows) written plain, by YAML 1.1's rules.

    Callers skip texts whose first character no YAML 1.1 rule starts with (most of them): a call costs more than the test.
    """
    if text.startswith((".", "-.", "+.")):
        raise Unsure  # rapidyaml writes .nan and .inf for nan, inf, infinity and .NaN, .Inf…, which YAML 1.1 reads otherwise
    value = _SEEN.get(text, _MISSING)
    if value is _MISSING:
        try:
            value = plain_value(text)
        except ValueError:
            raise Unsure from None
        if len(text) <= 32 and len(_SEEN) < 100_000:
            _SEEN[text] = value
    if type(value) is not str and _File.quoted and ("'" + text in _File.text or '"' + text in _File.text):
        raise Unsure  # the same text may be written quoted somewhere: only the careful way knows which is which
    return value


def _resolve_list(items: list[Any]) -> None:
    for index, item in enumerate(items):
        kind = type(item)
        if kind is str:
            if not item or item[0] in _RISKY_FIRST:
                items[index] = _resolve(item)
        elif kind is list:
            _resolve_list(item)


def _mapping(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    value: dict[Any, Any] = {}
    risky = _RISKY_FIRST
    for key, item in pairs:
        kind = type(item)
        if kind is str:
            if not item or item[0] in risky:
                item = _resolve(item)
        elif kind is list:
            _resolve_list(item)
        if not key:
            raise Unsure  # an empty key: libyaml refuses `: x`, rapidyaml takes it
        value[_resolve(key) if key[0] in risky else key] = item
    if len(value) != len(pairs):
        raise Unsure  # a duplicate key: the careful way reports it where it stands
    return value


def _float(text: str) -> Any:
    """A JSON number with a fraction or exponent, by YAML 1.1's rules ("1e3" is text there)."""
    if text.startswith(("0.", "-0.")) and ("e" in text or "E" in text):
        raise Unsure  # rapidyaml writes 0.5e3 for .5e3, which YAML 1.1 reads as text
    value = _SEEN.get(text, _MISSING)
    if value is _MISSING:
        value = plain_value(text)
        if len(text) <= 32 and len(_SEEN) < 100_000:
            _SEEN[text] = value
    return value


def _constant(text: str) -> Any:
    raise Unsure


# A JSON integer is a YAML 1.1 integer of the same value; one too long for Python raises ValueError, as it is refused carefully.
_DECODER = json.JSONDecoder(object_pairs_hook=_mapping, parse_float=_float, parse_int=int, parse_constant=_constant)


# Every byte but brackets and `#` (and line breaks), deleted to see how the brackets pair up.
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}#")
_NOT_BRACKETS_OR_LINES = bytes(byte for byte in range(256) if byte not in b"[]{}#\n")
# A blank line: inside a flow collection it counts as a `#` (rapidyaml folds a scalar before it otherwise).
_BLANK_LINE = re.compile(rb"\n(?= *\n)")


def _paired(marks: bytes) -> bytes:
    """What is left of brackets, `#` and line breaks once empty pairs are removed, pass after pass (innermost first).

    At most MAX_DEPTH + 1 passes: brackets nested deeper are left (the careful way reports them), so a
    hostile file of a million nested brackets costs a few linear passes, not one per level.
    """
    for _ in range(MAX_DEPTH + 1):
        shorter = marks.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(marks):
            break
        marks = shorter
    return marks


def flow_across_lines(data: bytes) -> bool:
    """Whether a flow collection spans lines (or the brackets do not pair up): what is left of brackets, `#` and line
    breaks, once empty pairs are removed, holds a bracket. Most files' collections each fit on a line."""
    return bool(_paired(data.translate(None, _NOT_BRACKETS_OR_LINES)).translate(None, b"#\n"))


def plain_flow(data: bytes, across: bool) -> bool:
    """Whether the text's brackets pair up with no `#` and no blank line inside a flow collection; `across` is
    `flow_across_lines(data)`, which settles most files at once.

    Brackets and `#` in quotes and comments count too. rapidyaml overlooks a
    stray `]`, reads `{a: b #c}` as a mapping where libyaml sees a comment
    that swallows the `}`, and keeps a line break in a flow scalar before a
    blank line (`{a: b\n\n}`). Of the brackets and `#` alone (a blank line
    marked as one), empty pairs are removed pass after pass: brackets that
    pair up with no `#` inside are all gone after as many passes as they nest
    deep. Where no collection spans lines, that look with line breaks kept has already settled it.
    """
    if not across:
        return True
    if b"\n\n" in data or b"\n \n" in data or b"  \n" in data:
        data = _BLANK_LINE.sub(b"\n#", data)
    return not _paired(data.translate(None, _NOT_BRACKETS)).strip(b"#")


def key_across_lines(text: str) -> bool:
    """Whether a line break inside a flow collection may stand in a key (`{a: 1, long\n  key: 2}`): YAML allows
    an implicit key on one line only, and libyaml refuses it where rapidyaml reads "long key". A break right after
    `,`, `[` or `{`, or after a `: ` that starts a value on its line, is safe; any other sends the file the careful
    way (a value continued on the next line too: the screen may be broader than what it stands for). Brackets are
    counted as `plain_flow` counts them, in quotes too. Asked only where a collection spans lines (`flow_across_lines`).
    """
    depth = 0
    for line in text.split("\n"):
        depth += line.count("[") + line.count("{") - line.count("]") - line.count("}")
        if depth > 0:
            fragment = line[max(line.rfind(","), line.rfind("["), line.rfind("{")) + 1 :].strip(" ")
            if fragment and ": " not in fragment:
                return True
    return False


def bracket_in_scalar(text: str) -> bool:
    """Whether a `[` or `{` stands inside a plain scalar (`0[0`, `a {b: }`), where YAML reads it as text, not as an
    opener: the pairing above would pair it with a `]` that libyaml refuses to start a value with (`0[0: ]`), and
    rapidyaml reads as text. An opener starts a node only after a line's indentation, `[`, `{`, `,`, or a `:` or
    `- ` indicator with a blank after it. Found with `str.find` (a regular expression over every file cost a tenth
    of a second per 3,000)."""
    for opener in "[{":
        at = text.find(opener)
        while at != -1:
            before = at - 1
            while before >= 0 and text[before] in " \t":
                before -= 1
            if before >= 0:
                mark = text[before]
                blank = before < at - 1
                if not (mark in "\n\r[{," or mark == ":" and blank or mark == "-" and blank and (before == 0 or text[before - 1] in " \t\n\r")):
                    return True
            at = text.find(opener, at + 1)
    return False


# A quoted scalar then a sequence entry on the same line (`- "a"  - "b"`): libyaml refuses it, rapidyaml reads two items.
_QUOTED_THEN_ENTRY = re.compile(r"""["'] +-(?= |$)""", re.MULTILINE)


# After a flow collection closes, YAML allows only a separator, another closing bracket, a comment or the
# line's end; rapidyaml takes more (`{a: b}  - c` on one line), which libyaml refuses.
_AFTER_FLOW = re.compile(r"[\]}](?! *(?:$|[,\]}]| #))", re.MULTILINE)


def unusual(text: str, data: bytes) -> bool:
    """Whether an ASCII text (`data`, its bytes) holds anything the fast way leaves to the careful way."""
    if (
        bool(data.translate(None, _USUAL_BYTES))
        or "--" in text
        or "\n." in text
        or "-." in text
        or "+." in text
        or ":," in text  # libyaml refuses a ':' right before a flow indicator ({a:}), rapidyaml reads an empty value
        or ":]" in text
        or ":}" in text
        or (":" in text and _COLON_STARTS_NODE.search(text) is not None)
        or text.startswith(".")
    ):
        return True
    across = flow_across_lines(data)
    return (
        not plain_flow(data, across)
        or bracket_in_scalar(text)
        or across and key_across_lines(text)
        or ("'" in text or '"' in text) and _QUOTED_THEN_ENTRY.search(text) is not None
        or _AFTER_FLOW.search(text) is not None
    )


def may_nest_too_deep(text: str) -> bool:
    """Whether a text that passed the screen might nest deeper than MAX_DEPTH.

    Each level of block nesting takes at least one column of indentation, or a
    sequence at its mapping's column (so two levels per column), or one more
    `- ` on a line; each flow level takes a bracket.
    """
    brackets = text.count("[") + text.count("{")
    dashes = max((match.group(1).count("-") for match in _DASHES.finditer(text)), default=0) if "- -" in text else 1
    indent = (MAX_DEPTH - brackets - dashes) // 2 - 1  # the deepest indentation that keeps the bound within MAX_DEPTH
    return indent < 0 or "\n" + " " * (indent + 1) in text


def fast_value(text: str) -> dict[Any, Any]:
    """The plain value of a file's text, equal to the careful way's; raises Unsure when it cannot vouch for it."""
    if not _File.enabled or not text.isascii():
        raise Unsure
    data = text.encode("ascii")
    if may_nest_too_deep(text) or unusual(text, data):  # the cheap bound first
        raise Unsure
    try:
        tree = ryml.parse_in_arena(data)
        if not tree.is_map(tree.root_id()):
            raise Unsure
        emitted = ryml.emit_json(tree)
    except Unsure:
        raise
    except Exception:  # a syntax error, or anything rapidyaml refuses: the careful way says what is wrong
        raise Unsure from None
    _File.text, _File.quoted = text, "'" in text or '"' in text
    try:
        value = _DECODER.decode(emitted)
    except (ValueError, RecursionError):
        raise Unsure from None
    finally:
        _File.text = ""
    if type(value) is not dict:
        raise Unsure
    return value


def parse_text(text: str, path: str) -> tuple[Any, Positions, list[Finding]]:
    """(value, positions, findings) as `yamlpos.parse_yaml` gives them; positions found on demand when the fast way can vouch for the file."""
    try:
        value = fast_value(text)
    except Unsure:
        return parse_yaml(text, path)
    return value, on_demand(path, text, value), []


def on_demand(path: str, text: str, value: dict[Any, Any]) -> Positions:
    """Positions of a file the fast way vouched for (`value` is its value), found when first asked for.

    rapidyaml finds one path at a time (`fastmarks`); where it is unsure, libyaml's composer finds every mark.
    """
    return Positions(path, fill=functools.partial(marks_of, text), locate=functools.partial(locate, text), keys=tuple(value))


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Where the fast way may run: rapidyaml prints its parse errors on the process's stderr before it raises, so they go nowhere meanwhile.

    Without rapidyaml, or where stderr cannot be redirected, every file goes the careful way.
    """
    if ryml is None or _File.enabled:
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
        finally:
            os.close(devnull)
    except OSError:
        os.close(saved)
        yield
        return
    _File.enabled = True
    try:
        yield
    finally:
        _File.enabled = False
        os.dup2(saved, 2)
        os.close(saved)
