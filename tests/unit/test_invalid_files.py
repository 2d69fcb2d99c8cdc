"""A project (or portfolio, person, scenario) whose file is invalid is said to be so by every command, as `ppm status`
says it: where the file is and its first error; never "not defined", "unknown project" or "no project"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ACME, REPO, run_ppm

APP = "customer-mobile-app"
WHY = "projects/mobile/customer-mobile-app.yaml:8:1: 'budgt' is not a field; did you mean 'budget'?; run 'ppm check' for every finding"
SKIPPED = "ppm: skipped 1 invalid file (projects/mobile/customer-mobile-app.yaml); run 'ppm check' for details\n"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """examples/acme with customer-mobile-app's `budget` misspelt, as the UX audit broke it."""
    ws = tmp_path / "acme"
    shutil.copytree(ACME, ws)
    path = ws / "projects" / "mobile" / f"{APP}.yaml"
    path.write_text(path.read_text().replace("\nbudget: 1200000\n", "\nbudgt: 1200000\n"))
    return ws


def ppm(ws: Path, *args: str) -> tuple[int, str, str]:
    return run_ppm("-C", ws, "--as-of", "2026-11-25", *args)


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (("score", "--explain", APP), f"--explain: project '{APP}' has an invalid file, so it has no score: {WHY}"),
        (("report", "--trend", APP), f"--trend: project '{APP}' has an invalid file, so it has no trend: {WHY}"),
        (("prioritize", "--budget", "5000000", "--force-in", APP), f"--force-in: project '{APP}' has an invalid file, so it cannot be selected: {WHY}"),
        (("prioritize", "--budget", "5000000", "--force-out", APP), f"--force-out: project '{APP}' has an invalid file, so it cannot be forced out: {WHY}"),
        (("plan", "--stop", APP), f"--stop: project '{APP}' has an invalid file, so it cannot be stopped: {WHY}"),
        (("plan", "--force-in", APP), f"--force-in: project '{APP}' has an invalid file, so it cannot be started: {WHY}"),
        (("roadmap", "--plan", "--stop", APP), f"--stop: project '{APP}' has an invalid file, so it cannot be stopped: {WHY}"),
    ],
    ids=["score-explain", "report-trend", "prioritize-force-in", "prioritize-force-out", "plan-stop", "plan-force-in", "roadmap-plan-stop"],
)
def test_an_option_naming_a_project_whose_file_is_invalid_says_so_where_and_why(broken: Path, args: tuple[str, ...], sentence: str) -> None:
    code, out, err = ppm(broken, *args)
    assert (code, out) == (2, "")
    assert err == f"{SKIPPED}ppm: error: {sentence}\n"


def test_status_words_it_with_the_same_helper(broken: Path) -> None:
    code, out, err = ppm(broken, "status", APP)
    assert (code, out) == (2, "")
    assert err == f"ppm: error: project '{APP}' has an invalid file, so it has no status: {WHY}\n"


def test_a_project_that_does_not_exist_is_still_not_defined(broken: Path) -> None:
    assert ppm(broken, "report", "--trend", "nope")[2].endswith("ppm: error: --trend: no project 'nope'\n")
    assert ppm(broken, "plan", "--stop", "nope")[2].endswith("ppm: error: --stop: no project 'nope'\n")


def test_a_dependency_on_a_project_whose_file_is_invalid_is_that_in_prioritize_plan_and_their_json(broken: Path) -> None:
    code, out, err = ppm(broken, "prioritize", "--budget", "5000000", "--format", "plain")
    assert (code, err) == (0, SKIPPED)
    assert f"depends on {APP}, whose file is invalid" in out and "not defined" not in out
    rows = json.loads(ppm(broken, "prioritize", "--budget", "5000000", "--format", "json")[1])
    assert next(row for row in rows if row["id"] == "mobile-loyalty-program")["reason"] == f"depends on {APP}, whose file is invalid"
    code, out, _ = ppm(broken, "plan", "--format", "plain")
    assert code == 0 and f"mobile-loyalty-program  depends on {APP}, whose file is invalid" in out and "not defined" not in out


def test_the_roadmap_says_a_dependency_file_is_invalid(broken: Path) -> None:
    code, out, _ = ppm(broken, "roadmap", "--format", "plain")
    assert code == 0 and out.endswith(f"  mobile-loyalty-program (starts 2027-05-03) needs {APP}, whose file is invalid\n")
    assert "unknown project" not in out
    assert f"needs `{APP}`, whose file is invalid" in ppm(broken, "roadmap", "--format", "markdown")[1]
    links = json.loads(ppm(broken, "roadmap", "--format", "json")[1])["dependencies"]
    assert {"project": "mobile-loyalty-program", "start": "2027-05-03", "depends_on": APP, "depends_on_end": None, "state": "invalid"} in links


