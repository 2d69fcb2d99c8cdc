"""The global options of a run, resolved once at the edge (`ppm`'s callback) and handed to every command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ppmcli.core.errors import PpmError, quote

if TYPE_CHECKING:
    from ppmcli.render.output import Output
    from ppmcli.load.recorded import Recorder


@dataclass(frozen=True)
class Options:
    """The global options, resolved once at the edge.

    Attributes:
        workspace: `-C` folder, or None to walk up from the current directory.
        as_of: the date every analysis is computed for (today unless `--as-of`).
        format: the `--format` asked for, or None for the command's default.
        color: colours allowed (`progress.colours_wanted`).
        terminal: stdout is a terminal (rich tables, progress), else plain text.
        cache: use the cache of parsed files (off with `--no-cache`).
        width, height: the terminal's size in characters and lines (tables and charts fit it).
        spinner: stderr is a terminal too, so a progress indicator may be drawn there.
        recorder: how `ppm check` records its output for the next run to replay, when this one was not replayed (`replay.answer`).
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
    recorder: Recorder | None = None

    def output(self, allowed: tuple[str, ...]) -> Output:
        """How to render: the format asked for (one of the renderer's `allowed` FORMATS), else `text` on a terminal, `plain` otherwise."""
        from ppmcli.render.output import Output

        return Output(self._format(allowed), color=self.color, width=self.width, height=self.height)

    def _format(self, allowed: tuple[str, ...]) -> str:
        if self.format is None:
            return "text" if self.terminal or "plain" not in allowed else "plain"
        if self.format not in allowed:
            raise PpmError(f"--format {quote(self.format)} is not available here; choose one of {', '.join(allowed)}")
        if self.format == "text" and not self.terminal and "plain" in allowed:
            return "plain"
        return self.format
