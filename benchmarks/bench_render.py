"""Time every command's output, per format, in-process, against the load of the same workspace.

    python benchmarks/generate.py /tmp/ws20000 --projects 20000 --people 10000
    python benchmarks/bench_render.py /tmp/ws20000 [--runs 3] [--diff HEAD~1]

The workspace is loaded once (cold, no cache) and every analysis runs once;
then each command's renderer (the function the CLI calls) is timed for each
format, the median of --runs runs. `text` is the terminal rendering (colour,
120 × 50). The target is that no output costs more than 0.1 × the load.
With --diff REV (the workspace must be a git repository), `ppm diff REV HEAD`
is timed too.
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
from ppmcli.analysis.review.diff import Side, diff_portfolios
from ppmcli.analysis.selection import prioritize as selection
from ppmcli.analysis.selection.scoring import rank_projects
from ppmcli.core.findings import Finding, sorted_findings
from ppmcli.core.model import Workspace
from ppmcli.load.git import GitSource, resolve_rev, short_rev
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource
from ppmcli.render.capacity import render_capacity
from ppmcli.render.conflicts import render_conflicts
from ppmcli.render.diff import render_diff
from ppmcli.render.findings import render_findings
from ppmcli.render.ranking import render_score, render_selection
from ppmcli.render.report import render_report
from ppmcli.render.roadmap import render_roadmap

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import median_seconds  # noqa: E402

TARGET = 0.1
WIDTH, HEIGHT = 120, 50
TABLES = ("text", "plain", "markdown", "csv", "json")

Renderer = Callable[[str], str]


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
        "check": (lambda fmt: render_findings(findings, fmt, color=True), ("text", "json", "github")),
        "score": (lambda fmt: render_score(ranking, fmt, color=True, width=WIDTH), TABLES),
        "prioritize --budget": (lambda fmt: render_selection(chosen, currency, fmt, color=True, width=WIDTH), TABLES),
        "conflicts": (lambda fmt: render_conflicts(conflicts, fmt, color=True, width=WIDTH, height=HEIGHT), TABLES),
        "capacity --by week": (lambda fmt: render_capacity(weekly, fmt, color=True, width=WIDTH), TABLES),
        "report --by program": (lambda fmt: render_report(report, fmt, color=True, width=WIDTH), TABLES),
        "roadmap": (lambda fmt: render_roadmap(roadmap, fmt, color=True, width=WIDTH, height=HEIGHT), ("text", "plain", "markdown", "json")),
    }


def diff_renderer(root: Path, base: str, as_of: date) -> Renderer:
    """`ppm diff BASE HEAD`'s renderer over the two revisions, loaded and compared once."""
    sides = []
    for rev in (base, "HEAD"):
        sha = resolve_rev(root, rev)
        workspace, found = load(GitSource(root, sha, ""))
        sides.append(Side(short_rev(root, sha), workspace, tuple(sorted_findings(found + run_checks(workspace, as_of)))))
    changes = diff_portfolios(sides[0], sides[1], as_of)
    return lambda fmt: render_diff(changes, fmt)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", default="2026-06-01", type=date.fromisoformat)
    parser.add_argument("--budget", default=None, help="prioritize's budget (default 600,000 per project)")
    parser.add_argument("--diff", default=None, metavar="REV", help="also time `ppm diff REV HEAD`")
    args = parser.parse_args()

    start = time.perf_counter()
    ws, found = load(FileSource(args.workspace))
    load_s = time.perf_counter() - start
    budget = Fraction(args.budget) if args.budget else Fraction(600_000 * len(ws.projects))
    commands = renderers(ws, found, args.as_of, budget)
    if args.diff:
        commands[f"diff {args.diff}"] = (diff_renderer(args.workspace, args.diff, args.as_of), ("text", "markdown", "json"))
    print(f"workspace: {args.workspace} ({len(ws.projects):,} projects, {len(ws.people):,} people); load {load_s:.2f} s, target {TARGET} × load = {TARGET * load_s:.2f} s")
    print(f"{'command':<22} {'format':<9} {'seconds':>8} {'÷ load':>7} {'MB':>7} {'lines':>9}")
    worst = 0.0
    for label, (work, formats) in commands.items():
        for fmt in formats:
            seconds, text = median_seconds(lambda: work(fmt), args.runs)
            worst = max(worst, seconds / load_s)
            print(f"{label:<22} {fmt:<9} {seconds:8.3f} {seconds / load_s:7.3f} {len(text) / 1e6:7.2f} {text.count(chr(10)):>9,}", flush=True)
    print(f"slowest output: {worst:.3f} × load ({'within' if worst <= TARGET else 'ABOVE'} the {TARGET} target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
