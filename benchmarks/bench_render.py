"""Time every command's output, per format, in-process, against the load of the same workspace.

    python benchmarks/generate.py /tmp/ws20000 --projects 20000 --people 10000
    python benchmarks/bench_render.py /tmp/ws20000 [--runs 3]

The workspace is loaded once (cold, no cache) and every analysis runs once;
then each command's renderer (the function the CLI calls) is timed for each
format, the median of --runs runs. `text` is the terminal rendering (colour,
120 × 50). The target is that no output costs more than 0.1 × the load.
`ppm diff`'s output is timed by `run.py`, in a fresh process like every command's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path

from ppmcli.analysis.checks import run_checks
from ppmcli.analysis.delivery.roadmap import build_roadmap
from ppmcli.analysis.delivery.rollup import build_report
from ppmcli.analysis.resources.capacity import capacity
from ppmcli.analysis.resources.conflicts import conflicts_report
from ppmcli.analysis.selection import prioritize as selection
from ppmcli.analysis.selection.scoring import rank_projects
from ppmcli.core.findings import Finding, sorted_findings
from ppmcli.core.model import Workspace
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource
from ppmcli.render import capacity as capacity_output, conflicts as conflicts_output, findings as findings_output, report as report_output, roadmap as roadmap_output
from ppmcli.render.output import Output
from ppmcli.render.ranking import render_score, render_selection

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import median_seconds  # noqa: E402

TARGET = 0.1
WIDTH, HEIGHT = 120, 50
TABLES = ("text", "plain", "markdown", "csv", "json")

Renderer = Callable[[Output], str]


def renderers(ws: Workspace, load_findings: list[Finding], as_of: date, budget: Fraction) -> dict[str, tuple[Renderer, tuple[str, ...]]]:
    """Each command's renderer over its analysis (computed here, once) and the formats it prints."""
    assert ws.settings is not None
    findings = sorted_findings(load_findings + run_checks(ws, as_of))
    ranking = rank_projects(ws.projects, ws.settings, None)
    chosen = selection.prioritize(ws, ws.projects, limits=selection.Limits(budget=budget))
    conflicts = conflicts_report(ws, as_of)
    weekly = capacity(ws, as_of, by="week")
    report = build_report(ws, ws.projects, as_of, by="program")
    roadmap = build_roadmap(ws, ws.projects, as_of)
    currency = ws.settings.currency
    return {
        "check": (lambda out: findings_output.render(findings, out), ("text", "json", "github")),
        "score": (lambda out: render_score(ranking, out), TABLES),
        "prioritize --budget": (lambda out: render_selection(chosen, currency, out), TABLES),
        "conflicts": (lambda out: conflicts_output.render(conflicts, out), TABLES),
        "capacity --by week": (lambda out: capacity_output.render(weekly, out), TABLES),
        "report --by program": (lambda out: report_output.render(report, out), TABLES),
        "roadmap": (lambda out: roadmap_output.render(roadmap, out), ("text", "plain", "markdown", "json")),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", default="2026-06-01", type=date.fromisoformat)
    parser.add_argument("--budget", default=None, help="prioritize's budget (default 600,000 per project)")
    args = parser.parse_args()

    start = time.perf_counter()
    ws, found = load(FileSource(args.workspace))
    load_s = time.perf_counter() - start
    budget = Fraction(args.budget) if args.budget else Fraction(600_000 * len(ws.projects))
    commands = renderers(ws, found, args.as_of, budget)
    print(f"workspace: {args.workspace} ({len(ws.projects):,} projects, {len(ws.people):,} people); load {load_s:.2f} s, target {TARGET} × load = {TARGET * load_s:.2f} s")
    print(f"{'command':<22} {'format':<9} {'seconds':>8} {'÷ load':>7} {'MB':>7} {'lines':>9}")
    worst = 0.0
    for label, (work, formats) in commands.items():
        for fmt in formats:
            out = Output(fmt, color=True, width=WIDTH, height=HEIGHT)
            seconds, text = median_seconds(lambda: work(out), args.runs)
            worst = max(worst, seconds / load_s)
            print(f"{label:<22} {fmt:<9} {seconds:8.3f} {seconds / load_s:7.3f} {len(text) / 1e6:7.2f} {text.count(chr(10)):>9,}", flush=True)
    print(f"slowest output: {worst:.3f} × load ({'within' if worst <= TARGET else 'ABOVE'} the {TARGET} target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
