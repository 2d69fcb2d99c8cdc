"""Analysis layer: which projects to fund under a budget and monthly role capacity.

Owns the forced set (mandatory projects, `--force-in`, and what they depend on),
greedy selection down the ranking, exact selection as a 0–1 integer program
(`solver.solve_binary`), the reason every project is left out, the comparison of
both methods and the efficient frontier of value against budget. Money is
compared exactly (fractions of the amounts as written); capacity in person-days,
to `CAPACITY_TOLERANCE`.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Container, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property

from ppmcli.analysis.context import context
from ppmcli.analysis.selection.forced import contradiction, forced_projects, unmet_dependencies
from ppmcli.analysis.selection.options import METHODS
from ppmcli.analysis.selection.scoring import Ranked, Ranking, rank_projects
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import cut, listed, quote
from ppmcli.core.model import Project, Workspace
from ppmcli.core.names import did_you_mean

# Person-days: far below the 0.1 day the output shows, far above float noise in sums of fte × days.
CAPACITY_TOLERANCE = 1e-6


# Most budget steps a frontier takes: each is a selection of its own (a solve, or a greedy pass
# over every project), and a hundred already draw the curve finer than a chart shows.
MAX_STEPS = 100

# (month key "2026-03", role): person-days.
Cell = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Limits:
    """What a selection must respect.

    Attributes:
        budget: the funding available (exact), or None for no budget limit.
        capacity: respect monthly role capacity.
        force_in: projects to select whatever their score (`--force-in`).
        force_out: projects never to select (`--force-out`).
    """

    budget: Fraction | None = None
    capacity: bool = False
    force_in: tuple[str, ...] = ()
    force_out: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """A limit applies, so there is a selection (and a `selected` flag per project)."""
        return self.budget is not None or self.capacity


@dataclass(frozen=True, slots=True)
class Decision(Ranked):
    """One ranked project (the fields of `scoring.Ranked`) and what selection made of it.

    Attributes:
        selected: funded; None when no limit applies.
        cumulative: the cost of the selected projects down to this one, in rank order (selected ones only).
        forced: why it is selected whatever its score ("mandatory", "--force-in",
            "needed by ID"), or None.
        reason: why it is left out, naming the limit and the figures; None when selected.
    """

    selected: bool | None
    cumulative: Fraction | None
    forced: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class Solve:
    """How the exact method ended.

    Attributes:
        proven: the set is proven optimal (zero gap).
        gap: the relative gap to the best bound when the time limit stopped the solver (0 when proven).
        seconds: solver time.
        status: the solver's status, in words.
    """

    proven: bool
    gap: float
    seconds: float
    status: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """The optimal set against the greedy one.

    Attributes:
        greedy: the greedy selection of the same projects under the same limits.
        added: projects the optimal set funds and greedy does not, in rank order.
        dropped: projects greedy funds and the optimal set does not, in rank order.
        gain: optimal value − greedy value.
    """

    greedy: Selection
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    gain: Fraction


@dataclass(frozen=True, slots=True)
class Selection:
    """A ranking with the selection made under limits.

    Attributes:
        model, type: the scoring model's name and type.
        method: "greedy" or "optimal"; None when no limit applies (a plain ranking).
        budget: the budget limit, or None.
        capacity: monthly role capacity was respected.
        rows: every open project, in rank order (unscored ones last).
        cost, value: totals of the selected projects.
        breaches: when the forced projects alone break a limit: which, and by how much.
        warnings: other things the output must say (forced projects that exclude each
            other, forced dependencies that can never be met).
        solve: how the exact method ended (optimal only).
        comparison: the greedy set beside the optimal one (`--compare greedy`).
    """

    model: str
    type: str
    method: str | None
    budget: Fraction | None
    capacity: bool
    rows: tuple[Decision, ...]
    cost: Fraction
    value: Fraction
    breaches: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    solve: Solve | None = None
    comparison: Comparison | None = None

    @property
    def funded(self) -> int:
        """How many projects are selected."""
        return sum(1 for row in self.rows if row.selected)

    @property
    def left(self) -> Fraction | None:
        """Budget left after the selected projects (negative when forced projects break it)."""
        return None if self.budget is None else self.budget - self.cost


@dataclass(frozen=True, slots=True)
class FrontierStep:
    """The best selection for one budget.

    Attributes:
        budget: the budget of this step.
        cost, value: totals of the selected projects.
        selected: the selected projects, in rank order.
        added, dropped: the change from the previous step's set (the first step adds its whole set).
        proven: the set is proven optimal (never for greedy, which proves nothing).
        gap: the solver's relative gap (0 when proven); None for greedy.
    """

    budget: Fraction
    cost: Fraction
    value: Fraction
    selected: tuple[str, ...]
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    proven: bool
    gap: float | None

    @property
    def stopped(self) -> bool:
        """An exact solve the time limit stopped before it proved its set."""
        return self.gap is not None and not self.proven


@dataclass(frozen=True, slots=True)
class Frontier:
    """Total value against budget, from the forced projects' cost to the cost of every selectable project.

    Attributes:
        model, type, method, capacity: as in `Selection`.
        steps: one per budget, in increasing budget order.
        breaches, warnings: as in `Selection`.
    """

    model: str
    type: str
    method: str
    capacity: bool
    steps: tuple[FrontierStep, ...]
    breaches: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def amount(value: Fraction) -> str:
    """Money in a reason, as the contract writes it (`needs 400000, 250000 left`): no thousands separator, which the
    reason's own comma would make ambiguous and a script would have to strip; whole amounts without decimals."""
    return f"{value.numerator}" if value.denominator == 1 else f"{float(value):.2f}"


