"""A YAML syntax error as the `yaml-syntax` finding a person can act on: what is wrong and how to fix it.

libyaml says what its parser expected ("mapping values are not allowed in this context"); the common mistakes
behind those words (a ': ' inside a value, a missing ':', a tab, an unclosed quote or bracket, a misaligned list
item) are told apart here from the error's marks, the text around them and the tokens PyYAML's Python scanner
reads before the error. Where the cause cannot be told for sure, libyaml's words stay and the likely fix follows
as a hint. Only a file that failed to parse comes here, so none of this costs a valid file anything.
"""

from __future__ import annotations

import functools
import re
import typing
from typing import Any

import yaml
from yaml.reader import Reader
from yaml.scanner import Scanner
from yaml.tokens import (
    BlockEntryToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
    KeyToken,
    ScalarToken,
    Token,
    ValueToken,
)

from ppmcli.core.errors import counted
from ppmcli.core.findings import Finding, Location, cut, quote

# The Python scanner reads 100 to 300 KB a second: past this many characters before the error, it is not
# asked for its tokens, and the messages that need them keep libyaml's words with their hint.
MAX_SCANNED = 50_000
# The characters it may read in one load, across its files (`new_load`): a branch of thousands of broken files must not
# cost minutes (a file scanned to MAX_SCANNED takes a tenth of a second or more); past it, messages keep libyaml's words.
MAX_SCANNED_PER_LOAD = 1_000_000
_scanned = [0]  # read so far in this load (each process of a parallel load counts its own)


def new_load() -> None:
    """A load starts: the scanner may read MAX_SCANNED_PER_LOAD characters again."""
    _scanned[0] = 0
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
def _before_comment(text: str) -> str:
    """`text` up to a comment: a '#' after a blank. Found with `str.find`: a pattern of blanks before '#' took time
    growing with the square of a line of blanks (a 4 MiB line of spaces, hours)."""
    at = text.find("#")
    while at != -1 and (at == 0 or text[at - 1] not in " \t"):
        at = text.find("#", at + 1)
    return text if at == -1 else text[:at]


_NO_SPACE = re.compile(r"([^\s:#'\"\[\]{},]+):([^\s:].*)$")  # `phase:execution`: a key glued to its value
_FIRST_WORD = re.compile(r"[^\s:#]+")
_LOWER_WORD = re.compile(r"[a-z_][a-z0-9_-]*$")
_ITEM_PREFIX = re.compile(r"^[ ]*(?:-[ ]+)*")  # indentation and the `- ` of list items before a line's first key


class _Scanner(Reader, Scanner):
    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)


def syntax_finding(exc: yaml.MarkedYAMLError, text: str, path: str) -> Finding:
    """The `yaml-syntax` finding of a text libyaml refused with `exc`."""
    line, column, message = _Explained(exc, text).explain()
    return Finding.at(Location(path, line + 1, column + 1), "yaml-syntax", message)


def reader_mark(text: str, position: int) -> tuple[int, int]:
    """0-based (line, column) of the character libyaml's reader refused at `position` (a byte offset into `text` as UTF-8),
    as its other marks give them (YAML's line breaks; a byte order mark not counted in the columns)."""
    position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "replace"))
    breaks = list(_BREAK.finditer(text, 0, position))
    if breaks:
        return len(breaks), position - breaks[-1].end()
    return 0, position - text.startswith("\ufeff")


def libyaml_words(exc: yaml.MarkedYAMLError) -> str:
    """libyaml's own words: its problem, with what it was doing in brackets."""
    problem = exc.problem or exc.context or "invalid YAML"
    return f"{problem} ({exc.context})" if exc.context and exc.problem else problem


