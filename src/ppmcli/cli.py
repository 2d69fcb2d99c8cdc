"""The command line: thin typer commands (parse options → load → analyse → render → exit code).

Heavy modules (pydantic models, numpy, the solver, rich) are imported inside the
commands, so `ppm --help` and `ppm --version` stay fast. `main()` is the single
error boundary: a `PpmError` or anything unexpected becomes one sentence on
stderr and exit code 2, never a traceback.
"""

import functools
import itertools
import operator
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from ppmcli import __version__
from ppmcli.core.bounds import ISO_DAY, iso_day, outside_window
from ppmcli.core.errors import PpmError, counted, quote
from ppmcli.options import Options
from ppmcli.core.environment import asked_processes, switched_on
from ppmcli.progress import CLOCK, colours_wanted, large, loading, progress

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from fractions import Fraction
    from typing import Any

    from typer._click.formatting import HelpFormatter

    from ppmcli.analysis.checks import Check
    from ppmcli.analysis.review.diff import Side, SideFigures
    from ppmcli.analysis.selection.prioritize import Limits
    from ppmcli.core.findings import Finding
    from ppmcli.core.model import Project, Workspace
    from ppmcli.importer import Imported
    from ppmcli.load.cache import FileCache, KeptFindings
    from ppmcli.load.recorded import Recorder
    from ppmcli.load.session import Snapshot
    from ppmcli.load.sources import FileSource
    from ppmcli.render.output import Output
    from ppmcli.render.xlsx import Sheet

def _wrap_help_at_spaces_only() -> None:
    """Help lines break at spaces only: textwrap also breaks after a hyphen, which cut `--as-of` in two at 80 columns.

    click's wrapper is textwrap's, whose words are split by `wordsep_re`; the one without hyphens is textwrap's own.
    """
    import textwrap

    from typer._click import _textwrap

    _textwrap.TextWrapper.wordsep_re = textwrap.TextWrapper.wordsep_simple_re


def _refuse_odd_values(params: "list[Any]", args: "list[str]", *, group: bool) -> None:
    """Refuse an option of one value given twice (`--person alice --person bob`: click keeps the last without a word,
    which answers another question than the one asked) and an empty path or argument (`-C ""` read as the current
    folder: a path of no characters is "."). Other empty values are refused by their own parsing, which says what
    they take (`--as-of '' is not a date (YYYY-MM-DD)`). A group's own options end at its command's name."""
    from typer._click.exceptions import UsageError

    valued = {opt: param for param in params if isinstance(param, typer.core.TyperOption) and not (param.is_flag or param.count) for opt in param.opts}
    values: dict[str, tuple[str, list[str]]] = {}  # by parameter: as first written (-C or --workspace), and each value
    index = 0
    while index < len(args) and args[index] != "--":
        name, equals, value = args[index].partition("=")
        param = valued.get(name) if name.startswith("-") else None
        if param is not None:
            if not equals:
                index += 1
                if index == len(args):
                    break  # click says the value is missing
                value = args[index]
            if not value and param.type_descriptor.annotation is Path:
                raise UsageError(f"{name} is given an empty path; give it a file or folder")
            if not param.multiple:
                values.setdefault(param.name, (name, []))[1].append(value)
        elif group and not args[index].startswith("-"):
            break
        elif not args[index]:
            raise UsageError("an empty argument ('') names nothing; give it a value")
        index += 1
    for option, given in values.values():
        if len(given) > 1:
            raise UsageError(f"{option} is given {len(given)} times ({', '.join(map(quote, given))}); it takes one value")


def _judged(ctx: typer.Context, args: "list[str]") -> bool:
    """Whether a command line is to be run, not completed by the shell nor asked for its help (which any values allow)."""
    return not ctx.resilient_parsing and not any(arg in ("--help", "-h") for arg in itertools.takewhile(lambda arg: arg != "--", args))


