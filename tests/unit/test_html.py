"""The HTML dashboard without a browser: the figures of `ppm report --format json`, the CSP, valid plotly figures, escaping, and the errors."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from html.parser import HTMLParser

import pytest

from conftest import ACME
from ppmcli.render.table import format_cell

plotly = pytest.importorskip("plotly", reason="plotly is not installed (pip install 'ppmcli[html]')")

AS_OF = "2026-11-25"


class Page(HTMLParser):
    """Collects the scripts (type and text), the CSP meta, and the figure cells (data-key, data-value, text) per table row."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[str | None, str]] = []
        self.csp: str | None = None
        self.rows: list[dict[str, tuple[str | None, str]]] = []
        self._script: str | None | bool = False
        self._cell: tuple[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp = attrs["content"]
        elif tag == "script":
            self._script, self._text = attrs.get("type"), []
        elif tag == "tr":
            self.rows.append({})
        elif tag == "td" and "data-key" in attrs:
            self._cell, self._text = (attrs["data-key"], attrs.get("data-value")), []

    def handle_data(self, data):
        if self._script is not False or self._cell is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not False:
            self.scripts.append((self._script, "".join(self._text)))  # type: ignore[arg-type]
            self._script = False
        elif tag == "td" and self._cell is not None:
            key, value = self._cell
            self.rows[-1][key] = (value, "".join(self._text))
            self._cell = None


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> tuple[str, Page]:
    from conftest import run_ppm

    path = tmp_path_factory.mktemp("html") / "acme.html"
    code, out, err = run_ppm("report", "-C", ACME, "--as-of", AS_OF, "--by", "program", "--format", "html", "-o", path)
    assert (code, out, err) == (0, "", f"wrote {path}\n")
    text = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    return text, page


def test_embeds_exactly_the_report_json(ppm, acme):
    _, page = acme
    code, out, _ = ppm("report", "-C", ACME, "--as-of", AS_OF, "--by", "program", "--format", "json")
    assert code == 0
    embedded = next(text for kind, text in page.scripts if kind == "application/json" and '"as_of"' in text)
    assert json.loads(embedded) == json.loads(out)


def test_tables_show_the_json_figures(ppm, acme):
    _, page = acme
    data = json.loads(ppm("report", "-C", ACME, "--as-of", AS_OF, "--by", "program", "--format", "json")[1])
    records = data["groups"] + [data["total"]] + data["projects"]
    rows = [row for row in page.rows if "bac" in row]
    assert len(rows) == len(records)
    kinds = {"bac": "money", "eac": "money", "spi": "ratio", "cpi": "ratio", "benefits": "money", "benefits_realized": "money", "risk_exposure": "money", "late_milestones": "int"}
    for row, record in zip(rows, records):
        assert set(kinds) <= set(row)
        for key, kind in kinds.items():
            value, text = row[key]
            assert json.loads(value) == record[key]
            assert text == format_cell(record[key], kind)
        assert row["health"][1].endswith(record["health"])  # symbol and word, not colour alone
    assert rows[len(data["groups"])]["bac"][1] == "6,700,000"  # the total, by hand from STORY.md's reported budgets


def test_csp_forbids_every_request_and_allows_exactly_the_inline_scripts(acme):
    _, page = acme
    assert page.csp is not None and page.csp.startswith("default-src 'none';")
    allowed = set(re.findall(r"'sha256-([^']+)'", page.csp))
    executable = [text for kind, text in page.scripts if kind is None]
    assert len(executable) == 2  # plotly.js and the few lines that draw the figures
    assert {base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() for text in executable} == allowed
    assert "http://" not in page.csp and "https://" not in page.csp


def test_figures_are_valid_plotly_figures(acme):
    import plotly.graph_objects as go

    _, page = acme
    figures = json.loads(next(text for kind, text in page.scripts if kind == "application/json" and '"layout"' in text))
    assert len(figures) >= 6
    for name, figure in figures.items():
        go.Figure(figure)  # raises on an unknown property or a bad value
        assert figure["data"], name


def test_the_page_is_the_same_byte_for_byte(tmp_path, ppm):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for path in (first, second):
        assert ppm("report", "-C", ACME, "--as-of", AS_OF, "--budget", "5000000", "--format", "html", "-o", path)[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_names_are_escaped(make_workspace, ppm, tmp_path):
    evil = "<script>alert(1)</script> & </p>"
    root = make_workspace({
        "portfolios/p.yaml": f"name: '{evil}'\nowner: ann\n",
        "people/ann.yaml": "name: Ann\nrole: pm\n",
        "projects/x.yaml": (
            f"name: '{evil}'\nportfolio: p\nmanager: ann\nphase: execution\nstart: 2026-01-05\nend: 2026-12-18\nbudget: 1000\n"
            "scores: {financial_value: 3, urgency: 3, risk: 3}\n"
            "status:\n  - {date: 2026-11-20, health: red, percent_complete: 50, actual_cost: 400}\n"
        ),
    })
    out = tmp_path / "x.html"
    assert ppm("report", "-C", root, "--as-of", AS_OF, "--format", "html", "-o", out)[0] == 0
    text = out.read_text()
    assert "<script>alert(1)" not in text
    figures = json.loads(re.search(r'<script type="application/json" id="ppm-figures">(.*?)</script>', text, re.S).group(1))
    lanes = figures["chart-roadmap"]["data"][0]["y"][0]
    assert lanes == ["&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/p&gt;"]


def test_headline_attention_and_people(acme):
    text, _ = acme
    headline = re.search(r'<section id="headline".*?</section>', text, re.S).group(0)
    tiles = dict(re.findall(r'data-key="(\w+)"><span class="kpi-value">([^<]*)<', headline))
    # STORY.md's totals as of 2026-11-25: 11 reported projects, alice the one over-allocated person.
    assert tiles == {"projects": "11", "bac": "6,700,000", "eac": "6,888,000", "spi": "0.89", "cpi": "0.97", "benefits_realized": "580,000", "overallocated_people": "1", "late_milestones": "1"}
    item = re.search(r'<li data-project="customer-mobile-app">(.*?)</li>', text).group(1)
    assert item == "▲ amber <strong>Customer mobile app</strong>: reported amber; EAC 1,250,000 over BAC 1,200,000"  # names and figures, not codes
    person = re.search(r'<tr data-person="alice">(.*?)</tr>', text).group(1)
    assert person == (
        '<th scope="row">Alice Chen</th><td>2026-11-02</td><td>2027-01-29</td><td class="num">59</td>'
        '<td class="num">1.20</td><td class="num">1.00</td><td>Customer mobile app, Payments gateway upgrade</td>'
    )


def test_people_and_attention_escape_names(make_workspace, ppm, tmp_path):
    evil = "<b>x</b> & </td>"
    root = make_workspace({
        "portfolios/p.yaml": "name: P\nowner: ann\n",
        "people/ann.yaml": f"name: '{evil}'\nrole: pm\n",
        **{
            f"projects/{pid}.yaml": (
                f"name: '{evil}'\nportfolio: p\nmanager: ann\nphase: execution\nstart: 2026-01-05\nend: 2026-12-18\nbudget: 1000\n"
                "team:\n  - {person: ann, fte: 0.8}\nstatus:\n  - {date: 2026-11-20, health: red, percent_complete: 50, actual_cost: 400}\n"
            )
            for pid in ("x", "y")
        },
    })
    out = tmp_path / "x.html"
    assert ppm("report", "-C", root, "--as-of", AS_OF, "--format", "html", "-o", out)[0] == 0
    text = out.read_text()
    assert "<b>x</b>" not in text
    assert '<th scope="row">&lt;b&gt;x&lt;/b&gt; &amp; &lt;/td&gt;</th>' in text  # the person, in the people section
    assert "<strong>&lt;b&gt;x&lt;/b&gt; &amp; &lt;/td&gt;</strong>: reported red" in text


def test_html_needs_an_output_file(ppm):
    code, out, err = ppm("report", "-C", ACME, "--as-of", AS_OF, "--format", "html")
    assert (code, out) == (2, "")
    assert err == "ppm: error: --format html writes a dashboard file: give -o FILE (and no --trend)\n"


def test_without_plotly_one_sentence_and_exit_2(ppm, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "plotly.offline", None)  # makes `from plotly.offline import …` raise ImportError
    code, out, err = ppm("report", "-C", ACME, "--as-of", AS_OF, "--format", "html", "-o", tmp_path / "x.html")
    assert (code, out) == (2, "")
    assert err == "ppm: error: --format html needs plotly; install it with pip install plotly (or the html extra: pip install '.[html]' in ppm's folder)\n"
    assert not (tmp_path / "x.html").exists()


def test_other_formats_can_go_to_a_file_too(ppm, tmp_path):
    out = tmp_path / "report.json"
    code, printed, err = ppm("report", "-C", ACME, "--as-of", AS_OF, "--format", "json", "-o", out)
    assert (code, printed, err) == (0, "", f"wrote {out}\n")
    assert json.loads(out.read_text())["as_of"] == AS_OF


def test_the_plan_timeline_shows_started_delayed_and_stopped_projects(acme):
    import plotly.graph_objects as go

    from ppmcli.render.html import plan_section
    from test_plan import AS_OF as PLAN_AS_OF, BUSY, MARCH, NEW, project, workspace
    from ppmcli.analysis.selection.options import PlanOptions
    from ppmcli.analysis.selection.plan import plan

    text, _ = acme
    section = re.search(r'<section id="plan">.*?</section>', text, re.S).group(0)
    # acme with no budget: every candidate that fits starts; ai-support-assistant waits for frontend capacity (STORY.md).
    assert "<tr><td>ai-support-assistant</td><td>delayed</td><td>planned 2027-04-05 → 2027-07-05</td>" in section
    # A stopped running project, a late candidate and an evil id, escaped in the table and the figure.
    evil = project("<b>x</b>", 50, 10, team=(("dev", 1, MARCH),))
    ws = workspace(BUSY, NEW, evil)
    found = plan(ws, ws.projects, PLAN_AS_OF, PlanOptions(months=3, max_delay=2, stop=("busy",)))
    figures: dict = {}
    html_text = plan_section(found, figures)
    assert "<td>busy</td><td>stopped</td>" in html_text and "<b>x</b>" not in html_text
    assert "<td>&lt;b&gt;x&lt;/b&gt;</td><td>delayed</td><td>planned 2027-03-01 → 2027-04-01</td>" in html_text
    figure = figures["chart-plan"]
    go.Figure(figure)
    assert [trace["name"] for trace in figure["data"]] == ["started", "delayed", "stopped", "planned start"]
    assert figure["data"][1]["y"] == ["&lt;b&gt;x&lt;/b&gt;"]


def test_a_project_without_a_budget_still_has_a_bubble(make_workspace, ppm, tmp_path):
    # Bubble area is the budget, and plotly.js draws no marker of size 0 (sizemin aside): it showed a label floating alone.
    project = "name: {0}\nportfolio: p\nmanager: ann\nphase: planning\nstart: 2027-01-04\nend: 2027-06-30\nbudget: {1}\nscores: {{financial_value: 3, urgency: 3, risk: 3}}\n"
    root = make_workspace({
        "portfolios/p.yaml": "name: P\nowner: ann\n",
        "people/ann.yaml": "name: Ann\nrole: pm\n",
        "projects/free.yaml": project.format("Free", 0),
        "projects/paid.yaml": project.format("Paid", 50000),
    })
    out = tmp_path / "x.html"
    assert ppm("report", "-C", root, "--as-of", AS_OF, "--format", "html", "-o", out)[0] == 0
    figures = json.loads(re.search(r'<script type="application/json" id="ppm-figures">(.*?)</script>', out.read_text(), re.S).group(1))
    sizes = [size for trace in figures["chart-value-risk"]["data"] for size in trace["marker"]["size"]]
    assert len(sizes) == 2 and all(size > 0 for size in sizes)


def test_the_funding_line_words_a_forced_project_as_the_text_tables_do(ppm, tmp_path):
    # The dashboard said "mandatory" where prioritize and plan say "forced: mandatory".
    path = tmp_path / "funded.html"
    assert ppm("report", "-C", ACME, "--as-of", AS_OF, "--format", "html", "--budget", "5000000", "-o", path)[0] == 0
    text = path.read_text(encoding="utf-8")
    assert ">forced: mandatory<" in text and ">mandatory<" not in text
