"""A map over many items on two cores: a forked child takes runs of items as it is free and sends their results back pickled.

Parsing is CPU-bound Python, so threads would not help; a forked child starts
in milliseconds with everything already imported. Only the parse results (plain
values, positions, findings) travel back; they pickle in C. When the child
cannot be started or fails, its share is done here, so the result never
depends on whether the child ran.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import signal
import struct
import sys
import warnings
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from ppmcli.core.environment import asked_processes

Item = TypeVar("Item")
Result = TypeVar("Result")


def cores() -> int:
    """The CPUs this process may run on; PPM_PROCESSES=1 says to use one (a value that is no count is ignored: the CLI says so)."""
    try:
        if asked_processes() == 1:
            return 1
    except ValueError:
        pass
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    # Linux only: on macOS a forked child of a process that has touched system frameworks may crash.
    return sys.platform.startswith("linux") and hasattr(os, "fork") and cores() >= 2


def map_in_two(function: Callable[[Item], Result], items: Sequence[Item], then: Callable[[Item, Result], Any] | None = None, *, parallel: bool = True) -> list[Any]:
    """[function(item) for item in items], shared with a forked child (all here unless `parallel`).

    The items go in runs, and each process claims the next run when it is free, so neither waits on
    the other when items cost unequal amounts (one check may cost as much as ten others) or when this
    process does more per item (`then`). `then(item, result)`, when given, runs here on each result,
    and its value is the item's. The child sends each run's results as soon as it has them, and this
    process takes them in between its own runs: its work on the child's results (unpickling, `then`)
    overlaps the child's parsing instead of following it.
    """
    finish: Callable[[Item, Result], Any] = then if then is not None else _result
    if not parallel or len(items) < 2 or not can_fork():
        return [finish(item, function(item)) for item in items]
    runs = _runs(len(items))
    # The claims: one byte per run in a pipe that both processes read a byte at a time (each byte reaches one reader).
    claims, claims_end = os.pipe()
    os.write(claims_end, bytes(range(len(runs))))
    os.close(claims_end)
    read_end, write_end = os.pipe()
    with contextlib.suppress(AttributeError, OSError):  # a larger pipe (Linux): the child rarely waits for this process to read
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns about forking while a spinner thread runs; the child never touches it
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(claims)
        os.close(read_end)
        os.close(write_end)
        return [finish(item, function(item)) for item in items]
    if pid == 0:  # the child: compute and send run after run, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                for run in _claimed(claims):
                    payload = pickle.dumps((run, [function(item) for item in items[slice(*runs[run])]]), protocol=pickle.HIGHEST_PROTOCOL)
                    pipe.write(_FRAME.pack(len(payload)))
                    pipe.write(payload)
                    pipe.flush()
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    results: list[Any] = [None] * len(items)
    left = set(range(len(runs)))
    frames = _Frames(read_end)

    def take(received: Iterable[tuple[int, list[Result]]]) -> None:
        for run, values in received:
            left.discard(run)
            for index, result in zip(range(*runs[run]), values):
                results[index] = finish(items[index], result)

    try:
        for run in _claimed(claims):
            left.discard(run)
            for index in range(*runs[run]):
                results[index] = finish(items[index], function(items[index]))
            take(frames.ready())
        os.set_blocking(read_end, True)
        take(frames.rest())
        _, status = os.waitpid(pid, 0)
        pid = 0
    finally:
        os.close(claims)
        os.close(read_end)
        if pid:  # interrupted: do not leave the child behind
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    for run in sorted(left):  # the child's runs it did not send, when it failed
        for index in range(*runs[run]):
            results[index] = finish(items[index], function(items[index]))
    return results


class InOrder:
    """A `then` for `map_in_two` that hands each item's result to `take` in the items' order, whatever order they finish in:
    a result waits here until those of the items before it have been taken. The items are distinct objects (told apart by identity)."""

    def __init__(self, items: Sequence[object], take: Callable[[Any], object]) -> None:
        self.place = {id(item): index for index, item in enumerate(items)}
        if len(self.place) != len(items):
            raise ValueError("InOrder tells items apart by identity: each must be a distinct object")
        self.take = take
        self.waiting: dict[int, object] = {}
        self.next = 0

    def __call__(self, item: object, result: object) -> None:
        self.waiting[self.place[id(item)]] = result
        while self.next in self.waiting:
            self.take(self.waiting.pop(self.next))
            self.next += 1


# A frame: the length of a pickled (run, results), then the pickle.
_FRAME = struct.Struct("<Q")
_PIPE_SIZE = 1 << 20


class _Frames:
    """The child's frames as they arrive on a pipe: `ready` takes what has come without waiting, `rest` reads on to the end, frame by frame.

    A frame cut short (the child died while writing it) is never unpickled: its runs are done here.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        os.set_blocking(fd, False)

    def ready(self) -> list[tuple[int, list[Any]]]:
        while True:
            try:
                chunk = os.read(self.fd, _PIPE_SIZE)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.buffer += chunk
        return self._whole()

    def rest(self) -> Iterator[tuple[int, list[Any]]]:
        while chunk := os.read(self.fd, _PIPE_SIZE):
            self.buffer += chunk
            yield from self._whole()

    def _whole(self) -> list[tuple[int, list[Any]]]:
        received = []
        start = 0
        while len(self.buffer) - start >= _FRAME.size:
            (size,) = _FRAME.unpack_from(self.buffer, start)
            end = start + _FRAME.size + size
            if len(self.buffer) < end:
                break
            with memoryview(self.buffer) as view:  # released before the buffer shrinks
                received.append(pickle.loads(view[start + _FRAME.size : end]))
            start = end
        del self.buffer[:start]
        return received


# At most this many runs: a claim is one byte.
_MAX_RUNS = 256


def _runs(count: int) -> list[tuple[int, int]]:
    """(start, stop) of each run of items: one item each, or `_MAX_RUNS` runs of nearly equal length."""
    parts = min(count, _MAX_RUNS)
    return [(count * part // parts, count * (part + 1) // parts) for part in range(parts)]


def _claimed(claims: int) -> Iterator[int]:
    """The runs this process claims, one at a time, until none is left."""
    while claim := os.read(claims, 1):
        yield claim[0]


def _result(item: object, result: Result) -> Result:
    return result
