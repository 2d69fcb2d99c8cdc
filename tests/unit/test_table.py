"""Tests for render.table: the fast plain, Markdown and CSV layouts against slow obvious versions (and tabulate), and the terminal cut."""

from __future__ import annotations

import csv
import io
import string
from dataclasses import replace

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from ppmcli.render import escape
from ppmcli.render.output import Output
from ppmcli.render.table import ALL_ROWS, KEY, Column, ColumnRows, Table, fit, fit_groups, format_cell, more_rows, render, screenful, shorten, transposed, wrap_narrow

KINDS = ("text", "money", "number", "ratio", "int", "percent")
# Text as names are written: letters, digits, spaces, punctuation, accents, dashes, emoji and CJK (two columns wide).
WORDS = st.text(alphabet=string.ascii_letters + string.digits + " .,;:'\"-_/()#%&" + "éü—…●▲🟢🔴中文", max_size=12)
NUMBERS = st.one_of(st.none(), st.integers(-(10**12), 10**12), st.floats(-1e12, 1e12, allow_nan=False).filter(lambda x: x != 0 or str(x) == "0.0"))


def values(kind: str) -> st.SearchStrategy[object]:
    if kind == "text":
        return st.one_of(st.none(), WORDS)
    if kind == "int":
        return st.one_of(st.none(), st.integers(-(10**9), 10**9), st.booleans())
    return st.one_of(NUMBERS, st.booleans(), WORDS)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=5))
    count = draw(st.integers(0, 12))
    # Few distinct values per column, as in real tables, so the memo of each column is exercised.
    pools = [draw(st.lists(values(kind), min_size=1, max_size=4)) for kind in kinds]
    rows = [tuple(draw(st.sampled_from(pool)) for pool in pools) for _ in range(count)]
    columns = [Column(draw(WORDS.filter(str.strip)), kind) for kind in kinds]
    rules = frozenset(draw(st.lists(st.integers(0, max(count - 1, 0)), max_size=2)))
    return Table(columns, rows, title=draw(st.one_of(st.none(), WORDS)), rules_after=rules, footer=("a footer",))


def cell(value: object, kind: str, user: escape.Escaper) -> str:
    return user(value) if isinstance(value, str) else format_cell(value, kind)  # type: ignore[arg-type]


def slow_plain(table: Table) -> str:
    """The obvious version: every cell formatted (or, if text, escaped) on its own, padded with ljust/rjust."""
    cells = [[cell(value, column.kind, escape.terminal) for value, column in zip(row, table.columns)] for row in table.rows]
    headers = [escape.terminal(column.header) for column in table.columns]  # headers are escaped as cells are
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]

    def line(texts: list[str]) -> str:
        return "  ".join(v.rjust(w) if c.right else v.ljust(w) for v, w, c in zip(texts, widths, table.columns)).rstrip()

    lines = [line(headers), "  ".join("-" * w for w in widths)]
    for index, row in enumerate(cells):
        lines.append(line(row))
        if index in table.rules_after and index != len(cells) - 1:
            lines.append("  ".join("=" * w for w in widths))
    body = "\n".join(lines)
    return "\n".join(([f"{escape.terminal(table.title)}\n"] if table.title else []) + [body] + [f"\n{line}" for line in table.footer]) + "\n"


@settings(max_examples=300)
@given(tables())
def test_plain_is_the_obvious_layout(table: Table) -> None:
    assert render(table, Output("plain")) == slow_plain(table)


@settings(max_examples=300)
@given(tables())
def test_markdown_lays_out_as_tabulate_github(table: Table) -> None:
    cells = [[cell(value, column.kind, escape.markdown).strip() for value, column in zip(row, table.columns)] for row in table.rows]
    expected = tabulate(
        cells,
        headers=[escape.markdown(column.header) for column in table.columns],  # headers are escaped as cells are
        tablefmt="github",
        colalign=["right" if column.right else "left" for column in table.columns],
        disable_numparse=True,
    )
    body = render(table, Output("markdown")).split("\n\n", 1)[1] if table.title else render(table, Output("markdown"))
    assert body == expected + "\n\na footer\n"


