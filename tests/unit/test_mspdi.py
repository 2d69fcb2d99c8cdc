"""ppm import mspdi: the project's own MSPDI fixtures, one per quirk real writers have, and a hostile corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ppmcli.load.mspdi import duration_hours, slug
from ppmcli.load.yamlwrite import dump, quote
from tests.conftest import run_ppm

WORKSPACE = {
    "portfolios/main.yaml": "name: Main\nowner: pat\n",
    "people/pat.yaml": "name: Pat\nrole: pm\n",
}
SCORES = ("--score", "financial_value=3", "--score", "urgency=3", "--score", "risk=2")


def element(tag: str, fields: dict[str, object]) -> str:
    return f"<{tag}>" + "".join(f"<{k}>{v}</{k}>" for k, v in fields.items()) + f"</{tag}>"


def mspdi(tasks: list[dict], resources: list[dict] = (), assignments: list[dict] = (), header: dict | None = None, *, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n', ns: bool = True) -> str:
    """A Microsoft Project XML document as Project writes it (namespace, header, Tasks, Resources, Assignments)."""
    head = {"Title": "Fixture", "MinutesPerDay": 480, "StartDate": "2026-01-05T08:00:00", "FinishDate": "2026-01-30T17:00:00", **(header or {})}
    xmlns = ' xmlns="http://schemas.microsoft.com/project"' if ns else ""
    body = "".join(f"<{k}>{v}</{k}>" for k, v in head.items() if v is not None)
    body += "<Tasks>" + "".join(element("Task", t) for t in tasks) + "</Tasks>"
    body += "<Resources>" + "".join(element("Resource", r) for r in resources) + "</Resources>"
    body += "<Assignments>" + "".join(element("Assignment", a) for a in assignments) + "</Assignments>"
    return f"{prolog}<Project{xmlns}>{body}</Project>"


ROW = {"UID": 0, "ID": 0, "Name": "Website relaunch", "OutlineLevel": 0, "Summary": 1, "Start": "2026-01-05T08:00:00", "Finish": "2026-01-30T17:00:00", "Cost": 12345678, "ActualCost": 250050, "PercentComplete": 40}


def task(uid: int, name: str, level: int = 1, start: str = "2026-01-05", finish: str = "2026-01-06", **extra: object) -> dict:
    return {"UID": uid, "ID": uid, "Name": name, "OutlineLevel": level, "Start": f"{start}T08:00:00", "Finish": f"{finish}T17:00:00", "Duration": "PT16H0M0S", **extra}


def person(uid: int, name: str, **extra: object) -> dict:
    return {"UID": uid, "Name": name, "Type": 1, "MaxUnits": "1.00", "StandardRate": 50, **extra}


def assign(task_uid: int, resource: int, work: str = "PT16H0M0S", start: str = "2026-01-05", finish: str = "2026-01-06") -> dict:
    return {"UID": task_uid * 100 + abs(resource), "TaskUID": task_uid, "ResourceUID": resource, "Start": f"{start}T08:00:00", "Finish": f"{finish}T17:00:00", "Work": work}


def run_import(make_workspace, document: str | bytes, *args: str, files: dict | None = None) -> tuple[Path, int, str, str]:
    root = make_workspace({**WORKSPACE, **(files or {})})
    path = root.parent / "plan.xml"
    path.write_bytes(document.encode("utf-8") if isinstance(document, str) else document)
    code, out, err = run_ppm("-C", root, "--as-of", "2026-01-20", "import", "mspdi", path, *SCORES, *args)
    return root, code, out, err


def read(root: Path, rel: str) -> dict:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- mapping


def test_project_row_costs_status_and_team(make_workspace):
    document = mspdi(
        [ROW, task(1, "Build", StatusDate=None), task(2, "Launch", start="2026-01-30", finish="2026-01-30", Milestone=1, Duration="PT0H0M0S")],
        [person(1, "Alice Chen", Group="Backend Engineer", MaxUnits="0.80")],
        [assign(1, 1)],
        {"StatusDate": "2026-01-16T17:00:00"},
    )
    root, code, out, err = run_import(make_workspace, document)
    assert code == 0, out + err
    project = read(root, "projects/website-relaunch.yaml")
    # Costs are hundredths: 12345678 → 123456.78, 250050 → 2500.50.
    assert project["budget"] == 123456.78
    assert project["start"].isoformat() == "2026-01-05" and project["end"].isoformat() == "2026-01-30"
    assert project["portfolio"] == "main" and project["manager"] == "pat" and project["phase"] == "execution"
    # 16 h of work over two 8-hour working days: 1.0 FTE.
    assert project["team"] == [{"person": "alice-chen", "fte": 1, "from": project["start"], "to": project["start"].replace(day=6)}]
    assert project["milestones"] == [{"name": "Launch", "date": project["end"]}]
    status = project["status"][0]
    assert status["date"].isoformat() == "2026-01-16" and status["percent_complete"] == 40 and status["actual_cost"] == 2500.5
    # Planned by the 16th: 10 of 20 working days = 50 %; 40 % done is SPI 0.8: amber.
    assert status["health"] == "amber"
    assert read(root, "people/alice-chen.yaml") == {"name": "Alice Chen", "role": "backend-engineer", "capacity": 0.8, "cost_rate": 400}
    assert "wrote people/alice-chen.yaml" in out and "wrote projects/website-relaunch.yaml" in out
    assert run_ppm("-C", root, "--as-of", "2026-01-20", "check")[0] == 0


def test_progress_without_a_status_or_current_date_is_a_status_dated_as_of(make_workspace):
    # The project row says 40 % and an actual cost, and the file names no date to measure them at:
    # Project itself would measure at today's date; the import dates the status --as-of, and says so.
    root, code, out, err = run_import(make_workspace, mspdi([ROW, task(1, "Build")]))
    assert code == 0, err
    project = read(root, "projects/website-relaunch.yaml")
    assert project["phase"] == "execution"
    assert [(s["date"], s["percent_complete"], s["actual_cost"]) for s in project["status"]] == [(date(2026, 1, 20), 40, 2500.5)]
    assert "not mapped: the file records progress but no status or current date; its status is dated 2026-01-20 (--as-of)" in out
    assert "no progress in the file" not in out


def test_a_task_without_a_duration_over_several_days_is_work_not_a_milestone(make_workspace):
    tasks = [ROW, {k: v for k, v in task(1, "Work A", start="2026-01-05", finish="2026-01-30").items() if k != "Duration"}, task(2, "Gate", start="2026-01-16", finish="2026-01-16", Duration="PT0H0M0S")]
    root, code, out, err = run_import(make_workspace, mspdi(tasks))
    assert code == 0, err
    assert [m["name"] for m in read(root, "projects/website-relaunch.yaml").get("milestones", [])] == ["Gate"]


def test_nine_hour_days_set_fte_and_the_daily_rate(make_workspace):
    document = mspdi([ROW, task(1, "Dig")], [person(1, "Ana", StandardRate=10)], [assign(1, 1, work="PT18H0M0S")], {"MinutesPerDay": 540})
    root, code, out, err = run_import(make_workspace, document)
    assert code == 0, out + err
    assert read(root, "projects/website-relaunch.yaml")["team"][0]["fte"] == 1
    assert read(root, "people/ana.yaml")["cost_rate"] == 90


def test_duration_forms():
    assert duration_hours("PT16H0M0S") == 16
    assert duration_hours("PT0H30M0S") == 0.5
    assert duration_hours("PT1678H30M0S") == 1678.5
    assert duration_hours("P1DT2H") == 26
    assert duration_hours("16 hours") is None and duration_hours("P") is None


def test_openproj_project_row_and_summaries_only_in_the_outline(make_workspace):
    # OpenProj: no UID 0; the project row is UID 1 at outline level 0; Summary and Milestone are 0 everywhere.
    row = {**ROW, "UID": 1, "ID": 0, "Name": "Product #23", "Summary": 0}
    tasks = [
        row,
        task(2, "Phase one", 1, finish="2026-01-09", Summary=0, Milestone=0),
        task(3, "Design", 2, Summary=0, Milestone=0),
        task(4, "Design done", 2, start="2026-01-09", finish="2026-01-09", Summary=0, Milestone=0, Duration="PT0H0M0S", PercentComplete=100),
        task(5, "Empty phase", 1, Summary=0, Duration="PT0H0M0S"),
        task(6, "Sub", 2, Summary=0),
    ]
    root, code, out, err = run_import(make_workspace, mspdi(tasks, header={"Title": "Project1"}))
    assert code == 0, out + err
    project = read(root, "projects/product-23.yaml")
    assert project["name"] == "Product #23"
    # The zero-duration leaf is a milestone, done at 100 %; the zero-duration summary is not.
    assert project["milestones"] == [{"name": "Design done", "date": project["start"].replace(day=9), "done": project["start"].replace(day=9)}]


def test_unassigned_rows_summary_assignments_and_inactive_resources(make_workspace):
    tasks = [ROW, task(1, "Phase", 1, finish="2026-01-09", Summary=1), task(2, "Part A", 2), task(3, "Part B", 2, start="2026-01-07", finish="2026-01-08"), task(4, "Review", 1, start="2026-01-12", finish="2026-01-13")]
    resources = [{"UID": 0, "Type": 1}, person(1, "Bo"), person(2, "Cy", IsInactive=1), person(3, "Di")]
    assignments = [
        assign(2, 1), assign(3, 1, start="2026-01-07", finish="2026-01-08"),
        assign(1, 1, work="PT32H0M0S", finish="2026-01-08"),  # Bo's work on the summary repeats his subtasks'
        assign(1, 3, work="PT8H0M0S", finish="2026-01-06"),  # Di has nothing below it: counted
        assign(4, -65535), assign(4, -1), assign(4, 2),
    ]
    root, code, out, err = run_import(make_workspace, mspdi(tasks, resources, assignments))
    assert code == 0, out + err
    team = read(root, "projects/website-relaunch.yaml")["team"]
    assert [(t["person"], t["fte"], t["from"].day, t["to"].day) for t in team] == [("bo", 1, 5, 8), ("di", 0.5, 5, 6)]  # back-to-back runs at one fte are one allocation
    assert not (root / "people/cy.yaml").exists()
    assert "resource 'Cy' is inactive" in out
    assert "2 task rows without a resource" in out
    assert "1 assignment on summary tasks repeats" in out
    assert "1 assignment of resources left out was dropped" in out


def test_a_repeated_uid_is_said_and_only_the_first_row_counts(make_workspace):
    tasks = [ROW, task(1, "Build"), task(1, "Build again", start="2026-01-12", finish="2026-01-13")]
    resources = [person(1, "Ann Lee"), person(1, "Bob Dup")]
    repeated = {**assign(1, 1), "Work": "PT8H0M0S"}
    root, code, out, err = run_import(make_workspace, mspdi(tasks, resources, [assign(1, 1), repeated]))
    assert code == 0, out + err
    team = read(root, "projects/website-relaunch.yaml")["team"]
    assert [(t["person"], t["fte"], t["from"].day, t["to"].day) for t in team] == [("ann-lee", 1, 5, 6)]  # booked once, not at 1.5
    assert not (root / "people/bob-dup.yaml").exists()
    for kind, uid in (("task", 1), ("resource", 1), ("assignment", 101)):
        assert f"1 {kind} repeats the UID of an earlier one ({uid}); the first is kept, the repeat left out" in out


@pytest.mark.parametrize(
    "prolog",
    [
        "\ufeff<?xml version='1.0' encoding='UTF-8'?>\r\n<!-- exported by a tool -->\r\n",  # BOM and a comment before <Project>
        "<?xml version=\"1.0\"?>\n",  # no encoding declaration
        "",  # no declaration at all
    ],
)
def test_prologs_crlf_and_no_namespace(make_workspace, prolog):
    document = mspdi([ROW, task(1, "Work")], prolog=prolog).replace("><", ">\r\n\t<")
    root, code, out, err = run_import(make_workspace, document)
    assert code == 0, out + err
    assert read(root, "projects/website-relaunch.yaml")["budget"] == 123456.78
    root2, code, out, err = run_import(make_workspace, mspdi([ROW], ns=False), "--id", "bare")
    assert code == 0 and read(root2, "projects/bare.yaml")["name"] == "Website relaunch"


def test_a_writer_without_outline_levels(make_workspace):
    tasks = [{k: v for k, v in t.items() if k != "OutlineLevel"} for t in (ROW, task(1, "Work"))]
    root, code, out, err = run_import(make_workspace, mspdi(tasks, header={"Title": "Other title"}))
    assert code == 0, out + err
    assert read(root, "projects/website-relaunch.yaml")["budget"] == 123456.78


def test_right_to_left_and_accented_names(make_workspace):
    persian = "ارسال نسخه نهایی"
    tasks = [{**ROW, "Name": "Reposición sede"}, task(1, persian, Milestone=1, ActualFinish="2026-01-07T17:00:00"), task(2, persian, Milestone=1, start="2026-01-08", finish="2026-01-08")]
    resources = [person(1, "José Núñez", Group="Topógrafo"), person(2, "مینا موسی\u200cرضا"), person(3, "\u202eevil")]
    root, code, out, err = run_import(make_workspace, mspdi(tasks, resources))
    assert code == 0, out + err
    project = read(root, "projects/reposicion-sede.yaml")
    assert [m["name"] for m in project["milestones"]] == [persian, persian]
    assert project["milestones"][0]["done"].isoformat() == "2026-01-07" and "done" not in project["milestones"][1]
    assert read(root, "people/jose-nunez.yaml")["role"] == "topografo"
    assert read(root, "people/مینا-موسی-رضا.yaml")["name"] == "مینا موسی\u200cرضا"
    assert read(root, "people/evil.yaml")["name"] == "\u202eevil"


def test_slugs():
    assert slug("Tamara Barraza", "x") == "tamara-barraza"
    assert slug("Ñandú  Straße_2", "x") == "nandu-straße-2"
    assert slug("../../etc/passwd", "x") == "etc-passwd"
    assert slug("***", "person") == "person"
    assert slug("हिन्दी टीम", "x") == "हिन्दी-टीम"  # vowel signs are not accents
    assert slug("Ελένη Παπαδοπούλου", "x") == "ελενη-παπαδοπουλου"


def test_ids_are_unique_and_existing_people_are_reused(make_workspace):
    files = {"people/dev/alice-chen.yml": "name: Alice C.\nrole: backend\n", "projects/website-relaunch.yaml": "name: Old\nportfolio: main\nmanager: pat\nphase: closed\nstart: 2025-01-01\nend: 2025-02-01\nbudget: 1\n"}
    resources = [person(1, "Alice Chen"), person(2, "Bob"), person(3, "bob")]
    root, code, out, err = run_import(make_workspace, mspdi([ROW, task(1, "Work")], resources, [assign(1, 1)]), files=files)
    assert code == 0, out + err
    assert "reused people/dev/alice-chen.yml (resource 'Alice Chen')" in out  # where the file is, in its sub-folder
    assert read(root, "people/dev/alice-chen.yml")["name"] == "Alice C."  # untouched
    assert read(root, "people/bob.yaml")["name"] == "Bob" and read(root, "people/bob-2.yaml")["name"] == "bob"
    assert read(root, "projects/website-relaunch.yaml")["name"] == "Old"
    assert read(root, "projects/website-relaunch-2.yaml")["team"][0]["person"] == "alice-chen"
    assert "not mapped: the id 'website-relaunch', which a project has already (imported before?): this one is 'website-relaunch-2'; choose with --id" in out
    assert "resource 'Alice Chen' is taken for the existing person 'alice-chen' (backend, capacity 1), though the file says team-member" not in out  # no group: nothing to compare


@pytest.mark.parametrize("existing", [False, True])
def test_two_resources_of_one_name_are_two_people_whether_the_workspace_has_one_or_not(make_workspace, existing):
    # With an Alice in the workspace, both were taken for her: booked twice, a false over-allocation.
    files = {"people/alice.yaml": "name: Alice\nrole: team-member\n"} if existing else {}
    resources = [person(1, "Alice"), person(2, "Alice")]
    root, code, out, err = run_import(make_workspace, mspdi([ROW, task(1, "Work"), task(2, "More")], resources, [assign(1, 1), assign(2, 2)]), files=files)
    assert code == 0, out + err
    assert [entry["person"] for entry in read(root, "projects/website-relaunch.yaml")["team"]] == ["alice", "alice-2"]
    assert "resource 'Alice' (UID 2) would take the id 'alice' of an earlier resource of the file; written as 'alice-2'" in out


def test_a_namesake_with_another_role_or_capacity_is_said(make_workspace):
    files = {"people/pat-doe.yaml": "name: Pat Doe\nrole: project-manager\n"}
    resources = [person(1, "Pat Doe", Group="Plumber", MaxUnits="0.20")]
    root, code, out, err = run_import(make_workspace, mspdi([ROW, task(1, "Work")], resources, [assign(1, 1)]), files=files)
    assert code == 0, out + err
    assert "not mapped: resource 'Pat Doe' is taken for the existing person 'pat-doe' (project-manager, capacity 1), though the file says plumber, max units 0.2: check it is the same person\n" in out


def test_an_id_that_exists_and_a_missing_portfolio_are_one_line(make_workspace):
    root, code, out, err = run_import(make_workspace, mspdi([ROW]), "--id", "x", files={"projects/x.yaml": "name: X\nportfolio: main\nmanager: pat\nphase: closed\nstart: 2025-01-01\nend: 2025-01-02\nbudget: 1\n"})
    assert code == 2 and err.count("\n") == 1 and "already a project" in err
    root, code, out, err = run_import(make_workspace, mspdi([ROW]), "--id", "../../outside")
    assert code == 2 and "cannot name a file" in err and not (root.parent / "outside.yaml").exists()
    root, code, out, err = run_import(make_workspace, mspdi([ROW]), "--portfolio", "nope")
    assert code == 2 and "--portfolio: no portfolio 'nope'" in err


def test_a_score_no_model_reads_or_outside_its_scale_is_one_line_and_nothing_is_written(make_workspace):
    root, code, out, err = run_import(make_workspace, mspdi([ROW]), "--score", "urgncy=3")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert "--score 'urgncy': no scoring model of ppm.yaml reads it; did you mean 'urgency'?" in err
    assert not (root / "projects" / "website-relaunch.yaml").exists()
    root, code, out, err = run_import(make_workspace, mspdi([ROW]), "--score", "urgency=99")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "--score urgency: score 'urgency' is 99, outside its scale [1, 5]" in err
    assert not (root / "projects" / "website-relaunch.yaml").exists()
    # A score is a number, not an amount (it said "--score urgency 'abc' is not an amount").
    assert run_import(make_workspace, mspdi([ROW]), "--score", "urgency=abc")[3] == "ppm: error: --score urgency 'abc' is not a number\n"


def test_real_problems_in_the_data_are_reported_after_writing(make_workspace):
    # Two full-time tasks at once: the person is over-booked, which ppm check reports at the new file.
    late = {"start": "2026-01-26", "finish": "2026-01-27"}
    document = mspdi([ROW, task(1, "A", **late), task(2, "B", **late)], [person(1, "Ed")], [assign(1, 1, **late), assign(2, 1, **late)])
    root, code, out, err = run_import(make_workspace, document)
    assert code == 1
    assert "wrote projects/website-relaunch.yaml" in out
    # Each assignment is its own allocation of fte 1: together they over-book Ed, an over-allocation of the data.
    assert read(root, "projects/website-relaunch.yaml")["team"] == [{"person": "ed", "fte": 1, "from": date(2026, 1, 26), "to": date(2026, 1, 27)}] * 2
    assert "ed is over-allocated from 2026-01-26 to 2026-01-27 (2 days): peak 2.0 FTE against capacity 1.0" in err


def test_an_assignment_counts_no_more_than_its_units_over_ppms_working_days(make_workspace):
    # Full time (Units 1) from a Wednesday to a Saturday, 32 h, in a file that works Saturday to Wednesday: ppm.yaml
    # works Monday to Friday, 3 days, where 32 h would be 1.33 FTE. Its units say full time: fte 1.
    document = mspdi([ROW, task(1, "A", start="2026-01-07", finish="2026-01-10")], [person(1, "Ed")], [assign(1, 1, work="PT32H0M0S", start="2026-01-07", finish="2026-01-10") | {"Units": 1}])
    root, code, out, err = run_import(make_workspace, document)
    assert code == 0, err
    assert read(root, "projects/website-relaunch.yaml")["team"] == [{"person": "ed", "fte": 1, "from": date(2026, 1, 7), "to": date(2026, 1, 10)}]


def test_a_hand_off_at_noon_gives_the_shared_day_to_the_task_that_finishes_on_it(make_workspace):
    # Ed works A until Wednesday noon, then B from 13:00 (as Project schedules one task after another): ppm books whole
    # days, so Wednesday is A's, and B starts on Thursday; both at Units 1, never two tasks on one day.
    a = assign(1, 1, work="PT20H0M0S", start="2026-01-05", finish="2026-01-07") | {"Finish": "2026-01-07T12:00:00", "Units": 1}
    b = assign(2, 1, work="PT20H0M0S", start="2026-01-07", finish="2026-01-09") | {"Start": "2026-01-07T13:00:00", "Units": 1}
    same_day = assign(3, 1, work="PT4H0M0S", start="2026-01-12", finish="2026-01-12") | {"Start": "2026-01-12T13:00:00"}  # one afternoon stays its day
    tasks = [ROW, task(1, "A", finish="2026-01-07"), task(2, "B", start="2026-01-07", finish="2026-01-09"), task(3, "C", start="2026-01-12", finish="2026-01-12")]
    root, code, out, err = run_import(make_workspace, mspdi(tasks, [person(1, "Ed")], [a, b, same_day]))
    assert code == 0, err
    assert read(root, "projects/website-relaunch.yaml")["team"] == [
        {"person": "ed", "fte": 0.83, "from": date(2026, 1, 5), "to": date(2026, 1, 7)},  # 20 h over 3 days
        {"person": "ed", "fte": 1, "from": date(2026, 1, 8), "to": date(2026, 1, 9)},  # 20 h, at most its units over 2 days
        {"person": "ed", "fte": 0.5, "from": date(2026, 1, 12), "to": date(2026, 1, 12)},
    ]


# ---------------------------------------------------------------- hostile input

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<Project xmlns="http://schemas.microsoft.com/project"><Title>&lol4;</Title><Tasks/></Project>"""
EXTERNAL = """<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project xmlns="http://schemas.microsoft.com/project"><Title>&x;</Title><Tasks/></Project>"""
REMOTE_DTD = """<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://127.0.0.1:9/evil.dtd"><Project><Tasks/></Project>"""


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (BILLION_LAUGHS, "DTD"),
        (EXTERNAL, "DTD"),
        (REMOTE_DTD, "DTD"),
        ("<html><body>hi</body></html>", "not a Microsoft Project XML file"),
        ('<Project xmlns="http://schemas.microsoft.com/project"><Title>no tasks</Title></Project>', "not a Microsoft Project XML file"),
        ("<Project><Tasks>", "not well-formed"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary"),
        ("", "not well-formed"),
    ],
)
def test_hostile_files_are_one_line_and_exit_2(make_workspace, document, words):
    root, code, out, err = run_import(make_workspace, document)
    assert code == 2
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert not list((root / "projects").glob("*")) if (root / "projects").exists() else True


