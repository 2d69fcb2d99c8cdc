"""The context an analysis runs in: the workspace with its settings guaranteed valid, and their working calendar.

`ppm.yaml` may be invalid in a workspace `ppm check` reads (checks keep working
there: a rule that needs settings is skipped, see `ppmcli.core.rules.rule`), but
every other analysis needs it; they take their settings and calendar from here
instead of each testing for a missing `ppm.yaml` its own way.
"""

from __future__ import annotations

from dataclasses import dataclass

from ppmcli.analysis.resources.workdays import WorkCalendar, calendar_of
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Settings, Workspace

INVALID_SETTINGS = "ppm.yaml is invalid, so nothing can be analysed; run 'ppm check' to see why"


@dataclass(frozen=True, slots=True)
class Context:
    """Valid settings and their calendar.

    Attributes:
        settings: `ppm.yaml`.
        calendar: its working calendar (work week and holidays).
    """

    settings: Settings
    calendar: WorkCalendar


def context(ws: Workspace) -> Context:
    """The workspace's settings and calendar.

    Raises:
        PpmError: ppm.yaml is invalid (the CLI says so before any analysis runs).
    """
    if ws.settings is None:
        raise PpmError(INVALID_SETTINGS)
    return Context(ws.settings, calendar_of(ws.settings))
