"""The report's per-project table: every project with its newest note; on a narrow terminal nothing is cut; CSV under the JSON's keys."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from conftest import ACME, run_ppm
from ppmcli.analysis.delivery.rollup import build_report
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource
from ppmcli.render.output import Output
from ppmcli.render.report import projects_table
from ppmcli.render.table import render

AS_OF = date(2026, 11, 25)
NOTE = "Cut-over blocked by ledger mismatches; decommissioning at risk"


@pytest.fixture(scope="module")
def report():
    ws, _ = load(FileSource(ACME))
    return build_report(ws, ws.projects, AS_OF)


@pytest.mark.parametrize("width", [80, 100, 200])
def test_fits_the_terminal_and_cuts_nothing(report, width: int) -> None:
    text = render(projects_table(report, "text"), Output("text", width=width))
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    assert "…" not in text
    words = set(text.split())
    # Wrapped at words, interleaved with the other columns: every word is whole. Projects go by id, as in the
    # report's other tables (by name alone, 'prj-00006' of Needs attention could not be found here).
    assert set(NOTE.split()) <= words and "data-warehouse-migration" in words and "2027-01-29" in words
    # The note is a key column: it wraps, never leaves; the name is free text too: with no room beside the row it goes
    # under it (hidden, the names were gone at 80, 100 and 120 columns); the manager is the first column to go.
    assert "Latest note" in text and {"Data", "warehouse", "migration", "cloud"} <= words
    assert ("Hidden at" in text) == (width < 200) and ("Manager" in text.split("Hidden at")[-1] if width < 200 else "Tamika" in words)


def test_csv_rows_are_the_json_projects() -> None:
    code, out, _ = run_ppm("-C", ACME, "--as-of", "2026-11-25", "report", "--format", "csv", "--projects")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    data = json.loads(run_ppm("-C", ACME, "--as-of", "2026-11-25", "report", "--format", "json")[1])
    assert list(rows[0]) == list(data["projects"][0])  # the headers are the JSON keys, in order
    assert [row["id"] for row in rows] == [p["id"] for p in data["projects"]]
    warehouse = next(row for row in rows if row["id"] == "data-warehouse-migration")
    assert (warehouse["manager_name"], warehouse["end"], warehouse["note"], warehouse["spi"]) == ("Sam Patel", "2027-01-29", NOTE, "0.7052")


def test_markdown_and_plain_have_the_notes_in_the_table() -> None:
    for fmt in ("plain", "markdown"):
        code, out, _ = run_ppm("-C", ACME, "--as-of", "2026-11-25", "--format", fmt, "report", "--projects")
        assert code == 0 and "Latest note" in out and NOTE in out


def test_a_rollup_by_goal_or_tag_says_why_its_rows_add_up_to_more_than_the_total() -> None:
    # Goal BACs summed to 11.95 M against a total of 6.7 M, without a word.
    lines = {by: run_ppm("-C", ACME, "--as-of", "2026-11-25", "--format", "plain", "report", "--by", by)[1] for by in ("goal", "tag", "portfolio")}
    assert "\nA project counts in each goal it has, so the rows add up to more than the total.\n" in lines["goal"]
    assert "\nA project counts in each tag it has, so the rows add up to more than the total.\n" in lines["tag"]
    assert "counts in each" not in lines["portfolio"]
