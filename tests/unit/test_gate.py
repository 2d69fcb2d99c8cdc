"""`ppm diff --fail-on`: each effect on a real git repository, one change each, and a harmless change that fails nothing."""

from __future__ import annotations

import json

import pytest

from conftest import git, run_ppm, write_tree
from test_diff import ALPHA_TURNS_RED, AS_OF, SETTINGS, project, repo  # noqa: F401  (the repository fixture)

EVERY = "new-error,new-overallocation,defunded,over-budget,health-drop"
BUDGET = "600000"  # funds alpha, beta and gamma (600,000 together) at the base

# One change per effect; each fails that effect and no other (run with every effect and the funding line).
CHANGES = {
    # An error in a file that stays valid: one the change makes invalid leaves every other effect unknown (see below).
    "new-error": ({"projects/gamma.yaml": project(100000, urgency=1).replace("goals: [growth]", "goals: [growht]")}, ("file", "projects/gamma.yaml:8:9")),
    "new-overallocation": ({"projects/beta.yaml": project(200000, team="bob", urgency=4)}, ("person", "bob")),
    "defunded": ({"projects/alpha.yaml": project(450000, team="bob", status="green", urgency=5)}, ("project", "beta")),
    "over-budget": ({"projects/zeta.yaml": project(500000, urgency=1)}, ("portfolio", "main")),
    "health-drop": ({"projects/alpha.yaml": project(300000, team="bob", status="amber", urgency=5)}, ("project", "alpha")),
}


def diff_of(path, *args: str) -> tuple[int, dict]:
    """`ppm diff HEAD ARGS --format json` on the repository's workspace: its exit code and its JSON."""
    code, out, err = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", *args, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


def gate_json(path, *args: str) -> tuple[int, dict]:
    code, found = diff_of(path, "--budget", BUDGET, *args)
    return code, found["gate"]


@pytest.mark.parametrize("effect", list(CHANGES))
def test_each_effect_fails_on_its_change_only(repo, effect):
    path, _ = repo
    files, (kind, where) = CHANGES[effect]
    write_tree(path / "ws", files)
    code, gate = gate_json(path, "--fail-on", EVERY)
    assert code == 1
    failures = [(f["effect"], f["kind"], f["where"]) for f in gate["failures"]]
    if effect == "new-overallocation":  # an over-allocation is also an error finding of `ppm check`
        assert failures.pop(0)[0] == "new-error" and gate["failures"][0]["detail"].endswith("[overallocation]")
        gate["failed"].remove("new-error")
    assert gate["failed"] == [effect]
    assert failures == [(effect, kind, where)]
    # Not asked for, it does not fail: the other four pass the same change.
    others = ",".join(e for e in EVERY.split(",") if e not in (effect, "new-error" if effect == "new-overallocation" else ""))
    assert gate_json(path, "--fail-on", others) == (0, {"fail_on": others.split(","), "failed": [], "failures": []})


def test_harmless_change_fails_nothing(repo):
    path, _ = repo
    write_tree(path / "ws", {"projects/gamma.yaml": project(100000, urgency=1).replace("name: P", "name: Gamma, renamed")})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--budget", BUDGET, "--fail-on", EVERY, "--format", "markdown")
    assert code == 0
    assert out.splitlines()[2] == "**✅ Gate passed** (checked: new-error, new-overallocation, defunded, over-budget, health-drop)"


def test_without_fail_on_the_exit_is_zero_and_the_output_unchanged(repo):
    path, _ = repo
    write_tree(path / "ws", CHANGES["new-error"][0])
    code, found = diff_of(path)
    assert code == 0 and "gate" not in found


def test_repeated_and_comma_separated_add_up(repo):
    path, _ = repo
    write_tree(path / "ws", {"projects/alpha.yaml": project(450000, team="bob", status="red", urgency=5)})
    code, gate = gate_json(path, "--fail-on", "health-drop", "--fail-on", "new-error, defunded")
    assert code == 1
    assert gate["fail_on"] == ["new-error", "defunded", "health-drop"]
    assert gate["failed"] == ["defunded", "health-drop"]


