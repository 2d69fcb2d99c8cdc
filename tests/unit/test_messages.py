"""Messages that say what is wrong, where, and how to fix it: the exact text and position of each."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import ACME, check, run_ppm
from ppmcli.analysis.checks.delivery import _under
from test_check_rules import PERSON, PORTFOLIO, PROJECT


def found(project: str, **people: str) -> list[tuple]:
    files = {"portfolios/digital.yaml": PORTFOLIO, "people/ann.yaml": PERSON, "projects/app.yaml": project}
    files.update({f"people/{pid}.yaml": text for pid, text in people.items()})
    return [finding[1:] for finding in check(files, messages=True)]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("budget: 100000", 'budget: "400000"', (7, 9, "invalid-value", "'budget' should be a number, found the quoted text '400000'; remove the quotes")),
        ("budget: 100000", "budget: '4.5e5'", (7, 9, "invalid-value", "'budget' should be a number, found the quoted text '4.5e5'; write 450000")),
        # Written plain, YAML 1.1 reads an exponent without a dot or a sign as text: nothing to unquote.
        ("budget: 100000", "budget: 1e3", (7, 9, "invalid-value", "'budget' should be a number, found '1e3', which YAML reads as text; write 1000")),
        ("budget: 100000", "budget: 2e-3", (7, 9, "invalid-value", "'budget' should be a number, found '2e-3', which YAML reads as text; write 0.002")),
        # Too long to write out (1e-99999999 would be a hundred million characters): said in words.
        ("budget: 100000", "budget: 1e300", (7, 9, "invalid-value", "'budget' should be a number, found '1e300', which YAML reads as text; write it as a decimal number")),
        # A quoted number YAML would still read as text unquoted: unquoting is not the fix, the number is.
        ("budget: 100000", 'budget: "1e3"', (7, 9, "invalid-value", "'budget' should be a number, found the quoted text '1e3'; write 1000")),
        # More digits than Python turns into a number: one finding, the parse's (validation does not refuse it again).
        ("budget: 100000", "budget: " + "7" * 4301, (7, 9, "invalid-value", "number with 4301 digits is far too large")),
        # Read in another base, of any length: no count that would cost seconds to work out.
        ("budget: 100000", "budget: -0x" + "9" * 5000, (7, 9, "invalid-value", "'budget' is a number of more than 4,300 digits, below the limit of -10^15")),
        ("budget: 100000", "budget: 0x" + "9" * 1000, (7, 9, "invalid-value", "'budget' is a 1,204-digit number, above the limit of 10^15")),
        # A date that does not exist is impossible; one written without its zeros is only misformatted.
        ("start: 2026-01-05", "start: 2026-02-30", (5, 8, "invalid-value", "'start' has an impossible date '2026-02-30'")),
        ("start: 2026-01-05", "start: 2026-1-5", (5, 8, "invalid-value", "'start' should be a date (YYYY-MM-DD), found '2026-1-5'")),
        ("budget: 100000", "budget: 1,000,000", (7, 9, "invalid-value", "'budget' should be a number, found '1,000,000'; write it without thousands separators: 1000000")),
        # A decimal comma (1.000,50 is a thousand and a half) is no thousands separator: no advice that reads 1.00050.
        ("budget: 100000", "budget: '1.000,50'", (7, 9, "invalid-value", "'budget' should be a number, found '1.000,50'")),
        ("budget: 100000", "budget: 12,5", (7, 9, "invalid-value", "'budget' should be a number, found '12,5'")),
        ("budget: 100000", "budget: 'nan'", (7, 9, "invalid-value", "'budget' should be a number, found 'nan'")),
        ("goals: [growth]", "goals: grow-revenue", (8, 8, "invalid-value", "'goals' should be a mapping of goal: contribution, or a list of goals; found 'grow-revenue'")),
        ("budget: 100000", "budget: true", (7, 9, "invalid-value", "'budget' should be a number, found true; write a number")),
        ("budget: 100000", 'budget: 100000\nmandatory: "yes"', (8, 12, "invalid-value", "'mandatory' should be true or false, found the quoted text 'yes'; remove the quotes")),
        ("budget: 100000", "budget: 100000\nmandatory: 1", (8, 12, "invalid-value", "'mandatory' should be true or false, found 1")),
        ("budget: 100000", "budget: 100000\nmandatory: y", (8, 12, "invalid-value", "'mandatory' should be true or false, found 'y'")),  # YAML 1.1 reads y as text
        ("portfolio: digital\n", "", (1, 1, "missing-field", "project needs a 'portfolio' (or a 'program' to take it from)")),
        ("name: App", "name: no", (1, 7, "invalid-value", "'name' should be text, but 'no' was read as false (YAML reads yes/no/on/off as true/false); put it in quotes if you mean the text: 'no'")),
        ("end: 2026-12-18", "end: 2026-12-18\nyes: 1", (7, 1, "unknown-field", "'yes' is not a field: YAML reads this key as true, and a field's name is text")),
        ("end: 2026-12-18", "finish: 2026-12-18", (6, 1, "unknown-field", "'finish' is not a field; did you mean 'end'?")),
        ("budget: 100000", "budjet: 100000", (7, 1, "unknown-field", "'budjet' is not a field; did you mean 'budget'?")),
        ("end: 2026-12-18", "end: 2025-12-18\nteam:\n  - {person: ann, fte: 0.5}\n  - {person: ann, fte: 0.2, from: 2026-02-02}", (6, 6, "invalid-value", "end 2025-12-18 is before start 2026-01-05")),
    ],
)
def test_one_finding_that_says_how_to_fix(old: str, new: str, expected: tuple) -> None:
    # One root cause, one finding: no missing 'budget' beside 'budjet', no team entry repeating the project's inverted dates.
    assert found(PROJECT.replace(old, new)) == [expected]


def test_a_duplicate_key_is_named_as_written() -> None:
    # `yes` and `on` are one key, true: it was named 'True'.
    # Written otherwise, each is named as written: 'on' after 'yes', 'true' after '1' (it said "duplicate key 'true'" of `1:`).
    assert (8, 1, "duplicate-key", "key 'on' reads as the same key as 'yes' (line 7); only the last would be kept") in found(PROJECT.replace("end: 2026-12-18", "end: 2026-12-18\nyes: 1\non: 2"))
    assert (8, 15, "duplicate-key", "key 'true' reads as the same key as '1' (line 8); only the last would be kept") in found(PROJECT.replace("goals: [growth]", "goals: {1: 1, true: 2}"))
    assert (8, 1, "duplicate-key", "duplicate key 'end' (first at line 6); YAML would keep only the last") in found(PROJECT.replace("end: 2026-12-18", "end: 2026-12-18\nbudget: 1\nend: 2027-01-01"))


def test_a_yaml_1_1_boolean_is_quoted_as_written() -> None:
    # Columns count characters: the word is found after a name that is more bytes than characters.
    project = PROJECT + "milestones:\n  - {name: M, date: 2026-05-04, done: yes}\n  - {name: Café, date: 2026-06-01, done: Off}\n"
    assert found(project) == [
        (11, 39, "invalid-value", "'done' should be a date (YYYY-MM-DD), but 'yes' was read as true (YAML reads yes/no/on/off as true/false); write a date like 2026-05-04"),
        (12, 42, "invalid-value", "'done' should be a date (YYYY-MM-DD), but 'Off' was read as false (YAML reads yes/no/on/off as true/false); write a date like 2026-05-04"),
    ]


def test_a_team_entry_field_by_another_name() -> None:
    project = PROJECT + "team:\n  - {person: ann, fte: 0.5, start: 2026-09-01}\n  - {person: ann, fte: 0.5, until: 2026-10-01}\n"
    assert found(project) == [
        (11, 29, "unknown-field", "'start' is not a field; did you mean 'from'?"),
        (12, 29, "unknown-field", "'until' is not a field; did you mean 'to'?"),
    ]


def test_a_field_far_from_every_name_has_no_hint_and_the_missing_one_is_still_reported() -> None:
    assert found(PROJECT.replace("budget: 100000", "colour: red")) == [
        (1, 1, "missing-field", "missing required field 'budget'"),
        (7, 1, "unknown-field", "'colour' is not a field"),
    ]


@pytest.mark.parametrize("cost_rate", [None, 1000])  # paid at 1,000 a day, 50 FTE would be far above the budget too
def test_an_fte_written_as_a_percentage_is_an_error_at_the_fte_not_an_overallocation(cost_rate) -> None:
    project = PROJECT.replace("phase: planning", "phase: execution") + "team:\n  - {person: ann, fte: 50}\n"
    people = {} if cost_rate is None else {"ann": PERSON + f"cost_rate: {cost_rate}\n"}
    assert [f for f in found(project, **people) if f[2] != "stale-status"] == [
        (11, 24, "invalid-value", "fte 50 is above ann's capacity of 1 in this one allocation; fte is a fraction: 0.5 = half time"),
    ]


def test_an_fte_typo_hides_no_other_overallocation() -> None:
    # The typo's week runs into the next, where two allocations at 0.6 over-book ann on their own:
    # one run with the typo's days, whose finding was dropped with it.
    def project(start: str, end: str, fte: str) -> str:
        return PROJECT.replace("phase: planning", "phase: execution").replace("start: 2026-01-05", f"start: {start}").replace("end: 2026-12-18", f"end: {end}") + f"team:\n  - {{person: ann, fte: {fte}}}\n"

    files = {
        "portfolios/digital.yaml": PORTFOLIO,
        "people/ann.yaml": PERSON,
        "projects/a.yaml": project("2026-03-02", "2026-03-06", "50"),
        "projects/b.yaml": project("2026-03-09", "2026-03-13", "0.6"),
        "projects/c.yaml": project("2026-03-09", "2026-03-13", "0.6"),
    }
    codes = {"invalid-value", "overallocation"}
    assert check(files, as_of=date(2026, 3, 2), codes=codes) == [("projects/a.yaml", 11, 24, "invalid-value"), ("projects/b.yaml", 11, 5, "overallocation")]
    files["projects/a.yaml"] = project("2026-03-02", "2026-03-06", "1.5")  # above full time: the same hint (issue 17)
    assert check(files, as_of=date(2026, 3, 2), codes=codes) == [("projects/a.yaml", 11, 24, "invalid-value"), ("projects/b.yaml", 11, 5, "overallocation")]


def test_an_fte_the_tolerance_allows_is_no_typo_as_it_is_no_conflict() -> None:
    # With a tolerance of 0.6, ann at 1.5 on one project is no over-allocation (`ppm conflicts` shows none), yet check
    # failed on it as a percentage typo; above capacity + tolerance it still is one.
    from conftest import SETTINGS

    def files(fte: str) -> dict[str, str]:
        project = PROJECT.replace("phase: planning", "phase: execution") + f"team:\n  - {{person: ann, fte: {fte}}}\n"
        return {"portfolios/digital.yaml": PORTFOLIO, "people/ann.yaml": PERSON, "projects/app.yaml": project}

    tolerant = SETTINGS + "checks:\n  overallocation_tolerance: 0.6\n"
    codes = {"invalid-value", "overallocation"}
    assert check(files("1.5"), settings=tolerant, codes=codes) == []
    assert check(files("1.7"), settings=tolerant, codes=codes) == [("projects/app.yaml", 11, 24, "invalid-value")]


def test_fte_above_one_is_valid_for_a_role_and_a_part_timers_full_day_is_an_overallocation() -> None:
    team = "team:\n  - {role: engineer, fte: 3}\n  - {person: bo, fte: 1}\n"
    project = PROJECT.replace("phase: planning", "phase: execution") + team
    codes = {f[2] for f in found(project, bo="name: Bo\nrole: engineer\ncapacity: 0.5\n")}
    assert "invalid-value" not in codes and "overallocation" in codes


STATUS = "status:\n  - {date: DATE, health: green, percent_complete: 10, actual_cost: 0}\n"


@pytest.mark.parametrize(("day", "expected"), [("2026-11-25", []), ("2026-11-26", [(11, 12, "future-status", "status dated 2026-11-26 is 1 day after 2026-11-25, so it is ignored; correct the date if it is a typo")])])
def test_future_status_from_the_day_after_as_of(day: str, expected: list) -> None:
    assert [f for f in found(PROJECT + STATUS.replace("DATE", day)) if f[2] == "future-status"] == expected


@pytest.mark.parametrize(
    ("phase", "end", "expected"),
    [
        ("execution", "2026-11-24", [(6, 6, "past-end", "project ended 2026-11-24, 1 day before 2026-11-25, but its phase is still 'execution'; set phase: closed (or cancelled), or move its end")]),
        ("execution", "2026-11-25", []),
        ("closed", "2026-06-30", []),
        ("cancelled", "2026-06-30", []),
    ],
)
def test_past_end_only_for_open_projects_ended_before_as_of(phase: str, end: str, expected: list) -> None:
    project = PROJECT.replace("phase: planning", f"phase: {phase}").replace("end: 2026-12-18", f"end: {end}")
    assert [f for f in found(project) if f[2] == "past-end"] == expected


def test_an_unknown_program_names_the_close_one() -> None:
    files = {"programs/mobile-experience.yaml": "name: Mobile\nportfolio: digital\n"}
    project = PROJECT.replace("portfolio: digital\n", "program: mobile-experiense\n")
    result = check({"portfolios/digital.yaml": PORTFOLIO, "people/ann.yaml": PERSON, "projects/app.yaml": project, **files}, messages=True, codes={"unknown-reference"})
    assert [f[1:] for f in result] == [(2, 10, "unknown-reference", "program 'mobile-experiense' is not defined; did you mean 'mobile-experience'?")]


@pytest.mark.parametrize(("index", "shown"), [(0.898, "0.898"), (0.54, "0.54"), (0.8999, "0.8999"), (0.8949, "0.89")])
def test_an_index_under_the_limit_shows_enough_decimals_to_be_under_it(index: float, shown: str) -> None:
    assert _under(index, 0.9) == shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "--explain", "custmer-mobile-app"), "--explain: no project 'custmer-mobile-app' among the projects looked at; did you mean 'customer-mobile-app'?"),
        (("score", "--tag", "nosuch"), "--tag: no project carries tag 'nosuch' (tags: ai, capex, compliance, customer-facing, data, finance, internal, mobile, opex, outsourced, security, web)"),
        (("report", "--tag", "mobil"), "--tag: no project carries tag 'mobil' (tags: ai, capex, compliance, customer-facing, data, finance, internal, mobile, opex, outsourced, security, web); did you mean 'mobile'?"),
        (("score", "--portfolio", "digitl"), "--portfolio: no portfolio 'digitl' (portfolios: digital, operations, platform); did you mean 'digital'?"),
        (("score", "--model", "wsjff"), "--model 'wsjff' is not defined in ppm.yaml (models: value, wsjf, rice); did you mean 'wsjf'?"),
        (("prioritize", "--budget", "1000000", "--force-in", "custmer-mobile-app"), "--force-in: no project 'custmer-mobile-app' among the projects looked at; did you mean 'customer-mobile-app'?"),
        (("prioritize", "--budget", "1000000", "--force-out", "custmer-mobile-app"), "--force-out: no project 'custmer-mobile-app'; did you mean 'customer-mobile-app'?"),
        (("conflicts", "--person", "alise"), "--person: no person 'alise'; did you mean 'alice'?"),
    ],
)
def test_an_unknown_id_on_the_command_line_is_exit_2_with_a_suggestion(args: tuple, message: str) -> None:
    code, out, err = run_ppm("-C", ACME, "--as-of", "2026-11-25", *args)
    assert (code, out, err) == (2, "", f"ppm: error: {message}\n")


def test_a_list_too_long_and_a_misplaced_comma_are_said_in_ppms_words(tmp_path) -> None:
    import shutil

    ws = tmp_path / "acme"
    shutil.copytree(ACME, ws)
    settings = ws / "ppm.yaml"
    settings.write_text(settings.read_text().replace("scale: [1, 5]", "scale: [1, 5, 9]", 1))
    code, out, _ = run_ppm("-C", ws, "--as-of", "2026-11-25", "check")
    assert code == 1 and "ppm.yaml:45:46: error: 'scale' must have at most 2 items, found 3 [invalid-value]\n" in out
    code, out, err = run_ppm("-C", ACME, "--as-of", "2026-11-25", "prioritize", "--budget", "1,00")
    assert (code, out, err) == (2, "", "ppm: error: --budget '1,00' is not an amount: a comma may only separate thousands (5,000,000)\n")
    assert run_ppm("-C", ACME, "--as-of", "2026-11-25", "prioritize", "--budget", "1,000,000.50")[0] == 0


LONG = "x" * 300


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--stop", LONG),
        ("plan", "--force-in", LONG),
        ("plan", "--budget", LONG),
        ("plan", "--method", LONG),
        ("--as-of", LONG, "check"),
        ("--format", LONG, "check"),
        ("status", LONG),
        ("diff", LONG),
        ("import", "mspdi", f"/nowhere/{LONG}.xml"),
        ("report", "--trend", LONG),
        ("conflicts", "--person", LONG),
        ("roadmap", "--by", LONG),
    ],
)
def test_a_long_value_on_the_command_line_is_quoted_cut_to_80_characters(args):
    code, _, err = run_ppm("-C", ACME, *args)
    assert code == 2 and err.count("\n") == 1 and err.startswith("ppm: error: ")
    assert "x" * 80 not in err and "…'" in err, err


def test_counts_of_one_are_singular() -> None:
    # "(1 days)", "1 days late" and "1 projects" read as typos.
    from ppmcli.core.errors import counted

    assert [counted(1, "day"), counted(2, "day"), counted(0, "project"), counted(20_000, "project")] == ["1 day", "2 days", "0 projects", "20,000 projects"]
    one_day = PROJECT.replace("phase: planning", "phase: execution") + "team:\n  - {person: ann, fte: 0.5}\n  - {person: ann, fte: 0.75, from: 2026-12-02, to: 2026-12-02}\n"
    messages = [f[3] for f in found(one_day) if f[2] == "overallocation"]
    assert messages and all("from 2026-12-02 to 2026-12-02 (1 day): " in message for message in messages)
    late = PROJECT.replace("phase: planning", "phase: execution") + "milestones:\n  - {name: Beta, date: 2026-11-24}\n"
    assert [f[3] for f in found(late) if f[2] == "late-milestone"] == ["milestone 'Beta' was due 2026-11-24 and is not done (1 day late)"]


def test_a_report_of_one_project_says_project() -> None:
    code, out, _ = run_ppm("-C", ACME, "--as-of", "2026-11-25", "report", "--all", "--tag", "outsourced")
    assert code == 0 and ", USD, 1 project\n" in out.splitlines(keepends=True)[0]


def test_the_check_summary_counts_in_words(make_workspace) -> None:
    # "1 files checked" with a workspace of ppm.yaml alone.
    from ppmcli.render.findings import summary

    assert summary([], 1) == "1 file checked: no problems"
    assert summary([], 31011) == "31,011 files checked: no problems"


def test_a_file_that_cannot_be_read_is_counted_once(make_workspace) -> None:
    # It was counted as loaded (it has positions) and again for its unreadable-file finding: "3 files checked" for 2.
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    (root / "people" / "bad.yaml").write_bytes(b"name: Caf\xe9\n")
    code, _, err = run_ppm("-C", root, "check", "--no-cache")
    assert code == 1 and err.endswith("3 files checked: 1 error, 0 warnings\n")  # ppm.yaml, ok and bad


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # An unset variable in a CI script (`--as-of "$REPORT_DATE"`) ran as of today without a word.
        (("--as-of", "", "report"), "--as-of '' is not a date (YYYY-MM-DD)"),
        (("--as-of", "2026-11-25", "capacity", "--from", ""), "--from '' is not a date (YYYY-MM-DD)"),
        (("--as-of", "2026-11-25", "conflicts", "--to", ""), "--to '' is not a date (YYYY-MM-DD)"),
        (("--as-of", "2026-11-25", "diff", "HEAD", "--budget", ""), "--budget '' is not an amount"),
    ],
)
def test_an_empty_value_is_no_date_nor_amount(args, message):
    code, out, err = run_ppm("-C", ACME, *args)
    assert (code, out) == (2, "") and err.startswith(f"ppm: error: {message}")


@pytest.mark.parametrize(
    ("written", "said"),
    [
        # Python alone read 20261125 and 2026-W48-3 as dates, where the help says YYYY-MM-DD; an impossible day said only the form.
        ("20261125", "--as-of '20261125' is not a date (YYYY-MM-DD)"),
        ("2026-W48-3", "--as-of '2026-W48-3' is not a date (YYYY-MM-DD)"),
        ("2026-02-30", "--as-of '2026-02-30' is not a date: 2026-02 has 28 days"),
        # Python's words were "month must be in 1..12".
        ("2026-13-01", "--as-of '2026-13-01' is not a date: there is no month 13"),
        # Digits of another script: \d matched them, int() read them.
        ("٢٠٢٦-١١-٢٥", "--as-of '٢٠٢٦-١١-٢٥' is not a date (YYYY-MM-DD)"),
    ],
)
def test_a_date_is_written_yyyy_mm_dd_and_an_impossible_one_says_why(written, said):
    code, out, err = run_ppm("-C", ACME, "--as-of", written, "check")
    assert (code, out, err) == (2, "", f"ppm: error: {said}\n")



def test_a_percentage_where_a_fraction_goes_says_the_fraction() -> None:
    # `fte: 150%` said only "should be a number", where `fte: 150` says what an fte is.
    team = PROJECT + "team:\n  - {person: ann, fte: 150%}\n"
    assert (11, 24, "invalid-value", "'fte' should be a number, found '150%'; fte is a fraction: write 1.5") in found(team)
    risk = PROJECT + "risks:\n  - {name: R, probability: 60 %, impact: 1000}\n"
    assert (11, 28, "invalid-value", "'probability' should be a number, found '60 %'; probability is a fraction: write 0.6") in found(risk)