def test_a_start_written_but_not_a_date_is_named_and_utf16_without_its_mark_is_read(make_workspace):
    plan = '<Project xmlns="http://schemas.microsoft.com/project"><StartDate>0000-00-00T00:00:00</StartDate><Tasks><Task><UID>0</UID><Name>P</Name><OutlineLevel>0</OutlineLevel>{}</Task></Tasks></Project>'
    _, code, _, err = run_import(make_workspace, plan.format("<Start>tomorrow</Start>"))
    assert (code, err) == (2, "ppm: error: plan.xml gives no usable start date for the project: Start 'tomorrow' is not a date; nothing imported\n")
    _, code, _, err = run_import(make_workspace, plan.format(""))
    assert (code, err) == (2, "ppm: error: plan.xml gives no usable start date for the project: StartDate '0000-00-00T00:00:00' is not a date; nothing imported\n")
    # UTF-16 without its byte order mark was "a binary file": the XML reader takes it, as it takes it with one.
    for encoding in ("utf-16-le", "utf-16-be"):
        root, code, out, err = run_import(make_workspace, mspdi([ROW, task(1, "Work")]).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(encoding))
        assert code == 0 and "wrote projects/website-relaunch" in out, err


def test_a_file_of_more_tags_than_a_plan_holds_is_refused_before_it_is_parsed(make_workspace, monkeypatch):
    # 62 million empty elements took 113 s and 5.6 GB; the bound is counted in the bytes, before anything is built.
    import ppmcli.load.mspdi as mspdi

    monkeypatch.setattr(mspdi, "MAX_TAGS", 1000)
    dense = '<Project xmlns="http://schemas.microsoft.com/project"><Tasks/><Junk>' + "<a/>" * 1000 + "</Junk></Project>"
    with pytest.raises(mspdi.PpmError, match=r"holds 1,005 XML tags, above the 1,000 ppm reads"):
        mspdi.parse_mspdi(dense.encode(), "dense.xml")
    assert mspdi.parse_mspdi(dense.replace("<a/>" * 1000, "<a/>" * 990).encode(), "ok.xml") is not None