def test_the_dashboard_says_it_too(broken: Path, tmp_path: Path) -> None:
    code, _, _ = ppm(broken, "report", "--format", "html", "--budget", "5000000", "-o", tmp_path / "d.html")
    page = (tmp_path / "d.html").read_text()
    assert code == 0 and f"needs {APP}, whose file is invalid" in page and f"depends on {APP}, whose file is invalid" in page
    assert "unknown project" not in page and f"depends on {APP}, not defined" not in page


def test_a_scenario_that_stops_a_project_whose_file_is_invalid_says_so(broken: Path) -> None:
    (broken / "scenarios" / "stop-app.yaml").write_text(f"name: Stop the app\nplan: {{stop: [{APP}]}}\n")
    code, out, err = ppm(broken, "plan", "--scenario", "stop-app")
    assert (code, out) == (2, "")
    assert err == f"{SKIPPED}ppm: error: scenario 'stop-app': stop: project '{APP}' has an invalid file, so it cannot be stopped: {WHY}\n"
    failed = json.loads(ppm(broken, "scenarios", "--format", "json")[1])["failed"]
    assert {"id": "stop-app", "reason": f"stop: project '{APP}' has an invalid file, so it cannot be stopped: {WHY}"} in failed


def test_a_portfolio_or_person_whose_file_is_invalid_is_not_unknown(tmp_path: Path) -> None:
    ws = tmp_path / "acme"
    shutil.copytree(ACME, ws)
    (ws / "portfolios" / "digital.yaml").write_text("name: Digital Products\nowner: hazel\nbudgt: 1\n")
    (ws / "people" / "alice.yaml").write_text("name: Alice Chen\nrole: backend-engineer\ncapacty: 1\n")
    code, _, err = ppm(ws, "score", "--portfolio", "digital")
    assert code == 2 and err.endswith(
        "ppm: error: --portfolio: portfolio 'digital' has an invalid file, so the analyses skip it: portfolios/digital.yaml:3:1: 'budgt' is not a field; did you mean 'budget'?; run 'ppm check' for every finding\n"
    )
    code, _, err = ppm(ws, "conflicts", "--person", "alice")
    assert code == 2 and err.endswith(
        "ppm: error: --person: person 'alice' has an invalid file, so their bookings cannot be checked: people/alice.yaml:3:1: 'capacty' is not a field; did you mean 'capacity'?; run 'ppm check' for every finding\n"
    )


def test_the_first_error_is_counted_with_the_others(broken: Path) -> None:
    path = broken / "projects" / "mobile" / f"{APP}.yaml"
    path.write_text(path.read_text().replace("\nphase: ", "\nphse: "))
    err = ppm(broken, "report", "--trend", APP)[2]
    assert err.endswith(f"--trend: project '{APP}' has an invalid file, so it has no trend: projects/mobile/{APP}.yaml:5:1: 'phse' is not a field; did you mean 'phase'? (and 1 more); run 'ppm check' for every finding\n")


def test_the_skipped_line_names_a_few_files_then_how_many_more_escaped_for_a_terminal(broken: Path) -> None:
    (broken / "projects" / "a::error.yaml").write_text("name: X\n")  # a GitHub workflow command, were it not escaped
    for name in ("b", "c"):
        (broken / "projects" / f"{name}.yaml").write_text("name: X\n")
    err = ppm(broken, "report")[2]
    assert err == "ppm: skipped 4 invalid files (projects/a\\x3a:error.yaml, projects/b.yaml, projects/c.yaml and 1 more); run 'ppm check' for details\n"


def test_the_readme_example_is_the_real_output(broken: Path) -> None:
    command = "$ ppm -C acme --as-of 2026-11-25 plan --stop customer-mobile-app\n"
    example = (REPO / "README.md").read_text().split(command, 1)[1].split("```", 1)[0]
    assert run_ppm("-C", broken, "--as-of", "2026-11-25", "plan", "--stop", APP) == (2, "", example)


def test_files_refused_unread_count_among_the_skipped(broken: Path) -> None:
    # A binary file, and a name holding an escape (refused as it is listed): the line counted only the invalid one.
    (broken / "projects" / "logo.yaml").write_bytes(b"\x89PNG\x00\x01")
    (broken / "projects" / "bad\x1bname.yaml").write_text("name: X\n")
    err = ppm(broken, "report")[2]
    assert err == "ppm: skipped 3 invalid files (projects/bad\\x1bname.yaml, projects/logo.yaml, projects/mobile/customer-mobile-app.yaml); run 'ppm check' for details\n"
