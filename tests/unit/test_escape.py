"""The escapers of render.escape: no string, however hostile, makes a live construct in its format."""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console
from rich.text import Text

from ppmcli.load.table import unguard
from ppmcli.render import escape
from ppmcli.render.output import Output
from ppmcli.render.table import Column, Table, render as render_table

# What breaks out of each format, mixed with ordinary text and any other character.
HOSTILE = "<>[]()!@#|`*_~$&;:,=+-%'\"\\/{} \t\n\r\x1b\x9b\x07\x00\x7f\u202e\u2028\u061c\u00a0\u3000\U000e0041\U0001f600.wWhtps0123456789aZé"
# A few characters densely, so runs such as ':::' or '\\|' come up.
DENSE = ":#[]|\\`<>@_*-=\n\x1b "
TEXTS = st.one_of(st.text(alphabet=HOSTILE, max_size=40), st.text(alphabet=DENSE, max_size=12), st.text(max_size=20))
PAYLOADS = [
    "<!-- hide the rest",
    "</details><script>alert(1)</script>",
    "![beacon](https://evil.example/t.png)",
    "[click](javascript:alert(1))",
    "<https://evil.example>",
    "https://evil.example/x www.evil.example",
    "@org/team please look",
    "fixes #1 and owner/repo#2",
    "# Heading",
    "```\nfenced\n```",
    "`code`",
    "**bold** _em_ ~~gone~~",
    "a | b | c",
    "line\nbreak\r\n- item",
    "\\| escaped pipe",
    "$\\color{red}{x}$",
    "\n::set-output name=x::y",
    "::add-mask::secret",
    ":::add-mask:::secret ###[x]",
    "##[add-mask]secret",
    "\x1b]0;title\x07\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x9b31mred",
    "[link=https://evil.example]x[/link] [/x] [bold]b",
    "=cmd|' /C calc'!A0",
    "'=already quoted",
    "GH-42 21b18811b042e9f3354609ab5fdae3570d7d9d93 ::error::x",
    "%%{init: {'theme':'dark'}}%%",
    "a; b: #c <br/> \"q\"",
]
ALL = st.one_of(TEXTS, st.sampled_from(PAYLOADS))

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
ZWJ = "\u200d"


def visible(text: str) -> str:
    """What a reader should see of a user string on one line: breaks as spaces, control characters as codes."""
    flat = re.sub("\r\n|[\r\n\x85\u2028\u2029]", " ", text)
    return re.sub("[\x00-\x1f\x7f-\x9f\u061c\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]", lambda m: escape._code(m.group()), flat)


def visible_code(text: str) -> str:
    """What a reader should see of an id or a path: every control character, a line break too, as its code."""
    return re.sub("[\x00-\x1f\x7f-\x9f\u061c\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]", lambda m: escape._code(m.group()), text)


def inline(source: str) -> list:
    tokens = MD.parse(source)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], source
    return [child for child in tokens[1].children if child.type != "text" or child.content]


# ---------------------------------------------------------------- Markdown


@settings(max_examples=400)
@given(ALL)
def test_markdown_text_is_only_text(text: str) -> None:
    escaped = escape.markdown(text)
    assert "\n" not in escaped and "\r" not in escaped
    children = inline(f"a {escaped} b")
    assert {child.type for child in children} <= {"text"}, children
    # It reads as the user's characters (the zero-width joiners aside).
    # (The user's own joiners are compared the same way: invisible either way.)
    shown = html.unescape(MD.render(f"a {escaped} b"))[3:-5].replace(ZWJ, "")
    assert shown == f"a {visible(text).strip(' ')} b".replace(ZWJ, "")
    # Nothing GitHub links on its own: mentions, references (#1, GH-1, a commit id), bare links; no workflow command.
    assert not re.search(r"@[^\W_]|#[^\W_]|[A-Za-z0-9]://|\bwww\.|\b[Gg][Hh]-\d|::", escaped)
    assert not any(re.search("[0-9]", run) and re.search("[a-fA-F]", run) for run in re.findall(r"\b[0-9a-fA-F]{7,40}\b", escaped))