def test_a_file_ppm_could_not_read_back_is_not_written(make_workspace):
    row = {**ROW, "Name": "N" * 5_000_000}
    root, code, out, err = run_import(make_workspace, mspdi([row]), "--id", "huge")
    assert (code, out) == (2, "") and "above the 4 MiB limit for a workspace file" in err and err.count("\n") == 1
    assert not (root / "projects" / "huge.yaml").exists()


def test_huge_numbers_are_left_out_not_written(make_workspace):
    document = mspdi([{**ROW, "Cost": "1e400", "PercentComplete": "9" * 400}, task(1, "Work")], [person(1, "Big", MaxUnits="5000", StandardRate="1e300")])
    root, code, out, err = run_import(make_workspace, document)
    assert code == 0, out + err
    assert read(root, "projects/website-relaunch.yaml")["budget"] == 0
    assert "capacity" not in read(root, "people/big.yaml")
    assert "not a usable number" in out and "outside 0..1000" in out


PAYLOADS = ["x\nbudget: 0", "*alias", "&anchor x", "!!python/object/apply:os.system ['id']", "{a: b}", "- item", "# comment", "[link](http://evil)", "<script>", "yes", "'; rm -rf /", "[31mred\x7f", "a\u2028b", "null", "1e3"]


def test_names_with_yaml_payloads_read_back_as_written(make_workspace):
    tasks = [{**ROW, "Name": "x&#10;budget: 0"}] + [task(i, p.replace("&", "&amp;").replace("<", "&lt;"), Milestone=1) for i, p in enumerate(PAYLOADS, start=1)]
    resources = [person(i, p.replace("&", "&amp;").replace("<", "&lt;")) for i, p in enumerate(PAYLOADS, start=1)]
    root, code, out, err = run_import(make_workspace, mspdi(tasks, resources), "--id", "payload")
    assert code == 0, out + err
    project = read(root, "projects/payload.yaml")
    assert project["name"] == "x\nbudget: 0" and project["budget"] == 123456.78
    assert [m["name"] for m in project["milestones"]] == PAYLOADS
    assert "\x7f" not in out and "red\\x7f" in out


