"""Time the ways of parsing every file of a generated workspace, in one process, as ratios to libyaml's composer.

    python benchmarks/bench_parse.py [--size 2000] [--runs 3]

The candidates for the fast parse (rapidyaml alone, with its JSON emitter, and
ppm's `fastyaml` with its screens and YAML 1.1 values) against libyaml (compose,
the floor `run.py` judges by; a full `CSafeLoader` load) and ppm's careful parse
(`yamlpos`, values and positions) and its positions-only pass (`marks_of`).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from statistics import median
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import workspace  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()

    import ryml
    import yaml

    from ppmcli.load import fastyaml
    from ppmcli.load.sources import FileSource
    from ppmcli.load.yamlpos import marks_of, parse_yaml

    source = FileSource(workspace(options.size))
    paths, _ = source.files()
    datas = [source.read(path) for path in paths]
    texts = [data.decode() for data in datas]  # type: ignore[union-attr]

    def fast() -> None:
        with fastyaml.quiet_stderr():
            for text in texts:
                try:
                    fastyaml.fast_value(text)
                except fastyaml.Unsure:
                    parse_yaml(text, "")

    ways: list[tuple[str, Callable[[], object]]] = [
        ("libyaml compose (the floor)", lambda: [yaml.compose(t, Loader=yaml.CSafeLoader) for t in texts]),
        ("libyaml CSafeLoader load", lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts]),
        ("careful parse (yamlpos)", lambda: [parse_yaml(t, p) for t, p in zip(texts, paths)]),
        ("positions only (marks_of)", lambda: [marks_of(t) for t in texts]),
        ("fast parse (fastyaml)", fast),
        ("rapidyaml + JSON + json.loads", lambda: [json.loads(ryml.emit_json(ryml.parse_in_arena(d))) for d in datas]),
        ("rapidyaml parse alone", lambda: [ryml.parse_in_arena(d) for d in datas]),
    ]
    found: dict[str, list[float]] = {name: [] for name, _ in ways}
    gc.disable()
    for _ in range(options.runs):
        for name, way in ways:
            start = time.perf_counter()
            way()
            found[name].append(time.perf_counter() - start)
    floor = median(found[ways[0][0]])
    print(f"{len(paths):,} files, medians of {options.runs} rounds")
    for name, seconds in found.items():
        print(f"{name:<32} {median(seconds):8.3f} s  {median(seconds) / floor:5.2f} × compose")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
