"""The report renderers: health coloured and labelled on a terminal, the exact JSON keys, empty lists, long lists cut short."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import ACME, REPO, run_ppm
from ppmcli.analysis.delivery.rollup import build_report, project_trend
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource
from ppmcli.render.output import Output
from ppmcli.render.report import render as render_report, render_trend

AS_OF = date(2026, 11, 25)
FIGURES = ["bac", "pv", "ev", "ac", "eac", "vac", "cv", "sv", "spi", "cpi", "tcpi", "benefits", "benefits_realized", "labor_cost", "risk_exposure", "late_milestones"]


@pytest.fixture(scope="module")
def acme():
    ws, _ = load(FileSource(ACME))
    return ws


def test_terminal_health_is_coloured_and_labelled(acme):
    text = render_report(build_report(acme, acme.projects, AS_OF), Output("text", color=True))
    red = next(line for line in text.splitlines() if "Platform &" in line)
    assert "\x1b[1;31m✖ red" in red  # bold red, with the symbol and the word
    assert "\x1b[33m▲ amber" in text and "\x1b[32m● green" in text
    plain = render_report(build_report(acme, acme.projects, AS_OF), Output("text", color=False))
    assert "\x1b[" not in plain and "✖ red" in plain


def test_markdown_uses_emoji_and_headings(acme):
    text = render_report(build_report(acme, acme.projects, AS_OF), Output("markdown"))
    assert text.startswith("## Acme Software: portfolio report as of 2026-11-25, USD, 11 projects\n")
    assert "| Platform & Infrastructure |    4 | 🔴 red   |" in text  # the "#" header is "\\#": escaped as a cell is
    assert "**Needs attention**" in text and "**Top risks by exposure**" in text


def test_json_has_exactly_the_contract_keys(acme):
    data = json.loads(render_report(build_report(acme, acme.projects, AS_OF, by="program"), Output("json")))
    assert list(data) == ["as_of", "currency", "total", "groups", "projects"]
    assert list(data["total"]) == ["key", "name", "projects", "health", *FIGURES]
    assert all(list(group) == ["key", "name", "projects", "health", *FIGURES] for group in data["groups"])
    # The contract's keys first, then name, manager, dates and the newest note (issue 17), appended.
    details = ["name", "manager", "manager_name", "start", "end", "note"]
    assert all(list(p) == ["id", "phase", "health", "status_date", "percent_complete", *FIGURES, *details] for p in data["projects"])
    portal = next(p for p in data["projects"] if p["id"] == "self-service-portal")
    # STORY.md: 104 of 187 working days, PV 361,497, EV 195,000, SPI 0.54, CPI 0.975.
    assert (portal["pv"], portal["ev"], portal["spi"], portal["cpi"]) == (361497.33, 195000, 0.5394, 0.975)


def test_an_empty_selection_still_renders(acme):
    report = build_report(acme, {}, AS_OF)
    text = render_report(report, Output("plain"))
    assert "No project needs attention." in text and "No open risks." in text and "No milestone is due." in text
    data = json.loads(render_report(report, Output("json")))
    assert (data["groups"], data["projects"], data["total"]["health"], data["total"]["spi"]) == ([], [], "unknown", None)


def test_long_lists_are_cut_with_a_count(make_workspace):
    project = "name: P\nportfolio: d\nmanager: ann\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 10\n"
    files = {"portfolios/d.yaml": "name: D\nowner: ann\n", "people/ann.yaml": "name: Ann\nrole: pm\n"}
    files.update({f"projects/p{i:02d}.yaml": project + "status:\n  - {date: 2026-11-20, health: red, percent_complete: 1, actual_cost: 1}\n" for i in range(30)})
    ws, _ = load(FileSource(make_workspace(files)))
    report = build_report(ws, ws.projects, AS_OF)
    text = render_report(report, Output("text", color=False, width=200))
    assert "p24" in text and "p25" not in text
    assert "… and 5 more projects; --format plain (or markdown, json) shows every row" in text
    # The formats that are not a terminal list every project.
    assert all(f"p{i:02d}" in render_report(report, Output(fmt)) for fmt in ("plain", "markdown") for i in range(30))


def test_trend_without_statuses_says_so(make_workspace):
    files = {
        "portfolios/d.yaml": "name: D\nowner: ann\n",
        "people/ann.yaml": "name: Ann\nrole: pm\n",
        "projects/new.yaml": "name: New\nportfolio: d\nmanager: ann\nphase: planning\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 10\n",
    }
    ws, _ = load(FileSource(make_workspace(files)))
    record = project_trend(ws, "new", AS_OF)
    assert render_trend(record, Output("plain")).endswith("No status report on or before this date.\n")
    assert json.loads(render_trend(record, Output("json")))["trend"] == []


def test_readme_example_is_the_real_output():
    readme = (REPO / "README.md").read_text()
    example = readme.split("$ ppm -C examples/acme report --as-of 2026-11-25\n", 1)[1].split("```", 1)[0]
    assert example == (REPO / "tests" / "cases" / "report-acme" / "stdout").read_text()


def test_a_long_rollup_on_a_terminal_keeps_its_first_groups_and_the_total(make_workspace):
    files = {"portfolios/d.yaml": "name: D\nowner: ann\n", "people/ann.yaml": "name: Ann\nrole: pm\n"}
    for i in range(45):
        files[f"programs/g{i:02d}.yaml"] = f"name: G{i:02d}\nportfolio: d\n"
        files[f"projects/p{i:02d}.yaml"] = f"name: P\nprogram: g{i:02d}\nmanager: ann\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 10\n"
    ws, _ = load(FileSource(make_workspace(files)))
    report = build_report(ws, ws.projects, AS_OF, by="program")
    text = render_report(report, Output("text", color=False, width=200))
    assert "G39" in text and "G40" not in text and "Total" in text
    assert "… and 5 more programs; --format plain (or csv, json) shows every row" in text
    assert all(f"G{i:02d}" in render_report(report, Output(fmt)) for fmt in ("plain", "markdown", "csv") for i in range(45))


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--trend", "customer-mobile-app", "--baseline", "nope"], "--trend shows one project over its status dates: leave out --baseline"),
        (["--trend", "customer-mobile-app", "--portfolio", "nope", "--all"], "--trend shows one project over its status dates: leave out --portfolio, --all"),
        (["--trend", "customer-mobile-app", "--by", "program"], "--trend shows one project over its status dates: leave out --by"),
        (["--budget", "5000000"], "--budget draws the dashboard's funding line: add --format html -o FILE"),
        (["--projects", "--baseline", "HEAD"], "--projects keeps only the per-project table of the report: not with --baseline"),
        (["--projects", "--by", "tag"], "--projects keeps only the per-project table of the report: not with --by, which groups the rollup it leaves out"),
        # The dashboard was written without the variance, byte for byte the one without --baseline.
        (["--baseline", "HEAD", "--format", "html", "-o", "never.html"], "--baseline adds the variance tables to the report, which the dashboard does not show: leave out --format html or --baseline"),
    ],
)
def test_an_option_the_report_would_ignore_is_refused(args, said):
    # Each was silently dropped, exit 0: a wrong --baseline or --portfolio with --trend went unnoticed.
    code, out, err = run_ppm("-C", ACME, "--as-of", AS_OF.isoformat(), "report", *args)
    assert (code, out, err) == (2, "", f"ppm: error: {said}\n")


def test_the_report_says_how_many_projects_it_leaves_out() -> None:
    # A starter workspace of two proposals reported "1 project" while the roadmap drew both, with no word on why.
    code, out, _ = run_ppm("-C", ACME, "--as-of", AS_OF.isoformat(), "report", "--format", "plain")
    assert code == 0 and out.splitlines()[1] == "5 proposed or cancelled projects are left out; --all reports them."
    code, out, _ = run_ppm("-C", ACME, "--as-of", AS_OF.isoformat(), "report", "--all", "--format", "plain")
    assert code == 0 and "left out" not in out.splitlines()[1] and "16 projects" in out.splitlines()[0]
    code, out, _ = run_ppm("-C", ACME, "--as-of", AS_OF.isoformat(), "report", "--portfolio", "digital", "--format", "plain")
    assert out.splitlines()[1] == "4 proposed or cancelled projects are left out; --all reports them."  # of the portfolio only
