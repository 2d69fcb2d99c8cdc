"""The command line: thin typer commands (parse options → load → analyse → render → exit code).

Heavy modules (pydantic models, numpy, the solver, rich) are imported inside the
commands, so `ppm --help` and `ppm --version` stay fast. `main()` is the single
error boundary: a `PpmError` or anything unexpected becomes one sentence on
stderr and exit code 2, never a traceback.
"""

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ppmcli import __version__
from ppmcli.core.errors import PpmError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager
    from fractions import Fraction

    from ppmcli.analysis.selection import Limits
    from ppmcli.core.findings import Finding
    from ppmcli.core.model import Workspace
    from ppmcli.load.sources import FileSource, Source

app = typer.Typer(
    name="ppm",
    help="Project portfolio management as code: validate, prioritize, plan capacity and report on a portfolio kept as YAML files in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help and errors: rich's help formatter alone would double the start-up time of `ppm --help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Options shared by the analysis commands.
PortfolioOption = Annotated[Optional[str], typer.Option("--portfolio", help="Only projects of this portfolio.", metavar="P")]
TagOption = Annotated[Optional[list[str]], typer.Option("--tag", help="Only projects with this tag (repeat: every tag named).", metavar="T")]

GLOBAL_EPILOG = "Global options (-C/--workspace, --as-of, --format, --no-color, --no-cache) go before or after the command."


@dataclass(frozen=True)
class Options:
    """The global options, resolved once at the edge.

    Attributes:
        workspace: `-C` folder, or None to walk up from the current directory.
        as_of: the date every analysis is computed for (today unless `--as-of`).
        format: the `--format` asked for, or None for the command's default.
        color: colours allowed (a terminal, no `--no-color`, no NO_COLOR).
        terminal: stdout is a terminal (rich tables, progress), else plain text.
        cache: use the cache of parsed files (off with `--no-cache`).
        width, height: the terminal's size in characters and lines (tables and charts fit it).
        spinner: stderr is a terminal too, so a progress indicator may be drawn there.
    """

    workspace: Path | None
    as_of: date
    format: str | None
    color: bool
    terminal: bool
    cache: bool = True
    width: int = 120
    height: int = 24
    spinner: bool = False

    def output(self, allowed: tuple[str, ...]) -> str:
        """The output format: the one asked for (checked against `allowed`), else `text` on a terminal, `plain` otherwise."""
        if self.format is None:
            return "text" if self.terminal or "plain" not in allowed else "plain"
        if self.format not in allowed:
            raise PpmError(f"--format {self.format} is not available here; choose one of {', '.join(allowed)}")
        if self.format == "text" and not self.terminal and "plain" in allowed:
            return "plain"
        return self.format


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PpmError(f"{option} '{text}' is not a date (YYYY-MM-DD)") from None


def parse_range(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    """`--from` and `--to`, each optional."""
    return (parse_date(start, "--from") if start else None, parse_date(end, "--to") if end else None)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ppm {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    workspace: Annotated[Optional[Path], typer.Option("-C", "--workspace", help="Workspace folder (default: walk up from here to ppm.yaml).", file_okay=False)] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Compute as of this date (YYYY-MM-DD); default today.", metavar="DATE")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Output format; each command lists its own.", metavar="FORMAT")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours (also when NO_COLOR is set).")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Parse every file again instead of using the cache of parsed files.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    import shutil

    terminal = sys.stdout.isatty()
    size = shutil.get_terminal_size()
    ctx.obj = Options(
        workspace=workspace,
        as_of=parse_date(as_of, "--as-of") if as_of else date.today(),
        format=fmt,
        color=terminal and not no_color and not os.environ.get("NO_COLOR"),
        terminal=terminal,
        cache=not no_cache and not os.environ.get("PPM_NO_CACHE"),
        width=size.columns,
        height=size.lines,
        spinner=terminal and sys.stderr.isatty(),
    )


# ---------------------------------------------------------------- shared steps

# Files from which loading and analysing take long enough (a second or more) to show a progress indicator.
LARGE_WORKSPACE = 500


def progress(opts: Options, fmt: str, message: str, *, long: bool = True) -> "AbstractContextManager[object]":
    """A spinner with `message` on stderr while `long` work runs: only on a terminal (stdout and stderr) and for the terminal format ("text"); never in machine formats.

    Args:
        opts: The global options (is there a terminal).
        fmt: The command's output format; `opts.format or "text"` before the command has chosen it.
        message: What is being done ("Finding over-allocated people…").
        long: The work takes long enough to show it (a large workspace, a solver run).

    Returns:
        A context manager that draws the spinner while it is open and clears it after.
    """
    return CLOCK.phase("analysis", _spinner(opts, fmt, message, long))


def _spinner(opts: Options, fmt: str, message: str, long: bool) -> "AbstractContextManager[object]":
    if not (long and _spins(opts, fmt)):
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True, no_color=not opts.color).status(message)


class Clock:
    """Where a run's time goes (load, analysis, output), said on stderr at exit when PPM_TIMINGS is set."""

    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        self.enabled = bool(os.environ.get("PPM_TIMINGS"))
        self.spent = {"load": 0.0, "analysis": 0.0, "output": 0.0}
        self.mark = time.perf_counter()

    @contextlib.contextmanager
    def phase(self, name: str, inner: "AbstractContextManager[object]") -> "Iterator[None]":
        start = time.perf_counter()
        with inner:
            yield
        self.mark = time.perf_counter()
        self.spent[name] += self.mark - start

    def output_written(self) -> None:
        """Output is everything from the end of the last phase (rendering included) to now."""
        now = time.perf_counter()
        self.spent["output"] += now - self.mark
        self.mark = now

    def report(self) -> str:
        return "ppm: timings: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in self.spent.items())


CLOCK = Clock()


def _spins(opts: Options, fmt: str) -> bool:
    # Machine formats never show one, and a spinner only makes sense where someone watches stdout and stderr.
    return opts.spinner and fmt == "text"


def large(ws: "Workspace") -> bool:
    """The workspace is large enough for a progress indicator while it is analysed."""
    return len(ws.positions) > LARGE_WORKSPACE


def loading(opts: Options, source: "Source") -> "AbstractContextManager[object]":
    """A spinner while a large workspace loads; the files are counted first only where a spinner can be drawn."""
    fmt = opts.format or "text"
    if not _spins(opts, fmt):
        return CLOCK.phase("load", contextlib.nullcontext())
    count = len(source.files()[0])
    return CLOCK.phase("load", _spinner(opts, fmt, f"Loading {count:,} files…", count > LARGE_WORKSPACE))


def _load(opts: Options, source: "FileSource | None" = None) -> "tuple[Workspace, list[Finding]]":
    """The workspace found from the options (or `source`), loaded (through the cache unless --no-cache)."""
    from ppmcli.load.cache import FileCache, default_directory
    from ppmcli.load.loader import load
    from ppmcli.load.sources import FileSource
    from ppmcli.load.workspace import find_root

    if source is None:
        source = FileSource(find_root(opts.workspace, Path.cwd()))
    cache = FileCache(default_directory(), str(source.root)) if opts.cache else None
    with loading(opts, source):
        return load(source, cache)


def load_workspace(opts: Options, source: "FileSource | None" = None) -> "tuple[Workspace, list[Finding], int]":
    """Load the workspace and run the cross-file checks: (workspace, findings, files read)."""
    from ppmcli.analysis.checks import run_checks

    workspace, findings = _load(opts, source)
    files = len(workspace.positions) + sum(1 for f in findings if f.code in ("unreadable-file", "duplicate-id"))
    with progress(opts, opts.format or "text", "Checking…", long=large(workspace)):
        return workspace, findings + run_checks(workspace, opts.as_of), files


def checked(opts: Options) -> "tuple[list[Finding], int]":
    """`ppm check`'s sorted findings and file count; an unchanged workspace is answered from the result cache without loading it."""
    from ppmcli.core.findings import sorted_findings
    from ppmcli.load.cache import ResultCache, default_directory, fingerprint
    from ppmcli.load.sources import FileSource
    from ppmcli.load.workspace import find_root

    if not opts.cache:
        _, findings, files = load_workspace(opts)
        return sorted_findings(findings), files
    root = find_root(opts.workspace, Path.cwd())
    results = ResultCache(default_directory(), str(root))
    # One source for the fingerprint and, on a miss, the load: the files are read once.
    source = FileSource(root, remember=True)
    key = fingerprint(source, "check", opts.as_of.isoformat())
    found = results.get(key)
    if found is None:
        _, findings, files = load_workspace(opts, source)
        found = (sorted_findings(findings), files)
        results.put(key, found)
    return found


def load_for_analysis(opts: Options) -> "Workspace":
    """The valid part of the workspace, for the analysis commands; says on stderr how many files were skipped."""
    workspace, _ = _load(opts)
    if workspace.settings is None:
        raise PpmError("ppm.yaml is invalid, so nothing can be analysed; run 'ppm check' to see why")
    if workspace.skipped:
        plural = "s" if workspace.skipped != 1 else ""
        typer.echo(f"ppm: skipped {workspace.skipped} invalid file{plural}; run 'ppm check' for details", err=True)
    return workspace


def emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
    CLOCK.output_written()


def write_output(text: str, output: Path | None) -> None:
    """Print `text`, or write it to the `-o` file and say so on stderr."""
    if output is None:
        emit(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PpmError(f"cannot write {output}: {exc.strerror}") from None
    CLOCK.output_written()
    typer.echo(f"wrote {output}", err=True)


# ---------------------------------------------------------------- commands


@app.command(epilog=GLOBAL_EPILOG)
def check(
    ctx: typer.Context,
    fail_on: Annotated[str, typer.Option("--fail-on", help="Exit 1 on findings at or above: error, warning, never.")] = "error",
) -> None:
    """Validate every file and run the portfolio checks (the CI gate). Formats: text, json, github."""
    from ppmcli.core.findings import FailLevel
    from ppmcli.render import findings as render

    opts: Options = ctx.obj
    try:
        level = FailLevel(fail_on)
    except ValueError:
        raise PpmError(f"--fail-on '{fail_on}' is not one of error, warning, never") from None
    fmt = opts.output(("text", "plain", "json", "github"))
    findings, files = checked(opts)
    emit(render.render_findings(findings, fmt, color=opts.color, prefix=os.environ.get("PPM_PATH_PREFIX", "")))
    if fmt not in ("json", "github"):
        typer.echo(render.summary(findings, files), err=True)
    raise typer.Exit(1 if level.fails(findings) else 0)


@app.command(epilog=GLOBAL_EPILOG)
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the workspace in (default: here).", file_okay=False)] = Path("."),
) -> None:
    """Create a small working workspace to start from; never overwrites a file."""
    from ppmcli.scaffold import write_workspace

    written = write_workspace(directory)
    for path in written:
        typer.echo(f"created {path}")
    typer.echo(f"next: cd {directory} && ppm check", err=True)


@app.command(epilog=GLOBAL_EPILOG)
def conflicts(
    ctx: typer.Context,
    history: Annotated[bool, typer.Option("--all", help="Also past conflicts (ending before --as-of).")] = False,
    person: Annotated[Optional[str], typer.Option("--person", help="Only this person's conflicts.", metavar="ID")] = None,
    tentative: Annotated[bool, typer.Option("--tentative", help="Count proposed projects' allocations too.")] = False,
    suggest: Annotated[bool, typer.Option("--suggest", help="Name people of the same role with free capacity over each conflict.")] = False,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """Over-allocated people: runs of available days booked above capacity. Exit 1 when any is shown. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis.conflicts import conflicts_report
    from ppmcli.render import conflicts as render

    opts: Options = ctx.obj
    fmt = opts.output(("text", "plain", "markdown", "csv", "json"))
    ws = load_for_analysis(opts)
    with progress(opts, fmt, "Finding over-allocated people…", long=large(ws)):
        found = conflicts_report(ws, opts.as_of, history=history, tentative=tentative, person=person, portfolio=portfolio, tags=tag or (), suggest=suggest)
    emit(render.render_conflicts(found, fmt, color=opts.color, width=opts.width, height=opts.height))
    raise typer.Exit(1 if found.conflicts else 0)


@app.command(epilog=GLOBAL_EPILOG)
def capacity(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Period: week, month or quarter.", metavar="PERIOD")] = "month",
    role: Annotated[Optional[str], typer.Option("--role", help="Only this role and the people who hold it.", metavar="R")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="First day of the range (whole periods); default the period of --as-of.", metavar="DATE")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day of the range; default twelve months on.", metavar="DATE")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """Supply, demand and utilization per role and per person, as a heat map. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis.allocation import capacity as build
    from ppmcli.render.capacity import render_capacity

    opts: Options = ctx.obj
    fmt = opts.output(("text", "plain", "markdown", "csv", "json"))
    first, last = parse_range(start, end)
    ws = load_for_analysis(opts)
    with progress(opts, fmt, "Computing supply and demand…", long=large(ws)):
        found = build(ws, opts.as_of, by=by, start=first, end=last, role=role, portfolio=portfolio, tags=tag or ())
    emit(render_capacity(found, fmt, color=opts.color, width=opts.width))
    raise typer.Exit(0)


@app.command(epilog=GLOBAL_EPILOG)
def schema(
    kind: Annotated[Optional[str], typer.Argument(help="settings, portfolio, program, project or person; default all.")] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the workspace files, for editors."""
    import json

    from ppmcli.load.schema_export import SCHEMA_KINDS, schema_for

    if kind is not None and kind not in SCHEMA_KINDS:
        raise PpmError(f"unknown kind '{kind}'; choose one of {', '.join(SCHEMA_KINDS)}")
    emit(json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n")


@app.command(epilog=GLOBAL_EPILOG)
def report(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Group by portfolio, program, goal, phase or tag.", metavar="GROUPING")] = "portfolio",
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
    include_all: Annotated[bool, typer.Option("--all", help="Also report proposed and cancelled projects.")] = False,
    trend: Annotated[Optional[str], typer.Option("--trend", help="Show one project's SPI, CPI, percent complete and health over its status dates.", metavar="ID")] = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="With --format html: the funding available, to draw the funding line.", metavar="N")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file (required by --format html).", dir_okay=False, metavar="FILE")] = None,
    baseline: Annotated[Optional[str], typer.Option("--baseline", help="Compare with the portfolio at this git revision or tag: end and milestone slips, budget growth, EAC drift, health.", metavar="REV")] = None,
) -> None:
    """Health, budget, earned value, benefits, risks and milestones, rolled up. Formats: text, plain, markdown, csv, json, html (a dashboard; needs -o)."""
    from ppmcli.analysis.filters import select_projects
    from ppmcli.analysis.rollup import build_report, project_trend
    from ppmcli.render.report import REPORT_FORMATS, render_report, render_trend

    opts: Options = ctx.obj
    fmt = opts.output(REPORT_FORMATS + ("html",))
    if fmt == "html" and (output is None or trend is not None):
        raise PpmError("--format html writes a dashboard file: give -o FILE (and no --trend)")
    ws = load_for_analysis(opts)
    if trend is not None:
        text = render_trend(project_trend(ws, trend, opts.as_of), fmt, color=opts.color, width=opts.width)
    elif fmt == "html":
        from ppmcli.analysis.dashboard import build_dashboard
        from ppmcli.render.html import render_html

        funding = parse_amount(budget, "--budget") if budget is not None else None
        projects = select_projects(ws, portfolio, tag or ())
        text = render_html(build_dashboard(ws, projects, opts.as_of, by=by, include_all=include_all, budget=funding, portfolio=portfolio, tags=tag or ()))
    elif baseline is not None:
        from ppmcli.analysis.baseline import compare_baseline
        from ppmcli.load.loader import load
        from ppmcli.render.baseline import render_with_report

        source, label, _ = _at_revision(opts, baseline)
        then, _ = load(source)  # type: ignore[arg-type]
        projects = select_projects(ws, portfolio, tag or ())
        then_projects = select_projects(then, portfolio, tag or (), strict=False)
        variance = compare_baseline(then, ws, then_projects, projects, opts.as_of, label)
        text = render_with_report(build_report(ws, projects, opts.as_of, by=by, include_all=include_all), variance, fmt, color=opts.color, width=opts.width)
    else:
        projects = select_projects(ws, portfolio, tag or ())
        with progress(opts, fmt, "Rolling up the report…", long=large(ws)):
            found = build_report(ws, projects, opts.as_of, by=by, include_all=include_all)
        text = render_report(found, fmt, color=opts.color, width=opts.width)
    write_output(text, output)
    raise typer.Exit(0)


@app.command(epilog=GLOBAL_EPILOG)
def roadmap(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Group by portfolio or program.", metavar="GROUPING")] = "portfolio",
    start: Annotated[Optional[str], typer.Option("--from", help="First day shown; default the earliest start.", metavar="DATE")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day shown; default the latest end.", metavar="DATE")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """A timeline of the open projects: bars by health, milestones, a line at --as-of, dependencies. Formats: text, plain, markdown (Mermaid), json."""
    from ppmcli.analysis.filters import select_projects
    from ppmcli.analysis.roadmap import build_roadmap
    from ppmcli.render.roadmap import ROADMAP_FORMATS, render_roadmap

    opts: Options = ctx.obj
    fmt = opts.output(ROADMAP_FORMATS)
    first, last = parse_range(start, end)
    ws = load_for_analysis(opts)
    with progress(opts, fmt, "Laying out the roadmap…", long=large(ws)):
        found = build_roadmap(ws, select_projects(ws, portfolio, tag or ()), opts.as_of, by=by, start=first, end=last)
    emit(render_roadmap(found, fmt, color=opts.color, width=opts.width, height=opts.height))
    raise typer.Exit(0)


def parse_amount(text: str, option: str) -> "Fraction":
    """An amount as written (`5000000`, `5_000_000`, `5,000,000`, `4.5e6`), exactly."""
    from decimal import Decimal, InvalidOperation
    from fractions import Fraction

    try:
        number = Decimal(text.replace("_", "").replace(",", ""))
    except InvalidOperation:
        raise PpmError(f"{option} '{text}' is not an amount") from None
    if not number.is_finite() or number < 0 or number > 10**15:
        raise PpmError(f"{option} '{text}' must be an amount from 0 to 10^15")
    return Fraction(number)


@app.command(epilog=GLOBAL_EPILOG)
def score(
    ctx: typer.Context,
    model: Annotated[Optional[str], typer.Option("--model", help="Scoring model of ppm.yaml (default: its default model).", metavar="M")] = None,
    explain: Annotated[Optional[str], typer.Option("--explain", help="Show each criterion's raw value, normalized value, weight and share for this project.", metavar="ID")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """Score and rank every open project; unscored ones come last with what they lack. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis.filters import select_projects
    from ppmcli.analysis.scoring import explain as explain_score
    from ppmcli.analysis.scoring import rank_projects
    from ppmcli.render import ranking as render
    from ppmcli.render.json import dumps
    from ppmcli.render.table import render_table

    opts: Options = ctx.obj
    fmt = opts.output(("text", "plain", "markdown", "csv", "json"))
    ws = load_for_analysis(opts)
    assert ws.settings is not None
    projects = select_projects(ws, portfolio, tag or ())
    if explain is not None:
        explanation = explain_score(projects, ws.settings, explain, model)
        emit(dumps(render.explain_json(explanation)) if fmt == "json" else render_table(render.explain_table(explanation), fmt, color=opts.color, width=opts.width))
    else:
        with progress(opts, fmt, "Scoring…", long=large(ws)):
            ranking = rank_projects(projects, ws.settings, model)
        emit(render.render_score(ranking, fmt, color=opts.color, width=opts.width))
    raise typer.Exit(0)


@app.command(epilog=GLOBAL_EPILOG)
def prioritize(
    ctx: typer.Context,
    model: Annotated[Optional[str], typer.Option("--model", help="Scoring model of ppm.yaml (default: its default model).", metavar="M")] = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Funding available; select what fits.", metavar="N")] = None,
    capacity: Annotated[bool, typer.Option("--capacity", help="Select only what fits monthly role supply.")] = False,
    method: Annotated[Optional[str], typer.Option("--method", help="greedy (down the ranking; the default) or optimal (the most value, proven).", metavar="METHOD")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
    force_in: Annotated[Optional[list[str]], typer.Option("--force-in", help="Select this project whatever its score (repeatable).", metavar="ID")] = None,
    force_out: Annotated[Optional[list[str]], typer.Option("--force-out", help="Never select this project (repeatable).", metavar="ID")] = None,
    compare: Annotated[Optional[str], typer.Option("--compare", help="With optimal: 'greedy' shows what the exact method adds and drops.", metavar="greedy")] = None,
    frontier: Annotated[bool, typer.Option("--frontier", help="Value against budget, from the forced cost to the cost of everything (optimal unless --method greedy).")] = False,
    steps: Annotated[Optional[int], typer.Option("--steps", help="Budget steps of --frontier (default 10).", metavar="N")] = None,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Stop the exact solver after this many seconds and show the best set found, with its gap.", metavar="S")] = None,
) -> None:
    """The ranked list with the funding line and why each project is in or out; or the efficient frontier. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis import selection
    from ppmcli.analysis.filters import select_projects
    from ppmcli.render import ranking as render
    from ppmcli.render.json import dumps
    from ppmcli.render.table import render_table

    opts: Options = ctx.obj
    fmt = opts.output(("text", "plain", "markdown", "csv", "json"))
    limits = selection.Limits(
        budget=parse_amount(budget, "--budget") if budget is not None else None,
        capacity=capacity,
        force_in=tuple(force_in or ()),
        force_out=tuple(force_out or ()),
    )
    chosen = _prioritize_method(limits, method, compare, frontier, steps, time_limit)
    ws = load_for_analysis(opts)
    assert ws.settings is not None
    projects = select_projects(ws, portfolio, tag or ())
    currency = ws.settings.currency
    if frontier:
        with progress(opts, fmt, "Tracing the efficient frontier…"):
            found = selection.frontier(ws, projects, model=model, limits=limits, steps=10 if steps is None else steps, method=chosen, time_limit=time_limit)
        emit(dumps(render.frontier_json(found)) if fmt == "json" else render_table(render.frontier_table(found, currency), fmt, color=opts.color, width=opts.width))
        raise typer.Exit(0)
    with progress(opts, fmt, "Solving…" if chosen == "optimal" else "Selecting…", long=chosen == "optimal" or large(ws)):
        result = selection.prioritize(ws, projects, model=model, limits=limits, method=chosen, compare=compare is not None, time_limit=time_limit)
    emit(render.render_selection(result, currency, fmt, color=opts.color, width=opts.width))
    for line in (render.solve_summary(result) if opts.terminal else None, render.not_proven_warning(result)):
        if line:
            typer.echo(line, err=True)
    raise typer.Exit(0)


@app.command(epilog=GLOBAL_EPILOG)
def plan(
    ctx: typer.Context,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Funding for the kept running projects and the started candidates.", metavar="N")] = None,
    months: Annotated[int, typer.Option("--months", help="Horizon in calendar months from the month of --as-of (default 12, at most 120).", metavar="N")] = 12,
    max_delay: Annotated[int, typer.Option("--max-delay", help="Whole months a candidate may start late (default 0, at most 24).", metavar="N")] = 0,
    hire: Annotated[Optional[list[str]], typer.Option("--hire", help="Add N people of ROLE from a month (default the first): ROLE=N[@YYYY-MM] (repeatable).", metavar="ROLE=N[@YYYY-MM]")] = None,
    stop: Annotated[Optional[list[str]], typer.Option("--stop", help="Stop this running project: its cost and demand are freed (repeatable).", metavar="ID")] = None,
    force_in: Annotated[Optional[list[str]], typer.Option("--force-in", help="Start this candidate whatever its score (repeatable).", metavar="ID")] = None,
    force_out: Annotated[Optional[list[str]], typer.Option("--force-out", help="Never start this candidate (repeatable).", metavar="ID")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="Scoring model of ppm.yaml (default: its default model).", metavar="M")] = None,
    method: Annotated[str, typer.Option("--method", help="optimal (the most value, proven; the default) or greedy (down the ranking).", metavar="METHOD")] = "optimal",
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Stop the exact solver after this many seconds and show the best plan found, with its gap.", metavar="S")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """What to start, and when, beside the running projects: remaining cost, delays to fit, hires. Exit 1 when the forced projects break a limit. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis import plan as planning
    from ppmcli.analysis.filters import select_projects
    from ppmcli.render.plan import PLAN_FORMATS, render_plan

    opts: Options = ctx.obj
    fmt = opts.output(PLAN_FORMATS)
    options = planning.PlanOptions(
        budget=parse_amount(budget, "--budget") if budget is not None else None,
        months=months,
        max_delay=max_delay,
        hires=tuple(planning.parse_hire(text) for text in hire or ()),
        stop=tuple(stop or ()),
        force_in=tuple(force_in or ()),
        force_out=tuple(force_out or ()),
        model=model,
        method=method,
        time_limit=time_limit,
    )
    planning.check_options(options)
    ws = load_for_analysis(opts)
    assert ws.settings is not None
    projects = select_projects(ws, portfolio, tag or ())
    with progress(opts, fmt, "Planning…", long=method == "optimal" or large(ws)):
        found = planning.plan(ws, projects, opts.as_of, options)
    emit(render_plan(found, ws.settings.currency, fmt, color=opts.color, width=opts.width))
    if found.solve is not None and not found.solve.proven:
        typer.echo(f"ppm: warning: the time limit was hit; the plan is the best found, not proven optimal (gap {found.solve.gap:.2%})", err=True)
    raise typer.Exit(1 if found.breaches else 0)


def _prioritize_method(limits: "Limits", method: str | None, compare: str | None, frontier: bool, steps: int | None, time_limit: float | None) -> str:
    """The selection method the options ask for; a sentence for options that do not go together."""
    if method is not None and method not in ("greedy", "optimal"):
        raise PpmError(f"--method '{method}' is not one of greedy, optimal")
    if compare is not None and compare != "greedy":
        raise PpmError(f"--compare '{compare}' is not available; only --compare greedy")
    if compare is not None and (method == "greedy" or frontier):
        raise PpmError("--compare greedy compares the optimal set with the greedy one; use it with --method optimal, without --frontier")
    if steps is not None and not frontier:
        raise PpmError("--steps sets the budget steps of --frontier; add --frontier")
    if time_limit is not None and not time_limit > 0:
        raise PpmError(f"--time-limit must be a number of seconds above 0, not {time_limit:g}")
    chosen = method or ("optimal" if frontier or compare is not None else "greedy")
    if time_limit is not None and chosen != "optimal":
        raise PpmError("--time-limit bounds the exact solver; add --method optimal")
    if not frontier and not limits.active:
        named = [name for name, given in (("--method", method), ("--force-in", limits.force_in), ("--force-out", limits.force_out), ("--compare", compare), ("--time-limit", time_limit)) if given]
        if named:
            raise PpmError(f"{named[0]} selects under a limit; add --budget N or --capacity")
    return chosen


def _side(opts: Options, source: object, label: str, cache: object) -> object:
    """One side of a diff: the workspace as `source` holds it, with its check findings."""
    from ppmcli.analysis.checks import run_checks
    from ppmcli.analysis.diff import Side
    from ppmcli.core.findings import sorted_findings
    from ppmcli.load.loader import load

    with loading(opts, source):  # type: ignore[arg-type]
        workspace, findings = load(source, cache)  # type: ignore[arg-type]
    with progress(opts, opts.format or "text", f"Checking {label}…", long=large(workspace)):
        return Side(label, workspace, tuple(sorted_findings(findings + run_checks(workspace, opts.as_of))))


def _at_revision(opts: Options, rev: str) -> tuple[object, str, str]:
    """The workspace's files at git revision `rev`: (source, short label, cache name)."""
    from ppmcli.load.git import GitSource, repo_root, resolve_rev, short_rev, workspace_prefix
    from ppmcli.load.workspace import find_root

    root = find_root(opts.workspace, Path.cwd())
    repo = repo_root(root)
    prefix = workspace_prefix(repo, root)
    sha = resolve_rev(repo, rev)
    return GitSource(repo, sha, prefix), short_rev(repo, sha), f"git:{repo}:{prefix}"


@app.command(epilog=GLOBAL_EPILOG)
def diff(
    ctx: typer.Context,
    base: Annotated[str, typer.Argument(help="The git revision to compare from (a branch, tag or commit).")],
    head: Annotated[Optional[str], typer.Argument(help="The revision to compare to; default the working tree, uncommitted and untracked files included.")] = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Show projects that cross the funding line at this budget.", metavar="N")] = None,
    capacity: Annotated[bool, typer.Option("--capacity", help="Draw the funding line under monthly role capacity too.")] = False,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """What a change does to the portfolio between two git revisions. Formats: text, plain, markdown (a pull-request comment), json."""
    from ppmcli.analysis.diff import diff_portfolios
    from ppmcli.analysis.selection import Limits
    from ppmcli.load.cache import FileCache, default_directory
    from ppmcli.load.sources import FileSource
    from ppmcli.load.workspace import find_root
    from ppmcli.render import diff as render

    opts: Options = ctx.obj
    fmt = opts.output(render.DIFF_FORMATS)
    source, label, cache_name = _at_revision(opts, base)
    # One cache for both sides: a file the change leaves alone is parsed once (in memory with --no-cache).
    cache = FileCache(default_directory() if opts.cache else None, cache_name)
    old = _side(opts, source, label, cache)
    if head is None:
        new = _side(opts, FileSource(find_root(opts.workspace, Path.cwd())), "working tree", cache)
    else:
        source, label, _ = _at_revision(opts, head)
        new = _side(opts, source, label, cache)
    limits = Limits(budget=parse_amount(budget, "--budget") if budget else None, capacity=capacity)
    with progress(opts, fmt, "Comparing…", long=large(new.workspace)):  # type: ignore[attr-defined]
        found = diff_portfolios(old, new, opts.as_of, portfolio=portfolio, tags=tag or (), limits=limits)  # type: ignore[arg-type]
    emit(render.render_diff(found, fmt))
    raise typer.Exit(0)


# ---------------------------------------------------------------- entry point

# Options that belong to `ppm` itself, accepted after the command too (`ppm check --format json`).
_GLOBAL_WITH_VALUE = ("-C", "--workspace", "--as-of", "--format")
_GLOBAL_FLAGS = ("--no-color", "--no-cache")


def hoist_global_options(argv: list[str]) -> list[str]:
    """Move global options written after the command in front of it, where click expects them."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            rest.extend(argv[index:])
            break
        name = arg.split("=", 1)[0]
        if name in _GLOBAL_WITH_VALUE and "=" in arg:
            front.append(arg)
        elif arg in _GLOBAL_WITH_VALUE and index + 1 < len(argv):
            front.extend(argv[index : index + 2])
            index += 1
        elif arg in _GLOBAL_FLAGS:
            front.append(arg)
        else:
            rest.append(arg)
        index += 1
    return front + rest


def main(argv: list[str] | None = None) -> int:
    """Run ppm; returns the exit code (0 ok, 1 findings, 2 could not run)."""
    CLOCK.start()
    try:
        return _run(hoist_global_options(list(sys.argv[1:] if argv is None else argv)))
    finally:
        if CLOCK.enabled:
            print(CLOCK.report(), file=sys.stderr)


def _run(args: list[str]) -> int:
    try:
        app(args=args, prog_name="ppm", standalone_mode=True)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
    except PpmError as exc:
        typer.echo(f"ppm: error: {exc}", err=True)
        return 2
    except KeyboardInterrupt:
        typer.echo("ppm: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the boundary: never a traceback for a user
        typer.echo(f"ppm: internal error: {type(exc).__name__}: {exc} (please report it)", err=True)
        return 2
    return 0
