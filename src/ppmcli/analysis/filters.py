"""The `--portfolio` and `--tag` filters every analysis command takes."""

from __future__ import annotations

from collections.abc import Sequence

from ppmcli.core.errors import PpmError
from ppmcli.core.findings import cut, listed, quote
from ppmcli.core.model import Project, Workspace


def select_projects(ws: Workspace, portfolio: str | None = None, tags: Sequence[str] = (), *, strict: bool = True) -> dict[str, Project]:
    """Projects of `portfolio` (if given) that carry every tag in `tags`, by id.

    Args:
        strict: an unknown portfolio is an error; without it, it selects nothing
            (another revision, where the portfolio does not exist yet or any more).

    Raises:
        PpmError: the portfolio named does not exist (when `strict`).
    """
    if portfolio is not None and portfolio not in ws.portfolios and strict:
        known = listed(cut(name) for name in ws.portfolios) or "none"
        raise PpmError(f"unknown portfolio {quote(portfolio)} (portfolios: {known})")
    wanted = set(tags)
    return {
        pid: project
        for pid, project in ws.projects.items()
        if (portfolio is None or project.portfolio == portfolio) and wanted.issubset(project.tags)
    }