# ---------------------------------------------------------------- the problem


@dataclass
class Problem:
    """A selection problem: everything greedy and optimal read, built once per command.

    `ppm plan` builds one per delay (the demand moves with it) for the same words on why a project
    does not fit (`why_not`).
    """

    ranking: Ranking
    rows: dict[str, Ranked]
    order: list[str]
    forced: dict[str, str]
    # Never candidates: forced out, or unscored and not forced.
    out: dict[str, str]
    # Per project: its dependencies, each with None (met when selected) or why it can never be met.
    needs: dict[str, tuple[tuple[str, str | None], ...]]
    excludes: dict[str, tuple[str, ...]]
    demand: dict[str, dict[Cell, float]] = field(default_factory=dict)
    supply: dict[Cell, float] = field(default_factory=dict)
    capacity: bool = False
    warnings: list[str] = field(default_factory=list)
    # How a chosen project that is no candidate stands, for why another is out ("excludes X, running"): a plan's kept
    # running projects are chosen too.
    standing: dict[str, str] = field(default_factory=dict)

    def value(self, pid: str) -> Fraction:
        return self.rows[pid].value or Fraction(0)

    def total(self, chosen: set[str]) -> tuple[Fraction, Fraction]:
        """(cost, value) of a set."""
        cost = sum((self.rows[pid].cost for pid in chosen), Fraction(0))
        return cost, sum((self.value(pid) for pid in chosen), Fraction(0))

    def selectable(self) -> list[str]:
        """Projects that may be selected beyond the forced ones, in rank order."""
        return [pid for pid in self.order if pid not in self.forced and pid not in self.out]

    @cached_property
    def links(self) -> tuple[frozenset[str], dict[str, list[str]]]:
        """For the exact program (the same at every step of a frontier): the selectable projects that no selection
        can hold (a dependency never met, directly or through another), and each one's dependencies to hold as rows,
        less those another implies."""
        order = self.selectable()
        selectable = set(order)
        blocked: set[str] = set()
        linked: dict[str, list[str]] = {}  # in rank order: the rows' order is the same every run
        for pid in order:
            for dep, never in self.needs[pid]:
                if dep in self.forced:
                    continue
                if never is not None or dep not in selectable:
                    blocked.add(pid)
                else:
                    linked.setdefault(pid, []).append(dep)
        # Through another: a project that needs a blocked one is blocked too (walked without recursion).
        needed_by: dict[str, list[str]] = {}
        for pid, deps in linked.items():
            for dep in deps:
                needed_by.setdefault(dep, []).append(pid)
        stack = list(blocked)
        while stack:
            for pid in needed_by.get(stack.pop(), ()):
                if pid not in blocked:
                    blocked.add(pid)
                    stack.append(pid)
        return frozenset(blocked), without_implied(linked)

    def remaining(self, chosen: set[str]) -> dict[Cell, float] | None:
        """Role supply per month less the demand of `chosen` (None without --capacity)."""
        if not self.capacity:
            return None
        left = dict(self.supply)
        for pid in chosen:
            for cell, days in self.demand[pid].items():
                left[cell] = left.get(cell, 0.0) - days
        return left

    def why_not(self, pid: str, chosen: set[str], left: Fraction | None, remaining: dict[Cell, float] | None) -> str | None:
        """The first limit that stops `pid` joining `chosen`, in the documented order: budget, dependencies, exclusions, capacity."""
        cost = self.rows[pid].cost
        if left is not None and cost > left:
            return f"needs {amount(cost)}, {amount(left)} left" if amount(cost) != amount(left) else f"needs {float(cost - left):g} more than the {amount(left)} left"
        for dep, never in self.needs[pid]:
            if never is not None:
                return f"depends on {dep}, {never}"
            if dep not in chosen:
                return f"depends on {dep}, not selected"
        for other in self.excludes[pid]:
            if other in chosen:
                return f"excludes {other}, {self.standing.get(other, 'selected')}"
        if remaining is not None:
            for cell, days in self.demand[pid].items():
                have = remaining.get(cell, 0.0)
                if days > have + CAPACITY_TOLERANCE:
                    month, role = cell
                    if self.supply.get(cell, 0.0) <= 0:
                        return f"{role} has no supply in {month} (needs {days:.1f} days)"
                    return f"{role} over capacity in {month} (needs {days:.1f} days, {max(have, 0.0):.1f} left)"
        return None

    def breaches(self, budget: Fraction | None) -> list[str]:
        """Limits the forced projects break on their own, and by how much."""
        found = []
        cost, _ = self.total(set(self.forced))
        if budget is not None and cost > budget:
            found.append(f"budget: the forced projects alone cost {amount(cost)}, {amount(cost - budget)} over the budget of {amount(budget)}")
        remaining = self.remaining(set(self.forced)) or {}
        for cell in sorted(remaining):
            if remaining[cell] < -CAPACITY_TOLERANCE:
                month, role = cell
                supply = self.supply.get(cell, 0.0)
                need = supply - remaining[cell]
                found.append(f"capacity: the forced projects alone need {need:.1f} days of {role} in {month}, {supply:.1f} available ({-remaining[cell]:.1f} over)")
        return found

    def violations(self, chosen: set[str], budget: Fraction | None) -> list[str]:
        """Every limit `chosen` breaks beyond what the forced projects alone break (empty for a valid selection)."""
        found = []
        cost, _ = self.total(chosen)
        forced_cost, _ = self.total(set(self.forced))
        if budget is not None and cost > max(budget, forced_cost):
            found.append(f"budget: {amount(cost)} > {amount(budget)}")
        for pid in sorted(chosen):
            if pid not in self.forced and pid in self.out:
                found.append(f"{pid}: {self.out[pid]}")
            for dep, never in self.needs[pid]:
                if pid not in self.forced and (never is not None or dep not in chosen):
                    found.append(f"{pid}: depends on {dep}")
            for other in self.excludes[pid]:
                if other in chosen and not (pid in self.forced and other in self.forced):
                    found.append(f"{pid}: excludes {other}")
        if self.capacity:
            remaining = self.remaining(chosen) or {}
            forced_left = self.remaining(set(self.forced)) or {}
            for cell, days in remaining.items():
                if days < min(0.0, forced_left.get(cell, 0.0)) - CAPACITY_TOLERANCE:
                    found.append(f"capacity: {cell[1]} in {cell[0]} short by {-days:.1f} days")
        return found