@given(st.text())
def test_quoted_strings_read_back_unchanged(text):
    text = text.replace("\r", "")  # XML and YAML both fold CR; the writer never receives one alone from a parsed name
    assert yaml.safe_load(f"k: {quote(text)}") == {"k": text}


@given(st.dictionaries(st.text(min_size=1), st.one_of(st.text(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False))))
def test_dump_reads_back(fields):
    fields = {k.replace("\r", ""): (v.replace("\r", "") if isinstance(v, str) else v) for k, v in fields.items()}
    assert yaml.safe_load(dump({"scores": fields})) == {"scores": fields}


def test_the_readme_walk_through_is_what_the_example_gives(tmp_path):
    from tests.conftest import REPO

    root = tmp_path / "demo"
    assert run_ppm("init", root)[0] == 0
    code, out, err = run_ppm("-C", root, "--as-of", "2026-11-30", "import", "mspdi", REPO / "examples/msproject/office-move.xml", "--score", "financial_value=2", "--score", "urgency=4", "--score", "risk=2")
    assert code == 0, err
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    walk = readme.split("## Moving from Microsoft Project", 1)[1].split("```console\n", 1)[1].split("```", 1)[0]
    assert out in walk
    for rel in ("projects/office-move-lyon.yaml", "people/jose-nunez.yaml"):
        assert f"$ cat {rel}\n{(root / rel).read_text(encoding='utf-8')}" in walk


