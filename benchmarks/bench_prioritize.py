"""Time scoring, greedy and optimal selection in-process against `ppm check` on the same workspaces.

    python benchmarks/generate.py /tmp/ws2000 --projects 2000
    python benchmarks/generate.py /tmp/ws20000 --projects 20000 --people 10000
    python benchmarks/bench_prioritize.py /tmp/ws2000 /tmp/ws20000 [--time-limit 120] [--budget-share 0.3]

`ppm check` is load + cross-file checks; `ppm prioritize` is load + the
selection, so the ratios below are what a user sees. The budget is
--budget-share of the open projects' total cost. Targets (issue 4):
score + greedy on the large workspace ≤ 1.3 × check; optimal with budget,
dependencies and monthly role capacity on the small one proven optimal within
5 × check; on the large one with capacity as the only limit (tight: every
role-month binds), a feasible set and its gap within --time-limit.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from fractions import Fraction
from pathlib import Path

from ppmcli.analysis.checks import run_checks
from ppmcli.analysis.selection.prioritize import Limits, Selection, prioritize
from ppmcli.core.model import Workspace
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource

AS_OF = date(2026, 6, 1)


def timed(work, *args, **kwargs):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = work(*args, **kwargs)
    return time.perf_counter() - start, result


def budget_of(ws: Workspace, share: float) -> Fraction:
    total = sum(Fraction(p.budget) for p in ws.projects.values() if p.phase.is_open)
    return Fraction(int(total * Fraction(str(share))))


def check_time(path: Path) -> tuple[float, float, Workspace]:
    """(load seconds, load + checks seconds, workspace)."""
    load_s, (ws, _) = timed(load, FileSource(path))
    checks_s, _ = timed(run_checks, ws, AS_OF)
    return load_s, load_s + checks_s, ws


def describe(selection: Selection) -> str:
    solve = selection.solve
    status = "" if solve is None else f", {'proven optimal' if solve.proven else 'NOT proven'}, gap {solve.gap:.2e}, solver {solve.seconds:.1f} s"
    return f"{selection.funded:,} funded, value {float(selection.value):,.2f}{status}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("small", type=Path, help="the 2,000-project workspace")
    parser.add_argument("large", type=Path, help="the 20,000-project workspace")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--budget-share", type=float, default=0.3)
    args = parser.parse_args()
    ok = True

    load_s, check_s, ws = check_time(args.large)
    budget = budget_of(ws, args.budget_share)
    greedy_s, greedy = timed(prioritize, ws, ws.projects, limits=Limits(budget=budget))
    ratio = (load_s + greedy_s) / check_s
    ok &= ratio <= 1.3
    print(f"large: {args.large} ({len(ws.projects):,} projects, {len(ws.people):,} people)")
    print(f"  load {load_s:.1f} s, ppm check (load + checks) {check_s:.1f} s")
    print(f"  score + greedy, budget {float(budget):,.0f}: {greedy_s:.2f} s ({describe(greedy)})")
    print(f"  ppm prioritize / ppm check = {ratio:.2f} (target ≤ 1.3)")
    tight_s, tight = timed(prioritize, ws, ws.projects, limits=Limits(capacity=True), method="optimal", time_limit=args.time_limit)
    ok &= tight.solve is not None and tight.solve.seconds <= args.time_limit + 5
    print(f"  optimal, capacity only (tight), time limit {args.time_limit:g} s: {tight_s:.1f} s ({describe(tight)})")
    both_s, both = timed(prioritize, ws, ws.projects, limits=Limits(budget=budget, capacity=True), method="optimal", time_limit=args.time_limit)
    print(f"  optimal, budget + capacity, time limit {args.time_limit:g} s: {both_s:.1f} s ({describe(both)})")
    del ws, greedy, tight, both

    load_s, check_s, ws = check_time(args.small)
    budget = budget_of(ws, args.budget_share)
    optimal_s, optimal = timed(prioritize, ws, ws.projects, limits=Limits(budget=budget, capacity=True), method="optimal")
    ratio = (load_s + optimal_s) / check_s
    ok &= optimal.solve is not None and optimal.solve.proven and ratio <= 5
    print(f"small: {args.small} ({len(ws.projects):,} projects, {len(ws.people):,} people)")
    print(f"  load {load_s:.1f} s, ppm check (load + checks) {check_s:.1f} s")
    print(f"  optimal, budget {float(budget):,.0f} + dependencies + capacity: {optimal_s:.1f} s ({describe(optimal)})")
    print(f"  ppm prioritize --method optimal / ppm check = {ratio:.2f} (target ≤ 5, proven)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
