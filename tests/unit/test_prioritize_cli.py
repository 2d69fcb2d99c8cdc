"""Tests for `ppm score` and `ppm prioritize` options: what goes together, one-sentence errors, machine output."""

from __future__ import annotations

import json

import pytest

from conftest import ACME

BASE = ("-C", str(ACME), "--as-of", "2026-11-25")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--budget", "lots"), "--budget 'lots' is not an amount"),
        (("--budget", "-5"), "--budget '-5' must be an amount from 0 to 10^15"),
        (("--method", "best", "--budget", "1"), "--method 'best' is not one of greedy, optimal"),
        (("--method", "optimal"), "--method selects under a limit; add --budget N or --capacity"),
        (("--force-in", "supplier-portal"), "--force-in selects under a limit"),
        (("--compare", "random", "--budget", "1"), "only --compare greedy"),
        (("--compare", "greedy", "--method", "greedy", "--budget", "1"), "use it with --method optimal"),
        (("--time-limit", "5", "--budget", "1"), "--time-limit bounds the exact solver; add --method optimal"),
        (("--time-limit", "0", "--budget", "1", "--method", "optimal"), "--time-limit must be a finite number of seconds above 0, not 0"),
        (("--time-limit", "1" * 400, "--budget", "1", "--method", "optimal"), "--time-limit must be a finite number of seconds above 0, not infinity (so does a number too large to read, 1e400)"),
        (("--steps", "4"), "--steps sets the budget steps of --frontier"),
        (("--frontier", "--budget", "1"), "--frontier varies the budget itself"),
        (("--frontier", "--steps", "0"), "--steps must be at least 1"),
        (("--frontier", "--steps", "1000000000"), "--steps must be at most 100, not 1000000000"),
        (("--frontier", "--steps", "1" + "0" * 400), "--steps must be at most 100, not 1" + "0" * 78 + "…\n"),
        (("--portfolio", "nope"), "--portfolio: no portfolio 'nope'"),
        (("--format", "github"), "--format 'github' is not available here"),
    ],
)
def test_options_that_cannot_work_are_one_sentence_and_exit_2(ppm, args, message):
    code, out, err = ppm(*BASE, "prioritize", *args)
    assert (code, out) == (2, "")
    assert err.startswith("ppm: error: ") and message in err
    assert err.count("\n") == 1


def test_budget_accepts_separators_and_exponents(ppm):
    outputs = {ppm(*BASE, "prioritize", "--budget", text, "--format", "json")[1] for text in ("5000000", "5_000_000", "5,000,000", "5e6")}
    assert len(outputs) == 1


def test_compare_implies_optimal_and_json_keeps_rank_order(ppm):
    code, out, _ = ppm(*BASE, "prioritize", "--budget", "5000000", "--compare", "greedy", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert [row["rank"] for row in rows] == list(range(1, 14))
    gained = {row["id"] for row in rows if row["selected"] and not row["greedy_selected"]}
    assert gained == {"customer-mobile-app", "mobile-loyalty-program"}


def test_frontier_json_runs_from_the_forced_cost_to_everything(ppm):
    code, out, _ = ppm(*BASE, "prioritize", "--frontier", "--steps", "2", "--format", "json")
    steps = json.loads(out)
    assert code == 0
    # gdpr-data-retention (300,000) is mandatory; the 12 other open projects cost 7,980,000.
    assert [step["budget"] for step in steps] == [300000, 4290000, 8280000]
    assert steps[0]["selected"] == ["gdpr-data-retention"]
    assert all(step["proven_optimal"] and step["gap"] == 0 for step in steps)
    assert steps[-1]["value"] >= steps[1]["value"] >= steps[0]["value"]
    # Greedy proves nothing: it says so, as `ppm plan` does.
    code, out, _ = ppm(*BASE, "prioritize", "--frontier", "--steps", "2", "--method", "greedy", "--format", "json")
    assert code == 0 and [(step["proven_optimal"], step["gap"]) for step in json.loads(out)] == [(False, None)] * 3


def test_score_explain_json_and_unknown_project(ppm):
    code, out, _ = ppm(*BASE, "score", "--explain", "customer-mobile-app", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["score"], data["rank"]) == (68.06, 1)
    assert round(sum(c["share"] for c in data["criteria"]), 2) == 68.06
    code, _, err = ppm(*BASE, "score", "--explain", "nope")
    assert code == 2 and "--explain: no project 'nope'" in err


def test_tag_filter_narrows_the_ranking_and_ranks_restart(ppm):
    code, out, _ = ppm(*BASE, "score", "--tag", "mobile", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert [(row["rank"], row["id"]) for row in rows][0] == (1, "customer-mobile-app")
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))


def test_json_and_csv_say_on_stderr_what_the_forced_projects_break(make_workspace):
    from conftest import run_ppm

    person = "name: Pat\nrole: pm\n"
    project = "name: {name}\nportfolio: main\nmanager: pat\nphase: planning\nstart: 2026-01-05\nend: 2026-06-30\nbudget: {budget}\nscores: {{financial_value: 3, urgency: 3, risk: 2}}\n"
    root = make_workspace(
        {
            "portfolios/main.yaml": "name: Main\nowner: pat\n",
            "people/pat.yaml": person,
            "projects/a.yaml": project.format(name="A", budget=400) + "excludes: [b]\n",
            "projects/b.yaml": project.format(name="B", budget=300) + "mandatory: true\n",
        }
    )
    for fmt in ("json", "csv", "text"):
        code, out, err = run_ppm("-C", root, "--as-of", "2026-01-01", "--format", fmt, "prioritize", "--budget", "500", "--force-in", "a")
        assert code == 0 and out
        if fmt == "text":
            assert err == "" and "700, 200 over the budget of 500" in out
            continue
        assert err == (
            "ppm: warning: the forced projects alone break a limit, so nothing else is selected: budget: the forced projects alone cost 700, 200 over the budget of 500.\n"
            "ppm: warning: forced projects a and b exclude each other; both are selected, so the exclusion is broken\n"
        ), err
    # The frontier says the same of its steps.
    code, out, err = run_ppm("-C", root, "--as-of", "2026-01-01", "--format", "json", "prioritize", "--frontier", "--force-in", "a", "--method", "greedy")
    assert code == 0 and out and "ppm: warning: forced projects a and b exclude each other" in err