def test_golden_markdown(repo):
    path, _ = repo
    base = git(path, "rev-parse", "--short", "HEAD").strip()
    write_tree(path / "ws", {"projects/alpha.yaml": project(450000, team="bob", status="red", urgency=5)})
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--budget", BUDGET, "--fail-on", EVERY, "--format", "markdown")
    assert code == 1
    assert out == f"""\
### Portfolio diff: `{base}` → `working tree`

**❌ Gate failed: defunded, health-drop** (checked: new-error, new-overallocation, defunded, over-budget, health-drop)

| effect | where | what |
| --- | --- | --- |
| defunded | project `beta` | funded before, not funded now (needs 200000, 150000 left) |
| health-drop | project `alpha` | green → red |

""" + ALPHA_TURNS_RED


def test_text_names_effect_and_place(repo):
    path, _ = repo
    write_tree(path / "ws", CHANGES["new-overallocation"][0])
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--fail-on", "new-overallocation", "--format", "text")
    assert code == 1
    assert "Gate FAILED: new-overallocation (checked: new-overallocation)\n  new-overallocation: person bob: peak 1.2 FTE of 1 from " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--fail-on", "new-error,typo"), "ppm: error: --fail-on 'typo' is not one of new-error, new-overallocation, defunded, over-budget, health-drop\n"),
        (("--fail-on", "defunded"), "ppm: error: --fail-on defunded needs the funding line: give --budget N or --capacity\n"),
        # An unset variable in CI (`--fail-on "$EFFECTS"`) would turn the gate off without a word.
        (("--fail-on", ""), "ppm: error: --fail-on '' names no effect; give one or more of new-error, new-overallocation, defunded, over-budget, health-drop\n"),
        (("--fail-on", "health-drop", "--fail-on", " , "), "ppm: error: --fail-on ' , ' names no effect; give one or more of new-error, new-overallocation, defunded, over-budget, health-drop\n"),
    ],
)
def test_bad_fail_on_is_exit_2(repo, args, message):
    path, _ = repo
    code, out, err = run_ppm("-C", path / "ws", "diff", "HEAD", *args)
    assert (code, out, err) == (2, "", message)


def test_over_budget_counts_only_crossing_the_envelope(repo):
    path, commit = repo
    write_tree(path / "ws", CHANGES["over-budget"][0])
    commit("over the envelope")
    # Already over at the base: a further rise is not a new crossing.
    write_tree(path / "ws", {"projects/zeta.yaml": project(600000, urgency=1)})
    code, gate = gate_json(path, "--fail-on", "over-budget")
    assert (code, gate["failures"]) == (0, [])


def _beta_booking(start: str, end: str, fte: float) -> dict[str, str]:
    return {"projects/beta.yaml": project(200000, urgency=4) + f"team:\n  - {{person: bob, fte: {fte}, from: {start}, to: {end}}}\n"}


@pytest.mark.parametrize(
    ("booking", "fails"),
    [
        (("2026-04-01", "2026-04-09", 0.6), False),  # shorter: inside the base's days
        (("2026-04-01", "2026-04-30", 0.55), False),  # lower: less above capacity
        (("2026-04-06", "2026-04-20", 0.5), False),  # both
        (("2026-04-01", "2026-05-15", 0.6), True),  # longer: days the base did not over-book
        (("2026-04-01", "2026-04-30", 0.7), True),  # higher
        (("2026-03-20", "2026-04-09", 0.6), True),  # moved earlier, partly outside
    ],
)
def test_an_over_allocation_made_smaller_fails_neither_new_error_nor_new_overallocation(repo, booking, fails):
    path, commit = repo
    # The base over-books bob in April: alpha's 0.6 and beta's 0.6.
    write_tree(path / "ws", _beta_booking("2026-04-01", "2026-04-30", 0.6))
    commit("bob over-booked in April")
    write_tree(path / "ws", _beta_booking(*booking))
    code, found = diff_of(path, "--fail-on", "new-error,new-overallocation")
    # The comment still shows the change: the base's over-allocation made worse, or eased; neither new nor resolved.
    assert {kind: len(shown) for kind, shown in found["conflicts"].items()} == {"new": 0, "worse": int(fails), "eased": int(not fails), "resolved": 0}
    assert (code, found["gate"]["failed"]) == ((1, ["new-error", "new-overallocation"]) if fails else (0, []))


