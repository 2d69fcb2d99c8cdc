"""Loading on two cores: the forked child's share comes back whole and in order, and a failed child changes nothing."""

from __future__ import annotations

import os

import pytest

from conftest import forks_counted
from ppmcli.load import parallel
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")


def square(value: int) -> int:
    return value * value


def test_results_come_back_in_order():
    assert parallel.map_in_two(square, list(range(1001))) == [value * value for value in range(1001)]


def test_a_failing_child_is_replaced_by_the_parent():
    parent = os.getpid()

    def only_here(value: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return value + 1

    assert parallel.map_in_two(only_here, list(range(10))) == list(range(1, 11))


def test_one_process_when_asked(monkeypatch):
    monkeypatch.setenv("PPM_PROCESSES", "1")
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked"))
    assert parallel.map_in_two(square, [1, 2, 3]) == [1, 4, 9]


def test_loading_on_two_cores_gives_what_one_gives(make_workspace, monkeypatch):
    files = {}
    for index in range(1200):
        files[f"people/p{index:04}.yaml"] = f"name: Person {index}\nrole: dev\ncapacity: {0.5 if index % 7 else 'lots'}\n"
    files["people/broken.yaml"] = "name: [unclosed\n"
    root = make_workspace(files)
    forks = forks_counted(monkeypatch, parallel_from=1000)
    two = load(FileSource(root))
    assert forks == [1]
    monkeypatch.setenv("PPM_PROCESSES", "1")
    one = load(FileSource(root))
    assert len(forks) == 1
    assert two[0].people == one[0].people and two[0].positions == one[0].positions
    assert two[1] == one[1]
    assert sorted(f.code for f in one[1]) == ["invalid-value"] * 172 + ["yaml-syntax"]  # p0000, p0007, … p1197 and broken.yaml


def test_then_runs_here_on_every_result():
    parent, seen = os.getpid(), []

    def then(item: int, result: int) -> tuple[int, int]:
        seen.append(os.getpid())
        return item, result

    assert parallel.map_in_two(square, list(range(7)), then) == [(value, value * value) for value in range(7)]
    assert seen == [parent] * 7


def test_checks_on_two_cores_give_what_one_gives(monkeypatch):
    from conftest import ACME, run_ppm

    args = ("-C", ACME, "--as-of", "2026-11-25", "--no-cache", "check", "--format", "json")
    one = run_ppm(*args)
    forks = forks_counted(monkeypatch, parallel_from=0)
    two = run_ppm(*args)
    assert len(forks) == 2  # the parse, then the rules
    assert two == one and '"late-milestone"' in one[1] and '"overallocation"' in one[1]  # one rule of each process
