"""Analysis layer: 0–1 integer programs solved exactly by HiGHS (highspy, called directly), without a word on stdout.

Exact means a zero relative and absolute gap, one thread and a fixed seed, so
the same model gives the same answer every run. HiGHS prints a banner from C++
when a solver is created, below Python's `sys.stdout`; `_silenced()` points
file descriptor 1 at the null device around every call into HiGHS so machine
output (`--format json`) stays clean.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

# Any fixed seed will do: what matters is that every run uses the same one.
SEED = 20260101


@dataclass
class Rows:
    """Constraint rows `lower ≤ Σ coefficient · x ≤ upper`, gathered row by row (CSR)."""

    starts: list[int] = field(default_factory=lambda: [0])
    columns: list[int] = field(default_factory=list)
    coefficients: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    def add(self, columns: Sequence[int], coefficients: Sequence[float], lower: float, upper: float) -> None:
        """Append one row."""
        self.columns.extend(columns)
        self.coefficients.extend(coefficients)
        self.starts.append(len(self.columns))
        self.lower.append(lower)
        self.upper.append(upper)

    def __len__(self) -> int:
        return len(self.lower)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the solver found.

    Attributes:
        chosen: per variable, whether it is 1 in the best solution found (after the tie-break).
        primary: the same before the tie-break (callers check exactly that the tie-break kept the value).
        proven: the solution is proven optimal (status optimal, zero gap).
        objective: the solver's objective value of `chosen` (floating point; callers recompute exactly).
        gap: HiGHS's relative gap between `objective` and the best bound (0 when proven).
        seconds: wall time of the whole solve (model, both stages).
        status: HiGHS's model status, in words.
    """

    chosen: tuple[bool, ...]
    primary: tuple[bool, ...]
    proven: bool
    objective: float
    gap: float
    seconds: float
    status: str


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    """Send whatever C/C++ code writes to file descriptor 1 to the null device meanwhile."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all: nothing to protect
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        yield
    finally:
        _flush_c_stdio()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def _flush_c_stdio() -> None:
    # C stdio buffers output to a pipe; flush it while fd 1 is still the null device.
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # no C library to reach (Windows): HiGHS flushes its own lines
        pass


def _new_solver(time_limit: float | None):  # -> highspy.Highs
    import highspy

    with _silenced():
        highs = highspy.Highs()
    for name, value in (
        ("output_flag", False),
        ("log_to_console", False),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 0.0),
        ("threads", 1),
        ("random_seed", SEED),
        ("time_limit", float(time_limit) if time_limit is not None else float("inf")),
    ):
        highs.setOptionValue(name, value)
    return highs


def solve_binary(
    values: Sequence[float],
    rows: Rows,
    upper: Sequence[int],
    *,
    start: Sequence[bool] | None = None,
    tiebreak: Sequence[float] | None = None,
    time_limit: float | None = None,
) -> Outcome:
    """Maximize Σ values · x over x ∈ {0, 1}ⁿ under `rows`, with x_i ≤ upper_i.

    Args:
        values: objective coefficient per variable.
        rows: the constraints.
        upper: 0 to rule a variable out, 1 otherwise.
        start: a feasible solution to start from (it bounds the search at once, and is
            what a time limit returns at worst).
        tiebreak: when given and the first solve is proven optimal, a second solve keeps
            the objective at its optimum and maximizes Σ tiebreak · x, so that one set
            is chosen among equally valuable ones by a rule, not by the search path.
        time_limit: seconds for both solves together; None for no limit.

    Returns:
        The outcome.
    """
    import highspy

    count = len(values)
    if count == 0:
        return Outcome((), (), True, 0.0, 0.0, 0.0, "Optimal")
    began = time.perf_counter()
    highs = _new_solver(time_limit)
    lp = highspy.HighsLp()
    lp.num_col_ = count
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.asarray(values, dtype=np.float64)
    lp.col_lower_ = np.zeros(count)
    lp.col_upper_ = np.asarray(upper, dtype=np.float64)
    lp.row_lower_ = np.asarray(rows.lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(rows.upper, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = count
    lp.a_matrix_.num_row_ = len(rows)
    lp.a_matrix_.start_ = np.asarray(rows.starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(rows.columns, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(rows.coefficients, dtype=np.float64)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * count
    with _silenced():
        highs.passModel(lp)
        if start is not None:
            highs.setSolution(_solution(start))
        highs.run()
    first = _read(highs, count, began)
    if tiebreak is None or not first.proven:
        return first
    # Second stage: the optimum becomes a floor, and the tie-break the objective.
    floor = first.objective - 1e-9 * max(1.0, abs(first.objective))
    with _silenced():
        highs.addRow(floor, highspy.kHighsInf, count, np.arange(count, dtype=np.int32), lp.col_cost_)
        highs.changeColsCost(count, np.arange(count, dtype=np.int32), np.asarray(tiebreak, dtype=np.float64))
        if time_limit is not None:
            highs.setOptionValue("time_limit", max(0.0, float(time_limit) - (time.perf_counter() - began)))
        highs.setSolution(_solution(first.chosen))
        highs.run()
    chosen = _read(highs, count, began).chosen if _feasible(highs) else first.chosen
    return Outcome(chosen, first.chosen, True, first.objective, first.gap, time.perf_counter() - began, first.status)


def _solution(chosen: Sequence[bool]):  # -> highspy.HighsSolution
    import highspy

    solution = highspy.HighsSolution()
    solution.col_value = [1.0 if on else 0.0 for on in chosen]
    solution.value_valid = True
    return solution


def _feasible(highs) -> bool:
    import highspy

    return highs.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible


def _read(highs, count: int, began: float) -> Outcome:
    import highspy

    status = highs.getModelStatus()
    info = highs.getInfo()
    if not _feasible(highs):
        return Outcome((False,) * count, (False,) * count, False, 0.0, float("inf"), time.perf_counter() - began, highs.modelStatusToString(status))
    values = highs.getSolution().col_value
    chosen = tuple(value > 0.5 for value in values)
    proven = status == highspy.HighsModelStatus.kOptimal
    gap = 0.0 if proven and info.mip_gap <= 1e-9 else float(info.mip_gap)
    return Outcome(chosen, chosen, proven and gap <= 1e-9, float(info.objective_function_value), gap, time.perf_counter() - began, highs.modelStatusToString(status))
