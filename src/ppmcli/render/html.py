"""Render layer: the dashboard record as one self-contained HTML page (plotly.js inlined; no network, no server).

The page holds the rollup tables, the roadmap, score against risk exposure, the
funding line, the efficient frontier, the role capacity heat map and one
earned-value chart per project. Figures are plotly figure dicts drawn by the
inlined plotly.js; the tables show the very figures of `ppm report --format json`,
which the page also embeds as JSON. A Content-Security-Policy (`default-src 'none'`,
scripts allowed by hash) forbids every request. Health is shown by symbol and word,
and by marker shape or bar pattern in the charts, never by colour alone. Nothing
here computes a figure.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from ppmcli.analysis.dashboard import Dashboard
from ppmcli.analysis.delivery.evm import Trend
from ppmcli.analysis.selection.plan import Plan, PlanRow
from ppmcli.analysis.selection.prioritize import FrontierStep
from ppmcli.core.errors import PpmError, counted
from ppmcli.render import escape
from ppmcli.render.capacity import band
from ppmcli.render.ranking import reason_shown
from ppmcli.render.report import FIGURE_COLUMNS, attention_text, report_json
from ppmcli.render.roadmap import HEALTH_SYMBOLS, MILESTONE_SYMBOLS, health_label, lane_title, listed_links
from ppmcli.render.table import format_cell

HEALTH_COLORS = {"green": "#2e7d32", "amber": "#e0a000", "red": "#c62828", "unknown": "#9e9e9e"}
# Black-and-white print: each health has its own bar pattern and marker shape too.
HEALTH_PATTERNS = {"green": "", "amber": "/", "red": "x", "unknown": "."}
HEALTH_MARKERS = {"green": "circle", "amber": "triangle-up", "red": "x", "unknown": "circle-open"}
MILESTONE_MARKERS = {"done": "diamond", "due": "diamond-open", "late": "x"}
# Utilization bands of `ppm capacity`, as a stepped colour scale over 0..150 %.
_HEAT_MAX = 150.0
_HEAT_SCALE = [
    [0.0, "#d6eaf8"], [50 / _HEAT_MAX, "#d6eaf8"],
    [50 / _HEAT_MAX, "#a9dfbf"], [90 / _HEAT_MAX, "#a9dfbf"],
    [90 / _HEAT_MAX, "#f9e79f"], [100 / _HEAT_MAX, "#f9e79f"],
    [100 / _HEAT_MAX, "#f1948a"], [1.0, "#c0392b"],
]
_FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12, "color": "#222"}
_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}

FORMATS = ("html",)


def render_html(dashboard: Dashboard) -> str:
    """The dashboard as one HTML page.

    Args:
        dashboard: the record.

    Returns:
        The page's text.

    Raises:
        PpmError: plotly (the `html` extra) is not installed.
    """
    try:
        from plotly.offline import get_plotlyjs
    except ImportError:
        raise PpmError("--format html needs plotly; install it with pip install plotly (or the html extra: pip install '.[html]' in ppm's folder)") from None
    report = dashboard.report
    data = report_json(report)
    figures: dict[str, dict[str, Any]] = {}
    sections = [
        _headline_section(dashboard),
        _rollup_section(dashboard, data),
        _people_section(dashboard),
        _roadmap_section(dashboard, figures),
        plan_section(dashboard.plan, figures),
        _bubble_section(dashboard, figures),
        _funding_section(dashboard, figures),
        _frontier_section(dashboard, figures),
        _capacity_section(dashboard, figures),
        _earned_value_section(dashboard, figures),
    ]
    boot = (
        "(function () {\n"
        "  var figures = JSON.parse(document.getElementById('ppm-figures').textContent);\n"
        f"  var config = {json.dumps(_PLOTLY_CONFIG)};\n"
        "  var drawn = Object.keys(figures).map(function (id) {\n"
        "    return Plotly.newPlot(id, figures[id].data, figures[id].layout, config);\n"
        "  });\n"
        "  Promise.all(drawn).then(function () { document.body.setAttribute('data-charts-rendered', String(drawn.length)); });\n"
        "})();\n"
    )
    plotly_js = get_plotlyjs()
    title = f"{report.organisation}: portfolio dashboard as of {report.as_of}"
    nav = "".join(f'<a href="#{anchor}">{escape.html_text(label)}</a>' for anchor, label in _NAV)
    return "".join([
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{_csp((plotly_js, boot))}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{escape.html_text(title)}</title>\n<style>\n{_CSS}</style>\n</head>\n<body>\n",
        f"<header><h1>{escape.html_text(report.organisation)}: portfolio dashboard</h1>\n",
        f"<p class=\"meta\">As of <strong>{report.as_of}</strong> · figures in {escape.html_text(report.currency)} · "
        f"grouped by {escape.html_text(report.by)} · health: {escape.html_text(', '.join(health_label(h) for h in HEALTH_SYMBOLS))}</p>\n",
        f"<nav aria-label=\"Sections\">{nav}</nav></header>\n<main>\n",
        *sections,
        "</main>\n<footer><p>Made by <code>ppm report --format html</code>. The figures of <code>ppm report --format json</code> are embedded below as JSON.</p></footer>\n",
        f'<script type="application/json" id="ppm-report">{_json_in_html(data)}</script>\n',
        f'<script type="application/json" id="ppm-figures">{_json_in_html(figures)}</script>\n',
        f"<script>{plotly_js}</script>\n",
        f"<script>{boot}</script>\n",
        "</body>\n</html>\n",
    ])


_NAV = (
    ("headline", "Headline"),
    ("rollup", "Rollup"),
    ("people", "People"),
    ("roadmap", "Roadmap"),
    ("plan", "Plan"),
    ("value-risk", "Value and risk"),
    ("funding", "Funding line"),
    ("frontier", "Efficient frontier"),
    ("capacity", "Role capacity"),
    ("earned-value", "Earned value"),
)


def _csp(scripts: Iterable[str]) -> str:
    """No request of any kind: only the page's own inline scripts (by hash), inline styles and data: images."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)
    return f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'"


