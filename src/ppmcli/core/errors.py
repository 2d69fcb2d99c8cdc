"""The one expected failure: a command that cannot run (exit code 2)."""

from __future__ import annotations


class PpmError(Exception):
    """A condition that stops a command: bad option, no workspace, unknown git revision.

    Its message is one sentence that says what and where; the CLI prints it and exits 2.
    """
