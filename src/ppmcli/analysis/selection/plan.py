"""Analysis layer: `ppm plan`, what to start and when, on top of the running portfolio.

Running projects (execution, monitoring) are kept at their remaining cost and
remaining demand unless stopped; candidates (proposed, initiation, planning)
are left out or started 0 … `max_delay` whole months late. Budget, monthly role
capacity over the horizon (supply from `--as-of` on, plus hires), dependencies
in delay order, exclusions and forced projects bind. `greedy` walks the
ranking and takes each candidate at its smallest fitting delay; `optimal` is
one 0–1 program (a variable per candidate and delay) solved by HiGHS.

Ranking, the forced set and the reasons' words are selection's; demand and
supply are allocation's, over the horizon's months with the first one cut to
start on `--as-of`, so days already gone count on neither side.
"""

from __future__ import annotations

import calendar as _months
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from functools import cached_property
from math import lcm
from typing import Any, cast

from ppmcli.analysis.context import context
from ppmcli.analysis.selection.scoring import Ranked, Scored, rank_projects
from ppmcli.core.numbers import exact
from ppmcli.analysis.selection.options import CANDIDATE, RUNNING, Hire, PlanOptions, check_fit, check_options, hire_changes_nothing, horizon
from ppmcli.analysis.selection.forced import IN_A_CYCLE, forced_projects, unmet_dependencies
from ppmcli.analysis.selection.prioritize import CAPACITY_TOLERANCE, Limits, Problem, Solve, amount, exclusions, never_selected, ranked_below, without_implied
from ppmcli.analysis.resources.workdays import Period, WorkCalendar
from ppmcli.core.errors import counted, cut
from ppmcli.core.names import did_you_mean
from ppmcli.core.model import Project, Workspace

# Below this many candidates, the tie-break weights 2^-rank order plans exactly by their ranks (doubles hold them apart).
EXACT_RANK_WEIGHTS = 20
# Whole numbers up to this are exact in doubles with room to spare (2^53 ≈ 9e15), and far from HiGHS's tolerances (1e-6 relative and more).
EXACT_INTEGERS = 10**9