@settings(max_examples=300)
@given(st.lists(st.lists(st.text(max_size=6), min_size=2, max_size=2), max_size=8), st.lists(st.text(max_size=4), min_size=1, max_size=1))
def test_csv_quotes_as_the_csv_module(rows: list[list[str]], lone: list[str]) -> None:
    for cells, headers in ((rows, ["a,b", 'say "hi"']), ([lone] * 3, [""])):
        expected = [headers, *([escape.csv_text(text) for text in row] for row in cells)]
        lines = []
        for row in expected:
            # The csv module's quoting with its default line terminator, which quotes a lone CR too; lines end in "\n".
            out = io.StringIO()
            csv.writer(out).writerow(row)
            lines.append(out.getvalue()[:-2])
        table = Table([Column(header) for header in headers], [tuple(row) for row in cells])
        text = render(table, Output("csv"))
        assert text == "\n".join(lines) + "\n"
        assert list(csv.reader(io.StringIO(text, newline=""))) == expected  # every row reads back whole


def test_a_lone_carriage_return_in_a_cell_cannot_split_its_row() -> None:
    table = Table([Column("name"), Column("budget", "money")], [("A\rB", 1.0), ("\rC", 2.0)])
    text = render(table, Output("csv"))
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["name", "budget"], ["A\rB", "1.00"], ["'\rC", "2.00"]]


def test_column_rows_render_as_the_rows_they_hold() -> None:
    columns = [Column("period"), Column("name"), Column("supply", "number"), Column("utilization", "ratio")]
    data = [["2026-01", "2026-02"] * 2, ["ann", "ann", "bob", "bob"], [10.0, 9.5, 0.0, None], [0.5, 1.25, None, None]]
    by_columns = Table(columns, ColumnRows(data), title="T", rules_after=frozenset({1}))
    by_rows = Table(columns, [tuple(row) for row in zip(*data)], title="T", rules_after=frozenset({1}))
    for fmt in ("plain", "markdown", "csv", "text"):
        assert render(by_columns, Output(fmt, color=False)) == render(by_rows, Output(fmt, color=False))
    assert by_columns.rows[1] == ("2026-02", "ann", 9.5, 1.25) and by_columns.rows[2:] == by_rows.rows[2:]


def test_equal_values_of_different_types_format_apart() -> None:
    # True == 1 == 1.0 as dict keys: the memo of a column must not mix them.
    table = Table([Column("as text"), Column("as money", "money")], [(1, True), (1.0, 1), (True, 1.0), ("1", False)])
    assert render(table, Output("csv")).splitlines()[1:] == ["1,yes", "1.0,1.00", "True,1.00", "1,no"]


def test_minus_zero_reads_as_zero() -> None:
    assert format_cell(-0.0, "number") == "0.00" == format_cell(0, "number")
    assert format_cell(-0.0, "money", human=False) == "0.00"


def test_markdown_cells_stay_on_one_line_and_escape_the_pipe() -> None:
    text = render(Table([Column("name")], [("a | b",), ("two\nlines",)]), Output("markdown"))
    assert text.splitlines() == ["| name      |", "|-----------|", "| a \\| b    |", "| two lines |"]


def test_shorten_keeps_the_first_rows_and_says_how_many_more_and_how_to_see_them() -> None:
    rows = list(range(17_000))
    shown, omitted = shorten(rows, 40, "projects")
    assert shown == rows[:40]
    assert omitted == "… and 16,960 more projects; --format plain (or csv, json) shows every row"
    assert shorten(rows, None, "projects") == (rows, None)
    assert shorten(rows[:40], 40, "projects") == (rows[:40], None)
    assert more_rows(3, "dependencies", hint="") == "… and 3 more dependencies"
    assert ALL_ROWS in more_rows(1, "x")
    assert (screenful(50), screenful(5)) == (44, 10)


# ---------------------------------------------------------------- fitting a terminal


def _terminal(table: Table, width: int) -> list[str]:
    return render(table, Output("text", width=width)).splitlines()


ROLLUP = Table(
    [Column("Portfolio"), Column("Health"), Column("BAC", "money", priority=2), Column("Benefits", "money", priority=4), Column("Late", "int", priority=3)],
    [("Platform & Infrastructure", "✖ red", 2_750_000, 4_500_000, 1)],
)


def test_fit_leaves_out_the_largest_priority_first_and_cuts_nothing() -> None:
    # Portfolio 25 + Health 6 + BAC 9 + Benefits 9 + Late 4, and 3 between columns: 65 wide.
    assert fit(ROLLUP.columns, [("Platform & Infrastructure", "✖ red", "2,750,000", "4,500,000", "1")], 65).shown == (0, 1, 2, 3, 4)
    assert fit(ROLLUP.columns, [("Platform & Infrastructure", "✖ red", "2,750,000", "4,500,000", "1")], 64).shown == (0, 1, 2, 4)
    assert fit(ROLLUP.columns, [("Platform & Infrastructure", "✖ red", "2,750,000", "4,500,000", "1")], 52).shown == (0, 1, 2)
    lines = _terminal(ROLLUP, 52)
    assert lines[2].split() == ["Platform", "&", "Infrastructure", "✖", "red", "2,750,000"]
    assert " ".join(line.strip() for line in lines[-2:]) == "Hidden at 52 columns: Benefits, Late; --format plain shows all"