def test_a_proposed_project_with_a_status_can_drop_in_health(repo):
    path, commit = repo
    proposed = project(100000, status="green", urgency=1).replace("phase: planning", "phase: proposed")
    write_tree(path / "ws", {"projects/gamma.yaml": proposed})
    commit("gamma proposed, reported green")
    write_tree(path / "ws", {"projects/gamma.yaml": proposed.replace("health: green", "health: red")})
    code, found = diff_of(path, "--fail-on", "health-drop")
    assert (code, found["gate"]["failed"]) == (1, ["health-drop"]) and found["gate"]["failures"][0]["where"] == "gamma"
    assert found["health"] == {}  # the report's health counts leave proposed projects out, as `ppm report` does


def test_more_load_on_days_under_the_bases_peak_is_worse(repo):
    path, commit = repo
    # The base over-books bob all April at 1.2 FTE (alpha 0.6, beta 0.6), and at 1.5 on 15 April (gamma 0.3 that day).
    spike = {"projects/gamma.yaml": project(100000, urgency=1) + "team:\n  - {person: bob, fte: 0.3, from: 2026-04-15, to: 2026-04-15}\n"}
    write_tree(path / "ws", {**_beta_booking("2026-04-01", "2026-04-30", 0.6), **spike})
    commit("bob over-booked in April, most on the 15th")
    # Beta goes to 0.8: 1.4 FTE every April day, under the base's one-day peak but above what those days had.
    write_tree(path / "ws", _beta_booking("2026-04-01", "2026-04-30", 0.8))
    code, found = diff_of(path, "--fail-on", "new-overallocation")
    assert (code, found["gate"]["failed"]) == (1, ["new-overallocation"])


def test_load_moved_within_an_over_allocation_is_worse_and_time_off_inside_it_is_not(repo):
    path, commit = repo
    # The base over-books bob in April and May at 1.2 (alpha 0.6, beta 0.6), and at 1.5 in the first half of April (gamma 0.3).
    gamma = project(100000, urgency=1) + "team:\n  - {person: bob, fte: 0.3, from: 2026-04-01, to: 2026-04-15}\n"
    write_tree(path / "ws", {**_beta_booking("2026-04-01", "2026-05-29", 0.6), "projects/gamma.yaml": gamma})
    commit("bob over-booked in April and May")
    # Gamma's 0.3 moves to the first half of May: the conflict's dates and peak stay, May's days go from 1.2 to 1.5.
    write_tree(path / "ws", {"projects/gamma.yaml": gamma.replace("2026-04-01, to: 2026-04-15", "2026-05-01, to: 2026-05-15")})
    code, found = diff_of(path, "--fail-on", "new-overallocation")
    assert (code, found["gate"]["failed"]) == (1, ["new-overallocation"])
    # Time off inside the conflict: fewer over-booked days, a finding with new words, neither effect.
    write_tree(path / "ws", {"projects/gamma.yaml": gamma, "people/bob.yaml": "name: Bob\nrole: engineer\ncapacity: 1.0\ntime_off: [{from: 2026-04-20, to: 2026-04-24}]\n"})
    code, found = diff_of(path, "--fail-on", "new-error,new-overallocation")
    assert [f["code"] for f in found["findings"]["new"]] == ["overallocation"]
    assert (code, found["gate"]["failed"]) == (0, [])
    # The summary counts new errors as the gate does: the reworded finding is listed, not counted.
    _, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "diff", "HEAD", "--format", "plain")
    summary = next(line for line in out.splitlines() if line.startswith("files: "))
    assert summary == "files: 1 changed; 1 over-allocation eased" and "- new error:" in out
    assert [c["days"] for c in found["conflicts"]["eased"]] and found["conflicts"]["new"] == found["conflicts"]["worse"] == []  # fewer days: eased, shown
    # Time off taken back: more over-booked days over the same span is worse, and fails the gate.
    commit("bob takes a week off")
    write_tree(path / "ws", {"people/bob.yaml": "name: Bob\nrole: engineer\ncapacity: 1.0\n"})
    code, found = diff_of(path, "--fail-on", "new-overallocation")
    assert (code, len(found["conflicts"]["worse"]), found["conflicts"]["eased"]) == (1, 1, [])


def test_a_first_red_status_of_a_proposed_project_is_a_health_drop(repo):
    path, commit = repo
    proposed = project(100000, urgency=1).replace("phase: planning", "phase: proposed")
    write_tree(path / "ws", {"projects/gamma.yaml": proposed})
    commit("gamma proposed, no status")
    write_tree(path / "ws", {"projects/gamma.yaml": proposed + "status:\n  - {date: 2026-02-27, health: red, percent_complete: 0, actual_cost: 0}\n"})
    code, found = diff_of(path, "--fail-on", "health-drop")
    assert (code, found["gate"]["failed"]) == (1, ["health-drop"])


