"""ppm import csv: findings at FILE:ROW:COL with ppm check's codes, all or nothing, and the round trip with ppm export csv."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from ppmcli.load.table import unguard
from tests.conftest import ACME, run_ppm

WORKSPACE = {
    "portfolios/main.yaml": "name: Main\nowner: pat\n",
    "people/pat.yaml": "name: Pat\nrole: pm\n",
}
HEADER = "id,name,portfolio,manager,phase,start,end,budget,tags,scores.financial_value,scores.urgency,scores.risk\n"
GOOD = "alpha,Alpha,main,pat,planning,2026-01-05,2026-06-30,\"1,200\",web; mobile,4,3,2\n"


def run_csv(make_workspace, text: str, files: dict | None = None) -> tuple[Path, int, str, str]:
    root = make_workspace({**WORKSPACE, **(files or {})})
    table = root / "table.csv"
    table.write_text(text, encoding="utf-8")
    code, out, err = run_ppm("-C", root, "--as-of", "2026-01-20", "import", "csv", table)
    return root, code, out.replace(str(table), "table.csv"), err


def test_a_valid_table_writes_one_file_per_row(make_workspace):
    root, code, out, err = run_csv(make_workspace, HEADER + GOOD + "beta,'=1+2,main,pat,proposed,2026-02-01,2026-03-01,500,,1,1,1\n\n")
    assert code == 0, out + err
    assert out == "wrote projects/alpha.yaml\nwrote projects/beta.yaml\n"
    alpha = yaml.safe_load((root / "projects/alpha.yaml").read_text())
    assert alpha["budget"] == 1200 and alpha["tags"] == ["web", "mobile"] and alpha["scores"] == {"financial_value": 4, "urgency": 3, "risk": 2}
    # The formula guard of ppm's CSV output is taken off again.
    assert yaml.safe_load((root / "projects/beta.yaml").read_text())["name"] == "=1+2"
    assert run_ppm("-C", root, "--as-of", "2026-01-20", "check")[0] == 0


def test_every_bad_cell_is_a_finding_at_its_row_and_column_and_nothing_is_written(make_workspace):
    rows = [
        GOOD,
        "alpha,Alpha again,main,pat,planing,2026-13-05,2026-06-30,abc,,4,3,2\n",
        "gamma,Gamma,mian,patt,planning,2026-02-01,2026-03-01,100,,4,3,2\n",
        "delta,Delta,main,pat,planning,2026-02-01,2026-01-01,1,,4,3,2\n",
        "zeta,Zeta,main,pat,planning,2026-02-01,2026-01-01,-5,,4,3,2\n",  # both: a bad cell hides not the end before the start
        "epsilon,Epsilon,main,pat,planning,2026-02-01,2026-03-01,1e16,,4,3,2\n",
        ",No id,main,pat,planning,2026-02-01,2026-03-01,1,,4,3,2\n",
        "../evil,Evil,main,pat,planning,2026-02-01,2026-03-01,1,,4,3,2\n",
        "old,Old,main,pat,planning,2026-02-01,2026-03-01,1,,4,3,2\n",
    ]
    files = {"projects/old.yaml": "name: Old\nportfolio: main\nmanager: pat\nphase: closed\nstart: 2025-01-01\nend: 2025-01-02\nbudget: 1\n"}
    root, code, out, err = run_csv(make_workspace, HEADER.replace("\n", ",colr\n") + "".join(rows), files)
    assert code == 1
    assert out == (
        "table.csv:1:13: error: unknown column 'colr' [unknown-field]\n"
        "table.csv:3:1: error: project 'alpha' is on an earlier row already [duplicate-id]\n"
        "table.csv:3:5: error: 'phase' must be one of proposed, initiation, planning, execution, monitoring, closed, cancelled; found 'planing'; did you mean 'planning'? [invalid-value]\n"
        "table.csv:3:6: error: 'start' has an impossible date '2026-13-05' [invalid-value]\n"
        "table.csv:3:8: error: 'budget' should be a number, found 'abc' [invalid-value]\n"
        "table.csv:4:3: error: portfolio 'mian' is not defined; did you mean 'main'? [unknown-reference]\n"
        "table.csv:4:4: error: person 'patt' is not defined; did you mean 'pat'? [unknown-reference]\n"
        "table.csv:5:7: error: end 2026-01-01 is before start 2026-02-01 [invalid-value]\n"
        "table.csv:6:7: error: end 2026-01-01 is before start 2026-02-01 [invalid-value]\n"
        "table.csv:6:8: error: 'budget' must be at least 0, found -5 [invalid-value]\n"
        "table.csv:7:8: error: 'budget' is 1e+16, above the limit of 10^15 [invalid-value]\n"
        "table.csv:8:1: error: missing required field 'id' [missing-field]\n"
        "table.csv:9:1: error: id '../evil' cannot name a file: no '/', '\\', spaces or control characters, not starting with '.', at most 100 characters and 200 bytes of UTF-8 [invalid-value]\n"
        "table.csv:10:1: error: project 'old' already exists; an import never overwrites a file [duplicate-id]\n"
    )
    assert "nothing written" in err
    assert sorted(p.name for p in (root / "projects").iterdir()) == ["old.yaml"]


def test_an_empty_required_cell_is_found_at_its_column_and_a_cell_beyond_the_header_is_a_finding(make_workspace):
    # Row 4 has neither portfolio nor program: the finding points at the empty portfolio cell (column 3), not at the id.
    # A cell under the unknown column 'colr' (13) is said once, in the header; only the cell beyond it (14) is a stray.
    rows = "gamma,Gamma,main,,planning,2026-02-01,2026-03-01,100,,4,3,2\n" + GOOD.replace("\n", ",x,stray\n") + "delta,Delta,,pat,planning,2026-02-01,2026-03-01,100,,4,3,2\n"
    _, code, out, _ = run_csv(make_workspace, HEADER.replace("\n", ",colr\n") + rows)
    assert code == 1
    assert out == (
        "table.csv:1:13: error: unknown column 'colr' [unknown-field]\n"
        "table.csv:2:4: error: missing required field 'manager' [missing-field]\n"
        "table.csv:3:14: error: a cell beyond the header's last column (13); give it a column name or remove it [unknown-field]\n"
        "table.csv:4:3: error: project needs a 'portfolio' (or a 'program' to take it from) [missing-field]\n"
    )


def test_a_row_with_bad_cells_still_has_its_references_and_scores_checked_in_the_same_run(make_workspace):
    row = "gamma,Gamma,mian,patt,planning,2026-02-30,2026-03-01,-5,,9,3\n"
    _, code, out, _ = run_csv(make_workspace, HEADER.replace(",scores.risk", "") + row)
    assert code == 1
    assert out == (
        "table.csv:2:3: error: portfolio 'mian' is not defined; did you mean 'main'? [unknown-reference]\n"
        "table.csv:2:4: error: person 'patt' is not defined; did you mean 'pat'? [unknown-reference]\n"
        "table.csv:2:6: error: 'start' has an impossible date '2026-02-30' [invalid-value]\n"
        "table.csv:2:8: error: 'budget' must be at least 0, found -5 [invalid-value]\n"
        "table.csv:2:10: error: score 'financial_value' is 9, outside its scale [1, 5] [invalid-value]\n"
        "table.csv:2:11: error: missing 'risk' for scoring model 'value' [unscored]\n"
    )


def test_a_row_whose_id_is_taken_has_its_other_cells_checked_too_and_a_bad_phase_does_not_ask_for_scores(make_workspace):
    rows = "gamma,Gamma,mian,pat,planing,2026-02-01,2026-03-01,100,,4,3,2\ngamma,Gamma,main,patt,planning,2026-02-01,2026-03-01,abc,,4,3,2\n"
    _, code, out, _ = run_csv(make_workspace, HEADER + rows)
    assert code == 1 and "table.csv:2:3: error: portfolio 'mian' is not defined" in out
    assert "table.csv:3:1: error: project 'gamma' is on an earlier row already [duplicate-id]" in out
    assert "table.csv:3:4: error: person 'patt' is not defined; did you mean 'pat'? [unknown-reference]" in out
    # A valid row whose id a project holds: its references and scores are checked all the same.
    files = {"projects/old.yaml": "name: Old\nportfolio: main\nmanager: pat\nphase: closed\nstart: 2025-01-01\nend: 2025-01-02\nbudget: 1\n"}
    _, code, out, _ = run_csv(make_workspace, HEADER + "old,Old,mian,nobody,planning,2026-02-01,2026-03-01,100,,4,3,9\n", files)
    assert code == 1 and out == (
        "table.csv:2:1: error: project 'old' already exists; an import never overwrites a file [duplicate-id]\n"
        "table.csv:2:3: error: portfolio 'mian' is not defined; did you mean 'main'? [unknown-reference]\n"
        "table.csv:2:4: error: person 'nobody' is not defined [unknown-reference]\n"
        "table.csv:2:12: error: score 'risk' is 9, outside its scale [1, 5] [invalid-value]\n"
    )
    # A closed project needs no scores; misspelt, its phase is unknown, so no `unscored` is said of it. A score outside
    # its scale is a bad cell whatever the phase: it is found in the same run (it was hidden until the phase was mended).
    _, code, out, _ = run_csv(make_workspace, HEADER.replace(",scores.urgency,scores.risk", "") + "delta,Delta,main,pat,closd,2026-02-01,2026-03-01,1,,9\n")
    assert code == 1 and "[unscored]" not in out and "'closd'" in out
    assert "table.csv:2:10: error: score 'financial_value' is 9, outside its scale [1, 5] [invalid-value]" in out


def test_a_missing_portfolio_in_a_table_without_that_column_is_found_at_the_program_cell(make_workspace):
    header = HEADER.replace("portfolio,", "program,")  # a program column, left empty, and no portfolio column
    _, code, out, _ = run_csv(make_workspace, header + "gamma,Gamma,,pat,planning,2026-02-01,2026-03-01,100,,4,3,2\n")
    assert code == 1 and out == "table.csv:2:3: error: project needs a 'portfolio' (or a 'program' to take it from) [missing-field]\n"


def test_a_comma_that_separates_no_thousands_is_not_a_number(make_workspace):
    # As on the command line (--budget 1,00): read as 100, it would write a budget the author did not mean.
    root, code, out, _ = run_csv(make_workspace, HEADER + 'gamma,Gamma,main,pat,planning,2026-02-01,2026-03-01,"1,00",,4,3,2\n')
    assert code == 1 and "table.csv:2:8: error: 'budget' should be a number, found '1,00'" in out
    assert not (root / "projects" / "gamma.yaml").exists()


def test_a_table_with_a_header_and_no_rows_says_so(make_workspace):
    root, code, out, err = run_csv(make_workspace, HEADER + "\n\n")
    assert (code, out) == (0, "") and err.endswith("has a header and no rows\n") and err.startswith("nothing written: ")


def test_a_table_without_an_id_column(make_workspace):
    root, code, out, err = run_csv(make_workspace, "name,budget\nA,1\n")
    assert code == 1 and out == "table.csv:1:1: error: the header has no 'id' column; each row needs the id of its project file [missing-field]\n"


def test_unguard_takes_off_only_the_formula_guard():
    assert unguard("'=SUM(A1)") == "=SUM(A1)" and unguard("'-5") == "-5" and unguard("'@x") == "@x"
    assert unguard("'quoted'") == "'quoted'" and unguard("'") == "'" and unguard("plain") == "plain"
    assert unguard("''=x") == "'=x" and unguard("'" * 3 + "@x") == "''@x" and unguard("''x") == "''x"


def test_round_trip_export_edit_import(tmp_path):
    ws = tmp_path / "acme"
    shutil.copytree(ACME, ws)
    code, exported, note = run_ppm("-C", ws, "export", "csv")
    assert code == 0 and exported.startswith("id,name,portfolio,program,manager,phase,start,end,budget,benefits,tags,scores.")
    # What the table cannot carry is said, not lost without a word.
    assert note == (
        "ppm: note: the table has the columns 'ppm import csv' reads; 16 projects also hold a mandatory flag, goals, dependencies, "
        "exclusions, a team, milestones, risks and status reports, which it leaves out\n"
    )
    # Edit in a spreadsheet: a budget changes; then import into the workspace without its project files.
    edited = exported.replace("AI support assistant,digital,web-experience,omar,proposed,2027-04-05,2027-09-30,500000,", "AI support assistant,digital,web-experience,omar,proposed,2027-04-05,2027-09-30,550000,")
    assert edited != exported
    shutil.rmtree(ws / "projects")
    (tmp_path / "projects.csv").write_text(edited, encoding="utf-8")
    code, out, err = run_ppm("-C", ws, "--as-of", "2026-11-25", "import", "csv", tmp_path / "projects.csv")
    assert code == 0, out + err
    assert run_ppm("-C", ws, "export", "csv")[1:] == (edited, "")
    assert yaml.safe_load((ws / "projects/ai-support-assistant.yaml").read_text())["budget"] == 550000


def test_an_export_keeps_every_figure_as_written(make_workspace):
    # Rounded to 2 decimals, 0.125 came back as 0.12 and 1234.567 as 1234.57: an import of the export changed the files.
    project = "name: P\nportfolio: main\nmanager: pat\nphase: planning\nstart: 2026-01-05\nend: 2026-06-30\nbudget: 1234.567\nscores: {financial_value: 0.125, urgency: -2, risk: 3}\n"
    root = make_workspace({**WORKSPACE, "projects/p.yaml": project})
    code, out, err = run_ppm("-C", root, "export", "csv")
    assert code == 0, err
    assert out.splitlines()[1] == "p,P,main,,pat,planning,2026-01-05,2026-06-30,1234.567,,,0.125,3,-2"


def test_binary_and_empty_tables(make_workspace):
    root, code, out, err = run_csv(make_workspace, "id,name\n\0\0")
    assert code == 1 and out == "table.csv:1:1: error: binary file (it contains NUL bytes), not a CSV table [unreadable-file]\n"
    root, code, out, err = run_csv(make_workspace, "")
    assert code == 1 and "no header row" in out


def test_a_linked_projects_folder_is_refused_and_nothing_is_written(make_workspace, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = make_workspace(WORKSPACE)
    (root / "projects").symlink_to(elsewhere, target_is_directory=True)
    table = root / "table.csv"
    table.write_text(HEADER + GOOD, encoding="utf-8")
    code, out, err = run_ppm("-C", root, "--as-of", "2026-01-20", "import", "csv", table)
    assert (code, out) == (2, "") and err.endswith("ppm: error: projects is a symbolic link; nothing was written\n")
    assert err.startswith("ppm: skipped 1 invalid file (projects)")  # the link out of the workspace, refused unread
    assert list(elsewhere.iterdir()) == []



def test_ids_that_differ_only_in_case_are_one_file_on_some_systems(make_workspace):
    rows = "A1,A,main,pat,planning,2026-02-01,2026-03-01,1,,4,3,2\na1,B,main,pat,planning,2026-02-01,2026-03-01,1,,4,3,2\nOLD,C,main,pat,planning,2026-02-01,2026-03-01,1,,4,3,2\n"
    files = {"projects/old.yaml": "name: Old\nportfolio: main\nmanager: pat\nphase: closed\nstart: 2025-01-01\nend: 2025-01-02\nbudget: 1\n"}
    root, code, out, err = run_csv(make_workspace, HEADER + rows, files)
    assert code == 1 and "nothing written" in err
    assert [line for line in out.splitlines() if "duplicate-id" in line] == [
        "table.csv:3:1: error: project 'a1' differs from 'A1' only in case: macOS and Windows take the two for one file [duplicate-id]",
        "table.csv:4:1: error: project 'OLD' differs from 'old' only in case: macOS and Windows take the two for one file [duplicate-id]",
    ]


def test_a_table_excel_saved_in_its_code_page_or_with_semicolons_says_how_to_save_it(make_workspace):
    root = make_workspace(WORKSPACE)
    latin = root.parent / "latin.csv"
    latin.write_bytes((HEADER + "cafe,Café,main,pat,planning,2026-02-01,2026-03-01,1,,4,3,2\n").encode("cp1252"))
    code, out, _ = run_ppm("-C", root, "import", "csv", latin)
    assert code == 1 and out == f"{latin}:1:1: error: not UTF-8 text (byte 0xe9 at offset 112); save it as CSV UTF-8 (Excel: File › Save As › CSV UTF-8) [unreadable-file]\n"
    semi = root.parent / "semi.csv"
    semi.write_text(HEADER.replace(",", ";") + "cafe;Cafe;main;pat;planning;2026-02-01;2026-03-01;1;;4;3;2\n")
    code, out, _ = run_ppm("-C", root, "import", "csv", semi)
    assert code == 1 and out == f"{semi}:1:1: error: the header's cells are separated by ';', not ',': save the table as CSV with commas (Excel: CSV UTF-8) [yaml-syntax]\n"
    tabs = root.parent / "tabs.csv"
    tabs.write_text(HEADER.replace(",", "\t"))
    assert run_ppm("-C", root, "import", "csv", tabs)[1] == f"{tabs}:1:1: error: the header's cells are separated by a tab, not ',': save the table as CSV with commas (Excel: CSV UTF-8) [yaml-syntax]\n"
    wide = root.parent / "wide.csv"
    wide.write_bytes(HEADER.encode("utf-16"))
    assert run_ppm("-C", root, "import", "csv", wide)[1] == f"{wide}:1:1: error: UTF-16 text, not UTF-8; save it as CSV UTF-8 (Excel: File › Save As › CSV UTF-8) [unreadable-file]\n"


def test_a_format_the_import_or_export_cannot_write_is_refused_not_ignored(make_workspace):
    root = make_workspace(WORKSPACE)
    table = root.parent / "t.csv"
    table.write_text(HEADER)
    for args, allowed in ((("import", "csv", str(table)), "text, plain"), (("export", "csv"), "csv"), (("export", "xlsx", "-o", str(root.parent / "x.xlsx")), "xlsx")):
        assert run_ppm("-C", root, "--format", "json", *args) == (2, "", f"ppm: error: --format 'json' is not available here; choose one of {allowed}\n")
    assert run_ppm("-C", root, "--format", "csv", "export", "csv")[0] == 0


def test_a_row_without_a_usable_id_has_its_other_cells_checked_too(make_workspace):
    rows = ",Kiosk,main,patt,planning,2026-05-04,2026-03-31,5,,4,3,2\nbad id,Kiosk,main,patt,planning,2026-05-04,2026-03-31,5,,4,3,2\n"
    root, code, out, err = run_csv(make_workspace, HEADER + rows)
    assert code == 1 and out.splitlines() == [
        "table.csv:2:1: error: missing required field 'id' [missing-field]",
        "table.csv:2:4: error: person 'patt' is not defined; did you mean 'pat'? [unknown-reference]",
        "table.csv:2:7: error: end 2026-03-31 is before start 2026-05-04 [invalid-value]",
        "table.csv:3:1: error: id 'bad id' cannot name a file: no '/', '\\', spaces or control characters, not starting with '.', at most 100 characters and 200 bytes of UTF-8 [invalid-value]",
        "table.csv:3:4: error: person 'patt' is not defined; did you mean 'pat'? [unknown-reference]",
        "table.csv:3:7: error: end 2026-03-31 is before start 2026-05-04 [invalid-value]",
    ]


@pytest.mark.parametrize(
    ("table", "finding"),
    [
        # Read leniently, the quote took every later line into one cell: only p1 was written, with p2 and p3 in its tags.
        (
            "id,name,portfolio,manager,phase,start,end,budget,tags\np1,One,main,pat,planning,2026-01-05,2026-06-30,1,\"capex\n"
            "p2,Two,main,pat,planning,2026-01-05,2026-06-30,2,opex\np3,Three,main,pat,planning,2026-01-05,2026-06-30,3,opex\n",
            "table.csv:2:9: error: the quote that opens this cell is never closed, so every line after it would read as this one cell: "
            'close it (a quote inside a quoted cell is written twice: "") [yaml-syntax]',
        ),
        # A form feed in an earlier cell is no line break to the csv reader (splitlines took it for one).
        (
            'id,name,portfolio\np1,"A\x0cB",main\np2,"open,main\n',
            "table.csv:3:2: error: the quote that opens this cell is never closed, so every line after it would read as this one cell: "
            'close it (a quote inside a quoted cell is written twice: "") [yaml-syntax]',
        ),
        (
            'id,name,portfolio\np1,"One\nline two",main\np2,"One" x,main\n',
            "table.csv:3:2: error: text follows the quote that closes this cell: quote the whole cell, writing each quote inside it twice "
            '("a ""b"" c"), or take the quotes off [yaml-syntax]',
        ),
    ],
)
def test_a_broken_quote_is_found_at_its_cell_and_nothing_is_written(make_workspace, table, finding):
    root, code, out, err = run_csv(make_workspace, table)
    assert (code, out) == (1, finding + "\n")
    assert not list((root / "projects").glob("p*.yaml")) and err.startswith("nothing written: 1 error in ")


def test_quotes_a_spreadsheet_writes_are_read_as_written(make_workspace):
    scores = ",4,3,2"
    table = (
        HEADER.replace(",tags", "")
        + f'p1,"One\nline two",main,pat,planning,2026-01-05,2026-06-30,1{scores}\np2,"Say ""hi""",main,pat,planning,2026-01-05,2026-06-30,1{scores}\n'
        + f"p3,a\"b,main,pat,planning,2026-01-05,2026-06-30,1{scores}\n"
    )
    root, code, out, err = run_csv(make_workspace, table)
    assert code == 0, out + err
    assert [yaml.safe_load((root / "projects" / f"{pid}.yaml").read_text())["name"] for pid in ("p1", "p2", "p3")] == ["One\nline two", 'Say "hi"', 'a"b']


