"""The delivery checks of `ppm check`, each at its exact (path, line, column), with the cases that must stay quiet."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SETTINGS, check

AS_OF = date(2026, 11, 25)
CODES = {"stale-status", "budget-overrun", "portfolio-over-budget", "late-milestone", "dependency-not-viable", "watermelon"}

BASE = {
    "portfolios/digital.yaml": "name: Digital\nowner: ann\nbudget: 1000000\n",
    "people/ann.yaml": "name: Ann\nrole: engineer\n",
}


def project(phase: str = "execution", start: str = "2026-01-05", end: str = "2026-12-31", budget: int = 100000, tail: str = "") -> str:
    return (
        f"name: App\nportfolio: digital\nmanager: ann\nphase: {phase}\nstart: {start}\nend: {end}\n"
        f"budget: {budget}\ngoals: [growth]\nscores: {{financial_value: 4, urgency: 3, risk: 2}}\n{tail}"
    )


# On line 10, after the nine lines above.
STATUS = "status:\n  - date: {day}\n    health: {health}\n    percent_complete: {pc}\n    actual_cost: 1000\n{more}"


def status(day: str = "2026-11-20", health: str = "green", pc: int = 90, more: str = "") -> str:
    return STATUS.format(day=day, health=health, pc=pc, more=more)


def findings(files: dict[str, str]) -> list[tuple]:
    return check({**BASE, **files}, as_of=AS_OF, codes=CODES, messages=True)


def positions(files: dict[str, str]) -> list[tuple]:
    return check({**BASE, **files}, as_of=AS_OF, codes=CODES)


def test_stale_status_at_the_newest_status_date():
    text = project(tail=status(day="2026-10-30") + "  - {date: 2026-10-23, health: green, percent_complete: 80, actual_cost: 900}\n")
    assert findings({"projects/app.yaml": text}) == [
        ("projects/app.yaml", 11, 11, "stale-status", "newest status is from 2026-10-30, 26 days before 2026-11-25 (limit 14 days)")
    ]


@pytest.mark.parametrize(
    ("phase", "day", "expected"),
    [
        ("execution", "2026-11-11", []),  # 14 days old: at the limit
        ("execution", "2026-11-10", [("projects/app.yaml", 11, 11, "stale-status")]),
        ("planning", "2026-11-10", [("projects/app.yaml", 11, 11, "stale-status")]),
        ("proposed", "2026-11-10", []),  # not committed
        ("closed", "2026-11-10", []),
        ("execution", "2026-12-01", [("projects/app.yaml", 4, 8, "stale-status")]),  # after as-of: ignored, so none
    ],
)
def test_stale_status_boundaries(phase, day, expected):
    assert positions({"projects/app.yaml": project(phase=phase, tail=status(day=day))}) == expected


def test_no_status_is_stale_only_in_execution():
    assert findings({"projects/a.yaml": project(), "projects/b.yaml": project(phase="planning")}) == [
        ("projects/a.yaml", 4, 8, "stale-status", "project in execution has no status report on or before 2026-11-25")
    ]


def test_budget_overrun_at_the_forecast():
    over = project(tail=status(more="    forecast_cost: 125000\n"))
    at_limit = project(tail=status(more="    forecast_cost: 110000\n"))
    closed = project(phase="closed", tail=status(more="    forecast_cost: 200000\n"))
    assert findings({"projects/a.yaml": over, "projects/b.yaml": at_limit, "projects/c.yaml": closed}) == [
        ("projects/a.yaml", 15, 20, "budget-overrun", "forecast 125,000 is 25.0% above the budget of 100,000 (tolerance 10%)")
    ]


def test_budget_overrun_reads_the_newest_status_on_or_before_as_of():
    text = project(
        tail=status(more="    forecast_cost: 100000\n")
        + "  - {date: 2026-11-13, health: green, percent_complete: 80, actual_cost: 900, forecast_cost: 150000}\n"
        + "  - {date: 2026-11-27, health: green, percent_complete: 95, actual_cost: 950, forecast_cost: 150000}\n"
    )
    assert positions({"projects/app.yaml": text}) == []


def test_portfolio_over_budget_at_the_portfolio_budget():
    files = {
        "projects/a.yaml": project(budget=600000),
        "projects/b.yaml": project(phase="proposed", budget=500000),
        "projects/c.yaml": project(phase="closed", budget=900000),
        "projects/d.yaml": project(phase="cancelled", budget=900000),
    }
    found = [f for f in findings(files) if f[3] == "portfolio-over-budget"]
    assert found == [
        ("portfolios/digital.yaml", 3, 9, "portfolio-over-budget", "open projects' budgets add up to 1,100,000, 100,000 above the budget of 1,000,000")
    ]
    files["projects/b.yaml"] = project(phase="proposed", budget=400000)
    assert [f for f in findings(files) if f[3] == "portfolio-over-budget"] == []


def test_budget_checks_compare_the_amounts_as_written():
    # 100,000 × 1.15 is 114,999.99999999999 in binary floating point, and 0.1 + 0.2 is 0.30000000000000004:
    # a forecast exactly at the tolerance, or budgets adding up exactly to the portfolio's, are not above it.
    settings = SETTINGS + "checks: {budget_overrun_tolerance: 0.15}\n"
    files = {
        **BASE,
        "portfolios/digital.yaml": "name: Digital\nowner: ann\nbudget: 0.3\n",
        "projects/a.yaml": project(phase="planning").replace("budget: 100000", "budget: 0.1"),
        "projects/b.yaml": project(budget=0).replace("budget: 0", "budget: 0.2"),
        "projects/c.yaml": project(tail=status(more="    forecast_cost: 115000\n")).replace("portfolio: digital", "portfolio: other"),
        "portfolios/other.yaml": "name: Other\nowner: ann\n",
    }
    assert check(files, settings=settings, as_of=AS_OF, codes=CODES) == [("projects/b.yaml", 4, 8, "stale-status")]
    files["projects/a.yaml"] = files["projects/a.yaml"].replace("budget: 0.1", "budget: 0.11")
    files["projects/c.yaml"] = files["projects/c.yaml"].replace("forecast_cost: 115000", "forecast_cost: 115000.01")
    assert check(files, settings=settings, as_of=AS_OF, codes=CODES) == [
        ("portfolios/digital.yaml", 3, 9, "portfolio-over-budget"),
        ("projects/b.yaml", 4, 8, "stale-status"),
        ("projects/c.yaml", 15, 20, "budget-overrun"),
    ]
    # Its message reads above the tolerance ("15.0% above … (tolerance 15%)" contradicted itself).
    found = check(files, settings=settings, as_of=AS_OF, codes={"budget-overrun"}, messages=True)
    assert found[0][4] == "forecast 115,000.01 is 15.00001% above the budget of 100,000 (tolerance 15%)"


def test_late_milestone_at_its_date():
    milestones = (
        "milestones:\n"
        "  - {name: Beta, date: 2026-11-13}\n"
        "  - {name: Alpha, date: 2026-10-01, done: 2026-10-05}\n"
        "  - {name: Pilot, date: 2026-11-02, done: 2026-12-01}\n"
        "  - {name: Today, date: 2026-11-25}\n"
    )
    text = project(tail=milestones + status())
    assert [f for f in findings({"projects/app.yaml": text})] == [
        ("projects/app.yaml", 11, 24, "late-milestone", "milestone 'Beta' was due 2026-11-13 and is not done (12 days late)"),
        ("projects/app.yaml", 13, 25, "late-milestone", "milestone 'Pilot' was due 2026-11-02 and is not done (23 days late)"),
    ]
    assert positions({"projects/app.yaml": project(phase="closed", tail=milestones)}) == []


def test_dependency_not_viable_at_the_dependency():
    files = {
        "projects/app.yaml": project(start="2026-06-01", tail="depends_on: [gone, late, done, early, app]\n" + status()),
        "projects/gone.yaml": project(phase="cancelled", end="2026-03-31"),
        "projects/late.yaml": project(end="2026-06-02", tail=status()),
        "projects/done.yaml": project(phase="closed", end="2026-07-31"),
        "projects/early.yaml": project(end="2026-06-01", tail=status()),
    }
    assert [f for f in findings(files) if f[3] == "dependency-not-viable"] == [
        ("projects/app.yaml", 10, 14, "dependency-not-viable", "depends on 'gone', which is cancelled"),
        ("projects/app.yaml", 10, 20, "dependency-not-viable", "depends on 'late', which ends 2026-06-02, after this project starts on 2026-06-01"),
    ]


def test_watermelon_at_the_green_health():
    # 2026-01-05 .. 2026-12-31 (no holidays in the test calendar): 259 working days, 233 gone by 2026-11-25,
    # so 50 % complete is SPI 0.5 / (233/259) = 0.56.
    files = {
        "projects/slow.yaml": project(tail=status(pc=50)),
        "projects/amber.yaml": project(tail=status(pc=50, health="amber")),
        "projects/fine.yaml": project(tail=status(pc=92)),
        "projects/costly.yaml": project(tail=status(pc=92).replace("actual_cost: 1000", "actual_cost: 200000")),
    }
    assert [f for f in findings(files) if f[3] == "watermelon"] == [
        ("projects/costly.yaml", 12, 13, "watermelon", "status is green but CPI is 0.46 (under 0.9)"),
        ("projects/slow.yaml", 12, 13, "watermelon", "status is green but SPI is 0.56 (under 0.9)"),
    ]