def test_an_over_allocation_made_smaller_passes_whatever_the_filter_shows(repo):
    path, commit = repo
    tagged = {"projects/gamma.yaml": project(100000, urgency=1) + "tags: [ops]\n"}
    write_tree(path / "ws", {**_beta_booking("2026-04-01", "2026-04-30", 0.6), **tagged})
    commit("bob over-booked in April; gamma tagged")
    write_tree(path / "ws", _beta_booking("2026-04-01", "2026-04-09", 0.6))
    # --tag ops shows gamma alone: the shortened conflict (alpha and beta) is outside it, its finding is not.
    code, found = diff_of(path, "--tag", "ops", "--fail-on", "new-error,new-overallocation")
    assert (code, found["gate"]["failed"]) == (0, [])


def test_a_renamed_project_keeps_its_findings_rank_and_funding(repo):
    path, commit = repo
    ws = path / "ws"
    write_tree(ws, {"projects/gamma.yaml": project(100000, urgency=1) + "depends_on: [nope]\n"})  # an error of its own
    commit("gamma depends on nothing that exists")
    (ws / "projects" / "gamma.yaml").rename(ws / "projects" / "omega.yaml")
    code, found = diff_of(path, "--budget", BUDGET, "--fail-on", EVERY)
    assert (code, found["gate"]["failed"]) == (0, [])
    assert found["renamed"] == [{"from": "gamma", "to": "omega"}]
    assert found["findings"] == {"new": [], "fixed": []}
    assert found["ranks"] == [] and found["selection"]["changes"] == []


def test_a_renamed_project_keeps_its_overallocation(repo):
    path, commit = repo
    ws = path / "ws"
    write_tree(ws, {"projects/beta.yaml": project(200000, team="bob", urgency=4)})  # bob over-booked by alpha and beta
    commit("bob over-booked")
    (ws / "projects" / "beta.yaml").rename(ws / "projects" / "omega.yaml")
    code, found = diff_of(path, "--fail-on", EVERY, "--budget", BUDGET)
    assert (code, found["conflicts"], found["findings"]) == (0, {"new": [], "worse": [], "eased": [], "resolved": []}, {"new": [], "fixed": []})


def test_an_allocation_split_in_the_same_file_keeps_its_finding(repo):
    path, commit = repo
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4)})
    commit("bob over-booked")
    split = project(200000, urgency=4) + "team:\n  - {person: bob, fte: 0.6, to: 2026-03-13}\n  - {person: bob, fte: 0.6, from: 2026-03-16}\n"
    write_tree(path / "ws", {"projects/beta.yaml": split})
    _, found = diff_of(path)
    assert found["findings"] == {"new": [], "fixed": []}


@pytest.mark.parametrize(
    ("change", "failures"),
    [
        # A funded project taken out of the funding by other means than a limit: removed, cancelled, or removed and
        # added again under another id with its file and name edited (nothing pairs them: removed and added).
        ("remove", [("defunded", "beta", "funded before, not funded now (removed)")]),
        ("cancel", [("defunded", "beta", "funded before, not funded now (cancelled)")]),
        ("rename and turn red", [("defunded", "alpha", "funded before, not funded now (removed)"), ("health-drop", "alpha-2027", "unknown → red")]),
        ("close", []),  # delivered, not defunded
    ],
)
def test_a_funded_project_removed_or_cancelled_is_defunded_and_an_added_one_may_drop_from_no_health(repo, change, failures):
    path, _ = repo
    ws = path / "ws"
    if change == "remove":
        (ws / "projects" / "beta.yaml").unlink()
    elif change in ("cancel", "close"):
        write_tree(ws, {"projects/beta.yaml": project(200000, urgency=4).replace("phase: planning", f"phase: {change}d".replace("canceld", "cancelled"))})
    else:
        (ws / "projects" / "alpha.yaml").unlink()  # and its name changed too: nothing pairs the two files
        write_tree(ws, {"projects/alpha-2027.yaml": project(300000, team="bob", status="red", urgency=5).replace("name: P", "name: Alpha 2027")})
    code, gate = gate_json(path, "--fail-on", "defunded,health-drop")
    assert (code, [(f["effect"], f["where"], f["detail"]) for f in gate["failures"]]) == (1 if failures else 0, failures)


