"""analysis.context: one context per workspace, and the results analyses share through it (each project scored once by prioritize and plan)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from ppmcli.analysis.context import context
from ppmcli.analysis.selection import scoring
from ppmcli.analysis.selection.options import PlanOptions
from ppmcli.analysis.selection.plan import plan
from ppmcli.analysis.selection.prioritize import Limits, prioritize
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Project, Settings, Workspace

SETTINGS = Settings.model_validate(
    {"name": "T", "currency": "USD", "scoring": {"default": "v", "models": {"v": {"type": "weighted", "criteria": {"v": {"weight": 1, "scale": [0, 100]}}}}}}
)


def project(pid: str, v: float, phase: str = "proposed") -> Project:
    return Project.model_validate({
        "__id__": pid, "name": pid, "portfolio": "main", "manager": "pm", "phase": phase,
        "start": date(2027, 3, 1), "end": date(2027, 3, 31), "budget": 10, "scores": {"v": v},
    })


def workspace(*projects: Project) -> Workspace:
    return Workspace(settings=SETTINGS, projects={p.id: p for p in projects})


def test_one_context_per_workspace_and_once_computes_once_per_settings():
    settings = SETTINGS.model_copy()
    ws, other = Workspace(settings=settings, projects={"a": project("a", 1)}), Workspace(settings=settings, projects={"a": project("a", 1)})
    assert context(ws) is context(ws) and context(other) is not context(ws)
    calls = []
    assert context(ws).once(("k", 1), lambda: calls.append(1) or "x") == "x"
    assert context(ws).once(("k", 1), lambda: calls.append(2) or "y") == "x"
    assert context(ws).once(("k", 2), lambda: calls.append(3) or "z") == "z"
    # What once keeps belongs to the settings object: a workspace with the same ppm.yaml (a diff's other side) shares it.
    assert calls == [1, 3] and context(other).once(("k", 1), lambda: "w") == "x"
    elsewhere = Workspace(settings=settings.model_copy(), projects={"a": project("a", 1)})
    assert context(elsewhere).once(("k", 1), lambda: "w") == "w"


def test_two_sides_with_the_same_settings_score_the_project_they_share_once(monkeypatch):
    shared = project("a", 30)
    base = Workspace(settings=SETTINGS, projects={"a": shared, "b": project("b", 70)})
    head = Workspace(settings=SETTINGS, projects={"a": shared, "b": project("b", 10)})
    scored: list[str] = []
    score = scoring._Scorer.score
    monkeypatch.setattr(scoring._Scorer, "score", lambda self, p, **kw: scored.append(p.id) or score(self, p, **kw))
    assert [row.id for row in prioritize(base, base.projects).rows] == ["b", "a"]
    assert [row.id for row in prioritize(head, head.projects).rows] == ["a", "b"]
    assert sorted(scored) == ["a", "b", "b"]


def test_invalid_settings_are_one_sentence():
    with pytest.raises(PpmError, match="ppm.yaml is invalid"):
        context(Workspace(settings=None))


def test_prioritize_and_plan_score_each_project_once(monkeypatch):
    # Two candidates and a running project: prioritize ranks all three, plan the candidates, from the same scores.
    ws = workspace(project("a", 30), project("b", 70), project("run", 50, "execution"))
    scored: list[str] = []
    score = scoring._Scorer.score
    monkeypatch.setattr(scoring._Scorer, "score", lambda self, p, **kw: scored.append(p.id) or score(self, p, **kw))
    selection = prioritize(ws, ws.projects, limits=Limits(budget=Fraction(20)))
    found = plan(ws, ws.projects, date(2027, 3, 1), PlanOptions(budget=20, months=3))
    assert sorted(scored) == ["a", "b", "run"]
    assert [(row.id, row.rank) for row in selection.rows] == [("b", 1), ("run", 2), ("a", 3)]
    # The plan's ranks are among its candidates only, as when it scores them itself.
    assert [(row.id, row.rank) for row in found.projects if row.state == "candidate"] == [("b", 1), ("a", 2)]


def test_a_score_is_reused_only_for_the_same_project():
    ws = workspace(project("a", 30), project("b", 70))
    scores: dict = {}
    first = scoring.rank_projects(ws.projects, SETTINGS, scores=scores)
    assert set(scores) == {"a", "b"} and scoring.rank_projects(ws.projects, SETTINGS, scores=scores) == first
    # Another project under the same id (another workspace) is scored anew, never given the old one's score.
    changed = {"a": project("a", 90), "b": ws.projects["b"]}
    assert [(row.id, row.rank) for row in scoring.rank_projects(changed, SETTINGS, scores=scores).rows] == [("a", 1), ("b", 2)]
    assert scores["a"][0] is changed["a"]
