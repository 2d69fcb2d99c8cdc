"""Tests for analysis.solver: HiGHS stays silent on stdout, proves optimality, and returns by its deadline whatever HiGHS does."""

from __future__ import annotations

import json
import math
import re
import random
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from conftest import ACME
from ppmcli.analysis.selection import solver
from ppmcli.analysis.selection.solver import GRACE, Model, Outcome, Rows, solve_all, solve_binary


def test_the_highs_banner_never_reaches_stdout_of_a_process():
    # HiGHS prints its banner from C++ straight to file descriptor 1 when a solver is created.
    code = "from ppmcli.analysis.selection.solver import Rows, solve_binary\nsolve_binary([1.0], Rows(), [1])\nprint('only this')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "only this\n"


def test_prioritize_optimal_json_through_a_pipe_is_pure_json():
    args = ["-m", "ppmcli", "-C", str(ACME), "--as-of", "2026-11-25", "prioritize", "--budget", "5000000", "--method", "optimal", "--format", "json"]
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)
    assert "HiGHS" not in done.stdout
    rows = json.loads(done.stdout)
    assert [row["rank"] for row in rows] == list(range(1, len(rows) + 1))
    # Not a terminal: no solver summary on stderr either.
    assert done.stderr == ""


def test_knapsack_is_solved_to_proven_optimality():
    # Capacity 10: items (value, weight) 6/5, 5/4, 5/4, 3/2 → 5 + 5 (+ nothing) = 10 with weight 8, or 6 + 5 = 11 with weight 9, or 5 + 5 + 3 = 13 with 10.
    rows = Rows()
    rows.add(range(4), [5, 4, 4, 2], -float("inf"), 10)
    outcome = solve_binary([6, 5, 5, 3], rows, [1, 1, 1, 1])
    assert outcome.proven and outcome.gap == 0
    assert outcome.chosen == (False, True, True, True)
    assert outcome.objective == 13


def test_upper_bound_zero_rules_a_variable_out():
    outcome = solve_binary([10, 1], Rows(), [0, 1])
    assert outcome.chosen == (False, True)