@settings(max_examples=300)
@given(ALL)
def test_markdown_text_opens_no_block_at_a_line_start_nor_in_a_list_heading_or_bold(text: str) -> None:
    escaped = escape.markdown(text)
    if escaped:
        assert {t.type for t in MD.parse(escaped)} <= {"paragraph_open", "inline", "paragraph_close"}
    for source, wrapper in ((f"- {escaped} x", {"bullet_list_open", "list_item_open", "paragraph_open", "inline", "paragraph_close", "list_item_close", "bullet_list_close"}), (f"## {escaped} x", {"heading_open", "inline", "heading_close"})):
        tokens = MD.parse(source)
        assert {t.type for t in tokens} <= wrapper
        assert all({c.type for c in t.children} <= {"text"} for t in tokens if t.type == "inline")
    children = inline(f"**x {escaped} x**")
    assert [c.type for c in children] == ["strong_open", "text", "strong_close"]


def cells_of(source: str) -> list[int]:
    """Cells per row of a Markdown table."""
    counts, count = [], 0
    for token in MD.parse(source):
        if token.type in ("th_open", "td_open"):
            count += 1
        elif token.type == "tr_close":
            counts.append(count)
            count = 0
    return counts


def pipes_are_escaped(text: str) -> bool:
    """GitHub's rule: a '|' is a cell's text only after an odd number of backslashes."""
    return all(len(match.group(1)) % 2 == 1 for match in re.finditer(r"(\\*)\|", text))


@settings(max_examples=300)
@given(ALL, ALL)
def test_markdown_table_rows_keep_their_cells(first: str, second: str) -> None:
    row = f"| {escape.markdown(first)} | {escape.markdown_code(second, table=True)} | {escape.markdown_code(first, table=True)} |"
    assert cells_of(f"| a | b | c |\n|---|---|---|\n{row}\n") == [3, 3]
    assert pipes_are_escaped(row[1:-1].replace(" | ", " "))


@settings(max_examples=300)
@given(ALL)
def test_markdown_code_is_one_code_span_of_the_text(text: str) -> None:
    assume("##[" not in text)  # given as `markdown` text: see below
    span = escape.markdown_code(text)
    children = inline(f"a {span} b")
    assert [c.type for c in children] == ["text", "code_inline", "text"], (span, children)
    content = children[1].content
    assert content.strip(" ") == visible_code(text).strip(" ")


@settings(max_examples=300)
@given(ALL)
def test_markdown_code_never_holds_a_legacy_workflow_command(text: str) -> None:
    # A CI log printing the comment runs '##[' wherever it stands, and a code span shows it as written.
    assert "##[" not in escape.markdown_code("##[" + text) and "##[" not in escape.markdown_code(text, table=True)
    assert escape.markdown_code("##[error]review passed") == "##\\[error\\]review passed"


def test_markdown_leaves_ordinary_names_as_they_are() -> None:
    for name in ("Platform & Infrastructure", "acme-crm", "data_lake_v2", "Go-live (phase 2), 'beta'", "Ünïcode — ok…", "R&D / 2027"):
        assert escape.markdown(name) == name
    assert escape.markdown("a | b") == "a \\| b"
    assert escape.markdown("<!-- x") == "&lt;!-- x"
    assert escape.markdown("@team") == "@\u200dteam"
    assert escape.markdown("see GH-12, 21b1881 and ::error::x") == "see GH-\u200d12, 21b188\u200d1 and :\u200d:error:\u200d:x"
    assert escape.markdown("deadbeef 2026001 needs 4000000") == "deadbeef 2026001 needs 4000000"  # words and numbers stay
    assert escape.markdown_code("a`b") == "``a`b``"


# ---------------------------------------------------------------- GitHub workflow commands


