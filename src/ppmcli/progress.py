"""Progress and timing on stderr: a spinner while long work runs on a terminal, and where a run's time goes (PPM_TIMINGS)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager

from ppmcli.core.environment import switched_on

TYPE_CHECKING = False  # not typing's: a warm `ppm check` imports this module, and typing costs it milliseconds (mypy reads the name as typing's)
if TYPE_CHECKING:
    from ppmcli.core.model import Workspace
    from ppmcli.load.sources import Source
    from ppmcli.options import Options


# Files from which loading and analysing take long enough (a second or more) to show a progress indicator.
LARGE_WORKSPACE = 500


def progress(opts: Options, fmt: str, message: str, *, long: bool = True) -> AbstractContextManager[object]:
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


def _spinner(opts: Options, fmt: str, message: str, long: bool) -> AbstractContextManager[object]:
    if not (long and _spins(opts, fmt)):
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True, no_color=not opts.color).status(message)


def colours_wanted(terminal: bool, no_color: bool) -> bool:
    """Colours on: output to a terminal that shows them (TERM is not `dumb`), no `--no-color`, no NO_COLOR. Here, where
    the replayed check (which loads nothing else of the CLI) decides it as the CLI does."""
    return terminal and not no_color and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class Clock:
    """Where a run's time goes (load, analysis, output), said on stderr at exit when PPM_TIMINGS is set."""

    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        self.enabled = switched_on("PPM_TIMINGS")
        self.spent = {"load": 0.0, "analysis": 0.0, "output": 0.0}
        self.mark = time.perf_counter()

    @contextlib.contextmanager
    def phase(self, name: str, inner: AbstractContextManager[object]) -> Iterator[None]:
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


def large(ws: Workspace) -> bool:
    """The workspace is large enough for a progress indicator while it is analysed."""
    return len(ws.positions) > LARGE_WORKSPACE


def loading(opts: Options, source: Source) -> AbstractContextManager[object]:
    """A spinner while a large workspace loads; the files are counted first only where a spinner can be drawn."""
    fmt = opts.format or "text"
    if not _spins(opts, fmt):
        return CLOCK.phase("load", contextlib.nullcontext())
    count = len(source.files()[0])
    return CLOCK.phase("load", _spinner(opts, fmt, f"Loading {count:,} files…", count > LARGE_WORKSPACE))