def test_a_header_written_in_capitals_or_other_words_names_the_column_it_means(make_workspace):
    # 'ID' is too short for a spelling match: only the case differs. 'Cost' and 'owner' are other words for the fields.
    root, code, out, err = run_csv(make_workspace, "ID,Name,Cost,owner\n")
    assert out.splitlines()[1:] == [
        "table.csv:1:1: error: unknown column 'ID'; did you mean 'id'? [unknown-field]",
        "table.csv:1:2: error: unknown column 'Name'; did you mean 'name'? [unknown-field]",
        "table.csv:1:3: error: unknown column 'Cost'; did you mean 'budget'? [unknown-field]",
        "table.csv:1:4: error: unknown column 'owner'; did you mean 'manager'? [unknown-field]",
    ]


def test_a_name_that_differs_only_in_case_is_the_one_meant():
    from ppmcli.core.names import closest

    assert closest("ID", ["id", "name"]) == "id"
    assert closest("Alice", ["alice", "alicia"]) == "alice"
    assert closest("xyz", ["id"]) is None


def test_a_missing_portfolio_shows_with_the_row_s_other_bad_cells(make_workspace):
    # It showed only once the budget was there: a rule across fields waits for every field to validate.
    root, code, out, err = run_csv(make_workspace, "id,name,portfolio,manager,phase,start,end\np1,One,,pat,closed,2026-01-05,2026-02-27\n")
    assert out.splitlines()[:2] == [
        "table.csv:2:1: error: missing required field 'budget' [missing-field]",
        "table.csv:2:3: error: project needs a 'portfolio' (or a 'program' to take it from) [missing-field]",
    ]


