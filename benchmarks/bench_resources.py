"""Time `ppm conflicts` and `ppm capacity --by week` (two years) in-process against loading the same workspace.

    python benchmarks/generate.py /tmp/ws20000 --projects 20000 --people 10000
    python benchmarks/bench_resources.py /tmp/ws20000 [--runs 3] [--as-of 2026-06-01]

Each stage is the median of --runs runs: loading the files; the conflicts
analysis (every person's sweep, over all projects); the capacity analysis by
ISO week over two years from --as-of (every role and person). Rendering the
JSON is timed apart, since its size grows with people × periods. The target
is each analysis ≤ 0.5 × load.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import median_seconds  # noqa: E402

from ppmcli.analysis.resources.capacity import capacity  # noqa: E402
from ppmcli.analysis.resources.conflicts import conflicts_report  # noqa: E402
from ppmcli.load.loader import load  # noqa: E402
from ppmcli.load.sources import FileSource  # noqa: E402
from ppmcli.render import capacity as render_capacity  # noqa: E402
from ppmcli.render import conflicts as render_conflicts  # noqa: E402

TARGET = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", default="2026-06-01", type=date.fromisoformat)
    args = parser.parse_args()
    as_of: date = args.as_of
    two_years = as_of.replace(year=as_of.year + 2)

    load_s, (ws, _) = median_seconds(lambda: load(FileSource(args.workspace)), args.runs)
    conflicts_s, found = median_seconds(lambda: conflicts_report(ws, as_of, history=True), args.runs)
    capacity_s, report = median_seconds(lambda: capacity(ws, as_of, by="week", start=as_of, end=two_years), args.runs)
    conflicts_json_s, conflicts_text = median_seconds(lambda: render_conflicts.as_json(found), args.runs)
    capacity_json_s, capacity_text = median_seconds(lambda: render_capacity.as_json(report), args.runs)

    allocations = sum(len(p.team) for p in ws.projects.values())
    print(f"workspace: {args.workspace} ({len(ws.projects):,} projects, {allocations:,} allocations, {len(ws.people):,} people)")
    print(f"load:                          {load_s:7.2f} s")
    print(f"conflicts (all, analysis)      {conflicts_s:7.2f} s  {conflicts_s / load_s:5.2f} × load  ({len(found.conflicts):,} conflicts)")
    print(f"capacity --by week, 2 years    {capacity_s:7.2f} s  {capacity_s / load_s:5.2f} × load  ({len(report.periods)} weeks, {len(report.roles)} roles, {len(report.people):,} people)")
    print(f"  conflicts JSON rendering     {conflicts_json_s:7.2f} s  ({len(conflicts_text) / 1e6:.1f} MB)")
    print(f"  capacity JSON rendering      {capacity_json_s:7.2f} s  ({len(capacity_text) / 1e6:.1f} MB)")
    print(f"target: each analysis ≤ {TARGET} × load")
    return 0 if max(conflicts_s, capacity_s) <= TARGET * load_s else 1


if __name__ == "__main__":
    raise SystemExit(main())