def _build(ws: Workspace, projects: Mapping[str, Project], model: str | None, limits: Limits) -> Problem:
    """Rank `projects` (the whole world of the selection) and gather the forced set, dependencies, exclusions and capacity."""
    ctx = context(ws)
    ranking = rank_projects(projects, ctx.settings, model, scores=ctx.once(("scores", model), dict))
    rows = {row.id: row for row in ranking.rows}
    order = [row.id for row in ranking.rows]
    needs = unmet_dependencies(ws, projects, rows, order)
    forced = forced_projects(ws, projects, rows, order, needs, limits.force_in)
    out = never_selected(ws, rows, order, forced, limits)
    problem = Problem(ranking, rows, order, forced, out, needs, exclusions(projects, rows, order))
    for pid in sorted(forced):
        for dep, never in needs[pid]:
            if never is not None:
                problem.warnings.append(f"forced project {pid} depends on {dep}, {never}: that dependency can never be met")
        for other in problem.excludes[pid]:
            if other in forced and pid < other:
                problem.warnings.append(f"forced projects {pid} and {other} exclude each other; both are selected, so the exclusion is broken")
    if limits.capacity:
        _add_capacity(ws, projects, problem)
    return problem


def exclusions(world: Mapping[str, Project], rows: Mapping[str, Ranked], order: Sequence[str], kept: Collection[str] = ()) -> dict[str, tuple[str, ...]]:
    """Per project of `order`, the projects it may not be selected beside, sorted.

    Exclusions bind open projects only, and are symmetric: between two of `rows`, or between
    one of them and a running project `kept` (`ppm plan`'s).
    """
    excludes: dict[str, set[str]] = {pid: set() for pid in order}
    for pid in order:
        for other in world[pid].excludes:
            if other in rows and other != pid:
                excludes[pid].add(other)
                excludes[other].add(pid)
            elif other in kept:
                excludes[pid].add(other)
    for pid in kept:
        for other in world[pid].excludes:
            if other in rows:
                excludes[other].add(pid)
    return {pid: tuple(sorted(ids)) for pid, ids in excludes.items()}