def _json_in_html(data: Any) -> str:
    # Any '<' could end or re-open the <script> element ('</script>', '<!--'); '\u003c' is the same JSON string. A bidi
    # override or C1 control stays a JSON escape too (`json_text`), so the page's source shows none of them live.
    return escape.json_text(json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))).replace("<", "\\u003c")


def _text(value: str) -> str:
    """User text inside a plotly figure (titles, axis titles, labels, hover text): plotly reads a few HTML tags and entities in text, so escape it."""
    return escape.html_text(value, quote=False)


def _chart(anchor: str, figure: dict[str, Any], figures: dict[str, dict[str, Any]], label: str, height: int) -> str:
    figures[anchor] = figure
    return f'<div class="chart" id="{anchor}" role="img" aria-label="{escape.html_text(label)}" style="height:{height}px"></div>\n'


def _layout(title: str | None, height: int, **more: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "height": height,
        "margin": {"l": 60, "r": 30, "t": 40 if title else 20, "b": 50},
        "font": _FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.15},
    }
    if title:
        layout["title"] = {"text": _text(title), "x": 0.01, "font": {"size": 14}}
    layout.update(more)
    return layout


def _axis(title: str, **more: Any) -> dict[str, Any]:
    return {"title": {"text": _text(title)}, "gridcolor": "#e5e5e5", "zerolinecolor": "#bbbbbb", "linecolor": "#444", **more}


def _money(value: float | Fraction | None) -> str:
    return format_cell(None if value is None else float(value), "money")


# ---------------------------------------------------------------- headline figures and people


def _headline_section(dashboard: Dashboard) -> str:
    """The figures leadership reads first, from the report's total and the over-allocations."""
    total = dashboard.report.total.figures
    tiles = (
        ("projects", "Projects", f"{len(dashboard.report.projects):,}"),
        ("bac", "Budget (BAC)", _money(total.bac)),
        ("eac", "Forecast (EAC)", _money(total.eac)),
        ("spi", "SPI", format_cell(total.spi, "ratio")),
        ("cpi", "CPI", format_cell(total.cpi, "ratio")),
        ("benefits_realized", "Benefits realized", _money(total.benefits_realized)),
        ("overallocated_people", "Over-allocated people", f"{len({c.person for c in dashboard.conflicts}):,}"),
        ("late_milestones", "Late milestones", f"{total.late_milestones:,}"),
    )
    items = "".join(f'<div class="kpi" data-key="{key}"><span class="kpi-value">{escape.html_text(value)}</span><span class="kpi-label">{escape.html_text(label)}</span></div>' for key, label, value in tiles)
    return f'<section id="headline" aria-label="Headline figures"><div class="kpis">{items}</div></section>\n'


def _people_section(dashboard: Dashboard) -> str:
    """Over-allocated people: who, from–to, peak against capacity, which projects."""
    if not dashboard.conflicts:
        return '<section id="people"><h2>People</h2>\n<p>No one is over-allocated.</p></section>\n'
    names = {value.id: value.name for value in dashboard.report.projects}
    rows = "".join(
        f'<tr data-person="{escape.html_text(c.person)}"><th scope="row">{escape.html_text(dashboard.people.get(c.person, c.person))}</th>'
        f"<td>{c.start}</td><td>{c.end}</td><td class=\"num\">{c.days:,}</td>"
        f'<td class="num">{escape.html_text(format_cell(c.peak, "ratio"))}</td><td class="num">{escape.html_text(format_cell(c.capacity, "ratio"))}</td>'
        f"<td>{escape.html_text(', '.join(names.get(p, p) for p in c.projects))}</td></tr>"
        for c in dashboard.conflicts
    )
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Person", "From", "To", "Days", "Peak FTE", "Capacity", "Projects"))
    return (
        '<section id="people"><h2>People</h2>\n'
        f'<div class="scroll"><table class="people"><caption>Over-allocated (ppm conflicts)</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>\n'
        "</section>\n"
    )