def test_a_table_whose_key_columns_do_not_fit_is_stacked_as_label_value_lines() -> None:
    lines = _terminal(ROLLUP, 30)
    assert lines == ["", "Platform & Infrastructure", "  Health:   ✖ red", "  BAC:      2,750,000", "  Benefits: 4,500,000", "  Late:     1", ""]


def test_a_stacked_block_headed_by_a_figure_says_what_the_figure_is() -> None:
    # An earned-value table is all figures: its blocks were headed by a bare "12,500,000".
    table = Table([Column("BAC", "money"), Column("PV", "money"), Column("EV", "money")], [(12_500_000, 5_507_663, 4_750_000)])
    assert _terminal(table, 20) == ["", "BAC: 12,500,000", "  PV: 5,507,663", "  EV: 4,750,000", ""]


def test_a_wrapped_column_breaks_at_spaces_and_takes_the_room_left() -> None:
    table = Table([Column("Project"), Column("Why", wrap=True)], [("payments-gateway-upgrade", "reported amber; CPI 0.78; EAC 850,000 over BAC 700,000")])
    lines = _terminal(table, 60)
    assert [line.rstrip() for line in lines[2:]] == [
        "payments-gateway-upgrade   reported amber; CPI 0.78; EAC",
        "                           850,000 over BAC 700,000",
    ]


PROSE = st.lists(st.text(alphabet=string.ascii_lowercase + "-,", min_size=1, max_size=14), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.integers(1, 5)), min_size=1, max_size=6),
    st.lists(st.lists(PROSE, min_size=6, max_size=6), min_size=1, max_size=4),
    st.integers(20, 120),
)
def test_no_terminal_table_is_wider_than_the_terminal_or_splits_a_word(shape: list[tuple[bool, int]], cells: list[list[str]], width: int) -> None:
    """Whatever the columns, every line fits `width` (a word longer than the width aside) and every word shown is whole."""
    columns = [Column(f"c{index}", wrap=wraps, priority=priority) for index, (wraps, priority) in enumerate(shape)]
    rows = [tuple(row[: len(columns)]) for row in cells]
    table = Table(columns, rows)
    text = render(table, Output("text", width=width))
    words = {word for row in rows for cell in row for word in cell.split()} | {column.header for column in columns}
    longest = max(len(word) for word in words)
    for line in text.split("Hidden at")[0].splitlines():
        assert len(line.rstrip()) <= max(width, longest + 2), line
        assert set(line.replace("─", " ").replace(":", " ").split()) <= words, line


def test_free_text_with_no_room_beside_the_row_goes_under_it_not_hidden() -> None:
    # conflicts --suggest at 80 columns kept the suggestions and hid the capacity and the projects that clash.
    table = Table(
        [Column("person"), Column("from"), Column("peak", "ratio", priority=2), Column("capacity", "ratio", priority=3), Column("projects", wrap=True, priority=3), Column("could help", wrap=True, priority=4)],
        [("alice", "2026-11-02", 1.2, 1.0, "customer-mobile-app, payments-gateway-upgrade", "dmitri 23.8 d (0.40 FTE), chen 11.8 d (0.20 FTE), bob 5.9 d (0.10 FTE)")],
    )
    lines = [line.rstrip() for line in _terminal(table, 70)]
    assert lines[2] == "alice    2026-11-02   1.20       1.00   customer-mobile-app,"
    assert lines[4:6] == ["         could help: dmitri 23.8 d (0.40 FTE), chen 11.8 d (0.20 FTE),", "         bob 5.9 d (0.10 FTE)"]
    assert not any("Hidden" in line for line in lines)


def test_free_text_wraps_narrower_before_a_column_kept_longest_is_hidden() -> None:
    # prioritize --compare at 80 columns hid each project's Cost while its Why kept 20 columns.
    columns = [Column("Project"), Column("Cost", "money", priority=2), Column("Why", wrap=True)]
    cells = [("data-warehouse-migration", "900,000", "needs 900000, 50000 left")]
    layout = fit(columns, cells, 52)
    assert layout.shown == (0, 1, 2) and layout.widths == (24, 7, 15)
    # A column of lower rank still goes before the free text narrows.
    assert fit([*columns[:2], Column("Score", "number", priority=3), columns[2]], [(*cells[0][:2], "30.56", cells[0][2])], 52).shown == (0, 1, 3)


