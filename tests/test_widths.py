"""Every terminal view of examples/acme at 80, 100 and 200 columns: golden outputs, and no line wider than the terminal.

ppm runs in-process with stdout a terminal of the given width (COLUMNS), so
these are the rich layouts a user sees, without colour. The baseline and diff
views run on a copy of acme in a git repository with one commit that moves
a project. Regenerate the goldens (tests/widths/) for review with
`PPM_UPDATE_GOLDEN=1 pytest tests/test_widths.py`.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from wcwidth import wcswidth

from conftest import ACME, git
from ppmcli.__main__ import main

GOLDEN = Path(__file__).parent / "widths"
UPDATE = os.environ.get("PPM_UPDATE_GOLDEN") == "1"
WIDTHS = (80, 100, 200)
AS_OF = "2026-11-25"

VIEWS = {
    "report": ["report"],
    "report-trend": ["report", "--trend", "data-warehouse-migration"],
    "report-baseline": ["report", "--baseline", "HEAD~1"],
    "score": ["score"],
    "score-explain": ["score", "--explain", "customer-mobile-app"],
    "prioritize": ["prioritize", "--budget", "2000000"],
    "prioritize-frontier": ["prioritize", "--frontier"],
    "conflicts": ["conflicts"],
    "conflicts-suggest": ["conflicts", "--suggest"],
    "capacity": ["capacity"],
    "capacity-week": ["capacity", "--role", "backend-engineer", "--by", "week"],
    "roadmap": ["roadmap"],
    "plan": ["plan", "--budget", "5000000", "--max-delay", "3"],
    "diff": ["diff", "HEAD~1"],
    "diff-gate": ["diff", "HEAD~1", "--budget", "6250000", "--fail-on", "defunded,over-budget,new-error"],
    "scenarios": ["scenarios"],
    "check": ["check"],
    "status": ["status", "customer-mobile-app"],
    # The audit's 80-column cases: free text that has no room goes under its row; what backs a decision stays.
    "conflicts-tentative": ["conflicts", "--tentative"],
    "conflicts-tentative-suggest": ["conflicts", "--tentative", "--suggest"],
    "prioritize-5m": ["prioritize", "--budget", "5000000"],
    "prioritize-compare": ["prioritize", "--budget", "5000000", "--method", "optimal", "--compare", "greedy"],
    "report-baseline-cancelled": ["report", "--baseline", "HEAD~1"],
    # Nothing to show: a sentence, not bare headers.
    "prioritize-no-match": ["prioritize", "--budget", "100000", "--tag", "capex", "--tag", "opex"],
    "score-no-match": ["score", "--tag", "capex", "--tag", "opex"],
    "plan-no-match": ["plan", "--tag", "capex", "--tag", "opex"],
}
# Views that read git history run on `history` (acme with a second commit), or on `cancelled`.
GIT_VIEWS = {"report-baseline", "diff", "diff-gate"}
CANCELLED_VIEWS = {"report-baseline-cancelled"}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _acme_with_a_second_commit(tmp_path_factory: pytest.TempPathFactory, name: str, edits: dict[str, Callable[[str], str]], message: str) -> Iterator[Path]:
    """acme committed, then a commit of `edits` (path → how its text changes), at pinned dates: the same commit ids every run."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GIT_AUTHOR_DATE", "2026-11-20T12:00:00+00:00")
        env.setenv("GIT_COMMITTER_DATE", "2026-11-20T12:00:00+00:00")
        repo = tmp_path_factory.mktemp(name) / "acme"
        shutil.copytree(ACME, repo)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "baseline")
        for path, edit in edits.items():
            text = (repo / path).read_text()
            changed = edit(text)
            assert changed != text
            (repo / path).write_text(changed)
        git(repo, "commit", "-q", "-am", message)
        yield repo


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A commit that moves the data warehouse's end and raises its budget."""

    def move(text: str) -> str:
        return re.sub(r"^end: .*$", "end: 2027-03-31", re.sub(r"^budget: .*$", "budget: 950000", text, count=1, flags=re.M), count=1, flags=re.M)

    yield from _acme_with_a_second_commit(tmp_path_factory, "history", {"projects/platform/data-warehouse-migration.yaml": move}, "move the warehouse")


@pytest.fixture(scope="module")
def cancelled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A commit that moves the payments gateway's end, budget and forecast and cancels a proposed project."""

    def move(text: str) -> str:
        changed = text.replace("end: 2027-02-26", "end: 2027-04-30", 1).replace("budget: 700000", "budget: 800000", 1).replace("forecast_cost: 850000", "forecast_cost: 950000", 1)
        assert changed.count("950000") == 1 and "2027-04-30" in changed
        return changed

    edits = {"projects/platform/payments-gateway-upgrade.yaml": move, "projects/ai-support-assistant.yaml": lambda text: text.replace("phase: proposed", "phase: cancelled", 1)}
    yield from _acme_with_a_second_commit(tmp_path_factory, "cancelled", edits, "move the gateway, cancel the assistant")


