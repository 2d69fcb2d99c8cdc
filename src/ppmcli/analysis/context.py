"""The context an analysis runs in: the workspace with its settings guaranteed valid, their working calendar, and what analyses share.

`ppm.yaml` may be invalid in a workspace `ppm check` reads (checks keep working
there: a rule that needs settings is skipped, see `ppmcli.core.rules.rule`), but
every other analysis needs it; they take their settings and calendar from here
instead of each testing for a missing `ppm.yaml` its own way.

One context per workspace (by identity; the model is frozen). A command that
runs several analyses (`ppm export xlsx` runs six) computes an intermediate
result they share once, through `Context.once` (the projects' scores, which
`prioritize` and `plan` both rank by); what `once` keeps belongs to the
settings object, so a diff's two sides share it too when the change leaves
`ppm.yaml` alone, and each entry is used only for the project it was made from.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from ppmcli.analysis.resources.workdays import WorkCalendar, calendar_of
from ppmcli.core.errors import PpmError
from ppmcli.core.model import Settings, Workspace

INVALID_SETTINGS = "ppm.yaml is invalid, so nothing can be analysed; run 'ppm check' to see why"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Context:
    """Valid settings and their calendar.

    Attributes:
        settings: `ppm.yaml`.
        calendar: its working calendar (work week and holidays).
    """

    settings: Settings
    calendar: WorkCalendar

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute()` returns, computed the first time `key` is asked for with these settings.

        Shared by every workspace whose ppm.yaml is this same object: a diff's two sides when the change leaves
        ppm.yaml alone (the file cache gives both sides one model). So what is kept is a memo whose entries each
        hold the project they were made from, used only for that very project (`rank_projects`'s scores); the key
        names everything else it depends on (the scoring model).
        """
        found = _SHARED.get(id(self.settings))
        if found is None or found[0] is not self.settings:
            if len(_SHARED) >= _MAX_CONTEXTS:
                _SHARED.pop(next(iter(_SHARED)))
            found = _SHARED[id(self.settings)] = (self.settings, {})
        shared = found[1]
        if key not in shared:
            shared[key] = compute()
        return shared[key]  # type: ignore[no-any-return]


# The last contexts, by workspace identity (the workspace is kept, so its id is not reused while it is here).
_CONTEXTS: dict[int, tuple[Workspace, Context]] = {}
# What `Context.once` keeps, by settings identity (the settings are kept, likewise).
_SHARED: dict[int, tuple[Settings, dict[Hashable, Any]]] = {}
_MAX_CONTEXTS = 4


def context(ws: Workspace) -> Context:
    """The workspace's settings and calendar.

    Raises:
        PpmError: ppm.yaml is invalid (the CLI says so before any analysis runs).
    """
    found = _CONTEXTS.get(id(ws))
    if found is not None and found[0] is ws:
        return found[1]
    if ws.settings is None:
        raise PpmError(INVALID_SETTINGS)
    made = Context(ws.settings, calendar_of(ws.settings))
    if len(_CONTEXTS) >= _MAX_CONTEXTS:
        _CONTEXTS.pop(next(iter(_CONTEXTS)))
    _CONTEXTS[id(ws)] = (ws, made)
    return made