# (month key "2026-03", role), as in selection.
Cell = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One project of the plan.

    Attributes:
        id, state: the project, "running" or "candidate".
        rank, score, value: the candidate's, in the ranking of candidates; a running project has its score under the
            model (None when unscored), and no rank and no value: it is kept, not ranked among the candidates, and its
            value is committed already (the contract: running projects carry no value in the plan).
        cost: remaining cost, max(0, EAC − AC).
        selected: kept (running) or started (candidate).
        delay: months late; None when not selected.
        start, end: dates after the delay (a left-out candidate's planned dates).
        planned_start: the start in the project's file.
        reason: why it is not in the plan (None when it is): "stopped", or the first limit at delay 0.
        forced: why a candidate must be selected ("mandatory", "--force-in", "needed by ID"), or None.
        delayed_by: why a delayed candidate does not start a month earlier, or None.
        frees: for a stopped project, the person-days it frees per role (horizon total), roles in name order.
        freed_months: for a stopped project, the first and last month it frees demand in, or None.
        after_horizon: a started candidate with a team that starts after the horizon's last month, where no demand
            is checked: a delay that far "fits" whatever its team needs.
    """

    id: str
    state: str
    rank: int | None
    score: Fraction | None
    value: Fraction | None
    cost: Fraction
    selected: bool
    delay: int | None
    start: date
    end: date
    planned_start: date
    reason: str | None = None
    forced: str | None = None
    delayed_by: str | None = None
    frees: tuple[tuple[str, float], ...] = ()
    freed_months: tuple[str, str] | None = None
    after_horizon: bool = False


@dataclass(frozen=True, slots=True)
class CapacityCell:
    """One role in one month of the horizon, in person-days.

    Attributes:
        role, period: the role and the month key.
        supply: people's available days from `--as-of` on, plus `hires`.
        hires: the days the hires add.
        demand: the kept running projects' and the selected candidates' demand.
        utilization: demand / supply; None when supply is 0.
        overloaded: the kept running projects alone need more than the supply.
    """

    role: str
    period: str
    supply: float
    hires: float
    demand: float
    utilization: float | None
    overloaded: bool


@dataclass(frozen=True, slots=True)
class Breach:
    """A limit the forced placement breaks: `limit` is budget, capacity, dependency or exclusion."""

    limit: str
    detail: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What `ppm plan` shows.

    Attributes:
        as_of: the reference date.
        first, last: the horizon's first and last month keys.
        model, type: the scoring model.
        method: greedy or optimal.
        solve: how the exact method ended (optimal only, when it ran).
        budget: the budget limit, or None.
        cost: kept running projects plus selected candidates.
        value: the selected candidates'.
        max_delay: the most months a candidate may start late.
        hires: the hires asked for.
        projects: running projects by id, then candidates in rank order.
        capacity: every role × month of the horizon.
        breaches: the limits the forced placement breaks (then nothing else is selected).
        warnings: anything else the output must say.
    """

    as_of: date
    first: str
    last: str
    model: str
    type: str
    method: str
    solve: Solve | None
    budget: Fraction | None
    cost: Fraction
    value: Fraction
    max_delay: int
    hires: tuple[Hire, ...]
    projects: tuple[PlanRow, ...]
    capacity: tuple[CapacityCell, ...]
    breaches: tuple[Breach, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def proven(self) -> bool:
        return self.solve is not None and self.solve.proven

    @property
    def gap(self) -> float | None:
        """The relative gap when the time limit stopped the solver; None when proven or greedy."""
        return None if self.solve is None or self.solve.proven else self.solve.gap

    @property
    def left(self) -> Fraction | None:
        return None if self.budget is None else self.budget - self.cost

    @property
    def overloaded(self) -> tuple[tuple[str, str], ...]:
        return tuple((cell.role, cell.period) for cell in self.capacity if cell.overloaded)

    @property
    def binding(self) -> tuple[CapacityCell, ...]:
        """Role-months the plan fills to exactly 100 % (as shown): overloaded ones and a forced breach's, above it, aside."""
        return tuple(cell for cell in self.capacity if not cell.overloaded and cell.utilization is not None and cell.demand > 0 and round(cell.utilization, 4) == 1.0)


# ---------------------------------------------------------------- dates


def shift(day: date, months: int) -> date:
    """`day` moved `months` calendar months later, the day of the month kept (the month's last day when it is shorter)."""
    if months == 0:
        return day
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if year > date.max.year:
        return date.max
    return date(year, month0 + 1, min(day.day, _months.monthrange(year, month0 + 1)[1]))


# ---------------------------------------------------------------- the problem


@dataclass
class _World:
    """Everything both methods read, built once."""

    ws: Workspace
    world: Mapping[str, Project]
    options: PlanOptions
    calendar: WorkCalendar
    periods: list[Period]
    model: str
    type: str
    running: list[str]  # kept, by id
    stopped: list[str]
    order: list[str]  # candidates in rank order
    rows: dict[str, Ranked]  # candidates, cost = remaining cost
    costs: dict[str, Fraction]  # every running project and candidate
    forced: dict[str, str]
    out: dict[str, str]
    needs: dict[str, tuple[tuple[str, str | None], ...]]
    excludes: dict[str, tuple[str, ...]]  # candidates and kept running projects each candidate excludes
    demand: dict[tuple[str, int], dict[Cell, float]]  # (candidate, delay) → cells
    running_demand: dict[str, dict[Cell, float]]  # every running project (stopped ones too) → cells
    supply: dict[Cell, float]
    hired: dict[Cell, float]
    limit: dict[Cell, float]  # max(supply, kept running demand)
    base: dict[Cell, float]  # kept running demand
    roles: list[str]
    problems: list[Problem] = field(default_factory=list)  # selection's wording, one per delay
    running_scores: dict[str, Fraction | None] = field(default_factory=dict)  # every running project's score (None: unscored)
    warnings: list[str] = field(default_factory=list)

    @property
    def delays(self) -> range:
        return range(self.options.max_delay + 1)

    @cached_property
    def running_cost(self) -> Fraction:
        return sum((self.costs[pid] for pid in self.running), Fraction(0))

    def value(self, pid: str) -> Fraction:
        return self.rows[pid].value or Fraction(0)

    def room(self) -> dict[Cell, float]:
        """What the candidates may use per cell: the limit less the kept running projects' demand."""
        return {cell: self.limit[cell] - self.base.get(cell, 0.0) for cell in self.limit}

    def why_not(self, pid: str, delay: int, state: _State) -> str | None:
        """The first limit that stops `pid` starting at `delay` beside the plan `state` holds, in prioritize's order and words (budget, dependencies, exclusions, capacity)."""
        problem = self.problems[delay]
        first = problem.why_not(pid, state.chosen, state.left, None)
        if first is None or first.startswith("excludes "):
            for dep, never in self.needs[pid]:
                if never is None and state.placed.get(dep, -1) > delay:
                    return f"depends on {dep}, which starts {counted(state.placed[dep], 'month')} late"
        return first or problem.why_not(pid, state.chosen, None, state.remaining)


COST_CAP = Fraction(10**16)


def _remaining_cost(project: Project, as_of: date) -> Fraction:
    """max(0, EAC − AC) as of `as_of`, exactly as the figures are written."""
    from ppmcli.analysis.delivery.evm import estimate_and_actual

    eac, ac = estimate_and_actual(project, as_of, exact)
    # Some money spent at a percent complete near 0 forecasts an EAC of 10^300 and more: beyond any budget (at most
    # 10^15), held at 10^16 so that it still fits a float.
    return min(max(Fraction(0), eac - ac), COST_CAP)


def _needs(ws: Workspace, world: Mapping[str, Project], candidates: Mapping[str, Ranked], running: set[str], pids: Sequence[str]) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """Each candidate's dependencies not met already, each with None (met when selected no later than it) or why it never is.

    As in prioritize, with the running projects between: a kept one meets a dependency, a stopped one never does
    (an open project of the plan's world that is neither a candidate nor kept is a stopped running project).
    """
    return {
        pid: tuple((dep, "stopped" if never is not None and never != IN_A_CYCLE and dep in world and world[dep].phase.is_open else never) for dep, never in needs if dep not in running)
        for pid, needs in unmet_dependencies(ws, world, candidates, pids).items()
    }


def _build(ws: Workspace, world: Mapping[str, Project], as_of: date, options: PlanOptions) -> _World:
    from ppmcli.analysis.resources.allocation import delayed_role_demand_cells, role_supply

    ctx = context(ws)
    calendar = ctx.calendar
    check_fit(ws, world, as_of, options)
    periods = horizon(as_of, options.months)
    running_all = sorted(pid for pid, project in world.items() if project.phase in RUNNING)
    candidate_projects = {pid: project for pid, project in world.items() if project.phase in CANDIDATE}
    stopped = sorted(set(options.stop))
    running = [pid for pid in running_all if pid not in stopped]
    scores: dict[str, tuple[Project, Scored]] = ctx.once(("scores", options.model), dict)
    ranking = rank_projects(candidate_projects, ctx.settings, options.model, scores=scores)
    costs = {pid: _remaining_cost(world[pid], as_of) for pid in [*running_all, *(row.id for row in ranking.rows)]}
    rows = {row.id: replace(row, cost=costs[row.id]) for row in ranking.rows}
    order = [row.id for row in ranking.rows]
    kept = set(running)
    needs = _needs(ws, world, rows, kept, order)
    forced = forced_projects(ws, world, rows, order, needs, options.force_in)
    out = never_selected(ws, rows, order, forced, Limits(force_out=options.force_out))
    # Demand: each running project as planned, each candidate at every delay, in one counting pass; and the roles
    # every open project books (the running ones and the candidates are all of them), in the horizon or not.
    cells, booked = delayed_role_demand_cells(ws, {pid: world[pid] for pid in [*running_all, *order]}, order, options.max_delay, calendar, periods)
    running_demand = {pid: cells[(pid, 0)] for pid in running_all}
    demand = {(pid, delay): cells[(pid, delay)] for pid in order for delay in range(options.max_delay + 1)}
    supply: dict[Cell, float] = {}
    keys = [period.key for period in periods]
    for role, days in role_supply(ws, calendar, periods).items():
        supply.update(((key, role), figure) for key, figure in zip(keys, days))
    hired: dict[Cell, float] = {}
    for hire in options.hires:
        for period in periods:
            if hire.month is None or period.key >= hire.month:
                cell = (period.key, hire.role)
                hired[cell] = hired.get(cell, 0.0) + hire.count * calendar.count(period.start, period.end)
    for cell, added in hired.items():
        supply[cell] = supply.get(cell, 0.0) + added
    roles = sorted({role for _, role in supply} | set(booked))  # every demand cell's role is booked
    base: dict[Cell, float] = {}
    for pid in running:
        for cell, need in running_demand[pid].items():
            base[cell] = base.get(cell, 0.0) + need
    limit = {(key, role): max(supply.get((key, role), 0.0), base.get((key, role), 0.0)) for role in roles for key in keys}
    result = _World(
        ws, world, options, calendar, periods, ranking.model, ranking.type, running, stopped, order, rows, costs, forced, out, needs,
        exclusions(world, rows, order, kept), demand, running_demand, supply, hired, limit, base, roles,
    )
    # A hire of a role no one holds and no open project books changes no plan: most often a misspelt role.
    held = {person.role for person in ws.people.values()} | set(booked)
    for hire in options.hires:
        if hire.role not in held:
            result.warnings.append(f"--hire {cut(str(hire))}: {hire_changes_nothing(hire.role)}{did_you_mean(hire.role, held)}")
    # A running project is scored as the candidates are, to show beside them; it is not ranked among them,
    # and its value is not part of the plan's (the candidates selected).
    result.running_scores = {row.id: row.score for row in rank_projects({pid: world[pid] for pid in running_all}, ctx.settings, options.model, scores=scores).rows}
    # selection's problem, for its wording of why a project does not fit: one per delay (the demand differs).
    problem = Problem(ranking, rows, order, forced, out, needs, result.excludes, supply=limit, capacity=True, standing=dict.fromkeys(running, "running"))
    result.problems = [replace(problem, demand={pid: demand[(pid, delay)] for pid in order}) for delay in result.delays]
    return result


# ---------------------------------------------------------------- forced placement and breaches


def _kept_and_forced(world: _World, forced: bool) -> str:
    """What a plan must keep and start, as its breaches and the reasons they give name it."""
    if world.running and forced:
        return "the kept running projects and the forced candidates"
    return "the forced candidates" if forced else "the kept running projects"


def _breaches(world: _World) -> list[Breach]:
    """Every limit the kept running projects and the forced candidates at delay 0 break (empty when they hold them all)."""
    found = []
    forced = [pid for pid in world.order if pid in world.forced]
    budget = world.options.budget
    cost = world.running_cost + sum((world.costs[pid] for pid in forced), Fraction(0))
    if budget is not None and cost > budget:
        who = _kept_and_forced(world, bool(forced))
        found.append(Breach("budget", f"{who} cost {amount(cost)}, {amount(cost - budget)} over the budget of {amount(budget)}"))
    need = dict(world.base)
    for pid in forced:
        for cell, days in world.demand[(pid, 0)].items():
            need[cell] = need.get(cell, 0.0) + days
    for month, role in sorted(need):
        days, limit = need[(month, role)], world.limit.get((month, role), 0.0)
        if days > limit + CAPACITY_TOLERANCE:
            found.append(Breach("capacity", f"{role} in {month}: needs {days:.1f} days, {limit:.1f} available ({days - limit:.1f} over)"))
    for pid in forced:
        for dep, never in world.needs[pid]:
            if never is not None:
                found.append(Breach("dependency", f"{pid} depends on {dep}, {never}"))
        for other in world.excludes[pid]:
            if other in world.running or (other in world.forced and pid < other):
                found.append(Breach("exclusion", f"{pid} excludes {other}, {'running' if other in world.running else 'forced too'}"))
    return found


def _fits(world: _World, pid: str, delay: int, placed: Mapping[str, int], left: Fraction | None, remaining: Mapping[Cell, float]) -> bool:
    if left is not None and world.costs[pid] > left:
        return False
    for dep, never in world.needs[pid]:
        if never is not None or dep not in placed or placed[dep] > delay:
            return False
    if any(other in placed or other in world.running for other in world.excludes[pid]):
        return False
    return all(days <= remaining.get(cell, 0.0) + CAPACITY_TOLERANCE for cell, days in world.demand[(pid, delay)].items())


@dataclass
class _State:
    """A plan being built: delays placed, budget left and room left per cell; `chosen` is the placed candidates and the kept running projects."""

    placed: dict[str, int]
    left: Fraction | None
    remaining: dict[Cell, float]
    chosen: set[str]

    def place(self, world: _World, pid: str, delay: int, sign: int = 1) -> None:
        """Start `pid` at `delay`; with `sign` −1, take it back out."""
        if sign > 0:
            self.placed[pid] = delay
            self.chosen.add(pid)
        else:
            del self.placed[pid]
            self.chosen.discard(pid)
        if self.left is not None:
            self.left -= sign * world.costs[pid]
        for cell, days in world.demand[(pid, delay)].items():
            self.remaining[cell] = self.remaining.get(cell, 0.0) - sign * days


def _start(world: _World) -> _State:
    budget = world.options.budget
    return _State({}, None if budget is None else budget - world.running_cost, world.room(), set(world.running))


def _forced_order(world: _World) -> list[str]:
    """The forced candidates in rank order, each one's forced dependencies before it."""
    rank = {pid: index for index, pid in enumerate(world.order)}
    result: list[str] = []
    seen: set[str] = set()

    def visit(pid: str) -> None:
        if pid in seen:
            return
        seen.add(pid)
        for dep in sorted((dep for dep, never in world.needs[pid] if never is None and dep in world.forced), key=rank.__getitem__):
            visit(dep)
        result.append(pid)

    for pid in world.order:
        if pid in world.forced:
            visit(pid)
    return result


def _place_forced(world: _World, time_limit: float | None) -> _State | None:
    """The forced candidates, each at its smallest fitting delay; when that fails, any placement the solver finds; None when there is none."""
    state = _start(world)
    for pid in _forced_order(world):
        delay = next((d for d in world.delays if _fits(world, pid, d, state.placed, None, state.remaining)), None)
        if delay is None:
            break
        state.place(world, pid, delay)
    else:
        return state
    # Smallest delays one by one can paint the forced set into a corner; the solver looks at every placement.
    members = list(world.forced)
    chosen, _ = _solve(world, members, None, None, time_limit, least_delay=True)
    if chosen is None:
        return None
    state = _start(world)
    for pid in _forced_order(world):
        state.place(world, pid, chosen[pid])
    return state


# ---------------------------------------------------------------- greedy


def _greedy(world: _World, state: _State) -> tuple[dict[str, int], dict[str, str]]:
    """Walk the ranking from the forced placement; each candidate at its smallest fitting delay. Returns (delays, reasons)."""
    reasons: dict[str, str] = {}
    for pid in world.order:
        if pid in state.placed:
            continue
        if pid in world.out:
            reasons[pid] = world.out[pid]
            continue
        delay = next((d for d in world.delays if _fits(world, pid, d, state.placed, state.left, state.remaining)), None)
        if delay is None:
            # At delay 0 some limit fails (else delay 0 would fit): name it.
            reasons[pid] = cast(str, world.why_not(pid, 0, state))
            continue
        state.place(world, pid, delay)
    ranked_below(reasons, world.needs, state.placed)
    return state.placed, reasons


# ---------------------------------------------------------------- optimal


def _rank_weights(count: int) -> list[float]:
    """Per rank position, a weight that outweighs every position below it: 2^-i exactly for few candidates, 1/(i+1) beyond."""
    if count <= EXACT_RANK_WEIGHTS:
        return [2.0 ** -index for index in range(count)]
    return [1.0 / (index + 1) for index in range(count)]


def _solve(
    world: _World,
    members: Sequence[str],
    start: Mapping[str, int] | None,
    budget_room: Fraction | None,
    time_limit: float | None,
    *,
    least_delay: bool = False,
) -> tuple[dict[str, int] | None, Any]:
    """The best placement of `members` (forced ones always placed) as one 0–1 program.

    A variable per candidate p and delay d says "p has started by delay d" (0 … 0 1 … 1 along the
    delays: the step form, whose branching splits the start months in halves, where one variable
    per exact start month would leave the solver many near-equal plans to tell apart).
    Maximizes value, then least total delay (or, with `least_delay`, only least total delay); `start`
    is a feasible placement. Returns (delay per placed candidate, the solver's outcome), or
    (None, outcome) when no placement holds the limits.
    """
    from ppmcli.analysis.selection.solver import Model, solve_all, solve_binary

    program = _Program(world, members, budget_room)
    values = [-d for d in program.delay] if least_delay else program.value
    deadline = None if time_limit is None else time.perf_counter() + time_limit

    def remaining_time() -> float | None:
        return None if deadline is None else max(0.0, deadline - time.perf_counter())

    for _ in range(4):
        rows, upper = (program.rows, program.upper) if least_delay else program.for_sets()
        # The value program without presolve's dual fixing (see `solve_binary`); the forced placement's least delay with it.
        outcome = solve_binary(values, rows, upper, start=program.solution(start if least_delay or start is None else program.settled(start)), time_limit=remaining_time(), dual_fixing=least_delay)
        if not any(outcome.chosen) and any(pid in world.forced for pid in members):
            return None, outcome  # no placement of the forced candidates (or none found in time)
        chosen = program.placement(outcome.chosen)
        if start is not None and not outcome.proven and _objective(world, start) > _objective(world, chosen):
            chosen = dict(start)  # stopped before finding anything better than the start
        if not _over_budget(world, chosen, budget_room):
            break
        # Rounding 0.9999999 up to 1 can overshoot the budget by a hair: tighten it and solve again.
        over = float(sum((world.costs[pid] for pid in chosen), Fraction(0)) - cast(Fraction, budget_room))
        program.rows.upper[0] -= over + 1e-9 * max(1.0, abs(program.rows.upper[0]))
    else:
        raise RuntimeError("the solver kept returning plans a little over the budget")
    if not outcome.proven:
        return chosen, outcome
    rank = {pid: index for index, pid in enumerate(world.order)}
    weights = _rank_weights(len(world.order))
    delays = _best_delays(program, chosen, weights, rank)
    if least_delay:
        found = solve_binary(delays.values, delays.rows, delays.upper, start=delays.start, tiebreak=delays.tiebreak, time_limit=remaining_time())
        return (program.placement(found.chosen) if found.proven else chosen), outcome
    # Among plans of the optimal value: the least total delay, then the best ranks, then the smallest delays in rank order.
    # The optimal set's own best delays come first (a small program); only when another set has the same value
    # must the delays be compared across sets, with the value as a floor.
    floor = program.floor(chosen)
    count = len(program.columns)
    selected = [number for number, (_, delay) in enumerate(program.columns) if delay == world.options.max_delay]
    other, upper = program.for_sets()
    other.add(selected, [1.0 if program.columns[number][0] in chosen else -1.0 for number in selected], -float("inf"), len(chosen) - 0.5)
    # The best other set, not "any other set worth the floor": with incumbents to prune against, HiGHS proves
    # the runner-up's value faster than it proves that no set reaches a floor (no incumbent, no pruning).
    # Both programs need only the optimal set: they are solved at once, each in its own process.
    found, tie = solve_all([delays, Model(program.value, other, upper, program.solution(_runner_up(world, chosen)), near=True, dual_fixing=False)], remaining_time())
    fixed = program.placement(found.chosen) if found.proven else chosen
    if tie.status == "Infeasible" or (tie.proven and float(sum((program.worth[pid] for pid in program.placement(tie.chosen)), Fraction(0))) < floor):
        return fixed, outcome  # no other set reaches the value
    least = _least_delay_of_the_value(program, floor, fixed, remaining_time)
    if not least.proven:
        return fixed, outcome
    total = sum(program.placement(least.chosen).values())
    program.rows.add(range(count), program.delay, -float("inf"), total + 0.5)
    ranks = [weights[rank[pid]] if delay == world.options.max_delay else 0.0 for pid, delay in program.columns]
    late = [-weights[rank[pid]] * d for (pid, _), d in zip(program.columns, program.delay)]
    second = solve_binary(ranks, program.rows, program.upper, start=least.chosen, tiebreak=late, time_limit=remaining_time())
    better = program.placement(second.chosen if second.proven else least.chosen)
    if not _over_budget(world, better, budget_room) and float(sum((program.worth[pid] for pid in better), Fraction(0))) >= floor:
        if EXACT_RANK_WEIGHTS < len(world.order) and len(members) <= RANK_SEARCH_MOST:  # inexact weights: no set of this value and delay may rank better
            first = _lexicographically_first(world, program, better, budget_room, rank, remaining_time)
            if first is not better:  # that set at its own least delays, then the smallest in rank order
                own = _best_delays(program, first, weights, rank)
                settled = solve_binary(own.values, own.rows, own.upper, start=own.start, tiebreak=own.tiebreak, time_limit=remaining_time())
                better = program.placement(settled.chosen) if settled.proven and set(program.placement(settled.chosen)) == set(first) else first
        return _shortest_prefix(world, better, rank), outcome
    return fixed, outcome


def _lexicographically_first(
    world: _World, program: _Program, placed: dict[str, int], budget_room: Fraction | None, rank: Mapping[str, int], remaining_time: Callable[[], float | None]
) -> dict[str, int]:
    """Among the plans `program.rows` allow (the optimal value, the least total delay), the one whose set ranks first, from `placed`.

    Beyond `EXACT_RANK_WEIGHTS` candidates the ranks stage weighs position i by 1/(i + 1), which can prefer {3, 4}
    to {2, 13}. So, as long as HiGHS finds one, a plan that ranks better than `placed` is taken: one that agrees with
    it on every better-ranked candidate up to one that `placed` lacks and holds (z_j: that first difference is j;
    w_i: it comes after i, so i is as in `placed`). The earliest such j is sought, so each step fixes more of the
    ranking; none found (HiGHS proves there is none) means `placed` ranks first. Every plan taken is checked here.
    Only a search that ends in that proof is used: one that --time-limit (else the solver's default limit, for the
    whole search) stops gives back the weighted plan it started from. It runs up to `RANK_SEARCH_MOST` candidates,
    a rule of size, not of time, so that whether it runs does not depend on the machine. A list's own prefix ([1]
    before [1, 2]) is `_shortest_prefix`'s.
    """
    from ppmcli.analysis.selection.solver import DEFAULT_TIME_LIMIT, solve_binary

    members = sorted(program.starts, key=rank.__getitem__)
    last, count = program.last, len(program.columns)
    value = sum((program.worth[pid] for pid in placed), Fraction(0))
    weighted = placed
    given = remaining_time()
    deadline = time.perf_counter() + (DEFAULT_TIME_LIMIT if given is None else given)
    while True:
        chosen = set(placed)
        top = max((rank[pid] for pid in chosen), default=-1)
        lacking = [pid for pid in members if pid not in chosen and rank[pid] < top and program.upper[program.index[(pid, last)]]]
        if not lacking:
            return placed
        time_left = deadline - time.perf_counter()
        if time_left <= 0:
            return weighted
        rows, upper = _copy(program.rows), [*program.upper, *([1] * (len(lacking) + len(members)))]
        first = {pid: count + number for number, pid in enumerate(lacking)}
        after = {pid: count + len(lacking) + number for number, pid in enumerate(members)}
        values = [0.0] * count + [float(len(members) - rank[pid]) for pid in lacking] + [0.0] * len(members)
        rows.add(list(first.values()), [1.0] * len(first), 1.0, 1.0)
        for pid in lacking:
            rows.add((program.index[(pid, last)], first[pid]), (1.0, -1.0), 0.0, float("inf"))
        for number, pid in enumerate(members):
            terms = [(after[pid], 1.0)]
            if number + 1 < len(members):
                following = members[number + 1]
                terms.append((after[following], -1.0))
                if following in first:
                    terms.append((first[following], -1.0))
            rows.add([column for column, _ in terms], [weight for _, weight in terms], 0.0, 0.0)
            selected = program.index[(pid, last)]
            if pid in chosen:
                rows.add((selected, after[pid]), (1.0, -1.0), 0.0, float("inf"))
            else:
                rows.add((selected, after[pid]), (1.0, 1.0), -float("inf"), 1.0)
        found = solve_binary(values, rows, upper, time_limit=time_left)
        if found.status == "Infeasible":
            return placed  # proven: no plan of this value and delay ranks better
        taken = program.placement(found.chosen[:count]) if found.chosen else {}
        sets = [sorted(rank[pid] for pid in one) for one in (taken, placed)]
        if (
            not taken
            or sets[0] >= sets[1]
            or sum((program.worth[pid] for pid in taken), Fraction(0)) != value
            or sum(taken.values()) > sum(placed.values())
            or _over_budget(world, taken, budget_room)
            or violations(world, taken)
        ):
            return weighted  # stopped by the time limit (or no plan HiGHS gave holds): not proven
        placed = taken


def _shortest_prefix(world: _World, placed: dict[str, int], rank: Mapping[str, int]) -> dict[str, int]:
    """`placed` less its last candidates in rank order while they add no value, as far as the rest holds every limit.

    The ranks stage prefers the plan holding the better-ranked candidate where two differ; the sorted lists of
    ranks also put a list before every list it begins ([1] before [1, 2]): of two plans of one value and delay,
    one that is the other's first candidates in rank order wins, and it can differ only by candidates worth 0.
    """
    order = sorted(placed, key=rank.__getitem__)
    best = placed
    for last in range(len(order) - 1, -1, -1):
        if world.value(order[last]) != 0 or order[last] in world.forced:
            break
        prefix = {pid: placed[pid] for pid in order[:last]}
        if not violations(world, prefix):
            best = prefix
    return best


# The most candidates for the search of the set that ranks first beyond EXACT_RANK_WEIGHTS (`_lexicographically_first`):
# a tie among 1,000 candidates was settled in 9 s; among 2,000, each step of it took 40 s.
RANK_SEARCH_MOST = 1000

# The largest weighted objective given to HiGHS: exact in doubles with room to spare (the value programs keep to 10^9).
EXACT_WEIGHTED = 2.0**40


def _least_delay_of_the_value(program: _Program, floor: float, fixed: Mapping[str, int], remaining_time: Callable[[], float | None]) -> Any:  # -> solver.Outcome
    """Among the sets worth the optimal value (at least `floor`), the placement of least total delay; `fixed` is one.

    Adds the value floor to `program.rows` (the stages after this keep it). With the value in whole units,
    maximizing value × W − total delay, where W exceeds every total delay, gives the same placement: one unit
    of value outweighs any delay, so the optimum keeps the optimal value and has the least delay among its sets.
    HiGHS proves that form much faster than "least delay with the value as a floor", whose relaxation reaches
    the floor with fractions of many candidates and no delay (3.8 s against 15.9 s on the 2,000-project plan
    with a hire, where another set ties the optimal value). The weighted objective is large (W times the
    value), so its answer is taken only when HiGHS's bound is within half a unit of it and it reaches the
    value; otherwise the floor form decides.
    """
    from ppmcli.analysis.selection.solver import solve_binary

    count = len(program.columns)
    candidates = len(program.starts)
    weight = float(program.last * candidates + 1)
    weighted = None
    if program.integral and weight * sum(program.value) <= EXACT_WEIGHTED:
        weighted = solve_binary([weight * value - delay for value, delay in zip(program.value, program.delay)], program.rows, program.upper, start=program.solution(fixed), time_limit=remaining_time())
    program.rows.add(range(count), program.value, floor, float("inf"))
    if weighted is not None and weighted.proven and weighted.bound - weighted.objective < 0.5:
        if float(sum((program.worth[pid] for pid in program.placement(weighted.chosen)), Fraction(0))) >= floor:
            return weighted
    return solve_binary([-d for d in program.delay], program.rows, program.upper, start=program.solution(fixed), time_limit=remaining_time())


def _runner_up(world: _World, chosen: Mapping[str, int]) -> dict[str, int] | None:
    """`chosen` less its least valuable candidate that is neither forced nor depended on by another: a plan of another set (None when there is none)."""
    needed = {dep for pid in chosen for dep, _ in world.needs[pid]}
    droppable = [pid for pid in chosen if pid not in world.forced and pid not in needed]
    if not droppable:
        return None
    drop = min(droppable, key=lambda pid: (world.value(pid), pid))
    return {pid: delay for pid, delay in chosen.items() if pid != drop}


def _best_delays(program: _Program, chosen: Mapping[str, int], weights: Sequence[float], rank: Mapping[str, int]) -> Any:  # -> solver.Model
    """The program that puts the set `chosen` at its least total delay, then the smallest delays in rank order."""
    from ppmcli.analysis.selection.solver import Model

    rows = _copy(program.rows)
    upper = list(program.upper)
    for number, (pid, delay) in enumerate(program.columns):
        if delay == program.last:
            if pid in chosen:
                rows.add((number,), (1.0,), 1.0, 1.0)
            else:
                upper[number] = 0
    late = [-weights[rank[pid]] * d for (pid, _), d in zip(program.columns, program.delay)]
    return Model([-d for d in program.delay], rows, upper, program.solution(chosen), late, near=True)


def _copy(rows: Any) -> Any:  # solver.Rows -> solver.Rows
    from ppmcli.analysis.selection.solver import Rows

    return Rows(list(rows.starts), list(rows.columns), list(rows.coefficients), list(rows.lower), list(rows.upper))


def _objective(world: _World, placed: Mapping[str, int]) -> tuple[Fraction, int]:
    return sum((world.value(pid) for pid in placed), Fraction(0)), -sum(placed.values())


class _Program:
    """The 0–1 program over `members` in step form (see `_solve`): columns (candidate, delay), rows, bounds, and the value and delay of each column."""

    def __init__(self, world: _World, members: Sequence[str], budget_room: Fraction | None) -> None:
        from ppmcli.analysis.selection.solver import Rows

        last = world.options.max_delay
        inside = set(members)
        self.last = last
        self.columns = [(pid, delay) for pid in members for delay in world.delays]
        index = {column: number for number, column in enumerate(self.columns)}
        per = last + 1
        # Values in whole units of their common denominator when the sums stay exact in doubles: HiGHS then
        # knows the objective is integral and prunes a node whose bound is less than one unit better.
        scale = lcm(*(world.value(pid).denominator for pid in members))
        self.integral = sum((world.value(pid) for pid in members), Fraction(0)) * scale <= EXACT_INTEGERS
        self.scale = scale if self.integral else 1
        self.worth = {pid: world.value(pid) * self.scale for pid in members}
        # Started by the last delay = selected; its delay = Σ_d (z_last − z_d) = last · z_last − Σ_{d<last} z_d.
        self.value = [float(self.worth[pid]) if delay == last else 0.0 for pid, delay in self.columns]
        self.delay = [float(last) if delay == last else -1.0 for _, delay in self.columns]
        self.upper = [1] * len(self.columns)
        rows = self.rows = Rows()
        # Row 0: the budget (always present, so a budget overshoot can be tightened).
        selected = [index[(pid, last)] for pid in members]
        rows.add(selected, [float(world.costs[pid]) for pid in members], -float("inf"), float("inf") if budget_room is None else float(budget_room))
        room = world.room()
        # The starts no plan has: the candidate costs more than the budget leaves, or its demand at that
        # delay alone overfills a month (the same test as its capacity rows'). Said outright, they shrink the
        # program before HiGHS sees it, which its presolve cannot (delays move demand both ways in a row).
        self.steps: dict[tuple[str, int], int] = {}  # (candidate, delay d > 0) → the row "started by d − 1 ⇒ by d"
        # Started no earlier than its dependencies: a row per delay, less those another implies.
        linked = without_implied({pid: [dep for dep, never in world.needs[pid] if never is None and dep in inside] for pid in members})
        self.starts = {pid: [(budget_room is None or world.costs[pid] <= budget_room) and all(days <= room.get(cell, 0.0) + CAPACITY_TOLERANCE for cell, days in world.demand[(pid, delay)].items()) for delay in world.delays] for pid in members}
        for pid in members:
            first = index[(pid, 0)]
            starts = self.starts[pid]
            if not starts[0]:
                self.upper[first] = 0
            for delay in range(last):
                # Started by d + 1 only if started by d, and the same when it cannot start at exactly d + 1.
                self.steps[(pid, delay + 1)] = len(rows)
                rows.add((first + delay, first + delay + 1), (1.0, -1.0), -float("inf") if starts[delay + 1] else 0.0, 0.0)
            if pid in world.forced:
                rows.add((first + last,), (1.0,), 1.0, 1.0)
            elif pid in world.out:
                self.upper[first : first + per] = [0] * per
            if any(never is not None or dep not in inside for dep, never in world.needs[pid]):
                self.upper[first : first + per] = [0] * per
            for dep in linked.get(pid, ()):
                # Started by delay d ⇒ its dependency started by delay d too.
                other = index[(dep, 0)]
                for delay in world.delays:
                    rows.add((first + delay, other + delay), (1.0, -1.0), -float("inf"), 0.0)
            for other_id in world.excludes[pid]:
                if other_id in world.running:
                    self.upper[first : first + per] = [0] * per
                elif other_id in inside and pid < other_id:
                    rows.add((first + last, index[(other_id, last)]), (1.0, 1.0), -float("inf"), 1.0)
        # Demand of starting at exactly d = z_d − z_{d−1}: column d carries demand(d) − demand(d + 1).
        terms: dict[Cell, list[tuple[int, float]]] = {}
        most: dict[Cell, float] = {}
        for pid in members:
            first = index[(pid, 0)]
            biggest: dict[Cell, float] = {}
            for delay in world.delays:
                here, after = world.demand[(pid, delay)], world.demand[(pid, delay + 1)] if delay < last else {}
                for cell in here.keys() | after.keys():
                    coefficient = here.get(cell, 0.0) - after.get(cell, 0.0)
                    if coefficient:
                        terms.setdefault(cell, []).append((first + delay, coefficient))
                if self.starts[pid][delay]:
                    for cell, days in here.items():
                        biggest[cell] = max(biggest.get(cell, 0.0), days)
            for cell, days in biggest.items():
                most[cell] = most.get(cell, 0.0) + days
        for cell in sorted(terms):
            # A month no choice of delays can overfill needs no row.
            if most.get(cell, 0.0) > room.get(cell, 0.0) + CAPACITY_TOLERANCE:
                rows.add([column for column, _ in terms[cell]], [days for _, days in terms[cell]], -float("inf"), room.get(cell, 0.0) + CAPACITY_TOLERANCE)

        # Which sets have a plan does not depend on starts that a later one dominates (no more demand in any month:
        # a plan with the first has one with the second), unless another candidate depends on this one (starting
        # later could pass it). The value alone is sought without them: fewer starts to try, the same sets.
        depended = {dep for pid in members for dep, never in world.needs[pid] if never is None}
        self.later: dict[tuple[str, int], int] = {}  # (candidate, start) → the next possible start, when it dominates this one
        for pid in members:
            allowed = [delay for delay in world.delays if self.starts[pid][delay]] if pid not in depended else []
            for number, delay in enumerate(allowed):
                here = world.demand[(pid, delay)]
                self.later.update(((pid, delay), other) for other in allowed[number + 1 :][:1] if all(days <= here.get(cell, 0.0) for cell, days in world.demand[(pid, other)].items()))
        self.index = index

    def for_sets(self) -> tuple[Any, list[int]]:  # -> (solver.Rows, upper bounds)
        """The rows and bounds without the dominated starts: for the value alone (which sets), never for delays."""
        rows, upper = _copy(self.rows), list(self.upper)
        for pid, delay in self.later:
            if delay == 0:
                upper[self.index[(pid, 0)]] = 0
            else:
                rows.lower[self.steps[(pid, delay)]] = 0.0
        return rows, upper

    def settled(self, placed: Mapping[str, int]) -> dict[str, int]:
        """`placed` with each dominated start moved to the start that dominates it (a plan of the same set, for `for_sets`)."""
        moved = {}
        for pid, delay in placed.items():
            while (pid, delay) in self.later:
                delay = self.later[(pid, delay)]
            moved[pid] = delay
        return moved

    def floor(self, chosen: Mapping[str, int]) -> float:
        """A bound just below the value of `chosen`, in the program's units, that every set of the same value meets."""
        value = float(sum((self.worth[pid] for pid in chosen), Fraction(0)))
        return value - 0.5 if self.integral else value - 1e-9 * max(1.0, abs(value))

    def solution(self, placed: Mapping[str, int] | None) -> list[bool] | None:
        return None if placed is None else [pid in placed and placed[pid] <= delay for pid, delay in self.columns]

    def placement(self, chosen: Sequence[bool]) -> dict[str, int]:
        """Each selected candidate's delay: the first delay by which it has started."""
        placed: dict[str, int] = {}
        for (pid, delay), on in zip(self.columns, chosen):
            if on and pid not in placed:
                placed[pid] = delay
        return placed


def _over_budget(world: _World, placed: Mapping[str, int], budget_room: Fraction | None) -> bool:
    """`placed` costs more than the budget leaves (exactly: the solver's rounding can overshoot by a hair)."""
    return budget_room is not None and sum((world.costs[pid] for pid in placed), Fraction(0)) > budget_room


def violations(world: _World, placed: Mapping[str, int]) -> list[str]:
    """Every limit a placement breaks (empty for a valid plan); for tests and for checking the solver's answer."""
    found = []
    budget = world.options.budget
    cost = world.running_cost + sum((world.costs[pid] for pid in placed), Fraction(0))
    if budget is not None and cost > budget:
        found.append(f"budget: {amount(cost)} > {amount(budget)}")
    used = dict(world.base)
    for pid, delay in placed.items():
        if delay not in world.delays:
            found.append(f"{pid}: delay {delay}")
        if pid in world.out and pid not in world.forced:
            found.append(f"{pid}: {world.out[pid]}")
        for dep, never in world.needs[pid]:
            if never is not None or dep not in placed or placed[dep] > delay:
                found.append(f"{pid}: depends on {dep}")
        for other in world.excludes[pid]:
            if other in placed or other in world.running:
                found.append(f"{pid}: excludes {other}")
        for cell, days in world.demand[(pid, delay)].items():
            used[cell] = used.get(cell, 0.0) + days
    for cell, days in used.items():
        if days > world.limit.get(cell, 0.0) + 1e-4:
            found.append(f"capacity: {cell[1]} in {cell[0]} at {days:.4f} > {world.limit.get(cell, 0.0):.4f}")
    for pid in world.forced:
        if pid not in placed:
            found.append(f"{pid}: forced, not placed")
    return found


# ---------------------------------------------------------------- the command's analysis


def plan(ws: Workspace, projects: Mapping[str, Project], as_of: date, options: PlanOptions = PlanOptions()) -> Plan:
    """`ppm plan`: which candidates to start, and when, beside the running projects.

    Args:
        ws: the workspace (people for supply, the phase of dependencies outside `projects`).
        projects: the whole world of the plan: the projects `--portfolio`/`--tag` keep, by id.
        as_of: the reference date (remaining cost, the horizon's first month, days still to come).
        options: the command's options.

    Returns:
        The plan.

    Raises:
        PpmError: an option out of bounds, a project named that is not running (--stop) or not
            a candidate (--force-in/--force-out), bad hires, an unknown model.
    """
    check_options(options)
    world = _build(ws, projects, as_of, options)
    return _plan(world, as_of)


def _plan(world: _World, as_of: date) -> Plan:
    options = world.options
    solve: Solve | None = None
    delayed_by: dict[str, str] = {}
    breaches = _breaches(world)
    state = None if breaches and any(b.limit != "capacity" for b in breaches) else _place_forced(world, options.time_limit)
    if state is None:
        breaches = breaches or [Breach("capacity", "no placement of the forced candidates within --max-delay fits the capacity")]
        placed = {pid: 0 for pid in world.order if pid in world.forced}
        broken = " and ".join(dict.fromkeys(breach.limit for breach in breaches))
        who = _kept_and_forced(world, bool(placed))
        reasons = {pid: world.out.get(pid) or f"not considered: {who} break the {broken}" for pid in world.order if pid not in placed}
    else:
        breaches = []
        placed, reasons = _greedy(world, state)
        if options.method == "optimal":
            began = time.perf_counter()
            budget_room = None if options.budget is None else options.budget - world.running_cost
            members = [pid for pid in world.order if pid in world.forced or pid not in world.out]
            chosen, outcome = _solve(world, members, placed, budget_room, options.time_limit)
            if chosen is None:  # only when the time limit stopped it before the start was read back
                chosen = placed
            wrong = violations(world, chosen)
            if wrong:
                raise RuntimeError(f"the solver returned a plan that breaks a limit: {'; '.join(wrong)}")
            placed = chosen
            solve = Solve(outcome.proven, outcome.gap if not outcome.proven else 0.0, time.perf_counter() - began, outcome.status)
            reasons = _reasons(world, placed, solve)
        delayed_by = _delays_explained(world, placed)
    return _result(world, as_of, placed, reasons, delayed_by, solve, breaches)


def _reasons(world: _World, placed: Mapping[str, int], solve: Solve) -> dict[str, str]:
    """Why each candidate the exact method left out is out: the first limit at delay 0, else that the plan is better without it."""
    state = _state_of(world, placed)
    reasons = {}
    for pid in world.order:
        if pid in placed:
            continue
        reason = world.out.get(pid) or world.why_not(pid, 0, state)
        if reason is None:
            if not solve.proven:
                reason = "fits, but is not in the best plan found before the time limit"
            else:
                reason = "fits, but adds no value" if world.value(pid) == 0 else "fits, but is not in the optimal plan"
        reasons[pid] = reason
    return reasons


def _state_of(world: _World, placed: Mapping[str, int]) -> _State:
    state = _start(world)
    for pid, delay in placed.items():
        state.place(world, pid, delay)
    return state


def _delays_explained(world: _World, placed: Mapping[str, int]) -> dict[str, str]:
    """For each delayed candidate, the first limit a start one month earlier breaks, the rest of the plan as it is."""
    found = {}
    state = _state_of(world, placed)
    for pid, delay in list(placed.items()):
        if delay == 0:
            continue
        state.place(world, pid, delay, -1)
        reason = world.why_not(pid, delay - 1, state)
        state.place(world, pid, delay)
        found[pid] = f"a month earlier: {reason}" if reason else "a month earlier also fits; the plan found is not proven optimal"
    return found


def _result(world: _World, as_of: date, placed: Mapping[str, int], reasons: Mapping[str, str], delayed_by: Mapping[str, str], solve: Solve | None, breaches: Sequence[Breach]) -> Plan:
    rows: list[PlanRow] = []
    for pid in sorted([*world.running, *world.stopped]):
        project = world.world[pid]
        stopped = pid in world.stopped
        frees, months = _freed(world, pid) if stopped else ((), None)
        rows.append(PlanRow(pid, "running", None, world.running_scores.get(pid), None, world.costs[pid], not stopped, None if stopped else 0, project.start, project.end, project.start,
                            "stopped" if stopped else None, frees=frees, freed_months=months))
    for pid in world.order:
        project, row = world.world[pid], world.rows[pid]
        delay = placed.get(pid)
        moved = delay or 0
        start = shift(project.start, moved)
        rows.append(PlanRow(pid, "candidate", row.rank, row.score, row.value, world.costs[pid], delay is not None, delay, start, shift(project.end, moved),
                            project.start, reasons.get(pid) if delay is None else None, world.forced.get(pid), delayed_by.get(pid),
                            after_horizon=delay is not None and bool(project.team) and start > world.periods[-1].end))
    used = dict(world.base)
    for pid, delay in placed.items():
        for cell, days in world.demand[(pid, delay)].items():
            used[cell] = used.get(cell, 0.0) + days
    cells = []
    for role in world.roles:
        for period in world.periods:
            cell = (period.key, role)
            supply, demand = world.supply.get(cell, 0.0), used.get(cell, 0.0)
            cells.append(CapacityCell(role, period.key, supply, world.hired.get(cell, 0.0), demand, demand / supply if supply > 0 else None,
                                      world.base.get(cell, 0.0) > supply + CAPACITY_TOLERANCE))
    cost = world.running_cost + sum((world.costs[pid] for pid in placed), Fraction(0))
    value = sum((world.value(pid) for pid in placed), Fraction(0))
    return Plan(
        as_of, world.periods[0].key, world.periods[-1].key, world.model, world.type, world.options.method, solve, world.options.budget, cost, value,
        world.options.max_delay, world.options.hires, tuple(rows), tuple(cells), tuple(breaches), tuple(world.warnings),
    )


def _freed(world: _World, pid: str) -> tuple[tuple[tuple[str, float], ...], tuple[str, str] | None]:
    """Person-days a stopped project frees per role over the horizon, and the first and last month it frees any."""
    per_role: dict[str, float] = {}
    months = []
    for (month, role), days in world.running_demand[pid].items():
        per_role[role] = per_role.get(role, 0.0) + days
        months.append(month)
    return tuple(sorted(per_role.items())), (min(months), max(months)) if months else None