def test_the_export_note_names_only_what_the_files_hold_not_what_they_write_empty(make_workspace):
    # `mandatory: false`, `team: []` and `depends_on: []` were "a mandatory flag, dependencies and a team".
    project = "name: P\nportfolio: main\nmanager: pat\nphase: planning\nstart: 2026-01-05\nend: 2026-06-30\nbudget: 1\nmandatory: false\nteam: []\ndepends_on: []\n"
    root = make_workspace({**WORKSPACE, "projects/p.yaml": project})
    assert run_ppm("-C", root, "export", "csv")[2] == ""
    root = make_workspace({**WORKSPACE, "projects/p.yaml": project.replace("team: []", "team: [{person: pat, fte: 0.5}]")})
    assert run_ppm("-C", root, "export", "csv")[2].endswith("1 project also holds a team, which it leaves out\n")


def test_excel_s_separator_hint_line_is_read_as_one_and_the_rows_keep_their_numbers(make_workspace):
    # "sep=," (Excel writes it when asked to name the separator) was an unknown column 'sep='.
    root, code, out, err = run_csv(make_workspace, "sep=,\n" + HEADER + GOOD + GOOD.replace("alpha,Alpha,main", "beta,Beta,mian"))
    assert out.splitlines()[0] == "table.csv:4:3: error: portfolio 'mian' is not defined; did you mean 'main'? [unknown-reference]"
    root, code, out, err = run_csv(make_workspace, "sep=,\n" + HEADER + GOOD)
    assert code == 0 and "wrote projects/alpha.yaml" in out, out + err
    # Another separator named there is said as a header written with it is.
    _, code, out, _ = run_csv(make_workspace, "sep=;\nid;name\n")
    assert out.startswith("table.csv:1:1: error: the header's cells are separated by ';', not ','")


