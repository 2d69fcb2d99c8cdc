"""A map over many items on two cores: a forked child takes every other item and sends its results back pickled.

Parsing is CPU-bound Python, so threads would not help; a forked child starts
in milliseconds with everything already imported. Only the parse results (plain
values, positions, findings) travel back; they pickle in C. When the child
cannot be started or fails, its share is done here, so the result never
depends on whether the child ran.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import warnings
from typing import Any, Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def cores() -> int:
    """The CPUs this process may run on; PPM_PROCESSES=1 says to use one."""
    if os.environ.get("PPM_PROCESSES", "").strip() == "1":
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    # Linux only: on macOS a forked child of a process that has touched system frameworks may crash.
    return sys.platform.startswith("linux") and hasattr(os, "fork") and cores() >= 2


def map_in_two(function: Callable[[Item], Result], items: Sequence[Item], then: Callable[[Item, Result], Any] | None = None, *, parallel: bool = True) -> list[Any]:
    """[function(item) for item in items], the odd-numbered items computed in a forked child (all here unless `parallel`).

    `then(item, result)`, when given, runs here on each result, and its value is the item's: on
    this process's share while the child is still computing its own, on the child's as it arrives.
    """
    finish: Callable[[Item, Result], Any] = then if then is not None else _result
    if not parallel or not can_fork():
        return [finish(item, function(item)) for item in items]
    theirs = items[1::2]
    read_end, write_end = os.pipe()
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns about forking while a spinner thread runs; the child never touches it
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return [finish(item, function(item)) for item in items]
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps([function(item) for item in theirs], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    received: list[Result] | None = None
    try:
        mine = [finish(item, function(item)) for item in items[0::2]]
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
        pid = 0
        if status == 0:
            received = pickle.loads(payload)
        del payload
    finally:
        if pid:  # interrupted: do not leave the child behind
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if received is None or len(received) != len(theirs):
        received = [function(item) for item in theirs]
    results: list[Any] = [None] * len(items)
    results[0::2] = mine
    for position, item in enumerate(theirs):
        result, received[position] = received[position], None  # type: ignore[assignment]  # each result goes once finished: one copy at a time
        results[2 * position + 1] = finish(item, result)
    return results


def _result(item: object, result: Result) -> Result:
    return result