def test_a_fifo_is_refused_not_waited_on(make_workspace, tmp_path):
    import os

    root = make_workspace(WORKSPACE)
    fifo = tmp_path / "plan.xml"
    os.mkfifo(fifo)
    for command in ("mspdi", "csv"):
        code, out, err = run_ppm("-C", root, "import", command, fifo)
        assert code == 2 and err == f"ppm: error: '{fifo}' is not a regular file\n"


def test_a_percent_outside_0_to_100_and_another_currency_are_said(make_workspace):
    document = mspdi([ROW | {"PercentComplete": 150}], header={"CurrencyCode": "GBP"})
    root, code, out, err = run_import(make_workspace, document)
    assert code == 0, err
    assert "not mapped: percent complete 150 is outside 0..100; taken as 100\n" in out
    assert "not mapped: the file's amounts are in GBP, written unconverted: the workspace counts in USD\n" in out
    project = read(root, "projects/website-relaunch.yaml")
    assert (project["phase"], project["status"][0]["percent_complete"]) == ("closed", 100)


def test_an_assignment_at_0_units_carries_no_allocation(make_workspace):
    document = mspdi([ROW, task(1, "A")], [person(1, "Ed")], [assign(1, 1) | {"Units": 0}])
    root, code, out, err = run_import(make_workspace, document)
    assert code == 0, err
    assert "not mapped: 1 assignment at 0 units or fewer (none of the person's time) carries no allocation\n" in out
    assert "team" not in read(root, "projects/website-relaunch.yaml")


