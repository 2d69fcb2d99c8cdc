"""Tests for analysis.solver: HiGHS stays silent on stdout, proves optimality, and honours a time limit."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time

from conftest import ACME
from ppmcli.analysis.selection.solver import Rows, solve_binary


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
