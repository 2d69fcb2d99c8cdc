"""`ppm --help` and `ppm --version` stay fast: they import no model, numeric or solver module (`python -X importtime` shows it)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ACME

HEAVY = ("pydantic", "numpy", "scipy", "highspy", "yaml", "ppmcli.core.model", "plotly")


# typer (0.29+) itself coerces a command's parameters with pydantic, so a command's own
# --help loads pydantic, but still none of our models, numpy or the solver.
COMMAND_HEAVY = tuple(name for name in HEAVY if name != "pydantic")


@pytest.mark.parametrize(("args", "forbidden"), [(["--version"], HEAVY), (["--help"], HEAVY), (["check", "--help"], COMMAND_HEAVY)])
def test_no_heavy_imports(args, forbidden):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "ppmcli", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert imported, "importtime printed nothing"
    heavy = sorted(name for name in imported if name.split(".")[0] in forbidden or name in forbidden)
    assert heavy == []


def test_version():
    result = subprocess.run([sys.executable, "-m", "ppmcli", "--version"], capture_output=True, text=True, check=False)
    from ppmcli import __version__

    assert result.stdout == f"ppm {__version__}\n"


def test_check_reads_scenarios_without_the_planner():
    """The `scenario-option` rule takes the plan's options from a light module: `ppm check` imports neither the planner nor the solver."""
    from pathlib import Path

    acme = Path(__file__).resolve().parent.parent / "examples" / "acme"
    assert list((acme / "scenarios").glob("*.yaml")), "the example has scenarios"
    argv = [sys.executable, "-X", "importtime", "-m", "ppmcli", "-C", str(acme), "--as-of", "2026-11-25", "--no-cache", "check", "--fail-on", "never"]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "ppmcli.analysis.selection.options" in imported
    assert sorted(name for name in imported if name.startswith(("ppmcli.analysis.selection.plan", "ppmcli.analysis.selection.prioritize", "highspy"))) == []


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_console_that_cannot_show_a_character_gets_its_code_not_an_internal_error(encoding: str) -> None:
    # PYTHONIOENCODING=ascii (or a latin-1 console) failed on ppm's own health marks: "internal error: UnicodeEncodeError".
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    result = subprocess.run([sys.executable, "-m", "ppmcli", "-C", str(ACME), "--as-of", "2026-11-25", "report"], capture_output=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert b"\\u25b2 amber" in result.stdout and b"internal error" not in result.stderr
