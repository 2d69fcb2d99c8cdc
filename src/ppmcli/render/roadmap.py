"""Render layer: the `ppm roadmap` record as a terminal Gantt chart, plain text, a Mermaid `gantt` block or JSON.

The chart fits a given width: one character is a span of days. Health is never
shown by colour alone: every row carries its symbol and word, and each health
fills its bar with its own pattern (legend under the chart). Every name and id
is escaped for its output (`escape`: terminal, Mermaid, Markdown), so GitHub
renders any project name as text. Nothing here computes a figure.
"""

from __future__ import annotations

import io
from itertools import groupby
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ppmcli.analysis.delivery.roadmap import Bar, Lane, Link, Roadmap
from ppmcli.core.findings import listed
from ppmcli.core.model import INVALID_FILE
from ppmcli.render import escape
from ppmcli.render.json import dumps, iso
from ppmcli.render.output import Output
from ppmcli.render.table import HEALTH_SYMBOLS, more_rows, screenful, wrap, wrap_phrases

FORMATS = ("text", "plain", "markdown", "json")
# Output that is not a terminal has no width to fit: a fixed one keeps files and CI logs stable.
PLAIN_WIDTH = 100
# One pattern per health, so a bar reads in black and white: solid, dark shade, medium shade, dashed.
BAR_FILL = {"green": "█", "amber": "▒", "red": "▓", "unknown": "┄"}
MILESTONE_SYMBOLS = {"done": "◆", "due": "◇", "late": "!"}
AS_OF_LINE = "│"
_HEALTH_STYLE = {"green": "green", "amber": "yellow", "red": "bold red", "unknown": "dim"}
_MILESTONE_STYLE = {"done": "bold", "due": "bold cyan", "late": "bold red reverse"}
_AS_OF_STYLE = "bold magenta"
_NO_GROUP = {"portfolio": "(no portfolio)", "program": "(no program)"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LABEL_MAX = 30
_HEALTH_WIDTH = 9  # "? unknown"
_MIN_TIMELINE = 20
# Ids named on a terminal's "Outside the range" line before "… and N more".
_OUTSIDE_SHOWN = 10
_ALL_BARS = "narrow with --portfolio, --tag or --from/--to, or --format plain (or markdown, json) shows every row"
_LINK_TEXT = {
    "ok": "ok",
    "overlaps": "overlaps: it ends after this one starts",
    "met": "met (closed)",
    "cancelled": "never met (cancelled)",
    "unknown": "unknown project",
}
# The states drawn in bold red: the dependency does not hold as planned, or cannot be read.
_BROKEN = ("overlaps", "cancelled", "unknown", "invalid")


def health_label(health: str) -> str:
    """Health as symbol and word ("▲ amber"), readable without colour."""
    return f"{HEALTH_SYMBOLS[health]} {health}"


def breach_lines(roadmap: Roadmap) -> list[str]:
    """What a plan that breaks its limits says under its roadmap: that it starts nothing else, and each limit with its figures."""
    if not roadmap.breaches:
        return []
    return ["The plan breaks its limits with what it must keep and start, so it starts nothing else (ppm plan says more):"] + [
        f"BREACH {breach.limit}: {breach.detail}" for breach in roadmap.breaches
    ]


def _title(roadmap: Roadmap) -> str:
    return "Roadmap of the plan" if roadmap.planned else "Roadmap"


def left_out_line(roadmap: Roadmap, user: Callable[[str], str], few: int | None = None) -> str:
    """What a plan's roadmap leaves undrawn: the candidates the plan does not start, in rank order (`user` escapes an
    id; a terminal names the first `few`)."""
    if not roadmap.left_out:
        return "Every candidate is started."
    return f"Not started, so not drawn: {listed(map(user, roadmap.left_out), few or len(roadmap.left_out))}."


def lane_title(roadmap: Roadmap, lane: Lane) -> str:
    """A lane's display name; the lane of projects with no program gets a label of its own."""
    return lane.name if lane.name is not None else _NO_GROUP[roadmap.by]


def render(roadmap: Roadmap, out: Output) -> str:
    """The roadmap: text (rich, fitted to the terminal: a screenful of bars, then how many more), plain (`PLAIN_WIDTH` wide), markdown (Mermaid) or json."""
    if out.format == "json":
        return dumps(roadmap_json(roadmap))
    if out.format == "markdown":
        return mermaid(roadmap)
    if out.terminal:
        return chart(roadmap, color=out.color, width=out.width, limit=screenful(out.height), fit=True)
    return chart(roadmap, color=False, width=PLAIN_WIDTH)


# ---------------------------------------------------------------- JSON


def roadmap_json(roadmap: Roadmap) -> dict[str, Any]:
    """The JSON object of `ppm roadmap`: range, lanes with their bars and milestones, dependencies."""
    return {
        "as_of": iso(roadmap.as_of),
        "by": roadmap.by,
        "from": iso(roadmap.start),
        "to": iso(roadmap.end),
        "groups": [
            {"key": lane.key, "name": lane.name, "health": lane.health, "projects": [_bar_json(bar, roadmap.planned) for bar in lane.bars]}
            for lane in roadmap.lanes
        ],
        "dependencies": [
            {"project": link.project, "start": iso(link.start), "depends_on": link.needs, "depends_on_end": iso(link.needs_end), "state": link.state}
            for link in roadmap.links
        ],
        "outside": list(roadmap.outside),
        **({"breaches": [{"limit": breach.limit, "detail": breach.detail} for breach in roadmap.breaches], "left_out": list(roadmap.left_out)} if roadmap.planned else {}),
    }


def _bar_json(bar: Bar, planned: bool) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": bar.id,
        "name": bar.name,
        "phase": bar.phase,
        "health": bar.health,
        "start": iso(bar.start),
        "end": iso(bar.end),
        "bar_start": iso(bar.bar_start),
        "bar_end": iso(bar.bar_end),
        "milestones": [{"name": m.name, "date": iso(m.date), "done": iso(m.done), "state": m.state} for m in bar.milestones],
        "depends_on": list(bar.depends_on),
    }
    if planned:  # a plan's roadmap: the file's start of a late candidate, and the stopped running projects
        found["planned_start"] = iso(bar.planned_start)
        found["stopped"] = bar.stopped
    return found


