"""One table record, four renderings: rich on a terminal, plain text, Markdown (tabulate) and CSV.

Views build a `Table` from analysis records; this module only lays it out and
formats numbers per output (thousands separators for people, bare numbers for CSV).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["text", "money", "number", "ratio", "int", "percent"]
# A cell's style on a terminal, from its raw value (heat maps, health colours).
Styler = Callable[[Any], str | None]

TABLE_FORMATS = ("text", "plain", "markdown", "csv")


@dataclass(frozen=True)
class Column:
    """A column: header, how its values are formatted, and an optional terminal style per value."""

    header: str
    kind: Kind = "text"
    style: Styler | None = None

    @property
    def right(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Table:
    """A table ready to render.

    Attributes:
        columns: the columns.
        rows: raw cell values (str, int, float, None), one tuple per row.
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


def format_cell(value: Any, kind: Kind, *, human: bool = True) -> str:
    """A cell as text; `human=False` gives the bare figure for CSV."""
    if value is None:
        return "" if not human else "—"
    if isinstance(value, str) or kind == "text":
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
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


def render_table(table: Table, fmt: str, *, color: bool = True, width: int | None = None) -> str:
    """Render `table` as `fmt`: text (rich), plain, markdown or csv."""
    if fmt == "csv":
        return render_csv(table)
    if fmt == "markdown":
        return render_markdown(table)
    if fmt == "text":
        return render_rich(table, color=color, width=width)
    return render_plain(table)


def _cells(table: Table, human: bool = True) -> list[list[str]]:
    return [[format_cell(value, column.kind, human=human) for value, column in zip(row, table.columns)] for row in table.rows]


def render_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column.header for column in table.columns])
    writer.writerows(_cells(table, human=False))
    return out.getvalue()


def _around(table: Table, body: str, markdown: bool = False) -> str:
    parts = []
    if table.title:
        parts.append(f"**{table.title}**\n" if markdown else f"{table.title}\n")
    parts.append(body)
    if table.omitted:
        parts.append(f"\n{table.omitted}")
    for line in table.footer:
        parts.append(f"\n{line}")
    for line in table.notes:
        parts.append(f"\n{line}")
    return "\n".join(parts) + "\n"


def render_markdown(table: Table) -> str:
    from tabulate import tabulate

    body = tabulate(
        _cells(table),
        headers=[column.header for column in table.columns],
        tablefmt="github",
        colalign=["right" if c.right else "left" for c in table.columns],
        disable_numparse=True,
    )
    return _around(table, body, markdown=True)


def render_plain(table: Table) -> str:
    """Plain aligned text; the funding line is a row of dashes."""
    cells = _cells(table)
    headers = [column.header for column in table.columns]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if c.right else v.ljust(w) for v, w, c in zip(values, widths, table.columns)).rstrip()

    lines = [line(headers), "  ".join("-" * w for w in widths)]
    for index, row in enumerate(cells):
        lines.append(line(row))
        if index in table.rules_after and index != len(cells) - 1:
            lines.append("  ".join("=" * w for w in widths))
    return _around(table, "\n".join(lines))


def render_rich(table: Table, *, color: bool, width: int | None) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    # SIMPLE_HEAD with a visible row rule, so `rules_after` (the funding line) draws a line, not a blank row.
    ruled = box.Box("    \n    \n ── \n    \n ══ \n    \n    \n    \n")
    rich_table = RichTable(title=table.title, box=ruled if table.rules_after else box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    for column in table.columns:
        rich_table.add_column(column.header, justify="right" if column.right else "left", no_wrap=column.right)
    cells = _cells(table)
    for index, (raw, row) in enumerate(zip(table.rows, cells)):
        styled = []
        for value, text, column in zip(raw, row, table.columns):
            style = column.style(value) if column.style is not None else None
            styled.append(Text(text, style=style or ""))
        row_style = table.row_styles[index] if index < len(table.row_styles) else None
        rich_table.add_row(*styled, style=row_style, end_section=index in table.rules_after)
    console = Console(file=io.StringIO(), width=width or 120, color_system="standard" if color else None, force_terminal=color, no_color=not color, highlight=False)
    console.print(rich_table)
    for line in ([table.omitted] if table.omitted else []) + list(table.footer) + list(table.notes):
        console.print(Text(line))
    return console.file.getvalue()  # type: ignore[attr-defined]
