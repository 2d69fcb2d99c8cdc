"""Time every ppm command on a generated workspace, against the floors of reading and composing its files.

    python benchmarks/run.py [--size 2000|20000] [--runs 3] [--only check,score]

The workspace is generated once (seeded) into benchmarks/.cache/ and reused.
Each command runs in a fresh process with PPM_TIMINGS=1, so besides its wall
time it says how long its load, analysis and output took. The runs go in
rounds (floors, load, every command, then the next round), so a machine that
slows down for a while slows every row alike; the table gives medians over the
rounds, in seconds and as ratios to the two floors measured in the same rounds:
reading every file, and composing every file with libyaml's C composer (which
keeps the line and column marks ppm needs). The last column holds each row's
target (issue 19's for load, check, the cache, memory and diff; issue 9's for
the analyses; issue 18's for export xlsx) and whether the run met it; one
changed file is judged among 20,000 projects, as issue 19 sets it. Peak
memory is the resident set of a cold `ppm check`, from getrusage of its parent.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

import ppmcli  # noqa: E402

AS_OF = "2026-06-01"
CHECK = ["check", "--fail-on", "never"]
CHANGED_FILES = 20
# Seconds the exact solvers may take on the large workspace (prioritize's and plan's --time-limit).
TIME_LIMIT = 120
# The scenarios `plan_workspace` writes, each the greedy plan's options with one change (a cut, a hire, a longer delay).
SCENARIOS = ("bench-cut", "bench-hire", "bench-delay")


def commands(size: int, plan: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
    """(label, ppm arguments) for every command benchmarked, `check` first (diff is judged against it); `plan` holds plan's limits (`plan_workspace`)."""
    budget = str(size * 600_000)
    return [
        ("check", CHECK),
        ("score", ["score", "--format", "json"]),
        ("prioritize greedy", ["prioritize", "--budget", budget, "--capacity", "--format", "json"]),
        ("prioritize optimal", ["prioritize", "--budget", budget, "--capacity", "--method", "optimal", "--time-limit", str(TIME_LIMIT), "--format", "json"]),
        ("plan greedy", ["plan", *plan, "--max-delay", "3", "--method", "greedy", "--format", "json"]),
        ("plan optimal", ["plan", *plan, "--max-delay", "3", "--time-limit", str(TIME_LIMIT), "--format", "json"]),
        ("scenarios (3, greedy)", ["scenarios", *SCENARIOS, "--time-limit", str(TIME_LIMIT), "--format", "json"]),
        ("conflicts", ["conflicts", "--format", "json"]),
        ("capacity --by week", ["capacity", "--by", "week", "--format", "json"]),
        ("report --by program", ["report", "--by", "program", "--format", "json"]),
        (f"diff ({CHANGED_FILES} files)", ["diff", "HEAD~1", "HEAD", "--format", "json"]),
        ("export xlsx", ["export", "xlsx", "--budget", budget, "-o", str(HERE / ".cache" / f"portfolio{size}.xlsx")]),
    ]


def workspace(size: int) -> Path:
    """The cached workspace of `size` projects, in a git repository whose last commit changes 20 project files."""
    root = HERE / ".cache" / f"ws{size}"
    if (root / ".git").is_dir() and (root / "ppm.yaml").is_file():
        if not any((root / ".git" / "objects" / "pack").glob("*.pack")):
            subprocess.run(["git", "-C", str(root), "gc", "-q"], check=True)  # a workspace cached before its objects were packed
        return root
    shutil.rmtree(root, ignore_errors=True)
    generate(root, projects=size, people=max(size // 2, 15), seed=1, statuses=10)
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], check=True)
    for path in sorted((root / "projects").rglob("*.yaml"))[:CHANGED_FILES]:
        text = path.read_text()
        path.write_text(text.replace("budget: ", "budget: 1", 1))
    subprocess.run([*git, "commit", "-q", "-a", "-m", "change 20 projects"], check=True)
    # Packed, as a clone (a CI checkout) is: `diff` reads every file of both revisions through git.
    subprocess.run([*git, "gc", "-q"], check=True)
    return root


