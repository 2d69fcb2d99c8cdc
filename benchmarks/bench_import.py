"""Time `ppm import mspdi` on a generated Microsoft Project XML file of 2,000 tasks.

    python benchmarks/bench_import.py [--tasks 2000] [--resources 100] [--runs 3]

The file is written seeded (same arguments, same bytes): a project row, a
summary task every 20 tasks, one or two assignments per task over a working
week, every 50th task a milestone, CRLF and tab indents as Project writes them.
Each run imports it into a fresh `ppm init` workspace in a fresh process (the
command the user types, start-up, the check of the new files and all); the
table gives the median wall time against the target of issue 18 (≤ 2 s).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TARGET = 2.0
START = date(2026, 1, 5)


def document(tasks: int, resources: int, seed: int = 1) -> str:
    """An MSPDI document with `tasks` tasks below the project row and `resources` work resources."""
    rng = random.Random(seed)
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>', '<Project xmlns="http://schemas.microsoft.com/project">',
             "\t<Title>Generated programme</Title>", "\t<MinutesPerDay>480</MinutesPerDay>", "\t<StatusDate>2026-06-01T17:00:00</StatusDate>", "\t<Tasks>"]
    end = START + timedelta(days=7 * (tasks // 20 + 1))
    lines.append(f"\t\t<Task><UID>0</UID><ID>0</ID><Name>Generated programme</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary><Start>{START}T08:00:00</Start><Finish>{end}T17:00:00</Finish><Cost>{tasks * 400000}</Cost><ActualCost>{tasks * 100000}</ActualCost><PercentComplete>25</PercentComplete></Task>")
    spans = {}
    for uid in range(1, tasks + 1):
        week = START + timedelta(days=7 * (uid // 20))
        summary = uid % 20 == 1
        first = week + timedelta(days=rng.randrange(3))
        last = first + timedelta(days=0 if uid % 50 == 0 else rng.randrange(1, 3))
        spans[uid] = (first, last)
        milestone = int(uid % 50 == 0)
        duration = "PT0H0M0S" if milestone else f"PT{((last - first).days + 1) * 8}H0M0S"
        lines.append(f"\t\t<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task {uid} – réalisation</Name><OutlineLevel>{1 if summary else 2}</OutlineLevel><Summary>{int(summary)}</Summary><Milestone>{milestone}</Milestone><Start>{first}T08:00:00</Start><Finish>{last}T17:00:00</Finish><Duration>{duration}</Duration><PercentComplete>{100 if week < date(2026, 3, 1) else 0}</PercentComplete></Task>")
    lines += ["\t</Tasks>", "\t<Resources>", "\t\t<Resource><UID>0</UID><Type>1</Type></Resource>"]
    for uid in range(1, resources + 1):
        lines.append(f"\t\t<Resource><UID>{uid}</UID><Name>Person {uid:04d}</Name><Type>1</Type><Group>Role {uid % 12}</Group><MaxUnits>1.00</MaxUnits><StandardRate>{50 + uid % 40}</StandardRate></Resource>")
    lines += ["\t</Resources>", "\t<Assignments>"]
    count = 0
    for uid, (first, last) in spans.items():
        for resource in rng.sample(range(1, resources + 1), rng.choice((1, 2))) if uid % 50 else [-65535]:
            count += 1
            hours = ((last - first).days + 1) * rng.choice((2, 4, 8))
            lines.append(f"\t\t<Assignment><UID>{count}</UID><TaskUID>{uid}</TaskUID><ResourceUID>{resource}</ResourceUID><Start>{first}T08:00:00</Start><Finish>{last}T17:00:00</Finish><Work>PT{hours}H0M0S</Work></Assignment>")
    lines += ["\t</Assignments>", "</Project>"]
    return "\r\n".join(lines) + "\r\n"


def run_once(xml: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        subprocess.run([sys.executable, "-m", "ppmcli", "init", str(root)], check=True, capture_output=True)
        argv = [sys.executable, "-m", "ppmcli", "-C", str(root), "--as-of", "2026-06-01", "import", "mspdi", str(xml),
                "--score", "financial_value=3", "--score", "urgency=3", "--score", "risk=2"]
        start = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode == 2:
            raise SystemExit(f"import failed: {result.stderr.strip()}")
        return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        xml = Path(folder) / "plan.xml"
        xml.write_bytes(document(options.tasks, options.resources).encode("utf-8"))
        times = [run_once(xml) for _ in range(options.runs)]
        size = xml.stat().st_size
    seconds = statistics.median(times)
    verdict = "ok" if seconds <= TARGET else "MISSED"
    print(f"ppm import mspdi: {options.tasks:,} tasks, {options.resources} resources, {size / 1e6:.1f} MB: median {seconds:.3f} s of {options.runs} runs (fresh process each)  target ≤ {TARGET:g} s  {verdict}")
    return 0 if seconds <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
