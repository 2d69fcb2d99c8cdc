"""The files `ppm init` writes: a small workspace that passes `ppm check`, dated from the day it is created, in a git repository."""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
from datetime import date
from pathlib import Path

from ppmcli.core.errors import PpmError, quote
from ppmcli.load.git import enclosing_repo, init_repo
from ppmcli.load.schema_export import SCHEMA_KINDS, schema_for

SETTINGS = """\
# yaml-language-server: $schema=.ppm/schema/settings.json
name: {org}
currency: USD
calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: []
goals:
  grow-revenue: {{name: Grow revenue, weight: 3}}
  reduce-cost: {{name: Reduce operating cost, weight: 2}}
scoring:
  default: value
  models:
    value:
      type: weighted
      criteria:
        alignment: {{weight: 40}}
        financial_value: {{weight: 30, scale: [1, 5]}}
        urgency: {{weight: 15}}
        risk: {{weight: 15, higher_is_better: false}}
    wsjf: {{type: wsjf}}
    rice: {{type: rice}}
checks:
  overallocation_tolerance: 0.0
  stale_status_days: 14
  budget_overrun_tolerance: 0.10
"""

FILES = {
    "portfolios/main.yaml": "# yaml-language-server: $schema=../.ppm/schema/portfolio.json\nname: Main portfolio\nowner: pat\nbudget: 1000000\n",
    "programs/growth.yaml": "# yaml-language-server: $schema=../.ppm/schema/program.json\nname: Growth\nportfolio: main\nmanager: pat\n",
    "people/pat.yaml": "# yaml-language-server: $schema=../.ppm/schema/person.json\nname: Pat Doe\nrole: project-manager\ncapacity: 1.0\ncost_rate: 700\n",
    "people/sam.yaml": "# yaml-language-server: $schema=../.ppm/schema/person.json\nname: Sam Roe\nrole: engineer\ncapacity: 1.0\ncost_rate: 800\n",
    "people/kim.yaml": "# yaml-language-server: $schema=../.ppm/schema/person.json\nname: Kim Poe\nrole: engineer\ncapacity: 0.8\ncost_rate: 800\n",
    "projects/new-website.yaml": """\
# yaml-language-server: $schema=../.ppm/schema/project.json
name: New website
program: growth
manager: pat
phase: planning
start: {start}
end: {end}
budget: 250000
benefits: 600000
# How much the project serves each goal of ppm.yaml (1.0 = fully): the 'alignment' criterion comes from it.
goals: {{grow-revenue: 1.0}}
# The inputs of ppm.yaml's scoring models. The default 'value' model reads financial_value, urgency and risk
# (1 to 5); the others are for 'ppm prioritize --model wsjf' (business_value … job_size) and '--model rice'
# (reach … effort): leave out those of the models you do not use.
scores: {{financial_value: 4, urgency: 3, risk: 2,
         business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 5,
         reach: 5000, impact: 2, confidence: 0.8, effort: 6}}
tags: [customer-facing]
# Who works on it, and how much of their time: fte 0.5 is half time (from start to end unless 'from'/'to' say otherwise).
team:
  - {{person: sam, fte: 0.5}}
  - {{person: pat, fte: 0.2}}
milestones:
  - {{name: Launch, date: {end}}}
risks:
  - {{name: Content not ready, probability: 0.3, impact: 40000, owner: pat}}
""",
    "projects/billing-automation.yaml": """\
# yaml-language-server: $schema=../.ppm/schema/project.json
name: Billing automation
portfolio: main
manager: pat
phase: proposed
start: {start}
end: {end}
budget: 180000
benefits: 300000
goals: [reduce-cost]
scores: {{financial_value: 3, urgency: 2, risk: 3,
         business_value: 5, time_criticality: 3, risk_reduction: 2, job_size: 3,
         reach: 800, impact: 1, confidence: 0.5, effort: 4}}
team:
  - {{person: kim, fte: 0.5}}
""",
    "scenarios/budget-cut.yaml": """\
# yaml-language-server: $schema=../.ppm/schema/scenario.json
name: Budget cut to 300,000
description: What we start if the two proposals (430,000 together) must share 300,000 (ppm scenarios compares it with the plan as is)
plan:
  budget: 300000
  max_delay: 3
""",
}