def plan_workspace(root: Path) -> tuple[Path, tuple[str, ...]]:
    """A copy of the workspace where `ppm plan` has something to plan, and its limits: a budget (the running projects' remaining cost and 30 % of the candidates') and the running projects to stop.

    The generated workspace has mandatory proposals that exclude running projects (those are
    stopped, as a portfolio manager would have to) and that depend on cancelled ones (no option
    helps there: the copy makes them optional). Otherwise the plan is a breach: exit 1, nothing
    else selected, nothing solved. Found from unbudgeted greedy plans, not timed.
    """
    import json

    copy = root.with_name(root.name + "-plan")
    if not (copy / "ppm.yaml").is_file():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git"))
    stops: list[str] = []
    while True:
        argv = [sys.executable, "-m", "ppmcli", "-C", str(copy), "--as-of", AS_OF, "plan", "--method", "greedy", "--format", "json", *(a for pid in stops for a in ("--stop", pid))]
        found = json.loads(subprocess.run(argv, capture_output=True, text=True, check=False).stdout)
        fixed = False
        for breach in found["breaches"]:
            if match := re.search(r"excludes (\S+), running$", breach["detail"]):
                stops.append(match.group(1))
                fixed = True
            elif match := re.match(r"(\S+) depends on \S+, (cancelled|not defined)$", breach["detail"]):
                for path in copy.glob(f"projects/**/{match.group(1)}.yaml"):
                    path.write_text(path.read_text().replace("mandatory: true", "mandatory: false"))
                fixed = True
        if not found["breaches"] or not fixed:
            break
    running = sum(row["cost"] for row in found["projects"] if row["state"] == "running")
    candidates = sum(row["cost"] for row in found["projects"] if row["state"] == "candidate")
    budget = int(running + 0.3 * candidates)
    busiest = max(found["capacity"], key=lambda cell: (cell["utilization"] or 0, cell["role"]))["role"]
    common = {"stop": sorted(set(stops)), "method": "greedy"}
    for name, options in zip(SCENARIOS, ({"budget": int(budget * 0.8), "max_delay": 3}, {"budget": budget, "max_delay": 3, "hire": [{"role": busiest, "count": 2, "from": AS_OF[:7]}]}, {"budget": budget, "max_delay": 6})):
        (copy / "scenarios").mkdir(exist_ok=True)
        (copy / "scenarios" / f"{name}.yaml").write_text(json.dumps({"name": name, "plan": {**options, **common}}) + "\n")  # JSON is YAML
    return copy, ("--budget", str(budget), *(arg for pid in sorted(set(stops)) for arg in ("--stop", pid)))


_LOAD = (
    "import sys, time, pathlib\n"
    "from ppmcli.load.loader import load\n"
    "from ppmcli.load.sources import FileSource\n"
    "t0 = time.perf_counter(); load(FileSource(pathlib.Path(sys.argv[1]))); print(time.perf_counter() - t0)\n"
)
_FLOOR = (
    "import sys, time, yaml, pathlib\n"
    "root = pathlib.Path(sys.argv[1])\n"
    "paths = [root / 'ppm.yaml'] + sorted(p for k in ('portfolios', 'programs', 'projects', 'people') for p in (root / k).rglob('*.yaml'))\n"
    "t0 = time.perf_counter(); texts = [p.read_text() for p in paths]; t1 = time.perf_counter()\n"
    "if sys.argv[2] == 'compose':\n"
    "    for text in texts: yaml.compose(text, Loader=yaml.CSafeLoader)\n"
    "t2 = time.perf_counter(); print(t1 - t0 if sys.argv[2] == 'read' else t2 - t1)\n"
)
_TIMINGS = re.compile(r"^ppm: timings: load ([\d.]+) s, analysis ([\d.]+) s, output ([\d.]+) s$", re.MULTILINE)


def in_process(script: str, root: Path, *args: str) -> float:
    """The seconds a script prints, run in a fresh process."""
    return float(subprocess.run([sys.executable, "-c", script, str(root), *args], capture_output=True, text=True, check=True).stdout)


@dataclass
class Run:
    """One run of a command: wall seconds and the phases ppm reported, or why it failed."""

    seconds: float = 0.0
    load: float = 0.0
    analysis: float = 0.0
    output: float = 0.0
    note: str = ""
    failed: str = ""


def run_ppm(root: Path, args: list[str], *, cache: bool = False) -> Run:
    """`ppm ARGS` in a fresh process (cold: --no-cache), with its phases."""
    argv = [sys.executable, "-m", "ppmcli", "-C", str(root), "--as-of", AS_OF, *([] if cache else ["--no-cache"]), *args]
    # Output goes to a file, as `ppm … > out.json` would: a pipe read by this script would cost the command more than a user's redirect.
    with tempfile.TemporaryFile() as sink:
        start = time.perf_counter()
        result = subprocess.run(argv, stdout=sink, stderr=subprocess.PIPE, text=True, check=False, env={**os.environ, "PPM_TIMINGS": "1"})
        elapsed = time.perf_counter() - start
    if result.returncode == 2:
        return Run(failed="failed: " + (result.stderr.strip().splitlines() or ["exit 2"])[0][:70])
    match = _TIMINGS.search(result.stderr)
    load, analysis, output = (float(x) for x in match.groups()) if match else (0.0, 0.0, 0.0)
    note = "not proven" if "not proven optimal" in result.stderr else ""
    return Run(elapsed, load, analysis, output, note)


_PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
)


def peak_rss(root: Path) -> float:
    """The peak resident memory (MB) of a cold `ppm check`, from a process whose only child it is."""
    argv = [sys.executable, "-m", "ppmcli", "-C", str(root), "--as-of", AS_OF, "--no-cache", *CHECK]
    return float(subprocess.run([sys.executable, "-c", _PEAK, *argv], capture_output=True, text=True, check=True).stdout)


def one_changed(root: Path) -> Run:
    """`ppm check` with a primed cache after one project file changed (a new comment added), the file then restored."""
    path = sorted((root / "projects").rglob("*.yaml"))[-1]
    original = path.read_bytes()
    run_ppm(root, CHECK, cache=True)
    try:
        # A new comment every time: the result cache keeps earlier rounds' results, and must miss.
        path.write_bytes(original + f"# changed {time.time_ns()}\n".encode())
        return run_ppm(root, CHECK, cache=True)
    finally:
        path.write_bytes(original)


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False)
    return time.perf_counter() - start


def rounds(root: Path, size: int, runs: int, wanted: list[str]) -> dict[str, list]:
    """Every measurement, `runs` times over, one round after the other."""
    labels = [label for label, _ in commands(size) if not wanted or any(label.startswith(w) for w in wanted)]
    planned, limits = plan_workspace(root) if any(label.startswith(("plan", "scenarios")) for label in labels) else (root, ())
    chosen = [(label, args) for label, args in commands(size, limits) if label in labels]
    found: dict[str, list] = defaultdict(list)
    for index in range(runs):
        print(f"round {index + 1} of {runs}…", file=sys.stderr, flush=True)
        found["read"].append(in_process(_FLOOR, root, "read"))
        found["compose"].append(in_process(_FLOOR, root, "compose"))
        found["load"].append(in_process(_LOAD, root))
        for label, args in chosen:
            found[label].append(run_ppm(planned if label.startswith(("plan", "scenarios")) else root, args))
        run_ppm(root, CHECK, cache=True)  # primes the cache
        found["warm"].append(run_ppm(root, CHECK, cache=True))
        found["cold"].append(found["check"][-1] if "check" in found else run_ppm(root, CHECK))
        found["one changed"].append(one_changed(root))
        found["peak"].append(peak_rss(root))
        # Start-up takes a fifth of a second, where one scheduling hiccup shows: the best of 5 per round.
        for name, argv in (("typer", ["-c", "import typer"]), ("--version", ["-m", "ppmcli", "--version"]), ("--help", ["-m", "ppmcli", "--help"])):
            found[name].append(min(wall([sys.executable, *argv]) for _ in range(5)))
    return found


def runs_median(found: list[Run]) -> Run | str:
    """The median of each figure over the runs, or the first failure."""
    failures = [run.failed for run in found if run.failed]
    if failures:
        return failures[0]
    notes = sorted({run.note for run in found if run.note})
    return Run(*(median([getattr(run, name) for run in found]) for name in ("seconds", "load", "analysis", "output")), note=", ".join(notes))


