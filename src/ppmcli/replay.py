"""A warm `ppm check` answered from the output an earlier run recorded, before typer, pydantic or a YAML parser is imported.

`answer(args)` reads the command line with a strict grammar of its own that
accepts only what `ppm` reads the same way: the command `check`; the global
options -C/--workspace, --as-of and --format (as `--opt VALUE`, or `--opt=VALUE`
for the long ones) and --no-color, wherever they stand; --fail-on after `check`;
each at most once, no value empty or starting with '-'. Anything else (another
command, --help, --no-cache, PPM_NO_CACHE) is left to the CLI.

Besides the files and the date, `ppm check`'s output depends only on what
`options_key` holds. When the record (`load.recorded`) has an output for that
key and the files still have the fingerprint it was computed from, the output
is written again, byte for byte, with its exit code. Otherwise the CLI runs,
and the check command records what it wrote (`Recorder.record`) under the key
of its own parsed options, only when that is the key `answer` looked up.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from datetime import date

from ppmcli.core.bounds import iso_day
from ppmcli.core.environment import switched_on
from ppmcli.core.errors import PpmError
from ppmcli.load.recorded import Key, Record, Recorder, snapshot
from ppmcli.load.signed import cache_folder, open_secret
from ppmcli.load.workspace import find_root
from ppmcli.progress import CLOCK, colours_wanted

# The options that take a value, by how they are written: the global ones anywhere, --fail-on after `check`.
_GLOBAL = {"-C": "workspace", "--workspace": "workspace", "--as-of": "as_of", "--format": "format"}
_CHECK = {"--fail-on": "fail_on"}


def answer(args: list[str]) -> int | Recorder | None:
    """Answer a warm `ppm check` from its record: its exit code, the output written.

    Otherwise a `Recorder`, for the check command to record its output with, or
    None when this command line is not one to record (another command, no cache).
    """
    try:
        with CLOCK.phase("load", contextlib.nullcontext()):
            found = _lookup(args)
    except KeyboardInterrupt:
        sys.stderr.write("ppm: interrupted\n")
        return 130
    except Exception:  # a record that cannot be read costs speed, never a result: the CLI runs
        return None
    if not isinstance(found, tuple):
        return found
    code, stdout, stderr = found
    try:
        sys.stdout.write(stdout)
        sys.stdout.flush()
        sys.stderr.write(stderr)
        sys.stderr.flush()
    except BrokenPipeError:
        return 0
    except OSError as exc:
        sys.stderr.write(f"ppm: error: cannot write the output: {exc.strerror or exc}\n")
        return 2
    CLOCK.output_written()
    if CLOCK.enabled:
        print(CLOCK.report(), file=sys.stderr)
    return code


def options_key(as_of: str, fmt: str | None, terminal: bool, color: bool, fail_on: str) -> Key:
    """What `ppm check`'s output depends on besides the files: the date, the options as given, whether stdout is a terminal and colours are on,
    PPM_PATH_PREFIX (GitHub annotations), stdout's encoding, and Python's version (the Unicode tables the escapes consult)."""
    return (as_of, fmt, terminal, color, fail_on, os.environ.get("PPM_PATH_PREFIX", ""), getattr(sys.stdout, "encoding", None), getattr(sys.stdout, "errors", None), sys.version)


def _lookup(args: list[str]) -> tuple[int, str, str] | Recorder | None:
    """(exit code, stdout, stderr) recorded for this command line and these files, else a Recorder or None (see `answer`)."""
    asked = _asked(args)
    if asked is None or switched_on("PPM_NO_CACHE"):
        return None
    workspace, as_of, fmt, no_color, fail_on = asked
    terminal = sys.stdout.isatty()
    key = options_key(as_of, fmt, terminal, colours_wanted(terminal, no_color), fail_on)
    try:
        root = find_root(workspace, os.getcwd())
    except PpmError:
        return None
    folder = cache_folder()
    secret, problem = open_secret(folder, create=False)
    if problem is not None:  # the CLI says why, once
        return None
    recorder = Recorder(root, key, snapshot(root, time.time_ns()))
    if secret is None:
        return recorder
    record = Record(folder, root, secret)
    found = record.output(key)
    if found is None:
        # Another set of options ran on these very files: their fingerprint needs no reading to find a result.
        recorder.vouched = record.files(recorder.stamp) if recorder.stamp is not None else None
        return recorder
    files, code, stdout, stderr = found
    if recorder.stamp is None or record.files(recorder.stamp) != files:
        # The stat data changed or cannot tell: compare the contents' fingerprint (a touched file; a branch checked out and back).
        # They were taken before this read, so they may stand for what it reads from now on.
        from pathlib import Path

        from ppmcli.load.cache import fingerprint
        from ppmcli.load.sources import FileSource

        source = FileSource(Path(root), remember=True)
        read = fingerprint(source)
        if read != files:
            recorder.known = (source, read)
            return recorder
        if recorder.stamp is not None:
            record.keep_files(recorder.stamp, files)
    return code, stdout, stderr


def _asked(args: list[str]) -> tuple[str | None, str, str | None, bool, str] | None:
    """(workspace, as-of date, format, --no-color, --fail-on) of a `ppm check` command line in the grammar above, else None."""
    given: dict[str, str] = {}
    command = False
    words = iter(args)
    for word in words:
        if word == "check" and not command:
            command = True
            continue
        if word == "--no-color" and "no_color" not in given:
            given["no_color"] = ""
            continue
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        field = _GLOBAL.get(name) or (_CHECK.get(name) if command else None)
        if field is None or field in given:
            return None
        if not equals:
            value = next(words, "")
        if not value or value.startswith("-"):
            return None
        given[field] = value
    if not command:
        return None
    try:
        as_of = iso_day(given["as_of"]) if "as_of" in given else date.today()
    except ValueError:
        return None
    return given.get("workspace"), as_of.isoformat(), given.get("format"), "no_color" in given, given.get("fail_on", "error")
