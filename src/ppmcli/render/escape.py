"""One escaper per output format: a user string in, text its reader shows literally out.

Everything read from a workspace is hostile (names, ids, file names, tags,
notes, settings such as the currency, model and goal names, messages quoting
them). Renderers pass every such string through the escaper of their format,
once, and never put user text into markup any other way. Each escaper leaves
ordinary text (letters, digits, spaces, `-` `.` `,` `(` `)` `'` `&` `/`) as it is,
so everyday names read the same in every format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from ppmcli.core.errors import CONTROL_CHARACTERS
from ppmcli.core.spreadsheet import FORMULA_START

# An escaper: a user string in, the text to write out.
Escaper = Callable[[str], str]

# ---------------------------------------------------------------- terminal and plain text

_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
# A GitHub runner reads any output line that starts with '::' (after blanks) as a
# workflow command, and a legacy '##[' command anywhere in a line.
_WORKFLOW = re.compile(r":(?=:)|#(?=#\[)")


def _code(char: str) -> str:
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # a byte that is not UTF-8 (an argument, a file name), as Python keeps it: shown as that byte
        return f"\\x{point - 0xDC00:02x}"
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def terminal(text: str) -> str:
    """A user string for a terminal, plain text or a CI log.

    Guarantees: no control character reaches the output (C0 including tab, CR and
    LF, DEL, C1, Unicode line separators and bidi overrides are shown as `\\x1b`,
    `\\u202e`), so no escape sequence (colours, OSC title or hyperlink, cursor
    moves) and no line break comes from user text; no `::` or `##[` either (a `:`
    before a `:`, a `#` before `#[` is shown as `\\x3a`, `\\x23`), so a CI log line cannot
    become a GitHub workflow command. Rich markup is not this function's
    business: callers hand rich a `Text`, never a markup string.
    """
    if text.isprintable() and "::" not in text and "##[" not in text:
        return text  # the common case, fast
    text = _CONTROL.sub(lambda match: _code(match.group()), text)
    return _WORKFLOW.sub(lambda match: _code(match.group()), text)


# ---------------------------------------------------------------- Markdown (GitHub comments)

_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# Punctuation that opens Markdown inline syntax wherever it stands: code, emphasis, math,
# strikethrough, links and images, table cells; and the backslash, so a user's
# backslash cannot escape ours.
_MD_ALWAYS = re.compile(r"([\\`*~$\[\]|])")
# '_' opens emphasis only at a word's edge: snake_case ids stay as they are.
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# '&' starts an entity only before '#' or a name and ';' (so "R&D" stays); '<' and '>' open HTML, comments and autolinks.
_MD_HTML = re.compile(r"&(?=#|[A-Za-z0-9]+;)|[<>]")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# GitHub links '@name' (a mention that notifies), '#123' and 'owner/repo#123' (a cross-reference),
# bare 'www.' and 'scheme://' (live links): a zero-width joiner breaks each and stays invisible.
_ZWJ = "\u200d"
_MD_AUTOLINK = re.compile(r"(?<=[@#])(?=[^\W_])|(?<=[A-Za-z0-9])(?=://)|(?<=\b[Ww]{3})(?=\.)")
# GitHub also links `GH-123` to an issue and a run of 7 to 40 hex digits to a commit (one of letters and digits both:
# a plain number is no commit GitHub links, and a word of a-f is English); `::` opens a workflow command at a line's
# start in a CI log, and a renderer may put a name there. Each is broken by zero-width joiners (a commit id in runs of
# six: a joiner may count as a word's edge, and seven hex digits after one would be an id again).
_MD_REFERENCE = re.compile(r"(?<=\b[Gg][Hh]-)(?=\d)|(?<=:)(?=:)")
_MD_COMMIT = re.compile(r"\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,40}\b")
# A line that starts with one of these opens a block (heading, quote, list, rule, setext heading).
_MD_BLOCK_START = re.compile(r"^(#{1,6}(?=[ \t]|$)|[-+=](?=[ \t]|$|[-=])|\d{1,9}(?=[.)]))")


def markdown(text: str) -> str:
    """A user string for GitHub Markdown text: a table cell, a list item, a heading, a line.

    Guarantees: the string renders as its own characters, on one line, and opens
    nothing: line breaks become spaces, blanks at the ends are dropped; control characters are shown as `\\x1b`;
    `\\` `` ` `` `*` `~` `$` `[` `]` `|` (and `_` at a word's edge) are backslash-escaped,
    so no code span or fence, emphasis, link, image or extra table cell; `<`, `>`
    and an `&` that could start an entity are entity-encoded, so no HTML, comment,
    `</details>` or autolink; `@name`, `#123`, `GH-123`, a commit id (7 to 40 hex digits, letters and digits
    both), `www.`, `scheme://` and `::` get a zero-width joiner, so no mention, issue or commit reference, bare
    link or workflow command in a CI log; a leading `#`, `-`, `+`,
    `=` or `1.` is escaped, so no heading, list or rule even at a line's start.
    """
    # Blanks at the ends would indent a line into a code block; a cell drops them anyway.
    text = _CONTROL.sub(lambda match: _code(match.group()), _LINE_BREAKS.sub(" ", text)).strip(" ")
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    text = _MD_HTML.sub(lambda match: _MD_ENTITIES[match.group()[0]], text)
    text = _MD_REFERENCE.sub(_ZWJ, _MD_AUTOLINK.sub(_ZWJ, text))
    text = _MD_COMMIT.sub(lambda match: _ZWJ.join(match[0][at : at + 6] for at in range(0, len(match[0]), 6)), text)
    return _MD_BLOCK_START.sub(_block_start, text, count=1)


def _block_start(match: re.Match[str]) -> str:
    found = match.group()
    return found + "\\" if found[0].isdigit() else "\\" + found


def markdown_code(text: str, *, table: bool = False) -> str:
    """A user string as a Markdown code span (an id, a path), shown exactly.

    Guarantees: what `markdown` guarantees. Inside a code span nothing is
    markup, so the span's fence is one backtick longer than any run of backticks
    in the text. In a table (`table=True`) a `|` is written `\\|`; GitHub reads a
    backslash before that as escaping the backslash, so a text holding a
    backslash and a pipe is given as `markdown` text instead of a code span; so is a text holding `##[`, which a
    CI log printing the comment would read as a workflow command wherever it stands (a code span shows every
    character as written: no escape can break it there).
    """
    # An id or a path is shown exactly: a line break in it is its code, as the terminal shows it (prose folds it to a space).
    text = _CONTROL.sub(lambda match: "".join(map(_code, match.group())), text)
    if "##[" in text:
        return markdown(text)
    if table and "|" in text:
        if "\\" in text:
            return markdown(text)
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# ---------------------------------------------------------------- GitHub workflow commands


def annotation_data(text: str) -> str:
    """A user string as the message of a workflow command (`::error …::MESSAGE`).

    Guarantees: `%`, CR and LF are written %25, %0D and %0A (the runner decodes
    them), so the message stays on its command's line and no second command can
    start; what follows the command's `::` is data, never read as properties.
    Any other control character (an escape sequence for the log's terminal) is
    shown as `\x1b`, as `terminal` shows it.
    """
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text if text.isprintable() else _CONTROL.sub(lambda match: _code(match.group()), text)


def annotation_property(text: str) -> str:
    """A user string as a workflow command's property value (`file=…`, `title=…`).

    Guarantees: what `annotation_data` guarantees, and `:` and `,` are written
    %3A and %2C, so a value can neither end the properties (`::`) nor add one.
    """
    return annotation_data(text).replace(":", "%3A").replace(",", "%2C")


# ---------------------------------------------------------------- CSV

_CSV_CONTROL = re.compile(f"(?![\t\r\n])[{CONTROL_CHARACTERS}]")  # the terminal's, but the breaks a quoted cell may hold
# A quoted cell may hold a line break, and a CSV printed in a CI log shows each of its lines: a ':' that would open a
# line with '::' (a cell's start, or after a break, blanks aside), and a '#' before '#[', would make a workflow command.
# The runner trims every Unicode blank from a line's start (.NET's TrimStart: a no-break space, an ideographic space…).
_CSV_WORKFLOW = re.compile(r"(?:^|(?<=[\r\n]))[^\S\r\n]*:(?=:)|#(?=#\[)")


def _csv_command(match: re.Match[str]) -> str:
    found = match.group()
    return found[:-1] + _code(found[-1])


def csv_text(text: str) -> str:
    """A user string as a CSV text cell (numbers are not passed here: they stay numbers).

    Guarantees: a cell that starts with `=`, `+`, `-`, `@`, tab or CR (which a
    spreadsheet would run as a formula) starts with `'` instead, and so does one
    that starts with quotes before such a character (`'=x` is written `''=x`). Quoting is the
    csv module's (`table.render_csv`): a cell holding a comma, a quote, a CR or
    a LF is quoted, so no user string can end a row or start another. Control
    characters but tab, CR and LF (an escape sequence for a terminal the CSV is
    printed on, a bidi override) are shown as `\x1b`, as `terminal` shows them,
    and so is a `:` that would open a line with `::` and a `#` before `#[`, so no
    line of a CSV printed in a CI log is a GitHub workflow command.
    """
    if not text.isprintable():
        text = _CSV_CONTROL.sub(lambda match: _code(match.group()), text)
    if "::" in text or "##[" in text:
        text = _CSV_WORKFLOW.sub(_csv_command, text)
    # A text that already starts with quotes before such a character gets one more, so an import takes off exactly one.
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


# ---------------------------------------------------------------- HTML


def html_text(text: str, *, quote: bool = True) -> str:
    """A user string as HTML text or a quoted attribute value; `quote=False` for plotly's text (titles, labels), which reads a few tags but not every entity.

    Guarantees: `&`, `<` and `>` (and with `quote`, `"` and `'`) are
    entity-encoded, so no tag, comment, entity or attribute comes from user text;
    control characters (bidi overrides that reorder what a reader sees, NUL, escape sequences) are shown as
    `\u202e`, `\x1b`, as `terminal` shows them.
    """
    if not text.isprintable():
        text = _CONTROL.sub(lambda match: _code(match.group()), text)
    return html.escape(text, quote=quote)


# ---------------------------------------------------------------- spreadsheets (Office Open XML)

# XML's three specials, characters XML 1.0 cannot hold (CR too: XML reads it as a line feed), and text that
# reads as Excel's own `_xHHHH_` escape.
_SPREADSHEET = re.compile("[&<>\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_XML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _spreadsheet_code(match: re.Match[str]) -> str:
    found = match.group()
    if found in _XML_SPECIAL:
        return _XML_SPECIAL[found]
    if len(found) > 1:
        return "_x005F" + found  # the escape's own underscore escaped: it reads back as written
    return f"_x{ord(found):04X}_"


def spreadsheet_text(text: str) -> str:
    """A user string as the text of a workbook's cell (a shared string), shown exactly as written.

    Guarantees: `&`, `<` and `>` are entity-encoded, so no element comes from user text; a
    character XML cannot hold, and CR, is written as Excel's `_xHHHH_` escape, and text that
    reads as such an escape has its underscore escaped, so Excel shows every character back.
    """
    return _SPREADSHEET.sub(_spreadsheet_code, text) if _SPREADSHEET.search(text) else text


# ---------------------------------------------------------------- Mermaid

# Mermaid's gantt lexer ends a name at '#', ':' or ';'; '%%' opens a comment or an
# init directive; '<', '>', '&' and quotes reach its HTML labels; brackets and braces
# are shapes elsewhere in Mermaid. Its entity codes (#58;) survive the lexer and show the character.
_MERMAID = re.compile(r"[#:;%<>&\"'`{}\[\]\\]")


def mermaid(text: str) -> str:
    """A user string for a Mermaid line (a gantt task, section or title), shown as its characters.

    Guarantees: one line (control characters become spaces, the ends are
    trimmed); `#` `:` `;` `%` `<` `>` `&` quotes, backtick, brackets, braces and
    backslash are Mermaid entity codes (`#58;`), so no syntax, directive, comment
    or HTML comes from user text.
    """
    flat = _CONTROL.sub(" ", text).strip()
    return _MERMAID.sub(lambda match: f"#{ord(match.group())};", flat)


# ---------------------------------------------------------------- JSON

# What JSON may carry raw but a terminal or CI log showing it must not: C1 controls, line separators, bidi
# overrides, and a legacy '##[' workflow command. Each is written as a JSON escape (`\u202e`, `#\u0023[`), so a
# parser reads the same strings; outside strings JSON holds none of these characters.
# The C0 controls (below \x20) are the ones JSON escapes itself.
_JSON_UNSAFE = re.compile(f"(?![\x00-\x1f])[{CONTROL_CHARACTERS}]|#(?=#\\[)")


def json_text(text: str) -> str:
    """JSON output as ppm writes it, with the characters above escaped.

    An ASCII text (Python knows without looking) needs two substring searches, a few milliseconds for megabytes;
    only a text with other characters is searched with the expression, ten times slower.
    """
    if text.isascii() and "##[" not in text and "\x7f" not in text:
        return text
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(_json_code, text)


def _json_code(match: re.Match[str]) -> str:
    """JSON's escape of one character: beyond U+FFFF, as JSON writes it, a UTF-16 surrogate pair."""
    point = ord(match.group())
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