@pytest.mark.parametrize(("symbol", "said"), [("£", True), ("$", False)])
def test_a_currency_named_by_its_symbol_only_is_said_unless_it_is_the_workspace_dollar(make_workspace, symbol, said):
    root, code, out, err = run_import(make_workspace, mspdi([ROW], header={"CurrencySymbol": symbol}))
    assert code == 0, err
    assert ("not mapped: the file's amounts are in '£' (its currency symbol), written unconverted: the workspace counts in USD\n" in out) is said
    assert ("currency" in out) is said


def test_an_id_that_differs_from_a_project_only_in_case_is_refused(make_workspace):
    files = {"projects/website-relaunch.yaml": "name: Old\nportfolio: main\nmanager: pat\nphase: closed\nstart: 2025-01-01\nend: 2025-02-01\nbudget: 1\n"}
    root, code, out, err = run_import(make_workspace, mspdi([ROW]), "--id", "Website-Relaunch", files=files)
    assert (code, out) == (2, "") and err == "ppm: error: --id 'Website-Relaunch' differs from the project 'website-relaunch' only in case: macOS and Windows take the two for one file; choose another id\n"


def test_the_ids_an_import_makes_up_never_differ_from_a_file_s_only_in_case(make_workspace):
    files = {
        "people/Ed.yaml": "name: Edward\nrole: engineer\n",
        "projects/Website-Relaunch.yaml": "name: Old\nportfolio: main\nmanager: pat\nphase: closed\nstart: 2025-01-01\nend: 2025-02-01\nbudget: 1\n",
    }
    root, code, out, err = run_import(make_workspace, mspdi([ROW, task(1, "Work")], [person(1, "Ed")], [assign(1, 1)]), files=files)
    assert code == 0, out + err
    assert "wrote people/ed-2.yaml\n" in out and "wrote projects/website-relaunch-2.yaml\n" in out


