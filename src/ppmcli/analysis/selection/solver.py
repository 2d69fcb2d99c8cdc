"""Analysis layer: 0–1 integer programs solved exactly by HiGHS (highspy, called directly), within a hard deadline, without a word on stdout.

Exact means a zero relative and absolute gap, one thread and a fixed seed, so
the same model gives the same answer every run. Every solve has a time limit
(`DEFAULT_TIME_LIMIT` when the caller names none) and runs in a child process:
HiGHS stops itself at the limit where it checks it, and where it does not (a
long root node on a large model) the parent kills the child `GRACE` seconds
after the limit and returns the best solution the child streamed to it (HiGHS's
improving-solution callback), or the caller's start, with its gap. The child
points file descriptors 1 and 2 at the null device, so HiGHS's banner and logs
never reach machine output (`--format json`).
"""

from __future__ import annotations

import gc
import math
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np

# Any fixed seed will do: what matters is that every run uses the same one.
SEED = 20260101

# Seconds a solve may take when the caller names no limit. Real portfolios prove in well under a
# second (the 2,000-project benchmark with capacity in about one); a model that needs more is
# hostile or far beyond what ppm is for, and gets its best set found and the gap.
DEFAULT_TIME_LIMIT = 60.0

# Seconds past the limit before the solving process is killed: HiGHS, where it checks its limit,
# stops within milliseconds of it and sends its own answer first.
GRACE = 0.5


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
        bound: HiGHS's bound on the objective (nan when unknown): a caller that needs the proof to
            hold to a whole unit, where `proven` accepts a relative gap of 1e-9, compares it with `objective`.
    """

    chosen: tuple[bool, ...]
    primary: tuple[bool, ...]
    proven: bool
    objective: float
    gap: float
    seconds: float
    status: str
    bound: float = math.nan


def _new_solver(time_limit: float | None):  # -> highspy.Highs
    import highspy

    highs = highspy.Highs()
    for name, value in (
        ("output_flag", False),
        ("log_to_console", False),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 0.0),
        ("threads", 1),
        ("random_seed", SEED),
        # HiGHS refuses a coefficient of 10^15 and more (its default bound on "large" ones), and says only that the
        # model is empty; an amount may be 10^15, and a plan's remaining cost is held at 10^16.
        ("large_matrix_value", 1e19),
        ("time_limit", float(time_limit) if time_limit is not None else float("inf")),
        *_EXTRA.items(),
    ):
        highs.setOptionValue(name, value)
    return highs


@dataclass(frozen=True, slots=True)
class Model:
    """One 0–1 program for `solve_all`: the arguments of `solve_binary` but the time limit."""

    values: Sequence[float]
    rows: Rows
    upper: Sequence[int]
    start: Sequence[bool] | None = None
    tiebreak: Sequence[float] | None = None
    # The start is the optimum or near it: HiGHS's neighbourhood searches (RINS, RENS) then find nothing
    # better and take a third of the solve (the 2,000-project plan's tie check and delays).
    near: bool = False
    # False: without presolve's dual fixing (see `solve_binary`).
    dual_fixing: bool = True


# Options of the model being solved, set by the worker for each (one model at a time in its process).
_EXTRA: dict[str, Any] = {}
_NEAR = {"mip_heuristic_run_rins": False, "mip_heuristic_run_rens": False}
# HiGHS's presolve rule 17, dual fixing, off.
_NO_DUAL_FIXING = {"presolve_rule_off": 1 << 17}


def solve_binary(
    values: Sequence[float],
    rows: Rows,
    upper: Sequence[int],
    *,
    start: Sequence[bool] | None = None,
    tiebreak: Sequence[float] | None = None,
    time_limit: float | None = None,
    dual_fixing: bool = True,
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
        time_limit: seconds for both solves together; None for `DEFAULT_TIME_LIMIT`.
            A promise: the call returns within `GRACE` seconds (and the time to stop a
            process) after it, whether or not HiGHS checks its own limit meanwhile.
        dual_fixing: False turns off presolve's dual fixing, which costs `plan`'s value programs (which set
            is worth the most) more than it saves: the 2,000-project benchmark's value is proven in 1.7 s
            instead of 2.6 s (16 % less over five plans); its least-delay programs were sometimes slower
            without it.

    Returns:
        The outcome.
    """
    return solve_all([Model(values, rows, upper, start, tiebreak, dual_fixing=dual_fixing)], time_limit)[0]