def never_selected(ws: Workspace, rows: Mapping[str, Ranked], order: Sequence[str], forced: Mapping[str, str], limits: Limits) -> dict[str, str]:
    """The projects among `rows` that are never candidates, each with the reason shown for it:
    the `--force-out` ones, then the unscored ones not forced (in `order`).

    Raises:
        PpmError: a project that does not exist, or one that is also forced in.
    """
    out: dict[str, str] = {}
    for pid in limits.force_out:
        if ws.is_invalid("projects", pid):
            raise PpmError(f"--force-out: {ws.invalid_file('projects', pid, 'it cannot be forced out')}")
        if pid not in ws.projects:
            raise PpmError(f"--force-out: no project {quote(pid)}{did_you_mean(pid, ws.projects)}")
        if pid in forced:
            raise PpmError(contradiction("--force-out", pid, forced[pid]))
        if pid in rows:
            out[pid] = "forced out (--force-out)"
    for pid in order:
        if pid not in forced and pid not in out and rows[pid].lacks:
            out[pid] = f"unscored ({listed(rows[pid].lacks)})"
    return out


def _add_capacity(ws: Workspace, projects: Mapping[str, Project], problem: Problem) -> None:
    """Each open project's demand per (month, role), and role supply over every month any of them asks for."""
    from ppmcli.analysis.resources.allocation import role_demand_cells, role_supply
    from ppmcli.analysis.resources.ranges import span
    from ppmcli.analysis.resources.workdays import months_between

    calendar = context(ws).calendar
    problem.capacity = True
    problem.demand = {pid: {} for pid in problem.order}
    staffed = {pid: projects[pid] for pid in problem.order if projects[pid].team}
    if not staffed:
        return
    # One month list for all projects: a range counts only in the months it overlaps, so each project's figures are its own.
    dates = [span(entry) for project in staffed.values() for entry in project.team]
    months = months_between(min(first for first, _ in dates), max(last for _, last in dates))
    problem.demand.update(role_demand_cells(ws, staffed, calendar, months))
    keys = [month.key for month in months]
    for role, days in role_supply(ws, calendar, months).items():
        problem.supply.update(((key, role), supply) for key, supply in zip(keys, days))


