"""Golden CLI cases: each folder of tests/cases/ holds `cmd` (ppm's arguments), `stdout`, `exit` and usually `workspace/`.

A case that exits 2 (a usage or workspace error) holds `stderr` too, compared
like `stdout`. Each rule of the registry has its case, `rule-<code>/`: a
workspace that breaks that rule alone.

`cmd` may say `{acme}` for examples/acme and `{ws}` for the case's own workspace
(passed as -C automatically when `cmd` names no -C). Regenerate the expected
files for review with `PPM_UPDATE_GOLDEN=1 pytest tests/test_cases.py`.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from conftest import ACME, run_ppm

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("PPM_UPDATE_GOLDEN") == "1"


def case_dirs() -> list[Path]:
    return sorted(path for path in CASES.iterdir() if (path / "cmd").is_file())


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case(case: Path) -> None:
    text = (case / "cmd").read_text().strip().format(acme=ACME, ws=case / "workspace")
    args = shlex.split(text)
    if "-C" not in args and (case / "workspace").is_dir():
        args = ["-C", str(case / "workspace"), *args]
    code, out, err = run_ppm(*args)
    if UPDATE:
        (case / "stdout").write_text(out)
        (case / "exit").write_text(f"{code}\n")
        if code == 2:
            (case / "stderr").write_text(err)
    assert out == (case / "stdout").read_text()
    assert code == int((case / "exit").read_text())
    if code == 2:
        assert err == (case / "stderr").read_text()


def test_every_rule_has_its_case() -> None:
    import ppmcli.analysis.checks  # noqa: F401  (registers the cross-file rules)
    from ppmcli.core.rules import RULES

    for code in RULES:
        stdout = (CASES / f"rule-{code}" / "stdout").read_text()
        found = {line.rsplit("[", 1)[1].rstrip("]") for line in stdout.splitlines() if line.endswith("]")}
        assert found == {code}, code