def runner_decode(value: str, props: bool) -> str:
    """How the Actions runner decodes a value (the %25 last)."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if props else [])
    for code, char in pairs + [("%25", "%")]:
        value = value.replace(code, char)
    return value


@settings(max_examples=400)
@given(ALL, ALL)
def test_annotation_is_one_command_with_the_properties_and_message_given(path: str, message: str) -> None:
    line = f"::error file={escape.annotation_property(path)},title={escape.annotation_property(message)}::{escape.annotation_data(message)}"
    assert "\n" not in line and "\r" not in line
    # The runner: command info up to the first '::' after the start, properties split at ',' then the first '='.
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2 :]
    name, properties = info.split(" ", 1)
    assert name == "error"
    pairs = [item.split("=", 1) for item in properties.split(",")]
    assert [key for key, _ in pairs] == ["file", "title"]
    # Line breaks travel %-encoded; any other control character is shown as text (`\x1b`), never sent.
    assert [runner_decode(value, True) for _, value in pairs] == [shown(path, "\r\n"), shown(message, "\r\n")]
    assert runner_decode(data, False) == shown(message, "\r\n")


def written(point: int) -> str:
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def shown(text: str, kept: str) -> str:
    """`text` with each control character but those `kept` written as `\\x..`, `\\u....` or `\\U........`, as a reader sees it."""
    controls = "[\x00-\x1f\x7f-\x9f\u061c\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]"
    return re.sub(controls, lambda m: m.group() if m.group() in kept else written(ord(m.group())), text)


# ---------------------------------------------------------------- CSV


@settings(max_examples=400)
@given(ALL)
def test_csv_text_never_starts_a_formula_and_reads_back(text: str) -> None:
    cell = escape.csv_text(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (csv_shown(text), "'" + csv_shown(text))
    assert unguard(cell) == csv_shown(text)  # `ppm import csv` takes off exactly the guard: `'=x` comes back as `'=x`
    out = io.StringIO()
    csv.writer(out).writerow([cell, "x"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [cell, "x"]
    # Printed in a CI log, no line of it is a GitHub workflow command.
    assert not any(line.lstrip().startswith("::") for line in re.split("[\r\n]", out.getvalue())) and "##[" not in out.getvalue()


def csv_shown(text: str) -> str:
    """`shown`, then each line's opening "::" (blanks aside) and each "##[" with its first character as `\\x3a`, `\\x23`."""
    lines = re.split("(\r\n|\r|\n)", shown(text, "\t\r\n"))
    for index in range(0, len(lines), 2):
        line = lines[index]
        blanks = len(line) - len(line.lstrip())  # every Unicode blank, as the runner trims them
        if line[blanks:].startswith("::"):
            lines[index] = line[:blanks] + "\\x3a" + line[blanks + 1 :]
    joined = "".join(lines)
    while "##[" in joined:
        at = joined.index("##[")
        joined = joined[:at] + "\\x23" + joined[at + 1 :]
    return joined


def test_json_text_escapes_what_a_log_would_act_on_and_reads_back() -> None:
    import json

    text = json.dumps({"name": "##[error]x \u202e\x9b\u2028 ###[ ok \U000e0041\U000e007f \U0001f600"}, ensure_ascii=False)
    safe = escape.json_text(text)
    assert json.loads(safe) == json.loads(text) and "##[" not in safe and not re.search("[\x7f-\x9f\u2028\u202e\U000e0000-\U000e007f]", safe) and "\U0001f600" in safe
    assert escape.json_text('{"a": "plain"}') == '{"a": "plain"}'


# ---------------------------------------------------------------- terminal


