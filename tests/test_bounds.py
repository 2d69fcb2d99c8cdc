"""Bounded work on hostile input: extreme dates and ranges, dense and long dependency graphs, long values in messages.

Every case ends in a finding or a one-line error (exit 2), never a traceback or a
hang. Whole command sweeps run in one child process under a timeout, so a hang
fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SETTINGS, git, run_ppm, write_tree
from ppmcli.core.bounds import FIRST_DAY, LAST_DAY
from ppmcli.core.findings import MAX_MESSAGE, cut, listed, quote

# Runs each argument list through ppm in-process and prints [exit code, stdout, stderr] per run, as JSON.
_SWEEP = """
import contextlib, io, json, sys
from ppmcli.__main__ import main
results = []
for args in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    results.append([code, out.getvalue(), err.getvalue()])
json.dump(results, sys.stdout)
"""


def sweep(runs: list[list[str]], timeout: float = 120) -> list[tuple[int, str, str]]:
    """Run every argument list in one child process; fails (TimeoutExpired) if they do not all finish in `timeout` seconds."""
    done = subprocess.run([sys.executable, "-c", _SWEEP], input=json.dumps(runs), capture_output=True, text=True, timeout=timeout, check=True)
    return [tuple(result) for result in json.loads(done.stdout)]  # type: ignore[misc]


def assert_clean(runs: list[list[str]], results: list[tuple[int, str, str]]) -> None:
    """Each run ended with a result (0 or 1) or one sentence (2), never an internal error."""
    for args, (code, _, err) in zip(runs, results):
        assert "Traceback" not in err and "internal error" not in err, (args, err)
        assert code in (0, 1) or (code == 2 and err.count("\n") == 1), (args, code, err)


# ---------------------------------------------------------------- dates at the ends of the window

EDGE_SETTINGS = SETTINGS + "calendar:\n  holidays: [1900-01-01, 2199-12-25]\n"

FOREVER = """\
name: Forever
portfolio: core
manager: ann
phase: execution
start: 1900-01-01
end: 2199-12-31
budget: 1000000
benefits: 2000000
goals: [growth]
scores: {financial_value: 3, urgency: 3, risk: 2}
tags: [long]
team:
  - {person: ann, fte: 0.6}
  - {person: ann, fte: 0.6}
  - {role: dev, fte: 2, from: 2199-01-01}
milestones:
  - {name: First, date: 1900-01-02}
  - {name: Last, date: 2199-12-31}
status:
  - {date: 1900-01-02, health: green, percent_complete: 1, actual_cost: 10}
  - {date: 2199-12-30, health: amber, percent_complete: 99, actual_cost: 900000, forecast_cost: 2000000}
