"""One table record, four renderings: rich on a terminal, plain text, GitHub Markdown and CSV.

Views build a `Table` from analysis records; this module only lays it out and
formats numbers per output (thousands separators for people, bare numbers for CSV).
Every user string (a text cell, a title, a footer line) goes through its format's
escaper here, once (`escape`): views put raw strings into a `Table`, never markup.
A terminal shows the rows that matter of a long table and says how many more
there are (`shorten`); the other formats print every row, fast: each distinct
value of a column is formatted and padded once, and lines are joined in C.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ppmcli.render import escape
from ppmcli.render.output import Output

Kind = Literal["text", "money", "number", "ratio", "int", "percent"]
# A cell's style on a terminal, from its raw value (heat maps, health colours).
Styler = Callable[[Any], str | None]

# Health is never shown by colour alone: every renderer puts this symbol (and the word) beside it.
HEALTH_SYMBOLS = {"green": "●", "amber": "▲", "red": "✖", "unknown": "?"}

# The formats of a table: a new one is a branch of `render` (and of `escaper` and `title`), and every table has it.
FORMATS = ("text", "plain", "markdown", "csv")

# Rows of a long table shown on a terminal: the top of a ranking, a list of projects.
TERMINAL_ROWS = 40
# How to see the rows a terminal table leaves out.
ALL_ROWS = "--format plain (or csv, json) shows every row"
# Lines a terminal table needs besides its rows: title, header, rule, a blank, the "… more" line, the prompt.
_TABLE_CHROME = 6


@dataclass(frozen=True)
class Column:
    """A column: header, how its values are formatted, an optional terminal style per value, and its CSV header.

    `key` is the column's name in the command's JSON (snake_case, dotted for a nested object): CSV
    headers are JSON keys, so a script reads both the same way. None when the header already is one.
    """

    header: str
    kind: Kind = "text"
    style: Styler | None = None
    key: str | None = None

    @property
    def right(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Table:
    """A table ready to render.

    Attributes:
        columns: the columns.
        rows: raw cell values (str, int, float, None), one tuple per row (or `ColumnRows`).
        title: shown above the table (not in CSV).
        footer: lines shown below the table (not in CSV).
        rules_after: row indexes after which a horizontal line is drawn (the funding line).
        row_styles: optional terminal style per row.
        omitted: rows left out of a long terminal table, with how to see them.
    """

    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    title: str | None = None
    footer: Sequence[str] = ()
    rules_after: frozenset[int] = frozenset()
    row_styles: Sequence[str | None] = ()
    omitted: str | None = None
    notes: Sequence[str] = field(default_factory=tuple)


class ColumnRows(Sequence[tuple[Any, ...]]):
    """The rows of a long table, kept as its columns: built and formatted a column at a time, with no tuple per row.

    A weekly capacity table is a million rows; building a tuple per row and
    transposing them back into columns costs more than formatting them.
    """

    __slots__ = ("columns",)

    def __init__(self, columns: Sequence[Sequence[Any]]) -> None:
        self.columns = tuple(columns)

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return list(zip(*(column[index] for column in self.columns)))
        return tuple(column[index] for column in self.columns)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return zip(*self.columns)


def format_cell(value: Any, kind: Kind, *, human: bool = True) -> str:
    """A cell as text; `human=False` gives the bare figure for CSV."""
    if value is None:
        return "" if not human else "—"
    if isinstance(value, str) or kind == "text":
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value == 0:
        value = 0  # -0.0 reads as 0, and prints like the 0 it equals
    if kind == "money":
        return f"{value:,.0f}" if human else f"{value:.2f}"
    if kind == "number":
        return f"{value:,.2f}" if human else f"{value:.2f}"
    if kind == "ratio":
        return f"{value:.2f}" if human else f"{value:.4f}"
    if kind == "percent":
        return f"{value:.0f}%" if human else f"{value:.2f}"
    if kind == "int":
        return f"{value:,d}" if human else f"{value:d}"
    return str(value)


def shorten(rows: Sequence[Any], limit: int | None, noun: str, *, hint: str = ALL_ROWS) -> tuple[list[Any], str | None]:
    """The first `limit` rows of a terminal table, and the line that says how many more there are and how to see them.

    Args:
        rows: the rows, the ones that matter most first.
        limit: most rows shown; None shows them all (the formats that print everything).
        noun: what a row is, plural ("projects", "conflicts").
        hint: how to see the rest.

    Returns:
        The rows shown, and the `Table.omitted` line (None when nothing is left out).
    """
    if limit is None or len(rows) <= limit:
        return list(rows), None
    return list(rows[:limit]), more_rows(len(rows) - limit, noun, hint=hint)


def screenful(height: int) -> int:
    """Rows of a table that fit on a terminal `height` lines tall (never fewer than 10)."""
    return max(10, height - _TABLE_CHROME)


def more_rows(hidden: int, noun: str, *, hint: str = ALL_ROWS) -> str:
    """"… and 16,950 more projects; --format plain (or csv, json) shows every row" (no hint when `hint` is empty)."""
    return f"… and {hidden:,} more {noun}" + (f"; {hint}" if hint else "")


def render(table: Table, out: Output) -> str:
    """Render `table` as `out.format`: text (rich), plain, markdown or csv."""
    if out.format == "csv":
        return render_csv(table)
    if out.format == "markdown":
        return render_markdown(table)
    if out.format == "text":
        return render_rich(table, color=out.color, width=out.width)
    return render_plain(table)


def escaper(fmt: str) -> escape.Escaper:
    """How a line of user text beside a table is escaped in `fmt`."""
    return escape.markdown if fmt == "markdown" else escape.csv_text if fmt == "csv" else escape.terminal


def title(text: str, fmt: str) -> str:
    """A table's title on its own, escaped: bold in Markdown."""
    return f"**{escape.markdown(text)}**" if fmt == "markdown" else escape.terminal(text)


