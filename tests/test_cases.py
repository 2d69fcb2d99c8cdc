"""Golden CLI cases: each folder of tests/cases/ holds `cmd` (ppm's arguments), `stdout`, `exit` and usually `workspace/`.

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
    code, out, _ = run_ppm(*args)
    if UPDATE:
        (case / "stdout").write_text(out)
        (case / "exit").write_text(f"{code}\n")
    assert out == (case / "stdout").read_text()
    assert code == int((case / "exit").read_text())
