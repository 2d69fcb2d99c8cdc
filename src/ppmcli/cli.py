"""The command line: thin typer commands (parse options → load → analyse → render → exit code).

Heavy modules (pydantic models, numpy, the solver, rich) are imported inside the
commands, so `ppm --help` and `ppm --version` stay fast. `main()` is the single
error boundary: a `PpmError` or anything unexpected becomes one sentence on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ppmcli import __version__
from ppmcli.core.errors import PpmError

if TYPE_CHECKING:
    from ppmcli.core.findings import Finding
    from ppmcli.core.model import Workspace

app = typer.Typer(
    name="ppm",
    help="Project portfolio management as code: validate, prioritize, plan capacity and report on a portfolio kept as YAML files in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Options shared by the analysis commands.
PortfolioOption = Annotated[Optional[str], typer.Option("--portfolio", help="Only projects of this portfolio.", metavar="P")]
TagOption = Annotated[Optional[list[str]], typer.Option("--tag", help="Only projects with this tag (repeat: every tag named).", metavar="T")]

GLOBAL_EPILOG = "Global options (-C/--workspace, --as-of, --format, --no-color) go before or after the command."


@dataclass(frozen=True)
class Options:
    """The global options, resolved once at the edge.

    Attributes:
        workspace: `-C` folder, or None to walk up from the current directory.
        as_of: the date every analysis is computed for (today unless `--as-of`).
        format: the `--format` asked for, or None for the command's default.
        color: colours allowed (a terminal, no `--no-color`, no NO_COLOR).
        terminal: stdout is a terminal (rich tables, progress), else plain text.
    """

    workspace: Path | None
    as_of: date
    format: str | None
    color: bool
    terminal: bool

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
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    terminal = sys.stdout.isatty()
    ctx.obj = Options(
        workspace=workspace,
        as_of=parse_date(as_of, "--as-of") if as_of else date.today(),
        format=fmt,
        color=terminal and not no_color and not os.environ.get("NO_COLOR"),
        terminal=terminal,
    )


# ---------------------------------------------------------------- shared steps


def load_workspace(opts: Options) -> tuple[Workspace, list[Finding], int]:
    """Load the workspace and run the cross-file checks: (workspace, findings, files read)."""
    from ppmcli.analysis.checks import run_checks
    from ppmcli.load.loader import load
    from ppmcli.load.sources import FileSource
    from ppmcli.load.workspace import find_root

    root = find_root(opts.workspace, Path.cwd())
    source = FileSource(root)
    workspace, findings = load(source)
    files = len(workspace.positions) + sum(1 for f in findings if f.code in ("unreadable-file", "duplicate-id"))
    return workspace, findings + run_checks(workspace, opts.as_of), files


def load_for_analysis(opts: Options) -> Workspace:
    """The valid part of the workspace, for the analysis commands; says on stderr how many files were skipped."""
    from ppmcli.load.loader import load
    from ppmcli.load.sources import FileSource
    from ppmcli.load.workspace import find_root

    workspace, _ = load(FileSource(find_root(opts.workspace, Path.cwd())))
    if workspace.settings is None:
        raise PpmError("ppm.yaml is invalid, so nothing can be analysed; run 'ppm check' to see why")
    if workspace.skipped:
        plural = "s" if workspace.skipped != 1 else ""
        typer.echo(f"ppm: skipped {workspace.skipped} invalid file{plural}; run 'ppm check' for details", err=True)
    return workspace


def emit(text: str) -> None:
    sys.stdout.write(text)


# ---------------------------------------------------------------- commands


@app.command(epilog=GLOBAL_EPILOG)
def check(
    ctx: typer.Context,
    fail_on: Annotated[str, typer.Option("--fail-on", help="Exit 1 on findings at or above: error, warning, never.")] = "error",
) -> None:
    """Validate every file and run the portfolio checks (the CI gate). Formats: text, json, github."""
    from ppmcli.core.findings import FailLevel, sorted_findings
    from ppmcli.render import findings as render

    opts: Options = ctx.obj
    try:
        level = FailLevel(fail_on)
    except ValueError:
        raise PpmError(f"--fail-on '{fail_on}' is not one of error, warning, never") from None
    fmt = opts.output(("text", "plain", "json", "github"))
    _, findings, files = load_workspace(opts)
    findings = sorted_findings(findings)
    if fmt == "json":
        emit(render.as_json(findings))
    elif fmt == "github":
        emit(render.as_github(findings, prefix=os.environ.get("PPM_PATH_PREFIX", "")))
    else:
        emit(render.as_text(findings, color=opts.color))
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
def schema(
    kind: Annotated[Optional[str], typer.Argument(help="settings, portfolio, program, project or person; default all.")] = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the workspace files, for editors."""
    import json

    from ppmcli.load.schema_export import SCHEMA_KINDS, schema_for

    if kind is not None and kind not in SCHEMA_KINDS:
        raise PpmError(f"unknown kind '{kind}'; choose one of {', '.join(SCHEMA_KINDS)}")
    emit(json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- entry point

# Options that belong to `ppm` itself, accepted after the command too (`ppm check --format json`).
_GLOBAL_WITH_VALUE = ("-C", "--workspace", "--as-of", "--format")
_GLOBAL_FLAGS = ("--no-color",)


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
    args = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
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
