"""`ppm roadmap --plan`: the plan's dates on the timeline (a late candidate moved with its milestones, a stopped project marked, a left-out one gone)."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from conftest import ACME, run_ppm
from ppmcli.analysis.delivery.roadmap import build_roadmap
from ppmcli.analysis.selection.options import PlanOptions
from ppmcli.analysis.selection.plan import plan
from test_plan import AS_OF, BUSY, MARCH, NEW, project, workspace


def test_the_roadmap_draws_the_plan_s_dates() -> None:
    other = project("other", 10, 10, team=(("dev", 1, MARCH),), milestones=[{"name": "go", "date": date(2027, 3, 15)}])
    ws = workspace(BUSY, NEW, other)
    found = plan(ws, ws.projects, AS_OF, PlanOptions(months=3, max_delay=1, budget=Fraction(160)))
    # new waits for busy's March; other (rank 2) fits neither the budget nor a month.
    assert {row.id: (row.selected, row.delay) for row in found.projects} == {"busy": (True, 0), "new": (True, 1), "other": (False, None)}
    roadmap = build_roadmap(ws, ws.projects, AS_OF, plan=found)
    bars = {bar.id: bar for bar in roadmap.bars}
    assert set(bars) == {"busy", "new"} and roadmap.left_out == ("other",)
    assert (bars["new"].planned_start, bars["new"].start, bars["new"].end) == (date(2027, 3, 1), date(2027, 4, 1), date(2027, 4, 30))
    assert roadmap.planned and not bars["busy"].stopped and bars["busy"].planned_start is None
    stopped = build_roadmap(ws, ws.projects, AS_OF, plan=plan(ws, ws.projects, AS_OF, PlanOptions(months=3, stop=("busy",))))
    # busy stopped frees March for new; other still does not fit it.
    assert [(bar.id, bar.stopped, bar.planned_start) for bar in stopped.bars] == [("busy", True, None), ("new", False, None)]


def test_a_late_candidate_s_milestones_move_with_it() -> None:
    moved = project("new", 80, 50, team=(("dev", 1, MARCH),), milestones=[{"name": "go", "date": date(2027, 3, 31)}])
    ws = workspace(BUSY, moved)
    roadmap = build_roadmap(ws, ws.projects, AS_OF, plan=plan(ws, ws.projects, AS_OF, PlanOptions(months=3, max_delay=1)))
    assert [(m.name, m.date) for bar in roadmap.bars if bar.id == "new" for m in bar.milestones] == [("go", date(2027, 4, 30))]


def test_roadmap_plan_on_acme_marks_the_late_start_in_every_format() -> None:
    args = ("-C", ACME, "--as-of", "2026-11-25", "roadmap", "--plan", "--budget", "5000000", "--max-delay", "3")
    code, out, _ = run_ppm(*args, "--format", "plain")
    assert code == 0
    assert "  ai-support-assistant »" in out and "  ai-support-assistant: planned 2027-04-05 → 2027-07-05" in out
    # The plan leaves two out: not drawn, and named under the chart (they vanished without a word), as the title says it is a plan's.
    assert out.startswith("Roadmap of the plan · Acme Software")
    assert "\n  Not started, so not drawn: mobile-app-outsourced, ml-demand-forecasting.\n" in out  # in rank order
    assert "  ml-demand-forecasting " not in out
    assert json.loads(run_ppm(*args, "--format", "json")[1])["left_out"] == ["mobile-app-outsourced", "ml-demand-forecasting"]
    bars = {bar["id"]: bar for group in json.loads(run_ppm(*args, "--format", "json")[1])["groups"] for bar in group["projects"]}
    assert (bars["ai-support-assistant"]["planned_start"], bars["ai-support-assistant"]["start"]) == ("2027-04-05", "2027-07-05")
    assert bars["customer-mobile-app"]["stopped"] is False and bars["customer-mobile-app"]["planned_start"] is None
    assert "planned 2027-04-05 → 2027-07-05" in run_ppm(*args, "--format", "markdown")[1]
    stopped = run_ppm(*args, "--stop", "customer-mobile-app", "--format", "plain")[1]
    assert "  customer-mobile-app ✕" in stopped and "customer-mobile-app: stopped" in stopped
    # Without a plan, the plan's options are a mistake, said in one sentence; and the JSON has no plan keys.
    assert run_ppm("-C", ACME, "roadmap", "--budget", "5")[0] == 2
    assert "planned_start" not in run_ppm("-C", ACME, "--as-of", "2026-11-25", "roadmap", "--format", "json")[1]


def test_a_plan_that_breaks_its_limits_says_so_under_its_roadmap_and_fails() -> None:
    # Drawn silently with exit 0, it showed the running projects alone, as if the plan started nothing by choice.
    args = ("-C", ACME, "--as-of", "2026-11-25", "roadmap", "--plan", "--budget", "100")
    code, out, _ = run_ppm(*args, "--format", "plain")
    assert code == 1 and max(map(len, out.splitlines())) <= 100  # the plain chart's width, its sentences wrapped to it
    words = " ".join(out.split())
    assert "The plan breaks its limits with what it must keep and start, so it starts nothing else (ppm plan says more):" in words
    assert "\n  BREACH budget: the kept running projects and the forced candidates cost" in out
    code, out, _ = run_ppm(*args, "--format", "json")
    assert code == 1 and [breach["limit"] for breach in json.loads(out)["breaches"]] == ["budget"]
    code, out, _ = run_ppm(*args, "--format", "markdown")
    assert code == 1 and "\n- BREACH budget: the kept running projects and the forced candidates cost" in out
    # A plan within its limits has none, and passes.
    code, out, _ = run_ppm("-C", ACME, "--as-of", "2026-11-25", "roadmap", "--plan", "--budget", "5000000", "--format", "json")
    assert code == 0 and json.loads(out)["breaches"] == []
