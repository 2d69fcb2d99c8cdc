"""The README's rule table is the registry's."""

from __future__ import annotations

from conftest import REPO
from ppmcli.analysis.checks import rules_markdown


def test_rule_table_matches_registry():
    text = (REPO / "README.md").read_text()
    table = text.split("<!-- rules start -->\n", 1)[1].split("<!-- rules end -->", 1)[0]
    assert table.strip() == rules_markdown().strip()
