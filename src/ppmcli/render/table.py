"""One table record, four renderings: rich on a terminal, plain text, GitHub Markdown and CSV.

Views build a `Table` from analysis records; this module only lays it out and
formats numbers per output (thousands separators for people, bare numbers for CSV).
Every user string (a text cell, a title, a footer line) goes through its format's
escaper here, once (`escape`): views put raw strings into a `Table`, never markup.
A terminal shows the rows that matter of a long table and says how many more
there are (`shorten`), and fits its width without cutting a cell (`fit`: each
`Column` has a priority and may wrap at words); the other formats print every row, fast: each distinct
value of a column is formatted and padded once, and lines are joined in C.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ppmcli.render import escape
from ppmcli.render.output import Output

# "change" is money that moved (+300,000) and "signed" a whole number that did (+42): signed for a reader, bare in CSV.
Kind = Literal["text", "money", "number", "ratio", "int", "percent", "change", "signed"]
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


# A terminal column's priority: KEY columns (names, ids, health, dates) are never left out; a larger number goes first.
KEY = 1
# What a table keeps longest (the figures that back a decision: a cost, a slip): hidden only when the free text beside
# it, wrapped as narrow as its longest word, still leaves it no room.
KEEP = 2
# A column of wrapped text is at least this wide on a terminal (or its longest word), so it reads as prose, not a list of words.
WRAP_MIN = 20
# The widest a word makes a free-text column: a longer one (a link pasted in a note) is folded where it must be, or
# one such word turned every row of a report into a block at 80 columns.
LONGEST_WORD = 30


@dataclass(frozen=True)
class Column:
    """A column: header, how its values are formatted, an optional terminal style per value, and its CSV header.

    On a terminal (`render_rich`) no cell is ever cut: a column is as wide as
    its widest cell, or, when `wrap`, wraps its text at word boundaries. When
    the columns do not fit the width, those with the largest `priority` are
    left out first (the table says which); when even the KEY columns do not
    fit, each row becomes a block of `label: value` lines.

    A `narrow` column (a plan beside others in a comparison) wraps its header
    and its cells at spaces and after a hyphen (`hire-data-` / `engineers`),
    down to its longest piece: it takes no WRAP_MIN, so many fit side by side.

    `key` is the column's name in the command's JSON (snake_case, dotted for a nested object): CSV
    headers are JSON keys, so a script reads both the same way. None when the header already is one.
    """

    header: str
    kind: Kind = "text"
    style: Styler | None = None
    priority: int = KEY
    wrap: bool = False
    key: str | None = None
    narrow: bool = False

    @property
    def right(self) -> bool:
        return self.kind != "text"

    @property
    def wraps(self) -> bool:
        return self.wrap or self.narrow


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
        repeat: on a terminal, the first `repeat` columns (the labels of a comparison) head every group of the other
            columns: columns that do not fit side by side continue below, in groups, rather than being left out or
            stacked. 0: the columns are fitted as one table (`fit`).
        empty: the sentence said instead of the table when it has no row (text, plain, markdown: under its title,
            with its notes; CSV keeps its header line), as "No project is reported."
    """

    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    title: str | None = None
    footer: Sequence[str] = ()
    rules_after: frozenset[int] = frozenset()
    row_styles: Sequence[str | None] = ()
    omitted: str | None = None
    notes: Sequence[str] = field(default_factory=tuple)
    repeat: int = 0
    empty: str | None = None


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
    if kind == "change":
        return (f"{value:+,.0f}" if value else "0") if human else f"{value:.2f}"
    if kind == "signed":
        return (f"{value:+,d}" if value else "0") if human else f"{value:d}"
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


def more_kinds(counts: Sequence[tuple[int, str]], noun: str, *, hint: str = ALL_ROWS) -> str | None:
    """"… and 5 more running and 20 more candidate projects; hint" for the kinds of which some rows are hidden; None when none is."""
    more = " and ".join(f"{count:,} more {kind}" for count, kind in counts if count > 0)
    return f"… and {more} {noun}" + (f"; {hint}" if hint else "") if more else None


def more_rows(hidden: int, noun: str, *, hint: str = ALL_ROWS) -> str:
    """"… and 16,950 more projects; --format plain (or csv, json) shows every row" (no hint when `hint` is empty)."""
    return f"… and {hidden:,} more {noun}" + (f"; {hint}" if hint else "")