def _quoted(value: str) -> str:
    """`value` as a YAML quoted scalar: in double quotes unless it holds one or a backslash, else in single quotes."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


@functools.cache
def field_names() -> frozenset[str]:
    """Every field name format version 1 defines, of any kind and at any depth (`budget`, `fte`, `health`, …)."""
    from pydantic import BaseModel

    from ppmcli.core.model import KIND_MODELS

    names: set[str] = set()
    seen: set[type] = set()

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            for name, field in annotation.model_fields.items():
                if not (field.alias or "").startswith("__"):
                    names.add(field.alias or name)
                visit(field.annotation)
        for argument in typing.get_args(annotation):
            visit(argument)

    for model in KIND_MODELS.values():
        visit(model)
    return frozenset(names)


class _Explained:
    """One syntax error and the text it was found in (0-based lines and columns, as libyaml's marks)."""

    def __init__(self, exc: yaml.MarkedYAMLError, text: str) -> None:
        self.exc = exc
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        self.words = libyaml_words(exc)
        # libyaml counts neither a byte order mark in its columns nor its indices.
        self.text = text[1:] if text.startswith("\ufeff") else text
        self.lines = _BREAK.split(self.text)
        mark = exc.problem_mark or exc.context_mark
        self.at = (mark.line, mark.column) if mark is not None else (0, 0)
        self.index = mark.index if mark is not None else 0
        self.opened = (exc.context_mark.line, exc.context_mark.column) if exc.context_mark is not None else None

    # The text around the error.

    def line(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def char(self, where: tuple[int, int]) -> str:
        text = self.line(where[0])
        return text[where[1]] if 0 <= where[1] < len(text) else ""

    def indent(self, number: int) -> int:
        text = self.line(number)
        return len(text) - len(text.lstrip(" "))

    def rest(self, where: tuple[int, int], flow: bool = False) -> str:
        """The text of a line from `where` up to its comment (in a flow collection, up to the next `,`, `]` or `}`)."""
        text = _before_comment(self.line(where[0])[where[1] :]).rstrip()
        if flow:
            text = re.split(r"[,\]}]", text, maxsplit=1)[0].rstrip()
        return text

    def at_end(self) -> bool:
        """Whether nothing but blanks and comments follows the error's place."""
        rest = [self.line(self.at[0])[self.at[1] :], *self.lines[self.at[0] + 1 :]]
        return all(not part.strip() or part.lstrip().startswith("#") for part in rest)

    @functools.cached_property
    def tokens(self) -> list[Token]:
        """The tokens PyYAML's Python scanner reads before the error's place (none where that is too far in)."""
        # Up to the error's line's end, a thousand characters at most: a line of megabytes is not scanned whole.
        scanned = self.text[: self.index + min(len(self.line(self.at[0])) + 1, 1_000)]
        if self.index > MAX_SCANNED or _scanned[0] + len(scanned) > MAX_SCANNED_PER_LOAD:
            return []
        _scanned[0] += len(scanned)
        tokens: list[Token] = []
        try:
            scanner = _Scanner(scanned)
            try:
                while scanner.check_token():
                    tokens.append(scanner.get_token())
            except yaml.YAMLError:
                pass
            tokens.extend(scanner.tokens)
        except yaml.YAMLError:
            return []
        return [token for token in tokens if token.start_mark.index < self.index]

    # The explanations, most specific first.

    def explain(self) -> tuple[int, int, str]:
        for explain in (self.tab, self.reserved, self.alias, self.quote, self.escape, self.document, self.flow, self.mapping_value, self.no_colon, self.block):
            found = explain()
            if found is not None:
                return found
        if "end of stream" in self.problem and self.opened is not None:
            return (*self.opened, self.words)  # the end of the file is no place to fix: where the unfinished node began is
        return (*self.at, self.words)

    def tab(self) -> tuple[int, int, str] | None:
        if "tab character" in self.problem or (self.problem.startswith("found character that cannot start") and self.char(self.at) == "\t"):
            return (*self.at, "indent with spaces, not tabs")
        return None

    def reserved(self) -> tuple[int, int, str] | None:
        """A plain value starting with a character YAML keeps for itself: `@`, a backtick or `%`."""
        char = self.char(self.at)
        if not self.problem.startswith("found character that cannot start") or char not in ("@", "`", "%"):
            return None
        return (*self.at, f"a value cannot start with {quote(char)}; put it in quotes: {self.quoted_fix(self.at)}")

    def alias(self) -> tuple[int, int, str] | None:
        """`*text`: YAML reads an alias of an anchor `&text` that the file does not define."""
        if self.problem == "found undefined alias":
            start = self.at
        elif self.context == "while scanning an alias" and self.opened is not None:
            start = self.opened
        else:
            return None
        return (*start, f"a value starting with '*' is read as a reference to an anchor ('&name'); put it in quotes: {self.quoted_fix(start)}")

    def quote(self) -> tuple[int, int, str] | None:
        """A quote never closed (the file ends inside it), or text after a closing quote."""
        if self.context == "while scanning a quoted scalar" and "end of stream" in self.problem and self.opened is not None:
            char = self.char(self.opened)
            # libyaml notices at the end of the file: the finding points where the value opened, the value at fault.
            return (*self.opened, f"this opening {char} is never closed; end the value with a closing {char}")
        if not self.problem.startswith(("did not find expected key", "did not find expected ',' or")) or not self.tokens:
            return None
        last = self.tokens[-1]
        if not isinstance(last, ScalarToken) or last.style not in ("'", '"'):
            return None
        char = last.style
        opened = last.start_mark
        if opened.line != last.end_mark.line:
            return (*self.at, f"the {char} opened on line {opened.line + 1} closes only here, on line {last.end_mark.line + 1}; end its value with a closing {char} on line {opened.line + 1}")
        if char == "'":
            return (*self.at, "text after the closing ' of a quoted value; write '' for a ' inside '…', or put the value in \"…\"")
        return (*self.at, "text after the closing \" of a quoted value; write \\\" for a \" inside \"…\", or put the value in '…'")

    def escape(self) -> tuple[int, int, str] | None:
        if not self.problem.startswith("found unknown escape character"):
            return None
        escape = self.line(self.at[0])[self.at[1] : self.at[1] + 2]
        return (*self.at, f"{quote(escape)} is not an escape inside \"…\"; write \\\\ for a backslash, or put the value in '…'")

    def document(self) -> tuple[int, int, str] | None:
        if self.problem == "did not find expected <document start>":
            first = next((n for n, text in enumerate(self.lines) if text.strip() and not text.lstrip().startswith("#")), 0)
            if first < self.at[0] and self.at[1] < self.indent(first) and re.match(r"[^-\s][^:#]*:(\s|$)", self.line(first).lstrip()):
                name = self.key_name(first, self.indent(first))
                return (*self.at, f"this line is indented less than {quote(name)}, the first key of the file; start the keys at the top of a file at its first column")
            return None
        if self.context != "expected a single document in the stream":
            return None
        return (*self.at, "a second YAML document starts here, and a ppm file holds one; remove the '---' line and what follows it, or move that to a file of its own")

    def flow(self) -> tuple[int, int, str] | None:
        """In `[…]` or `{…}`: a bracket never closed, a ': ' inside a value, or what libyaml says with a hint."""
        if not self.problem.startswith("did not find expected ',' or") or self.opened is None:
            return None
        opener, closer = ("[", "]") if self.problem.endswith("']'") else ("{", "}")
        what = "list" if opener == "[" else "mapping"
        later = self.at[0] > self.opened[0] and self.indent(self.at[0]) <= self.indent(self.opened[0])
        if self.char(self.opened) == opener and (self.at_end() or later):
            # Where libyaml gave up is past the collection; the bracket that opened it is the one to close.
            return (*self.opened, f"this {quote(opener)} is never closed; end its {what} with {quote(closer)}")
        if self.char(self.at) == ":":
            found = self.colon_in_value(flow=True)
            if found is not None:
                return found
        return (*self.at, f"{self.words}; separate the entries of {opener}…{closer} with ', ' and put a value holding ': ' in quotes")

    def colon_in_value(self, flow: bool = False) -> tuple[int, int, str] | None:
        """`note: Blocked: waiting`: the value before the error's ':' began on its line, after a key's ': '."""
        tokens = self.tokens
        if len(tokens) < 2 or not isinstance(tokens[-1], ScalarToken) or tokens[-1].style is not None or not isinstance(tokens[-2], ValueToken):
            return None
        value = tokens[-1].start_mark
        if value.line != self.at[0]:
            return None
        where = "at the end of" if self.char((self.at[0], self.at[1] + 1)) == "" else "inside"
        colon = "':'" if where == "at the end of" else "': '"
        message = f"a {colon} {where} a value starts a new key; put the value in quotes: {self.quoted_fix((value.line, value.column), flow)}"
        before = self.line(self.at[0])[value.column : self.at[1]].rstrip()
        if flow and " " in before and _LOWER_WORD.match(before.rsplit(" ", 1)[1]):
            message += f", or put a ',' before {quote(before.rsplit(' ', 1)[1])} if it starts the next entry"
        return (*self.at, message)

    def in_flow(self) -> bool:
        """Whether the error's place is inside a `[…]` or `{…}`."""
        level = 0
        for token in self.tokens:
            if isinstance(token, (FlowSequenceStartToken, FlowMappingStartToken)):
                level += 1
            elif isinstance(token, (FlowSequenceEndToken, FlowMappingEndToken)):
                level -= 1
        return level > 0

    def quoted_fix(self, value: tuple[int, int], flow: bool | None = None) -> str:
        """The value at `value` in quotes, after its key where the key is on its line: `note: "Blocked: waiting"`."""
        text = self.line(value[0])
        tokens = self.tokens
        key = ""
        colons = [n for n, token in enumerate(tokens) if isinstance(token, ValueToken) and token.start_mark.line == value[0] and token.start_mark.column < value[1]]
        if colons and colons[-1] >= 1 and isinstance(tokens[colons[-1] - 1], ScalarToken):
            start, colon = tokens[colons[-1] - 1].start_mark, tokens[colons[-1]].start_mark
            if start.line == value[0] and not text[colon.column + 1 : value[1]].strip():
                key = text[start.column : value[1]]
        # Each part cut before it is quoted: the fix keeps its closing quote, as it is to be copied.
        return cut(key, 30) + _quoted(cut(self.rest(value, self.in_flow() if flow is None else flow), 60))

    def mapping_value(self) -> tuple[int, int, str] | None:
        """A ': ' where no key may start: inside a value, or after a line that was meant as a key of its own."""
        if not self.problem.startswith("mapping values are not allowed") or self.char(self.at) != ":":
            return None
        found = self.colon_in_value()
        if found is not None:
            return found
        tokens = self.tokens
        if not tokens or not isinstance(tokens[-1], ScalarToken) or tokens[-1].style is not None:
            return (*self.at, f"{self.words}; a ': ' inside a value starts a new key: put that value in quotes")
        value = tokens[-1].start_mark
        first = self.indent(self.at[0])
        key = self.line(self.at[0])[first : self.at[1]].strip()
        if value.line < self.at[0] and value.column == first and not (len(tokens) > 1 and isinstance(tokens[-2], ValueToken) and tokens[-2].start_mark.line == value.line):
            # The value began on an earlier line, as far in as this line's key: that line was meant as a key too.
            return self.keyless((value.line, value.column))
        if value.line < self.at[0] and len(tokens) > 2 and isinstance(tokens[-2], ValueToken) and isinstance(tokens[-3], ScalarToken):
            above = tokens[-3].start_mark
            if above.line == value.line and first > above.column:
                name = self.line(above.line)[above.column : tokens[-2].start_mark.column]
                return (*self.at, f"{quote(key)} is indented deeper than {quote(name)} on line {above.line + 1}, so it goes on with that value; indent it as far as {quote(name)}, or put the value in quotes if the line belongs to it")
        return (*self.at, f"{self.words}; a ': ' inside a value starts a new key: put that value in quotes")

    def no_colon(self) -> tuple[int, int, str] | None:
        if not self.problem.startswith("could not find expected ':'") or self.opened is None:
            return None
        # libyaml notices on the next line; the key without its ':' is where the context points.
        return self.keyless(self.opened)

    def keyless(self, start: tuple[int, int]) -> tuple[int, int, str]:
        """A line meant as `key: value` that has no ': ' (it starts at `start`)."""
        text = self.rest(start)
        glued = _NO_SPACE.match(text)
        if glued is not None:
            key, value = glued.groups()
            return (start[0], start[1] + len(key), f"missing space after ':' in {quote(text)}; write {cut(key + ': ' + value)}")
        word = _FIRST_WORD.match(text)
        if word is not None and word.group() in field_names():
            return (*start, f"missing ':' after {quote(word.group())}")
        return (*start, f"could not find expected ':' in {quote(text)}; write ':' after its key, or indent the line deeper if it goes on with the value above")

    def block(self) -> tuple[int, int, str] | None:
        """An entry of a block mapping or list that is not where its neighbours are."""
        if not self.problem.startswith(("did not find expected key", "did not find expected '-' indicator")) or self.opened is None:
            return None
        char, column = self.char(self.at), self.at[1]
        listed = "'-' indicator" in self.problem  # the collection at `opened` is a list; else a mapping
        if char in ("]", "}"):
            return (*self.at, f"a {quote(char)} that closes nothing; remove it, or add the {quote('[' if char == ']' else '{')} it closes")
        if char == "-" and self.char((self.at[0], column + 1)) in (" ", ""):
            if not listed and column == self.opened[1]:
                return (*self.at, "a '- ' list item among the keys of a mapping; put it under the key it belongs to, indented deeper than that key")
            entries = [token.start_mark for token in self.tokens if isinstance(token, BlockEntryToken) and token.start_mark.column not in (column, self.opened[1] if not listed else -1)]
            if entries:
                other = entries[-1]
                return (*self.at, f"this list item is indented {counted(column, 'space')} but the one on line {other.line + 1} is indented {counted(other.column, 'space')}; indent the items of one list alike")
            return (*self.at, f"{self.words}; indent the items of one list alike")
        if column != self.indent(self.at[0]):
            return (*self.at, self.words)
        name = self.key_name(self.at[0], column)
        keys = [token.start_mark for token in self.tokens if isinstance(token, KeyToken) and self.first_key(token.start_mark.line) == token.start_mark.column]
        if listed:
            dash = self.opened[1]
            item = [token.start_mark for token in self.tokens if isinstance(token, BlockEntryToken) and token.start_mark.column == dash]
            inside = [mark for mark in keys if item and mark.line == item[-1].line and mark.column > dash]
            if not inside:
                return (*self.at, f"{self.words}; start each item of a list with '- ', and indent the keys of an item alike")
            key = inside[-1]
            first = self.key_name(key.line, key.column)
            if column == dash:
                return (*self.at, f"{quote(name)} is indented as far as the '- ' on line {item[-1].line + 1}; indent it as far as {quote(first)} to keep it in that item, or start a new item with '- '")
            return (*self.at, f"{quote(name)} is indented {counted(column, 'space')} but {quote(first)} on line {key.line + 1} is indented {counted(key.column, 'space')}; indent the keys of one item alike")
        deeper = [mark for mark in keys if mark.column > column]
        if deeper:
            key = deeper[-1]
            return (*self.at, f"{quote(name)} is indented {counted(column, 'space')} but {quote(self.key_name(key.line, key.column))} on line {key.line + 1} is indented {counted(key.column, 'space')}; indent the keys of one mapping alike")
        return (*self.at, f"{self.words}; indent the keys of one mapping alike")

    def first_key(self, line: int) -> int:
        """The column where a line's first key may start: after its indentation and the `- ` of its list items."""
        found = _ITEM_PREFIX.match(self.line(line))
        return found.end() if found is not None else 0

    def key_name(self, line: int, column: int) -> str:
        found = re.match(r"[^:#]*?(?=:(?:\s|$))", self.line(line)[column:])
        return cut(found.group().strip() if found else self.line(line)[column:].strip())