# ---------------------------------------------------------------- rollup tables


_VISIBLE = tuple((name, header, kind) for name, header, kind in FIGURE_COLUMNS if header is not None)


def _rollup_section(dashboard: Dashboard, data: dict[str, Any]) -> str:
    report = dashboard.report
    group_label = {"portfolio": "Portfolio", "program": "Program", "goal": "Goal", "phase": "Phase", "tag": "Tag"}[report.by]
    rows = [(group.get("name") or f"(no {report.by})", group) for group in data["groups"]] + [("Total", data["total"])]
    project_names = {value.id: value.name for value in report.projects}
    projects = [(project["id"], project) for project in data["projects"]]
    # As the text report words it (figures, late milestones, the last status), under the project's name.
    attention = "".join(
        f'<li data-project="{escape.html_text(item.project.id)}">{escape.html_text(health_label(item.project.health))} '
        f"<strong>{escape.html_text(item.project.name)}</strong>: {escape.html_text(attention_text(item))}</li>"
        for item in report.attention
    )
    return (
        '<section id="rollup"><h2>Rollup</h2>\n'
        + _figures_table(f"By {report.by}", group_label, rows, "group", total=True)
        + _figures_table("Projects", "Project", projects, "project", names=project_names, extra=("phase", "status_date", "percent_complete"))
        + (f"<h3>Needs attention</h3><ul class=\"attention\">{attention}</ul>\n" if attention else "")
        + "</section>\n"
    )


def _figures_table(
    caption: str,
    first: str,
    rows: Sequence[tuple[str, dict[str, Any]]],
    row_kind: str,
    *,
    total: bool = False,
    names: dict[str, str] | None = None,
    extra: Sequence[str] = (),
) -> str:
    headers = [first, "Health", *(name.replace("_", " ").capitalize() for name in extra), *(header for _, header, _ in _VISIBLE)]
    head = "".join(f'<th scope="col">{escape.html_text(h)}</th>' for h in headers)
    body = []
    for index, (label, record) in enumerate(rows):
        title = f' title="{escape.html_text(names[label])}"' if names and label in names else ""
        cells = [f'<th scope="row"{title}>{escape.html_text(label)}</th>', f'<td class="health health-{record["health"]}" data-key="health">{escape.html_text(health_label(record["health"]))}</td>']
        cells += [f'<td data-key="{name}">{escape.html_text(format_cell(record[name], "percent" if name == "percent_complete" else "text"))}</td>' for name in extra]
        cells += [f'<td class="num" data-key="{name}" data-value="{json.dumps(record[name])}">{escape.html_text(format_cell(record[name], kind))}</td>' for name, _, kind in _VISIBLE]
        row_class = ' class="total"' if total and index == len(rows) - 1 else ""
        body.append(f'<tr{row_class} data-{row_kind}="{escape.html_text(label)}">{"".join(cells)}</tr>')
    return f'<div class="scroll"><table class="figures"><caption>{escape.html_text(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>\n'


# ---------------------------------------------------------------- roadmap