def test_time_limit_returns_the_best_set_found_with_its_gap_never_hangs():
    # A strongly correlated multi-dimensional knapsack: far too hard to prove in a twentieth of a second.
    rng = random.Random(3)
    count = 60
    rows = Rows()
    weights = []
    for _ in range(6):
        row = [rng.randint(10000, 20000) for _ in range(count)]
        weights.append(row)
        rows.add(range(count), row, -float("inf"), sum(row) // 2)
    values = [w + 1000 for w in weights[0]]
    start = [index < 10 for index in range(count)]  # feasible: ten items fill well under half of every row
    began = time.perf_counter()
    outcome = solve_binary(values, rows, [1] * count, start=start, time_limit=0.05)
    assert time.perf_counter() - began < 5
    assert not outcome.proven
    assert outcome.gap > 0
    assert sum(v for v, on in zip(values, outcome.chosen) if on) >= sum(v for v, on in zip(values, start) if on)
    for row in weights:
        assert sum(w for w, on in zip(row, outcome.chosen) if on) <= sum(row) // 2


def hard_knapsack(count: int, dimensions: int) -> tuple[list[int], Rows, list[list[int]], list[bool]]:
    """A strongly correlated multi-dimensional 0-1 knapsack (values, rows, weights, a feasible start):
    HiGHS cannot prove 100 items × 10 dimensions in 120 s on our machines."""
    rng = random.Random(3)
    rows = Rows()
    weights = []
    for _ in range(dimensions):
        row = [rng.randint(10000, 20000) for _ in range(count)]
        weights.append(row)
        rows.add(range(count), row, -float("inf"), sum(row) // 2)
    values = [w + 1000 for w in weights[0]]
    return values, rows, weights, [index < 10 for index in range(count)]


def feasible(weights: list[list[int]], chosen: tuple[bool, ...]) -> bool:
    return all(sum(w for w, on in zip(row, chosen) if on) <= sum(row) // 2 for row in weights)


@pytest.fixture
def fresh_worker():
    """The solving process is forked from this one at its first solve, so patches reach it when it
    is restarted after them; and again afterwards, so that no later test sees them."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the solving process takes patches by fork")
    solver._stop_worker()
    yield
    solver._stop_worker()


@pytest.fixture
def highs_ignoring_its_limit(monkeypatch, fresh_worker):
    """HiGHS as at a long root node on a large model: it never looks at its time limit."""
    real = solver._new_solver
    monkeypatch.setattr(solver, "_new_solver", lambda seconds: real(None))


def test_a_start_presolve_misjudges_does_not_pass_for_optimal():
    # The plan of test_plan's x0..x3 case (four candidates × three delays, step form). HiGHS 1.16's presolve
    # fixes column 2 at 1, maps the start (column 2 at 0) into the reduced model worth 1, calls that optimal
    # and returns the start, worth 0.
    rows = Rows()
    rows.add((2, 5, 8, 11), (1.0,) * 4, -float("inf"), float("inf"))
    for a, b in ((0, 1), (1, 2), (0, 3), (1, 4), (2, 5), (3, 4), (4, 5), (6, 7), (7, 8), (9, 10), (10, 11)):
        rows.add((a, b), (1.0, -1.0), -float("inf"), 0.0)
    rows.add((8,), (1.0,), 1.0, 1.0)
    rows.add((11,), (1.0,), 1.0, 1.0)
    rows.add((0, 6), (0.5, 8.0), -float("inf"), 8.000001)
    rows.add((0, 1, 4, 5, 6, 7, 8, 10, 11), (-3.5, 3.5, -0.5, 0.5, -10.5, 10.5, 0.5, -1.0, 1.0), -float("inf"), 11.000001)
    rows.add((1, 2, 7, 8), (-3.0, 3.0, -10.5, 10.5), -float("inf"), 10.500001)
    values = [0.0, 0.0, 1.0] + [0.0] * 9
    start = (False,) * 3 + (True,) * 9
    for tiebreak in (None, [-1.0] * 12):
        outcome = solve_binary(values, rows, [1] * 12, start=start, tiebreak=tiebreak)
        assert outcome.proven and outcome.objective == 1.0
        assert outcome.primary[2] and outcome.chosen[2]

def test_the_deadline_holds_when_highs_ignores_its_limit(highs_ignoring_its_limit):
    values, rows, weights, start = hard_knapsack(100, 10)
    began = time.monotonic()
    outcome = solve_binary(values, rows, [1] * len(values), start=start, tiebreak=[1.0] * len(values), time_limit=1.0)
    took = time.monotonic() - began
    # Killed at 1 s + GRACE; unbounded, this solve runs for minutes. Slack for a loaded machine.
    assert 1.0 <= took < 1.0 + GRACE + 2.5
    assert not outcome.proven and outcome.status == "Time limit reached"
    # The best solution HiGHS streamed before it was stopped, with the gap to its bound then.
    assert 0 < outcome.gap < 0.01
    assert feasible(weights, outcome.chosen) and outcome.chosen == outcome.primary
    assert outcome.objective == sum(v for v, on in zip(values, outcome.chosen) if on) > sum(v for v, on in zip(values, start) if on)


def test_models_solved_at_once_get_the_answers_each_gets_alone():
    knapsack = Rows()
    knapsack.add(range(4), [5, 4, 4, 2], -float("inf"), 10)
    equal = Rows()  # twelve equal items, room for five, some pairs exclusive: the tie-break picks one set
    equal.add(range(12), [1.0] * 12, -float("inf"), 5)
    for a, b in ((0, 1), (2, 3), (4, 7)):
        equal.add((a, b), (1.0, 1.0), -float("inf"), 1)
    models = [Model([6, 5, 5, 3], knapsack, [1, 1, 1, 1]), Model([1.0] * 12, equal, [1] * 12, tiebreak=[1 / (i + 1) for i in range(12)]), Model([], Rows(), [])]
    together = solve_all(models)
    assert [(o.chosen, o.proven) for o in together] == [((False, True, True, True), True), ((True, False, True, False, True, True, True) + (False,) * 5, True), ((), True)]
    alone = [solve_binary(m.values, m.rows, m.upper, tiebreak=m.tiebreak) for m in models]
    assert [o.chosen for o in alone] == [o.chosen for o in together]


def test_a_model_near_its_optimum_is_solved_without_neighbourhood_searches_to_the_same_answer(monkeypatch, fresh_worker):
    values, rows, _, start = hard_knapsack(12, 3)
    plain, near = solve_all([Model(values, rows, [1] * 12, start), Model(values, rows, [1] * 12, start, near=True)])
    assert plain.proven and near.proven and plain.chosen == near.chosen

    def options(values, rows, upper, start, tiebreak, deadline, report):  # what HiGHS is set to in the worker
        highs = solver._new_solver(1.0)
        said = tuple(highs.getOptionValue(name)[1] for name in ("mip_heuristic_run_rins", "mip_heuristic_run_rens", "mip_rel_gap"))
        return Outcome((), (), True, 0.0, 0.0, 0.0, repr(said))

    solver._stop_worker()
    monkeypatch.setattr(solver, "_solve", options)
    said = [outcome.status for outcome in solve_all([Model([1.0], Rows(), [1], near=True), Model([1.0], Rows(), [1])])]
    assert said == ["(False, False, 0.0)", "(True, True, 0.0)"]
    # The next model in the same process is back to the defaults.
    assert solve_binary([1.0], Rows(), [1]).status == "(True, True, 0.0)"


def test_a_model_without_dual_fixing_is_solved_to_the_same_answer_with_presolve_told_so(monkeypatch, fresh_worker):
    values, rows, _, start = hard_knapsack(12, 3)
    plain, without = solve_all([Model(values, rows, [1] * 12, start), Model(values, rows, [1] * 12, start, dual_fixing=False)])
    assert plain.proven and without.proven and plain.chosen == without.chosen
    assert solve_binary(values, rows, [1] * 12, start=start, dual_fixing=False).chosen == plain.chosen

    def options(values, rows, upper, start, tiebreak, deadline, report):  # what HiGHS is set to in the worker
        return Outcome((), (), True, 0.0, 0.0, 0.0, repr(solver._new_solver(1.0).getOptionValue("presolve_rule_off")[1]))

    solver._stop_worker()
    monkeypatch.setattr(solver, "_solve", options)
    said = [outcome.status for outcome in solve_all([Model([1.0], Rows(), [1], dual_fixing=False), Model([1.0], Rows(), [1], near=True)])]
    assert said == [str(1 << 17), "0"]
    assert solve_binary([1.0], Rows(), [1], dual_fixing=False).status == str(1 << 17)
    assert solve_binary([1.0], Rows(), [1]).status == "0"


def test_the_deadline_holds_for_every_model_solved_at_once(highs_ignoring_its_limit):
    values, rows, weights, start = hard_knapsack(100, 10)
    easy = Rows()
    easy.add(range(2), [1, 1], -float("inf"), 1)
    began = time.monotonic()
    hard, quick, other = solve_all([Model(values, rows, [1] * len(values), start), Model([2.0, 1.0], easy, [1, 1]), Model(values, rows, [1] * len(values), start)], time_limit=1.0)
    assert 1.0 <= time.monotonic() - began < 1.0 + GRACE + 2.5
    assert (quick.chosen, quick.proven) == ((True, False), True)
    for outcome in (hard, other):  # each the best its process streamed, with its gap
        assert not outcome.proven and 0 < outcome.gap < 0.01 and feasible(weights, outcome.chosen)
    assert not solver._WORKERS[0] and solver._WORKERS[1] and not solver._WORKERS[2]  # the overrunning processes killed, the one that answered kept


def test_a_hard_model_returns_by_its_time_limit_with_the_best_set_and_its_gap():
    values, rows, weights, start = hard_knapsack(100, 10)
    began = time.monotonic()
    outcome = solve_binary(values, rows, [1] * len(values), start=start, time_limit=1.0)
    assert time.monotonic() - began < 1.0 + GRACE + 2.5
    assert not outcome.proven and 0 < outcome.gap < 0.01
    assert feasible(weights, outcome.chosen)


def test_the_solving_process_is_reused_and_replaced_after_a_kill(highs_ignoring_its_limit):
    values, rows, _, start = hard_knapsack(100, 10)
    first = solver._worker()
    assert solver._worker() is first  # kept between solves
    solve_binary(values, rows, [1] * len(values), start=start, time_limit=0.2)
    assert not solver._WORKER  # killed at the deadline
    # The next solve gets a fresh process and the same proven answer as ever.
    knapsack = Rows()
    knapsack.add(range(4), [5, 4, 4, 2], -float("inf"), 10)
    assert solve_binary([6, 5, 5, 3], knapsack, [1, 1, 1, 1]).chosen == (False, True, True, True)


def test_same_model_same_proven_answer_in_a_new_or_a_reused_process():
    # Twelve equal items, room for five, some pairs exclusive: many optimal sets; the tie-break picks one.
    rows = Rows()
    rows.add(range(12), [1.0] * 12, -float("inf"), 5)
    for a, b in ((0, 1), (2, 3), (4, 7)):
        rows.add((a, b), (1.0, 1.0), -float("inf"), 1)
    answers = []
    for fresh in (True, False, False):
        if fresh:
            solver._stop_worker()
        answers.append(solve_binary([1.0] * 12, rows, [1] * 12, tiebreak=[1 / (i + 1) for i in range(12)]))
    assert all(answer.proven for answer in answers)
    assert {answer.chosen for answer in answers} == {(True, False, True, False, True, True, True) + (False,) * 5}


def test_no_time_left_returns_the_start_at_once_not_proven():
    values, rows, _, start = hard_knapsack(100, 10)
    began = time.monotonic()
    outcome = solve_binary(values, rows, [1] * len(values), start=start, time_limit=0)
    assert time.monotonic() - began < 0.1
    assert (outcome.chosen, outcome.proven) == (tuple(start), False)
    # The gap against the only bound known without solving: every positive value taken.
    objective = sum(v for v, on in zip(values, start) if on)
    assert outcome.objective == objective and outcome.gap == pytest.approx((sum(values) - objective) / objective)


def test_highs_stopped_before_it_had_a_bound_gets_the_gap_to_every_value_taken(monkeypatch, fresh_worker):
    def no_bound_yet(values, rows, upper, start, tiebreak, deadline, report):
        return Outcome((True, False), (True, False), False, 3.0, float("inf"), 0.0, "Time limit reached")

    monkeypatch.setattr(solver, "_solve", no_bound_yet)
    outcome = solve_binary([3.0, 9.0], Rows(), [1, 1], time_limit=1)
    assert (outcome.chosen, outcome.proven, outcome.gap) == ((True, False), False, 3.0)  # (12 - 3) / 3


def test_stopped_while_breaking_ties_the_proven_optimum_stands():
    best = solver._Best([3.0, 3.0, 1.0], [1, 1, 1], None)
    first = Outcome((True, False, True), (True, False, True), True, 4.0, 0.0, 0.0, "Optimal")
    best.take("incumbent", 1, 4.0, bytes([1, 0, 1]))
    best.take("first", first)
    best.take("incumbent", 2, 0.5, bytes([0, 1, 1]))  # the tie-break stage found a better-ranked set of the same value
    outcome = best.outcome(1.5)
    assert math.isnan(outcome.bound)  # no bound streamed; nan is equal to nothing, itself included (Python 3.13 compares fields one by one)
    assert replace(outcome, bound=0.0) == Outcome((False, True, True), (True, False, True), True, 4.0, 0.0, 1.5, "Optimal", 0.0)


def test_stopped_before_any_solution_without_a_start_nothing_is_chosen_and_the_gap_is_unknown():
    outcome = solver._Best([3.0, -1.0], [1, 1], None).outcome(2.0)
    assert (outcome.chosen, outcome.proven, outcome.objective, outcome.gap) == ((False, False), False, 0.0, float("inf"))


# ---------------------------------------------------------------- the dashboard's frontier


def test_the_dashboard_notes_the_frontier_budgets_its_time_left_unproven(ppm, tmp_path, monkeypatch):
    from ppmcli.analysis import dashboard

    monkeypatch.setattr(dashboard, "FRONTIER_SECONDS", 0.0)
    path = tmp_path / "acme.html"
    assert ppm("-C", ACME, "--as-of", "2026-11-25", "report", "--format", "html", "-o", path)[0] == 0
    page = path.read_text(encoding="utf-8")
    # No time at all: every budget keeps its greedy set, drawn open, and one line says so.
    assert re.search(r"<p>Open markers: 11 of 11 budgets are the best sets found within the dashboard's time for the frontier, not proven optimal \(largest gap \d+\.\d\d%\); ", page)


def test_a_dense_dependency_graph_does_not_hold_the_dashboard(make_workspace, ppm, tmp_path, monkeypatch):
    # The case: 300 projects, each depending on every earlier one (44,850 dependency rows);
    # unbounded, its frontier alone took 30 s on a loaded 2-core machine.
    from ppmcli.analysis import dashboard

    monkeypatch.setattr(dashboard, "FRONTIER_SECONDS", 1.0)
    files = {
        "people/ann.yaml": "name: Ann\nrole: pm\n",
        "portfolios/main.yaml": "name: Main\nowner: ann\nbudget: 1000000\n",
    }
    for index in range(300):
        files[f"projects/p{index:03d}.yaml"] = (
            f"name: P {index}\nmanager: ann\nportfolio: main\nphase: proposed\nstart: 2027-01-04\nend: 2027-06-30\n"
            f"budget: {10000 + 7919 * index % 90000}\ngoals: {{growth: 1}}\nscores: {{financial_value: {1 + index % 5}, alignment: 3}}\n"
            f"depends_on: [{', '.join(f'p{earlier:03d}' for earlier in range(index))}]\n"
        )
    root = make_workspace(files)
    began = time.monotonic()
    code, _, err = ppm("-C", root, "--as-of", "2026-11-25", "report", "--format", "html", "-o", tmp_path / "dense.html")
    assert (code, err) == (0, f"wrote {tmp_path / 'dense.html'}\n")
    # 1 s for the frontier, plus the load, checks and model building: about 3 s on a loaded 2-core machine.
    assert time.monotonic() - began < 10
