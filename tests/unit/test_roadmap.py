"""The roadmap record: open projects only, bars clipped to the range, lanes, milestone states, health as of the date, dependencies."""

from __future__ import annotations

from datetime import date

import pytest

from ppmcli.analysis.delivery.roadmap import build_roadmap, milestone_state
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Milestone, Workspace
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource

AS_OF = date(2026, 6, 15)

BASE = {
    "portfolios/digital.yaml": "name: Digital\nowner: ann\n",
    "portfolios/ops.yaml": "name: Operations\nowner: ann\n",
    "programs/mobile.yaml": "name: Mobile\nportfolio: digital\n",
    "people/ann.yaml": "name: Ann\nrole: pm\n",
}


def project(start: str, end: str, *, phase: str = "execution", where: str = "portfolio: digital", extra: str = "") -> str:
    return f"name: P\n{where}\nmanager: ann\nphase: {phase}\nstart: {start}\nend: {end}\nbudget: 1000\n{extra}"


def workspace(make_workspace, projects: dict[str, str]) -> Workspace:
    root = make_workspace({**BASE, **{f"projects/{pid}.yaml": text for pid, text in projects.items()}})
    ws, findings = load(FileSource(root))
    assert not [f for f in findings if f.severity.name == "ERROR"], findings
    return ws


@pytest.mark.parametrize(
    ("planned", "done", "state"),
    [
        (date(2026, 6, 1), date(2026, 6, 3), "done"),  # done (late) before the date
        (date(2026, 6, 30), date(2026, 6, 10), "done"),  # done early
        (date(2026, 6, 15), date(2026, 6, 15), "done"),  # done on the date itself
        (date(2026, 6, 1), date(2026, 6, 20), "late"),  # done, but only after the date: late as of then
        (date(2026, 6, 14), None, "late"),
        (date(2026, 6, 15), None, "due"),  # due today is not late yet
        (date(2026, 7, 1), date(2026, 7, 1), "due"),
    ],
)
def test_milestone_state(planned, done, state):
    assert milestone_state(Milestone(name="M", date=planned, done=done), AS_OF) == state


def test_default_range_spans_open_projects_only(make_workspace):
    ws = workspace(make_workspace, {
        "a": project("2026-02-02", "2026-09-30"),
        "b": project("2026-05-04", "2027-01-29", phase="proposed"),
        "old": project("2025-01-06", "2025-06-30", phase="closed"),
        "gone": project("2026-01-05", "2027-12-31", phase="cancelled"),
    })
    roadmap = build_roadmap(ws, ws.projects, AS_OF)
    assert (roadmap.start, roadmap.end) == (date(2026, 2, 2), date(2027, 1, 29))
    assert [bar.id for bar in roadmap.bars] == ["a", "b"]
    assert roadmap.outside == ()


