"""What every renderer is told: the output format and the terminal it writes to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """How to render a record; built once by the CLI from the global options.

    Attributes:
        format: one of the rendering module's `FORMATS`.
        color: colours allowed (the terminal format only).
        width, height: the terminal's size in characters and lines (the terminal format fits it).
    """

    format: str
    color: bool = False
    width: int = 120
    height: int = 24

    @property
    def terminal(self) -> bool:
        """The rich terminal format: fitted to the screen, long lists cut."""
        return self.format == "text"
