"""The roadmap renderers: the day-to-column scale, the chart fits its width and reads without colour, Mermaid escaping survives Mermaid's lexer."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ppmcli.analysis.delivery.roadmap import Bar, Lane, Link, MilestoneMark, Roadmap
from ppmcli.render.escape import mermaid as mermaid_text
from ppmcli.render.roadmap import BAR_FILL, _Scale, chart, mermaid, render as render_roadmap
from ppmcli.render.output import Output

ANSI = re.compile(r"\x1b\[[0-9;]*m")
START = date(2026, 1, 1)


@given(days=st.integers(1, 1500), columns=st.integers(1, 300))
def test_scale_partitions_the_columns_in_day_order(days, columns):
    scale = _Scale(START, days, columns)
    spans = [(scale.column(START + timedelta(i)), scale.last_column(START + timedelta(i))) for i in range(days)]
    assert spans[0][0] == 0 and spans[-1][1] == columns - 1
    for (first, last), (next_first, _) in zip(spans, spans[1:]):
        assert 0 <= first <= last < columns
        # The next day starts in the same cell (many days per cell) or in the very next one: no gap, no overlap.
        assert next_first in (last, last + 1) and (next_first == last + 1 or first == last)


def bar(pid: str, start: date, end: date, *, health: str = "green", phase: str = "execution", name: str = "P", milestones=(), clip=(None, None)) -> Bar:
    return Bar(pid, name, phase, health, start, end, clip[0] or start, clip[1] or end, tuple(milestones), ())


def roadmap(*bars: Bar, links=(), as_of: date = date(2026, 6, 15), start: date = date(2026, 1, 1), end: date = date(2026, 12, 31)) -> Roadmap:
    return Roadmap("Org", as_of, "portfolio", start, end, (Lane("d", "Digital", "red", bars),), tuple(links), ())


def test_bar_cells_marks_and_as_of_line():
    # 365 days on 73 columns: five days a column, so dates map exactly.
    marks = (
        MilestoneMark("Beta", date(2026, 3, 2), date(2026, 3, 2), "done", date(2026, 3, 2)),
        MilestoneMark("Pilot", date(2026, 6, 5), None, "late", date(2026, 6, 5)),
        MilestoneMark("Launch", date(2026, 9, 3), None, "due", date(2026, 9, 3)),
    )
    road = roadmap(bar("p", date(2026, 2, 5), date(2026, 10, 2), health="red", milestones=marks))
    lines = chart(road, color=False, width=73 + 12 + 9 + 2).splitlines()
    row = next(line for line in lines if line.startswith("  p "))
    cells = row[12 + 9 + 2 :]
    assert cells[:7] == " " * 7  # Jan 1 .. Feb 4
    assert cells[7:12] == "▓" * 5  # red bars are dark shade, from Feb 5
    assert (cells[12], cells[31], cells[33], cells[49]) == ("◆", "!", "│", "◇")  # Mar 2, Jun 5, as of Jun 15, Sep 3
    assert cells.rstrip()[-1] == "▓" and len(cells.rstrip()) == 55  # ends Oct 2 (day 274 → column 54)
    assert "! late" in lines[-1] and "▓▓ red" in lines[-2]


def test_clipped_bars_show_arrows():
    clipped = bar("p", date(2025, 6, 1), date(2027, 6, 1), clip=(date(2026, 1, 1), date(2026, 12, 31)))
    row = next(line for line in chart(roadmap(clipped), color=False, width=120).splitlines() if line.startswith("  p "))
    body = row[12 + 9 + 2 :]
    assert body[0] == "◂" and body.rstrip()[-1] == "▸"


def test_every_health_reads_without_colour():
    bars = [bar(h, date(2026, 2, 1), date(2026, 11, 30), health=h) for h in ("green", "amber", "red", "unknown")]
    text = chart(roadmap(*bars), color=False, width=100)
    for health, fill in BAR_FILL.items():
        row = next(line for line in text.splitlines() if line.startswith(f"  {health} "))
        assert health in row[:23] and fill * 10 in row
    assert len(set(BAR_FILL.values())) == 4


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_chart_fits_the_width_and_colour_only_adds_styles(width):
    bars = [bar(f"project-number-{i}", date(2026, 1, 1) + timedelta(30 * i), date(2026, 4, 1) + timedelta(30 * i)) for i in range(8)]
    road = roadmap(*bars, links=[Link("project-number-1", date(2026, 1, 31), "project-number-0", date(2026, 4, 1), "overlaps")])
    plain = chart(road, color=False, width=width)
    # Every line, the sentences under the chart too (they were left unwrapped when not on a terminal).
    assert max(len(line) for line in plain.splitlines()) <= width
    legend = [line for line in plain.splitlines() if line.startswith(("██", "◆"))]
    assert len(legend) == 2 and legend[1].startswith("◆")
    coloured = chart(road, color=True, width=width)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain


def test_plain_ignores_the_terminal_width():
    road = roadmap(bar("p", date(2026, 2, 1), date(2026, 3, 1)))
    assert render_roadmap(road, Output("plain", width=300)) == render_roadmap(road, Output("plain", width=40)) == chart(road, color=False, width=100)


def test_mermaid_text_escapes_what_ends_a_name():
    assert mermaid_text("Phase 2: #1 plan; go") == "Phase 2#58; #35;1 plan#59; go"
    assert mermaid_text("two\nlines\tand\x00 nul ") == "two lines and  nul"


def _mermaid_lexer_view(text: str) -> str:
    """What Mermaid's gantt lexer sees: entity codes (#58;) replaced by placeholders first, as mermaidAPI.encodeEntities does."""
    return re.sub(r"#\w+;", lambda m: "ﬂ°°" + m.group(0)[1:-1] + "¶ß", text)


