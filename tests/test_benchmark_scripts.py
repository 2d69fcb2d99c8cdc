"""The benchmark scripts import what ppm has today: a renamed function breaks a test here, not a developer's run."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import REPO

SCRIPTS = sorted(path for path in (REPO / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_a_benchmark_script_imports(script, monkeypatch):
    monkeypatch.syspath_prepend(str(script.parent))
    spec = importlib.util.spec_from_file_location(f"benchmark_{script.stem}", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)  # each runs its work under `if __name__ == "__main__"` only
    assert callable(getattr(module, "main", None))