def test_free_text_goes_under_its_row_before_a_figure_of_its_rank_is_hidden() -> None:
    # report --baseline at 80 columns hid Budget ± (+1,500,000) beside the milestone slips, both kept longest.
    columns = [Column("Project"), Column("Slips", wrap=True, priority=2), Column("Budget ±", "change", priority=2), Column("Health")]
    cells = [("observability-stack", "All services traced +42 wd, Tooling selected +10 wd", "+1,500,000", "● green")]
    layout = fit(columns, cells, 50)
    assert layout.shown == (0, 2, 3) and layout.below == (1,)


def test_the_hidden_line_is_right_under_the_table_above_its_footer() -> None:
    lines = _terminal(replace(ROLLUP, footer=("Budget 1 → 2.",)), 52)
    assert " ".join(line.strip() for line in lines[-3:-1]) == "Hidden at 52 columns: Benefits, Late; --format plain shows all"
    assert lines[-1].strip() == "Budget 1 → 2."


def test_an_empty_table_says_its_sentence_instead_of_bare_headers() -> None:
    table = Table([Column("Project"), Column("Score", "number")], [], title="Ranked", footer=("Funded 0 of 0",), notes=("Warning: x",), empty="No open project to score.")
    assert render(table, Output("plain")) == "Ranked\n  No open project to score.\nWarning: x\n"
    assert render(table, Output("markdown")) == "**Ranked**\n\nNo open project to score.\nWarning: x\n"
    assert render(table, Output("csv")) == "Project,Score\n"
    assert render(table, Output("text", width=30)) == "Ranked\n  No open project to score.\nWarning: x\n"


# Plans compared side by side: a row per plan, as `ppm scenarios` builds its summary before a terminal turns it.
PLANS = Table(
    [Column("scenario"), Column("name"), Column("cost (USD)", "money"), Column("started", "int"), Column("highest utilization")],
    [
        ("baseline", "Plan as is", 3_472_000, 4, "92% qa-engineer 2027-01"),
        ("hire-data-engineers", "Two more data engineers from February", 3_710_000.0, 5, "96% frontend-engineer 2027-01"),
    ],
    title="Scenarios",
    footer=("a note",),
)


def test_transposed_makes_each_row_a_column_headed_by_its_first_cell_and_each_figure_a_labelled_row() -> None:
    turned = transposed(PLANS)
    assert [column.header for column in turned.columns] == ["scenario", "baseline", "hire-data-engineers"]
    assert all(column.narrow for column in turned.columns) and turned.repeat == 1
    assert list(turned.rows) == [
        ("name", "Plan as is", "Two more data engineers from February"),
        ("cost (USD)", "3,472,000", "3,710,000"),  # each cell formatted as its column was
        ("started", "4", "5"),
        ("highest utilization", "92% qa-engineer 2027-01", "96% frontend-engineer 2027-01"),
    ]
    assert (turned.title, tuple(turned.footer)) == ("Scenarios", ("a note",))
    # The other formats print it as any table.
    assert render(turned, Output("plain")).splitlines()[2].split("  ")[0] == "scenario"


def test_a_narrow_column_breaks_a_word_after_its_hyphens_only_when_the_word_is_longer_than_the_line() -> None:
    assert wrap_narrow("92% qa-engineer 2027-01", 15) == ["92% qa-engineer", "2027-01"]
    assert wrap_narrow("92% qa-engineer 2027-01", 11) == ["92%", "qa-engineer", "2027-01"]
    assert wrap_narrow("hire-data-engineers", 11) == ["hire-data-", "engineers"]
    assert wrap_narrow("hire-data-engineers", 5) == ["hire-", "data-", "engineers"]  # a piece wider than the line stays whole
    # Never inside a date or after a sign; by terminal columns (a CJK character takes two).
    assert wrap_narrow("-300 2027-01", 4) == ["-300", "2027-01"]
    assert wrap_narrow("中文 中文", 8) == ["中文", "中文"]


def _plans(count: int) -> Table:
    rows = [(f"plan-number-{index}", f"Plan {index}", 1_000_000 * index, index, f"{90 + index}% backend-engineer 2027-0{index}") for index in range(1, count + 1)]
    return transposed(Table(PLANS.columns, rows))