def _decoded(text: str) -> str:
    return html.unescape(text.replace("ﬂ°°", "&#").replace("¶ß", ";"))


KEYWORDS = re.compile(r"(?i)^(gantt\b|section\s|title\s|click\s|dateFormat\s|axisFormat\s|tickInterval\s|includes\s|excludes\s|todayMarker\s|inclusiveEndDates\b|topAxis\b|weekday\s|accTitle|accDescr|%|#|\d{4}-\d\d-\d\d\b)")
TASK = re.compile(r"^([^#:\n;]+):([^#\n;]+)$")


def test_mermaid_survives_hostile_names():
    names = ["Title: the #1 plan; phase 2", "section 508 compliance", "%% not a comment", "click here", "2026-01-01 launch", "Excludes\nweekends"]
    marks = (MilestoneMark("Go-live: #2; v1", date(2026, 5, 1), None, "late", date(2026, 5, 1)),)
    bars = [bar(f"p{i}", date(2026, 2, 1), date(2026, 9, 30), name=name, health="red", milestones=marks if i == 0 else ()) for i, name in enumerate(names)]
    road = Roadmap("Acme: R&D #1", date(2026, 6, 15), "program", date(2026, 1, 1), date(2026, 12, 31), (Lane("x", "Lane: a; b #c", "red", tuple(bars)),), (), ())
    text = mermaid(road)
    body = text.split("```mermaid\n", 1)[1].split("```", 1)[0].splitlines()
    assert body[0] == "gantt"
    tasks = []
    for line in body[1:]:
        seen = _mermaid_lexer_view(line.strip())
        if seen.startswith(("title ", "section ")):
            assert not re.search(r"[#:;]", seen.split(" ", 1)[1]), seen
            continue
        if seen.split(" ")[0] in ("dateFormat", "axisFormat", "inclusiveEndDates", "todayMarker"):
            continue
        match = TASK.match(seen)
        assert match and not KEYWORDS.match(match.group(1)), seen
        tasks.append((_decoded(match.group(1)).strip(), [part.strip() for part in match.group(2).split(",")]))
    names_seen = [name for name, _ in tasks]
    assert [f"✖ {' '.join(name.split())} (red)" for name in names] == [n for n in names_seen if n.startswith("✖")]
    assert ("! Go-live: #2; v1", ["milestone", "crit", "2026-05-01", "0d"]) in tasks
    assert "section Lane#58; a#59; b #35;c" in text


def test_mermaid_states_from_health_and_phase():
    road = roadmap(
        bar("r", date(2026, 2, 1), date(2026, 9, 30), health="red", name="R"),
        bar("m", date(2026, 2, 1), date(2026, 5, 29), phase="monitoring", name="M"),
        bar("p", date(2026, 7, 1), date(2026, 12, 18), phase="proposed", health="unknown", name="Q"),
        bar("a", date(2026, 7, 1), date(2026, 12, 18), phase="planning", health="amber", name="A"),
    )
    lines = mermaid(road).splitlines()
    assert "    ✖ R (red) :crit, active, 2026-02-01, 2026-09-30" in lines
    assert "    ● M (green) :done, 2026-02-01, 2026-05-29" in lines
    assert "    ? Q (unknown) :2026-07-01, 2026-12-18" in lines
    assert "    ▲ A (amber) :active, 2026-07-01, 2026-12-18" in lines
    assert "    ▼ 2026-06-15 :milestone, 2026-06-15, 0d" in lines