# GitHub refuses a comment over 65,536 characters; a comment is cut below, with room for the line that says so.
COMMENT_LIMIT = 60_000
_CLOSING_ROOM = 300
# Lines that must not end a cut comment: a heading or a table's head without a row under it.
_HEADS = ("#### ", "| project ", "| total ", "| effect ", "| scenario ", "| ---", "|--")


def cut_comment(text: str, limit: int, room: int = 0) -> tuple[str, list[str]]:
    """The first whole lines of a Markdown comment that fit in `limit` (less `room` and the closing line's own room),
    never ending on a heading or a table head alone, so every table and list stays well formed; and the lines left out."""
    lines = text.split("\n")
    size, kept = 0, 0
    for line in lines:
        if size + len(line) + 1 > limit - _CLOSING_ROOM - room:
            break
        size += len(line) + 1
        kept += 1
    shown = lines[:kept]
    while shown and (shown[-1].startswith(_HEADS) or not shown[-1]):
        shown.pop()
    return "\n".join(shown).rstrip("\n"), lines[len(shown) :]


def is_row(line: str) -> bool:
    """A list item or a table row (not a table's head): one change, or one entry, as a reader counts them."""
    return line.startswith(("- ", "| ")) and not line.startswith(_HEADS)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` in lines of at most `width` terminal columns, broken at spaces only (a word longer than the line stays
    whole); lines after the first start with `indent`. A Chinese character takes two columns, as a terminal draws it."""
    import textwrap

    if text.isascii():
        return textwrap.wrap(text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False) or [""]
    lines: list[str] = []
    line = ""
    gap = ""
    # Words and the spaces between them as written, as textwrap keeps them (a paragraph's own indent too).
    # The whitespace textwrap breaks at: ASCII's only (a no-break space, an ideographic space stay inside their word).
    for chunk in re.findall(r"[\t\n\x0b\x0c\r ]+|[^\t\n\x0b\x0c\r ]+", text.expandtabs()):
        if chunk[0] in "\t\n\x0b\x0c\r ":
            gap = " " * len(chunk)  # a line break or tab inside reads as spaces
            if not line and not lines:
                line = gap
            continue
        joined = line + gap + chunk if line.strip() else (line if not lines else indent) + chunk
        if line.strip() and _display_width(joined) > width:
            lines.append(line)
            line = indent + chunk
        else:
            line = joined
        gap = ""
    return [*lines, line] if line or not lines else lines


def wrap_phrases(text: str, width: int) -> list[str]:
    """A heading of phrases joined by " · " in lines of at most `width` terminal columns, broken between phrases (each
    line but the last ends with its " ·"); a phrase longer than a line is broken at its spaces (`wrap`)."""
    lines: list[str] = []
    line = ""
    phrases = text.split(" · ")
    for number, phrase in enumerate(phrases):
        room = width if number == len(phrases) - 1 else width - 2  # a line that more phrases follow ends with " ·"
        joined = f"{line} · {phrase}" if line else phrase
        if line and _display_width(joined) > room:  # an organisation named in Chinese takes two columns a character
            lines.append(line + " ·")
            line = phrase
        else:
            line = joined
    return [piece for done in [*lines, line] for piece in wrap(done, width)]


# Where a `narrow` column may break a word: after a hyphen with a letter before it and a letter or digit after it
# (`data-` / `engineer`; never inside `2027-01`, nor after the sign of `-5`).
_HYPHEN = re.compile(r"(?<=[^\W\d_]-)(?=\w)")


def _pieces(text: str) -> list[str]:
    """What a `narrow` column never breaks: the words of `text`, cut after their hyphens (`_HYPHEN`)."""
    return [piece for word in text.split() for piece in _HYPHEN.split(word)] or [""]


def wrap_narrow(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns, as a `narrow` column shows it: words packed at spaces, a
    word wider than the line broken after its hyphens (`hire-data-` / `engineers`), a piece wider than it left whole."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for number, piece in enumerate([word] if _display_width(word) <= width else _HYPHEN.split(word)):
            joined = line + (" " if number == 0 else "") + piece if line else piece
            if line and _display_width(joined) > width:
                lines.append(line)
                line = piece
            else:
                line = joined
    return [*lines, line] if line or not lines else lines


def transposed(table: Table) -> Table:
    """`table` turned a quarter: its rows become columns headed by their first cell, its other columns rows labelled
    by their headers (the first column's header heads the labels), each cell formatted as its column was. For a few
    rows of many figures compared side by side (plans): the row columns are `narrow`, and repeat the labels in each
    group of them that fits a terminal. Title, footer, notes and the sentence of an empty table stay (a table with no
    row turns into none, so it says that sentence); the terminal-only row styles and rules go."""
    head, *rest = table.columns
    rows = list(table.rows)
    columns = [Column(head.header, narrow=True), *(Column(format_cell(row[0], head.kind), narrow=True) for row in rows)]
    lines = [(column.header, *(format_cell(row[index], column.kind) for row in rows)) for index, column in enumerate(rest, 1)] if rows else []
    return Table(columns, lines, title=table.title, footer=table.footer, notes=table.notes, repeat=1, empty=table.empty)


def render(table: Table, out: Output) -> str:
    """Render `table` as `out.format`: text (rich), plain, markdown or csv; the headers escaped for it, as the cells are
    (a header may be user text: a criterion's name in `scores.NAME`, an id, the currency)."""
    user = escaper(out.format)
    table = replace(table, columns=[replace(column, header=user(column.header), key=column.key and user(column.key)) for column in table.columns])
    if out.format == "csv":
        return render_csv(table)
    if not table.rows and table.empty is not None:
        return render_empty(table, out.format, out.width if out.format == "text" else None)
    if out.format == "markdown":
        return render_markdown(table)
    if out.format == "text":
        return render_rich(table, color=out.color, width=out.width)
    return render_plain(table)


def render_empty(table: Table, fmt: str, width: int | None = None) -> str:
    """A table with no row, for people: its title, then its `empty` sentence (and its notes), in place of bare headers;
    on a terminal `width` columns wide, wrapped at words."""
    user = escaper(fmt)
    lines = [title(table.title, fmt)] if table.title else []
    sentence = user(table.empty or "")
    if fmt == "markdown":
        lines += ["", sentence] if lines else [sentence]
    else:
        indent = "  " if lines else ""
        lines += wrap(indent + sentence, max(width or 120, 20), indent) if width else [indent + sentence]
    for note in table.notes:
        lines += wrap(user(note), max(width or 120, 20)) if width else [user(note)]
    return "\n".join(lines) + "\n"


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
    """A field as the csv module writes it (quoted when it holds a comma, a quote, a CR or a LF)."""
    out = io.StringIO()
    # A second, empty field: the csv module quotes a lone empty field, never one beside another. It quotes a field
    # that holds a character of its line terminator: "\r\n", so that a lone CR, which a reader takes for a line
    # break, is quoted too (the lines themselves end in "\n").
    csv.writer(out, lineterminator="\r\n").writerow((text, ""))
    return out.getvalue()[:-3]


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


@dataclass(frozen=True)
class Layout:
    """How a table fits a terminal: the columns shown (indexes) and their widths, or `stacked` when even the KEY columns do not fit.

    `below` are the wrapped (free-text) columns with no room beside the others: each row's text goes on lines under
    the row, the width of the table, rather than being left out.
    """

    shown: tuple[int, ...]
    widths: tuple[int, ...]
    stacked: bool = False
    below: tuple[int, ...] = ()

    def holds(self, index: int) -> bool:
        """Whether column `index` is on the screen: shown, or under the rows."""
        return index in self.shown or index in self.below


# Between two columns of a terminal table: a space of padding, the (blank) divider, a space of padding.
_GAP = 3


def _words(text: str) -> list[str]:
    return text.split() or [""]


def _measure(columns: Sequence[Column], cells: Sequence[Sequence[str]]) -> tuple[list[int], list[int], list[int], list[int]]:
    """Each column's widths on a terminal (see `fit`):

    - natural: its widest cell or header;
    - needed: the least it takes (a `wrap` column's longest word, at least WRAP_MIN unless its text is shorter; a
      `narrow` one's longest piece, `_pieces`; any other's natural width);
    - squeezed: the least it takes so that a KEEP column stays (a `wrap` column's longest word; any other's need);
    - whole: the least that keeps its words whole (a `narrow` column's longest word of a cell: its header may break
      after a hyphen; any other's need).
    """
    natural: list[int] = []
    needed: list[int] = []
    squeezed: list[int] = []
    whole: list[int] = []
    for index, column in enumerate(columns):
        texts = [row[index] for row in cells]
        full = max([_display_width(column.header), *map(_display_width, texts)])
        natural.append(full)
        if column.narrow:
            needed.append(max(_display_width(piece) for text in (column.header, *texts) for piece in _pieces(text)))
            squeezed.append(needed[-1])
            whole.append(max([needed[-1], *(_display_width(word) for text in texts for word in _words(text))]))
        elif column.wrap:
            # A word longer than LONGEST_WORD (a link in a note) is folded, not given a column of its own width.
            longest = min(LONGEST_WORD, max(_display_width(word) for text in (column.header, *texts) for word in _words(text)))
            needed.append(max(longest, min(full, WRAP_MIN)))
            squeezed.append(longest)
            whole.append(needed[-1])
        else:
            needed.append(full)
            squeezed.append(full)
            whole.append(full)
    return natural, needed, squeezed, whole


def _total(minimum: Sequence[int], shown: Sequence[int]) -> int:
    """The width of the columns `shown`, each at its `minimum` width, with the gaps between them."""
    return sum(minimum[index] for index in shown) + _GAP * (len(shown) - 1)


def fit(columns: Sequence[Column], cells: Sequence[Sequence[str]], width: int) -> Layout:
    """The widest layout of `columns` that fits `width` without cutting a cell.

    A column needs its widest cell (and header), or for a `wrap` column its
    longest word (at least WRAP_MIN unless its text is shorter), or for a
    `narrow` one its longest piece (`_pieces`). Columns of the largest
    `priority` go first (of equals, free text first, then the rightmost) until the rest fit,
    with two rules:

    - free text wraps before a column kept longest is hidden: before a column
      of priority KEEP goes, the wrapped columns may narrow from WRAP_MIN to
      their longest word;
    - free text is never hidden: a `wrap` column whose turn comes goes under
      its row (`Layout.below`), as wide as the table; the width it frees brings
      back the columns hidden before it, the most important first, while they
      fit.

    The room left is then given out in turn: to the wrapped columns narrowed
    below WRAP_MIN (the leftmost first); to the narrow columns, to keep their
    words whole (the cheapest first: `qa-engineer` rather than `qa-` /
    `engineer`), then their cells on one line (the cheapest first: as many as
    can be); last to the wrapped columns, in proportion to what they lack, up
    to their longest line.
    """
    natural, needed, squeezed, whole = _measure(columns, cells)
    shown = list(range(len(columns)))
    below: list[int] = []
    hidden: list[int] = []
    minimum = needed
    # Of equal priority, free text goes (under its row) before a figure is hidden, then the rightmost first.
    for index in sorted((i for i, c in enumerate(columns) if c.priority > KEY), key=lambda i: (-columns[i].priority, not columns[i].wrap, -i)):
        if _total(needed, shown) <= width:
            break
        if columns[index].priority <= KEEP and _total(squeezed, shown) <= width:
            minimum = squeezed  # the free text narrows below WRAP_MIN rather than this column going
            break
        if shown == [index]:
            break  # a table keeps a column beside its rows; else it is stacked
        shown.remove(index)
        if columns[index].wrap:
            below.append(index)
        else:
            hidden.append(index)
    # Free text that went under its rows frees its width: a column hidden before it comes back if it fits now,
    # the one hidden last (the more important) first.
    for index in reversed(hidden if below else []):
        if _total(minimum, sorted([*shown, index])) > width:
            break  # one less important must not come back in its place (a 0 shown where a change is hidden)
        shown = sorted([*shown, index])
    if _total(minimum, shown) > width:
        return Layout(tuple(range(len(columns))), tuple(natural), stacked=True)
    widths = {index: minimum[index] for index in shown}
    left = width - _total(minimum, shown)
    # The free text narrowed for a KEEP column is given back what it can of the room left, the leftmost first.
    for index in shown:
        grow = min(left, needed[index] - widths[index])
        widths[index] += grow
        left -= grow
    # A narrow column takes the room that keeps its words whole, then its cells on one line, the cheapest first.
    for goal in (whole, natural):
        for index in sorted((i for i in shown if columns[i].narrow), key=lambda i: goal[i] - widths[i]):
            if 0 < goal[index] - widths[index] <= left:
                left -= goal[index] - widths[index]
                widths[index] = goal[index]
    # The room left goes to the wrapped columns in proportion to what each lacks of its longest line.
    short = {index: natural[index] - widths[index] for index in shown if columns[index].wraps and natural[index] > widths[index]}
    spare = min(left, sum(short.values()))
    for index, lack in short.items():
        widths[index] += spare * lack // sum(short.values())
    left -= sum(spare * lack // sum(short.values()) for lack in short.values())
    for index, lack in short.items():
        grow = min(left, natural[index] - widths[index])
        widths[index] += grow
        left -= grow
    return Layout(tuple(shown), tuple(widths[index] for index in shown), below=tuple(sorted(below)))


def fit_groups(columns: Sequence[Column], cells: Sequence[Sequence[str]], width: int, repeat: int) -> list[Layout]:
    """`columns` in groups that each fit `width`, each headed by the first `repeat` columns: the others in order, in as
    few groups as fit beside them at their needed widths, as even as fit (8 plans in two groups of 4, not 5 and 3),
    each group then laid out by `fit`. One layout of all the columns (as `fit` gives: stacked, or some left out or
    under the rows) when a group would lose a column."""
    _, needed, _, _ = _measure(columns, cells)
    heads = list(range(repeat))
    rest = list(range(repeat, len(columns)))

    def fits(group: list[int]) -> bool:
        return _total(needed, heads + group) <= width

    greedy: list[list[int]] = []
    for index in rest:
        if greedy and fits(greedy[-1] + [index]):
            greedy[-1].append(index)
        else:
            greedy.append([index])
    size = -(-len(rest) // max(1, len(greedy)))
    even = [rest[start : start + size] for start in range(0, len(rest), size)] if rest else []
    groups = even if len(even) == len(greedy) and all(map(fits, even)) else greedy
    layouts = []
    for group in groups or [[]]:
        shown = heads + group
        layout = fit([columns[index] for index in shown], [[row[index] for index in shown] for row in cells], width)
        if layout.stacked or len(layout.shown) < len(shown):
            return [fit(columns, cells, width)]
        layouts.append(Layout(tuple(shown[index] for index in layout.shown), layout.widths))
    return layouts


def _stacked(table: Table, cells: Sequence[Sequence[str]], width: int) -> list[tuple[str, str | None]]:
    """Each row as a block: its first KEY cell on a line (labelled unless it is text, a name or an id), then `label: value` lines wrapped at words; (text, style) per line."""
    head = next((i for i, column in enumerate(table.columns) if column.priority == KEY), 0)
    # A bare figure heading a block says nothing of what it is (a budget, a BAC).
    head_label = "" if table.columns[head].kind == "text" else f"{table.columns[head].header}: "
    rest = [i for i in range(len(table.columns)) if i != head]
    # A label longer than a third of the width gets a line of its own, so it does not push every value right.
    label_width = max([w for w in (_display_width(table.columns[i].header) for i in rest) if w <= width // 3] or [0])
    lines: list[tuple[str, str | None]] = []
    for number, (raw, row) in enumerate(zip(table.rows, cells)):
        lines.extend((line, "bold") for line in wrap(head_label + row[head], width))
        for index in rest:
            column = table.columns[index]
            prefix = f"  {column.header}: ".ljust(label_width + 4)
            indent = " " * min(len(prefix), label_width + 4)
            room = max(1, width - len(indent))
            wrapped = wrap(row[index], room)
            style = column.style(raw[index]) if column.style is not None else None
            if _display_width(prefix) + _display_width(wrapped[0]) > width:
                lines.append((prefix.rstrip(), None))
            else:
                lines.append((prefix + wrapped.pop(0), style))
            lines.extend((indent + line, style) for line in wrapped)
        rule = number in table.rules_after and number < len(table.rows) - 1
        lines.append(("═" * width if rule else "", None))
    return lines


def _under(table: Table, below: Sequence[int], raw: Sequence[Any], row: Sequence[str], indent: str, width: int) -> list[tuple[str, str | None]]:
    """A row's free text that goes under it: `header: text` wrapped at words, indented; nothing for an empty cell."""
    lines: list[tuple[str, str | None]] = []
    for index in below:
        column = table.columns[index]
        if row[index] in ("", "—"):
            continue
        style = column.style(raw[index]) if column.style is not None else None
        lines.extend((line, style) for line in wrap(f"{indent}{column.header}: {row[index]}", width, indent))
    return lines


def render_rich(table: Table, *, color: bool, width: int | None) -> str:
    """The table on a terminal `width` columns wide: no cell cut, the least important columns left out first (free text
    under its row), else stacked (see `fit`); a table that repeats its first columns continues below in groups of
    columns instead (`fit_groups`)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    width = max(width or 120, 20)  # no width reported (0): the default; never under 20 columns
    console = Console(file=io.StringIO(), width=width, color_system="standard" if color else None, force_terminal=color, no_color=not color, highlight=False)
    # A title or cell is a `Text`, never a markup string: '[link=…]' in a name stays text.
    if table.title:
        console.print(Text(escape.terminal(table.title), style="bold"))
    cells = _cells(table)
    layouts = fit_groups(table.columns, cells, width, table.repeat) if table.repeat else [fit(table.columns, cells, width)]
    # SIMPLE_HEAD with a visible row rule, so `rules_after` (the funding line) draws a line, not a blank row.
    ruled = box.Box("    \n    \n ── \n    \n ══ \n    \n    \n    \n")

    def lines(text: str, column: Column, column_width: int) -> str:
        """A `narrow` column's text broken into its lines here (rich breaks at spaces only); any other's as it is."""
        return "\n".join(wrap_narrow(text, column_width)) if column.narrow else text

    def rich_table(layout: Layout, header: bool = True, rule: bool = bool(table.rules_after)) -> Any:
        shaped = RichTable(box=ruled if rule else box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_header=header)
        for index, column_width in zip(layout.shown, layout.widths):
            column = table.columns[index]
            head = Text(lines(column.header, column, column_width))
            shaped.add_column(head, justify="right" if column.right else "left", no_wrap=not column.wrap, overflow="fold" if column.wrap else "ellipsis", width=column_width)
        return shaped

    def add_row(shaped: Any, layout: Layout, number: int, raw: Sequence[Any], row: Sequence[str]) -> None:
        styled = []
        for index, column_width in zip(layout.shown, layout.widths):
            column = table.columns[index]
            style = column.style(raw[index]) if column.style is not None else None
            styled.append(Text(lines(row[index], column, column_width), style=style or ""))
        row_style = table.row_styles[number] if number < len(table.row_styles) else None
        shaped.add_row(*styled, style=row_style, end_section=number in table.rules_after)

    if layouts[0].stacked:
        console.print()
        for line, style in _stacked(table, cells, width):
            console.print(Text(line, style=style or ""), no_wrap=True, overflow="ignore", crop=False)
    for group, layout in enumerate(() if layouts[0].stacked else layouts):
        if group:
            console.print()
        if not layout.below:
            whole = rich_table(layout)
            for number, (raw, row) in enumerate(zip(table.rows, cells)):
                add_row(whole, layout, number, raw, row)
            console.print(whole)
        else:
            # Row by row, each with the same widths, so the free text that had no room beside the row goes under it.
            console.print(rich_table(layout), end="")
            table_width = sum(layout.widths) + _GAP * (len(layout.widths) - 1)
            indent = " " * min(layout.widths[0] + _GAP, width // 3)
            for number, (raw, row) in enumerate(zip(table.rows, cells)):
                one = rich_table(layout, header=False, rule=False)
                add_row(one, layout, number, raw, row)
                console.print(one)
                for line, style in _under(table, layout.below, raw, row, indent, width):
                    console.print(Text(line, style=style or ""), no_wrap=True, overflow="ignore", crop=False)
                if number in table.rules_after and number < len(table.rows) - 1:
                    console.print(Text("═" * table_width))
    below = _below(table)
    left_out = [column.header for index, column in enumerate(table.columns) if not any(layout.holds(index) for layout in layouts)]
    if left_out:
        # Right under the table (and its "… more" line), above the footer: it is about the table's columns.
        below.insert(1 if table.omitted else 0, f"Hidden at {width} columns: {', '.join(left_out)}; --format plain shows all")
    for line in below:
        console.print(Text(escape.terminal(line)))
    return console.file.getvalue()  # type: ignore[attr-defined]
