"""Loading on two cores: the forked child's share comes back whole and in order, a slow item holds up only its own process, and a failed child changes nothing."""

from __future__ import annotations

import os
import time

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


def test_while_one_process_is_on_a_slow_item_the_other_takes_the_rest():
    def which(value: int) -> int:
        if value == 0:
            time.sleep(0.5)
        return os.getpid()

    pids = parallel.map_in_two(which, list(range(10)))
    assert len(set(pids)) == 2 and pids[1:].count(pids[0]) <= 1


def test_runs_cover_every_item_once():
    for count in (2, 3, 255, 256, 257, 1000, 31_011):
        runs = parallel._runs(count)
        assert len(runs) == min(count, 256) and [index for run in runs for index in range(*run)] == list(range(count))
        assert max(stop - start for start, stop in runs) - min(stop - start for start, stop in runs) <= 1


def test_a_failing_child_is_replaced_by_the_parent():
    parent = os.getpid()

    def only_here(value: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return value + 1

    assert parallel.map_in_two(only_here, list(range(10))) == list(range(1, 11))


def test_the_childs_results_are_taken_while_this_process_still_works_on_its_own():
    parent, order = os.getpid(), []

    def slow(value: int) -> int:
        time.sleep(0.002)
        return os.getpid()

    def then(item: int, pid: int) -> int:
        order.append(pid)
        return pid

    pids = parallel.map_in_two(slow, list(range(300)), then)
    assert len(set(pids)) == 2
    last_own = max(index for index, pid in enumerate(order) if pid == parent)
    assert any(pid != parent for pid in order[:last_own])  # not all of them after this process's last run


def test_a_child_that_dies_midway_keeps_what_it_sent_and_the_parent_does_the_rest():
    parent, done_in_child = os.getpid(), [0]

    def dies_on_its_fifth(value: int) -> tuple[int, bool]:
        time.sleep(0.002)
        if os.getpid() != parent:
            done_in_child[0] += 1
            if done_in_child[0] == 5:
                os._exit(3)
        return value * value, os.getpid() == parent

    results = parallel.map_in_two(dies_on_its_fifth, list(range(256)))
    assert [value for value, _ in results] == [value * value for value in range(256)]
    assert 1 <= sum(not here for _, here in results) <= 4  # the child's runs sent before it died count


def test_in_order_hands_results_on_in_the_items_order_whatever_order_they_finish_in():
    items = ["a", "b", "c", "d"]
    taken: list[str] = []
    then = parallel.InOrder(items, taken.append)
    then("c", "C")
    then("b", "B")
    assert taken == []  # "a" is not done yet
    then("a", "A")
    assert taken == ["A", "B", "C"]
    then("d", "D")
    assert taken == ["A", "B", "C", "D"]


def test_in_order_refuses_items_it_cannot_tell_apart():
    with pytest.raises(ValueError, match="distinct"):
        parallel.InOrder([7, 7, 8], print)


def test_in_order_with_the_child_and_slow_first_items():
    def slow_first(value: int) -> int:
        if value < 2:
            time.sleep(0.2)
        return value

    taken: list[int] = []
    items = list(range(12))
    parallel.map_in_two(slow_first, items, parallel.InOrder(items, taken.append))
    assert taken == items


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
    assert two == one and '"late-milestone"' in one[1] and '"overallocation"' in one[1]  # rules claimed by either process


def test_no_collection_scans_what_a_load_made(make_workspace):
    import gc

    root = make_workspace({f"people/p{index}.yaml": f"name: Person {index}\nrole: dev\n" for index in range(50)})
    collections: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        workspace, _ = load(FileSource(root))
    finally:
        gc.callbacks.remove(count)
    # Frozen before the collector is on again: else its first collection scans every object the load made
    # (0.87 s after 20,000 projects), and freezing after that comes too late.
    assert collections == [] and gc.isenabled() and len(workspace.people) == 50