def test_plans_that_do_not_fit_beside_the_labels_continue_in_even_groups_each_under_the_labels() -> None:
    table = _plans(7)
    text = render(table, Output("text", width=80))
    lines = [line.rstrip() for line in text.splitlines()]
    assert max(map(len, lines)) <= 80
    heads = [line for line in lines if line.startswith("scenario")]
    assert len(heads) == len([line for line in lines if line.startswith("started")]) > 1  # the labels head every group
    from ppmcli.render.table import _cells

    layouts = fit_groups(table.columns, _cells(table), 80, 1)
    sizes = [len(layout.shown) - 1 for layout in layouts]
    assert all(layout.shown[0] == 0 for layout in layouts) and sum(sizes) == 7 and max(sizes) - min(sizes) <= 1
    # Every plan is shown once, in order, and no cell is cut.
    assert [index for layout in layouts for index in layout.shown[1:]] == list(range(1, 8))
    assert "…" not in text


def test_a_few_plans_stand_side_by_side_in_one_group_at_80_columns() -> None:
    lines = [line.rstrip() for line in render(_plans(3), Output("text", width=80)).splitlines()]
    assert lines[0].split() == ["scenario", "plan-number-1", "plan-number-2", "plan-number-3"]
    assert lines[2].split() == ["name", "Plan", "1", "Plan", "2", "Plan", "3"]


def test_a_comparison_with_no_plan_says_the_sentence_of_its_empty_table() -> None:
    table = transposed(replace(PLANS, rows=[], empty="No plan to compare."))
    assert render(table, Output("text", width=80)) == "Scenarios\n  No plan to compare.\n"
    assert render(table, Output("plain")) == "Scenarios\n  No plan to compare.\n"


# Hyphenated words (`qa-engineer`, `2027-01`), which a narrow column may break after a hyphen that follows a letter.
PIECES = st.lists(st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=9), min_size=1, max_size=3).map("-".join)


def _whole_pieces(shown: str, words: set[str]) -> bool:
    """`shown` is a word of `words`, or a run of its pieces: starting at its start or after a hyphen, ending at its end or on a hyphen."""
    for word in words:
        start = word.find(shown)
        while start >= 0:
            if (start == 0 or word[start - 1] == "-") and (start + len(shown) == len(word) or shown.endswith("-")):
                return True
            start = word.find(shown, start + 1)
    return False


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.lists(PIECES, min_size=1, max_size=4).map(" ".join), min_size=3, max_size=3), min_size=1, max_size=12), st.integers(40, 160))
def test_no_comparison_is_wider_than_the_terminal_and_every_plan_shows_whole_pieces(rows: list[list[str]], width: int) -> None:
    """Whatever the plans, every line fits `width`, the labels head each group of plans (never a block per plan), and
    what is shown are whole words or runs of their pieces (broken only after a hyphen)."""
    table = transposed(Table([Column("plan"), Column("alpha"), Column("beta")], [tuple(row) for row in rows]))
    lines = render(table, Output("text", width=width)).splitlines()
    words = {word for row in rows for text in row for word in text.split()} | {"plan", "alpha", "beta"}
    assert len([line for line in lines if line.startswith("plan ")]) == len([line for line in lines if line.startswith("alpha ")]) >= 1
    for line in lines:
        assert len(line.rstrip()) <= width, line
        assert all(_whole_pieces(shown, words) for shown in line.split() if set(shown) != {"─"}), line


def test_a_long_word_in_free_text_is_folded_not_given_the_column():
    # One link in a note turned every project of a report into a block of labels at 80 columns, and then was cut with "…".
    link = "https://wiki.example.com/projects/customer-mobile-app/status/2026-11-20/details"
    table = Table(
        [Column("Project"), Column("Health"), Column("SPI", "ratio"), Column("End"), Column("Latest note", wrap=True, priority=KEY)],
        [("Customer mobile app", "amber", 0.9, "2027-04-30", f"see {link} for the plan"), ("Data warehouse", "red", 0.71, "2027-01-29", "Cut-over blocked")],
    )
    lines = _terminal(table, 100)
    assert lines[0].split() == ["Project", "Health", "SPI", "End", "Latest", "note"]  # one row of headers: no blocks
    assert all(len(line) <= 100 for line in lines) and "…" not in "".join(lines)
    note = lines[0].index("Latest")
    assert link in "".join(line[note:].rstrip() for line in lines[2:])  # folded across lines, every character there


