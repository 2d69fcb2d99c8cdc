"""Every `--format csv` header row names its columns by the keys of the same command's JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest

from conftest import ACME, run_ppm

AS_OF = "2026-11-25"
SNAKE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")


def json_keys(value: Any, prefix: str = "") -> set[str]:
    """Every key of the JSON, nested ones also dotted (`budget.old`), through lists."""
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            keys |= {key, f"{prefix}{key}"} | json_keys(item, f"{prefix}{key}.") | json_keys(item)
    elif isinstance(value, list):
        for item in value:
            keys |= json_keys(item, prefix)
    return keys


# (arguments, CSV columns that summarise a JSON list or join tables, so have no key of their own)
COMMANDS = [
    (["score"], set()),
    (["score", "--model", "wsjf"], set()),
    (["score", "--explain", "customer-mobile-app"], set()),
    (["prioritize", "--budget", "5000000"], {"cumulative"}),
    (["prioritize", "--budget", "5000000", "--method", "optimal", "--compare", "greedy"], {"cumulative"}),
    (["prioritize", "--frontier", "--steps", "2"], {"projects", "change"}),
    (["capacity", "--by", "quarter"], {"kind", "name"}),
    (["conflicts", "--tentative", "--suggest"], set()),
    (["report", "--all"], set()),
    (["report", "--trend", "customer-mobile-app"], set()),
    (["plan"], {"planned_start"}),
]


@pytest.mark.parametrize(("args", "extra"), COMMANDS, ids=[" ".join(args) for args, _ in COMMANDS])
def test_csv_header_is_the_json_keys(args: list[str], extra: set[str]) -> None:
    code, out, err = run_ppm("-C", ACME, "--as-of", AS_OF, *args, "--format", "csv")
    assert code in (0, 1), err
    header = next(csv.reader(io.StringIO(out)))
    assert all(SNAKE.fullmatch(name) for name in header), header
    code, out, err = run_ppm("-C", ACME, "--as-of", AS_OF, *args, "--format", "json")
    assert code in (0, 1), err
    assert set(header) - extra <= json_keys(json.loads(out))
    assert extra <= set(header)  # an exception that no longer applies is dropped from the list


def test_scenarios_csv_headers_are_the_json_keys_then_a_column_per_project() -> None:
    # They were `scenario`, `cost (USD)`, `budget left` and `highest utilization`.
    header = next(csv.reader(io.StringIO(run_ppm("-C", ACME, "--as-of", AS_OF, "scenarios", "--format", "csv")[1])))
    found = json.loads(run_ppm("-C", ACME, "--as-of", AS_OF, "scenarios", "--format", "json")[1])
    plans = len(found["scenarios"][0])
    assert set(header[:10]) <= set(found["scenarios"][0]) and plans >= 10
    # A column per project, `projects.ID`: a project whose id is `name` or `id` would give two columns of one name.
    assert header[10:] == [f"projects.{row['id']}" for row in found["projects"]]