def solve_all(models: Sequence[Model], time_limit: float | None = None) -> list[Outcome]:
    """Each model as `solve_binary` solves it, all at once (a process each, so independent solves share the wall time), under one time limit.

    Each answer is the one `solve_binary` gives for its model alone: the processes share nothing.
    """
    began = time.monotonic()
    # A million seconds is as good as no end, and keeps every wait below within what poll() takes.
    limit = DEFAULT_TIME_LIMIT if time_limit is None else min(max(0.0, float(time_limit)), 1e6)
    best = [_Best(model.values, model.upper, model.start) for model in models]
    found: list[Outcome | None] = [Outcome((), (), True, 0.0, 0.0, 0.0, "Optimal") if not model.values else None for model in models]
    if limit > 0:
        from multiprocessing.connection import Connection, wait

        busy: dict[Connection, int] = {}  # connection → model, while its process has not answered
        try:
            for slot, model in enumerate(models):
                if found[slot] is None:
                    connection = _worker(slot)
                    connection.send((model.values, model.rows, model.upper, model.start, model.tiebreak, began + limit, {**(_NEAR if model.near else {}), **({} if model.dual_fixing else _NO_DUAL_FIXING)}))
                    busy[connection] = slot
            while busy:
                ready = wait(list(busy), max(0.0, began + limit + GRACE - time.monotonic()))
                if not ready:
                    break
                for connection in cast(list[Connection], ready):
                    slot = busy[connection]
                    try:
                        kind, *body = connection.recv()
                    except (EOFError, OSError):  # the worker died without an answer: keep what it sent
                        del busy[connection]
                        _stop_worker(slot)
                        continue
                    if kind == "error":
                        del busy[connection]
                        raise RuntimeError(f"the solver failed: {body[0]}")
                    if kind == "done":
                        del busy[connection]
                        answer: Outcome = body[0]
                        if not math.isfinite(answer.gap):  # HiGHS stopped before it had a bound: ours is better than none
                            answer = replace(answer, gap=_gap(answer.objective, best[slot].bound))
                        found[slot] = replace(answer, seconds=time.monotonic() - began)
                    else:
                        best[slot].take(kind, *body)
        finally:
            for slot in busy.values():  # still busy (the deadline passed, or we were interrupted)
                _stop_worker(slot)
    return [outcome if outcome is not None else best[slot].outcome(time.monotonic() - began) for slot, outcome in enumerate(found)]


# The solving processes and our ends of their pipes, one per model solved at once, kept from one
# solve to the next (HiGHS's first MIP solve in a process costs about 10 ms of set-up); each
# replaced after a solve it overran. `_WORKER` is the first. One caller at a time: ppm's analyses
# call the solver from one thread.
_WORKER: list[Any] = []
_WORKERS: list[list[Any]] = [_WORKER]


def _worker(slot: int = 0):  # -> multiprocessing.connection.Connection
    """Our end of the pipe to a live solving process in `slot`, started if there is none."""
    while len(_WORKERS) <= slot:
        _WORKERS.append([])
    held = _WORKERS[slot]
    if held and held[0].is_alive():
        return held[1]
    _stop_worker(slot)
    import multiprocessing

    import highspy  # noqa: F401 - imported once here, not in the worker

    # fork starts at once; elsewhere a fresh interpreter. The parent never runs HiGHS, so no
    # HiGHS thread is lost in the fork.
    context: Any = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs,), daemon=True)
    process.start()
    theirs.close()
    held[:] = [process, ours]
    return ours


def _stop_worker(slot: int | None = None) -> None:
    """Kill the solving process in `slot` (None: every one), whatever it is doing; the next solve starts another."""
    for held in _WORKERS if slot is None else _WORKERS[slot : slot + 1]:
        if held:
            process, connection = held
            held.clear()
            process.kill()
            process.join()
            connection.close()


def _serve(connection) -> None:
    """The worker: solve each model received, streaming each improving solution, then the outcome."""
    # What the fork inherited (a whole workspace) is never garbage here: keep the collector off it,
    # or each collection walks, and copies, every page of it.
    gc.freeze()
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    try:
        while True:
            values, rows, upper, start, tiebreak, deadline, extra = connection.recv()
            _EXTRA.clear()
            _EXTRA.update(extra)
            try:
                message: tuple[str, object] = ("done", _solve(values, rows, upper, start, tiebreak, deadline, connection.send))
            except Exception as error:  # reported to the parent, which raises it there
                message = ("error", f"{type(error).__name__}: {error}")
            connection.send(message)
    finally:
        # No interpreter shutdown (EOF when the parent is gone, or a signal): nothing the fork
        # inherited (stdio buffers, locks another thread held) is touched.
        os._exit(0)