# ---------------------------------------------------------------- cells, once per distinct value


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _texts(values: Sequence[Any], kind: Kind, human: bool, user: escape.Escaper, finish: escape.Escaper | None = None) -> tuple[Sequence[Hashable], dict[Hashable, str]]:
    """A column's memo keys (one per row) and the text of each distinct key.

    A string value is user text: `user` escapes it for the format; figures are
    formatted, not escaped (a negative number stays a number in CSV).

    A weekly capacity table has a million rows but a few thousand distinct
    figures. Equal values of different types (True == 1, and 1 == 1.0 in a
    text column) format apart, so such a column is keyed by (type, value);
    any other type is keyed by row.
    """
    types = set(map(type, values))
    numbers = types & {bool, int, float}
    keys: Sequence[Hashable]
    if not types <= _PLAIN_TYPES:
        keys = range(len(values))
        return keys, {index: _finished(_text(values[index], kind, human, user), finish) for index in keys}
    if len(numbers) > 1 and (kind == "text" or bool in numbers):
        keys = [(value.__class__, value) for value in values]
        return keys, {key: _finished(_text(key[1], kind, human, user), finish) for key in dict.fromkeys(keys)}  # type: ignore[index]
    texts: dict[Hashable, str] = dict.fromkeys(values, "")
    for key in texts:
        texts[key] = _finished(_text(key, kind, human, user), finish)
    return values, texts


def _text(value: Any, kind: Kind, human: bool, user: escape.Escaper) -> str:
    return user(value) if isinstance(value, str) else format_cell(value, kind, human=human)


def _finished(text: str, finish: escape.Escaper | None) -> str:
    return text if finish is None else finish(text)


def _columns(table: Table, human: bool, user: escape.Escaper, finish: escape.Escaper | None = None) -> list[tuple[Sequence[Hashable], dict[Hashable, str]]]:
    """`_texts` of every column."""
    rows = table.rows
    if isinstance(rows, ColumnRows):
        values: Sequence[Sequence[Any]] = rows.columns
    else:
        values = list(zip(*rows)) if rows else [()] * len(table.columns)
    return [_texts(column_values, column.kind, human, user, finish) for column_values, column in zip(values, table.columns)]


def _padded(keys: Sequence[Hashable], texts: dict[Hashable, str], pad: Callable[[str], str]) -> list[str]:
    padded = {key: pad(text) for key, text in texts.items()}
    return list(map(padded.__getitem__, keys))


def _cells(table: Table) -> list[tuple[str, ...]]:
    """Every row's cells as terminal text, row by row."""
    return list(zip(*(list(map(texts.__getitem__, keys)) for keys, texts in _columns(table, True, escape.terminal)))) if table.rows else []


# ---------------------------------------------------------------- formats


def _csv_field(text: str) -> str:
    """A field as the csv module writes it (quoted when it holds a comma, a quote or a line break)."""
    out = io.StringIO()
    # A second, empty field: the csv module quotes a lone empty field, never one beside another.
    csv.writer(out, lineterminator="\n").writerow((text, ""))
    return out.getvalue()[:-2]


def render_csv(table: Table) -> str:
    """CSV with bare figures: every distinct field is quoted once, by the csv module, and lines are joined in C."""
    cells = [list(map(texts.__getitem__, keys)) for keys, texts in _columns(table, False, escape.csv_text, _csv_field)]
    lines = [",".join(_csv_field(column.key or column.header) for column in table.columns), *map(",".join, zip(*cells))]
    if len(table.columns) == 1:
        lines = [line or '""' for line in lines]  # as the csv module writes a lone empty field
    return "\n".join(lines) + "\n"


