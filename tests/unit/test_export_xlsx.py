"""ppm export xlsx: the workbook read back with openpyxl has the sheets, typed cells and the very values of the JSON outputs."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from ppmcli.load.parallel import can_fork
from tests.conftest import ACME, run_ppm

AS_OF = ("--as-of", "2026-11-25")
BUDGET = ("--budget", "5000000")


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "portfolio.xlsx"
    code, out, err = run_ppm("-C", ACME, *AS_OF, "export", "xlsx", "-o", path, *BUDGET)
    assert code == 0 and err == f"wrote {path}\n"
    return openpyxl.load_workbook(path)


def records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def as_json(*args: str):
    code, out, _ = run_ppm("-C", ACME, *AS_OF, *args, "--format", "json")
    assert code in (0, 1)
    return json.loads(out)


def day(text: str | None) -> datetime | None:
    return None if text is None else datetime.combine(date.fromisoformat(text), datetime.min.time())


def test_sheets_headers_frozen_and_filtered(book):
    assert book.sheetnames == ["Projects", "Ranking", "Plan", "Capacity", "Conflicts", "Report"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["A"].width > 4


def test_ranking_equals_prioritize_json(book):
    expected = as_json("prioritize", *BUDGET)
    got = records(book["Ranking"])
    assert [(r["Rank"], r["Project"], r["Score"], r["Cost"], r["Selected"], r["Why"]) for r in got] == [
        (e["rank"], e["id"], e["score"], e["cost"], e["selected"], e["reason"]) for e in expected
    ]
    assert book["Ranking"]["E2"].number_format == "#,##0.00"


def _proposal(budget: int, value: int) -> str:
    return f"""\
        name: P
        portfolio: main
        manager: ann
        phase: proposed
        start: 2027-01-04
        end: 2027-06-30
        budget: {budget}
        scores: {{financial_value: {value}, urgency: 1, risk: 5}}
        """


def test_the_plan_sheet_is_made_by_the_method_asked_for(make_workspace, tmp_path):
    # Under 10, greedy takes the best-ranked `big` (6) and nothing else fits; optimal takes `b` and `c` (5 + 5).
    root = make_workspace({
        "portfolios/main.yaml": "name: Main\nowner: ann\n",
        "people/ann.yaml": "name: Ann\nrole: pm\n",
        "projects/big.yaml": _proposal(6, 5),
        "projects/b.yaml": _proposal(5, 4),
        "projects/c.yaml": _proposal(5, 4),
    })
    chosen = {}
    for method in ("greedy", "optimal"):
        path = tmp_path / f"{method}.xlsx"
        code, _, err = run_ppm("-C", root, *AS_OF, "export", "xlsx", "-o", path, "--budget", "10", "--method", method)
        assert code == 0, err
        chosen[method] = sorted(r["Project"] for r in records(openpyxl.load_workbook(path)["Plan"]) if r["Selected"])
    assert chosen == {"greedy": ["big"], "optimal": ["b", "c"]}


def test_plan_equals_plan_json(book):
    expected = as_json("plan", *BUDGET, "--method", "greedy")["projects"]
    got = records(book["Plan"])
    keys = ["id", "state", "rank", "score", "value", "cost", "selected", "delay", "start", "end", "reason"]
    headers = ["Project", "State", "Rank", "Score", "Value", "Cost to go", "Selected", "Delay (months)", "Start", "End", "Why"]
    assert list(got[0]) == headers
    assert [[row[h] for h in headers] for row in got] == [[day(e[k]) if k in ("start", "end") else e[k] for k in keys] for e in expected]
    # acme's plan: six running projects kept, candidates in rank order, one left out with its reason.
    assert [row["State"] for row in got[:6]] == ["running"] * 6 and got[6]["Rank"] == 1
    assert any(row["Selected"] is False and row["Why"] for row in got)
    assert book["Plan"]["F2"].number_format == "#,##0.00"


def test_report_equals_report_json(book):
    expected = as_json("report")
    got = records(book["Report"])
    assert len(got) == len(expected["projects"]) + 1
    for row, project in zip(got, expected["projects"]):
        assert row["Project"] == project["id"] and row["Health"] == project["health"]
        assert row["Status date"] == day(project["status_date"])
        assert (row["BAC"], row["EV"], row["SPI"], row["CPI"], row["Late milestones"]) == (project["bac"], project["ev"], project["spi"], project["cpi"], project["late_milestones"])
    assert got[-1]["Project"] == "Total" and got[-1]["EAC"] == expected["total"]["eac"]
    # Percent complete is the JSON's points (45), shown as a percentage, not as money.
    sheet = book["Report"]
    column = next(cell.column for cell in sheet[1] if cell.value == "Percent complete")
    cells = [row[column - 1] for row in sheet.iter_rows(min_row=2) if row[column - 1].value is not None]
    assert cells and all(cell.number_format == '0.0"%"' for cell in cells)
    assert [cell.value for cell in cells] == [p["percent_complete"] for p in expected["projects"] if p["percent_complete"] is not None]


def test_capacity_is_the_heat_map_of_its_json_coloured_by_band(book):
    expected = as_json("capacity")
    sheet = book["Capacity"]
    header = [c.value for c in sheet[1]]
    periods = header[2:]
    assert periods == sorted({r["period"] for r in expected["roles"]})
    cells = {(row[0], row[1], period): value for row in sheet.iter_rows(min_row=2, values_only=True) for period, value in zip(periods, row[2:])}
    flat = {("role", r["role"], r["period"]): r["utilization"] for r in expected["roles"]} | {("person", r["person"], r["period"]): r["utilization"] for r in expected["people"]}
    assert cells == flat
    fills = {}
    for row in sheet.iter_rows(min_row=2, min_col=3):
        for cell in row:
            if cell.value is not None:
                band = "over" if round(cell.value, 4) > 1 else "healthy" if 0.5 <= cell.value < 0.9 else "other"
                fills.setdefault(band, set()).add(cell.fill.fgColor.rgb)
                assert cell.number_format == "0.00%"
    assert {rgb[-6:] for rgb in fills["over"]} == {"C00000"} and {rgb[-6:] for rgb in fills["healthy"]} == {"A9D08E"}


def test_a_role_without_supply_is_a_magenta_gap(make_workspace, tmp_path):
    root = make_workspace({
        "portfolios/main.yaml": "name: Main\nowner: pat\n",
        "people/pat.yaml": "name: Pat\nrole: pm\n",
        "projects/app.yaml": "name: App\nportfolio: main\nmanager: pat\nphase: execution\nstart: 2026-01-05\nend: 2026-03-31\nbudget: 100\nscores: {financial_value: 3, urgency: 3, risk: 3}\nteam:\n  - {role: qa, fte: 1}\n",
    })
    path = tmp_path / "gap.xlsx"
    assert run_ppm("-C", root, "--as-of", "2026-01-10", "export", "xlsx", "-o", path)[0] == 0
    sheet = openpyxl.load_workbook(path)["Capacity"]
    qa = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "qa")
    assert qa[2].value is None and qa[2].fill.fgColor.rgb.endswith("7030A0")
    assert qa[5].fill.fgColor.rgb in (None, "00000000")  # April: no demand, no colour


def test_conflicts_equal_their_json(book):
    conflicts = as_json("conflicts")
    assert [(r["Person"], r["From"], r["To"], r["Peak FTE"], r["Days"], r["Projects"]) for r in records(book["Conflicts"])] == [
        (c["person"], day(c["from"]), day(c["to"]), c["peak"], c["days"], ", ".join(c["projects"])) for c in conflicts
    ]


def test_projects_are_typed(book):
    rows = records(book["Projects"])
    first = rows[0]
    assert isinstance(first["start"], datetime) and isinstance(first["budget"], (int, float)) and isinstance(first["name"], str)
    assert book["Projects"]["G2"].number_format == "yyyy-mm-dd"
    assert book["Projects"]["I2"].number_format == "#,##0.00"  # budget: money
    # A score input shows as written (reach 50000, confidence 0.5), not as money ("50,000.00", "0.50").
    header = [cell.value for cell in book["Projects"][1]]
    scores = [index + 1 for index, name in enumerate(header) if str(name).startswith("scores.")]
    assert scores and all(book["Projects"].cell(row=2, column=column).number_format == "General" for column in scores)


def test_same_input_same_bytes_and_strings_never_formulas(tmp_path):
    ws = tmp_path / "acme"
    shutil.copytree(ACME, ws)
    project = ws / "projects" / "supplier-portal.yaml"
    project.write_text(project.read_text().replace("name: Supplier self-billing portal", "name: '=HYPERLINK(\"http://evil\",\"x\")'"))
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run_ppm("-C", ws, *AS_OF, "export", "xlsx", "-o", first)[0] == 0
    assert run_ppm("-C", ws, *AS_OF, "export", "xlsx", "-o", second)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    sheet = openpyxl.load_workbook(first)["Projects"]
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "supplier-portal")
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil","x")'


def test_export_writes_nowhere_it_cannot(tmp_path: Path):
    code, _, err = run_ppm("-C", ACME, *AS_OF, "export", "xlsx", "-o", tmp_path / "missing" / "x.xlsx")
    assert code == 2 and err.startswith("ppm: error: cannot write")


def test_dash_is_standard_output_not_a_file_named_dash(tmp_path: Path):
    import subprocess
    import sys

    written = tmp_path / "x.xlsx"
    assert run_ppm("-C", ACME, *AS_OF, "export", "xlsx", "-o", written)[0] == 0
    result = subprocess.run([sys.executable, "-m", "ppmcli", "-C", str(ACME), *AS_OF, "export", "xlsx", "-o", "-"], capture_output=True, cwd=tmp_path, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, written.read_bytes(), b"")
    assert not (tmp_path / "-").exists()
    # A text output goes to standard output the same way.
    code, out, err = run_ppm("-C", ACME, *AS_OF, "export", "csv", "-o", "-")
    assert code == 0 and out.startswith("id,name,") and err.startswith("ppm: note: the table has the columns")


def test_the_collector_is_on_again_after_an_export_written_or_refused(tmp_path: Path):
    import gc

    assert run_ppm("-C", ACME, *AS_OF, "export", "xlsx", "-o", tmp_path / "x.xlsx")[0] == 0 and gc.isenabled()
    assert run_ppm("-C", ACME, *AS_OF, "export", "xlsx", "-o", tmp_path / "missing" / "x.xlsx")[0] == 2 and gc.isenabled()


@pytest.mark.skipif(not can_fork(), reason="needs fork and two cores")
def test_the_parts_made_on_two_cores_give_the_same_bytes(tmp_path: Path, monkeypatch):
    from conftest import forks_counted

    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    monkeypatch.setenv("PPM_PROCESSES", "1")
    assert run_ppm("-C", ACME, *AS_OF, "--no-cache", "export", "xlsx", "-o", one, *BUDGET)[0] == 0
    monkeypatch.delenv("PPM_PROCESSES")
    forks = forks_counted(monkeypatch, parallel_from=0)
    assert run_ppm("-C", ACME, *AS_OF, "--no-cache", "export", "xlsx", "-o", two, *BUDGET)[0] == 0
    assert len(forks) == 2  # the parse, then the workbook's parts
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize(
    "args",
    [("export", "csv", "-o", "ppm.yaml"), ("report", "-o", "ppm.yaml"), ("export", "xlsx", "-o", "projects/mobile/customer-mobile-app.yaml"),
     ("report", "--format", "html", "-o", "people/new.yaml"), ("report", "-o", "projects/../ppm.yaml")],
)
def test_an_output_never_replaces_a_file_of_the_workspace(tmp_path, monkeypatch, args):
    # `export csv -o ppm.yaml` wrote the table over the workspace's settings, exit 0.
    import shutil

    ws = tmp_path / "acme"
    shutil.copytree(ACME, ws)
    before = {path: path.read_bytes() for path in ws.rglob("*.yaml")}
    monkeypatch.chdir(ws)
    code, _, err = run_ppm(*AS_OF, *args)
    assert code == 2 and "would write a file ppm reads as part of the workspace" in err
    assert {path: path.read_bytes() for path in ws.rglob("*.yaml")} == before


def test_an_output_never_replaces_a_file_the_workspace_reads_through_a_link(tmp_path, monkeypatch):
    # The loader reads projects/x.yaml -> ../store/x.yaml and people -> data/people: the guard followed the links first
    # and let the CSV over the project and the person.
    import shutil

    ws = tmp_path / "acme"
    shutil.copytree(ACME, ws)
    (ws / "store").mkdir()
    (ws / "projects" / "invoice-ocr.yaml").rename(ws / "store" / "invoice-ocr.yaml")
    (ws / "projects" / "invoice-ocr.yaml").symlink_to("../store/invoice-ocr.yaml")
    (ws / "data").mkdir()
    (ws / "people").rename(ws / "data" / "people")
    (ws / "people").symlink_to("data/people")
    before = {path: path.read_bytes() for path in ws.rglob("*.yaml")}
    monkeypatch.chdir(ws)
    for target in ("projects/invoice-ocr.yaml", "people/engineering/alice.yaml"):
        code, _, err = run_ppm(*AS_OF, "export", "csv", "-o", target)
        assert code == 2 and "would write a file ppm reads as part of the workspace" in err
    assert {path: path.read_bytes() for path in ws.rglob("*.yaml")} == before
    code, _, _ = run_ppm(*AS_OF, "export", "csv", "-o", "store/elsewhere.csv")  # outside every kind's folder: written
    assert code == 0 and (ws / "store" / "elsewhere.csv").is_file()