def table(found: dict[str, list], size: int) -> tuple[list[str], int]:
    """The lines of the table, and how many targets were missed."""
    read, compose, load = median(found["read"]), median(found["compose"]), median(found["load"])
    lines = [
        f"floors: read {read:.3f} s, libyaml compose {compose:.3f} s (medians of {len(found['read'])} rounds, fresh processes)",
        "",
        f"{'command':<24} {'seconds':>8} {'÷ read':>7} {'÷ compose':>9} {'analysis':>9} {'output':>7}  target",
        f"{'':<24} {'':>8} {'':>7} {'':>9} {'÷ load':>9} {'÷ load':>7}",
    ]
    missed = 0

    def row(label: str, seconds: float, analysis: str = "", output: str = "", target: str = "", met: bool | None = None) -> None:
        nonlocal missed
        verdict = "" if met is None else ("  ok" if met else "  MISSED")
        missed += met is False
        lines.append(f"{label:<24} {seconds:>8.3f} {seconds / read:>7.1f} {seconds / compose:>9.2f} {analysis:>9} {output:>7}  {target}{verdict}")

    row("load + validate", load, target="≤ 0.5 × compose", met=load / compose <= 0.5)
    check_seconds = None
    for label, _ in commands(size):
        if label not in found:
            continue
        result = runs_median(found[label])
        if isinstance(result, str):
            lines.append(f"{label:<24} {result}")
            missed += 1
            continue
        after, out = result.analysis / result.load, result.output / result.load
        targets, met = [f"output ≤ 0.1 × load"], [out <= 0.1]
        if label == "check":
            check_seconds = result.seconds
            targets.insert(0, "≤ 0.8 × compose")
            met.insert(0, result.seconds / compose <= 0.8)
        elif label.startswith("diff"):
            if check_seconds is not None:
                targets.insert(0, f"= {result.seconds / check_seconds:.2f} × check; ≤ 1.5")
                met.insert(0, result.seconds / check_seconds <= 1.5)
        elif label.startswith("scenarios"):
            # The baseline and three plans on one load: at most three separate greedy plans (each loading the workspace).
            single = runs_median(found["plan greedy"]) if found.get("plan greedy") else None
            if isinstance(single, Run):
                targets.insert(0, f"= {result.seconds / single.seconds:.2f} × plan greedy; ≤ 3")
                met.insert(0, result.seconds <= 3 * single.seconds)
        elif label == "export xlsx":
            # Six analyses and a workbook: the whole of it against one load.
            targets, met = ["analysis + output ≤ 1 × load"], [after + out <= 1]
        elif label in ("prioritize optimal", "plan optimal"):
            if size <= 2000:
                targets.insert(0, "proven, analysis ≤ 5 × load")
                met.insert(0, not result.note and after <= 5)
            elif label == "plan optimal":
                # A feasible plan (exit 0) and its gap, the solver within its limit: the analysis beyond it is what greedy's takes (scores, demand at every delay).
                greedy = runs_median(found["plan greedy"]) if found.get("plan greedy") else None
                building = greedy.analysis if isinstance(greedy, Run) else 0.0
                targets.insert(0, f"a plan within --time-limit {TIME_LIMIT} + greedy's analysis")
                met.insert(0, result.analysis <= TIME_LIMIT + 1.5 * building + 5)
        else:
            targets.insert(0, "analysis ≤ 0.5 × load")
            met.insert(0, after <= 0.5)
        if result.note:
            targets.insert(0, result.note)
        row(label, result.seconds, f"{after:.2f}", f"{out:.3f}", ", ".join(targets), all(met))
    warm, cold, changed = runs_median(found["warm"]), runs_median(found["cold"]), runs_median(found["one changed"])
    if isinstance(warm, Run) and isinstance(cold, Run) and isinstance(changed, Run):
        ratio = warm.seconds / cold.seconds
        row("check, warm cache", warm.seconds, target=f"= {ratio:.2f} × cold check; ≤ 0.1", met=ratio <= 0.1)
        ratio = changed.seconds / cold.seconds
        # Issue 19 sets this target among 20,000 projects; on a smaller workspace the ratio is shown, not judged.
        judged = size >= 20000
        row("check, 1 file changed", changed.seconds, target=f"= {ratio:.2f} × cold check; ≤ 0.15" + ("" if judged else " at 20,000"), met=ratio <= 0.15 if judged else None)
    peak = median(found["peak"])
    lines.append(f"{'check, peak memory':<24} {peak:>6.0f} MB {'':>15} {'':>9} {'':>7}  ≤ 1,000 MB{'  ok' if peak <= 1000 else '  MISSED'}")
    missed += peak > 1000
    typer = median(found["typer"])
    for flag in ("--version", "--help"):
        seconds = median(found[flag])
        row("ppm " + flag, seconds, target=f"= {seconds / typer:.2f} × python -c 'import typer'; ≤ 1.5", met=seconds / typer <= 1.5)
    return lines, missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=2000, help="projects in the generated workspace (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="rounds; medians are shown (default 3)")
    parser.add_argument("--only", default="", help="comma-separated command labels (prefixes) to run")
    options = parser.parse_args()
    # ppm's modules compiled as `pip install` leaves them: an editable install (or PYTHONDONTWRITEBYTECODE) compiles them on every run.
    compileall.compile_dir(str(Path(ppmcli.__file__).parent), quiet=1)
    root = workspace(options.size)
    wanted = [w.strip() for w in options.only.split(",") if w.strip()]
    found = rounds(root, options.size, options.runs, wanted)
    lines, missed = table(found, options.size)
    print(f"workspace: {options.size} projects in {root}")
    print("\n".join(lines))
    print(f"\n{'every target met' if not missed else f'{missed} target' + ('s' if missed > 1 else '') + ' missed'}")
    failed = any(run.failed for label, runs in found.items() for run in runs if isinstance(run, Run))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
