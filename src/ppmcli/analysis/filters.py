"""The `--portfolio` and `--tag` filters every analysis command takes."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from ppmcli.core.errors import PpmError
from ppmcli.core.findings import cut, listed, quote
from ppmcli.core.model import Project, Workspace
from ppmcli.core.names import did_you_mean


# An unknown --tag names the known ones: all of them in a real workspace, a bounded list in a huge one.
KNOWN_TAGS_LISTED = 30


def select_projects(ws: Workspace, portfolio: str | None = None, tags: Sequence[str] = (), *, strict: bool = True) -> dict[str, Project]:
    """Projects of `portfolio` (if given) that carry every tag in `tags`, by id.

    Args:
        strict: an unknown portfolio or tag is an error; without it, it selects nothing
            (another revision, where the portfolio does not exist yet or any more).

    Raises:
        PpmError: the portfolio named does not exist, or no project carries a tag named (when `strict`).
    """
    if strict:
        _require_known(ws.portfolios, {tag for project in ws.projects.values() for tag in project.tags}, portfolio, tags, (ws,))
    wanted = set(tags)
    return {
        pid: project
        for pid, project in ws.projects.items()
        if (portfolio is None or project.portfolio == portfolio) and wanted.issubset(project.tags)
    }


def _require_known(portfolios: Collection[str], carried: set[str], portfolio: str | None, tags: Sequence[str], sides: Sequence[Workspace]) -> None:
    """One sentence, with the known names and the closest, for a portfolio not in `portfolios` or a tag not in `carried`;
    a portfolio whose file is invalid (on one of `sides`) is said to be so, where and why."""
    invalid = next((ws for ws in sides if portfolio is not None and ws.is_invalid("portfolios", portfolio)), None)
    if portfolio is not None and portfolio not in portfolios and invalid is not None:
        raise PpmError(f"--portfolio: {invalid.invalid_file('portfolios', portfolio, 'the analyses skip it')}")
    if portfolio is not None and portfolio not in portfolios:
        known = listed(cut(name) for name in sorted(portfolios)) or "none"
        raise PpmError(f"--portfolio: no portfolio {quote(portfolio)} (portfolios: {known}){did_you_mean(portfolio, portfolios)}")
    unknown = sorted(set(tags) - carried)
    if unknown:
        known = listed((cut(tag) for tag in sorted(carried)), KNOWN_TAGS_LISTED) or "none"
        raise PpmError(f"--tag: no project carries tag {quote(unknown[0])} (tags: {known}){did_you_mean(unknown[0], carried)}")


def require_known_on_a_side(sides: Sequence[Workspace], portfolio: str | None = None, tags: Sequence[str] = ()) -> None:
    """The filters of a comparison (`ppm diff`): each must name something on one side at least. A portfolio added or
    removed by the change is known on one side only; one on neither is a typo, which would empty both sides unseen.

    Raises:
        PpmError: a portfolio that neither side defines, or a tag no project of either side carries (naming both sides' ones).
    """
    _require_known({pid for ws in sides for pid in ws.portfolios}, {tag for ws in sides for project in ws.projects.values() for tag in project.tags}, portfolio, tags, sides)


def unmatched(ws: Workspace, selected: Mapping[str, Project], portfolio: str | None = None, tags: Sequence[str] = ()) -> str | None:
    """Why a command has nothing to show when its filters, not the workspace, emptied the set of projects, for the sentence said instead of an empty table:
    "the filters --tag capex --tag opex match no project (a project must carry every tag)"; None when the filters select a project, or none was given.
    """
    named = ([f"--portfolio {portfolio}"] if portfolio is not None else []) + [f"--tag {tag}" for tag in tags]
    if selected or not named or not ws.projects:
        return None
    phrase = f"the filter {named[0]} matches no project" if len(named) == 1 else f"the filters {' '.join(named)} match no project"
    if len(tags) > 1:
        phrase += " (a project must carry every tag" + (f" and be in portfolio {portfolio})" if portfolio is not None else ")")
    elif portfolio is not None and tags:
        phrase += f" (a project must be in portfolio {portfolio} and carry the tag)"
    return phrase


def nothing_to(what: str, why: str | None) -> str:
    """The sentence an empty table says: "No open project to score." or, when the filters emptied it, why."""
    return f"No open project to {what}: {why}." if why else f"No open project to {what}."
