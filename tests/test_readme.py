"""The README's rule tables are the registry's."""

from __future__ import annotations

import pytest

from conftest import REPO
from ppmcli.analysis.checks import checks_markdown, rules_markdown


def _between(start: str, end: str) -> str:
    return (REPO / "README.md").read_text().split(start, 1)[1].split(end, 1)[0]


def test_rule_table_matches_registry():
    assert _between("<!-- rules start -->\n", "<!-- rules end -->").strip() == rules_markdown().strip()


@pytest.mark.parametrize("module", ["delivery", "staffing"])
def test_a_modules_check_table_matches_registry(module: str):
    assert _between(f"<!-- {module} checks start -->\n", f"<!-- {module} checks end -->") == checks_markdown(module)


def test_the_scenarios_terminal_example_is_the_80_column_output():
    """The README's `ppm scenarios` at 80 columns is the golden of tests/test_widths.py (itself the real output), without trailing blanks."""
    shown = _between("<!-- scenarios 80 start -->\n```text\n", "```\n<!-- scenarios 80 end -->")
    golden = (REPO / "tests" / "widths" / "scenarios-80.txt").read_text()
    assert shown.splitlines() == [line.rstrip() for line in golden.splitlines()]
