"""Hostile names in every output: a workspace whose ids, names, tags, notes, goals, roles, currency and organisation
carry Markdown, HTML, terminal, workflow-command, CSV and Mermaid payloads; every command in every format prints them as text."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import run_ppm, write_tree

AS_OF = "2026-11-25"
PAYLOAD = (
    " <!-- x </details> <img src=x onerror=alert(1)> ![i](https://e.x/t.png) [l](javascript:alert(1)) <https://e.x> @org/team #1"
    " ``` | a | \x1b]8;;https://e.x\x07L\x1b]8;;\x07 \x1b]0;title\x07 \x9b31m [link=https://e.x]k[/link] [/x] [bold]b"
    " ::add-mask::s ##[add-mask]s %%{init}%% _e_ *b* $m$ a;b:c\n::warning::forged\r\n# H\n- item"
)
# A project id is its file name: most of the payload fits in one.
HOSTILE_ID = "=1+1 <b>@team #1 [x](y) `c` |p| \\| ::add-mask::s ##[x] %%"


def q(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted string


def hostile_files(budget: int = 300_000) -> dict[str, str]:
    files = {
        "ppm.yaml": (
            f"name: {q('=Org' + PAYLOAD)}\ncurrency: {q('<b>EUR</b>' + PAYLOAD)}\n"
            f"goals:\n  growth: {{name: {q('@Goal' + PAYLOAD)}, weight: 3}}\n"
            "scoring:\n  default: value\n  models:\n    value:\n      type: weighted\n      criteria:\n"
            "        alignment: {weight: 30}\n        financial_value: {weight: 25, scale: [1, 5]}\n"
        ),
        "portfolios/pf.yaml": f"name: {q('+Portfolio' + PAYLOAD)}\nowner: ann\nbudget: 5000000\n",
        "programs/pg.yaml": f"name: {q('-Program' + PAYLOAD)}\nportfolio: pf\n",
        "people/ann.yaml": f"name: {q('=Ann' + PAYLOAD)}\nrole: {q('@role' + PAYLOAD)}\ncost_rate: 500\n",
        "people/bob.yaml": f"name: {q('Bob' + PAYLOAD)}\nrole: {q('@role' + PAYLOAD)}\ncost_rate: 500\n",
    }
    ids = [HOSTILE_ID, "plain"]
    for index, pid in enumerate(ids):
        depends = f"depends_on: [{q(ids[1])}]\n" if index == 0 else ""
        files[f"projects/{pid}.yaml"] = (
            f"name: {q(f'=Name{index}' + PAYLOAD)}\nprogram: pg\nmanager: ann\nphase: execution\n"
            f"start: 2026-01-05\nend: 2026-12-18\nbudget: {budget + index * 100_000}\nbenefits: 500000\n"
            f"goals: {{growth: 1.0}}\nscores: {{financial_value: {2 + index}}}\n"
            f"tags: [{q('+tag' + PAYLOAD)}, '@t2']\n{depends}"
            f"team:\n  - {{person: ann, fte: 0.8}}\n  - {{person: bob, fte: 0.6}}\n  - {{role: {q('@role' + PAYLOAD)}, fte: 1}}\n"
            f"risks:\n  - {{name: {q('-Risk' + PAYLOAD)}, probability: 0.5, impact: 100000, owner: ann}}\n"
            f"milestones:\n  - {{name: {q('=Milestone' + PAYLOAD)}, date: 2026-12-01}}\n"
            "status:\n  - date: 2026-11-01\n    health: red\n    percent_complete: 30\n"
            f"    actual_cost: 200000\n    forecast_cost: 900000\n    note: {q('@note' + PAYLOAD)}\n"
        )
    return files


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return write_tree(tmp_path_factory.mktemp("hostile") / "ws", hostile_files())


TABLES = ("text", "plain", "markdown", "csv", "json")
COMMANDS = [
    *[(("check",), fmt) for fmt in ("text", "json", "github")],
    *[(("score",), fmt) for fmt in TABLES],
    *[(("score", "--explain", HOSTILE_ID), fmt) for fmt in ("text", "plain", "markdown", "csv", "json")],
    *[(("prioritize", "--budget", "350000"), fmt) for fmt in TABLES],
    *[(("prioritize", "--budget", "350000", "--method", "optimal", "--compare", "greedy"), fmt) for fmt in TABLES],
    *[(("prioritize", "--frontier"), fmt) for fmt in TABLES],
    *[(("report",), fmt) for fmt in (*TABLES, "html")],
    *[(("report", "--by", by), fmt) for by in ("program", "goal", "tag") for fmt in ("plain", "markdown", "csv")],
    *[(("report", "--trend", HOSTILE_ID), fmt) for fmt in TABLES],
    *[(("capacity",), fmt) for fmt in TABLES],
    *[(("conflicts", "--suggest"), fmt) for fmt in TABLES],
    *[(("roadmap",), fmt) for fmt in ("text", "plain", "markdown", "json")],
    *[(("plan", "--budget", "350000"), fmt) for fmt in TABLES],
    *[(("status", HOSTILE_ID), fmt) for fmt in ("text", "plain", "markdown", "json")],
]

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# No control character but the line break; no bidi override.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def assert_terminal_safe(out: str) -> None:
    assert not CONTROL.search(out), CONTROL.search(out)
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    assert "##[" not in out


def assert_markdown_safe(out: str) -> None:
    assert not CONTROL.search(out)
    assert "##[" not in out  # a CI log printing the comment would run it, in a code span too
    tokens = MD.parse(out)
    spans = [child.content for token in tokens if token.type == "inline" for child in token.children if child.type == "code_inline"]
    assert out.count("<") == sum(span.count("<") for span in spans)  # a '<' only inside a code span, where it is text
    for token in tokens:
        assert token.type not in ("html_block", "code_block", "hr", "blockquote_open", "ordered_list_open"), token
        assert token.type != "fence" or token.info == "mermaid", token
        if token.type == "fence":
            assert_mermaid_safe(token.content)
        if token.type == "inline":
            kinds = {child.type for child in token.children}
            assert not kinds & {"html_inline", "image", "link_open", "s_open", "em_open"}, (kinds, token.content)
            # GitHub links mentions, references and bare URLs in text (not in code spans).
            for child in token.children:
                assert child.type != "text" or not re.search(r"@[^\W_]|#[^\W_]|[A-Za-z0-9]://|\bwww\.", child.content), child.content
    headings = [tokens[i + 1].content for i, token in enumerate(tokens) if token.type == "heading_open"]
    assert not any(text.startswith(("H", "item")) for text in headings), headings
    # GitHub splits table rows at each '|' after an even number of backslashes: every row keeps its header's cells.
    for block in re.findall(r"(?:^\|.*\n?)+", out, flags=re.M):
        rows = [len(re.findall(r"(?<!\\)(?:\\\\)*\|", line)) for line in block.splitlines()]
        assert len(set(rows)) == 1, block


MERMAID_KEYWORDS = re.compile(r"gantt|    (dateFormat YYYY-MM-DD|axisFormat %Y-%m|inclusiveEndDates|todayMarker off)")
MERMAID_TASK = re.compile(r"    (?P<name>[^:]+) :((crit|done|active|milestone), )*\d{4}-\d{2}-\d{2}, (\d{4}-\d{2}-\d{2}|0d)")


def assert_mermaid_safe(block: str) -> None:
    """Every line of the gantt block is a keyword, a title or section, or a task: user text holds no Mermaid syntax."""
    for line in block.splitlines():
        if MERMAID_KEYWORDS.fullmatch(line):
            continue
        found = re.fullmatch(r"    (title|section) (?P<name>.*)", line) or MERMAID_TASK.fullmatch(line)
        assert found, line
        assert not set(re.sub(r"#\d+;", "", found.group("name"))) & set("#:;%<>&\"'`{}[]\\"), line


def assert_csv_safe(out: str) -> None:
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", out), "a control character a terminal would run"
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len({len(row) for row in rows}) == 1, "a user string split a row"
    for row in rows:
        for cell in row:
            if cell and not re.fullmatch(r"-?\d+(\.\d+)?", cell):
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def assert_html_safe(out: str) -> None:
    assert "default-src 'none'" in out
    # No control character from user text, in the page or its data (plotly's own code, in the bare <script>s, aside).
    page = re.sub("[\t\n]", " ", re.sub(r"<script>.*?</script>", "", out, flags=re.S))
    assert not CONTROL.search(page), CONTROL.search(page)
    for raw in ("<!-- x", "</details>", "<img", "<b>", "<https://e.x"):
        assert raw not in out


def assert_annotations_safe(out: str) -> None:
    for line in out.splitlines():
        assert re.match(r"::(error|warning) file=[^:,]*,line=\d+,col=\d+,title=[a-z-]+::", line), line
        assert "\r" not in line and not CONTROL.search(line), line


@pytest.mark.parametrize(("args", "fmt"), COMMANDS, ids=[f"{' '.join(a)}-{f}" for a, f in COMMANDS])
def test_hostile_names_are_text_in_every_format(hostile, tmp_path, args, fmt):
    dashboard = tmp_path / "dashboard.html"
    code, out, err = run_ppm("-C", hostile, "--as-of", AS_OF, "--format", fmt, *args, *(("-o", dashboard) if fmt == "html" else ()))
    if fmt == "html":
        out = dashboard.read_text(encoding="utf-8")
    assert code in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err and out
    assert_terminal_safe(err)
    {"markdown": assert_markdown_safe, "csv": assert_csv_safe, "html": assert_html_safe, "github": assert_annotations_safe, "json": json.loads}.get(fmt, assert_terminal_safe)(out)
    if fmt == "plain" and args == ("report",):
        assert "[link=https://e.x]k[/link] [/x] [bold]b" in out  # rich markup printed as it was written


def test_diff_comment_of_a_hostile_change_is_text(git_repo):
    path, commit = git_repo
    write_tree(path / "ws", hostile_files())
    commit("base")
    files = hostile_files(budget=45_000_000)
    files["projects/" + HOSTILE_ID + ".yaml"] = files["projects/" + HOSTILE_ID + ".yaml"].replace("'@t2'", q("@t3" + PAYLOAD))
    write_tree(path / "ws", files)
    for fmt, check in (("markdown", assert_markdown_safe), ("text", assert_terminal_safe), ("plain", assert_terminal_safe), ("json", json.loads)):
        code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "--format", fmt, "diff", "HEAD", "--budget", "800000")
        assert code == 0, err
        check(out)
    assert "45,000,000" in out or "45000000" in out


def test_added_removed_and_renamed_ids_with_control_characters_are_text_in_the_diff(git_repo):
    # A file name may hold a newline that would start a workflow command in a CI log, and terminal escapes:
    # such a file is not read (no id holds one), and the findings that say so name it escaped.
    forged = "x\n::error title=Forged::injected\x1b]0;TITLE\x07"
    path, commit = git_repo
    files = hostile_files()
    write_tree(path / "ws", {**files, f"projects/{forged}-gone.yaml": files["projects/" + HOSTILE_ID + ".yaml"], f"projects/{forged}-old.yaml": files["projects/" + HOSTILE_ID + ".yaml"]})
    commit("base")
    (path / "ws" / "projects" / f"{forged}-gone.yaml").unlink()
    (path / "ws" / "projects" / f"{forged}-old.yaml").rename(path / "ws" / "projects" / f"{forged}-new.yaml")
    write_tree(path / "ws", {f"projects/{forged}-added.yaml": files["projects/" + HOSTILE_ID + ".yaml"]})
    for fmt in ("text", "plain"):
        code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "--format", fmt, "diff", "HEAD")
        assert code == 0, err
        assert_terminal_safe(out)
        assert "2 new errors" in out and "file name holds a control character" in out  # the new and the added file
        assert "x\\x0a\\x3a:error title=Forged" in out


def test_a_huge_diff_comment_is_cut_under_60000_characters_at_a_whole_line(git_repo):
    path, commit = git_repo
    name = "Long hostile name | <!-- @team " * 8

    def workspace(budget: int, suffix: str) -> dict[str, str]:
        files = {"ppm.yaml": hostile_files()["ppm.yaml"], "people/ann.yaml": "name: Ann\nrole: dev\n", "portfolios/pf.yaml": "name: P\nowner: ann\n"}
        for index in range(300):
            files[f"projects/p{index:03}.yaml"] = (
                f"name: {q(name + suffix + str(index))}\nportfolio: pf\nmanager: ann\nphase: planning\nstart: 2026-01-05\nend: 2026-12-18\n"
                f"budget: {budget + index}\nscores: {{financial_value: {1 + index % 5}}}\n"
            )
        return files

    write_tree(path / "ws", workspace(100_000, "a"))
    commit("base")
    write_tree(path / "ws", workspace(200_000, "b"))
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "--format", "markdown", "diff", "HEAD", "--budget", "5000000")
    assert code == 0, err
    assert 50_000 < len(out) <= 60_000
    *body, last = out.rstrip("\n").split("\n")
    found = re.fullmatch(r"… ([\d,]+) more changes(?: and [\d,]+ field changes)? left out \(the comment is limited to 60,000 characters\); run `ppm diff` against `[0-9a-f]+` locally for all\.", last)
    assert found and body[-1] == "", last
    shown = sum(1 for line in body if line.startswith("- project"))
    assert shown + int(found.group(1).replace(",", "")) >= 300 and shown < 300
    assert_markdown_safe(out)


def test_a_comment_cut_inside_one_changed_file_counts_the_field_changes_left_out(git_repo):
    path, commit = git_repo
    write_tree(path / "ws", hostile_files())
    commit("base")
    files = hostile_files()
    milestones = "".join(f"  - {{name: m{index}{'y' * 100}, date: 2026-06-01}}\n" for index in range(2000))
    files["projects/plain.yaml"] = files["projects/plain.yaml"].replace("milestones:\n", "milestones:\n" + milestones)
    write_tree(path / "ws", files)
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "--format", "markdown", "diff", "HEAD")
    assert code == 0, err
    last = out.rstrip("\n").split("\n")[-1]
    found = re.fullmatch(r"… (?:[\d,]+ more changes? and )?([\d,]+) field changes left out \(the comment is limited to 60,000 characters\).*", last)
    shown = sum(1 for line in out.splitlines() if line.startswith("  - "))
    assert found and shown + int(found.group(1).replace(",", "")) >= 2000, last


def test_a_huge_changed_value_is_shown_cut(git_repo):
    path, commit = git_repo
    write_tree(path / "ws", hostile_files())
    commit("base")
    files = hostile_files()
    tags = ", ".join(q(f"{index}" + "<x>|" * 250) for index in range(500))  # half a megabyte of tags
    files["projects/plain.yaml"] = files["projects/plain.yaml"].replace("tags: [", f"tags: [{tags}, ")
    write_tree(path / "ws", files)
    for fmt in ("markdown", "plain"):
        code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "--format", fmt, "diff", "HEAD")
        assert code == 0, err
        line = next(line for line in out.splitlines() if "tags" in line)
        assert "…" in line and len(line) < 3_000 and len(out) < 20_000


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("args", [("score",), ("prioritize", "--budget", "350000"), ("report",), ("report", "--trend", "plain"), ("capacity",), ("conflicts", "--suggest"), ("roadmap",), ("check",)])
def test_a_colour_terminal_gets_only_ppm_colours(hostile, args, monkeypatch):
    import contextlib

    from ppmcli.__main__ import main

    monkeypatch.delenv("NO_COLOR", raising=False)
    out, err = _Terminal(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-C", str(hostile), "--as-of", AS_OF, *args])
    text = out.getvalue()
    assert code in (0, 1) and "Traceback" not in err.getvalue()
    assert "\x1b[" in text  # coloured: the test would pass vacuously otherwise
    assert_terminal_safe(re.sub(r"\x1b\[[0-9;]*m", "", text))  # the only escape sequences are ppm's colours


@pytest.mark.parametrize("fmt", TABLES)
def test_hostile_scenario_names_are_text_in_every_format(tmp_path, fmt):
    files = {**hostile_files(), "scenarios/cut.yaml": f"name: {q('=Cut' + PAYLOAD)}\ndescription: {q('@d' + PAYLOAD)}\nplan:\n  budget: 350000\n  stop: [{q(HOSTILE_ID)}]\n"}
    code, out, err = run_ppm("-C", write_tree(tmp_path / "ws", files), "--as-of", AS_OF, "--format", fmt, "scenarios")
    assert code in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err and "Cut" in out
    assert_terminal_safe(err)
    {"markdown": assert_markdown_safe, "csv": assert_csv_safe, "json": json.loads}.get(fmt, assert_terminal_safe)(out)


def test_hostile_names_are_text_cells_in_the_workbook(hostile, tmp_path):
    import zipfile
    from xml.etree import ElementTree

    path = tmp_path / "hostile.xlsx"
    code, _, err = run_ppm("-C", hostile, "--as-of", AS_OF, "export", "xlsx", "-o", path)
    assert code == 0, err
    archive = zipfile.ZipFile(path)
    for name in archive.namelist():
        ElementTree.fromstring(archive.read(name))  # every part well-formed: no payload breaks out of its element
    # Shared strings as Excel reads them (`_xHHHH_` decoded): every name exactly as written, control characters included.
    table = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    texts = {re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), "".join(item.itertext())) for item in table}
    assert {"=Name0" + PAYLOAD, "=Name1" + PAYLOAD, HOSTILE_ID, "+tag" + PAYLOAD + "; @t2"} <= texts
    assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()  # no formula anywhere


def test_a_hostile_criterion_name_is_text_in_the_csv_header(tmp_path):
    # `export csv` wrote `scores.NAME` headers raw: a criterion name could forge a workflow command or send an escape.
    name = "x\n::error file=README.md::FORGED\n=1+1\x1b]0;T\x07 | `c` #1"
    files = hostile_files()
    files["ppm.yaml"] = files["ppm.yaml"].replace("        financial_value: {weight: 25, scale: [1, 5]}\n", f"        financial_value: {{weight: 25, scale: [1, 5]}}\n        {q(name)}: {{weight: 5, scale: [1, 5]}}\n")
    files["projects/plain.yaml"] = files["projects/plain.yaml"].replace("scores: {financial_value: 3}", f"scores: {{financial_value: 3, {q(name)}: 2}}")
    ws = write_tree(tmp_path / "ws", files)
    code, out, err = run_ppm("-C", ws, "--as-of", AS_OF, "export", "csv")
    assert code == 0, err
    assert_csv_safe(out)
    assert not any(line.lstrip().startswith("::") for line in out.splitlines()) and "\x1b" not in out
    header = next(csv.reader(io.StringIO(out, newline="")))
    assert header[-1] == "scores.x\n\\x3a:error file=README.md::FORGED\n=1+1\\x1b]0;T\\x07 | `c` #1"
