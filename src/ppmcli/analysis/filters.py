"""The `--portfolio` and `--tag` filters every analysis command takes."""

from __future__ import annotations

from collections.abc import Sequence

from ppmcli.core.errors import PpmError
from ppmcli.core.model import Project, Workspace


def select_projects(ws: Workspace, portfolio: str | None = None, tags: Sequence[str] = ()) -> dict[str, Project]:
    """Projects of `portfolio` (if given) that carry every tag in `tags`, by id.

    Raises:
        PpmError: the portfolio named does not exist.
    """
    if portfolio is not None and portfolio not in ws.portfolios:
        known = ", ".join(ws.portfolios) or "none"
        raise PpmError(f"unknown portfolio '{portfolio}' (portfolios: {known})")
    wanted = set(tags)
    return {
        pid: project
        for pid, project in ws.projects.items()
        if (portfolio is None or project.portfolio == portfolio) and wanted.issubset(project.tags)
    }
