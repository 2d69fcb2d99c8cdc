"""`ppm report --baseline REV`: variance against the portfolio at a git revision, counted in working days."""

from __future__ import annotations

import json
from datetime import date

from conftest import SETTINGS, git, run_ppm, write_tree
from ppmcli.analysis.review.baseline import signed_workdays
from ppmcli.analysis.resources.workdays import WorkCalendar

CALENDAR = "calendar:\n  holidays: [2026-07-03]\n"


def project(end: str = "2026-06-30", budget: int = 100000, phase: str = "execution", milestone: str = "2026-04-01") -> str:
    return (
        f"name: P\nportfolio: main\nmanager: ann\nphase: {phase}\nstart: 2026-01-05\nend: {end}\nbudget: {budget}\n"
        "goals: [growth]\nscores: {financial_value: 4, urgency: 3, risk: 2}\n"
        f"milestones:\n  - {{name: Beta, date: {milestone}}}\n"
        "status:\n  - {date: 2026-02-27, health: green, percent_complete: 20, actual_cost: 20000}\n"
    )


def test_signed_workdays_skip_weekends_and_holidays():
    calendar = WorkCalendar.from_names(["mon", "tue", "wed", "thu", "fri"], [date(2026, 7, 3)])
    assert signed_workdays(calendar, date(2026, 6, 30), date(2026, 7, 7)) == 4  # Jul 1, 2, 6, 7
    assert signed_workdays(calendar, date(2026, 7, 7), date(2026, 6, 30)) == -4
    assert signed_workdays(calendar, date(2026, 7, 4), date(2026, 7, 5)) == 0  # a weekend
    assert signed_workdays(calendar, date(2026, 7, 7), date(2026, 7, 7)) == 0


def test_report_against_a_tagged_baseline(git_repo):
    path, commit = git_repo
    ws = path / "ws"
    files = {
        "ppm.yaml": SETTINGS + CALENDAR,
        "portfolios/main.yaml": "name: Main\nowner: ann\n",
        "people/ann.yaml": "name: Ann\nrole: pm\n",
        "projects/a.yaml": project(),
        "projects/b.yaml": project(),
        "projects/gone.yaml": project(),
        "projects/idea.yaml": project(phase="proposed"),
    }
    write_tree(ws, files)
    commit("plan")
    git(path, "tag", "baseline-2026")
    (ws / "projects" / "gone.yaml").unlink()
    write_tree(ws, {
        "projects/a.yaml": project(end="2026-07-07", budget=120000, milestone="2026-04-03"),
        "projects/b.yaml": project(phase="cancelled"),
        "projects/new.yaml": project(),
    })
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-03-02", "report", "--all", "--baseline", "baseline-2026", "--format", "json")
    assert code == 0, err
    baseline = json.loads(out)["baseline"]
    assert (baseline["added"], baseline["removed"], baseline["cancelled"]) == (["new"], ["gone"], ["b"])
    a = next(p for p in baseline["projects"] if p["id"] == "a")
    assert a["end"] == {"old": "2026-06-30", "new": "2026-07-07", "slip_workdays": 4}
    assert a["milestones"] == [{"name": "Beta", "old": "2026-04-01", "new": "2026-04-03", "slip_workdays": 2}]
    assert a["budget"] == {"old": 100000, "new": 120000, "change": 20000}
    # EAC = BAC / CPI with CPI = EV / AC = 0.2 · BAC / 20000, so EAC = 100000 whatever the BAC
    assert a["eac"] == {"old": 100000, "new": 100000, "change": 0}
    # --all reports every phase: a, the cancelled b and the proposed idea.
    assert baseline["budget"] == {"old": 300000, "new": 320000, "change": 20000}
    # Without --all the report leaves out the cancelled b (and the proposed idea): so do the totals.
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-03-02", "report", "--baseline", "baseline-2026", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [p["id"] for p in data["projects"]] == ["a", "new"]
    assert data["baseline"]["budget"] == {"old": 100000, "new": 120000, "change": 20000}
    assert data["baseline"]["cancelled"] == ["b"]
    # CSV is the variance table, its header the JSON keys (dotted inside an object).
    code, out, _ = run_ppm("-C", ws, "--as-of", "2026-03-02", "report", "--baseline", "baseline-2026", "--format", "csv")
    assert out.splitlines()[0] == "id,phase,end.new,end.slip_workdays,milestones,budget.change,eac.change,end.old,budget.old,budget.new,eac.old,eac.new,health"
    # Figures, not display text: the slip was "'+4 wd" (text a spreadsheet does not add up).
    assert out.splitlines()[1].startswith("a,execution,2026-07-07,4,Beta +2 wd,20000.00,0.00,2026-06-30,100000.00,120000.00,")


def test_baseline_in_text_and_bad_revision(git_repo):
    path, commit = git_repo
    ws = path / "ws"
    write_tree(ws, {"ppm.yaml": SETTINGS, "portfolios/main.yaml": "name: Main\nowner: ann\n", "people/ann.yaml": "name: Ann\nrole: pm\n", "projects/a.yaml": project()})
    commit("plan")
    code, out, _ = run_ppm("-C", ws, "--as-of", "2026-03-02", "report", "--baseline", "HEAD", "--format", "plain")
    assert code == 0 and "Variance against baseline" in out and "No project moved." in out
    code, _, err = run_ppm("-C", ws, "report", "--baseline", "--output=x")
    assert code == 2 and "unknown git revision '--output=x'" in err


def test_nothing_moved_fits_the_terminal_and_names_no_unit_it_does_not_use():
    # The totals line was 113 columns at 80, and said "wd = working days" with no table of slips.
    from datetime import date

    from ppmcli.analysis.review.baseline import Baseline
    from ppmcli.render.baseline import render_baseline
    from ppmcli.render.output import Output

    baseline = Baseline("e51bea4", date(2026, 11, 25), (), (), (), (), 6_700_000.0, 6_700_000.0, 6_888_000.0, 6_888_000.0)
    text = render_baseline(baseline, Output("text", width=80))
    assert max(map(len, text.splitlines())) <= 80 and "wd" not in text
    assert "Budget 6,700,000 → 6,700,000; EAC 6,888,000 → 6,888,000 (projects in both, as\nreported above)." in text
