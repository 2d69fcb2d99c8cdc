"""Time every ppm command on a generated workspace, against the floors of reading and composing its files.

    python benchmarks/run.py [--size 2000|20000] [--runs 3] [--only check,score]

The workspace is generated once (seeded) into benchmarks/.cache/ and reused.
Each command runs in a fresh process; the table gives the median of --runs
runs in seconds and its ratio to the two floors measured in the same run:
reading every file, and composing every file with libyaml's C composer (which
keeps the line and column marks ppm needs).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

AS_OF = "2026-06-01"
CHANGED_FILES = 20


def commands(size: int) -> list[tuple[str, list[str]]]:
    """(label, ppm arguments) for every command benchmarked."""
    budget = str(size * 600_000)
    return [
        ("check", ["check", "--fail-on", "never"]),
        ("score", ["score", "--format", "json"]),
        ("prioritize greedy", ["prioritize", "--budget", budget, "--capacity", "--format", "json"]),
        ("prioritize optimal", ["prioritize", "--budget", budget, "--capacity", "--method", "optimal", "--time-limit", "120", "--format", "json"]),
        ("conflicts", ["conflicts", "--format", "json"]),
        ("capacity --by week", ["capacity", "--by", "week", "--format", "json"]),
        ("report --by program", ["report", "--by", "program", "--format", "json"]),
        (f"diff ({CHANGED_FILES} files)", ["diff", "HEAD~1", "HEAD", "--format", "json"]),
    ]


def workspace(size: int) -> Path:
    """The cached workspace of `size` projects, in a git repository whose last commit changes 20 project files."""
    root = HERE / ".cache" / f"ws{size}"
    if (root / ".git").is_dir() and (root / "ppm.yaml").is_file():
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
    return root


_LOAD = (
    "import sys, time, pathlib\n"
    "from ppmcli.load.loader import load\n"
    "from ppmcli.load.sources import FileSource\n"
    "t0 = time.perf_counter(); load(FileSource(pathlib.Path(sys.argv[1]))); print(time.perf_counter() - t0)\n"
)


def in_process(script: str, root: Path, *args: str, runs: int = 1) -> float:
    """Median of the seconds a script prints, each run in a fresh process."""
    return statistics.median(
        float(subprocess.run([sys.executable, "-c", script, str(root), *args], capture_output=True, text=True, check=True).stdout)
        for _ in range(runs)
    )


def floors(root: Path, runs: int) -> tuple[float, float]:
    """Seconds to read every workspace file, and to compose them all with libyaml (fresh process each)."""
    script = (
        "import sys, time, yaml, pathlib\n"
        "root = pathlib.Path(sys.argv[1])\n"
        "paths = [root / 'ppm.yaml'] + sorted(p for k in ('portfolios', 'programs', 'projects', 'people') for p in (root / k).rglob('*.yaml'))\n"
        "t0 = time.perf_counter(); texts = [p.read_text() for p in paths]; t1 = time.perf_counter()\n"
        "if sys.argv[2] == 'compose':\n"
        "    for text in texts: yaml.compose(text, Loader=yaml.CSafeLoader)\n"
        "t2 = time.perf_counter(); print(t1 - t0 if sys.argv[2] == 'read' else t2 - t1)\n"
    )
    return in_process(script, root, "read", runs=runs), in_process(script, root, "compose", runs=runs)


def time_command(root: Path, args: list[str], runs: int, *, warm: bool = False) -> float | str:
    """Median wall-clock seconds of `ppm ARGS` in fresh processes (cold: --no-cache; warm: cache primed), or why it could not run."""
    argv = [sys.executable, "-m", "ppmcli", "-C", str(root), "--as-of", AS_OF, *([] if warm else ["--no-cache"]), *args]
    if warm:
        subprocess.run(argv, capture_output=True, check=False)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode == 2:
            return "failed: " + (result.stderr.strip().splitlines() or ["exit 2"])[-1][:60]
        seconds.append(elapsed)
    return statistics.median(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=2000, help="projects in the generated workspace (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per command; the median is shown (default 3)")
    parser.add_argument("--only", default="", help="comma-separated command labels (prefixes) to run")
    options = parser.parse_args()
    root = workspace(options.size)
    read, compose = floors(root, options.runs)
    print(f"workspace: {options.size} projects in {root}")
    print(f"floors: read {read:.3f} s, libyaml compose {compose:.3f} s (median of {options.runs}, fresh processes)\n")
    print(f"{'command':<24} {'seconds':>9} {'÷ read':>8} {'÷ compose':>10}")
    load = in_process(_LOAD, root, runs=options.runs)
    print(f"{'load + validate':<24} {load:>9.3f} {load / read:>8.1f} {load / compose:>10.2f}")
    wanted = [w.strip() for w in options.only.split(",") if w.strip()]
    failed = 0
    for label, args in commands(options.size):
        if wanted and not any(label.startswith(w) for w in wanted):
            continue
        result = time_command(root, args, options.runs)
        if isinstance(result, str):
            print(f"{label:<24} {result}")
            failed += 1
        else:
            print(f"{label:<24} {result:>9.3f} {result / read:>8.1f} {result / compose:>10.2f}")
    warm = time_command(root, ["check", "--fail-on", "never"], options.runs, warm=True)
    cold = time_command(root, ["check", "--fail-on", "never"], options.runs)
    if isinstance(warm, float) and isinstance(cold, float):
        print(f"{'check, warm cache':<24} {warm:>9.3f} {'':>8} {'':>10}  = {warm / cold:.2f} × cold check")
    startup = [in_process("import sys, time, subprocess\nt = time.perf_counter(); subprocess.run([sys.executable, '-c', 'import typer']); print(time.perf_counter() - t)", root, runs=options.runs)]
    for flag in ("--version", "--help"):
        seconds = statistics.median(_wall([sys.executable, "-m", "ppmcli", flag]) for _ in range(options.runs))
        print(f"{'ppm ' + flag:<24} {seconds:>9.3f} {'':>8} {'':>10}  = {seconds / startup[0]:.2f} × python -c 'import typer'")
    return 1 if failed else 0


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False)
    return time.perf_counter() - start


if __name__ == "__main__":
    raise SystemExit(main())