# ---------------------------------------------------------------- the two methods


def _greedy(problem: Problem, budget: Fraction | None) -> tuple[set[str], dict[str, str]]:
    """Walk the ranking; select what fits. Returns (selected, reason per project left out)."""
    chosen = set(problem.forced)
    cost, _ = problem.total(chosen)
    left = None if budget is None else budget - cost
    remaining = problem.remaining(chosen)
    reasons: dict[str, str] = {}
    for pid in problem.order:
        if pid in chosen:
            continue
        reason = problem.out.get(pid) or problem.why_not(pid, chosen, left, remaining)
        if reason is not None:
            reasons[pid] = reason
            continue
        chosen.add(pid)
        if left is not None:
            left -= problem.rows[pid].cost
        if remaining is not None:
            for cell, days in problem.demand[pid].items():
                remaining[cell] = remaining.get(cell, 0.0) - days
    ranked_below(reasons, problem.needs, chosen)
    return chosen, reasons


def ranked_below(reasons: dict[str, str], needs: Mapping[str, tuple[tuple[str, str | None], ...]], chosen: Container[str]) -> None:
    """Reword, in place, "not selected" for a dependency greedy selected after all, further down the ranking."""
    for pid, reason in reasons.items():
        for dep, never in needs[pid]:
            if never is None and reason == f"depends on {dep}, not selected" and dep in chosen:
                reasons[pid] = f"depends on {dep}, which ranks below it"


