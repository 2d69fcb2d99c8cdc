"""The progress indicator: a spinner on stderr for a large workspace, only when stdout and stderr are terminals and the format is the terminal one."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from conftest import ACME, run_ppm
from ppmcli.__main__ import main
from ppmcli import progress as spinner

AS_OF = "2026-11-25"
COMMANDS = [
    ["check", "--no-cache"],  # an unchanged workspace is answered from the result cache, without loading
    ["score"],
    ["prioritize", "--budget", "5000000"],
    ["conflicts"],
    ["capacity", "--by", "week"],
    ["report", "--by", "program"],
    ["roadmap"],
]
SPINNER = re.compile(r"\x1b\[\?25l|Loading \d+ files…")


class Terminal(io.StringIO):
    """A captured stream that says it is a terminal, as rich and the CLI ask."""

    def isatty(self) -> bool:
        return True


def run_on_terminal(*args: str, piped: bool = False) -> tuple[int, str, str]:
    """ppm with stderr on a terminal, and stdout too unless `piped` (`ppm score > file` typed in a terminal)."""
    out, err = io.StringIO() if piped else Terminal(), Terminal()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-C", str(ACME), "--as-of", AS_OF, *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def every_workspace_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spinner, "LARGE_WORKSPACE", 0)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_no_progress_output_when_not_a_terminal(every_workspace_is_large: None, args: list[str]) -> None:
    for fmt in ([], ["--format", "text"], ["--format", "json"]):
        code, out, err = run_ppm("-C", ACME, "--as-of", AS_OF, *args, *fmt)
        assert code in (0, 1) and out
        assert not SPINNER.search(err) and "\x1b" not in err
        # Output piped to a file from a terminal: stderr is a terminal, but the output is plain text.
        code, out, err = run_on_terminal(*args, *fmt, piped=True)
        assert code in (0, 1) and out
        assert not SPINNER.search(err) and "\x1b" not in err


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_a_large_workspace_shows_a_spinner_on_a_terminal_in_the_terminal_format_only(every_workspace_is_large: None, args: list[str]) -> None:
    code, _, err = run_on_terminal(*args)
    assert code in (0, 1)
    assert re.search(r"Loading \d+ files…", err)
    # The spinner clears its line: what stays on the screen is only what the command says on stderr.
    _, _, machine = run_on_terminal(*args, "--format", "json")
    assert not SPINNER.search(machine)


def test_a_small_workspace_shows_no_spinner_even_on_a_terminal() -> None:
    _, out, err = run_on_terminal("score")
    assert "Open projects ranked" in out and err == ""


def test_the_analysis_has_its_own_message() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spinner, "LARGE_WORKSPACE", 0)
        _, _, err = run_on_terminal("conflicts")
    assert "Finding over-allocated people…" in err


def test_timings_say_where_the_time_went_on_stderr_only(monkeypatch):
    code, quiet_out, quiet_err = run_ppm("-C", ACME, "--as-of", "2026-11-25", "--no-cache", "conflicts", "--format", "json")
    monkeypatch.setenv("PPM_TIMINGS", "1")
    code_timed, out, err = run_ppm("-C", ACME, "--as-of", "2026-11-25", "--no-cache", "conflicts", "--format", "json")
    assert (code_timed, out) == (code, quiet_out) and quiet_err == ""
    line = err.splitlines()[-1]
    assert re.fullmatch(r"ppm: timings: load \d+\.\d{3} s, analysis \d+\.\d{3} s, output \d+\.\d{3} s", line)
    assert float(line.split("load ")[1].split(" s")[0]) > 0


def test_colours_only_for_a_terminal_that_shows_them(monkeypatch) -> None:
    from ppmcli.progress import colours_wanted

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert colours_wanted(True, False) and not colours_wanted(False, False) and not colours_wanted(True, True)
    monkeypatch.setenv("TERM", "dumb")  # an editor's shell, a CI log viewer: escape codes would show as text
    assert not colours_wanted(True, False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colours_wanted(True, False)


@pytest.mark.parametrize(("value", "enabled"), [("1", True), ("yes", True), ("0", False), ("", False), (" 0 ", False)])
def test_timings_are_on_for_any_value_but_0_or_empty(monkeypatch, value: str, enabled: bool) -> None:
    from ppmcli.progress import Clock

    monkeypatch.setenv("PPM_TIMINGS", value)
    clock = Clock()
    clock.start()
    assert clock.enabled is enabled


@pytest.mark.parametrize(("value", "enabled"), [("1", True), ("yes", True), ("0", False), ("", False)])
def test_no_cache_switch_reads_as_the_timings_do(monkeypatch, value: str, enabled: bool) -> None:
    from ppmcli.progress import switched_on

    monkeypatch.setenv("PPM_NO_CACHE", value)
    assert switched_on("PPM_NO_CACHE") is enabled


@pytest.mark.parametrize("value", ["x", "0", "-1", "2.5", "١"])
def test_a_processes_value_that_is_no_count_is_said_and_ignored(monkeypatch, value: str) -> None:
    monkeypatch.setenv("PPM_PROCESSES", value)
    code, out, err = run_ppm("-C", ACME, "--as-of", AS_OF, "score", "--format", "json")
    assert code == 0 and out.startswith("[")
    assert err == f"ppm: warning: PPM_PROCESSES '{value}' is not a number of processes (1 or more); ignored\n"


@pytest.mark.parametrize("value", ["1", "2", "8"])
def test_a_count_of_processes_is_taken_without_a_word(monkeypatch, value: str) -> None:
    monkeypatch.setenv("PPM_PROCESSES", value)
    assert run_ppm("-C", ACME, "--as-of", AS_OF, "score", "--format", "json")[2] == ""


@pytest.mark.parametrize(("value", "count"), [("1", 1), ("01", 1), (" 1 ", 1), ("2", 2), ("", None)])
def test_the_warning_and_the_parse_read_processes_alike(monkeypatch, value: str, count) -> None:
    # The CLI took '01' without a word while the parse, which honoured only '1', ran on two processes.
    from ppmcli.load.parallel import asked_processes, cores

    monkeypatch.setenv("PPM_PROCESSES", value)
    assert asked_processes() == count
    assert count != 1 or cores() == 1
