"""`filters.unmatched`: why an empty table is empty when the --portfolio/--tag filters, not the workspace, emptied it."""

from __future__ import annotations

from conftest import ACME
from ppmcli.analysis.filters import nothing_to, select_projects, unmatched
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource


def load_workspace(path):  # type: ignore[no-untyped-def]
    return load(FileSource(path))[0]


def test_two_tags_that_no_project_carries_together_are_named_with_the_and_rule() -> None:
    ws = load_workspace(ACME)
    chosen = select_projects(ws, None, ("capex", "opex"))
    assert chosen == {}
    why = unmatched(ws, chosen, None, ("capex", "opex"))
    assert why == "the filters --tag capex --tag opex match no project (a project must carry every tag)"
    assert nothing_to("prioritize", why) == f"No open project to prioritize: {why}."


def test_no_reason_when_the_filters_select_a_project_or_none_is_given() -> None:
    ws = load_workspace(ACME)
    assert unmatched(ws, select_projects(ws, None, ("capex",)), None, ("capex",)) is None
    assert unmatched(ws, {}, None, ()) is None
    assert nothing_to("score", None) == "No open project to score."