def _roadmap_section(dashboard: Dashboard, figures: dict[str, dict[str, Any]]) -> str:
    roadmap = dashboard.roadmap
    lanes = [(lane_title(roadmap, lane), bar) for lane in roadmap.lanes for bar in lane.bars]
    # Row labels carry the health symbol, so the chart reads in black and white.
    row = {bar.id: _text(f"{HEALTH_SYMBOLS[bar.health]} {bar.id}") for _, bar in lanes}
    if not lanes:
        return '<section id="roadmap"><h2>Roadmap</h2><p>No open project.</p></section>\n'
    healths = [bar.health for _, bar in lanes]
    # One trace holds every bar, so the rows keep the roadmap's order; legend-only traces name the healths.
    data: list[dict[str, Any]] = [{
        "type": "bar", "orientation": "h", "showlegend": False,
        "y": [[_text(lane) for lane, _ in lanes], [row[bar.id] for _, bar in lanes]],
        "base": [bar.bar_start.isoformat() for _, bar in lanes],
        # A bar on a date axis is a duration in milliseconds; end dates are inclusive.
        "x": [((bar.bar_end - bar.bar_start).days + 1) * 86_400_000 for _, bar in lanes],
        "customdata": [[_text(bar.name), health_label(bar.health), bar.phase, bar.start.isoformat(), bar.end.isoformat()] for _, bar in lanes],
        "hovertemplate": "%{customdata[0]}: %{customdata[1]}<br>%{customdata[2]}, %{customdata[3]} to %{customdata[4]}<extra></extra>",
        "marker": {
            "color": [HEALTH_COLORS[h] for h in healths], "line": {"color": "#222", "width": 0.5},
            "pattern": {"shape": [HEALTH_PATTERNS[h] for h in healths], "fgcolor": "#222", "solidity": 0.3},
        },
    }]
    first = [[_text(lanes[0][0])], [row[lanes[0][1].id]]]
    data += [
        {"type": "bar", "orientation": "h", "name": health_label(health), "y": first, "x": [None], "marker": {"color": HEALTH_COLORS[health], "line": {"color": "#222", "width": 0.5}, "pattern": {"shape": HEALTH_PATTERNS[health], "fgcolor": "#222", "solidity": 0.3}}}
        for health in HEALTH_SYMBOLS
        if health in healths
    ]
    for state, symbol in MILESTONE_SYMBOLS.items():
        marks = [(lane, bar, mark) for lane, bar in lanes for mark in bar.milestones if mark.state == state]
        if marks:
            data.append({
                "type": "scatter", "mode": "markers", "name": f"{symbol} milestone {state}",
                "x": [mark.at.isoformat() for _, _, mark in marks],
                "y": [[_text(lane) for lane, _, _ in marks], [row[bar.id] for _, bar, _ in marks]],
                "text": [_text(mark.name) for _, _, mark in marks],
                "hovertemplate": "%{text}<br>%{x}<extra></extra>",
                "marker": {"symbol": MILESTONE_MARKERS[state], "size": 12, "color": "#c62828" if state == "late" else "#111", "line": {"width": 1.5, "color": "#c62828" if state == "late" else "#111"}},
            })
    height = 120 + 30 * len(lanes)
    layout = _layout(
        None, height,
        barmode="overlay",
        xaxis=_axis("", type="date", range=[roadmap.start.isoformat(), (roadmap.end + timedelta(days=1)).isoformat()]),
        yaxis={"autorange": "reversed", "type": "multicategory", "linecolor": "#444", "automargin": True},
        shapes=[_vertical_line(roadmap.as_of)] if roadmap.start <= roadmap.as_of <= roadmap.end else [],
        annotations=[{"x": roadmap.as_of.isoformat(), "y": 1, "yref": "paper", "text": f"as of {roadmap.as_of}", "showarrow": False, "yanchor": "bottom", "font": {"color": "#7b1fa2"}}],
        margin={"l": 20, "r": 30, "t": 30, "b": 40},
    )
    figure = {"data": data, "layout": layout}
    links = "".join(f"<li>{escape.html_text(line)}</li>" for line in listed_links(roadmap.links, str))
    return (
        '<section id="roadmap"><h2>Roadmap</h2>\n'
        + _chart("chart-roadmap", figure, figures, f"Timeline of {counted(len(lanes), 'open project')} from {roadmap.start} to {roadmap.end}, coloured and patterned by health, with milestones", height)
        + "<p class=\"legend\">Bars: ● green plain, ▲ amber hatched, ✖ red crossed, ? unknown dotted. Milestones: ◆ done, ◇ due, ✕ late.</p>\n"
        + (f"<h3>Dependencies</h3><ul>{links}</ul>\n" if links else "")
        + "</section>\n"
    )


# ---------------------------------------------------------------- the plan timeline


# How each decision of the plan is drawn: colour, and a bar pattern so it reads in black and white.
_PLAN_LOOK = {"started": ("#2e7d32", ""), "delayed": ("#1565c0", "/"), "stopped": ("#9e9e9e", "x")}


def plan_rows(plan: Plan) -> list[tuple[str, PlanRow, str]]:
    """(decision, row, words) for the projects the plan changes or starts: candidates started on time or late, running projects stopped."""
    found = []
    for row in plan.projects:
        if row.state == "running" and not row.selected:
            found.append(("stopped", row, "stopped"))
        elif row.state == "candidate" and row.selected:
            if row.delay:
                found.append(("delayed", row, f"planned {row.planned_start} → {row.start}"))
            else:
                found.append(("started", row, "starts as planned"))
    return found