def without_implied(edges: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Each node's edges less those another of its edges already implies, through any path (the transitive reduction).

    A dependency row `x_p ≤ x_q` with `x_q ≤ x_r` implies `x_p ≤ x_r`: a dense graph (each project on every
    earlier one, half a million rows over a thousand projects) needs only its chain. Reachability is a bit set
    per node, in dependency order. A graph with a cycle (a `dependency-cycle` error) is returned as it is.
    """
    nodes = list(dict.fromkeys([*edges, *(target for targets in edges.values() for target in targets)]))
    bit = {node: 1 << place for place, node in enumerate(nodes)}
    waiting = {node: len(set(edges.get(node, ()))) for node in nodes}
    needed_by: dict[str, list[str]] = {}
    for node, targets in edges.items():
        for target in set(targets):
            needed_by.setdefault(target, []).append(node)
    ready = [node for node in nodes if not waiting[node]]
    reach: dict[str, int] = {}  # every node reachable from this one, itself not included
    reduced: dict[str, list[str]] = {}
    while ready:
        node = ready.pop()
        targets = list(dict.fromkeys(edges.get(node, ())))
        implied = 0
        for target in targets:
            implied |= reach[target]
        reduced[node] = [target for target in targets if not implied & bit[target]]
        for target in targets:
            implied |= bit[target]
        reach[node] = implied
        for before in needed_by.get(node, ()):
            waiting[before] -= 1
            if not waiting[before]:
                ready.append(before)
    if len(reach) < len(nodes):  # a cycle: its nodes never became ready
        return {node: list(targets) for node, targets in edges.items()}
    return {node: reduced[node] for node in edges}


def _optimal(problem: Problem, budget: Fraction | None, time_limit: float | None, start: set[str]) -> tuple[set[str], Solve]:
    """The most valuable set under the limits, from a 0–1 integer program; `start` is a feasible set (greedy's)."""
    from ppmcli.analysis.selection.solver import DEFAULT_TIME_LIMIT, Rows, solve_binary

    candidates = problem.selectable()
    index = {pid: column for column, pid in enumerate(candidates)}
    forced = set(problem.forced)
    forced_cost, _ = problem.total(forced)
    upper = [1] * len(candidates)
    rows = Rows()
    budget_row = -1
    if budget is not None:
        budget_row = len(rows)
        rows.add(range(len(candidates)), [float(problem.rows[pid].cost) for pid in candidates], -float("inf"), float(budget - forced_cost))
    blocked, linked = problem.links
    for pid in candidates:
        column = index[pid]
        if pid in blocked:
            upper[column] = 0
        for dep in linked.get(pid, ()):
            rows.add((column, index[dep]), (1.0, -1.0), -float("inf"), 0.0)
        for other in problem.excludes[pid]:
            if other in forced:
                upper[column] = 0
            elif other in index and pid < other:
                rows.add((column, index[other]), (1.0, 1.0), -float("inf"), 1.0)
    remaining = problem.remaining(forced)
    if remaining is not None:
        asked: dict[Cell, list[tuple[int, float]]] = {}
        for pid in candidates:
            for cell, days in problem.demand[pid].items():
                asked.setdefault(cell, []).append((index[pid], days))
        for cell in sorted(asked):
            terms = asked[cell]
            room = remaining.get(cell, 0.0) + CAPACITY_TOLERANCE
            # A month no set of candidates can overfill needs no row.
            if sum(days for _, days in terms) > room:
                rows.add([column for column, _ in terms], [days for _, days in terms], -float("inf"), room)
    values = [float(problem.value(pid)) for pid in candidates]
    # Among equally valuable sets, prefer the one holding the higher-ranked projects: with weight
    # 1/position, a project outweighs any two ranked below it (1/1 > 1/2 + 1/3).
    tiebreak = [1.0 / (column + 1) for column in range(len(candidates))]
    initial = [pid in start for pid in candidates]
    # --time-limit (or the solver's default) bounds every solve together, the budget re-solves below included.
    deadline = time.perf_counter() + (DEFAULT_TIME_LIMIT if time_limit is None else time_limit)
    for _ in range(4):
        left = max(0.0, deadline - time.perf_counter())
        outcome = solve_binary(values, rows, upper, start=initial, tiebreak=tiebreak, time_limit=left)
        chosen = forced | {pid for pid, on in zip(candidates, outcome.chosen) if on}
        primary = forced | {pid for pid, on in zip(candidates, outcome.primary) if on}
        if problem.total(primary)[1] > problem.total(chosen)[1]:
            chosen = primary
        if not outcome.proven and problem.total(start)[1] > problem.total(chosen)[1]:
            chosen = set(start)  # stopped before finding anything better than the start
        broken = problem.violations(chosen, budget)
        if not broken:
            return chosen, Solve(outcome.proven, outcome.gap, outcome.seconds, outcome.status)
        if budget_row < 0 or any(not message.startswith("budget") for message in broken):
            raise RuntimeError(f"the solver returned a set that breaks a limit: {'; '.join(broken)}")
        # Rounding 0.9999999 up to 1 can overshoot a large budget by cents: tighten the row and solve again.
        assert budget is not None  # a budget row exists
        excess = float(problem.total(chosen)[0] - budget)
        rows.upper[budget_row] -= excess + 1e-9 * float(budget)
    raise RuntimeError("the solver kept returning sets a little over the budget")


# ---------------------------------------------------------------- the commands' analyses


def prioritize(
    ws: Workspace,
    projects: Mapping[str, Project],
    *,
    model: str | None = None,
    limits: Limits = Limits(),
    method: str = "greedy",
    compare: bool = False,
    time_limit: float | None = None,
) -> Selection:
    """Rank the open projects among `projects` and, when a limit applies, select under it.

    Args:
        ws: the workspace (people for capacity, the phase of dependencies outside `projects`).
        projects: the whole world of the selection: the projects `--portfolio`/`--tag` keep, by id.
        model: the scoring model (`--model`), or None for the default.
        limits: budget, capacity, forced in and out.
        method: "greedy" or "optimal".
        compare: with "optimal", also select greedily and compare.
        time_limit: seconds the solver may take (optimal only); None for `solver.DEFAULT_TIME_LIMIT`.

    Returns:
        The selection (a plain ranking with `method` None when no limit applies).

    Raises:
        PpmError: an unknown model, method or project named in the limits, or a
            project both forced in and out.
    """
    if method not in METHODS:
        raise PpmError(f"--method {quote(method)} is not one of {', '.join(METHODS)}{did_you_mean(method, METHODS)}")
    problem = _build(ws, projects, model, limits)
    if not limits.active:
        rows = tuple(_decision(problem.rows[pid], None, None, None, None) for pid in problem.order)
        return Selection(problem.ranking.model, problem.ranking.type, None, None, False, rows, Fraction(0), Fraction(0))
    greedy = _selection(problem, limits, "greedy", None)
    if method == "greedy":
        return greedy
    optimal = _selection(problem, limits, "optimal", time_limit, start=_chosen(greedy))
    if not compare:
        return optimal
    greedy_set, optimal_set = _chosen(greedy), _chosen(optimal)
    comparison = Comparison(
        greedy,
        tuple(pid for pid in problem.order if pid in optimal_set - greedy_set),
        tuple(pid for pid in problem.order if pid in greedy_set - optimal_set),
        optimal.value - greedy.value,
    )
    return replace(optimal, comparison=comparison)


def _chosen(selection: Selection) -> set[str]:
    return {row.id for row in selection.rows if row.selected}


def _selection(problem: Problem, limits: Limits, method: str, time_limit: float | None, start: set[str] | None = None) -> Selection:
    breaches = problem.breaches(limits.budget)
    solve = None
    if breaches:
        # The forced projects are still selected, and nothing else.
        chosen = set(problem.forced)
        broken = " and ".join(dict.fromkeys(message.split(":", 1)[0] for message in breaches))
        reasons = {pid: f"not considered: the forced projects alone break the {broken}" for pid in problem.order if pid not in chosen}
    elif method == "greedy":
        chosen, reasons = _greedy(problem, limits.budget)
    else:
        chosen, solve = _optimal(problem, limits.budget, time_limit, start or set(problem.forced))
        left = None if limits.budget is None else limits.budget - problem.total(chosen)[0]
        remaining = problem.remaining(chosen)
        reasons = {}
        for pid in problem.order:
            if pid not in chosen:
                reasons[pid] = problem.out.get(pid) or problem.why_not(pid, chosen, left, remaining) or _fits_anyway(problem, pid, solve)
    cost, value = problem.total(chosen)
    rows = []
    running = Fraction(0)
    for pid in problem.order:
        cumulative = None
        if pid in chosen:
            running += problem.rows[pid].cost
            cumulative = running
        rows.append(_decision(problem.rows[pid], pid in chosen, cumulative, problem.forced.get(pid), reasons.get(pid)))
    return Selection(
        problem.ranking.model, problem.ranking.type, method, limits.budget, limits.capacity, tuple(rows), cost, value,
        tuple(breaches), tuple(problem.warnings), solve,
    )


def _fits_anyway(problem: Problem, pid: str, solve: Solve) -> str:
    """Why the exact method left out a project that would fit."""
    if not solve.proven:
        return "fits, but is not in the best set found before the time limit"
    return "fits, but adds no value" if problem.value(pid) == 0 else "fits, but is not in the optimal set"


def _decision(row: Ranked, selected: bool | None, cumulative: Fraction | None, forced: str | None, reason: str | None) -> Decision:
    return Decision(row.id, row.rank, row.score, row.value, row.cost, row.lacks, row.mandatory, selected, cumulative, forced, reason)


def check_steps(steps: int) -> None:
    """Raise PpmError unless `steps` is a frontier's number of budget steps, 1 to `MAX_STEPS`."""
    if steps < 1:
        raise PpmError(f"--steps must be at least 1, not {cut(str(steps))}")
    if steps > MAX_STEPS:
        raise PpmError(f"--steps must be at most {MAX_STEPS}, not {cut(str(steps))}")


def frontier(
    ws: Workspace,
    projects: Mapping[str, Project],
    *,
    model: str | None = None,
    limits: Limits = Limits(),
    steps: int = 10,
    method: str = "optimal",
    time_limit: float | None = None,
    total_time_limit: float | None = None,
) -> Frontier:
    """The efficient frontier: the best selection at `steps` + 1 budgets evenly spaced from the forced projects' cost to the cost of every selectable project
    (one whose dependencies can all be met).

    Args:
        ws, projects, model: as in `prioritize`.
        limits: capacity and forced in and out; the budget is what varies, so `limits.budget` must be None.
        steps: intervals between the smallest and the largest budget (1 to `MAX_STEPS`).
        method: "optimal" (the frontier proper) or "greedy".
        time_limit: seconds per solve at most (optimal only); None for no limit of its own.
        total_time_limit: seconds for every solve together (optimal only); None for
            `solver.DEFAULT_TIME_LIMIT`. Each budget gets an equal share of what is left,
            so time a quick budget does not use goes to the next ones; a budget whose share
            runs out keeps the best set found, not proven.

    Returns:
        The frontier, one step per distinct budget.

    Raises:
        PpmError: a budget was given, `steps` is outside 1 to `MAX_STEPS`, or as in `prioritize`.
    """
    from ppmcli.analysis.selection.solver import DEFAULT_TIME_LIMIT

    if limits.budget is not None:
        raise PpmError("--frontier varies the budget itself; leave out --budget")
    check_steps(steps)
    if method not in METHODS:
        raise PpmError(f"--method {quote(method)} is not one of {', '.join(METHODS)}{did_you_mean(method, METHODS)}")
    problem = _build(ws, projects, model, limits)
    low, _ = problem.total(set(problem.forced))
    never, _ = problem.links  # a project no selection can hold adds nothing to the top budget
    high = low + sum((problem.rows[pid].cost for pid in problem.selectable() if pid not in never), Fraction(0))
    budgets = list(dict.fromkeys(low + (high - low) * k / steps for k in range(steps + 1)))
    breaches = problem.breaches(None)
    result: list[FrontierStep] = []
    previous: set[str] = set()
    deadline = time.perf_counter() + (DEFAULT_TIME_LIMIT if total_time_limit is None else total_time_limit)
    for done, budget in enumerate(budgets):
        proven, gap = (True, 0.0) if method == "optimal" else (False, None)  # the forced projects alone: nothing to choose
        if breaches:
            chosen = set(problem.forced)
        else:
            chosen, _ = _greedy(problem, budget)
            if method == "optimal":
                share = max(0.0, deadline - time.perf_counter()) / (len(budgets) - done)
                chosen, solve = _optimal(problem, budget, share if time_limit is None else min(share, time_limit), chosen)
                proven, gap = solve.proven, solve.gap
        cost, value = problem.total(chosen)
        ranked = tuple(pid for pid in problem.order if pid in chosen)
        result.append(FrontierStep(
            budget, cost, value, ranked,
            tuple(pid for pid in ranked if pid not in previous),
            tuple(pid for pid in problem.order if pid in previous - chosen),
            proven, gap,
        ))
        previous = chosen
    return Frontier(problem.ranking.model, problem.ranking.type, method, limits.capacity, tuple(result), tuple(breaches), tuple(problem.warnings))