def test_a_person_id_that_reads_as_another_conflicts_message_does_not_hide_a_new_error(repo):
    # The new error was matched to an unchanged conflict by the opening of its message alone: a person named
    # "bob is over-allocated from … (N days): x" hid their own over-allocation from --fail-on new-error.
    path, commit = repo
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4)})
    commit("bob over-allocated at the base")
    _, found = diff_of(path, "--fail-on", "new-error")
    code, out, _ = run_ppm("-C", path / "ws", "--as-of", AS_OF, "check", "--format", "json")
    (opening,) = {f["message"].split(": peak")[0] + ": " for f in json.loads(out) if f["code"] == "overallocation"}
    forged = opening + "x"
    write_tree(path / "ws", {f"people/{forged}.yaml": "name: X\nrole: engineer\n", "projects/gamma.yaml": project(100000, urgency=1) + f"team:\n  - {{person: '{forged}', fte: 0.6}}\n  - {{person: '{forged}', fte: 0.6}}\n"})
    code, found = diff_of(path, "--fail-on", "new-error")
    assert code == 1 and [f["detail"].startswith(forged) for f in found["gate"]["failures"]] == [True]


def test_a_file_renamed_and_edited_with_its_name_kept_keeps_its_history(repo):
    # Renamed and edited, it read as one project removed (defunded) and one added (no health to drop from).
    path, _ = repo
    ws = path / "ws"
    (ws / "projects" / "alpha.yaml").unlink()
    write_tree(ws, {"projects/alpha-2027.yaml": project(300000, team="bob", status="red", urgency=5)})
    code, found = diff_of(path, "--budget", BUDGET, "--fail-on", "defunded,health-drop")
    assert found["renamed"] == [{"from": "alpha", "to": "alpha-2027"}] and found["added"] == [] and found["removed"] == []
    assert found["changed"]["alpha-2027"] == {"status[2026-02-27].health": {"old": "green", "new": "red"}}
    assert [(f["effect"], f["where"], f["detail"]) for f in found["gate"]["failures"]] == [("health-drop", "alpha-2027", "green → red")]
    assert found["summary"].startswith("files: 1 renamed;")


def test_a_project_moved_to_another_portfolio_is_judged_on_both_sides_of_a_portfolio_filter(repo):
    # Gated per portfolio, a move hid a health drop from both gates, and was excused as "still funded where it went".
    path, commit = repo
    write_tree(path / "ws", {"portfolios/other.yaml": "name: Other\nowner: ann\n"})
    commit("another portfolio")
    write_tree(path / "ws", {"projects/alpha.yaml": project(300000, team="bob", status="red", urgency=5).replace("portfolio: main", "portfolio: other")})
    code, gate = gate_json(path, "--portfolio", "main", "--fail-on", "defunded")
    assert code == 1 and [(f["where"], f["detail"]) for f in gate["failures"]] == [("alpha", "funded before, not funded now (moved out of the projects compared)")]
    code, found = diff_of(path, "--portfolio", "other", "--fail-on", "health-drop")
    assert code == 1 and [(f["where"], f["detail"]) for f in found["gate"]["failures"]] == [("alpha", "green → red")]


def test_an_invalid_ppm_yaml_fails_the_effects_it_hides_and_excuses_the_funding(repo):
    path, _ = repo
    write_tree(path / "ws", {"ppm.yaml": SETTINGS + "bogus: 1\n"})
    code, found = diff_of(path, "--budget", BUDGET, "--fail-on", "defunded")
    assert {c["reason"] for c in found["selection"]["changes"]} == {"ppm.yaml is invalid now"}
    # What the funding line (or a health, an over-allocation) is at the head is unknown: the gate fails on it, once.
    assert code == 1 and [(f["effect"], f["kind"], f["where"]) for f in found["gate"]["failures"]] == [("defunded", "file", "ppm.yaml")]
    assert found["gate"]["failures"][0]["detail"] == "cannot be judged: the change makes ppm.yaml invalid, so what it holds is unknown (its errors are new errors)"


def test_a_file_invalid_at_the_base_renamed_or_added_invalid_hides_nothing(repo):
    # Renamed, an invalid file reads as removed and added invalid: it had no state at the base to hide, and failed every effect.
    path, commit = repo
    write_tree(path / "ws", {"projects/gamma.yaml": project(100000, urgency=1) + "bogus: 1\n"})
    commit("gamma broken")
    git(path, "mv", "ws/projects/gamma.yaml", "ws/projects/gamma-2.yaml")
    write_tree(path / "ws", {"projects/delta.yaml": project(50000, urgency=1) + "bogus: 1\n"})  # a new file, invalid
    code, gate = gate_json(path, "--fail-on", "health-drop,new-overallocation,over-budget,defunded")
    assert (code, gate["failures"]) == (0, [])