def plan_section(plan: Plan | None, figures: dict[str, dict[str, Any]]) -> str:
    """The plan's timeline: a bar per started candidate at its new dates (a late one with its planned start as a thin bar), per stopped project at its dates; and the same as a table."""
    head = '<section id="plan"><h2>Plan</h2>\n'
    if plan is None:
        return ""
    rows = plan_rows(plan)
    summary = f"<p>{_plan_summary(plan)}</p>\n"
    if not rows:
        return head + summary + "<p>The plan starts no candidate and stops no project.</p></section>\n"
    labels = [_text(row.id) for _, row, _ in rows]
    data: list[dict[str, Any]] = []
    for decision, (color, pattern) in _PLAN_LOOK.items():
        chosen = [(row, words) for kind, row, words in rows if kind == decision]
        if not chosen:
            continue
        data.append({
            "type": "bar", "orientation": "h", "name": decision,
            "y": [_text(row.id) for row, _ in chosen],
            "base": [row.start.isoformat() for row, _ in chosen],
            "x": [((row.end - row.start).days + 1) * 86_400_000 for row, _ in chosen],
            "customdata": [[_text(words), row.start.isoformat(), row.end.isoformat()] for row, words in chosen],
            "hovertemplate": "%{y}: %{customdata[0]}<br>%{customdata[1]} to %{customdata[2]}<extra></extra>",
            "marker": {"color": color, "line": {"color": "#222", "width": 0.5}, "pattern": {"shape": pattern, "fgcolor": "#222", "solidity": 0.3}},
        })
    late = [row for kind, row, _ in rows if kind == "delayed"]
    if late:
        data.append({
            "type": "scatter", "mode": "markers", "name": "planned start",
            "x": [row.planned_start.isoformat() for row in late], "y": [_text(row.id) for row in late],
            "hovertemplate": "%{y}: planned start %{x}<extra></extra>",
            "marker": {"symbol": "line-ns-open", "size": 16, "color": "#1565c0", "line": {"width": 2, "color": "#1565c0"}},
        })
    height = 120 + 30 * len(rows)
    layout = _layout(
        None, height, barmode="overlay",
        xaxis=_axis("", type="date"),
        yaxis={"autorange": "reversed", "type": "category", "categoryarray": labels, "linecolor": "#444", "automargin": True},
        shapes=[_vertical_line(plan.as_of)],
        margin={"l": 20, "r": 30, "t": 30, "b": 40},
    )
    table = "".join(
        f"<tr><td>{escape.html_text(row.id)}</td><td>{decision}</td><td>{escape.html_text(words)}</td><td>{row.start}</td><td>{row.end}</td></tr>"
        for decision, row, words in rows
    )
    return (
        head + summary
        + _chart("chart-plan", {"data": data, "layout": layout}, figures, f"Plan timeline of {counted(len(rows), 'project')}: started, delayed (planned start marked) and stopped", height)
        + "<p class=\"legend\">Bars: started plain, delayed hatched with its planned start marked |, stopped crossed.</p>\n"
        + "<table><thead><tr><th>Project</th><th>Plan</th><th>Dates</th><th>Start</th><th>End</th></tr></thead>\n<tbody>" + table + "</tbody></table>\n"
        + "</section>\n"
    )


def _plan_summary(plan: Plan) -> str:
    budget = f" of a budget of {_money(plan.budget)}" if plan.budget is not None else ""
    proven = "proven optimal" if plan.proven else "greedy" if plan.solve is None else f"not proven optimal (gap {plan.solve.gap:.2%})"
    breach = f" The forced projects break a limit: {escape.html_text('; '.join(b.detail for b in plan.breaches))}." if plan.breaches else ""
    delays = f"delays up to {counted(plan.max_delay, 'month')}" if plan.max_delay else "no delay"
    return (f"<code>ppm plan</code> from {plan.first} to {plan.last}, {delays}, {proven}: "
            f"cost to go {_money(plan.cost)}{budget}, value {format_cell(float(plan.value), 'number')}.{breach}")


def _vertical_line(day: date) -> dict[str, Any]:
    return {"type": "line", "x0": day.isoformat(), "x1": day.isoformat(), "y0": 0, "y1": 1, "yref": "paper", "line": {"color": "#7b1fa2", "width": 2, "dash": "dash"}}


# ---------------------------------------------------------------- score against risk exposure


def _bubble_section(dashboard: Dashboard, figures: dict[str, dict[str, Any]]) -> str:
    rows = {row.id: row for row in dashboard.selection.rows}
    points = [(value, rows[value.id]) for value in dashboard.values if value.id in rows and rows[value.id].score is not None]
    unscored = [row.id for row in dashboard.selection.rows if row.score is None]
    largest = max((float(row.cost) for _, row in points), default=0.0) or 1.0
    data = []
    for health in HEALTH_SYMBOLS:
        mine = [(value, row) for value, row in points if value.health == health]
        if mine:
            data.append({
                "type": "scatter", "mode": "markers+text", "name": health_label(health),
                "x": [value.figures.risk_exposure for value, _ in mine],
                "y": [float(row.score) for _, row in mine],  # type: ignore[arg-type]
                "text": [_text(value.id) for value, _ in mine],
                "textposition": "top center", "cliponaxis": False,
                "customdata": [[_text(value.name), _money(row.cost)] for value, row in mine],
                "hovertemplate": "%{customdata[0]}<br>score %{y:.2f}, risk exposure %{x:,.0f}, budget %{customdata[1]}<extra></extra>",
                "marker": {
                    # plotly.js hides a marker of size 0 whatever sizemin says: a project without a budget gets the smallest bubble.
                    "size": [float(row.cost) or largest * 1e-9 for _, row in mine], "sizemode": "area", "sizeref": 2 * largest / 60**2, "sizemin": 6,
                    "symbol": HEALTH_MARKERS[health], "color": HEALTH_COLORS[health], "opacity": 0.75, "line": {"color": "#222", "width": 1},
                },
            })
    model = dashboard.selection.model
    exposure = max((value.figures.risk_exposure for value, _ in points), default=0.0) or 1.0
    # Room on both sides, so the bubbles at zero exposure and their labels are not cut in half.
    xaxis = _axis(f"Risk exposure ({dashboard.report.currency})", range=[-0.08 * exposure, 1.12 * exposure])
    figure = {"data": data, "layout": _layout(None, 520, xaxis=xaxis, yaxis=_axis(f"Score ({model})"))}
    note = f"<p>Unscored (missing inputs): {escape.html_text(', '.join(unscored))}.</p>\n" if unscored else ""
    return (
        '<section id="value-risk"><h2>Value and risk</h2>\n'
        f"<p>Open projects: score ({escape.html_text(model)} model) against risk exposure (open risks, probability × impact); bubble area is the budget; shape and colour are the health.</p>\n"
        + _chart("chart-value-risk", figure, figures, f"Bubble chart of {counted(len(points), 'open project')}: score against risk exposure, sized by budget", 520)
        + note
        + "</section>\n"
    )