def test_an_import_without_the_default_models_scores_says_which_to_add(make_workspace):
    root = make_workspace(WORKSPACE)
    path = root.parent / "plan.xml"
    path.write_text(mspdi([ROW]), encoding="utf-8")
    code, out, err = run_ppm("-C", root, "--as-of", "2026-01-20", "import", "mspdi", path, "--score", "urgency=3")
    note = "not mapped: scores: Microsoft Project holds none; add financial_value, risk (the inputs of the default scoring model 'value') to the file's scores, or give them with --score NAME=VALUE when importing\n"
    assert code == 1 and note in out and "[unscored]" in err
    assert "scores:" not in run_import(make_workspace, mspdi([ROW]))[2]  # all given (SCORES)


def test_a_blank_name_is_passed_over_for_the_next_one(make_workspace):
    # A project row and title of spaces (or a file named ' .xml') wrote a project whose name is blank: invalid.
    root, code, out, err = run_import(make_workspace, mspdi([{**ROW, "Name": "   "}], header={"Title": "\u200b"}))
    assert code == 0, out + err
    assert read(root, "projects/plan.yaml")["name"] == "plan"


def test_a_misspelt_portfolio_program_or_manager_names_the_one_meant(make_workspace):
    # Each said only "is not a valid … of this workspace", where the analysis commands name the closest id.
    for args, said in (
        (("--portfolio", "mian"), "ppm: error: --portfolio: no portfolio 'mian'; did you mean 'main'?\n"),
        (("--portfolio", "main", "--manager", "pta"), "ppm: error: --manager: no person 'pta'; did you mean 'pat'?\n"),
    ):
        root, code, out, err = run_import(make_workspace, mspdi([ROW, task(1, "Work")]), *args)
        assert (code, err) == (2, said)