# What ppm writes from the YAML on request (`report --format html -o`, `export xlsx -o`): made again at will, so
# not kept in git. The schemas in .ppm/schema/ are kept: editors read them from the repository.
GITIGNORE = """\
# Outputs of ppm (report --format html -o FILE, export xlsx -o FILE): made from the YAML again at will.
*.html
*.xlsx
"""


def write_workspace(directory: Path, today: date | None = None) -> list[Path]:
    """Write the starter workspace into `directory`, and a `.gitignore` unless it has one.

    Returns:
        The files written, in order.

    Raises:
        PpmError: a file it would write already exists (nothing is written then).
    """
    today = today or date.today()
    start = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    end = date(start.year + 1, start.month, 1).replace(day=1)
    end = date.fromordinal(end.toordinal() - 1)
    values = {"start": start.isoformat(), "end": end.isoformat(), "org": "My Organisation"}
    contents = {"ppm.yaml": SETTINGS.format(**values), **{path: text.format(**values) for path, text in FILES.items()}}
    # Editors validate as you type against these (the yaml-language-server lines point here).
    for kind in SCHEMA_KINDS:
        contents[f".ppm/schema/{kind}.json"] = json.dumps(schema_for(kind), indent=2) + "\n"
    try:
        return _write(directory, contents)
    except OSError as exc:  # a folder that cannot be written, a name too long for the file system
        raise PpmError(f"cannot create {quote(str(exc.filename or directory))}: {exc.strerror or exc}") from None


def _write(directory: Path, contents: dict[str, str]) -> list[Path]:
    """Write `contents` (path → text) below `directory`, and a `.gitignore` unless it has one; nothing when a file exists."""
    targets = [directory / path for path in contents]
    existing = [str(path) for path in targets if path.exists() or path.is_symlink()]
    if existing:
        raise PpmError(f"{quote(str(Path(existing[0]).absolute()))} already exists; ppm init never overwrites files (choose an empty folder)")
    # A folder inside the new workspace that is a link (people -> /elsewhere) would take its files out of it.
    linked = next((folder for path in contents for folder in (directory / path).parents if folder != directory and directory in folder.parents and folder.is_symlink()), None)
    if linked is not None:
        raise PpmError(f"{quote(str(linked.absolute()))} is a symbolic link; ppm init writes only into real folders of the workspace (choose an empty folder)")
    ignore = directory / ".gitignore"
    if not (ignore.exists() or ignore.is_symlink()):  # a folder's own .gitignore is kept as it is
        contents = {**contents, ".gitignore": GITIGNORE}
        targets.append(ignore)
    made: list[Path] = []  # files and folders created, in order: taken back if a later write fails
    try:
        for path, text in zip(targets, contents.values()):
            # The folders to make, outermost first: those above the nearest one that exists.
            missing = list(itertools.takewhile(lambda folder: not folder.exists(), (path.parent, *path.parent.parents)))[::-1]
            for folder in missing:
                folder.mkdir()
                made.append(folder)
            with path.open("x", encoding="utf-8") as file:  # "x": a file that appeared meanwhile is not overwritten
                made.append(path)
                file.write(text)
    except OSError:
        for done in reversed(made):  # no half workspace left behind (a full disk, a name too long)
            with contextlib.suppress(OSError):
                done.rmdir() if done.is_dir() else done.unlink()
        raise
    return targets


def start_repository(directory: Path) -> tuple[bool, str]:
    """`git init` in `directory` when git is installed and the folder is in no repository yet.

    Returns:
        Whether a repository was created, and the line that says what happened (or why not).
    """
    # `ppm diff` and `report --baseline` compare git revisions; the repository is found as they find it.
    if shutil.which("git") is None:
        return False, "git is not installed: no repository created (ppm diff and report --baseline need one)"
    found = enclosing_repo(directory)
    if found is not None:
        return False, f"already in the git repository at {found}: no new repository"
    failure = init_repo(directory.resolve())
    if failure is not None:
        return False, f"git init failed ({failure}): no repository created"
    return True, f"created {directory / '.git'} (git init)"