# ---------------------------------------------------------------- funding line and frontier


def _funding_section(dashboard: Dashboard, figures: dict[str, dict[str, Any]]) -> str:
    selection = dashboard.selection
    currency = dashboard.report.currency
    table = _ranking_table(dashboard)
    if selection.budget is None:
        return '<section id="funding"><h2>Funding line</h2>\n<p>Run with <code>--budget N</code> to draw the funding line.</p>\n' + table + "</section>\n"
    ranked = [row for row in selection.rows if row.rank is not None or row.selected]
    funded = [row for row in ranked if row.selected]
    left_out = [row for row in ranked if not row.selected]
    data = [
        {
            "type": "bar", "name": name, "x": [_text(row.id) for row in rows], "y": [float(row.cost) for row in rows],
            "marker": {"color": color, "line": {"color": "#222", "width": 0.5}, "pattern": {"shape": pattern, "fgcolor": "#222", "solidity": 0.3}},
            "hovertemplate": "%{x}: %{y:,.0f}<extra>" + name + "</extra>",
        }
        for name, rows, color, pattern in (("funded", funded, "#1565c0", ""), ("left out", left_out, "#cfd8dc", "/"))
        if rows
    ]
    data.append({
        "type": "scatter", "mode": "lines+markers", "name": "cumulative cost of the funded",
        "x": [_text(row.id) for row in funded], "y": [float(row.cumulative or 0) for row in funded],
        "line": {"color": "#111", "dash": "dot"}, "marker": {"symbol": "square", "color": "#111"},
    })
    budget = float(selection.budget)
    layout = _layout(
        None, 460,
        xaxis={"categoryorder": "array", "categoryarray": [_text(row.id) for row in ranked], "tickangle": -35, "linecolor": "#444"},
        yaxis=_axis(currency, rangemode="tozero"),
        barmode="overlay",
        shapes=[{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": budget, "y1": budget, "line": {"color": "#c62828", "width": 2, "dash": "dash"}}],
        annotations=[{"xref": "paper", "x": 1, "y": budget, "xanchor": "right", "yanchor": "bottom", "showarrow": False, "text": f"budget {_money(budget)}", "font": {"color": "#c62828"}}],
        margin={"l": 80, "r": 30, "t": 40, "b": 140},
        legend={"orientation": "h", "y": 1.02, "x": 0, "yanchor": "bottom"},
    )
    summary = f"Funded {selection.funded} of {counted(len(selection.rows), 'open project')} ({selection.method}): cost {_money(selection.cost)} of a budget of {_money(budget)} {escape.html_text(currency)}."
    notes = "".join(f"<p class=\"warning\">{escape.html_text(line)}</p>" for line in (*selection.breaches, *selection.warnings))
    return (
        '<section id="funding"><h2>Funding line</h2>\n'
        + f"<p>{summary}</p>{notes}\n"
        + _chart("chart-funding", {"data": data, "layout": layout}, figures, f"Projects in rank order with their cost; {selection.funded} are funded under the budget of {_money(budget)}", 460)
        + table
        + "</section>\n"
    )


def _ranking_table(dashboard: Dashboard) -> str:
    selection = dashboard.selection
    limit = selection.budget is not None
    head = ["#", "Project", "Score", "Cost"] + (["Cumulative", "Funded", "Why"] if limit else [])
    body = []
    for row in selection.rows:
        cells = [
            format_cell(row.rank, "int"), row.id, format_cell(None if row.score is None else float(row.score), "number"), _money(row.cost),
        ]
        if limit:
            cells += [_money(row.cumulative), "yes" if row.selected else "no", reason_shown(row) or "—"]
        body.append("<tr>" + "".join(f"<td>{escape.html_text(cell)}</td>" for cell in cells) + "</tr>")
    header = "".join(f'<th scope="col">{h}</th>' for h in head)
    return f'<table class="ranking"><caption>Ranking ({escape.html_text(selection.model)})</caption><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>\n'


def _frontier_section(dashboard: Dashboard, figures: dict[str, dict[str, Any]]) -> str:
    frontier = dashboard.frontier
    steps = frontier.steps
    if not steps:
        return '<section id="frontier"><h2>Efficient frontier</h2><p>No project can be selected.</p></section>\n'
    data = [{
        "type": "scatter", "mode": "lines+markers", "name": "best value for the budget", "line": {"shape": "hv", "color": "#1565c0"},
        "x": [float(step.budget) for step in steps], "y": [float(step.value) for step in steps],
        "customdata": [[_money(step.cost), _text(", ".join(step.added) or "—"), _text(", ".join(step.dropped) or "—")] for step in steps],
        "hovertemplate": "budget %{x:,.0f}: value %{y:.2f}, cost %{customdata[0]}<br>adds %{customdata[1]}<br>drops %{customdata[2]}<extra></extra>",
        "marker": {"symbol": ["circle-open" if step.stopped else "circle" for step in steps], "size": 9, "color": "#1565c0"},
    }]
    shapes = []
    budget = dashboard.selection.budget
    if budget is not None:
        shapes.append({"type": "line", "yref": "paper", "x0": float(budget), "x1": float(budget), "y0": 0, "y1": 1, "line": {"color": "#c62828", "dash": "dash", "width": 2}})
    layout = _layout(None, 420, xaxis=_axis(f"Budget ({dashboard.report.currency})"), yaxis=_axis(f"Total value ({frontier.model})", rangemode="tozero"), shapes=shapes, showlegend=False)
    rows = "".join(
        f"<tr><td>{_money(step.budget)}</td><td>{_money(step.cost)}</td><td>{format_cell(float(step.value), 'number')}</td>"
        f"<td>{escape.html_text(', '.join(step.added) or '—')}</td><td>{escape.html_text(', '.join(step.dropped) or '—')}</td></tr>"
        for step in steps
    )
    return (
        '<section id="frontier"><h2>Efficient frontier</h2>\n'
        f"<p>The most value ({escape.html_text(frontier.method)}) each budget can buy, from the forced projects' cost to the cost of every selectable project.</p>\n"
        + _chart("chart-frontier", {"data": data, "layout": layout}, figures, f"Efficient frontier: total value against budget over {len(steps)} budgets", 420)
        + _unproven_note(steps)
        + '<table class="frontier"><caption>Frontier steps</caption><thead><tr><th scope="col">Budget</th><th scope="col">Cost</th><th scope="col">Value</th><th scope="col">Adds</th><th scope="col">Drops</th></tr></thead>'
        + f"<tbody>{rows}</tbody></table>\n</section>\n"
    )


def _unproven_note(steps: Sequence[FrontierStep]) -> str:
    """Which budgets the dashboard's time for the frontier left unproven (nothing when all are proven)."""
    open_steps = [step for step in steps if step.stopped]
    if not open_steps:
        return ""
    gaps = [step.gap for step in open_steps if step.gap is not None and math.isfinite(step.gap)]
    largest = f" (largest gap {max(gaps):.2%})" if gaps else ""
    return (
        f"<p>Open markers: {len(open_steps)} of {len(steps)} budgets are the best sets found within the dashboard's time for the frontier, "
        f"not proven optimal{largest}; <code>ppm prioritize --frontier --time-limit S</code> gives the solver longer.</p>\n"
    )


# ---------------------------------------------------------------- role capacity


def _capacity_section(dashboard: Dashboard, figures: dict[str, dict[str, Any]]) -> str:
    report = dashboard.capacity
    roles = report.roles
    if not roles:
        return '<section id="capacity"><h2>Role capacity</h2><p>No role has supply or demand.</p></section>\n'
    periods = [period.key for period in report.periods]
    z, text, gaps = [], [], []
    for row in roles:
        z.append([None if u is None else round(u * 100, 2) for u in row.utilization])
        labels = []
        for index, u in enumerate(row.utilization):
            kind = band(u, row.demand[index] + row.tentative[index] > 0)
            labels.append("gap" if kind == "gap" else "" if u is None else f"{u * 100:.0f}%")
            if kind == "gap":
                gaps.append({"x": periods[index], "y": _text(row.name), "text": "gap", "showarrow": False, "bgcolor": "#8e24aa", "font": {"color": "#fff"}})
        text.append(labels)
    data = [{
        "type": "heatmap", "x": periods, "y": [_text(row.name) for row in roles], "z": z, "text": text, "texttemplate": "%{text}",
        "zmin": 0, "zmax": _HEAT_MAX, "colorscale": _HEAT_SCALE, "xgap": 2, "ygap": 2,
        "colorbar": {"title": {"text": "utilization %"}, "tickvals": [0, 50, 90, 100, 150]},
        "hovertemplate": "%{y}, %{x}: %{text}<extra></extra>",
    }]
    height = 140 + 34 * len(roles)
    layout = _layout(None, height, xaxis={"type": "category", "side": "top"}, yaxis={"autorange": "reversed", "type": "category"}, annotations=gaps, margin={"l": 150, "r": 30, "t": 40, "b": 20})
    return (
        '<section id="capacity"><h2>Role capacity</h2>\n'
        f"<p>Committed demand over supply per role and {escape.html_text(report.by)}; bands: under-used below 50 %, healthy to 90 %, full to 100 %, over above 100 %; <em>gap</em>: demand with no supply.</p>\n"
        + _chart("chart-capacity", {"data": data, "layout": layout}, figures, f"Heat map of utilization for {counted(len(roles), 'role')} over {counted(len(periods), 'period')}; each cell shows its percentage", height)
        + "</section>\n"
    )


# ---------------------------------------------------------------- earned value per project


def _earned_value_section(dashboard: Dashboard, figures: dict[str, dict[str, Any]]) -> str:
    health = {value.id: value.health for value in dashboard.report.projects}
    parts = []
    for index, found in enumerate(dashboard.trends):
        parts.append(f'<figure class="ev"><figcaption>{escape.html_text(health_label(health[found.id]))} <strong>{escape.html_text(found.id)}</strong>: {escape.html_text(found.name)}</figcaption>\n')
        parts.append(_chart(f"chart-ev-{index + 1}", _trend_figure(found, dashboard.report.currency), figures, f"Earned value of {found.id}: PV, EV and AC at {len(found.points)} status dates", 280))
        parts.append("</figure>\n")
    body = "".join(parts) or "<p>No project has a status report yet.</p>\n"
    return (
        '<section id="earned-value"><h2>Earned value</h2>\n'
        "<p>Planned value (PV, dashed), earned value (EV, solid) and actual cost (AC, dotted) at each status date.</p>\n"
        f'<div class="grid">{body}</div></section>\n'
    )


def _trend_figure(found: Trend, currency: str) -> dict[str, Any]:
    dates = [point.date.isoformat() for point in found.points]
    lines = (
        ("PV", [p.pv for p in found.points], "#757575", "dash", "circle-open"),
        ("EV", [p.ev for p in found.points], "#1565c0", "solid", "circle"),
        ("AC", [p.ac for p in found.points], "#c62828", "dot", "x"),
    )
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": name, "x": dates, "y": values, "line": {"color": color, "dash": dash, "width": 2}, "marker": {"symbol": symbol, "size": 6, "color": color}}
        for name, values, color, dash, symbol in lines
    ]
    layout = _layout(None, 280, xaxis=_axis("", type="date"), yaxis=_axis(currency, rangemode="tozero"), margin={"l": 70, "r": 20, "t": 10, "b": 40}, legend={"orientation": "h", "y": 1.12, "x": 0})
    return {"data": data, "layout": layout}


_CSS = """\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222; background: #f6f7f9; }
header { background: #1f2d3d; color: #fff; padding: 16px 28px 8px; }
header h1 { margin: 0 0 4px; font-size: 1.5rem; }
header .meta { margin: 0 0 8px; color: #dfe6ee; }
nav a { color: #fff; margin-right: 16px; font-size: 0.9rem; }
main { padding: 8px 28px 28px; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 18px; margin: 16px 0; }
h2 { margin: 4px 0 8px; font-size: 1.2rem; }
h3 { font-size: 1rem; margin: 14px 0 6px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 0.85rem; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #e3e6ea; padding: 4px 8px; text-align: left; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
tr.total { font-weight: 700; border-top: 2px solid #333; }
.health-green { color: #1b5e20; } .health-amber { color: #8a5a00; } .health-red { color: #b71c1c; font-weight: 700; } .health-unknown { color: #616161; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr)); gap: 12px; }
figure.ev { margin: 0; border: 1px solid #e3e6ea; border-radius: 4px; padding: 6px; }
figcaption { font-size: 0.9rem; }
.legend, .warning { font-size: 0.85rem; color: #444; }
.warning { color: #b71c1c; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; }
.kpi { display: flex; flex-direction: column; min-width: 120px; padding: 6px 10px; border-left: 4px solid #1f2d3d; }
.kpi-value { font-size: 1.4rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.kpi-label { font-size: 0.8rem; color: #444; }
footer { padding: 0 28px 20px; font-size: 0.8rem; color: #555; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { background: #fff; color: #000; font-size: 10pt; }
  header { background: none; color: #000; padding: 0; border-bottom: 2px solid #000; }
  header .meta { color: #000; }
  nav, .modebar-container { display: none !important; }
  main { padding: 0; }
  section { border: none; padding: 0; margin: 10mm 0 0; break-inside: avoid-page; }
  section#rollup, section#earned-value { break-inside: auto; }
  .kpi { border-left-color: #000; } .kpi-label { color: #000; }
  figure.ev, table, .chart { break-inside: avoid; }
  th, td { border-bottom: 1px solid #000; color: #000; padding: 2px 4px; }
  .scroll { overflow: visible; }
  .health-green, .health-amber, .health-red, .health-unknown { color: #000; }
  .grid { grid-template-columns: 1fr 1fr; }
  a { color: #000; text-decoration: none; }
}
"""
