"""Tests for analysis.scoring: hand-computed scores per model, exact ties, unscored projects, the explanation."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppmcli.analysis.selection.scoring import explain, rank_projects, score_project
from ppmcli.core.numbers import exact
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Project, Settings

SETTINGS = Settings.model_validate(
    {
        "name": "T",
        "currency": "USD",
        "goals": {"growth": {"name": "Growth", "weight": 3}, "cost": {"name": "Cost", "weight": 1}},
        "scoring": {
            "default": "value",
            "models": {
                "value": {
                    "type": "weighted",
                    "criteria": {
                        "alignment": {"weight": 30},
                        "financial_value": {"weight": 25, "scale": [1, 5]},
                        "urgency": {"weight": 15},
                        "risk": {"weight": 20, "higher_is_better": False},
                    },
                },
                "wsjf": {"type": "wsjf"},
                "rice": {"type": "rice"},
            },
        },
    }
)


def project(pid: str, scores: dict[str, float], goals: Any = None, phase: str = "proposed", budget: float = 100.0) -> Project:
    return Project.model_validate(
        {
            "__id__": pid,
            "name": pid,
            "portfolio": "main",
            "manager": "pm",
            "phase": phase,
            "start": date(2026, 1, 5),
            "end": date(2026, 6, 30),
            "budget": budget,
            "goals": goals or {},
            "scores": scores,
        }
    )


def test_weighted_score_by_hand():
    # alignment n = (3·1 + 1·0.5) / 4 = 0.875; financial_value (4−1)/4 = 0.75; urgency (3−1)/4 = 0.5;
    # risk 1 − (2−1)/4 = 0.75. Score = 100 · (30·0.875 + 25·0.75 + 15·0.5 + 20·0.75) / 90 = 100 · 67.5 / 90 = 75.
    p = project("p", {"financial_value": 4, "urgency": 3, "risk": 2}, goals={"growth": 1.0, "cost": 0.5})
    scored = score_project(p, SETTINGS.scoring.models["value"], SETTINGS.goals)
    assert scored.score == 75
    assert scored.value == 75
    assert [(t.name, t.normalized) for t in scored.terms] == [
        ("alignment", Fraction(7, 8)),
        ("financial_value", Fraction(3, 4)),
        ("urgency", Fraction(1, 2)),
        ("risk", Fraction(3, 4)),
    ]
    # Shares are 100 · w · n / Σw: 26.25·100/90, 18.75·100/90, 7.5·100/90, 15·100/90.
    assert [t.share for t in scored.terms] == [Fraction(2625, 90), Fraction(1875, 90), Fraction(750, 90), Fraction(1500, 90)]


def test_alignment_without_goals_is_zero_and_unknown_goals_count_for_nothing():
    # No goals: n = 0; only financial_value (n 1), urgency (n 1), risk (n 1) count: 100 · 60 / 90.
    best = {"financial_value": 5, "urgency": 5, "risk": 1}
    plain = score_project(project("p", best), SETTINGS.scoring.models["value"], SETTINGS.goals)
    stray = score_project(project("q", best, goals={"nowhere": 1.0}), SETTINGS.scoring.models["value"], SETTINGS.goals)
    assert plain.score == stray.score == Fraction(200, 3)


def test_wsjf_by_hand():
    # (8 + 5 + 2) / 3 = 5; the value is the cost of delay, 15.
    scored = score_project(project("p", {"business_value": 8, "time_criticality": 5, "risk_reduction": 2, "job_size": 3}), SETTINGS.scoring.models["wsjf"], {})
    assert (scored.score, scored.value) == (5, 15)
    assert sum(t.share for t in scored.terms if t.share is not None) == scored.score


def test_rice_by_hand():
    # 1000 · 2 · 0.5 / 4 = 250; the value is reach · impact · confidence, 1000.
    scored = score_project(project("p", {"reach": 1000, "impact": 2, "confidence": 0.5, "effort": 4}), SETTINGS.scoring.models["rice"], {})
    assert (scored.score, scored.value) == (250, 1000)


def test_decimal_inputs_compare_exactly_so_point_one_plus_point_two_ties_with_point_three():
    # In floating point 0.1 + 0.2 > 0.3, which would rank 'b' first; exactly they tie, so 'a' (by id) leads.
    projects = {
        "a": project("a", {"business_value": 0.3, "time_criticality": 0, "risk_reduction": 0, "job_size": 1}),
        "b": project("b", {"business_value": 0.1, "time_criticality": 0.2, "risk_reduction": 0, "job_size": 1}),
    }
    assert 0.1 + 0.2 > 0.3
    ranking = rank_projects(projects, SETTINGS, "wsjf")
    assert [(row.id, row.rank, row.score) for row in ranking.rows] == [("a", 1, Fraction(3, 10)), ("b", 2, Fraction(3, 10))]
    assert exact(0.1) + exact(0.2) == exact(0.3)


def test_ranking_lists_open_projects_by_score_then_id_and_unscored_last_with_what_they_lack():
    full = {"financial_value": 3, "urgency": 3, "risk": 3}
    projects = {
        "zeta": project("zeta", full),
        "alpha": project("alpha", full),
        "top": project("top", {"financial_value": 5, "urgency": 5, "risk": 1}),
        "gap": project("gap", {"urgency": 3}),
        "bad": project("bad", {"financial_value": 9, "urgency": 3, "risk": 3}),
        "done": project("done", full, phase="closed"),
        "dead": project("dead", full, phase="cancelled"),
    }
    ranking = rank_projects(projects, SETTINGS)
    assert (ranking.model, ranking.type) == ("value", "weighted")
    assert [(row.id, row.rank) for row in ranking.rows] == [("top", 1), ("alpha", 2), ("zeta", 3), ("bad", None), ("gap", None)]
    lacks = {row.id: row.lacks for row in ranking.rows}
    assert lacks["gap"] == ("lacks 'financial_value'", "lacks 'risk'")
    assert lacks["bad"] == ("score 'financial_value' is 9, outside its scale [1, 5]",)
    assert ranking.rows[-1].score is None and ranking.rows[-1].value is None


def test_unknown_model_is_a_one_sentence_error():
    with pytest.raises(PpmError, match="--model 'nope' is not defined in ppm.yaml"):
        rank_projects({}, SETTINGS, "nope")


def test_explain_gives_the_rank_among_the_projects_looked_at_and_rejects_unknown_ids():
    projects = {
        "a": project("a", {"financial_value": 5, "urgency": 5, "risk": 1}),
        "b": project("b", {"financial_value": 2, "urgency": 2, "risk": 4}),
    }
    explanation = explain(projects, SETTINGS, "b")
    assert (explanation.project, explanation.model, explanation.rank) == ("b", "value", 2)
    with pytest.raises(PpmError, match="no project 'c'"):
        explain(projects, SETTINGS, "c")


decimals = st.decimals(min_value=0, max_value=100, places=2).map(float)


@settings(max_examples=150, deadline=None)
@given(
    weights=st.lists(st.integers(1, 50).map(float), min_size=4, max_size=4),
    values=st.lists(st.decimals(min_value=1, max_value=5, places=2).map(float), min_size=3, max_size=3),
    contributions=st.lists(st.decimals(min_value=0, max_value=1, places=2).map(float), min_size=2, max_size=2),
    goal_weights=st.lists(decimals.filter(lambda w: w > 0), min_size=2, max_size=2),
    lower_is_better=st.booleans(),
)
def test_weighted_shares_sum_exactly_to_the_score_and_match_the_formula(weights, values, contributions, goal_weights, lower_is_better):
    criteria = dict(zip(("alignment", "financial_value", "urgency", "risk"), ({"weight": w} for w in weights)))
    criteria["risk"]["higher_is_better"] = not lower_is_better
    model_settings = Settings.model_validate(
        {
            "name": "T",
            "currency": "USD",
            "goals": {"g1": {"name": "G1", "weight": goal_weights[0]}, "g2": {"name": "G2", "weight": goal_weights[1]}},
            "scoring": {"default": "m", "models": {"m": {"type": "weighted", "criteria": criteria}}},
        }
    )
    p = project("p", dict(zip(("financial_value", "urgency", "risk"), values)), goals={"g1": contributions[0], "g2": contributions[1]})
    scored = score_project(p, model_settings.scoring.models["m"], model_settings.goals)
    assert sum(t.share for t in scored.terms) == scored.score
    # The formula of the contract, written out with exact decimals.
    d = [exact(x) for x in values]
    w = [exact(x) for x in weights]
    g = [exact(x) for x in goal_weights]
    alignment = (g[0] * exact(contributions[0]) + g[1] * exact(contributions[1])) / (g[0] + g[1])
    risk = (d[2] - 1) / 4
    n = [alignment, (d[0] - 1) / 4, (d[1] - 1) / 4, 1 - risk if lower_is_better else risk]
    assert scored.score == 100 * sum(wi * ni for wi, ni in zip(w, n)) / sum(w)
    assert 0 <= scored.score <= 100
    # A ranking scores without terms, adding up in integers: the same exact value.
    assert rank_projects({"p": p}, model_settings, "m").rows[0].score == scored.score


def test_the_file_formats_model_types_are_the_registrys() -> None:
    from typing import get_args

    from conftest import REPO
    from ppmcli.analysis.selection.scoring import MODEL_TYPES
    from ppmcli.core.model import ScoringModel

    assert set(get_args(ScoringModel.model_fields["type"].annotation)) == set(MODEL_TYPES)
    readme = (REPO / "README.md").read_text()
    for name, kind in MODEL_TYPES.items():  # the README's table of model types says each formula as the class does
        assert f"| `{name}` | {kind.formula} | {kind.value} |" in readme


# WSJF inputs that give scores from ties to far beyond a float's range (a job size of 1e-300), and ones equal as floats but not exactly.
_WSJF_INPUTS = st.fixed_dictionaries({
    "business_value": st.sampled_from([0.1, 0.3, 1e15, 1e15 - 1, 3.0000000000000004]),
    "time_criticality": st.sampled_from([0, 0.2, 1e-9]),
    "risk_reduction": st.sampled_from([0, 1]),
    "job_size": st.sampled_from([1e-300, 5e-324, 1, 3, 1e15]),
})


@given(st.lists(_WSJF_INPUTS, min_size=1, max_size=8))
def test_ranking_order_is_the_exact_scores_order_whatever_their_size(inputs):
    projects = {f"p{index}": project(f"p{index}", scores) for index, scores in enumerate(inputs)}
    ranking = rank_projects(projects, SETTINGS, "wsjf")
    # The slow obvious version: exact scores, highest first, equal ones by id.
    expected = sorted(projects, key=lambda pid: (-score_project(projects[pid], SETTINGS.scoring.models["wsjf"], {}).score, pid))
    assert [row.id for row in ranking.rows] == expected
    assert [row.rank for row in ranking.rows] == list(range(1, len(inputs) + 1))