def _around(table: Table, body: str, user: escape.Escaper, markdown: bool = False) -> str:
    parts = []
    if table.title:
        parts.append(f"{title(table.title, 'markdown' if markdown else 'plain')}\n")
    parts.append(body)
    for line in _below(table):
        parts.append(f"\n{user(line)}")
    return "\n".join(parts) + "\n"


def _below(table: Table) -> list[str]:
    """The lines under a table: what was left out, the footer, the notes."""
    return ([table.omitted] if table.omitted else []) + list(table.footer) + list(table.notes)


def _display_width(text: str) -> int:
    """Columns a cell takes (an emoji takes two), as tabulate counts them with wcwidth."""
    if text.isascii():
        return len(text)
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def render_markdown(table: Table) -> str:
    """A GitHub Markdown table, laid out as tabulate's "github" format does (columns at least two wider than their header)."""
    headers = [column.header for column in table.columns]
    # `escape.markdown` keeps a cell on one line with its '|' escaped, so no cell breaks the table.
    columns = _columns(table, True, escape.markdown, str.strip)
    widths = [max([_display_width(header) + 2, *map(_display_width, texts.values())]) for header, (_, texts) in zip(headers, columns)]
    # tabulate aligns the headers of an empty table to the left.
    right = [column.right and bool(table.rows) for column in table.columns]

    def pad(text: str, width: int, to_right: bool) -> str:
        room = width - _display_width(text) + len(text)
        return text.rjust(room) if to_right else text.ljust(room)

    # The table's edges go into the first and last cells, so each line is one join.
    edges = [("| " if index == 0 else "", " |" if index == len(widths) - 1 else "") for index in range(len(widths))]
    # Each `lambda` is called within its own iteration, so it reads that iteration's w, r and e.
    cells = [_padded(keys, texts, lambda text: e[0] + pad(text, w, r) + e[1]) for (keys, texts), w, r, e in zip(columns, widths, right, edges)]
    lines = ["| " + " | ".join(pad(header, w, r) for header, w, r in zip(headers, widths, right)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.extend(map(" | ".join, zip(*cells)))
    return _around(table, "\n".join(lines), escape.markdown, markdown=True)


def render_plain(table: Table) -> str:
    """Plain aligned text; the funding line is a row of equals signs."""
    headers = [column.header for column in table.columns]
    columns = _columns(table, True, escape.terminal)
    widths = [max([len(header), *map(len, texts.values())]) for header, (_, texts) in zip(headers, columns)]
    cells = [
        _padded(keys, texts, (lambda text: text.rjust(w)) if column.right else (lambda text: text.ljust(w)))
        for (keys, texts), w, column in zip(columns, widths, table.columns)
    ]
    lines = ["  ".join(h.rjust(w) if c.right else h.ljust(w) for h, w, c in zip(headers, widths, table.columns)).rstrip(), "  ".join("-" * w for w in widths)]
    lines.extend(map(str.rstrip, map("  ".join, zip(*cells))))
    # The funding line goes under its row (not under the last row); headers and their dashes are lines 0 and 1.
    for index in sorted((i for i in table.rules_after if i < len(table.rows) - 1), reverse=True):
        lines.insert(index + 3, "  ".join("=" * w for w in widths))
    return _around(table, "\n".join(lines), escape.terminal)


def render_rich(table: Table, *, color: bool, width: int | None) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    # SIMPLE_HEAD with a visible row rule, so `rules_after` (the funding line) draws a line, not a blank row.
    ruled = box.Box("    \n    \n ── \n    \n ══ \n    \n    \n    \n")
    # A title or cell is a `Text`, never a markup string: '[link=…]' in a name stays text.
    title = Text(escape.terminal(table.title)) if table.title else None
    rich_table = RichTable(title=title, box=ruled if table.rules_after else box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    for column in table.columns:
        rich_table.add_column(column.header, justify="right" if column.right else "left", no_wrap=column.right)
    for index, (raw, row) in enumerate(zip(table.rows, _cells(table))):
        styled = []
        for value, text, column in zip(raw, row, table.columns):
            style = column.style(value) if column.style is not None else None
            styled.append(Text(text, style=style or ""))
        row_style = table.row_styles[index] if index < len(table.row_styles) else None
        rich_table.add_row(*styled, style=row_style, end_section=index in table.rules_after)
    console = Console(file=io.StringIO(), width=width or 120, color_system="standard" if color else None, force_terminal=color, no_color=not color, highlight=False)
    console.print(rich_table)
    for line in _below(table):
        console.print(Text(escape.terminal(line)))
    return console.file.getvalue()  # type: ignore[attr-defined]
