"""The context an analysis runs in: the workspace with its settings guaranteed valid, their working calendar, and what analyses share.

`ppm.yaml` may be invalid in a workspace `ppm check` reads (checks keep working
there: a rule that needs settings is skipped, see `ppmcli.core.rules.rule`), but
every other analysis needs it; they take their settings and calendar from here
instead of each testing for a missing `ppm.yaml` its own way.

One context per workspace (by identity; the model is frozen): a command that
runs several analyses (`ppm export xlsx` runs six) computes an intermediate
result they share once, through `Context.once` (the projects' scores, which
`prioritize` and `plan` both rank by).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
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
        shared: the results `once` keeps, by key.
    """

    settings: Settings
    calendar: WorkCalendar
    shared: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """What `compute()` returns, computed the first time `key` is asked for in this workspace.

        The key names everything the result depends on beyond the workspace (the scoring model, the date).
        """
        if key not in self.shared:
            self.shared[key] = compute()
        return self.shared[key]  # type: ignore[no-any-return]


# The last contexts, by workspace identity (the workspace is kept, so its id is not reused while it is here).
_CONTEXTS: dict[int, tuple[Workspace, Context]] = {}
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