def run_at(width: int, workspace: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("LINES", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(workspace)
    out = _Terminal()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["-C", str(workspace), "--as-of", AS_OF, *args])
    assert code in (0, 1), f"ppm {args} exited {code}"
    return out.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_view_fits_the_terminal(view: str, width: int, history: Path, cancelled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = run_at(width, history if view in GIT_VIEWS else cancelled if view in CANCELLED_VIEWS else ACME, VIEWS[view], monkeypatch)
    golden = GOLDEN / f"{view}-{width}.txt"
    if UPDATE:
        golden.write_text(text)
    assert text == golden.read_text()
    lines = text.splitlines()
    if view == "check":
        # A finding is one line, however long: grep-able, like a linter's.
        findings = [line for line in lines if re.match(r"^\S+\.yaml:\d+:\d+: (error|warning): ", line)]
        assert findings and len(findings) == len([line for line in lines if line.endswith("]")])
        return
    # ... in the diff's Findings section too; status, a page to read, wraps its findings to the terminal.
    exempt = view != "status"
    too_wide = [line for line in lines if wcswidth(line.rstrip()) > width and not (exempt and re.search(r"\.yaml:\d+:\d+:? .*\[[a-z-]+\]$", line))]
    assert not too_wide
    # No cell is cut: a cut would end in an ellipsis.
    assert not [line for line in lines if re.search(r"\w…", line)]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_diff_that_adds_a_scenario_fits_the_terminal_and_names_a_failed_one_once(width: int, history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "acme"
    shutil.copytree(history, repo)
    (repo / "scenarios" / "stop-portal.yaml").write_text("name: Stop the supplier portal\nplan:\n  stop: [supplier-portal]\n")
    text = run_at(width, repo, ["diff", "HEAD"], monkeypatch)
    assert "Scenarios (against the base's plan)" in text and text.count("cannot be planned") == 1
    assert not [line for line in text.splitlines() if wcswidth(line.rstrip()) > width and not re.search(r"\.yaml:\d+:\d+:? .*\[[a-z-]+\]$", line)]


# Four more plans beside acme's, ids up to 21 characters: eight plans side by side.
MORE_SCENARIOS = {
    "budget-cut-by-thirty": "name: Budget cut by 30 %\nplan:\n  budget: 2400000\n",
    "hire-two-qa-engineers": "name: Two QA engineers from January\nplan:\n  hire: [{role: qa-engineer, count: 2, from: 2027-01}]\n",
    "late-starts-allowed": "name: Starts may slip three months\nplan:\n  max_delay: 3\n  budget: 3000000\n",
    "value-model": "name: Rank by value only\nplan:\n  model: value\n",
}


@pytest.fixture(scope="module")
def eight_plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("eight") / "acme"
    shutil.copytree(ACME, ws)
    for ident, text in MORE_SCENARIOS.items():
        (ws / "scenarios" / f"{ident}.yaml").write_text(text)
    return ws


@pytest.mark.parametrize("width", WIDTHS)
def test_plans_that_do_not_fit_side_by_side_continue_below_in_groups_under_the_same_labels(width: int, eight_plans: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ppm scenarios` compares the plans side by side at any width: a column per plan, a row per figure; the plans
    that do not fit beside the labels continue below, each group under the figures' labels, never a block per plan."""
    text = run_at(width, eight_plans, ["scenarios"], monkeypatch)
    golden = GOLDEN / f"scenarios-eight-{width}.txt"
    if UPDATE:
        golden.write_text(text)
    assert text == golden.read_text()
    lines = [line.rstrip() for line in text.splitlines()]
    assert not [line for line in lines if wcswidth(line) > width]
    assert not [line for line in lines if re.match(r"^\s+[a-z ()A-Z]+: ", line)], "a plan stacked as label: value lines"
    summary, projects = text.split("Projects: where each plan starts them")
    # Each group of plans repeats the labels: as many "scenario" headers (and "value" rows) as groups.
    groups = len([line for line in summary.splitlines() if line.startswith("value ")])
    assert groups == len([line for line in summary.splitlines() if re.match(r"^scenario\s", line)]) == (1 if width == 200 else 2)
    assert len([line for line in projects.splitlines() if re.match(r"^project\s", line)]) == (1 if width == 200 else 2)