@given(st.lists(st.tuples(st.integers(1, 5), st.booleans()), max_size=30))
def test_the_outline_spans_are_the_tasks_each_summary_has_below_it(rows):
    # A summary's span was the set of UIDs below it, made for every summary: 9 GB for 20,000 tasks each one level deeper.
    from ppmcli.load.mspdi import Task, _below

    tasks = [(Task(uid, f"t{uid}", level, summary, False, None, None, 0.0, 0.0, None), summary) for uid, (level, summary) in enumerate(rows, start=1)]
    outline = _below(tasks)
    for index, (task, summary) in enumerate(tasks):
        below = set()
        if summary:  # the definition: every task after it until one at its level or above
            for other, _ in tasks[index + 1 :]:
                if other.outline_level <= task.outline_level:
                    break
                below.add(other.uid)
        _, place, end = outline.tasks[task.uid]
        assert place == index and {tasks[i][0].uid for i in range(place + 1, end)} == below


def test_resources_of_one_name_are_named_in_a_number_of_lookups_that_grows_with_them():
    # 2,000 resources named Alice asked whether alice-2 … alice-n exist, each time from alice-2: 2 million lookups, 100 s.
    from ppmcli.load.mspdi import unique_id

    taken: set[str] = set()
    asked = []

    def is_taken(candidate: str) -> bool:
        asked.append(candidate)
        return candidate in taken

    tried: dict[str, int] = {}
    for _ in range(2000):
        taken.add(unique_id("alice", is_taken, tried))
    assert len(taken) == 2000 and "alice-2000" in taken and len(asked) < 2 * 2000


def test_an_over_booked_assignment_is_written_at_capacity_and_dropped_work_is_said(make_workspace):
    # 16 h on one day without units wrote fte 2: an error of ppm check (an fte meant as a percentage) at every --as-of.
    tasks = [ROW, task(1, "Crunch", start="2026-01-05", finish="2026-01-05"), task(2, "Idle"), task(3, "Build", start="2026-01-12", finish="2026-01-16")]
    resources = [person(1, "Bo"), person(2, "P" * 5000)]
    over = {**assign(3, 2, work="PT60H0M0S", start="2026-01-12", finish="2026-01-16"), "Units": "1"}
    assignments = [assign(1, 1, start="2026-01-05", finish="2026-01-05"), assign(2, 1, work="PT0H0M0S"), over]
    root, code, out, err = run_import(make_workspace, mspdi(tasks, resources, assignments))
    assert code == 0, out + err
    team = read(root, "projects/website-relaunch.yaml")["team"]
    assert [(t["person"], t["fte"]) for t in team] == [("bo", 1), ("p" * 60, 1)]
    assert "not mapped: 1 assignment above the person's capacity (up to 2 FTE on one: the file over-books them) is written at that capacity (at least 1)" in out
    assert "not mapped: 1 assignment holds more work than its units allow on ppm.yaml's working days of its span; 20 h in all left out" in out
    assert "not mapped: 1 assignment without work (0 h or less) or dates carries no allocation" in out
    # A resource's name is quoted cut, as every value a message quotes (a 5,000-character name made a 5,061-character line).
    assert max(map(len, out.splitlines())) < 300
