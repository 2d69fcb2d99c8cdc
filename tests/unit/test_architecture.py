"""The import graph among ppmcli's modules, read from the source: acyclic, and every arrow points down a layer.

Every import counts: top-level, inside functions (lazy), under `if TYPE_CHECKING`.
Importing `a.b.c` also runs the package `a.b`, so a module's parent packages
count as imported too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

SRC = REPO / "src"
# Layers, lowest first: a module may import its own layer and the ones below.
# `options`, `progress` and `replay` serve the CLI alone: the global options, the spinner and the timings, the warm `ppm check`.
LAYERS = {"core": 0, "load": 1, "analysis": 1, "render": 2, "scaffold": 2, "options": 3, "progress": 3, "replay": 3}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "ppmcli").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _imported(name: str, module: str) -> set[str]:
    """The ppmcli modules that `import <module>` (or `from <module> import x`) runs, from inside `name`."""
    if module not in MODULES:
        return set()
    parts = module.split(".")
    ran = {".".join(parts[:end]) for end in range(1, len(parts) + 1)}
    # A package's parents are already running when the package's own module imports them.
    return {target for target in ran if target in MODULES and not name.startswith(target + ".") and target != name}


def imports_of(name: str) -> set[str]:
    """Every ppmcli module `name` imports, anywhere in its source."""
    tree = ast.parse(MODULES[name].read_text(), str(MODULES[name]))
    package = name if _is_package(name) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found |= _imported(name, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found |= _imported(name, base)
            for alias in node.names:
                found |= _imported(name, f"{base}.{alias.name}")  # `from package import submodule`
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def _layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_the_graph_sees_lazy_imports() -> None:
    # allocation is imported inside a function of selection: a reader that missed it would pass vacuously.
    assert "ppmcli.analysis.resources.allocation" in GRAPH["ppmcli.analysis.selection.prioritize"]
    assert "ppmcli.analysis.resources" in GRAPH["ppmcli.analysis.checks.staffing"]  # the parent package runs first
    assert {"ppmcli.analysis.checks.references", "ppmcli.analysis.checks.staffing"} <= GRAPH["ppmcli.analysis.checks"]


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for child in sorted(GRAPH[node]):
            if state.get(child) == 1:
                cycle = path[path.index(child) :] + [child]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if child not in state:
                visit(child)
        path.pop()
        state[node] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name)


def test_layers_point_down() -> None:
    upward = []
    for name, targets in GRAPH.items():
        mine = _layer(name)
        for target in targets:
            theirs = _layer(target)
            if target in ("ppmcli.cli", "ppmcli.__main__") and name != "ppmcli.__main__":
                upward.append((name, target))
            elif mine is not None and theirs is not None and (theirs > mine or (mine == theirs == 1 and name.split(".")[1] != target.split(".")[1])):
                upward.append((name, target))  # analysis and load are siblings: neither imports the other
            elif name.startswith("ppmcli.render.") and target.startswith("ppmcli.load."):
                upward.append((name, target))
    assert upward == []


def test_only_the_cli_imports_the_checks() -> None:
    importers = {name for name, targets in GRAPH.items() if any(t == "ppmcli.analysis.checks" or t.startswith("ppmcli.analysis.checks.") for t in targets)}
    # The CLI, and the importer that checks what it writes before it writes it.
    assert {name for name in importers if not name.startswith("ppmcli.analysis.checks")} == {"ppmcli.cli", "ppmcli.importer"}
