"""Time `ppm report --by program` in-process against loading and checking the same workspace.

    python benchmarks/generate.py /tmp/ws20000 --projects 20000 --people 10000
    python benchmarks/bench_report.py /tmp/ws20000 [--runs 3] [--by program] [--as-of 2026-06-01]

Each stage is timed on its own, the median of --runs runs: loading the files,
the cross-file checks, and the report (earned value, labor cost, rollups) plus
its JSON rendering. `ppm check` is load + checks and `ppm report` is load +
report, so the ratio of the two is what a user sees; the target is ≤ 1.3.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ppmcli.analysis.checks import run_checks
from ppmcli.analysis.delivery.rollup import build_report
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource
from ppmcli.render.output import Output
from ppmcli.render.report import render

TARGET = 1.3


def median_seconds(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of `runs` calls of `work`, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--by", default="program")
    parser.add_argument("--as-of", default="2026-06-01", type=date.fromisoformat)
    args = parser.parse_args()

    load_s, (ws, _) = median_seconds(lambda: load(FileSource(args.workspace)), args.runs)
    checks_s, findings = median_seconds(lambda: run_checks(ws, args.as_of), args.runs)
    report_s, text = median_seconds(lambda: render(build_report(ws, ws.projects, args.as_of, by=args.by), Output("json")), args.runs)
    check_total = load_s + checks_s
    report_total = load_s + report_s
    ratio = report_total / check_total
    print(f"workspace: {args.workspace} ({len(ws.projects):,} projects, {sum(len(p.status) for p in ws.projects.values()):,} statuses, {len(ws.people):,} people)")
    print(f"load:                      {load_s:7.2f} s")
    print(f"checks:                    {checks_s:7.2f} s  ({len(findings):,} findings)")
    print(f"report --by {args.by:<13} {report_s:7.2f} s  ({len(text) / 1e6:.1f} MB of JSON)")
    print(f"ppm check  = load + checks {check_total:7.2f} s")
    print(f"ppm report = load + report {report_total:7.2f} s")
    print(f"report / check: {ratio:.2f} (target ≤ {TARGET}); report / load: {report_total / load_s:.2f}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