@settings(max_examples=400)
@given(ALL)
def test_terminal_text_has_no_control_character_and_rich_prints_it_literally(text: str) -> None:
    shown = escape.terminal(text)
    assert not any(unicodedata.category(char) == "Cc" or char in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f" or 0xE0000 <= ord(char) <= 0xE007F for char in shown)
    assert "::" not in shown and "##[" not in shown
    console = Console(file=io.StringIO(), width=10_000, color_system="standard", force_terminal=True, highlight=False)
    console.print(Text(shown), soft_wrap=True, end="")
    assert console.file.getvalue() == shown
    if text.isprintable() and "::" not in text and "##[" not in text:
        assert shown == text


def test_rich_tables_print_markup_and_escapes_in_user_text_literally() -> None:
    name = "[link=https://evil.example]k[/link] [/x] [bold]b\x1b]0;title\x07"
    table = Table([Column("name")], [(name,)], title=name, footer=(name,))
    out = render_table(table, Output("text", color=True, width=300))
    shown = "[link=https://evil.example]k[/link] [/x] [bold]b\\x1b]0;title\\x07"
    assert out.count(shown) == 3 and "\x1b]" not in out and "\x1b]8" not in out


# ---------------------------------------------------------------- HTML and Mermaid


@settings(max_examples=300)
@given(ALL)
def test_html_text_opens_nothing_and_reads_back(text: str) -> None:
    for quote in (True, False):
        escaped = escape.html_text(text, quote=quote)
        # Control characters (a bidi override reorders what a reader sees) read back as their codes.
        assert "<" not in escaped and ">" not in escaped and html.unescape(escaped) == visible_code(text)
        assert not re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;)", escaped)
    assert '"' not in escape.html_text(text) and "'" not in escape.html_text(text)


@settings(max_examples=300)
@given(ALL)
def test_spreadsheet_text_is_one_element_and_excel_reads_it_back(text: str) -> None:
    from xml.etree import ElementTree

    read = "".join(ElementTree.fromstring(f"<t>{escape.spreadsheet_text(text)}</t>".encode()).itertext())
    decoded = re.sub("_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match.group(1), 16)), read)  # as Excel decodes, left to right
    assert decoded == text


@settings(max_examples=400)
@given(ALL)
def test_mermaid_text_is_one_line_of_plain_characters(text: str) -> None:
    escaped = escape.mermaid(text)
    bare = re.sub(r"#\d+;", "", escaped)
    assert not set(bare) & set("#:;%<>&\"'`{}[]\\\n\r")
    assert not re.search("[\x00-\x1f]", escaped)
    assert re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), escaped) == re.sub("[\x00-\x1f\x7f-\x9f\u061c\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f]", " ", text).strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS), max_size=4))
def test_check_lines_escape_every_path_and_message_as_each_alone(texts):
    from ppmcli.core.findings import Finding, Severity
    from ppmcli.render.findings import as_text

    findings = [Finding(path, 3, 7, Severity.WARNING, "stale-status", message) for path, message in texts]
    one_by_one = "".join(f"{escape.terminal(f.path)}:3:7: warning: {escape.terminal(f.message)} [stale-status]\n" for f in findings)
    assert as_text(findings) == one_by_one


def test_csv_text_neutralizes_a_command_after_any_blank() -> None:
    # The runner trims every Unicode blank from a line's start: a no-break space before '::' forged a warning.
    assert escape.csv_text("\u00a0::warning title=forged::x") == "\u00a0\\x3a:warning title=forged::x"
    assert escape.csv_text("x\n\u3000::error::y") == "x\n\u3000\\x3a:error::y"
    assert escape.csv_text("a::b") == "a::b"  # inside a line, '::' is no command


def test_bytes_that_are_not_utf_8_are_shown_as_those_bytes() -> None:
    # An argument of bytes that are not UTF-8 reaches Python as lone surrogates: printed, they read '\udcff' (or fail).
    text = b"a\xff\xfeb".decode("utf-8", "surrogateescape")
    assert escape.terminal(text) == "a\\xff\\xfeb"
    assert escape.markdown(text) == "a\\\\xff\\\\xfeb" and escape.csv_text(text) == "a\\xff\\xfeb"
    assert escape.html_text(text) == "a\\xff\\xfeb"