def test_an_id_too_long_for_a_file_name_in_bytes_is_a_finding_not_an_internal_error(make_workspace):
    # 100 CJK characters pass the length in characters, but are 300 bytes: the file system refused the name (errno 36).
    ident = "日" * 100
    root, code, out, err = run_csv(make_workspace, HEADER + f"{ident},Kiosk,main,pat,planning,2026-05-04,2026-06-30,5,,4,3,2\n")
    assert code == 1 and "internal error" not in err and out.startswith(f"table.csv:2:1: error: id '{ident[:80]}' cannot name a file:")
    plan = Path(__file__).resolve().parents[2] / "examples" / "msproject" / "office-move.xml"
    code, out, err = run_ppm("-C", root, "import", "mspdi", str(plan), "--id", "日" * 70)  # 70 characters, 210 bytes
    assert code == 2 and err.startswith("ppm: error: --id '日日") and err.rstrip().endswith("at most 100 characters and 200 bytes of UTF-8")


@pytest.mark.parametrize(
    ("cells", "finding"),
    [
        # Python's date.fromisoformat took them (2027-01-04, 2027-03-31); a project file refuses both.
        ("20270104,2027-02-26,5", "table.csv:2:6: error: 'start' should be a date (YYYY-MM-DD), found '20270104' [invalid-value]"),
        ("2027-01-04,2027-W13-3,5", "table.csv:2:7: error: 'end' should be a date (YYYY-MM-DD), found '2027-W13-3' [invalid-value]"),
        ("２０２７-01-04,2027-02-26,5", "table.csv:2:6: error: 'start' should be a date (YYYY-MM-DD), found '２０２７-01-04' [invalid-value]"),
        # Digits of other scripts are numbers to Python, not to YAML; an amount too large for a float is said as written.
        ("2027-01-04,2027-02-26,١٢٣", "table.csv:2:8: error: 'budget' should be a number, found '١٢٣', which YAML reads as text; write 123 [invalid-value]"),
        ("2027-01-04,2027-02-26,1e400", "table.csv:2:8: error: 'budget' should be a number, found '1e400' [invalid-value]"),
    ],
)
def test_dates_and_numbers_are_read_as_a_project_file_reads_them(make_workspace, cells: str, finding: str):
    root, code, out, err = run_csv(make_workspace, HEADER + f"k1,Kiosk,main,pat,planning,{cells},,4,3,2\n")
    assert code == 1 and out.splitlines() == [finding]