def test_bars_are_clipped_and_projects_outside_are_named(make_workspace):
    ws = workspace(make_workspace, {
        "early": project("2026-01-05", "2026-03-31"),
        "long": project("2026-02-02", "2026-12-18"),
        "late": project("2026-08-03", "2026-10-30"),
        "edge": project("2026-06-30", "2026-07-31"),
    })
    roadmap = build_roadmap(ws, ws.projects, AS_OF, start=date(2026, 4, 1), end=date(2026, 6, 30))
    bars = {bar.id: bar for bar in roadmap.bars}
    assert sorted(bars) == ["edge", "long"]
    assert (bars["long"].bar_start, bars["long"].bar_end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (bars["long"].clipped_start, bars["long"].clipped_end) == (True, True)
    # A project that touches the range on its last day is in it, clipped to one day.
    assert (bars["edge"].bar_start, bars["edge"].bar_end, bars["edge"].clipped_start, bars["edge"].clipped_end) == (date(2026, 6, 30), date(2026, 6, 30), False, True)
    assert roadmap.outside == ("early", "late")


def test_only_from_given_runs_to_the_latest_end(make_workspace):
    ws = workspace(make_workspace, {"a": project("2026-02-02", "2026-09-30")})
    roadmap = build_roadmap(ws, ws.projects, AS_OF, start=date(2026, 5, 1))
    assert (roadmap.start, roadmap.end) == (date(2026, 5, 1), date(2026, 9, 30))
    # A --from after every project: an empty range of one day, not an error.
    empty = build_roadmap(ws, ws.projects, AS_OF, start=date(2027, 1, 1))
    assert (empty.start, empty.end, empty.lanes, empty.outside) == (date(2027, 1, 1), date(2027, 1, 1), (), ("a",))


def test_lanes_by_program_sorted_with_no_program_last_and_bars_by_start(make_workspace):
    ws = workspace(make_workspace, {
        "z-first": project("2026-01-05", "2026-06-30", where="program: mobile"),
        "a-second": project("2026-03-02", "2026-06-30", where="program: mobile"),
        "loose": project("2026-01-05", "2026-06-30", where="portfolio: ops"),
    })
    roadmap = build_roadmap(ws, ws.projects, AS_OF, by="program")
    assert [(lane.key, lane.name, [bar.id for bar in lane.bars]) for lane in roadmap.lanes] == [
        ("mobile", "Mobile", ["z-first", "a-second"]),
        (None, None, ["loose"]),
    ]
    by_portfolio = build_roadmap(ws, ws.projects, AS_OF)
    assert [(lane.key, lane.name) for lane in by_portfolio.lanes] == [("digital", "Digital"), ("ops", "Operations")]


def test_health_is_the_newest_status_on_or_before_the_date_and_lanes_take_the_worst(make_workspace):
    status = (
        "status:\n"
        "  - {date: 2026-06-12, health: amber, percent_complete: 40, actual_cost: 400}\n"
        "  - {date: 2026-06-05, health: green, percent_complete: 30, actual_cost: 300}\n"
        "  - {date: 2026-06-19, health: red, percent_complete: 50, actual_cost: 500}\n"
    )
    ws = workspace(make_workspace, {
        "a": project("2026-01-05", "2026-12-18", extra=status),
        "b": project("2026-01-05", "2026-12-18"),
    })
    roadmap = build_roadmap(ws, ws.projects, AS_OF)
    assert [(bar.id, bar.health) for bar in roadmap.bars] == [("a", "amber"), ("b", "unknown")]
    assert roadmap.lanes[0].health == "amber"


def test_milestones_inside_the_range_sit_at_their_done_day(make_workspace):
    milestones = (
        "milestones:\n"
        "  - {name: Kick-off, date: 2026-01-09, done: 2026-01-09}\n"
        "  - {name: Beta, date: 2026-05-01, done: 2026-05-08}\n"
        "  - {name: Pilot, date: 2026-06-01}\n"
        "  - {name: Launch, date: 2026-09-30}\n"
    )
    ws = workspace(make_workspace, {"a": project("2026-01-05", "2026-12-18", extra=milestones)})
    roadmap = build_roadmap(ws, ws.projects, AS_OF, start=date(2026, 4, 1), end=date(2026, 12, 18))
    assert [(m.name, m.state, m.at, m.done) for m in roadmap.bars[0].milestones] == [
        ("Beta", "done", date(2026, 5, 8), date(2026, 5, 8)),
        ("Pilot", "late", date(2026, 6, 1), None),
        ("Launch", "due", date(2026, 9, 30), None),
    ]


def test_dependency_states(make_workspace):
    ws = workspace(make_workspace, {
        "app": project("2026-07-01", "2026-12-18", extra="depends_on: [before, on-start, overlap, closed, cancelled]\n"),
        "before": project("2026-01-05", "2026-06-30"),
        "on-start": project("2026-01-05", "2026-07-01"),
        "overlap": project("2026-01-05", "2026-07-02"),
        "closed": project("2026-01-05", "2026-12-31", phase="closed"),
        "cancelled": project("2026-01-05", "2026-03-31", phase="cancelled"),
    })
    roadmap = build_roadmap(ws, {"app": ws.projects["app"]}, AS_OF)
    assert [(link.needs, link.needs_end, link.state) for link in roadmap.links] == [
        ("before", date(2026, 6, 30), "ok"),
        ("cancelled", date(2026, 3, 31), "cancelled"),
        ("closed", date(2026, 12, 31), "met"),
        # Ending on the day the dependent starts is viable, as in the dependency-not-viable check.
        ("on-start", date(2026, 7, 1), "ok"),
        ("overlap", date(2026, 7, 2), "overlaps"),
    ]


def test_dependency_on_an_unknown_project(make_workspace):
    root = make_workspace({**BASE, "projects/app.yaml": project("2026-07-01", "2026-12-18", extra="depends_on: [ghost]\n")})
    ws, _ = load(FileSource(root))
    roadmap = build_roadmap(ws, ws.projects, AS_OF)
    assert [(link.project, link.needs, link.needs_end, link.state) for link in roadmap.links] == [("app", "ghost", None, "unknown")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "goal"}, "--by 'goal' is not one of portfolio, program"),
        ({"start": date(2026, 5, 1), "end": date(2026, 4, 30)}, "--to 2026-04-30 is before --from 2026-05-01"),
    ],
)
def test_bad_options(make_workspace, kwargs, message):
    ws = workspace(make_workspace, {"a": project("2026-01-05", "2026-06-30")})
    with pytest.raises(PpmError, match=message):
        build_roadmap(ws, ws.projects, AS_OF, **kwargs)
