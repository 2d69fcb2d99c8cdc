"""`ppm status ID`: the report's figures for one project, hand-checked; milestones, risks, team, trend, findings; escaping; errors."""

from __future__ import annotations

import json

import pytest

from conftest import ACME, run_ppm

AS_OF = "2026-11-25"


def _json(*args: str, as_of: str = AS_OF) -> dict:
    code, out, _ = run_ppm("-C", ACME, "--as-of", as_of, "--format", "json", *args)
    assert code == 0
    return json.loads(out)


def test_figures_are_the_reports_and_hand_checked() -> None:
    status = _json("status", "customer-mobile-app")
    report = _json("report", "--all")
    assert status["project"] == next(p for p in report["projects"] if p["id"] == "customer-mobile-app")
    project = status["project"]
    # 104 of 209 working days from 2026-07-01 (to 2026-11-25, to 2027-04-30) of a 1,200,000 budget.
    assert project["pv"] == pytest.approx(1_200_000 * 104 / 209, abs=0.01)
    assert project["ev"] == 540_000  # 45 % of 1,200,000, status of 2026-11-20
    assert project["ac"] == 545_000
    assert project["cpi"] == round(540_000 / 545_000, 4)
    assert project["spi"] == round(540_000 / (1_200_000 * 104 / 209), 4)
    assert (project["eac"], project["vac"]) == (1_250_000, -50_000)  # the status's forecast
    assert (project["name"], project["manager"], project["manager_name"]) == ("Customer mobile app", "tamika", "Tamika Brooks")
    assert (project["end"], project["note"]) == ("2027-04-30", "Account API needs more backend time than planned")
    assert status["attention"] == ["amber", "over-budget"]


def test_sections() -> None:
    status = _json("status", "customer-mobile-app")
    states = {m["name"]: (m["state"], m["days"]) for m in status["milestones"]}
    assert states == {"UX design signed off": ("done", 0), "Beta": ("slipped", 7), "App store launch": ("open", 0), "Hypercare complete": ("open", 0)}
    # Open risks only (the closed SDK risk is left out), 0.5 × 120,000 before 0.3 × 80,000.
    assert [(r["name"], r["exposure"]) for r in status["risks"]] == [("Backend capacity for the account API", 60_000), ("App store approval delay", 24_000)]
    alice = next(t for t in status["team"] if t["person"] == "alice")
    assert alice["conflicts"] == [{"person": "alice", "from": "2026-11-02", "to": "2027-01-29", "peak": 1.2, "capacity": 1, "days": 59, "projects": ["customer-mobile-app", "payments-gateway-upgrade"]}]
    assert all(not t["conflicts"] for t in status["team"] if t["person"] != "alice")
    role = status["team"][-1]
    assert (role["person"], role["role"], role["from"], role["to"]) == (None, "qa-engineer", "2026-09-01", "2027-04-30")  # `to` defaults to the project's end
    assert [p["date"] for p in status["trend"]] == ["2026-10-16", "2026-10-23", "2026-10-30", "2026-11-06", "2026-11-13", "2026-11-20"]
    assert [f["code"] for f in status["findings"]] == ["overallocation"]
    assert all(f["path"] == "projects/mobile/customer-mobile-app.yaml" for f in status["findings"])


def test_the_other_project_of_an_over_allocation_shows_its_finding_too() -> None:
    # `ppm check` places Alice's over-allocation at customer-mobile-app's allocation, the first of the two:
    # the payments project's manager sees it in their view as well, under a heading that says why.
    status = _json("status", "payments-gateway-upgrade")
    assert [(f["path"], f["code"]) for f in status["findings"]] == [("projects/mobile/customer-mobile-app.yaml", "overallocation"), ("projects/platform/payments-gateway-upgrade.yaml", "budget-overrun")]
    code, out, _ = run_ppm("-C", ACME, "--as-of", AS_OF, "--format", "plain", "status", "payments-gateway-upgrade")
    assert code == 0 and "Findings of ppm check in projects/platform/payments-gateway-upgrade.yaml and on its team's over-allocations\n" in out


def test_an_earlier_date_ignores_later_statuses() -> None:
    status = _json("status", "customer-mobile-app", as_of="2026-10-31")
    assert status["status"]["date"] == "2026-10-30" and status["status"]["note"] == "Beta build in final QA"
    assert {m["name"]: m["state"] for m in status["milestones"]}["Beta"] == "late"  # done 2026-11-06: not yet


def test_unknown_id_suggests_and_exits_2() -> None:
    code, out, err = run_ppm("-C", ACME, "status", "custmer-mobile-app")
    assert (code, out) == (2, "")
    assert "did you mean 'customer-mobile-app'?" in err