@pytest.mark.parametrize("effect", ["health-drop", "new-overallocation", "over-budget", "defunded"])
def test_a_file_made_invalid_cannot_hide_an_effect(repo, effect):
    # alpha turns red and overbooks bob, then gets a misspelt field: its file is compared as if removed, and its red
    # health and its booking went unseen: each effect passed.
    path, _ = repo
    write_tree(path / "ws", {"projects/alpha.yaml": project(900000, team="bob", status="red", urgency=5).replace("fte: 0.6", "fte: 1.5") + "budgt: 1\n"})
    code, gate = gate_json(path, "--fail-on", effect)
    assert code == 1 and gate["failed"] == [effect]
    assert [(f["kind"], f["where"]) for f in gate["failures"]] == [("project", "alpha")]
    assert gate["failures"][0]["detail"] == "cannot be judged: the change makes project 'alpha' invalid, so what it holds is unknown (its errors are new errors)"


def test_a_project_renamed_and_moved_into_the_filter_keeps_its_health_before(repo):
    # Renamed (its name kept) and moved into the compared portfolio with a red status: its base health was looked
    # up under its new id and not found, so the portfolio's gate passed.
    path, commit = repo
    write_tree(path / "ws", {"portfolios/other.yaml": "name: Other\nowner: ann\n"})
    commit("another portfolio")
    (path / "ws" / "projects" / "alpha.yaml").unlink()
    write_tree(path / "ws", {"projects/alpha-2.yaml": project(300000, team="bob", status="red", urgency=5).replace("portfolio: main", "portfolio: other")})
    code, found = diff_of(path, "--portfolio", "other", "--fail-on", "health-drop")
    assert code == 1 and [(f["where"], f["detail"]) for f in found["gate"]["failures"]] == [("alpha-2", "green → red")]


def test_a_second_error_like_one_the_base_had_is_a_new_error(repo):
    # Findings were matched as a set: a second team entry without a person passed new-error as "no portfolio changes".
    path, commit = repo
    entry = "  - {fte: 0.5}\n"
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4) + entry})
    commit("one entry without a person")
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4) + entry * 2})
    code, found = diff_of(path, "--fail-on", "new-error")
    assert (code, found["gate"]["failed"], [f["line"] for f in found["findings"]["new"]]) == (1, ["new-error"], [13])
    # And one of the two fixed is one fixed.
    commit("two entries without a person")
    write_tree(path / "ws", {"projects/beta.yaml": project(200000, team="bob", urgency=4) + entry})
    code, found = diff_of(path, "--fail-on", "new-error")
    assert (code, found["findings"]["new"], len(found["findings"]["fixed"])) == (0, [], 1)


def test_an_overallocation_on_many_projects_names_a_few_and_how_many_more():
    # Each gate row and Capacity line named every project: 1,500 of them took 16,600 characters, and three such rows
    # filled the comment's budget, leaving out the summary and every section.
    from datetime import date
    from types import SimpleNamespace

    from ppmcli.analysis.resources.conflicts import Conflict
    from ppmcli.analysis.review.gate import evaluate
    from ppmcli.render.diff import _TERMINAL, _conflict_line

    projects = tuple(f"bulk-{number:04d}" for number in range(1500))
    conflict = Conflict("bob", date(2026, 4, 1), date(2026, 4, 30), 3.0, 1.0, 22, projects, tuple((pid, 0) for pid in projects))
    gate = evaluate(SimpleNamespace(worse_conflicts=(conflict,), entities=SimpleNamespace(invalid=(), removed=())), ["new-overallocation"])  # type: ignore[arg-type]
    assert gate.failures[0].detail == "peak 3 FTE of 1 from 2026-04-01 to 2026-04-30 (bulk-0000, bulk-0001, bulk-0002, bulk-0003, bulk-0004 and 1,495 more)"
    assert _conflict_line(conflict, _TERMINAL).endswith("on 22 days (bulk-0000, bulk-0001, bulk-0002, bulk-0003, bulk-0004 and 1,495 more)")