def test_the_width_free_text_gives_up_going_under_its_rows_brings_back_a_column_hidden_before_it():
    # conflicts at 60 columns hid `days` while the table, its suggestions under the rows, was 50 wide.
    table = Table(
        [Column("person"), Column("from"), Column("days", "int", priority=5), Column("peak", "ratio", priority=2), Column("could help", wrap=True, priority=4)],
        [("alice", "2026-11-02", 59, 1.2, "dmitri 23.8 d (0.40 FTE), chen 11.8 d (0.20 FTE), bob 5.9 d (0.10 FTE)")],
    )
    lines = _terminal(table, 40)
    assert lines[0].split() == ["person", "from", "days", "peak"] and any(line.lstrip().startswith("could help") for line in lines)


@pytest.mark.parametrize(
    ("width", "lines"),
    [
        (80, ["Roadmap · Acme · as of 2026-11-25 · 2026-01-05 to 2027-10-29 · by portfolio"]),
        # Broken between phrases, never inside one ("by" / "portfolio"), each broken line ending with its separator.
        (70, ["Roadmap · Acme · as of 2026-11-25 · 2026-01-05 to 2027-10-29 ·", "by portfolio"]),
        # The separator counts: a line that would fit without it takes one phrase less.
        (61, ["Roadmap · Acme · as of 2026-11-25 ·", "2026-01-05 to 2027-10-29 · by portfolio"]),
        # A phrase longer than the line is broken at its spaces.
        (12, ["Roadmap ·", "Acme ·", "as of", "2026-11-25 ·", "2026-01-05", "to", "2027-10-29 ·", "by portfolio"]),
    ],
)
def test_a_heading_wraps_between_its_phrases(width: int, lines: list[str]) -> None:
    from ppmcli.render.table import wrap_phrases

    heading = "Roadmap · Acme · as of 2026-11-25 · 2026-01-05 to 2027-10-29 · by portfolio"
    assert wrap_phrases(heading, width) == lines


def test_a_sentence_of_wide_characters_wraps_at_the_columns_a_terminal_draws():
    # Counted in characters, a line with three Chinese characters was 81 columns at 80.
    from wcwidth import wcswidth

    from ppmcli.render.table import wrap

    sentence = "projects/zh-erp.yaml:14:12: warning: no person holds role '设计师', so its demand has no supply; did you mean '设计'?"
    lines = wrap(sentence, 78, "  ")
    assert all(wcswidth(line) <= 78 for line in lines) and " ".join(line.strip() for line in lines) == sentence
    assert lines[0].endswith("so its") and lines[1].startswith("  demand")
    assert wrap("plain ascii words", 10, "  ") == ["plain", "  ascii", "  words"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab→é\xa0", min_size=1, max_size=8).filter(str.strip), max_size=8), st.integers(1, 12), st.sampled_from(["", "  "]))
def test_wrap_of_text_one_column_a_character_is_textwrap_s(words, width, indent):
    # The wide-character way must break exactly as textwrap does where every character takes one column (a no-break
    # space inside a word too: textwrap breaks at ASCII whitespace only).
    import textwrap

    from ppmcli.render.table import wrap

    text = " ".join([*words, "é"])  # never ASCII: the wide-character way
    assert wrap(text, width, indent) == textwrap.wrap(text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def test_a_heading_of_wide_characters_wraps_between_its_phrases_by_terminal_columns():
    from wcwidth import wcswidth

    from ppmcli.render.table import wrap_phrases

    # Counted in characters, the phrases fitted, and the line was then broken inside one: "… as of" / "2026-11-25 ·".
    lines = wrap_phrases("Roadmap · 可观测性平台 · as of 2026-11-25 · by portfolio", 38)
    assert lines == ["Roadmap · 可观测性平台 ·", "as of 2026-11-25 · by portfolio"]
    assert all(wcswidth(line) <= 38 for line in lines)


def test_the_line_of_rows_left_out_names_only_the_kinds_of_which_some_are():
    from ppmcli.render.table import more_kinds

    assert more_kinds([(5, "running"), (20, "candidate")], "projects") == "… and 5 more running and 20 more candidate projects; --format plain (or csv, json) shows every row"
    assert more_kinds([(0, "funded"), (1_897, "unfunded")], "projects", hint="") == "… and 1,897 more unfunded projects"
    assert more_kinds([(0, "running"), (-3, "candidate")], "projects") is None  # a screenful of each: nothing left out