"""

EDGE = {
    "ppm.yaml": EDGE_SETTINGS,
    "portfolios/core.yaml": "name: Core\nowner: ann\nbudget: 500000\n",
    "people/ann.yaml": "name: Ann\nrole: dev\ncost_rate: 500\ntime_off:\n  - {from: 1900-01-01, to: 1900-12-31}\n  - {from: 2199-06-01, to: 2199-06-30}\n",
    "projects/forever.yaml": FOREVER,
    "projects/late.yaml": FOREVER.replace("name: Forever", "name: Late").replace("start: 1900-01-01", "start: 2199-12-01")
    + "depends_on: [forever]\n",
    "projects/idea.yaml": FOREVER.replace("name: Forever", "name: Idea").replace("phase: execution", "phase: proposed"),
}

FORMATS = {
    "check": ("text", "json", "github"),
    "score": ("plain", "markdown", "csv", "json"),
    "conflicts": ("plain", "markdown", "csv", "json"),
    "capacity": ("plain", "markdown", "csv", "json"),
    "report": ("plain", "markdown", "csv", "json"),
    "roadmap": ("plain", "markdown", "json"),
    "prioritize": ("plain", "markdown", "csv", "json"),
}

VARIANTS = [
    ["prioritize", "--budget", "1500000"],
    ["prioritize", "--budget", "1500000", "--method", "optimal", "--capacity"],
    ["prioritize", "--frontier", "--method", "greedy"],
    ["conflicts", "--all", "--tentative", "--suggest"],
    ["capacity", "--by", "week"],
    ["capacity", "--by", "quarter", "--from", "1900-01-01", "--to", "2149-12-31"],
    ["report", "--all", "--by", "goal"],
    ["report", "--trend", "forever"],
    ["roadmap", "--from", "1900-01-01", "--to", "2199-12-31"],
    ["roadmap", "--by", "program"],
]


def edge_runs(root: Path, as_of: str, html: Path | None) -> list[list[str]]:
    runs = [[command, "--format", fmt] for command, formats in FORMATS.items() for fmt in formats] + VARIANTS
    if html is not None:
        runs.append(["report", "--format", "html", "-o", str(html)])
    return [["-C", str(root), "--no-cache", "--as-of", as_of, *args] for args in runs]


def has_plotly() -> bool:
    try:
        import plotly  # noqa: F401
    except ImportError:
        return False
    return True


def test_every_command_finishes_on_dates_at_both_ends_of_the_window(make_workspace, tmp_path):
    root = make_workspace(EDGE, settings=None)
    html = tmp_path / "dash.html" if has_plotly() else None
    runs = [run for as_of in ("1900-01-01", "2026-11-25", "2199-12-31") for run in edge_runs(root, as_of, html)]
    results = sweep(runs)
    assert_clean(runs, results)
    by_args = {tuple(args[5:]): result for args, result in zip(runs[-len(runs) // 3 :], results[-len(runs) // 3 :])}
    # As of the window's last day, the 300-year over-allocation is found and every file is valid.
    code, out, _ = by_args[("check", "--format", "json")]
    codes = {finding["code"] for finding in json.loads(out)}
    assert "overallocation" in codes and "invalid-value" not in codes
    (conflict,) = json.loads(by_args[("conflicts", "--format", "json")][1])
    assert (conflict["person"], conflict["from"], conflict["to"], conflict["days"]) == ("ann", "1901-01-01", "2199-12-31", 77985)
    assert by_args[("capacity", "--by", "quarter", "--from", "1900-01-01", "--to", "2149-12-31")][0] == 0


@pytest.mark.parametrize("quote", ["", "'"])  # a date written quoted is read as a date too (it was an internal error)
def test_dates_outside_the_window_are_findings(make_workspace, quote):
    project = FOREVER.replace("start: 1900-01-01", f"start: {quote}0001-01-01{quote}").replace("end: 2199-12-31", f"end: {quote}9999-12-31{quote}")
    root = make_workspace({"projects/forever.yaml": project, "people/ann.yaml": "name: Ann\nrole: dev\n", "portfolios/core.yaml": "name: Core\nowner: ann\n"})
    code, out, _ = run_ppm("-C", root, "check", "--as-of", "2026-11-25")
    assert out.splitlines() == [
        "projects/forever.yaml:5:8: error: 'start' 0001-01-01 is outside the years ppm plans in (1900 to 2199) [invalid-value]",
        "projects/forever.yaml:6:6: error: 'end' 9999-12-31 is outside the years ppm plans in (1900 to 2199) [invalid-value]",
    ]
    assert code == 1
    # The analyses skip the file and say so; none of them meets the date.
    code, out, err = run_ppm("-C", root, "roadmap", "--as-of", "2026-11-25")
    assert code == 0 and "skipped 1 invalid file" in err


@pytest.mark.parametrize(
    "args",
    [
        ["--as-of", "9999-12-31", "report"],
        ["--as-of", "0001-01-01", "capacity"],
        ["--as-of", "1899-12-31", "check"],
        ["--as-of", "2200-01-01", "conflicts"],
        ["capacity", "--to", "9999-12-31"],
        ["roadmap", "--from", "0001-01-01"],
    ],
)
def test_dates_outside_the_window_on_the_command_line_are_one_line_errors(make_workspace, args):
    root = make_workspace({})
    code, out, err = run_ppm("-C", root, *args)
    day = next(arg for arg in args if arg[:1].isdigit())
    assert (code, out) == (2, "")
    assert err.endswith(f"{day} is outside the years ppm plans in (1900 to 2199)\n") and err.count("\n") == 1


@pytest.mark.parametrize("by", ["week", "month", "quarter"])
def test_capacity_over_the_whole_window_is_refused_naming_the_limit(make_workspace, by):
    root = make_workspace({})
    code, _, err = run_ppm("-C", root, "capacity", "--by", by, "--from", str(FIRST_DAY), "--to", str(LAST_DAY))
    assert code == 2 and err == f"ppm: error: 1900-01-01 to 2199-12-31 is more than 1000 periods by {by}; narrow --from/--to\n"


def test_diff_of_a_change_to_the_window_edges(git_repo, tmp_path):
    path, commit = git_repo
    root = path / "ws"
    root.mkdir()
    for rel, text in {**EDGE, "projects/forever.yaml": FOREVER.replace("end: 2199-12-31", "end: 2100-12-31").replace("2199-12-30", "2100-12-30")}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    commit("base")
    (root / "projects/forever.yaml").write_text(FOREVER.replace("start: 1900-01-01", "start: 0001-01-01"))
    (root / "projects/late.yaml").write_text(FOREVER)
    runs = [["-C", str(root), "--no-cache", "--as-of", as_of, "diff", "HEAD", "--format", fmt, *more] for as_of in ("1900-01-01", "2199-12-31") for fmt in ("plain", "markdown", "json") for more in ([], ["--budget", "1000000", "--capacity"])]
    runs += [["-C", str(root), "--no-cache", "--as-of", as_of, "report", "--baseline", "HEAD", "--format", fmt] for as_of in ("1900-01-01", "2199-12-31") for fmt in ("plain", "json")]
    results = sweep(runs)
    assert_clean(runs, results)
    found = json.loads(results[runs.index(["-C", str(root), "--no-cache", "--as-of", "1900-01-01", "diff", "HEAD", "--format", "json"])][1])
    assert "outside the years ppm plans in" in json.dumps(found)
    assert git(path, "status", "--porcelain")  # the change was diffed, not committed


# ---------------------------------------------------------------- dependency graphs


def chain_workspace(make_workspace, count: int, *, dense: bool = False) -> Path:
    """`count` executing projects; each depends on the one before it (`dense`: on every one before it)."""
    files = {"portfolios/p.yaml": "name: P\nowner: al\n", "people/al.yaml": "name: Al\nrole: dev\n"}
    for i in range(count):
        deps = [f"p{j:04d}" for j in range(i)] if dense else [f"p{i - 1:04d}"] if i else []
        files[f"projects/p{i:04d}.yaml"] = (
            f"name: P{i}\nportfolio: p\nmanager: al\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 100\n"
            f"scores: {{financial_value: 3, urgency: 3, risk: 2}}\ndepends_on: [{', '.join(deps)}]\n"
            "status:\n  - {date: 2026-11-20, health: green, percent_complete: 90, actual_cost: 50}\n"
        )
    return make_workspace(files)


def test_dense_dependencies_give_one_finding_per_project(make_workspace):
    count = 60  # 1,770 dependencies, each on a project that ends after its dependant starts
    root = chain_workspace(make_workspace, count, dense=True)
    code, out, _ = run_ppm("-C", root, "--no-cache", "check", "--as-of", "2026-11-25")
    lines = [line for line in out.splitlines() if line.endswith("[dependency-not-viable]")]
    # One each for the first five dependencies of p0001..p0005, then one per project.
    assert len(lines) == (1 + 2 + 3 + 4 + 5) + (count - 6)
    assert lines[-1] == (
        "projects/p0059.yaml:9:14: warning: depends on 59 projects that are cancelled or end after this project starts on 2026-01-05: "
        "'p0000', 'p0001', 'p0002', 'p0003', 'p0004' and 54 more [dependency-not-viable]"
    )
    # Five or fewer are still reported one by one, each at its own entry.
    assert [line for line in lines if "/p0002.yaml" in line] == [
        "projects/p0002.yaml:9:14: warning: depends on 'p0000', which ends 2026-12-31, after this project starts on 2026-01-05 [dependency-not-viable]",
        "projects/p0002.yaml:9:21: warning: depends on 'p0001', which ends 2026-12-31, after this project starts on 2026-01-05 [dependency-not-viable]",
    ]


def test_dense_dependencies_list_500_under_the_roadmap_and_every_one_in_its_json(make_workspace):
    count = 40  # 780 dependencies
    root = chain_workspace(make_workspace, count, dense=True)
    code, out, _ = run_ppm("-C", root, "--no-cache", "--as-of", "2026-11-25", "--format", "plain", "roadmap")
    listed = out.split("\nDependencies\n", 1)[1].splitlines()
    assert code == 0 and sum(1 for line in listed if " needs " in line) == 500
    assert listed[-1] == "  … and 280 more dependencies; ppm roadmap --format json lists every one"
    code, out, _ = run_ppm("-C", root, "--no-cache", "--as-of", "2026-11-25", "--format", "json", "roadmap")
    assert len(json.loads(out)["dependencies"]) == 780


def test_long_dependency_chain_and_cycle_need_no_recursion(make_workspace):
    count = 2 * sys.getrecursionlimit()
    root = chain_workspace(make_workspace, count)
    last = f"p{count - 1:04d}"
    (root / "projects/p0000.yaml").write_text((root / "projects/p0000.yaml").read_text().replace("depends_on: []", f"depends_on: [{last}]"))
    runs = [
        ["-C", str(root), "--as-of", "2026-11-25", *args]  # the cache of parsed files: the chain is parsed once
        for args in (["check"], ["prioritize", "--budget", "1000", "--force-in", last], ["roadmap", "--format", "markdown"], ["report"])
    ]
    results = sweep(runs)
    assert_clean(runs, results)
    cycle = [line for line in results[0][1].splitlines() if line.endswith("[dependency-cycle]")]
    assert cycle == [f"projects/p0000.yaml:9:14: error: dependency cycle: p0000 → {last} → p{count - 2:04d} → p{count - 3:04d} → p{count - 4:04d} → … → p0000 ({count:,} projects) [dependency-cycle]"]


# ---------------------------------------------------------------- messages


def test_quote_cut_and_listed():
    assert quote("short") == "'short'"
    assert quote("x" * 200) == "'" + "x" * 79 + "…'"
    assert len(cut("y" * 81)) == 80 and cut("y" * 80) == "y" * 80
    assert listed(["a", "b"]) == "a, b"
    assert listed([str(n) for n in range(12)]) == "0, 1, 2, 3, 4 and 7 more"
    assert listed(str(n) for n in range(1005)) == "0, 1, 2, 3, 4 and 1,000 more"


LONG = "L" * 1000  # YAML allows keys up to 1,024 characters


def test_long_values_are_cut_in_every_message(make_workspace):
    project = textwrap.dedent(f"""\
        name: Long
        portfolio: {LONG}
        manager: al
        phase: execution
        start: 2026-01-05
        end: 2026-12-31
        budget: 100
        goals: [{LONG}]
        scores: {{financial_value: 3, urgency: 3, risk: 2, {LONG}: 1}}
        depends_on: [{LONG}]
        excludes: [{LONG}x]
        team:
          - {{role: {LONG}, fte: 1}}
        milestones:
          - {{name: {LONG}, date: 2026-02-01}}
        """)
    person = f"name: Al\nrole: dev\n{LONG}: 1\n"
    root = make_workspace({"projects/long.yaml": project, "people/al.yaml": person, "people/dup.yaml": f"name: D\nrole: dev\n{LONG}: 1\n{LONG}: 2\n", "portfolios/p.yaml": f"name: P\nowner: {LONG}\n"})
    code, out, err = run_ppm("-C", root, "--no-cache", "check", "--as-of", "2026-11-25", "--fail-on", "never")
    lines = out.splitlines()
    assert code == 0 and len(lines) >= 9
    for line in lines:
        assert LONG[:100] not in line and len(line) < 400, line
    cut_value = "'" + "L" * 79 + "…'"
    assert sum(cut_value in line for line in lines) >= 7


def test_many_allocations_make_one_short_message(make_workspace):
    count = 400
    team = "".join("  - {person: al, fte: 1}\n" for _ in range(count))
    project = "name: Busy\nportfolio: p\nmanager: al\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 100\nteam:\n" + team
    root = make_workspace({"projects/busy.yaml": project, "people/al.yaml": "name: Al\nrole: dev\n", "portfolios/p.yaml": "name: P\nowner: al\n"})
    code, out, _ = run_ppm("-C", root, "--no-cache", "check", "--as-of", "2026-11-25")
    (line,) = [line for line in out.splitlines() if line.endswith("[overallocation]")]
    assert f"peak {count}.0 FTE" in line and f"and {count - 1 - 5} more" in line
    assert len(line) < MAX_MESSAGE + 100


def test_did_you_mean_hints_stop_when_their_work_is_spent():
    from ppmcli.core.names import HINT_WORK, Hints

    ids = [f"project-{n:05d}" for n in range(10_000)]
    hints = Hints()
    given = [hints("project-00042x", ids) for _ in range(40)]
    per_hint = len("project-00042x") * sum(len(i) + 8 for i in ids)
    assert given[0] == "; did you mean 'project-00042'?"
    assert given == [given[0]] * -(-HINT_WORK // per_hint) + [""] * (40 - -(-HINT_WORK // per_hint))
    assert Hints()("x" * 81, ["x" * 81]) == ""


def test_suggest_over_too_many_pairs_is_refused_naming_the_limit(make_workspace):
    count = 320  # 320 conflicts, each weighed against 320 people of the role: above 100,000 pairs
    files = {f"people/u{n:03d}.yaml": "name: U\nrole: dev\n" for n in range(count)}
    team = "".join(f"  - {{person: u{n:03d}, fte: 0.6}}\n  - {{person: u{n:03d}, fte: 0.6}}\n" for n in range(count))
    files["projects/big.yaml"] = "name: Big\nportfolio: p\nmanager: u000\nphase: execution\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 100\nteam:\n" + team
    files["people/spare.yaml"] = "name: Spare\nrole: dev\n"
    files["portfolios/p.yaml"] = "name: P\nowner: u000\n"
    root = make_workspace(files)
    code, out, err = run_ppm("-C", root, "--as-of", "2026-11-25", "conflicts", "--suggest")
    assert (code, out) == (2, "")
    assert err == "ppm: error: --suggest would weigh 320 conflicts against the people of their roles (102,400 pairs, above the limit of 100,000); narrow it with --person, --portfolio or --tag\n"
    code, out, _ = run_ppm("-C", root, "--as-of", "2026-11-25", "conflicts", "--suggest", "--person", "u007", "--format", "json")
    (conflict,) = json.loads(out)
    assert code == 1 and conflict["person"] == "u007" and [h["person"] for h in conflict["suggestions"]] == ["spare"]


def test_selection_under_capacity_refuses_centuries_of_demand_before_building_it(make_workspace):
    # 1,500 small proposals booking 7 roles from 1900 to 2199 (450 KB) took 6.75 GB: a hostile branch could end the runner.
    team = "".join(f"  - {{role: r{k}, fte: 0.5}}\n" for k in range(7))
    files = {f"projects/x{n}.yaml": f"name: X{n}\nportfolio: core\nmanager: ann\nphase: proposed\nstart: 1900-01-01\nend: 2199-12-31\nbudget: {1000 + n}\nscores: {{financial_value: 3, urgency: 3, risk: 2}}\nteam:\n{team}" for n in range(200)}
    root = make_workspace({**files, "people/ann.yaml": "name: Ann\nrole: r0\n", "portfolios/core.yaml": "name: Core\nowner: ann\n"})
    code, out, err = run_ppm("-C", root, "--as-of", "2026-11-25", "prioritize", "--capacity", "--budget", "100000")
    assert (code, out) == (2, "")
    assert err == "ppm: error: the capacity limits would weigh 5,040,000 (allocation, month) pairs, more than the 5,000,000 ppm takes; narrow the projects with --portfolio or --tag, or check allocations that span decades\n"


def test_a_file_of_too_many_values_is_refused_unread_and_so_are_files_past_the_workspaces_values(make_workspace, tmp_path, monkeypatch):
    # 'a,' is a list item in two bytes: 4 MiB of them took 330 MB and three seconds, and nothing bounded their sum.
    from ppmcli.load import loader
    from ppmcli.load.sources import MAX_FILE_VALUES, values_in

    project = "name: P\nportfolio: p\nmanager: al\nphase: planning\nstart: 2026-01-05\nend: 2026-12-31\nbudget: 100\ntags: [{}]\n"
    files = {"people/al.yaml": "name: Al\nrole: dev\n", "portfolios/p.yaml": "name: P\nowner: al\n"}
    root = make_workspace({**files, "projects/dense.yaml": project.format("a," * MAX_FILE_VALUES + "a"), "projects/fine.yaml": project.format("a")})
    code, out, _ = run_ppm("-C", root, "--no-cache", "check", "--as-of", "2026-11-25")
    assert code == 1 and out.startswith(f"projects/dense.yaml:1:1: error: about {MAX_FILE_VALUES + 16:,} values (commas, colons and lines), above the {MAX_FILE_VALUES:,} a workspace file may hold; split it [unreadable-file]\n")
    # The workspace's bound: the files are read in path order until their values pass it.
    root = write_tree(tmp_path / "second", {"ppm.yaml": SETTINGS, **files, "projects/a.yaml": project.format("a"), "projects/b.yaml": project.format("b")})
    before_b = sum(values_in(path.read_bytes()) for path in root.rglob("*.yaml") if path.name != "b.yaml")
    monkeypatch.setattr(loader, "MAX_WORKSPACE_VALUES", before_b)
    code, out, _ = run_ppm("-C", root, "--no-cache", "check", "--as-of", "2026-11-25")
    assert code == 1 and f"projects/b.yaml:1:1: error: not read: with it the files hold over {before_b} values (commas, colons and lines), the most a workspace may hold [unreadable-file]" in out
    assert "projects/a.yaml:1:1: error: missing" in out and out.count("unreadable-file") == 1


def test_files_past_the_bytes_a_workspace_may_hold_are_refused_unread_in_the_working_tree_and_in_a_revision(git_repo, monkeypatch):
    # A file of one long comment holds few values but all its bytes: a thousand of 4 MiB (30 MB in git) took 8 GB in a diff.
    from ppmcli.load import git as git_source, sources

    repo, commit = git_repo
    files = {"people/al.yaml": "name: Al\nrole: dev\n", "portfolios/p.yaml": "name: P\nowner: al\n"}
    comment = "# {} " + "x" * 20_000 + "\n"
    write_tree(repo, {"ppm.yaml": SETTINGS, **files, **{f"projects/c{n}.yaml": comment.format(n) for n in range(4)}})
    commit("base")
    before_c2 = sum(path.stat().st_size for path in repo.rglob("*.yaml") if path.name not in ("c2.yaml", "c3.yaml"))
    for module in (sources, git_source):
        monkeypatch.setattr(module, "MAX_WORKSPACE_BYTES", before_c2)
    message = f"not read: with it the files hold over {before_c2 // (1024 * 1024)} MiB, the most a workspace may hold [unreadable-file]"
    code, out, _ = run_ppm("-C", repo, "--no-cache", "check", "--as-of", "2026-11-25", "--format", "plain")
    assert code == 1 and [line for line in out.splitlines() if "unreadable-file" in line] == [f"projects/c2.yaml:1:1: error: {message}", f"projects/c3.yaml:1:1: error: {message}"]
    read: list[bytes] = []
    monkeypatch.setattr(git_source, "run_git", lambda repo, *args, stdin=None, run=git_source.run_git: read.append(stdin or b"") or run(repo, *args, stdin=stdin))
    source = git_source.GitSource(repo, git(repo, "rev-parse", "HEAD").strip(), "")
    paths, _ = source.files()
    found = {path: source.read(path) for path in paths}
    assert [found[path].message for path in ("projects/c2.yaml", "projects/c3.yaml")] == [message.removesuffix(" [unreadable-file]")] * 2
    assert isinstance(found["projects/c1.yaml"], bytes) and read[-1].count(b"\n") == len(paths) - 2  # the two were never asked of git


def test_files_past_the_files_a_workspace_may_hold_are_one_finding_in_the_working_tree_and_in_a_revision(git_repo, monkeypatch):
    # An empty file holds no value and no byte: 100,000 of them took 13 s and 400 MB, and a branch of a million names one blob.
    from ppmcli.load import sources

    repo, commit = git_repo
    write_tree(repo, {"ppm.yaml": SETTINGS, "people/al.yaml": "name: Al\nrole: dev\n", "portfolios/p.yaml": "name: P\nowner: al\n",
                      **{f"projects/e{n}.yaml": "" for n in range(5)}})
    commit("base")
    monkeypatch.setattr(sources, "MAX_WORKSPACE_FILES", 5)  # ppm.yaml and the first four others in path order
    message = "projects/e2.yaml:1:1: error: not read, nor the 2 files after it: a workspace holds at most 5 files [unreadable-file]"
    code, out, err = run_ppm("-C", repo, "--no-cache", "check", "--as-of", "2026-11-25", "--format", "plain")
    assert code == 1 and message in out.splitlines() and "e3.yaml" not in out and "e4.yaml" not in out
    assert err.startswith("6 files checked")  # the five read, and the one said
    repo.joinpath("projects/e0.yaml").write_text("name: [changed\n")  # a diff reads the revision as the tree: the same cap
    code, out, _ = run_ppm("-C", repo, "--no-cache", "--as-of", "2026-11-25", "diff", "HEAD", "--format", "json")
    assert code == 0 and "e3.yaml" not in out and "e4.yaml" not in out
    paths, findings = sources.within_file_cap(["a", "b", "ppm.yaml", "c", "d", "e", "f"])
    assert paths == ["a", "b", "c", "d", "ppm.yaml"] and [(f.path, f.message) for f in findings] == [("e", "not read, nor the 1 file after it: a workspace holds at most 5 files")]
    assert [f.message for f in sources.within_file_cap(["a", "b", "c", "d", "e", "f"])[1]] == ["not read: a workspace holds at most 5 files"]


@pytest.mark.parametrize("brk", ["\r", "\x85", "\u2028", "\u2029"])
def test_values_are_counted_across_every_yaml_line_break(brk):
    # A file broken by CR alone was counted as one line: 200,000 items were parsed (56 s, 442 MB) instead of refused.
    from ppmcli.load.sources import MAX_FILE_VALUES, values_in

    text = f"name: P{brk}role: dev{brk}time_off:{brk}" + f"- a{brk}" * (MAX_FILE_VALUES + 1)
    assert values_in(text.encode()) > MAX_FILE_VALUES