def plan_mark(bar: Bar) -> str:
    """What a plan does to a bar, in a few words ("" when it keeps its dates)."""
    if bar.stopped:
        return "stopped"
    if bar.planned_start is not None:
        return f"planned {bar.planned_start} → {bar.start}"
    return ""


# ---------------------------------------------------------------- terminal chart


@dataclass(slots=True)
class _Line:
    """One line of the chart: its characters and, side by side, the rich style of each ("" for none).

    Two flat lists rather than a (character, style) pair per cell: plain text
    joins the characters in C, and a bar is drawn with slice assignments.
    """

    chars: list[str]
    styles: list[str]

    def __add__(self, other: _Line) -> _Line:
        return _Line(self.chars + other.chars, self.styles + other.styles)

    def put(self, index: int, char: str, style: str) -> None:
        self.chars[index] = char
        self.styles[index] = style

    def fill(self, first: int, last: int, char: str, style: str) -> None:
        """Cells first..last (inclusive) become `char` in `style`."""
        count = last + 1 - first
        self.chars[first : last + 1] = [char] * count
        self.styles[first : last + 1] = [style] * count


@dataclass(frozen=True, slots=True)
class _Scale:
    """Maps days of [start, end] to `columns` character cells."""

    start: date
    days: int
    columns: int

    def column(self, day: date) -> int:
        return min(self.columns - 1, max(0, (day - self.start).days * self.columns // self.days))

    def last_column(self, day: date) -> int:
        """The last cell of `day`: cells end where the next day's begin (a day may span several cells)."""
        after = (day - self.start).days + 1
        return max(self.column(day), min(self.columns, after * self.columns // self.days) - 1)


def chart(roadmap: Roadmap, *, color: bool, width: int, limit: int | None = None, fit: bool = False) -> str:
    """The Gantt chart: a title, a time axis, one row per lane and per bar, then the legend and dependencies.

    Args:
        roadmap: the record.
        color: style bars, milestones and the as-of line (rich, standard colours).
        width: characters per line to fit.
        limit: most bars drawn, in lane order (a terminal's screenful); the
            dependencies and outside projects listed are cut to match. None draws every bar.
        fit: a terminal's chart: no id or lane name cut (while the timeline keeps
            `_MIN_TIMELINE`). Sentences are wrapped at words to the chart's width either way.

    Returns:
        The chart's text, with ANSI styles when `color`.
    """
    lanes = _first_bars(roadmap.lanes, limit)
    bars = [bar for _, lane_bars in lanes for bar in lane_bars]
    hidden = len(roadmap.bars) - len(bars)
    links: Sequence[Link] = roadmap.links
    outside: Sequence[str] = roadmap.outside
    if hidden:
        shown = {bar.id for bar in bars}
        links = [link for link in links if link.project in shown]
    drawn = len(links)
    links = links[:LINKS_LISTED]
    if limit is not None:
        outside = outside[:_OUTSIDE_SHOWN]
    ids = {bar.id: escape.terminal(bar.id) for bar in bars}
    labels = [len(ids[bar.id]) + 2 for bar in bars]
    if fit:
        labels += [len(escape.terminal(lane_title(roadmap, lane))) for lane, _ in lanes]
    label_max = max(_LABEL_MAX, width - _HEALTH_WIDTH - 2 - _MIN_TIMELINE) if fit else _LABEL_MAX
    # A label longer than the most the column may take goes on a line of its own (`labelled`): it widens nothing.
    label_width = max([label for label in labels if label <= label_max] + [12])
    timeline = max(_MIN_TIMELINE, width - label_width - _HEALTH_WIDTH - 2)
    scale = _Scale(roadmap.start, (roadmap.end - roadmap.start).days + 1, timeline)
    as_of = scale.column(roadmap.as_of) if roadmap.start <= roadmap.as_of <= roadmap.end else None
    lead = label_width + _HEALTH_WIDTH + 2

    heading = f"{_title(roadmap)} · {escape.terminal(roadmap.organisation)} · as of {roadmap.as_of} · {roadmap.start} to {roadmap.end} · by {roadmap.by}"

    def sentence(text: str, style: str = "", indent: str = "") -> list[_Line]:
        return [_text(line, style) for line in wrap(text, max(width, lead + timeline), indent)]

    lines = [_text(line, "bold") for line in wrap_phrases(heading, lead + timeline)] if fit else [_text(_fit(heading, lead + timeline), "bold")]
    for axis in _axis(scale):
        lines.append(_text(" " * lead) + axis)
    if as_of is not None:
        marker = _text(" " * timeline)
        marker.put(as_of, "▼", _AS_OF_STYLE)
        lines.append(_text(" " * lead) + marker)
    if not bars:
        lines.append(_text("No open project falls in this range."))

    def labelled(label: str, style: str = "") -> _Line:
        """The label column of a row; a label too long for it goes whole on a line of its own above the row (ids are never cut)."""
        if len(label) > label_width:
            lines.append(_text(label, style))
            label = ""
        return _text(label.ljust(label_width + 1), style)

    for lane, lane_bars in lanes:
        lines.append(labelled(escape.terminal(lane_title(roadmap, lane)), "bold") + _health_cells(lane.health) + _empty(timeline, as_of))
        for bar in lane_bars:
            lines.append(labelled(f"  {ids[bar.id]}{_PLAN_SIGN.get(_plan_state(bar), '')}") + _health_cells(bar.health) + _bar_cells(bar, scale, as_of))
    if hidden:
        lines.append(_text(more_rows(hidden, "projects", hint=_ALL_BARS)))
    lines.append(_text(""))
    lines.extend(_legend())
    if outside:
        more = len(roadmap.outside) - len(outside)
        lines.extend(sentence(f"Outside the range: {', '.join(map(escape.terminal, outside))}" + (f" {more_rows(more, 'projects', hint='')}" if more else ""), indent="  "))
    changed = [bar for bar in bars if plan_mark(bar)]
    if roadmap.planned:
        lines.append(_text(""))
        lines.append(_text(f"Plan ({_PLAN_SIGN['late'].strip()} starts late, {_PLAN_SIGN['stopped'].strip()} stopped)", "bold"))
        for bar in changed:
            lines.extend(sentence(f"  {ids[bar.id]}: {plan_mark(bar)}", indent="    "))
        lines.extend(sentence(f"  {left_out_line(roadmap, escape.terminal, _OUTSIDE_SHOWN if limit is not None else None)}", indent="    "))
        for line in breach_lines(roadmap):
            lines.extend(sentence(f"  {escape.terminal(line)}", "bold red", indent="    "))
    if links:
        lines.append(_text(""))
        lines.append(_text("Dependencies", "bold"))
        for link in links:
            lines.extend(sentence(f"  {link_sentence(link, escape.terminal)}", "bold red" if link.state in _BROKEN else "", indent="    "))
    if len(links) < drawn:
        lines.append(_text(f"  {more_links(drawn - len(links))}"))
    if drawn < len(roadmap.links):
        lines.append(_text(f"  {more_rows(len(roadmap.links) - drawn, 'dependencies of projects not drawn', hint='')}"))
    return _paint(lines, color=color, width=max(width, lead + timeline))


# Dependencies listed under a chart, at most: a dense graph (every project on every earlier one) has hundreds of
# thousands, which no reader reads and which would make the output tens of megabytes; the JSON has them all.
LINKS_LISTED = 500


def more_links(count: int) -> str:
    """The line that stands for the dependencies past `LINKS_LISTED`."""
    return more_rows(count, "dependencies", hint="ppm roadmap --format json lists every one")


def listed_links(links: Sequence[Link], name: Callable[[str], str]) -> list[str]:
    """The dependencies as sentences (`name` writes an id for the output), at most `LINKS_LISTED`, then a line for the rest."""
    lines = [link_sentence(link, name) for link in links[:LINKS_LISTED]]
    if len(links) > LINKS_LISTED:
        lines.append(more_links(len(links) - LINKS_LISTED))
    return lines


# Marks after a bar's id on a plan's roadmap.
_PLAN_SIGN = {"late": " »", "stopped": " ✕"}


def _plan_state(bar: Bar) -> str:
    return "stopped" if bar.stopped else "late" if bar.planned_start is not None else ""


def _first_bars(lanes: Sequence[Lane], limit: int | None) -> list[tuple[Lane, Sequence[Bar]]]:
    """Each lane with the bars drawn: all of them, or the first `limit` bars in lane order (lanes left empty are dropped)."""
    if limit is None:
        return [(lane, lane.bars) for lane in lanes]
    shown: list[tuple[Lane, Sequence[Bar]]] = []
    for lane in lanes:
        if limit <= 0:
            break
        if lane.bars:
            shown.append((lane, lane.bars[:limit]))
            limit -= len(lane.bars[:limit])
    return shown


def _text(text: str, style: str = "") -> _Line:
    return _Line(list(text), [style] * len(text))


def _health_cells(health: str) -> _Line:
    cells = _HEALTH_CELLS.get(health)
    if cells is None:  # the same four cells start every bar: drawn once (`+` copies them)
        label = health_label(health)
        cells = _HEALTH_CELLS[health] = _text(label, _HEALTH_STYLE[health]) + _text(" " * (_HEALTH_WIDTH + 1 - len(label)))
    return cells


_HEALTH_CELLS: dict[str, _Line] = {}


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _empty(columns: int, as_of: int | None) -> _Line:
    cells = _Line([" "] * columns, [""] * columns)
    if as_of is not None:
        cells.put(as_of, AS_OF_LINE, _AS_OF_STYLE)
    return cells


def _bar_cells(bar: Bar, scale: _Scale, as_of: int | None) -> _Line:
    cells = _empty(scale.columns, as_of)
    first, last = scale.column(bar.bar_start), scale.last_column(bar.bar_end)
    style = _HEALTH_STYLE[bar.health]
    cells.fill(first, last, BAR_FILL[bar.health], style)
    if as_of is not None and first <= as_of <= last:  # the as-of line crosses the bar
        cells.put(as_of, AS_OF_LINE, _AS_OF_STYLE)
    if bar.clipped_start:
        cells.put(first, "◂", style)
    if bar.clipped_end:
        cells.put(last, "▸", style)
    # Late beats due beats done when two milestones share a cell: the worst news shows.
    for state in ("done", "due", "late"):
        for mark in bar.milestones:
            if mark.state == state:
                cells.put(scale.column(mark.at), MILESTONE_SYMBOLS[state], _MILESTONE_STYLE[state])
    return cells


def _axis(scale: _Scale) -> list[_Line]:
    """Two lines: years, then months (or quarters) where they fit; labels never overlap."""
    end = scale.start + timedelta(days=scale.days - 1)
    per_month = scale.columns * 30.44 / scale.days
    step = 1 if per_month >= 4 else 3 if per_month * 3 >= 3 else 12
    starts = []
    year, month = scale.start.year, scale.start.month - (scale.start.month - 1) % step
    while date(year, month, 1) <= end:
        starts.append(date(year, month, 1))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    years = _labels(scale, [(day, str(day.year)) for day in starts if day.month == 1 or day == starts[0]])
    if step == 12:
        return [years]
    names = [(day, _MONTHS[day.month - 1] if step == 1 else f"Q{(day.month + 2) // 3}") for day in starts]
    return [years, _labels(scale, names)]


def _labels(scale: _Scale, labels: Sequence[tuple[date, str]]) -> _Line:
    """The labels at the columns of their periods' starts, left to right, each a space after the one before: moved a
    column or two into its period where that one ends late, else left out. The first period may start before the chart
    (a range from 5 January): its label gives way to the next one's if they overlap, or a reader takes the partial
    period's label for the next period's and misses one."""
    placed: list[tuple[int, str]] = []
    for number, (day, label) in enumerate(labels):
        column = scale.column(max(day, scale.start))
        ends = scale.column(labels[number + 1][0]) if number + 1 < len(labels) else scale.columns  # the next period's column
        if placed and column <= placed[-1][0] + len(placed[-1][1]):
            if placed[-1][0] + len(placed[-1][1]) + 1 + len(label) <= ends:
                column = placed[-1][0] + len(placed[-1][1]) + 1  # a column or two into its period, after the one before
            elif number == 1 and labels[0][0] < scale.start:
                placed.pop()  # the partial first period's label gives way
            else:
                continue
        if column + len(label) <= scale.columns:
            placed.append((column, label))
    cells = _text(" " * scale.columns)
    for column, label in placed:
        cells.chars[column : column + len(label)] = label
        cells.styles[column : column + len(label)] = ["dim"] * len(label)
    return cells


def _legend() -> list[_Line]:
    """Two short lines (they fit any width the chart fits): bar patterns, then the marks."""
    bars = _text("")
    for health, fill in BAR_FILL.items():
        bars += _text(fill * 2, _HEALTH_STYLE[health]) + _text(f" {health}  ")
    marks = _text("")
    for state, symbol in MILESTONE_SYMBOLS.items():
        marks += _text(symbol, _MILESTONE_STYLE[state]) + _text(f" {state}  ")
    return [bars, marks + _text(AS_OF_LINE, _AS_OF_STYLE) + _text(" as of  ◂ ▸ continues")]


def link_sentence(link: Link, name: escape.Escaper) -> str:
    """A dependency as a sentence: "a (starts D) needs b, which ends D: ok"; `name` writes an id for the output (a code span for Markdown).

    One on a project whose file is invalid says so as every command does: "a (starts D) needs b, whose file is invalid".
    """
    if link.state == "invalid":
        return f"{name(link.project)} (starts {link.start}) needs {name(link.needs)}, {INVALID_FILE}"
    ends = f", which ends {link.needs_end}" if link.needs_end is not None else ""
    return f"{name(link.project)} (starts {link.start}) needs {name(link.needs)}{ends}: {_LINK_TEXT[link.state]}"


def _paint(lines: Sequence[_Line], *, color: bool, width: int) -> str:
    if not color:
        return "".join("".join(line.chars).rstrip() + "\n" for line in lines)
    from rich.console import Console
    from rich.text import Text

    console = Console(file=io.StringIO(), width=width, color_system="standard", force_terminal=True, highlight=False)
    for line in lines:
        text = Text(no_wrap=True, overflow="crop")
        # One span per run of a style, not per character: far fewer escape codes.
        for style, run in groupby(zip(line.chars, line.styles), key=lambda cell: cell[1]):
            text.append("".join(char for char, _ in run), style=style or None)
        text.rstrip()
        console.print(text, soft_wrap=True)
    return console.file.getvalue()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- Mermaid (GitHub renders it)

def mermaid(roadmap: Roadmap) -> str:
    """A Markdown section: a Mermaid `gantt` block (sections per lane) and the dependencies as a list.

    Task names start with the health symbol (so no name can start with a Mermaid
    keyword); `crit` marks red projects and late milestones, `active` committed
    projects, `done` monitoring projects and done milestones. `inclusiveEndDates`
    keeps the inclusive end dates of the files.
    """
    lines = [
        f"**{_title(roadmap)}** · {escape.markdown(roadmap.organisation)} · as of {roadmap.as_of} · {roadmap.start} to {roadmap.end} · by {roadmap.by}",
        "",
        "```mermaid",
        "gantt",
        f"    title {escape.mermaid(f'{roadmap.organisation} roadmap as of {roadmap.as_of}')}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %Y-%m",
        "    inclusiveEndDates",
        "    todayMarker off",
    ]
    if roadmap.start <= roadmap.as_of <= roadmap.end:
        lines += ["    section As of", f"    ▼ {roadmap.as_of} :milestone, {roadmap.as_of}, 0d"]
    for lane in roadmap.lanes:
        lines.append(f"    section {escape.mermaid(lane_title(roadmap, lane))}")
        for bar in lane.bars:
            tags = _bar_tags(bar)
            note = f", {plan_mark(bar)}" if plan_mark(bar) else ""
            lines.append(f"    {escape.mermaid(f'{HEALTH_SYMBOLS[bar.health]} {bar.name} ({bar.health}{note})')} :{tags}{bar.bar_start}, {bar.bar_end}")
            for mark in bar.milestones:
                state = {"done": "done, ", "late": "crit, ", "due": ""}[mark.state]
                lines.append(f"    {escape.mermaid(f'{MILESTONE_SYMBOLS[mark.state]} {mark.name}')} :milestone, {state}{mark.at}, 0d")
    lines += ["```", ""]
    lines.append("Health: " + ", ".join(health_label(h) for h in HEALTH_SYMBOLS) + ". Milestones: " + ", ".join(f"{s} {state}" for state, s in MILESTONE_SYMBOLS.items()) + ".")
    if roadmap.outside:
        lines += ["", f"Outside the range: {', '.join(map(escape.markdown_code, roadmap.outside))}."]
    if roadmap.planned:
        lines += ["", left_out_line(roadmap, escape.markdown_code)]
    if roadmap.breaches:
        lines += [""] + [f"- {escape.markdown(line)}" if index else f"**{escape.markdown(line)}**" for index, line in enumerate(breach_lines(roadmap))]
    if roadmap.links:
        lines += ["", "**Dependencies**", ""]
        lines += [f"- {line}" for line in listed_links(roadmap.links, escape.markdown_code)]
    return "\n".join(lines) + "\n"


def _bar_tags(bar: Bar) -> str:
    tags = []
    if bar.health == "red":
        tags.append("crit")
    if bar.phase == "monitoring":
        tags.append("done")
    elif bar.phase != "proposed":
        tags.append("active")
    return "".join(f"{tag}, " for tag in tags)