def test_a_terminal_draws_a_screenful_of_bars_and_says_how_many_more() -> None:
    bars = [bar(f"p{i}", date(2026, 2, 1), date(2026, 3, 1)) for i in range(5)]
    links = [Link(f"p{i}", date(2026, 2, 1), "q", date(2026, 1, 1), "ok") for i in range(5)]
    lanes = (Lane("a", "A", "green", tuple(bars[:2])), Lane("b", "B", "green", tuple(bars[2:])))
    road = Roadmap("Org", date(2026, 6, 15), "portfolio", date(2026, 1, 1), date(2026, 12, 31), lanes, tuple(links), tuple(f"x{i}" for i in range(12)))
    text = chart(road, color=False, width=100, limit=3)
    drawn = [line.split()[0] for line in text.splitlines() if line.startswith("  p") and "● green" in line]
    assert drawn == ["p0", "p1", "p2"] and "B " in text
    assert "… and 2 more projects; narrow with --portfolio, --tag or --from/--to, or --format plain (or markdown, json) shows every row" in text
    assert "p3 (starts" not in text and "… and 2 more dependencies of projects not drawn" in text
    assert "Outside the range: x0, x1, x2, x3, x4, x5, x6, x7, x8, x9 … and 2 more projects" in text
    whole = render_roadmap(road, Output("plain"))
    assert all(f"  p{i} " in whole for i in range(5)) and "x11" in whole and "more" not in whole


def test_a_terminal_chart_never_cuts_a_long_id_and_it_widens_nothing() -> None:
    # It was cut with '…' (README: ids are never cut), and took the label column's whole room from the timeline.
    long_id = "erp-landscape-modernisation-phase-two-finance-and-procurement"
    road = roadmap(bar(long_id, date(2026, 2, 1), date(2026, 9, 1)), bar("short", date(2026, 3, 1), date(2026, 4, 1)))
    lines = chart(road, color=False, width=80, fit=True).splitlines()
    own = lines.index(f"  {long_id}")
    assert lines[own + 1].lstrip().startswith("● green") and "█" in lines[own + 1]
    row = next(line for line in lines if line.startswith("  short "))
    assert row.index("● green") <= 31 and all(len(line) <= 80 for line in lines if "Roadmap" not in line)


def test_the_plain_chart_never_cuts_a_long_id_either() -> None:
    # Piped or in CI the chart is 100 wide: an id past its 30-character label column was cut with '…'.
    long_id = "ai-support-assistant-with-a-long-id-of-50-chars"
    road = roadmap(bar(long_id, date(2026, 2, 1), date(2026, 9, 1)))
    text = render_roadmap(road, Output("plain"))
    assert f"  {long_id}\n" in text and "…" not in text


@pytest.mark.parametrize(
    ("start", "end", "columns", "months"),
    [
        # February is short: March's label began where February's ended, and was left out ("Jan Feb     Apr").
        (date(2027, 1, 1), date(2027, 12, 31), 49, "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec  "),
        # A partial first month's label left out the next one's ("Jan    Mar"): now the next moves a column into its month.
        (date(2026, 1, 5), date(2027, 10, 29), 93, "Jan Feb Mar Apr May Jun Jul  Aug Sep Oct  Nov Dec Jan Feb Mar  Apr May Jun  Jul Aug Sep Oct  "),
    ],
)
def test_the_time_axis_names_every_month(start, end, columns, months):
    from ppmcli.render.roadmap import _axis, _Scale

    assert "".join(_axis(_Scale(start, (end - start).days + 1, columns))[1].chars) == months


def test_a_partial_first_period_gives_way_to_the_next_when_neither_can_move():
    from ppmcli.render.roadmap import _labels, _Scale

    # Two days of January, then February's six columns: "Jan" would cover February's start, and "Feb" cannot move on.
    scale = _Scale(date(2026, 1, 30), 40, 8)
    assert "".join(_labels(scale, [(date(2026, 1, 1), "Jan"), (date(2026, 2, 1), "Feb"), (date(2026, 3, 1), "Mar")]).chars) == "Feb     "


def test_a_terminal_names_a_screenful_of_the_candidates_a_plan_leaves_out():
    # 300 projects printed a 15-line block of ids under a chart cut to a screenful.
    from dataclasses import replace as with_

    road = with_(roadmap(bar("p", date(2026, 2, 1), date(2026, 3, 1))), planned=True, left_out=tuple(f"c{i:02d}" for i in range(15)))
    assert "Not started, so not drawn: c00, c01, c02, c03, c04, c05, c06, c07, c08, c09 and 5 more." in chart(road, color=False, width=100, limit=40)
    assert "c13, c14." in " ".join(chart(road, color=False, width=100).split())  # plain names them all