def test_findings_are_those_of_the_projects_file_and_exit_is_0(make_workspace) -> None:
    root = make_workspace(
        {
            "portfolios/p.yaml": "name: P\nowner: ann\n",
            "people/ann.yaml": "name: Ann\nrole: dev\n",
            "projects/a.yaml": "name: A\nportfolio: p\nmanager: ann\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 100\n"
            "milestones:\n  - {name: M, date: 2026-02-02}\nteam:\n  - {person: ann, fte: 0.8}\n",
            "projects/b.yaml": "name: B\nportfolio: p\nmanager: ann\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 100\nteam:\n  - {person: ann, fte: 0.8}\n",
        }
    )
    code, out, _ = run_ppm("-C", root, "--as-of", "2026-03-02", "--format", "json", "status", "a")
    assert code == 0  # informational: ppm check is the gate
    data = json.loads(out)
    assert {f["code"] for f in data["findings"]} >= {"late-milestone", "overallocation"}
    assert all(f["path"] == "projects/a.yaml" for f in data["findings"])


HOSTILE = "<img src=x> [link](http://evil) | **bold** \x1b[31m"


def test_user_strings_are_escaped(make_workspace) -> None:
    root = make_workspace(
        {
            "portfolios/p.yaml": "name: P\nowner: ann\n",
            "people/ann.yaml": "name: Ann\nrole: dev\n",
            "projects/a.yaml": "name: A\nportfolio: p\nmanager: ann\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 100\n"
            f"status:\n  - {{date: 2026-02-02, health: red, percent_complete: 5, actual_cost: 1, note: {json.dumps(HOSTILE)}}}\n"
            f"risks:\n  - {{name: {json.dumps(HOSTILE)}, probability: 0.5, impact: 10}}\n",
        }
    )
    code, markdown, _ = run_ppm("-C", root, "--as-of", "2026-03-02", "--format", "markdown", "status", "a")
    assert code == 0
    assert "<img" not in markdown and "[link](http" not in markdown and "\x1b" not in markdown
    assert "&lt;img src=x&gt; \\[link\\]" in markdown and "\\| \\*\\*bold" in markdown  # shown as written, opening nothing
    code, plain, _ = run_ppm("-C", root, "--as-of", "2026-03-02", "--format", "plain", "status", "a")
    assert "\x1b" not in plain and "Note: <img src=x>" in plain


@pytest.mark.parametrize("width", [80, 100, 200])
def test_terminal_view_fits_its_width_and_cuts_no_key_cell(width: int) -> None:
    from datetime import date

    from ppmcli.analysis.delivery.status import project_status
    from ppmcli.load.loader import load
    from ppmcli.load.sources import FileSource
    from ppmcli.render.output import Output
    from ppmcli.render.status import render

    ws, _ = load(FileSource(ACME))
    text = render(project_status(ws, "customer-mobile-app", date(2026, 11, 25)), Output("text", width=width))
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    assert "…" not in text  # no name, date or figure cut
    assert "Account API needs more backend time than planned" in " ".join(text.split())  # the header wraps at words
    words = set(text.split())
    assert "2026-11-02" in text and "2027-01-29" in text
    for cell in ("Backend capacity for the account API", "Alice Chen", "Submit a review build in February"):
        assert set(cell.split()) <= words  # wrapped at words, never cut


def test_the_findings_heading_wraps_at_80_columns_too() -> None:
    from datetime import date

    from ppmcli.analysis.checks import run_checks
    from ppmcli.analysis.delivery.status import project_status
    from ppmcli.load.loader import load
    from ppmcli.load.sources import FileSource
    from ppmcli.render.output import Output
    from ppmcli.render.status import render

    ws, files = load(FileSource(ACME))
    as_of = date(2026, 11, 25)
    text = render(project_status(ws, "payments-gateway-upgrade", as_of, files + run_checks(ws, as_of)), Output("text", width=80))
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    assert "Findings of ppm check in projects/platform/payments-gateway-upgrade.yaml and on\n  its team's over-allocations\n" in text


def test_an_invalid_project_file_says_its_first_error(make_workspace) -> None:
    root = make_workspace(
        {
            "portfolios/p.yaml": "name: P\nowner: ann\n",
            "people/ann.yaml": "name: Ann\nrole: dev\n",
            "projects/b.yaml": "name: B\nportfolio: p\nmanager: ann\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudjet: 100\n",
        }
    )
    code, out, err = run_ppm("-C", root, "status", "b")
    assert (code, out) == (2, "")
    assert err.startswith("ppm: error: project 'b' has an invalid file, so it has no status: projects/b.yaml:7:1: ")
    assert err.endswith("; run 'ppm check' for every finding\n")
