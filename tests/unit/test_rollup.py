"""Report rollups: grouping, sums and ratios from the sums, worst-of health, goal/tag groups counted once, and the attention lists."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppmcli.analysis.delivery.evm import earned_value
from ppmcli.analysis.delivery.rollup import GROUPINGS, build_report, project_trend
from ppmcli.analysis.resources.workdays import calendar_of
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Project, Settings, Workspace
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource

AS_OF = date(2026, 3, 13)  # a Friday; 2026-03-02 .. 2026-03-13 is two working weeks

PORTFOLIOS = {
    "portfolios/digital.yaml": "name: Digital\nowner: ann\n",
    "portfolios/ops.yaml": "name: Operations\nowner: ann\n",
    "programs/mobile.yaml": "name: Mobile\nportfolio: digital\n",
    "people/ann.yaml": "name: Ann\nrole: pm\ncost_rate: 100\n",
}


def project_yaml(
    portfolio: str = "digital",
    phase: str = "execution",
    budget: int = 100000,
    program: str | None = None,
    tags: str = "[]",
    goals: str = "[]",
    status: str = "",
    extra: str = "",
) -> str:
    where = f"program: {program}\n" if program else f"portfolio: {portfolio}\n"
    return (
        f"name: P\n{where}manager: ann\nphase: {phase}\nstart: 2026-03-02\nend: 2026-03-27\nbudget: {budget}\n"
        f"tags: {tags}\ngoals: {goals}\nscores: {{financial_value: 3, urgency: 3, risk: 3}}\n{extra}"
        + (f"status:\n{status}" if status else "")
    )


def st_line(health: str, pc: int, ac: int, day: str = "2026-03-13", more: str = "") -> str:
    return f"  - {{date: {day}, health: {health}, percent_complete: {pc}, actual_cost: {ac}{more}}}\n"


def workspace(make_workspace, projects: dict[str, str]) -> Workspace:
    root = make_workspace({**PORTFOLIOS, **{f"projects/{pid}.yaml": text for pid, text in projects.items()}})
    ws, findings = load(FileSource(root))
    assert not [f for f in findings if f.severity.name == "ERROR"], findings
    return ws


def test_sums_and_ratios_from_sums_by_portfolio(make_workspace):
    # 20 working days; 10 have passed on AS_OF: PV is half of each budget.
    ws = workspace(
        make_workspace,
        {
            "a": project_yaml(budget=100000, status=st_line("green", 40, 45000)),
            "b": project_yaml(budget=300000, status=st_line("amber", 60, 150000, more=", forecast_cost: 320000")),
            "c": project_yaml(portfolio="ops", budget=50000),
        },
    )
    report = build_report(ws, ws.projects, AS_OF)
    assert [g.key for g in report.groups] == ["digital", "ops"]
    digital, ops = report.groups
    assert (digital.name, digital.projects, digital.health) == ("Digital", ("a", "b"), "amber")
    f = digital.figures
    assert (f.bac, f.pv, f.ev, f.ac) == (400000, 200000, 220000, 195000)
    assert f.eac == pytest.approx(100000 / (40000 / 45000) + 320000)
    assert f.spi == pytest.approx(1.1)
    assert f.cpi == pytest.approx(220000 / 195000)
    assert f.tcpi == pytest.approx(180000 / 205000)
    assert (ops.health, ops.figures.pv, ops.figures.spi, ops.figures.cpi) == ("unknown", 25000, 0.0, None)
    total = report.total
    assert (total.key, total.name, total.projects, total.health) == (None, "Total", ("a", "b", "c"), "amber")
    assert total.figures.bac == 450000
    assert total.figures.spi == pytest.approx(220000 / 225000)


def test_labor_cost_per_project_is_summed(make_workspace):
    # Ann at 0.5 FTE, 100 a day, over the 20 working days: 1,000 per project.
    team = "team:\n  - {person: ann, fte: 0.5}\n"
    ws = workspace(make_workspace, {"a": project_yaml(extra=team), "b": project_yaml(extra=team), "c": project_yaml()})
    report = build_report(ws, ws.projects, AS_OF)
    assert [v.figures.labor_cost for v in report.projects] == [1000, 1000, 0]
    assert report.total.figures.labor_cost == 2000


def test_projects_without_a_program_form_one_group_with_key_null_last(make_workspace):
    ws = workspace(make_workspace, {"a": project_yaml(program="mobile"), "b": project_yaml(), "c": project_yaml(portfolio="ops")})
    groups = build_report(ws, ws.projects, AS_OF, by="program").groups
    assert [(g.key, g.name, g.projects) for g in groups] == [("mobile", "Mobile", ("a",)), (None, None, ("b", "c"))]


@pytest.mark.parametrize("by", ["goal", "tag"])
def test_goal_and_tag_groups_hold_a_project_in_each_and_the_total_counts_it_once(make_workspace, by):
    field = "goals" if by == "goal" else "tags"
    ws = workspace(
        make_workspace,
        {
            "a": project_yaml(budget=100, **{field: "[growth, cost]"}),
            "b": project_yaml(budget=10, **{field: "[cost]"}),
            "c": project_yaml(budget=1),
        },
    )
    report = build_report(ws, ws.projects, AS_OF, by=by)
    assert [(g.key, g.projects, g.figures.bac) for g in report.groups] == [
        ("cost", ("a", "b"), 110),
        ("growth", ("a",), 100),
        (None, ("c",), 1),
    ]
    assert (report.total.projects, report.total.figures.bac) == (("a", "b", "c"), 111)
    if by == "goal":
        assert [g.name for g in report.groups] == ["Cost", "Growth", None]


def test_worst_of_health_and_unknown_only_when_all_unknown(make_workspace):
    ws = workspace(
        make_workspace,
        {
            "a": project_yaml(status=st_line("green", 50, 50000)),
            "b": project_yaml(),
            "c": project_yaml(portfolio="ops"),
            "d": project_yaml(portfolio="ops", status=st_line("red", 50, 50000)),
            "e": project_yaml(portfolio="ops", status=st_line("amber", 50, 50000)),
        },
    )
    report = build_report(ws, ws.projects, AS_OF)
    assert [g.health for g in report.groups] == ["green", "red"]
    only_unknown = build_report(ws, {"b": ws.projects["b"], "c": ws.projects["c"]}, AS_OF)
    assert only_unknown.total.health == "unknown"


def test_phases_initiation_to_closed_by_default_and_all_adds_proposed_and_cancelled(make_workspace):
    phases = ["proposed", "initiation", "planning", "execution", "monitoring", "closed", "cancelled"]
    ws = workspace(make_workspace, {phase: project_yaml(phase=phase) for phase in phases})
    default = build_report(ws, ws.projects, AS_OF, by="phase")
    assert [g.key for g in default.groups] == phases[1:-1]  # lifecycle order, not alphabetical
    everything = build_report(ws, ws.projects, AS_OF, by="phase", include_all=True)
    assert [g.key for g in everything.groups] == phases
    assert len(everything.total.projects) == 7


def test_attention_lists_open_projects_worst_first_with_reasons(make_workspace):
    late = "milestones:\n  - {name: Beta, date: 2026-03-10}\n  - {name: Soon, date: 2026-04-01}\n  - {name: Later, date: 2026-04-30}\n"
    ws = workspace(
        make_workspace,
        {
            "ok": project_yaml(status=st_line("green", 50, 50000)),
            "slow": project_yaml(status=st_line("green", 40, 40000)),
            "red": project_yaml(status=st_line("red", 50, 50000)),
            "costly": project_yaml(status=st_line("amber", 50, 60000, more=", forecast_cost: 120000"), extra=late),
            "stale": project_yaml(status=st_line("green", 50, 50000, day="2026-02-20")),
            "closed": project_yaml(phase="closed", status=st_line("red", 50, 90000)),
        },
    )
    report = build_report(ws, ws.projects, AS_OF)
    assert [(a.project.id, a.reasons) for a in report.attention] == [
        ("red", ("red",)),
        ("costly", ("amber", "cpi", "late", "over-budget")),
        ("slow", ("spi",)),
        ("stale", ("stale",)),
    ]
    assert [(m.date, m.project, m.name) for m in report.upcoming] == [(date(2026, 4, 1), "costly", "Soon")]


def test_top_risks_by_exposure_at_most_ten(make_workspace):
    risks = "risks:\n" + "".join(f"  - {{name: r{i:02d}, probability: 0.5, impact: {1000 * i}}}\n" for i in range(12))
    risks += "  - {name: gone, probability: 1, impact: 999999, status: closed}\n"
    ws = workspace(make_workspace, {"a": project_yaml(extra=risks)})
    report = build_report(ws, ws.projects, AS_OF)
    assert [r.name for r in report.risks] == [f"r{i:02d}" for i in range(11, 1, -1)]
    assert report.risks[0].exposure == 5500


def test_bad_grouping_and_unknown_trend_project_are_one_sentence_errors(make_workspace):
    ws = workspace(make_workspace, {"app": project_yaml()})
    with pytest.raises(PpmError, match="--by 'team' is not one of portfolio, program, goal, phase, tag"):
        build_report(ws, ws.projects, AS_OF, by="team")
    with pytest.raises(PpmError, match="did you mean 'app'"):
        project_trend(ws, "ap", AS_OF)


# ---------------------------------------------------------------- invariants

SETTINGS = Settings.model_validate({"name": "T", "currency": "USD", "scoring": {"default": "v", "models": {"v": {"type": "wsjf"}}}})


@st.composite
def projects(draw) -> dict[str, Project]:
    count = draw(st.integers(0, 8))
    found = {}
    for index in range(count):
        pid = f"p{index}"
        statuses = [
            {"date": date(2026, 3, day), "health": draw(st.sampled_from(["green", "amber", "red"])), "percent_complete": float(draw(st.integers(0, 100))), "actual_cost": float(draw(st.integers(0, 200)))}
            for day in sorted(draw(st.sets(st.integers(1, 28), max_size=3)))
        ]
        found[pid] = Project.model_validate(
            {
                "__id__": pid,
                "name": pid,
                "portfolio": draw(st.sampled_from(["x", "y"])),
                "program": draw(st.sampled_from([None, "m", "n"])),
                "manager": "ann",
                "phase": draw(st.sampled_from(["initiation", "execution", "closed"])),
                "start": date(2026, 3, 2),
                "end": date(2026, 3, draw(st.integers(2, 31))),
                "budget": float(draw(st.integers(0, 200))),
                "tags": draw(st.lists(st.sampled_from(["a", "b", "c"]), max_size=3, unique=True)),
                "status": statuses,
            }
        )
    return found


@settings(max_examples=60, deadline=None)
@given(found=projects(), by=st.sampled_from(GROUPINGS), as_of=st.dates(date(2026, 2, 20), date(2026, 4, 10)))
def test_total_is_the_sum_over_distinct_projects_and_single_groupings_partition(found, by, as_of):
    ws = Workspace(settings=SETTINGS, projects=found)
    report = build_report(ws, found, as_of, by=by)
    calendar = calendar_of(SETTINGS)
    slow = [earned_value(p, as_of, calendar).figures for _, p in sorted(found.items())]
    assert report.total.figures.bac == pytest.approx(sum(f.bac for f in slow))
    assert report.total.figures.ev == pytest.approx(sum(f.ev for f in slow))
    assert report.total.figures.pv == pytest.approx(sum(f.pv for f in slow))
    assert report.total.projects == tuple(sorted(found))
    members = [pid for group in report.groups for pid in group.projects]
    if by in ("portfolio", "program", "phase"):
        assert sorted(members) == sorted(found)
        assert sum(g.figures.bac for g in report.groups) == pytest.approx(report.total.figures.bac)
    else:
        assert set(members) == set(found)