def _solve(values: Sequence[float], rows: Rows, upper: Sequence[int], start: Sequence[bool] | None, tiebreak: Sequence[float] | None, deadline: float, report) -> Outcome:
    """Both stages, in this process; `report` receives ("incumbent", stage, bound, solution) and ("first", outcome)."""
    import highspy

    count = len(values)
    highs = _new_solver(max(0.0, deadline - time.monotonic()))
    stage = [1]

    def improved(event) -> None:
        found = event.data_out
        report(("incumbent", stage[0], float(found.mip_dual_bound), bytes(np.asarray(found.mip_solution) > 0.5)))

    highs.cbMipImprovingSolution.subscribe(improved)
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
    highs.passModel(lp)
    _run(highs, lp.col_cost_, start, deadline)
    first = _read(highs, count)
    if tiebreak is None or not first.proven:
        return first
    report(("first", first))
    stage[0] = 2
    # Second stage: the optimum becomes a floor, and the tie-break the objective.
    floor = first.objective - 1e-9 * max(1.0, abs(first.objective))
    highs.addRow(floor, highspy.kHighsInf, count, np.arange(count, dtype=np.int32), lp.col_cost_)
    costs = np.asarray(tiebreak, dtype=np.float64)
    highs.changeColsCost(count, np.arange(count, dtype=np.int32), costs)
    highs.setOptionValue("time_limit", max(0.0, deadline - time.monotonic()))
    _run(highs, costs, first.chosen, deadline)
    chosen = _read(highs, count).chosen if _feasible(highs) else first.chosen
    return replace(first, chosen=chosen)


def _run(highs, costs: np.ndarray, start: Sequence[bool] | None, deadline: float) -> None:
    """Solve from `start` (within the time limit already set), and again without it when the solution HiGHS returns is not worth the objective it reports.

    HiGHS (1.16) can carry a start into presolve's reduced model at a value the start does not have
    (presolve fixed a column the start leaves at 0), stop there as optimal, and return the start
    itself: a "proven optimal" solution worth less than the optimum.
    """
    if start is not None:
        highs.setSolution(_solution(start))
    highs.run()
    if start is None or not _feasible(highs):
        return
    worth = float(np.dot(costs, np.asarray(highs.getSolution().col_value) > 0.5))
    if abs(worth - highs.getInfo().objective_function_value) > 1e-6 * max(1.0, float(np.abs(costs).sum())):
        highs.clearSolver()  # forgets the start too
        highs.setOptionValue("time_limit", max(0.0, deadline - time.monotonic()))
        highs.run()


class _Best:
    """What the parent knows while the child solves: the best solution streamed so far, its bound, and the start."""

    def __init__(self, values: Sequence[float], upper: Sequence[int], start: Sequence[bool] | None) -> None:
        self.values = values
        self.start = None if start is None else tuple(bool(on) for on in start)
        # No solution is worth more than every variable that may be 1 with a positive value.
        self.bound = sum(max(0.0, float(value)) for value, most in zip(values, upper) if most)
        self.found: tuple[bool, ...] | None = None
        self.first: Outcome | None = None
        self.tied: tuple[bool, ...] | None = None

    def take(self, kind: str, *body) -> None:
        """One message of the child."""
        if kind == "first":
            self.first = body[0]
            return
        stage, bound, solution = body
        chosen = tuple(bool(on) for on in solution)
        if stage == 2:
            self.tied = chosen  # each improves the tie-break at the same optimal value
            return
        self.found = chosen
        if math.isfinite(bound):
            self.bound = min(self.bound, bound)

    def outcome(self, seconds: float) -> Outcome:
        """The best the child reached before it was stopped."""
        if self.first is not None:  # proven; stopped while breaking ties
            return replace(self.first, chosen=self.tied or self.first.chosen, seconds=seconds)
        candidates = [chosen for chosen in (self.found, self.start) if chosen is not None]
        if not candidates:
            none = (False,) * len(self.values)
            return Outcome(none, none, False, 0.0, float("inf"), seconds, "Time limit reached")
        chosen = max(candidates, key=self._value)
        objective = self._value(chosen)
        return Outcome(chosen, chosen, False, objective, _gap(objective, self.bound), seconds, "Time limit reached")

    def _value(self, chosen: Sequence[bool]) -> float:
        return math.fsum(float(value) for value, on in zip(self.values, chosen) if on)


def _gap(objective: float, bound: float) -> float:
    """HiGHS's relative gap: |bound − objective| / |objective|."""
    if bound == objective:
        return 0.0
    return abs(bound - objective) / abs(objective) if objective else float("inf")


def _solution(chosen: Sequence[bool]):  # -> highspy.HighsSolution
    import highspy

    solution = highspy.HighsSolution()
    solution.col_value = [1.0 if on else 0.0 for on in chosen]
    solution.value_valid = True
    return solution


def _feasible(highs) -> bool:
    import highspy

    return highs.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible


def _read(highs, count: int) -> Outcome:
    """The outcome of the last run (`seconds` is the parent's to fill in)."""
    import highspy

    status = highs.getModelStatus()
    info = highs.getInfo()
    if not _feasible(highs):
        return Outcome((False,) * count, (False,) * count, False, 0.0, float("inf"), 0.0, highs.modelStatusToString(status))
    values = highs.getSolution().col_value
    chosen = tuple(value > 0.5 for value in values)
    proven = status == highspy.HighsModelStatus.kOptimal
    gap = 0.0 if proven and info.mip_gap <= 1e-9 else float(info.mip_gap)
    return Outcome(chosen, chosen, proven and gap <= 1e-9, float(info.objective_function_value), gap, 0.0, highs.modelStatusToString(status), float(info.mip_dual_bound))
