#!/usr/bin/env python3
"""Seeded generator of large, valid ppm workspaces for benchmarks.

Standalone: standard library only, does not import ppmcli. Writes YAML text
directly (string formatting), so the output is the same bytes for the same
arguments on every run and platform.

    python benchmarks/generate.py OUT_DIR --projects 2000 --people 1000 [--seed 1] [--statuses 10]

or, from Python::

    from generate import generate
    generate(Path("/tmp/ws"), projects=2000)

Every reference resolves, every date is valid and every field is one of the
format; the workspace is meant to be free of validation errors except
over-allocation conflicts, which random allocations produce on purpose
(warnings such as stale-status or budget-overrun occur too).

When OUT_DIR already holds a workspace, its ppm.yaml, portfolios/, programs/,
projects/ and people/ are replaced; nothing else in OUT_DIR is touched.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

__all__ = ["generate"]

FIRST_DAY = date(2025, 1, 1).toordinal()
LAST_DAY = date(2028, 12, 31).toordinal()
YEARS = (2025, 2026, 2027, 2028)

GOALS = [
    ("grow-revenue", "Grow recurring revenue", 3),
    ("reduce-cost", "Reduce operating cost", 2),
    ("customer-experience", "Improve customer experience", 3),
    ("compliance", "Stay compliant with regulation", 2),
    ("modernize-platform", "Modernize the technology platform", 1),
    ("employee-productivity", "Raise employee productivity", 1),
]

PORTFOLIOS = [
    ("digital", "Digital Products"),
    ("infrastructure", "Infrastructure and Cloud"),
    ("data", "Data and Analytics"),
    ("security", "Security and Risk"),
    ("finance", "Finance Systems"),
    ("operations", "Operations Excellence"),
    ("customer", "Customer Engagement"),
    ("hr", "People and Workplace"),
    ("supply-chain", "Supply Chain"),
    ("research", "Research and Innovation"),
]

# role id, base cost rate per working day
ROLES = [
    ("backend-engineer", 900),
    ("frontend-engineer", 850),
    ("mobile-engineer", 880),
    ("data-engineer", 920),
    ("data-scientist", 980),
    ("devops-engineer", 940),
    ("qa-engineer", 700),
    ("ux-designer", 780),
    ("product-manager", 1000),
    ("project-manager", 950),
    ("business-analyst", 760),
    ("architect", 1200),
    ("security-engineer", 1050),
    ("scrum-master", 820),
    ("technical-writer", 600),
]
MANAGER_ROLES = ("project-manager", "product-manager")

FIRST_NAMES = (
    "Ada Alan Alice Amara Ana Andre Anika Ari Ben Bianca Carlos Chen Chloe Dana "
    "David Diego Elena Emil Emma Farah Felix Grace Hana Hazel Hugo Ines Ivan Jada "
    "James Jin Kai Kara Lars Lena Leo Lina Luca Maya Mei Mira Nadia Noah Nora Omar "
    "Oscar Priya Rafael Rosa Sam Sara Tamika Theo Uma Victor Yara Yusuf Zoe"
).split()
LAST_NAMES = (
    "Adams Ahmed Alvarez Becker Brown Chen Costa Cruz Dubois Edwards Fischer Garcia "
    "Gupta Hansen Hoffmann Ito Jensen Johnson Kim Kowalski Larsen Lee Lopez Martin "
    "Meyer Moreau Nakamura Nguyen Novak Okafor Olsen Patel Perez Petrov Quinn Rossi "
    "Santos Schmidt Silva Singh Smith Sato Tanaka Taylor Walker Wang Weber Wilson Yilmaz Zhang"
).split()

PROJECT_ADJ = (
    "Customer Partner Mobile Cloud Data Payment Identity Billing Analytics Warehouse "
    "Supplier Employee Field Retail Claims Pricing Order Inventory Network Security "
    "Reporting Onboarding Loyalty Logistics Compliance Marketing Service Search"
).split()
PROJECT_NOUN = (
    "Portal Platform App Gateway Engine Hub Pipeline Console Service Workspace "
    "Dashboard Registry Catalog Ledger Scheduler Assistant Backbone Lake Exchange"
).split()
PROJECT_ACT = (
    "Modernization Rollout Migration Upgrade Redesign Consolidation Automation "
    "Launch Replacement Expansion Integration Pilot Refresh Harmonization"
).split()
PROGRAM_THEME = (
    "Mobile Experience|Cloud Journey|Data Foundation|Zero Trust|Finance Transformation|"
    "Lean Operations|Customer First|Future of Work|Resilient Supply|Innovation Lab|"
    "Digital Channels|Platform Renewal|Insight Everywhere|Secure by Design|Smart Procurement"
).split("|")

TAGS = (
    "capex opex customer-facing internal regulatory quick-win strategic "
    "cloud ai mobile legacy vendor emea apac americas"
).split()

MILESTONE_NAMES = (
    ("Kickoff", "Requirements signed off", "Design complete", "Architecture approved"),
    ("Beta", "Pilot live", "Integration tested", "Data migrated", "MVP released"),
    ("Go live", "General availability", "Handover to operations", "Final acceptance"),
)
RISKS = (
    ("Key vendor delivers late", "Weekly checkpoint with the vendor"),
    ("Scope creep from stakeholders", "Strict change control board"),
    ("Legacy data quality is poor", "Profile and cleanse data early"),
    ("Specialist staff unavailable", "Cross-train two team members"),
    ("Regulatory requirements change", "Monthly review with compliance"),
    ("Performance targets missed", "Load test every release"),
    ("Integration partner API changes", "Contract tests in CI"),
    ("Budget cut mid-year", "Phase delivery into funded increments"),
    ("Security review finds issues", "Threat model in design phase"),
    ("User adoption is low", "Early pilot with champions"),
)
NOTES = {
    "green": (
        "On track", "Sprint goals met", "Release train on schedule",
        "All milestones on plan", "Steady progress this week",
    ),
    "amber": (
        "Vendor slipped one week", "Two engineers out sick", "Scope under review",
        "Test environment unstable", "Waiting for security sign-off",
    ),
    "red": (
        "Critical path blocked by integration defects", "Budget overrun needs approval",
        "Key supplier missed delivery", "Go live date at risk",
    ),
}

PHASES_OPEN = ("execution", "planning", "initiation", "monitoring")
PHASE_WEIGHTS = (45, 20, 12, 10)  # + proposed 10, closed 2, cancelled 1


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _holidays() -> list[int]:
    """US-style federal holidays for 2025-2028 (11 per year), as ordinals."""

    def nth_weekday(year: int, month: int, weekday: int, n: int) -> int:
        d = date(year, month, 1)
        first = d.toordinal() + (weekday - d.weekday()) % 7
        if n > 0:
            return first + 7 * (n - 1)
        # last such weekday of the month
        nxt = date(year + (month == 12), month % 12 + 1, 1).toordinal()
        last = nxt - 1
        return last - (date.fromordinal(last).weekday() - weekday) % 7

    days: list[int] = []
    for y in YEARS:
        days += [
            date(y, 1, 1).toordinal(),
            nth_weekday(y, 1, 0, 3),  # MLK day
            nth_weekday(y, 2, 0, 3),  # Presidents day
            nth_weekday(y, 5, 0, -1),  # Memorial day
            date(y, 6, 19).toordinal(),
            date(y, 7, 4).toordinal(),
            nth_weekday(y, 9, 0, 1),  # Labor day
            nth_weekday(y, 10, 0, 2),  # Columbus day
            date(y, 11, 11).toordinal(),
            nth_weekday(y, 11, 3, 4),  # Thanksgiving
            date(y, 12, 25).toordinal(),
        ]
    return sorted(set(days))


def _fmt_num(x: float) -> str:
    """Short, exact-looking decimal for YAML (0.25, 0.5, 1.0)."""
    s = f"{x:.2f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def _ppm_yaml() -> str:
    holidays = ", ".join(_iso(d) for d in _holidays())
    lines = [
        "name: Benchmark Corp",
        "currency: USD",
        "calendar:",
        "  workdays: [mon, tue, wed, thu, fri]",
        f"  holidays: [{holidays}]",
        "goals:",
    ]
    lines += [f"  {gid}: {{name: {name}, weight: {w}}}" for gid, name, w in GOALS]
    lines += [
        "scoring:",
        "  default: value",
        "  models:",
        "    value:",
        "      type: weighted",
        "      criteria:",
        "        alignment: {weight: 30}",
        "        financial_value: {weight: 25, scale: [1, 5]}",
        "        urgency: {weight: 15}",
        "        risk: {weight: 20, higher_is_better: false}",
        "    wsjf: {type: wsjf}",
        "    rice: {type: rice}",
        "checks:",
        "  overallocation_tolerance: 0.0",
        "  stale_status_days: 14",
        "  budget_overrun_tolerance: 0.10",
    ]
    return "\n".join(lines) + "\n"


def _clear(out: Path) -> None:
    for name in ("ppm.yaml",):
        p = out / name
        if p.is_file() or p.is_symlink():
            p.unlink()
    for name in ("portfolios", "programs", "projects", "people"):
        p = out / name
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        elif p.exists() or p.is_symlink():
            p.unlink()


def generate(
    out_dir: Path,
    projects: int,
    people: int | None = None,
    seed: int = 1,
    statuses: int = 10,
) -> Path:
    """Write a valid workspace with `projects` projects and `people` people
    (default: projects // 2, at least 15, one per role).

    Returns the workspace root (out_dir). Deterministic for given arguments.
    """
    out = Path(out_dir)
    n_proj = int(projects)
    n_people = max(len(ROLES), n_proj // 2) if people is None else int(people)
    n_status = int(statuses)
    if n_proj < 1:
        raise ValueError("projects must be at least 1")
    if n_people < len(ROLES):
        raise ValueError(f"people must be at least {len(ROLES)} (one per role)")
    if n_status < 0:
        raise ValueError("statuses must be >= 0")

    rng = random.Random(seed)
    rand = rng.random
    randint = rng.randint
    choice = rng.choice

    out.mkdir(parents=True, exist_ok=True)
    _clear(out)
    files: list[tuple[str, str]] = []  # (relative path, text)

    # ---- people -------------------------------------------------------------
    width_p = max(4, len(str(n_people)))
    person_ids: list[str] = []
    person_role: list[str] = []
    by_role: dict[str, list[int]] = {r: [] for r, _ in ROLES}
    role_names = [r for r, _ in ROLES]
    # role mix: engineers are more common than writers
    role_weights = [14, 10, 6, 8, 5, 6, 9, 5, 5, 7, 6, 3, 4, 4, 2]
    for i in range(n_people):
        role_idx = i if i < len(ROLES) else rng.choices(range(len(ROLES)), role_weights)[0]
        role, base_rate = ROLES[role_idx]
        first, last = choice(FIRST_NAMES), choice(LAST_NAMES)
        pid = f"{first.lower()}-{last.lower()}-{i + 1:0{width_p}d}"
        person_ids.append(pid)
        person_role.append(role)
        by_role[role].append(i)
        r = rand()
        capacity = "1.0" if r < 0.8 else ("0.8" if r < 0.92 else "0.5")
        cost_rate = int(base_rate * (0.8 + 0.4 * rand())) // 10 * 10
        lines = [f"name: {first} {last}", f"role: {role}"]
        if capacity != "1.0" or rand() < 0.5:  # capacity is optional
            lines.append(f"capacity: {capacity}")
        lines.append(f"cost_rate: {cost_rate}")
        if rand() < 0.45:
            lines.append("time_off:")
            # 1..3 non-overlapping holidays, in different years
            for y in sorted(rng.sample(YEARS, randint(1, 3))):
                start = date(y, 1, 1).toordinal() + randint(0, 340)
                lines.append(f"  - {{from: {_iso(start)}, to: {_iso(start + randint(2, 16))}}}")
        files.append((f"people/{role}/{pid}.yaml", "\n".join(lines) + "\n"))

    managers = [i for i in range(n_people) if person_role[i] in MANAGER_ROLES]

    # ---- portfolios and programs (ids only; files after projects) -----------
    n_pg = max(1, n_proj // 20)
    n_pf = min(len(PORTFOLIOS), n_pg)
    portfolios = PORTFOLIOS[:n_pf]
    width_g = max(3, len(str(n_pg)))
    programs: list[tuple[str, str, int, int]] = []  # id, name, portfolio idx, manager idx
    for j in range(n_pg):
        pf = j % n_pf
        theme = PROGRAM_THEME[j % len(PROGRAM_THEME)]
        gid = f"{theme.lower().replace(' ', '-')}-{j + 1:0{width_g}d}"
        programs.append((gid, f"{theme} {j + 1}", pf, choice(managers)))
    pg_by_pf: list[list[int]] = [[] for _ in range(n_pf)]
    for j, pg in enumerate(programs):
        pg_by_pf[pg[2]].append(j)

    # ---- projects ------------------------------------------------------------
    width_j = max(5, len(str(n_proj)))
    proj_ids = [f"prj-{k + 1:0{width_j}d}" for k in range(n_proj)]
    pf_budget = [0] * n_pf
    goal_ids = [g[0] for g in GOALS]
    fib = (1, 2, 3, 5, 8, 13, 20)

    for k in range(n_proj):
        pid = proj_ids[k]
        pg_idx = k % n_pg if k < n_pg else randint(0, n_pg - 1)
        pg_id, _, pf_idx, _ = programs[pg_idx]
        pf_id = portfolios[pf_idx][0]

        r = rand() * 100
        if r < 10:
            phase = "proposed"
        elif r < 12:
            phase = "closed"
        elif r < 13:
            phase = "cancelled"
        else:
            phase = rng.choices(PHASES_OPEN, PHASE_WEIGHTS)[0]

        months = randint(6, 24)
        duration = months * 30 + randint(-5, 5)
        start = FIRST_DAY + randint(0, LAST_DAY - FIRST_DAY - duration)
        end = start + duration
        budget = randint(10, 500) * 10_000
        benefits = int(budget * (0.5 + 3.5 * rand())) // 1000 * 1000
        pf_budget[pf_idx] += budget if phase not in ("closed", "cancelled") else 0
        manager = choice(managers)

        lines = [
            f"name: {choice(PROJECT_ADJ)} {choice(PROJECT_NOUN)} {choice(PROJECT_ACT)}",
            f"portfolio: {pf_id}",
            f"program: {pg_id}",
            f"manager: {person_ids[manager]}",
            f"phase: {phase}",
            f"start: {_iso(start)}",
            f"end: {_iso(end)}",
            f"budget: {budget}",
            f"benefits: {benefits}",
        ]
        if rand() < 0.02:
            lines.append("mandatory: true")

        gsel = rng.sample(goal_ids, randint(1, 3))
        goals = ", ".join(f"{g}: {choice(('0.25', '0.5', '0.75', '1.0'))}" for g in gsel)
        lines.append(f"goals: {{{goals}}}")

        lines.append(
            "scores: {"
            f"financial_value: {randint(1, 5)}, urgency: {randint(1, 5)}, risk: {randint(1, 5)}, "
            f"business_value: {choice(fib)}, time_criticality: {choice(fib)}, "
            f"risk_reduction: {choice(fib)}, job_size: {choice(fib)}, "
            f"reach: {randint(1, 100) / 100}, impact: {choice(('0.25', '0.5', '0.75', '1.0'))}, "
            f"confidence: {choice(('0.5', '0.8', '1.0'))}, effort: {randint(1, 48) / 2}"
            "}"
        )

        if k > 0 and rand() < 0.2:
            deps = sorted({randint(0, k - 1) for _ in range(randint(1, 2))})
            lines.append(f"depends_on: [{', '.join(proj_ids[d] for d in deps)}]")
        else:
            deps = []
        if k > 0 and rand() < 0.02:
            ex = randint(0, k - 1)
            if ex not in deps:
                lines.append(f"excludes: [{proj_ids[ex]}]")

        lines.append(f"tags: [{', '.join(rng.sample(TAGS, randint(1, 3)))}]")

        # team: 4 named people + 1 role demand
        lines.append("team:")
        members = rng.sample(range(n_people), min(4, n_people))
        for m in members:
            r = rand()
            fte = "1.0" if r < 0.05 else ("0.8" if r < 0.1 else _fmt_num(randint(1, 5) / 10))
            if rand() < 0.2:
                lines.append(f"  - {{person: {person_ids[m]}, fte: {fte}}}")
            else:
                a = start + randint(0, duration // 2)
                b = min(end, a + randint(30, duration))
                lines.append(
                    f"  - {{person: {person_ids[m]}, fte: {fte}, from: {_iso(a)}, to: {_iso(b)}}}"
                )
        a = start + randint(0, duration // 3)
        b = min(end, a + randint(60, duration))
        lines.append(
            f"  - {{role: {choice(role_names)}, fte: {_fmt_num(randint(1, 10) / 10)}, "
            f"from: {_iso(a)}, to: {_iso(b)}}}"
        )

        # status reports: weekly (Fridays) from 2 weeks after start
        first_fri = start + 14 + (4 - date.fromordinal(start).weekday()) % 7
        status_days = [first_fri + 7 * s for s in range(n_status)]
        last_status = status_days[-1] if status_days else start
        # cost performance and schedule drift for this project
        cpi = 0.75 + 0.4 * rand()
        drift = 0.7 + 0.45 * rand()

        # milestones at ~1/4, ~2/3 and the end
        lines.append("milestones:")
        for t, names in zip((0.25, 0.66, 1.0), MILESTONE_NAMES):
            md = start + int(duration * t)
            entry = f"  - {{name: {choice(names)}, date: {_iso(md)}"
            if md <= last_status and phase != "proposed":
                entry += f", done: {_iso(md + randint(-3, 14))}"
            lines.append(entry + "}")

        lines.append("risks:")
        for ri in rng.sample(range(len(RISKS)), 2):
            rname, mitig = RISKS[ri]
            owner = person_ids[choice((manager, members[0]))]
            status = "closed" if rand() < 0.2 else "open"
            lines.append(
                f"  - {{name: {rname}, probability: {randint(1, 9) / 10}, "
                f"impact: {randint(1, 50) * 5000}, owner: {owner}, status: {status}, "
                f"mitigation: {mitig}}}"
            )

        if status_days:
            lines.append("status:")
            pct = 0
            for sd in status_days:
                planned = min(1.0, (sd - start) / duration) if duration else 1.0
                target = min(100, int(100 * planned * drift + randint(-2, 2)))
                pct = max(pct, min(100, max(0, target)))
                actual = int(budget * pct / 100 / cpi) // 100 * 100
                forecast = int(budget / cpi * (0.97 + 0.06 * rand())) // 1000 * 1000
                if cpi < 0.85 or drift < 0.8:
                    health = "red" if rand() < 0.5 else "amber"
                elif cpi < 0.95 or drift < 0.9:
                    health = "amber" if rand() < 0.6 else "green"
                else:
                    health = "green" if rand() < 0.9 else "amber"
                lines.append(f"  - date: {_iso(sd)}")
                lines.append(f"    health: {health}")
                lines.append(f"    percent_complete: {pct}")
                lines.append(f"    actual_cost: {actual}")
                lines.append(f"    forecast_cost: {forecast}")
                if pct >= 60 and phase in ("monitoring", "closed"):
                    lines.append(f"    benefits_realized: {int(benefits * (pct - 50) / 100)}")
                lines.append(f"    note: {choice(NOTES[health])}")

        files.append((f"projects/{pf_id}/{pid}.yaml", "\n".join(lines) + "\n"))

    # ---- portfolios and programs files ---------------------------------------
    for i, (pf_id, pf_name) in enumerate(portfolios):
        owner = person_ids[choice(managers)]
        budget = int(pf_budget[i] * (0.85 + 0.3 * rand())) // 100_000 * 100_000 or 1_000_000
        files.append(
            (f"portfolios/{pf_id}.yaml", f"name: {pf_name}\nowner: {owner}\nbudget: {budget}\n")
        )
    for pg_id, pg_name, pf_idx, mgr in programs:
        files.append(
            (
                f"programs/{pg_id}.yaml",
                f"name: {pg_name}\nportfolio: {portfolios[pf_idx][0]}\n"
                f"manager: {person_ids[mgr]}\n",
            )
        )

    # ---- write -------------------------------------------------------------------
    made: set[str] = set()
    (out / "ppm.yaml").write_text(_ppm_yaml(), encoding="utf-8", newline="\n")
    for rel, text in files:
        parent = rel.rpartition("/")[0]
        if parent not in made:
            (out / parent).mkdir(parents=True, exist_ok=True)
            made.add(parent)
        with open(out / rel, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Generate a large, valid, seeded ppm workspace for benchmarks."
    )
    ap.add_argument("out_dir", type=Path, help="workspace folder to (re)write")
    ap.add_argument("--projects", type=int, default=2000, help="number of projects (default 2000)")
    ap.add_argument("--people", type=int, default=None, help="number of people (default projects/2, at least 15)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument(
        "--statuses", type=int, default=10, help="weekly status reports per project (default 10)"
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        out = generate(args.out_dir, args.projects, args.people, args.seed, args.statuses)
    except (ValueError, OSError) as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    n_people = sum(1 for _ in (out / "people").rglob("*.yaml"))
    print(
        f"wrote {args.projects} projects, {n_people} people to {out} "
        f"in {time.perf_counter() - t0:.2f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