class _Command(TyperCommand):
    """A command whose usage and help name its arguments as click does (`BASE [HEAD]`), not as typer does (`{base}`, `base <str>`)."""

    def parse_args(self, ctx: typer.Context, args: "list[str]") -> "list[str]":  # type: ignore[override]
        if _judged(ctx, args):
            _refuse_odd_values(self.params, args, group=False)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: typer.Context, formatter: "HelpFormatter") -> None:  # type: ignore[override]
        _wrap_help_at_spaces_only()
        super().format_help(ctx, formatter)

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        arguments = [param for param in self.get_params(ctx) if isinstance(param, TyperArgument)]
        return [self.options_metavar or "[OPTIONS]"] + [_metavar(param) if param.required else f"[{_metavar(param)}]" for param in arguments]

    def format_options(self, ctx: typer.Context, formatter: "HelpFormatter") -> None:  # type: ignore[override]
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                arguments.append((_metavar(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _metavar(argument: TyperArgument) -> str:
    return argument.metavar or (argument.name or "").upper()


class _Group(TyperGroup):
    """ppm's groups: their commands are `_Command`s (typer has no setting for a whole app's command class)."""

    def parse_args(self, ctx: typer.Context, args: "list[str]") -> "list[str]":  # type: ignore[override]
        if _judged(ctx, args):
            _refuse_odd_values(self.params, args, group=True)
        return super().parse_args(ctx, args)

    def __init__(self, *args: "Any", **kwargs: "Any") -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            if type(command) is TyperCommand:
                command.__class__ = _Command

    def format_help(self, ctx: typer.Context, formatter: "HelpFormatter") -> None:  # type: ignore[override]
        _wrap_help_at_spaces_only()
        super().format_help(ctx, formatter)


app = typer.Typer(
    name="ppm",
    help="Project portfolio management as code: validate, prioritize, plan capacity and report on a portfolio kept as YAML files in git.",
    cls=_Group,
    no_args_is_help=True,
    # `ppm --install-completion` (bash, zsh, fish, PowerShell); the shell is detected only when asked.
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain click help and errors: rich's help formatter alone would double the start-up time of `ppm --help`.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Options shared by the analysis commands.
PortfolioOption = Annotated[Optional[str], typer.Option("--portfolio", help="Only projects of this portfolio.", metavar="P")]
TagOption = Annotated[Optional[list[str]], typer.Option("--tag", help="Only projects with this tag (repeat: every tag named).", metavar="T")]
ModelOption = Annotated[Optional[str], typer.Option("--model", help="Scoring model of ppm.yaml (default: its default model).", metavar="M")]

GLOBAL_EPILOG = "Global options (-C/--workspace, --as-of, --format, --no-color, --no-cache) go before or after the command."


def parse_date(text: str, option: str) -> date:
    try:
        day = iso_day(text)
    except ValueError as exc:
        # Written YYYY-MM-DD, yet no such day: why (2026-02-30: "2026-02 has 28 days").
        why = f": {exc}" if ISO_DAY.fullmatch(text) else " (YYYY-MM-DD)"
        raise PpmError(f"{option} {quote(text)} is not a date{why}") from None
    outside = outside_window(day)
    if outside:
        raise PpmError(f"{option} {day} {outside}")
    return day


def parse_range(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    """`--from` and `--to`, each optional."""
    return (parse_date(start, "--from") if start is not None else None, parse_date(end, "--to") if end is not None else None)


def one_of(option: str, choices: str) -> "Callable[[str | None], str | None]":
    """A typer callback that lets a value of `option` through only if it is one of `choices`, else says so in one line.

    Args:
        option: the flag, for the message ("--by").
        choices: "module:NAME" of the tuple (or enum) of allowed values, imported when the option is parsed, not for `--help`.
    """

    def check(value: str | None) -> str | None:
        import importlib

        module, _, name = choices.partition(":")
        names = [getattr(item, "value", item) for item in getattr(importlib.import_module(module), name)]  # a tuple, or an enum's values
        if value is not None and value not in names:
            from ppmcli.core.names import did_you_mean

            raise PpmError(f"{option} {quote(value)} is not one of {', '.join(names)}{did_you_mean(value, names)}")
        return value

    return check


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ppm {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    workspace: Annotated[Optional[Path], typer.Option("-C", "--workspace", help="Workspace folder (default: walk up from here to ppm.yaml).", file_okay=False, metavar="DIR")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Compute as of this date (YYYY-MM-DD); default today.", metavar="DATE")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Output format; each command lists its own.", metavar="FORMAT")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colours (also when NO_COLOR is set).")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Parse every file again instead of using the cache of parsed files.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    import shutil

    try:
        asked_processes()
    except ValueError as exc:
        from ppmcli.render.escape import terminal as escaped

        typer.echo(f"ppm: warning: PPM_PROCESSES {escaped(quote(str(exc)))} is not a number of processes (1 or more); ignored", err=True)
    terminal = sys.stdout.isatty()
    size = shutil.get_terminal_size()
    ctx.obj = Options(
        workspace=workspace,
        as_of=parse_date(as_of, "--as-of") if as_of is not None else date.today(),  # "" (an unset variable in CI) is no date
        format=fmt,
        color=colours_wanted(terminal, no_color),
        terminal=terminal,
        cache=not no_cache and not switched_on("PPM_NO_CACHE"),
        width=size.columns,
        height=size.lines,
        spinner=terminal and sys.stderr.isatty(),
        recorder=ctx.obj,  # what `run` was handed (`app(obj=...)`), before ctx.obj becomes these options
    )


# ---------------------------------------------------------------- shared steps

def load_workspace(opts: Options, source: "FileSource | None" = None) -> "tuple[Workspace, list[Finding], int]":
    """Load the workspace (or `source`) and run the cross-file checks: (workspace, findings in output order, files read)."""
    from ppmcli.load.session import load_for_check, workspace_root
    from ppmcli.load.sources import FileSource

    source = source or FileSource(workspace_root(opts.workspace))
    with loading(opts, source):
        workspace, findings, kept = load_for_check(source, cache=opts.cache, as_of=opts.as_of)
    _say_cache_refusals()
    # The files loaded (a file that could not be read has its positions too), and those refused before loading.
    loaded = {positions.path for positions in workspace.positions.values()}
    files = len(loaded) + len({f.path for f in findings if f.code in ("unreadable-file", "duplicate-id")} - loaded)
    with progress(opts, opts.format or "text", "Checking…", long=large(workspace)):
        return workspace, _check(workspace, findings, opts.as_of, parallel=_shared_with_a_child(workspace), kept=kept), files


def _shared_with_a_child(ws: "Workspace") -> bool:
    """Whether a workspace is large enough for its analyses to be shared with a forked child, as its parse was."""
    from ppmcli.load.loader import PARALLEL_MIN_FILES

    return len(ws.positions) >= PARALLEL_MIN_FILES


def _check(workspace: "Workspace", findings: "list[Finding]", as_of: date, *, parallel: bool, kept: "KeptFindings | None" = None) -> "list[Finding]":
    """The files' findings and the rules', in output order; with `parallel`, a forked child runs the shares of their work it claims (`map_in_two`).

    With `kept`, the per-project rules and the checks by person run only on the projects and people whose findings it
    does not hold, and it keeps theirs for the next check.
    """
    from ppmcli.analysis.checks import checks_for, found_sparing, gathered, run_share, shares, sparing
    from ppmcli.load.loader import collector_paused
    from ppmcli.load.parallel import map_in_two

    # Findings and their places are many small objects without cycles: the collector would only rescan them.
    with collector_paused():
        known = kept.known() if kept is not None else {}
        spared = sparing(workspace, known)
        checks = checks_for(workspace)
        work = shares(workspace, spared, checks)
        found = found_sparing(spared, checks, gathered(checks, work, map_in_two(functools.partial(run_share, as_of), work, parallel=parallel)))
        if kept is not None:
            kept.keep(found.kept)
        return _in_output_order(findings, [*found.parts, *known.values()])


def _in_output_order(findings: "list[Finding]", parts: "list[list[Finding]]") -> "list[Finding]":
    """The files' findings and the rules' (one list per rule), in output order."""
    from ppmcli.core.findings import sorted_findings

    return sorted_findings(findings + [finding for part in parts for finding in part])


def checked(opts: Options) -> "tuple[list[Finding], int, bytes | None]":
    """`ppm check`'s sorted findings and file count, and the fingerprint of the files they come from (None without the cache);
    an unchanged workspace is answered from the result cache without loading it."""
    from ppmcli.load.session import remembered, workspace_root

    def check(source: "FileSource | None" = None) -> "tuple[list[Finding], int]":
        _, findings, files = load_workspace(opts, source)
        return findings, files

    if not opts.cache:
        return (*check(), None)
    recorder = opts.recorder
    known, vouched = (recorder.known, recorder.vouched) if recorder is not None else (None, None)
    (findings, files), fingerprint = remembered(workspace_root(opts.workspace), ("check", opts.as_of.isoformat()), check, known, vouched)
    _say_cache_refusals()
    return findings, files, fingerprint


def _say_cache_refusals() -> None:
    """Say on stderr why the cache was not used (its folder or key is not this user's alone); the run goes on without it."""
    from ppmcli.load.cache import refusals
    from ppmcli.render.escape import terminal

    for line in refusals():
        typer.echo(f"ppm: {terminal(line)}", err=True)


def load_for_analysis(opts: Options, *, scenarios: bool = False) -> "Workspace":
    """The valid part of the workspace, for the analysis commands; says on stderr how many files were skipped
    (of the files the command reads: an invalid scenario counts only for the commands that read `scenarios/`)."""
    from ppmcli.analysis.context import INVALID_SETTINGS
    from ppmcli.load.session import load_files, skipped_paths, workspace_root
    from ppmcli.load.sources import FileSource

    source = FileSource(workspace_root(opts.workspace))
    with loading(opts, source):
        workspace, findings = load_files(source, cache=opts.cache)
    _say_cache_refusals()
    if workspace.settings is None:
        raise PpmError(INVALID_SETTINGS)
    skipped = skipped_paths(workspace, findings, scenarios=scenarios)
    if skipped:
        typer.echo(skipped_files(skipped), err=True)
    return workspace


# The skipped files a command names on stderr before "and N more".
SKIPPED_NAMED = 3


def walked_from(opts: Options) -> Path | None:
    """The folder ppm walked up from to find the workspace (None with -C)."""
    return None if opts.workspace is not None else Path.cwd().resolve()


def skipped_files(paths: "list[str]") -> str:
    """The stderr line of a command that skipped files: how many, the first few by path (then "and N more"), escaped for a terminal."""
    from ppmcli.core.findings import listed
    from ppmcli.render.escape import terminal

    return f"ppm: skipped {counted(len(paths), 'invalid file')} ({listed(map(terminal, paths), SKIPPED_NAMED)}); run 'ppm check' for details"


def emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
    CLOCK.output_written()


def refuse_binary_on_a_terminal(output: Path) -> None:
    """One sentence when `-o -` would send a binary file (a workbook) to a terminal; checked before the file is made."""
    if str(output) == "-" and sys.stdout.isatty():
        raise PpmError("-o -: a workbook is binary, not for a terminal; redirect standard output to a file or name one with -o")


def refuse_a_workspace_file(output: Path | None, opts: "Options") -> None:
    """Refuse `-o` naming a file the workspace is made of (ppm.yaml, a project's file): the output would replace it."""
    from ppmcli.load.session import workspace_root
    from ppmcli.load.workspace import is_workspace_file

    if output is not None and str(output) != "-" and is_workspace_file(str(workspace_root(opts.workspace)), str(output)):
        raise PpmError(f"-o {quote(str(output))} would write a file ppm reads as part of the workspace (ppm.yaml, or YAML in a kind's folder); write the output elsewhere")


def write_output(text: str | bytes, output: Path | None) -> None:
    """Print `text`, or write it (or a file's bytes) to the `-o` file and say so on stderr; `-o -` is standard output."""
    if output is not None and str(output) == "-":  # the usual name for standard output
        if isinstance(text, bytes):
            refuse_binary_on_a_terminal(output)
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
            CLOCK.output_written()
            return
        output = None
    if output is None:
        assert isinstance(text, str)  # bytes (a workbook) always go to a file
        emit(text)
        return
    try:
        if isinstance(text, bytes):
            output.write_bytes(text)
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise PpmError(f"cannot write {quote(str(output))}: {exc.strerror}") from None
    CLOCK.output_written()
    from ppmcli.render.escape import terminal

    typer.echo(f"wrote {terminal(str(output))}", err=True)


# ---------------------------------------------------------------- commands


@app.command(epilog=GLOBAL_EPILOG, short_help="Validate every file and run the checks (the CI gate).")
def check(
    ctx: typer.Context,
    fail_on: Annotated[str, typer.Option("--fail-on", help="Exit 1 on findings at or above: error, warning, never.", metavar="LEVEL", callback=one_of("--fail-on", "ppmcli.core.findings:FailLevel"))] = "error",
) -> None:
    """Validate every file and run the portfolio checks (the CI gate). Formats: text, json, github."""
    from ppmcli.core.findings import FailLevel
    from ppmcli.render import findings as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
    findings, files, fingerprint = checked(opts)
    text = render.render(findings, out, prefix=os.environ.get("PPM_PATH_PREFIX", ""))
    summary = render.summary(findings, files) if out.format not in ("json", "github") else None
    code = 1 if FailLevel(fail_on).fails(findings) else 0
    emit(text)
    if summary is not None:
        typer.echo(summary, err=True)
    if opts.recorder is not None and fingerprint is not None:
        from ppmcli.replay import options_key

        key = options_key(opts.as_of.isoformat(), opts.format, opts.terminal, opts.color, fail_on)
        opts.recorder.record(key, fingerprint, text, "" if summary is None else summary + "\n", code)
    raise typer.Exit(code)


@app.command(epilog=GLOBAL_EPILOG, short_help="Create a small workspace that passes ppm check.")
def init(
    ctx: typer.Context,
    directory: Annotated[Optional[Path], typer.Argument(help="Folder to create the workspace in (default: here, or the -C folder; a relative DIR is taken from -C).", file_okay=False, metavar="DIR", show_default=False)] = None,
) -> None:
    """Create a small working workspace to start from, with a .gitignore, in a new git repository unless it is in one; never overwrites a file."""
    import shlex

    from ppmcli.render.escape import terminal
    from ppmcli.scaffold import start_repository, write_workspace

    opts: Options = ctx.obj
    opts.output(IMPORT_FORMATS)  # what was written, as lines: --format json is refused, not ignored
    # As `git -C`: the folder ppm runs in.
    directory = (opts.workspace or Path(".")) / (directory or Path("."))
    written = write_workspace(directory)
    for path in written:
        typer.echo(f"created {terminal(str(path))}")
    created, line = start_repository(directory)
    typer.echo(terminal(line), err=not created)
    # A folder named like an option (-x) would be read as one by cd: ./-x is the same folder.
    folder = str(directory) if not str(directory).startswith("-") else f"./{directory}"
    typer.echo(f"next: cd {terminal(shlex.quote(folder))} && ppm check", err=True)


@app.command(epilog=GLOBAL_EPILOG, short_help="Over-allocated people: who is booked above capacity, when.")
def conflicts(
    ctx: typer.Context,
    history: Annotated[bool, typer.Option("--all", help="Also past conflicts (ending before --as-of).")] = False,
    person: Annotated[Optional[str], typer.Option("--person", help="Only this person's conflicts.", metavar="ID")] = None,
    tentative: Annotated[bool, typer.Option("--tentative", help="Count proposed projects' allocations too.")] = False,
    suggest: Annotated[bool, typer.Option("--suggest", help="Name people of the same role with free capacity over each conflict.")] = False,
    start: Annotated[Optional[str], typer.Option("--from", help="Only conflicts ending on or after this day (instead of --as-of).", metavar="DATE")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Only conflicts starting on or before this day.", metavar="DATE")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """Over-allocated people: runs of available days booked above capacity. Exit 1 when any is shown. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis.resources.conflicts import conflicts_report
    from ppmcli.render import conflicts as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
    first, last = parse_range(start, end)
    ws = load_for_analysis(opts)
    with progress(opts, out.format, "Finding over-allocated people…", long=large(ws)):
        found = conflicts_report(ws, opts.as_of, history=history, tentative=tentative, person=person, portfolio=portfolio, tags=tag or (), suggest=suggest, start=first, end=last)
    emit(render.render(found, out))
    raise typer.Exit(1 if found.conflicts else 0)


@app.command(epilog=GLOBAL_EPILOG, short_help="Supply, demand and utilization per role and per person.")
def capacity(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Period: week, month or quarter.", metavar="PERIOD", callback=one_of("--by", "ppmcli.analysis.resources.workdays:PERIOD_KINDS"))] = "month",
    role: Annotated[Optional[str], typer.Option("--role", help="Only this role and the people who hold it.", metavar="R")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="First day of the range (whole periods); default the period of --as-of.", metavar="DATE")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day of the range; default twelve months on.", metavar="DATE")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """Supply, demand and utilization per role and per person, as a heat map. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis.resources.capacity import capacity as build
    from ppmcli.render import capacity as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
    first, last = parse_range(start, end)
    ws = load_for_analysis(opts)
    with progress(opts, out.format, "Computing supply and demand…", long=large(ws)):
        found = build(ws, opts.as_of, by=by, start=first, end=last, role=role, portfolio=portfolio, tags=tag or ())
    emit(render.render(found, out))
    raise typer.Exit(0)


@app.command(epilog=GLOBAL_EPILOG, short_help="Print the JSON Schema of the workspace files, for editors.")
def schema(
    ctx: typer.Context,
    kind: Annotated[Optional[str], typer.Argument(help="settings, portfolio, program, project, person or scenario; default all.", metavar="KIND")] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the workspace files, for editors."""
    import json

    from ppmcli.load.schema_export import SCHEMA_KINDS, schema_for

    opts: Options = ctx.obj
    opts.output(("json",))  # a schema is JSON: --format xml is refused, not ignored

    if kind is not None and kind not in SCHEMA_KINDS:
        from ppmcli.core.names import did_you_mean

        raise PpmError(f"unknown kind {quote(kind)}; choose one of {', '.join(SCHEMA_KINDS)}{did_you_mean(kind, SCHEMA_KINDS)}")
    emit(json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n")


@app.command(epilog=GLOBAL_EPILOG, short_help="Health, budget, earned value, benefits, risks, milestones.")
def report(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Group by portfolio, program, goal, phase or tag.", metavar="GROUPING", callback=one_of("--by", "ppmcli.analysis.delivery.rollup:GROUPINGS"))] = "portfolio",
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
    include_all: Annotated[bool, typer.Option("--all", help="Also report proposed and cancelled projects.")] = False,
    trend: Annotated[Optional[str], typer.Option("--trend", help="Show one project's SPI, CPI, percent complete and health over its status dates.", metavar="ID")] = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="With --format html: the funding available, to draw the funding line.", metavar="N")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file (required by --format html; - for standard output).", dir_okay=False, metavar="FILE")] = None,
    baseline: Annotated[Optional[str], typer.Option("--baseline", help="Compare with the portfolio at this git revision or tag: end and milestone slips, budget growth, EAC drift, health.", metavar="REV")] = None,
    only_projects: Annotated[bool, typer.Option("--projects", help="Only the per-project table (in CSV: one row per project, under the JSON's keys, instead of the rollup).")] = False,
) -> None:
    """Health, budget, earned value, benefits, risks and milestones, rolled up. Formats: text, plain, markdown, csv, json, html (a dashboard; needs -o)."""
    from ppmcli.analysis.delivery.rollup import build_report, project_trend
    from ppmcli.analysis.filters import select_projects
    from ppmcli.render import html, report as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS + html.FORMATS)
    if out.format == "html" and (output is None or trend is not None):
        raise PpmError("--format html writes a dashboard file: give -o FILE (and no --trend)")
    _refuse_what_does_not_apply(ctx, trend=trend, html=out.format == "html")
    refuse_a_workspace_file(output, opts)
    ws = load_for_analysis(opts)
    funding = parse_amount(budget, "--budget") if budget is not None else None
    projects = select_projects(ws, portfolio, tag or ()) if trend is None else {}
    if trend is not None:
        text = render.render_trend(project_trend(ws, trend, opts.as_of), out)
    elif out.format == "html":
        text = _dashboard(opts, ws, projects, by=by, include_all=include_all, budget=funding, portfolio=portfolio, tags=tag or ())
    elif baseline is not None:
        text = _against_baseline(opts, out, ws, projects, baseline, by=by, include_all=include_all, portfolio=portfolio, tags=tag or ())
    else:
        with progress(opts, out.format, "Rolling up the report…", long=large(ws)):
            found = build_report(ws, projects, opts.as_of, by=by, include_all=include_all)
        text = render.render(found, out, only_projects=only_projects)
    write_output(text, output)
    raise typer.Exit(0)


def _refuse_what_does_not_apply(ctx: typer.Context, *, trend: str | None, html: bool) -> None:
    """One sentence for a report option the chosen report would ignore: a user who gave it expects it to count."""
    given = {name for name, value in ctx.params.items() if value not in (None, False, ()) and getattr(ctx.get_parameter_source(name), "name", "") != "DEFAULT"}
    flags = {"by": "--by", "portfolio": "--portfolio", "tag": "--tag", "include_all": "--all", "budget": "--budget", "baseline": "--baseline", "only_projects": "--projects"}
    if trend is not None and (ignored := [flag for name, flag in flags.items() if name in given]):
        raise PpmError(f"--trend shows one project over its status dates: leave out {', '.join(ignored)}")
    if "budget" in given and not html:
        raise PpmError("--budget draws the dashboard's funding line: add --format html -o FILE")
    if "only_projects" in given and (html or "baseline" in given or "by" in given):
        raise PpmError("--projects keeps only the per-project table of the report: not with " + ("--format html" if html else "--baseline" if "baseline" in given else "--by, which groups the rollup it leaves out"))
    if "baseline" in given and html:
        raise PpmError("--baseline adds the variance tables to the report, which the dashboard does not show: leave out --format html or --baseline")


def _dashboard(opts: Options, ws: "Workspace", projects: "dict[str, Project]", *, by: str, include_all: bool, budget: "Fraction | None", portfolio: str | None, tags: "Sequence[str]") -> str:
    """`ppm report --format html`: the dashboard page."""
    from ppmcli.analysis.dashboard import build_dashboard
    from ppmcli.render.html import render_html

    return render_html(build_dashboard(ws, projects, opts.as_of, by=by, include_all=include_all, budget=budget, portfolio=portfolio, tags=tags))


def _against_baseline(opts: Options, out: "Output", ws: "Workspace", projects: "dict[str, Project]", rev: str, *, by: str, include_all: bool, portfolio: str | None, tags: "Sequence[str]") -> str:
    """`ppm report --baseline REV`: the report, then its variance against the portfolio at git revision `rev`."""
    from ppmcli.analysis.delivery.rollup import build_report
    from ppmcli.analysis.filters import select_projects
    from ppmcli.analysis.review.baseline import compare_baseline
    from ppmcli.load.session import load_revision, workspace_root
    from ppmcli.render.baseline import render_with_report

    then, label = load_revision(workspace_root(opts.workspace), rev, walked_from=walked_from(opts))
    variance = compare_baseline(then, ws, select_projects(then, portfolio, tags, strict=False), projects, opts.as_of, label, include_all=include_all)
    return render_with_report(build_report(ws, projects, opts.as_of, by=by, include_all=include_all), variance, out)


@app.command(epilog=GLOBAL_EPILOG, short_help="One project's status for its manager.")
def status(
    ctx: typer.Context,
    project: Annotated[str, typer.Argument(help="The project's id.", metavar="ID")],
) -> None:
    """One project's status for its manager: health and note, earned value, milestones, risks, team, trend, findings. Formats: text, plain, markdown, json.

    Informational: exits 0 whatever the findings (ppm check is the gate).
    """
    from ppmcli.analysis.context import INVALID_SETTINGS
    from ppmcli.analysis.delivery.status import project_status
    from ppmcli.render import status as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
    ws, findings, _ = load_workspace(opts)
    if ws.settings is None:
        raise PpmError(INVALID_SETTINGS)
    emit(render.render(project_status(ws, project, opts.as_of, findings), out))
    raise typer.Exit(0)


@app.command(epilog=GLOBAL_EPILOG, short_help="A timeline of the open projects.")
def roadmap(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Group by portfolio or program.", metavar="GROUPING", callback=one_of("--by", "ppmcli.analysis.delivery.roadmap:ROADMAP_GROUPINGS"))] = "portfolio",
    start: Annotated[Optional[str], typer.Option("--from", help="First day shown; default the earliest start.", metavar="DATE")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day shown; default the latest end.", metavar="DATE")] = None,
    plan: Annotated[bool, typer.Option("--plan", help="Draw `ppm plan`'s dates: candidates it starts (late ones marked planned → new), stopped projects marked, the rest left out.")] = False,
    budget: Annotated[Optional[str], typer.Option("--budget", help="With --plan: the plan's budget.", metavar="N")] = None,
    max_delay: Annotated[int, typer.Option("--max-delay", help="With --plan: whole months a candidate may start late.", metavar="N")] = 0,
    stop: Annotated[Optional[list[str]], typer.Option("--stop", help="With --plan: stop this running project (repeatable).", metavar="ID")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """A timeline of the open projects: bars by health, milestones, a line at --as-of, dependencies; with --plan, the plan's dates. Formats: text, plain, markdown (Mermaid), json."""
    from ppmcli.analysis.delivery.roadmap import build_roadmap
    from ppmcli.analysis.filters import select_projects
    from ppmcli.render import roadmap as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
    first, last = parse_range(start, end)
    options = None
    if plan:
        from ppmcli.analysis.selection.options import PlanOptions, check_options
        from ppmcli.analysis.selection.plan import plan as make_plan

        options = PlanOptions(budget=parse_amount(budget, "--budget") if budget is not None else None, max_delay=max_delay, stop=tuple(stop or ()))
        check_options(options)
    elif budget is not None or max_delay or stop:
        raise PpmError("--budget, --max-delay and --stop shape the plan: add --plan")
    ws = load_for_analysis(opts)
    projects = select_projects(ws, portfolio, tag or ())
    with progress(opts, out.format, "Laying out the roadmap…", long=plan or large(ws)):
        found_plan = None if options is None else make_plan(ws, projects, opts.as_of, options)
        found = build_roadmap(ws, projects, opts.as_of, by=by, start=first, end=last, plan=found_plan)
    emit(render.render(found, out))
    raise typer.Exit(1 if found.breaches else 0)  # as `ppm plan`: a plan that breaks its limits fails


def parse_amount(text: str, option: str, what: str = "an amount") -> "Fraction":
    """An amount (`what`: a score is "a number") as written (`5000000`, `5_000_000`, `5,000,000`, `4.5e6`), exactly;
    commas only between groups of three digits."""
    from fractions import Fraction

    from ppmcli.core.numbers import written_number

    number = written_number(text)
    if number is None:
        hint = ": a comma may only separate thousands (5,000,000)" if "," in text else ""
        raise PpmError(f"{option} {quote(text)} is not {what}{hint}")
    if not number.is_finite() or number < 0 or number > 10**15:
        raise PpmError(f"{option} {quote(text)} must be {what} from 0 to 10^15")
    return Fraction(number)


@app.command(epilog=GLOBAL_EPILOG, short_help="Score and rank every open project.")
def score(
    ctx: typer.Context,
    model: ModelOption = None,
    explain: Annotated[Optional[str], typer.Option("--explain", help="Show each criterion's raw value, normalized value, weight and share for this project.", metavar="ID")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """Score and rank every open project; unscored ones come last with what they lack. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis.filters import select_projects, unmatched
    from ppmcli.analysis.selection.scoring import explain as explain_score, rank_projects
    from ppmcli.render import ranking as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
    ws = load_for_analysis(opts)
    assert ws.settings is not None
    projects = select_projects(ws, portfolio, tag or ())
    if explain is not None:
        explanation = explain_score(projects, ws.settings, explain, model, ws)
        emit(render.render_explanation(explanation, out))
    else:
        with progress(opts, out.format, "Scoring…", long=large(ws)):
            ranking = rank_projects(projects, ws.settings, model)
        emit(render.render_score(ranking, out, unmatched=unmatched(ws, projects, portfolio, tag or ())))
    raise typer.Exit(0)


@app.command(epilog=GLOBAL_EPILOG, short_help="The ranked list, the funding line and why.")
def prioritize(
    ctx: typer.Context,
    model: ModelOption = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Funding available; select what fits.", metavar="N")] = None,
    capacity: Annotated[bool, typer.Option("--capacity", help="Select only what fits monthly role supply.")] = False,
    method: Annotated[Optional[str], typer.Option("--method", help="greedy (down the ranking; the default) or optimal (the most value, proven).", metavar="METHOD", callback=one_of("--method", "ppmcli.analysis.selection.options:METHODS"))] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
    force_in: Annotated[Optional[list[str]], typer.Option("--force-in", help="Select this project whatever its score (repeatable).", metavar="ID")] = None,
    force_out: Annotated[Optional[list[str]], typer.Option("--force-out", help="Never select this project (repeatable).", metavar="ID")] = None,
    compare: Annotated[Optional[str], typer.Option("--compare", help="With optimal: 'greedy' shows what the exact method adds and drops.", metavar="greedy")] = None,
    frontier: Annotated[bool, typer.Option("--frontier", help="Value against budget, from the forced cost to the cost of everything (optimal unless --method greedy).")] = False,
    steps: Annotated[Optional[int], typer.Option("--steps", help="Budget steps of --frontier (default 10, at most 100).", metavar="N")] = None,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Stop the exact solver after this many seconds (default 60; with --frontier, for every budget together) and show the best set found, with its gap.", metavar="S")] = None,
) -> None:
    """The ranked list with the funding line and why each project is in or out; or the efficient frontier. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis.filters import select_projects, unmatched
    from ppmcli.analysis.selection import prioritize as selection
    from ppmcli.render import ranking as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
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
        with progress(opts, out.format, "Tracing the efficient frontier…"):
            found = selection.frontier(ws, projects, model=model, limits=limits, steps=10 if steps is None else steps, method=chosen, total_time_limit=time_limit)
        emit(render.render_frontier(found, currency, out))
        for note in render.machine_format_notes(found, out.format):
            typer.echo(note, err=True)
        raise typer.Exit(0)
    with progress(opts, out.format, "Solving…" if chosen == "optimal" else "Selecting…", long=chosen == "optimal" or large(ws)):
        result = selection.prioritize(ws, projects, model=model, limits=limits, method=chosen, compare=compare is not None, time_limit=time_limit)
    emit(render.render_selection(result, currency, out, unmatched=unmatched(ws, projects, portfolio, tag or ())))
    for line in (*render.machine_format_notes(result, out.format), render.not_proven_warning(result.solve, "set", out.format)):
        if line:
            typer.echo(line, err=True)
    raise typer.Exit(0)


@app.command(epilog=GLOBAL_EPILOG, short_help="What to start, and when, beside the running projects.")
def plan(
    ctx: typer.Context,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Funding for the kept running projects and the started candidates.", metavar="N")] = None,
    months: Annotated[Optional[int], typer.Option("--months", help="Horizon in calendar months from the month of --as-of (default 12, at most 120).", metavar="N")] = None,
    max_delay: Annotated[Optional[int], typer.Option("--max-delay", help="Whole months a candidate may start late (default 0, at most 24).", metavar="N")] = None,
    hire: Annotated[Optional[list[str]], typer.Option("--hire", help="Add N people of ROLE from a month (default the first): ROLE=N[@YYYY-MM] (repeatable).", metavar="ROLE=N[@YYYY-MM]")] = None,
    stop: Annotated[Optional[list[str]], typer.Option("--stop", help="Stop this running project: its cost and demand are freed (repeatable).", metavar="ID")] = None,
    force_in: Annotated[Optional[list[str]], typer.Option("--force-in", help="Start this candidate whatever its score (repeatable).", metavar="ID")] = None,
    force_out: Annotated[Optional[list[str]], typer.Option("--force-out", help="Never start this candidate (repeatable).", metavar="ID")] = None,
    model: ModelOption = None,
    method: Annotated[Optional[str], typer.Option("--method", help="optimal (the most value, proven; the default) or greedy (down the ranking).", metavar="METHOD")] = None,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Stop the exact solver after this many seconds and show the best plan found, with its gap.", metavar="S")] = None,
    scenario: Annotated[Optional[str], typer.Option("--scenario", help="Take the options of scenarios/ID.yaml; options given here win.", metavar="ID")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """What to start, and when, beside the running projects: remaining cost, delays to fit, hires. Exit 1 when the forced projects break a limit. Formats: text, plain, markdown, csv, json."""
    from ppmcli.analysis.filters import select_projects, unmatched
    from ppmcli.analysis.selection import plan as planning
    from ppmcli.analysis.selection.options import check_options, parse_hire, plan_options
    from ppmcli.analysis.selection.scenarios import find_scenario, why_unfit
    from ppmcli.render.escape import terminal
    from ppmcli.render.plan import FORMATS, render_plan
    from ppmcli.render.ranking import not_proven_warning

    opts: Options = ctx.obj
    out = opts.output(FORMATS)
    given = {
        "budget": parse_amount(budget, "--budget") if budget is not None else None,
        "months": months,
        "max_delay": max_delay,
        "hires": tuple(parse_hire(text) for text in hire or ()),
        "stop": tuple(stop or ()),
        "force_in": tuple(force_in or ()),
        "force_out": tuple(force_out or ()),
        "model": model,
        "method": method,
        "time_limit": time_limit,
    }
    check_options(plan_options(None, given))  # the command line's own options, before anything loads
    ws = load_for_analysis(opts, scenarios=scenario is not None)
    assert ws.settings is not None
    chosen = find_scenario(ws, scenario) if scenario is not None else None
    options = plan_options(chosen, given)
    check_options(options)
    projects = select_projects(ws, portfolio, tag or ())
    if chosen is not None and (why := why_unfit(ws, projects, opts.as_of, chosen, given)) is not None:
        raise PpmError(f"scenario {quote(chosen.id)}: {why}")
    with progress(opts, out.format, "Planning…", long=options.method == "optimal" or large(ws)):
        found = planning.plan(ws, projects, opts.as_of, options)
    emit(render_plan(found, ws.settings.currency, out, unmatched=unmatched(ws, projects, portfolio, tag or ())))
    for warning in found.warnings:
        typer.echo(f"ppm: warning: {terminal(warning)}", err=True)
    if (unproven := not_proven_warning(found.solve, "plan", out.format)) is not None:
        typer.echo(unproven, err=True)
    raise typer.Exit(1 if found.breaches else 0)


@app.command(epilog=GLOBAL_EPILOG, short_help="The scenarios' plans side by side with the baseline.")
def scenarios(
    ctx: typer.Context,
    ids: Annotated[Optional[list[str]], typer.Argument(help="Scenarios to compare (default: every file in scenarios/).", metavar="[ID]...")] = None,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", help="Bound each exact plan to this many seconds (default: all the plans share 60 s).", metavar="S")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """The scenarios' plans side by side with the baseline (the plan with no options): value, cost, budget left, started, stopped, delayed, hires, highest utilization, and where each plan starts each project. Formats: text, plain, markdown (a pull-request comment), csv, json."""
    from ppmcli.analysis.filters import select_projects
    from ppmcli.analysis.selection.scenarios import TimeShare, compare, find_scenario, unfit
    from ppmcli.analysis.selection.solver import DEFAULT_TIME_LIMIT
    from ppmcli.render import scenarios as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
    ws = load_for_analysis(opts, scenarios=True)
    chosen = [find_scenario(ws, ident) for ident in dict.fromkeys(ids)] if ids else list(ws.scenarios.values())
    projects = select_projects(ws, portfolio, tag or ())
    given = {"time_limit": time_limit}
    # Named on the command line: one that cannot be planned is an error, as with `plan --scenario`, before anything is planned.
    if ids and (failed := unfit(ws, projects, opts.as_of, chosen, given)):
        ident, why = failed[0]
        raise PpmError(f"scenario {quote(ident)}: {why}")
    with progress(opts, out.format, "Planning the scenarios…", long=True):
        # A scenario that cannot be planned (a stop of a project no longer running) is left out and named, as a skipped file is.
        narrowed = [*(("--portfolio", portfolio) if portfolio is not None else ()), *(part for value in tag or () for part in ("--tag", value))]
        # Without --time-limit the plans share one budget: the workspace (a pull request) decides how many there are.
        share = TimeShare(DEFAULT_TIME_LIMIT, len(chosen) + 1) if time_limit is None else None
        found = compare(ws, projects, opts.as_of, chosen, given, share=share, invalid=() if ids else sorted(ws.invalid.get("scenarios", ())), narrowed=narrowed)
    emit(render.render(found, out))
    for line in render.stderr_notes(found, out.format):
        typer.echo(line, err=True)
    raise typer.Exit(0)


def _prioritize_method(limits: "Limits", method: str | None, compare: str | None, frontier: bool, steps: int | None, time_limit: float | None) -> str:
    """The selection method the options ask for; a sentence for options that do not go together."""
    if compare is not None and compare != "greedy":
        raise PpmError(f"--compare {quote(compare)} is not available; only --compare greedy")
    if compare is not None and (method == "greedy" or frontier):
        raise PpmError("--compare greedy compares the optimal set with the greedy one; use it with --method optimal, without --frontier")
    if steps is not None and not frontier:
        raise PpmError("--steps sets the budget steps of --frontier; add --frontier")
    if steps is not None:
        from ppmcli.analysis.selection.prioritize import check_steps

        check_steps(steps)
    if time_limit is not None:
        from ppmcli.analysis.selection.options import check_time_limit

        check_time_limit(time_limit)
    chosen = method or ("optimal" if frontier or compare is not None else "greedy")
    if time_limit is not None and chosen != "optimal":
        raise PpmError("--time-limit bounds the exact solver; add --method optimal")
    if not frontier and not limits.active:
        named = [name for name, given in (("--method", method), ("--force-in", limits.force_in), ("--force-out", limits.force_out), ("--compare", compare), ("--time-limit", time_limit)) if given]
        if named:
            raise PpmError(f"{named[0]} selects under a limit; add --budget N or --capacity")
    return chosen


def _sides(
    opts: Options, snapshots: tuple["Snapshot", "Snapshot"], cache: "FileCache", figures: "Callable[[Workspace], SideFigures]", accepted: "Callable[[list[Workspace]], None]"
) -> tuple["Side", "Side"]:
    """Both sides of a diff: each workspace as its snapshot holds it, with its findings and `figures`, analysed on two cores;
    `accepted` raises when the options do not fit the two workspaces, before anything is analysed.

    Each rule runs on both sides in one process: a file both sides share is one object (the cache's), so a
    finding in it is placed in its text once, and placing findings is most of what the rules cost.
    """
    from ppmcli.analysis.checks import changed_part, checks_for, run_check_on_sides
    from ppmcli.analysis.review.diff import Side
    from ppmcli.load.loader import collector_paused, load
    from ppmcli.load.parallel import map_in_two

    loaded = []
    for snapshot in snapshots:
        with loading(opts, snapshot.source):
            loaded.append(load(snapshot.source, cache))
    workspaces = [workspace for workspace, _ in loaded]
    accepted(workspaces)
    wanted = [checks_for(workspace) for workspace in workspaces]
    rules = list(dict.fromkeys(check for checks in wanted for check in checks))
    # Both sides' figures in one task, so the head side reuses what the base side computed of the projects they share (their scores).
    tasks: list[Callable[[], object]] = [lambda: [figures(workspace) for workspace in workspaces]]
    changed = changed_part(*workspaces)  # made here, once, before a child is forked
    tasks += [functools.partial(run_check_on_sides, opts.as_of, workspaces, wanted, changed, check) for check in rules]
    with progress(opts, opts.format or "text", "Checking…", long=large(workspaces[1])), collector_paused():
        done = map_in_two(operator.call, tasks, parallel=_shared_with_a_child(workspaces[1]))
    found = [_in_output_order(files, [part[side] for part in done[1:]]) for side, (_, files) in enumerate(loaded)]
    return tuple(
        Side(snapshot.label, workspace, tuple(side), side_figures, tuple(files))
        for snapshot, (workspace, files), side, side_figures in zip(snapshots, loaded, found, done[0])
    )  # type: ignore[return-value]


@app.command(epilog=GLOBAL_EPILOG, short_help="What a change does to the portfolio between revisions.")
def diff(
    ctx: typer.Context,
    base: Annotated[str, typer.Argument(help="The git revision to compare from (a branch, tag or commit).", metavar="BASE")],
    head: Annotated[Optional[str], typer.Argument(help="The revision to compare to; default the working tree, uncommitted and untracked files included.", metavar="HEAD")] = None,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Show projects that cross the funding line at this budget.", metavar="N")] = None,
    capacity: Annotated[bool, typer.Option("--capacity", help="Draw the funding line under monthly role capacity too.")] = False,
    fail_on: Annotated[Optional[list[str]], typer.Option("--fail-on", help="Exit 1 when the change has one of these effects (repeat or comma-separate): new-error, new-overallocation, defunded, over-budget, health-drop.", metavar="EFFECT")] = None,
    portfolio: PortfolioOption = None,
    tag: TagOption = None,
) -> None:
    """What a change does to the portfolio between two git revisions; with --fail-on, a gate. Formats: text, plain, markdown (a pull-request comment), json."""
    from ppmcli.analysis.filters import require_known_on_a_side
    from ppmcli.analysis.review.diff import diff_portfolios, side_figures
    from ppmcli.analysis.review.gate import evaluate, parse_effects
    from ppmcli.analysis.selection.prioritize import Limits
    from ppmcli.load.session import diff_snapshots, workspace_root
    from ppmcli.render import diff as render

    opts: Options = ctx.obj
    out = opts.output(render.FORMATS)
    effects = parse_effects(fail_on or ())
    limits = Limits(budget=parse_amount(budget, "--budget") if budget is not None else None, capacity=capacity)
    if "defunded" in effects and limits.budget is None and not capacity:
        raise PpmError("--fail-on defunded needs the funding line: give --budget N or --capacity")
    base_files, head_files, cache = diff_snapshots(workspace_root(opts.workspace), base, head, cache=opts.cache, walked_from=walked_from(opts))
    _say_cache_refusals()
    figures = functools.partial(side_figures, as_of=opts.as_of, portfolio=portfolio, tags=tag or (), limits=limits)
    old, new = _sides(opts, (base_files, head_files), cache, figures, functools.partial(require_known_on_a_side, portfolio=portfolio, tags=tag or ()))
    with progress(opts, out.format, "Comparing…", long=large(new.workspace)):
        found = diff_portfolios(old, new, opts.as_of, portfolio=portfolio, tags=tag or (), limits=limits)
    gate = evaluate(found, effects) if effects else None
    emit(render.render(found, out, gate))
    raise typer.Exit(1 if gate is not None and gate.failures else 0)


# ---------------------------------------------------------------- import and export

import_app = typer.Typer(name="import", short_help="Create workspace files from Microsoft Project or CSV.", help="Create workspace files from Microsoft Project XML (MSPDI) or a CSV table; never overwrites a file.", cls=_Group, no_args_is_help=True)
app.add_typer(import_app)


# Above this an input file is refused unread (a Project XML of 100,000 tasks is a few hundred MB).
MAX_INPUT_BYTES = 256 * 1024 * 1024


def _read_input(path: Path) -> bytes:
    """The bytes of an input file named on the command line (a regular file, within the size limit), or one sentence saying why not."""
    import stat

    try:
        # Non-blocking, so a FIFO is refused rather than waited on.
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise PpmError(f"{quote(str(path))} is not a regular file")
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise PpmError(f"cannot read {quote(str(path))}: {exc.strerror}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise PpmError(f"{quote(str(path))} is larger than {MAX_INPUT_BYTES // 2**20} MiB; not imported")
    return data


def _after_import(opts: Options, written: list[str]) -> int:
    """Check the workspace with the new files; print the findings in them; exit 1 when one is an error."""
    from ppmcli.core.findings import FailLevel, sorted_findings
    from ppmcli.importer import findings_in
    from ppmcli.render import findings as render
    from ppmcli.render.output import Output

    _, findings, _ = load_workspace(opts)
    mine = sorted_findings(findings_in(findings, written))
    if mine:
        typer.echo("ppm check finds in the imported files:", err=True)
        typer.echo(render.render(mine, Output("plain")), nl=False, err=True)
    return 1 if FailLevel.ERROR.fails(mine) else 0


@import_app.command("mspdi", epilog=GLOBAL_EPILOG, short_help="A project file from a Microsoft Project XML file.")
def import_mspdi(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The Microsoft Project XML file (in Project: File > Save As > XML).", dir_okay=False, metavar="FILE.xml")],
    project_id: Annotated[Optional[str], typer.Option("--id", help="Id of the project file (default: from the project's name).", metavar="ID")] = None,
    portfolio: Annotated[Optional[str], typer.Option("--portfolio", help="The project's portfolio (default: the workspace's only one).", metavar="P")] = None,
    program: Annotated[Optional[str], typer.Option("--program", help="The project's program (its portfolio comes with it).", metavar="PR")] = None,
    manager: Annotated[Optional[str], typer.Option("--manager", help="The project manager's person id (default: the program's manager, else the portfolio's owner).", metavar="ID")] = None,
    score: Annotated[Optional[list[str]], typer.Option("--score", help="A scoring input, NAME=VALUE (repeatable): Microsoft Project holds none.", metavar="NAME=VALUE")] = None,
) -> None:
    """A project file and a person file per work resource from a Microsoft Project XML (MSPDI) file; then the new files are checked."""
    from ppmcli.importer import import_mspdi as run
    from ppmcli.load.session import workspace_root

    opts: Options = ctx.obj
    opts.output(IMPORT_FORMATS)  # what was written, as lines: --format json is refused, not ignored
    root = workspace_root(opts.workspace)
    data = _read_input(file)
    ws = load_for_analysis(opts)
    done = run(ws, root, data, file.name, opts.as_of, project_id=project_id, portfolio=portfolio, program=program, manager=manager, scores=_scores(score or ()))
    _print_import(done)
    raise typer.Exit(_after_import(opts, done.written))


# The imports print what they wrote, line by line; no other format.
IMPORT_FORMATS = ("text", "plain")


def _scores(pairs: "Iterable[str]") -> dict[str, float]:
    """`--score NAME=VALUE` options as a dict."""
    found: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise PpmError(f"--score {quote(pair)} is not NAME=VALUE")
        found[name.strip()] = float(parse_amount(value.strip(), f"--score {name.strip()}", "a number"))
    return found


@import_app.command("csv", epilog=GLOBAL_EPILOG, short_help="Project files from a CSV table, checked first.")
def import_csv(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A CSV table whose header names the fields: id, name, portfolio, program, manager, phase, start, end, budget, benefits, tags (separated by ';'), scores.NAME.", dir_okay=False, metavar="FILE.csv")],
) -> None:
    """Project files from a CSV table, one per row; every bad cell is a finding at FILE:ROW:COL and nothing is written unless every row is valid."""
    from ppmcli.core.findings import FailLevel
    from ppmcli.importer import import_csv as run
    from ppmcli.load.session import workspace_root
    from ppmcli.render import findings as render
    from ppmcli.render.output import Output

    opts: Options = ctx.obj
    opts.output(IMPORT_FORMATS)
    root = workspace_root(opts.workspace)
    data = _read_input(file)
    ws = load_for_analysis(opts)
    done, findings = run(ws, root, data, str(file), opts.as_of)
    emit(render.render(findings, Output("plain")))
    _print_import(done)
    from ppmcli.render.escape import terminal

    if FailLevel.ERROR.fails(findings):
        typer.echo(f"nothing written: {counted(sum(f.severity.name == 'ERROR' for f in findings), 'error')} in {terminal(str(file))}", err=True)
        raise typer.Exit(1)
    if not done.written:
        typer.echo(f"nothing written: {terminal(str(file))} has a header and no rows", err=True)
    raise typer.Exit(0)


def _print_import(done: "Imported") -> None:
    from ppmcli.render.escape import terminal as _printable

    for path in done.written:
        typer.echo(f"wrote {_printable(path)}")
    for line in done.reused:
        typer.echo(f"reused {_printable(line)}")
    for note in done.notes:
        typer.echo(f"not mapped: {_printable(note)}")


export_app = typer.Typer(name="export", short_help="Write the portfolio for spreadsheets (xlsx, csv).", help="Write the portfolio for spreadsheets: an Excel workbook, or the projects as CSV for `ppm import csv`.", cls=_Group, no_args_is_help=True)
app.add_typer(export_app)


@export_app.command("xlsx", epilog=GLOBAL_EPILOG, short_help="An Excel workbook of the portfolio.")
def export_xlsx(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="The workbook to write (- for standard output, when it is not a terminal).", dir_okay=False, metavar="FILE")],
    budget: Annotated[Optional[str], typer.Option("--budget", help="Funding available: the Ranking says what is selected, the Plan is `ppm plan --budget N`.", metavar="N")] = None,
    method: Annotated[str, typer.Option("--method", help="How the Ranking selects and the Plan is made: greedy (the default, quick on any portfolio) or optimal (exact, as `ppm plan` by default).", metavar="METHOD", callback=one_of("--method", "ppmcli.analysis.selection.options:METHODS"))] = "greedy",
) -> None:
    """One workbook with the sheets Projects, Ranking, Plan, Capacity, Conflicts and Report; the same input gives the same bytes."""
    from ppmcli.load.loader import collector_paused
    from ppmcli.load.parallel import InOrder, map_in_two
    from ppmcli.render.xlsx import Workbook

    opts: Options = ctx.obj
    opts.output(("xlsx",))  # the workbook is the format: --format json is refused, not ignored
    funds = parse_amount(budget, "--budget") if budget is not None else None
    refuse_binary_on_a_terminal(output)
    refuse_a_workspace_file(output, opts)
    ws = load_for_analysis(opts)
    workbook = Workbook()
    # Six analyses and a workbook make hundreds of thousands of small objects that live until the file is written
    # (no cycles among them to free): the collector would only rescan them (about 5 % of the analysis and output at 2,000 projects).
    with collector_paused():
        with progress(opts, "text", "Building the workbook…", long=large(ws)):
            # The parts are independent: on a large workspace a forked child makes some while this process makes the others,
            # and each part's sheets are written here as soon as those before them are (this process's own while the child works).
            parts = _workbook_parts(ws, opts.as_of, funds, method)
            map_in_two(operator.call, parts, InOrder(parts, workbook.add_all), parallel=_shared_with_a_child(ws))
        write_output(workbook.bytes(), output)
    raise typer.Exit(0)



def _workbook_parts(ws: "Workspace", as_of: date, funds: "Fraction | None", method: str) -> "list[Callable[[], list[Sheet]]]":
    """The parts of `export xlsx`'s workbook in sheet order, each making its sheets with the analyses they show: Projects,
    Ranking and Plan (which share their scores), Capacity, Conflicts, Report. The most costly comes first, as each process
    claims the next part when it is free; the analyses are imported here, once, before a child is forked."""
    from ppmcli.analysis.delivery.rollup import build_report
    from ppmcli.analysis.resources.capacity import capacity
    from ppmcli.analysis.resources.conflicts import conflicts_report
    from ppmcli.analysis.selection import prioritize as selection
    from ppmcli.analysis.selection.options import PlanOptions
    from ppmcli.analysis.selection.plan import plan
    from ppmcli.render import workbook

    def selection_part() -> "list[Sheet]":
        ranking = selection.prioritize(ws, ws.projects, limits=selection.Limits(budget=funds), method=method)
        return workbook.selection_sheets(ws.projects, ranking, plan(ws, ws.projects, as_of, PlanOptions(budget=funds, method=method)))

    return [
        selection_part,
        lambda: [workbook.capacity_sheet(capacity(ws, as_of))],
        lambda: [workbook.conflicts_sheet(conflicts_report(ws, as_of))],
        lambda: [workbook.report_sheet(build_report(ws, ws.projects, as_of))],
    ]


@export_app.command("csv", epilog=GLOBAL_EPILOG, short_help="The projects as CSV, for ppm import csv.")
def export_csv(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of printing (- prints).", dir_okay=False, metavar="FILE")] = None,
) -> None:
    """Every project's fields as CSV, with the header `ppm import csv` reads (edit in a spreadsheet, import into another workspace)."""
    from ppmcli.render import table
    from ppmcli.render.output import Output
    from ppmcli.render.workbook import left_out, projects_table

    opts: Options = ctx.obj
    opts.output(("csv",))
    refuse_a_workspace_file(output, opts)
    ws = load_for_analysis(opts)
    write_output(table.render(projects_table(ws.projects), Output("csv")), output)
    if (note := left_out(ws.projects)) is not None:
        typer.echo(f"ppm: note: {note}", err=True)
    raise typer.Exit(0)


# ---------------------------------------------------------------- entry point

# Options that belong to `ppm` itself, accepted after the command too (`ppm check --format json`).
_GLOBAL_WITH_VALUE = ("-C", "--workspace", "--as-of", "--format")
_GLOBAL_FLAGS = ("--no-color", "--no-cache")
# ppm's own options that act at once and only before any command.
_BEFORE_A_COMMAND = ("--version", "--install-completion", "--show-completion")


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
        if (name in _GLOBAL_WITH_VALUE or name in _GLOBAL_FLAGS) and "=" in arg:
            front.append(arg)  # a flag given a value: click says it takes none, as before the command
        elif arg.startswith("-C") and os.path.isdir(arg[2:]):  # -CDIR, the folder attached (not an id such as -Cobalt)
            front.append(arg)
        elif name in _BEFORE_A_COMMAND and any(not word.startswith("-") for word in rest):
            raise PpmError(f"{name} goes before the command: ppm {name}")
        elif arg in _GLOBAL_WITH_VALUE and index + 1 < len(argv):
            front.extend(argv[index : index + 2])
            index += 1
        elif arg in _GLOBAL_FLAGS:
            front.append(arg)
        elif arg in _GLOBAL_WITH_VALUE:  # last, without its value
            raise PpmError(f"option '{arg}' requires an argument; see 'ppm --help'")
        else:
            rest.append(arg)
        index += 1
    return front + rest


def run(args: list[str], recorder: "Recorder | None" = None) -> int:
    """Run the CLI, after `ppmcli.__main__.main` started the clock (for `check`, the record did not answer); `recorder` is for `ppm check` to record its output."""
    try:
        try:
            args = hoist_global_options(args)
        except PpmError as exc:
            typer.echo(f"ppm: error: {exc}", err=True)
            return 2
        return _run(args, recorder)
    finally:
        if CLOCK.enabled:
            print(CLOCK.report(), file=sys.stderr)


def _run(args: list[str], recorder: "Recorder | None") -> int:
    try:
        code = app(args=args, prog_name="ppm", standalone_mode=False, obj=recorder)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
    except typer.TyperException as exc:  # click's own errors: an unknown option or command, a missing argument, a bad value
        return _usage_error(exc)
    except PpmError as exc:
        from ppmcli.render.escape import terminal  # an error may quote the workspace

        typer.echo(f"ppm: error: {terminal(str(exc))}", err=True)
        return 2
    except KeyboardInterrupt:
        typer.echo("ppm: interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the boundary: never a traceback for a user
        from ppmcli.render.escape import terminal

        typer.echo(f"ppm: internal error: {type(exc).__name__}: {terminal(str(exc))} (please report it)", err=True)
        return 2
    return code if isinstance(code, int) else 0


# What a value that typer's parsing refused is not, by the kind of its error.
_NOT_A = {"int_parsing": "a whole number", "int_from_float": "a whole number", "float_parsing": "a number"}


def _plain_reason(exc: "typer.TyperException") -> str:
    """Click's message, with a number typer could not parse said in ppm's words ('x' is not a number), not the validator's."""
    message = exc.format_message()
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if type(cause).__name__ == "ValidationError" and callable(errors):
        first = errors()[0]
        if first.get("type") in _NOT_A and isinstance(first.get("input"), str):
            reason = f"{quote(first['input'])} is not {_NOT_A[first['type']]}"
            # Worded as ppm's own checks word a value out of bounds: "--months 'x' is not a whole number".
            names = [name for name in getattr(getattr(exc, "param", None), "opts", ()) if name.startswith("--")]
            return f"{names[0]} {reason}" if names else message.replace(str(getattr(exc, "message", "")), reason)
    return message


def _no_such_option(exc: "typer.TyperException", ctx: "typer.Context | None") -> str:
    """Click's "No such option" with the options it may have meant, the global ones too: they may follow the command,
    where click's parser does not know them ("no such option: --as-off (did you mean --as-of?)")."""
    import difflib

    name = str(getattr(exc, "option_name", ""))
    known = set(getattr(exc, "possibilities", None) or ())
    if ctx is not None:
        for command in (ctx.command, ctx.find_root().command):
            known.update(opt for param in command.params for opt in param.opts if opt.startswith("--"))
    # Compared without their dashes, which every option shares: '--scor' is near '--score', not '--as-of'.
    bare = {option.lstrip("-"): option for option in sorted(known)}
    meant = [bare[close] for close in difflib.get_close_matches(name.lstrip("-"), bare)]
    return f"No such option: {name}" + (f" (did you mean {', '.join(meant)}?)" if meant else "")


def _usage_error(exc: "typer.TyperException") -> int:
    """Click's usage error in ppm's style: one line `ppm: error: …` with where to find help, exit 2."""
    from ppmcli.render.escape import terminal

    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":  # `ppm` or `ppm import` alone: the help, as asked
        typer.echo(exc.format_message(), err=True)
        return 2
    message = _no_such_option(exc, ctx) if type(exc).__name__ == "NoSuchOption" else _plain_reason(exc).rstrip(".")
    # Click's "No such command 'x'. Did you mean 'y'?" as one sentence: "no such command 'x' (did you mean 'y'?)".
    message = re.sub(r"\. Did you mean (.*)\?$", r" (did you mean \1?)", message)
    hint = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
    typer.echo(f"ppm: error: {terminal(message[:1].lower() + message[1:])}{hint}", err=True)
    return 2
