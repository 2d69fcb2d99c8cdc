"""Tests for render.capacity: utilization bands, the terminal heat map, long tables and JSON."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import pytest

from ppmcli.analysis.resources.capacity import CapacityReport, Utilization
from ppmcli.analysis.resources.workdays import periods
from ppmcli.render.capacity import as_csv_table, as_json, as_tables, band, heatmap
from ppmcli.render.output import Output
from ppmcli.render.table import render as render_table

MONTHS = tuple(periods(date(2027, 1, 1), date(2027, 2, 28), "month"))


def row(name: str, role: str, supply, demand, tentative=(0.0, 0.0)) -> Utilization:
    util = tuple(d / s if s else None for s, d in zip(supply, demand))
    with_tentative = tuple((d + t) / s if s else None for s, d, t in zip(supply, demand, tentative))
    peaks = [u for u in with_tentative if u is not None]
    gap = any(not s and (d or t) for s, d, t in zip(supply, demand, tentative))
    return Utilization(name, role, tuple(supply), tuple(demand), tuple(tentative), util, with_tentative, max(peaks) if peaks else None, gap, util)


REPORT = CapacityReport(
    "month",
    MONTHS,
    (row("dev", "dev", (40.0, 40.0), (30.0, 44.0), (0.0, 4.0)), row("qa", "qa", (0.0, 0.0), (0.0, 3.0))),
    (row("ann", "dev", (20.0, 20.0), (20.0, 24.0)), row("bob", "dev", (20.0, 20.0), (10.0, 20.0), (0.0, 4.0))),
)


@pytest.mark.parametrize(
    ("utilization", "has_demand", "expected"),
    [
        (None, False, "none"),
        (None, True, "gap"),
        (0.0, False, "under-used"),
        (0.4999, True, "under-used"),
        (0.5, True, "healthy"),
        (0.8999, True, "healthy"),
        (0.9, True, "full"),
        (1.0, True, "full"),
        (1.00004, True, "full"),  # shown as 100.00 %
        (1.0001, True, "over"),
    ],
)
def test_bands(utilization, has_demand, expected) -> None:
    assert band(utilization, has_demand) == expected


def test_heatmap_shows_roles_people_tentative_rows_and_gaps() -> None:
    text = heatmap(REPORT, color=False, width=80)
    lines = [line.rstrip() for line in text.splitlines()]
    assert lines[0] == "Utilization by month, 2027-01 to 2027-02: committed demand ÷ supply"
    assert lines[3:6] == ["dev                75%      110%", "  + proposed       75%      120%", "qa                   ·       gap"]
    # People come under a heading of their role, with a "+ proposed" row where proposed projects add demand.
    assert lines[9:13] == ["dev", "  ann             100%      120%", "  bob              50%      100%", "  + proposed       50%      120%"]
    # Without colour the bands' samples would show nothing: the legend explains what a cell shows in text.
    assert lines[-1] == "gap: no supply  · none"


def test_heatmap_colours_cells_by_band() -> None:
    text = heatmap(REPORT, color=True, width=80)
    assert "\x1b[1;37;41m   110%\x1b[0m" in text  # over: bold white on red
    assert "\x1b[30;42m    75%\x1b[0m" in text  # healthy: black on green
    assert "\x1b[1;37;45m    gap\x1b[0m" in text


def test_heatmap_flags_a_quarter_whose_busiest_month_is_over() -> None:
    quarters = tuple(periods(date(2027, 1, 1), date(2027, 6, 30), "quarter"))
    alice = row("alice", "dev", (61.0, 64.0), (34.2, 64.0))
    report = CapacityReport("quarter", quarters, (), (replace(alice, month_peak=(1.2, 1.0)),))
    text = heatmap(report, color=False, width=80)
    # 56 % over the quarter, a month at 120 % inside: flagged; a full quarter at 100 % with no month over is not.
    lines = [line.rstrip() for line in text.splitlines()]
    assert "  alice           56%!      100%" in lines
    assert lines[-1] == "gap: no supply  · none  ! a month inside is over 100%"
    assert "!" not in heatmap(REPORT, color=False, width=80)


def test_heatmap_legend_breaks_between_its_entries() -> None:
    quarters = tuple(periods(date(2027, 1, 1), date(2027, 6, 30), "quarter"))
    alice = row("alice", "dev", (61.0, 64.0), (34.2, 64.0))
    report = CapacityReport("quarter", quarters, (), (replace(alice, month_peak=(1.2, 1.0)),))
    plain = [line.rstrip() for line in heatmap(report, color=False, width=40).splitlines()]
    assert plain[-2:] == ["gap: no supply  · none", "! a month inside is over 100%"]
    coloured = heatmap(report, color=True, width=80)
    legend = re.sub(r"\x1b\[[0-9;]*m", "", coloured).splitlines()[-2:]
    # Each band's sample keeps its padding, and no entry is cut in two.
    assert legend == [" under-used <50%  healthy <90%  full ≤100%  over >100%  gap: no supply  · none", "! a month inside is over 100%"]


def test_heatmap_wraps_periods_to_the_width() -> None:
    weeks = tuple(periods(date(2027, 1, 4), date(2027, 3, 28), "week"))
    wide = CapacityReport("week", weeks, (row("dev", "dev", (5.0,) * 12, (1.0,) * 12, (0.0,) * 12),), ())
    text = heatmap(wide, color=False, width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert all(period.key in text for period in weeks)


def test_heatmap_keeps_the_rows_that_matter_and_says_how_many_more() -> None:
    many = tuple(row(f"p{i:02d}", "dev", (10.0, 10.0), (float(i % 13), 1.0)) for i in range(30))
    report = CapacityReport("month", MONTHS, (), many)
    text = heatmap(report, color=False, width=80, max_rows=3)
    # The busiest: p12 and p25 (120%), then p11 and p24 (110%): p11 wins the tie by name.
    shown = [line.split()[0] for line in text.splitlines() if line.startswith("  p")]
    assert shown == ["p11", "p12", "p25"]
    # The line wraps at the terminal's width.
    assert "… and 27 more people (lower peak utilization); narrow with --role, or --format plain (or csv, json) shows every row" in " ".join(text.split())


def test_long_tables_and_csv_list_every_name_and_period() -> None:
    roles, people = as_tables(REPORT)
    plain = render_table(roles, Output("plain"))
    assert plain.splitlines()[4] == "2027-01  dev    40.00   30.00       0.00         0.75                   0.75  0.75"
    assert plain.splitlines()[7] == "2027-02  qa      0.00    3.00       0.00            —                      —     —"
    assert len(people.rows) == 4
    csv = render_table(as_csv_table(REPORT), Output("csv")).splitlines()
    assert csv[0] == "kind,name,period,supply,demand,tentative,utilization,utilization_tentative,peak"
    assert csv[2] == "role,dev,2027-02,40.00,44.00,4.00,1.1000,1.2000,1.1000"
    assert csv[4] == "role,qa,2027-02,0.00,3.00,0.00,,,"
    assert csv[5] == "person,ann,2027-01,20.00,20.00,0.00,1.0000,1.0000,1.0000"


def test_json_is_the_stable_capacity_object() -> None:
    data = json.loads(as_json(REPORT))
    assert list(data) == ["roles", "people"]
    assert data["roles"][1] == {"period": "2027-02", "role": "dev", "supply": 40, "demand": 44, "tentative": 4, "utilization": 1.1, "utilization_tentative": 1.2, "peak": 1.1}
    assert data["roles"][3]["utilization"] is None
    assert [(r["person"], r["period"]) for r in data["people"]] == [("ann", "2027-01"), ("ann", "2027-02"), ("bob", "2027-01"), ("bob", "2027-02")]


def test_json_keeps_names_with_braces_quotes_and_accents() -> None:
    odd = CapacityReport("month", MONTHS, (row('a{0}"}\\ é', "x", (1.0, 3.0), (1 / 3, 0.0)),), ())
    assert json.loads(as_json(odd))["roles"] == [
        {"period": "2027-01", "role": 'a{0}"}\\ é', "supply": 1, "demand": 0.33, "tentative": 0, "utilization": 0.3333, "utilization_tentative": 0.3333, "peak": 0.3333},
        {"period": "2027-02", "role": 'a{0}"}\\ é', "supply": 3, "demand": 0, "tentative": 0, "utilization": 0, "utilization_tentative": 0, "peak": 0},
    ]


def test_a_role_no_one_holds_says_so_under_its_map_and_in_each_table_format() -> None:
    # `capacity --role X` of a role only projects book: the people's section was bare headers.
    report = replace(REPORT, roles=REPORT.roles[1:], people=())
    lines = [line.rstrip() for line in heatmap(report, color=False, width=80).splitlines()]
    assert "No person holds the roles shown." in lines and not any(line.startswith("person") for line in lines)
    assert render_table(as_tables(report)[1], Output("plain")) == "People by month (person-days)\n  No person holds the roles shown.\n"
    assert "\nNo person holds the roles shown.\n" in render_table(as_tables(report)[1], Output("markdown"))
