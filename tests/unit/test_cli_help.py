"""The CLI's own surface: help metavars, click's errors in ppm's style, shell completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ACME, run_ppm

def _commands() -> list[list[str]]:
    """Every command and sub-command of ppm, as its words (`[]` for ppm itself)."""
    import typer

    from ppmcli.cli import app

    def walk(command, words: list[str]) -> list[list[str]]:
        found = [words]
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            found += walk(sub, [*words, name])
        return found

    return walk(typer.main.get_command(app), [])


COMMANDS = _commands()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ppm")
def test_help_names_every_value_by_a_metavar(command: list[str]) -> None:
    code, out, _ = run_ppm(*command, "--help")
    assert code == 0
    # typer's own style (`--fail-on <str>`, `{base}`, `base <str>`) never shows.
    assert "<" not in out and "{" not in out, out


def test_usage_lines_read_as_click_writes_them() -> None:
    assert run_ppm("diff", "--help")[1].startswith("Usage: ppm diff [OPTIONS] BASE [HEAD]\n")
    assert run_ppm("init", "--help")[1].startswith("Usage: ppm init [OPTIONS] [DIR]\n")
    assert "  --fail-on LEVEL " in run_ppm("check", "--help")[1]
    assert "  -C, --workspace DIR " in run_ppm("--help")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--nosuch"], "ppm: error: no such option: --nosuch; see 'ppm --help'"),
        (["prioritize", "--budgt", "5"], "ppm: error: no such option: --budgt (did you mean --budget?); see 'ppm prioritize --help'"),
        # A global option misspelt after the command, where click's parser does not know it (it suggested nothing).
        (["check", "--as-off", "2026-01-01"], "ppm: error: no such option: --as-off (did you mean --as-of?); see 'ppm check --help'"),
        (["check", "--formt", "json"], "ppm: error: no such option: --formt (did you mean --format?); see 'ppm check --help'"),
        (["check", "--zzz"], "ppm: error: no such option: --zzz; see 'ppm check --help'"),
        (["diff"], "ppm: error: missing argument 'BASE'; see 'ppm diff --help'"),
        (["nosuch"], "ppm: error: no such command 'nosuch'; see 'ppm --help'"),
        (["statuss", "x"], "ppm: error: no such command 'statuss' (did you mean 'status'?); see 'ppm --help'"),
        # A number typer cannot parse, in ppm's words (it was the validator's "Input should be a valid integer, unable to parse…").
        (["prioritize", "--steps", "x"], "ppm: error: --steps 'x' is not a whole number; see 'ppm prioritize --help'"),
        (["plan", "--time-limit", "soon"], "ppm: error: --time-limit 'soon' is not a number; see 'ppm plan --help'"),
        (["check", "--fail-on"], "ppm: error: option '--fail-on' requires an argument"),
        # A global option after the command, last and without its value (it was "no such option: -C").
        (["report", "-C"], "ppm: error: option '-C' requires an argument; see 'ppm --help'"),
        (["check", "--as-of"], "ppm: error: option '--as-of' requires an argument; see 'ppm --help'"),
    ],
)
def test_click_errors_look_like_ppms_own(args: list[str], message: str) -> None:
    code, out, err = run_ppm(*args)
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Each answered another question than the one asked: click keeps the last value without a word.
        (["conflicts", "--person", "alice", "--person", "bob"], "ppm: error: --person is given 2 times ('alice', 'bob'); it takes one value"),
        (["--as-of", "2026-01-01", "check", "--as-of", "2026-11-25"], "ppm: error: --as-of is given 2 times ('2026-01-01', '2026-11-25'); it takes one value"),
        (["report", "--portfolio=digital", "--portfolio", "platform"], "ppm: error: --portfolio is given 2 times ('digital', 'platform'); it takes one value"),
        (["-C", "a", "export", "xlsx", "-o", "x", "--output", "y"], "ppm: error: -o is given 2 times ('x', 'y'); it takes one value"),
    ],
)
def test_an_option_of_one_value_given_twice_is_refused(args: list[str], message: str) -> None:
    code, out, err = run_ppm(*args)
    assert (code, out, err) == (2, "", message + "\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # A path of no characters is ".": `-C ""` (an unset variable) checked the current folder, `init ""` wrote into it.
        (["-C", "", "check"], "ppm: error: -C is given an empty path; give it a file or folder"),
        (["report", "--output="], "ppm: error: --output is given an empty path; give it a file or folder"),
        (["init", ""], "ppm: error: an empty argument ('') names nothing; give it a value"),
        (["import", "csv", ""], "ppm: error: an empty argument ('') names nothing; give it a value"),
    ],
)
def test_an_empty_path_or_argument_is_refused(args: list[str], message: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_ppm(*args)
    assert (code, out, err) == (2, "", message + "\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Each said "no such option: --version (did you mean --version?)", or "no such option: -C".
        (["check", "--version"], "ppm: error: --version goes before the command: ppm --version"),
        (["report", "--show-completion"], "ppm: error: --show-completion goes before the command: ppm --show-completion"),
        (["check", "--no-color=1"], "ppm: error: option '--no-color' does not take a value"),
    ],
)
def test_global_options_after_the_command_are_understood(args: list[str], message: str) -> None:
    code, out, err = run_ppm(*args)
    assert (code, out) == (2, "") and err.startswith(message), err


def test_the_workspace_attached_to_dash_c_may_follow_the_command() -> None:
    code, _, err = run_ppm("check", f"-C{ACME}", "--as-of", "2026-11-25")
    assert code == 1 and "files checked" in err


@pytest.mark.parametrize(("args", "allowed"), [(["schema"], "json"), (["init", "never"], "text, plain")])
def test_a_format_a_command_cannot_write_is_refused(args: list[str], allowed: str, tmp_path, monkeypatch) -> None:
    # `--format xml schema` printed JSON, exit 0; `--format xml init DIR` wrote the workspace.
    monkeypatch.chdir(tmp_path)
    code, out, err = run_ppm("--format", "xml", *args)
    assert (code, out, err) == (2, "", f"ppm: error: --format 'xml' is not available here; choose one of {allowed}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # A value close to one allowed names it, as a misspelt id or option does.
        (["schema", "projct"], "ppm: error: unknown kind 'projct'; choose one of settings, portfolio, program, project, person, scenario; did you mean 'project'?"),
        (["plan", "--method", "greddy"], "ppm: error: --method 'greddy' is not one of greedy, optimal; did you mean 'greedy'?"),
        (["check", "--fail-on", "warnings"], "ppm: error: --fail-on 'warnings' is not one of error, warning, never; did you mean 'warning'?"),
        (["diff", "HEAD", "--fail-on", "health-drops"], "ppm: error: --fail-on 'health-drops' is not one of new-error, new-overallocation, defunded, over-budget, health-drop; did you mean 'health-drop'?"),
    ],
)
def test_a_value_close_to_an_allowed_one_names_it(args: list[str], message: str) -> None:
    code, out, err = run_ppm("-C", ACME, "--as-of", "2026-11-25", *args)
    assert (code, out, err) == (2, "", message + "\n")


def test_an_id_like_dash_c_as_an_options_value_stays_that_value() -> None:
    from ppmcli.cli import hoist_global_options

    # An id is a file name: projects/-Cobalt.yaml is `-Cobalt`, which the hoist took for -C with its folder attached.
    assert hoist_global_options(["report", "--trend", "-Cobalt"]) == ["report", "--trend", "-Cobalt"]
    assert hoist_global_options(["check", f"-C{ACME}"]) == [f"-C{ACME}", "check"]


def test_help_and_shell_completion_are_given_whatever_the_values() -> None:
    # The check of repeated and empty values ran while the shell completed a line, and before --help.
    code, out, _ = run_ppm("conflicts", "--person", "a", "--person", "b", "--help")
    assert code == 0 and "--person" in out
    env = {**os.environ, "_PPM_COMPLETE": "complete_bash", "COMP_WORDS": "ppm conflicts --person alice --person bob --t", "COMP_CWORD": "6"}
    result = subprocess.run([sys.executable, "-m", "ppmcli"], env=env, capture_output=True, text=True, check=False)
    assert result.stderr == "" and "--tentative" in result.stdout.split()


def test_repeatable_options_and_flags_may_repeat() -> None:
    code, _, err = run_ppm("-C", ACME, "--as-of", "2026-11-25", "report", "--tag", "mobile", "--tag", "web", "--no-color", "--no-color", "--format", "json")
    assert code == 0, err


def test_no_arguments_print_the_help() -> None:
    code, _, err = run_ppm()
    assert code == 2 and err.startswith("Usage: ppm [OPTIONS] COMMAND [ARGS]...")


def test_shell_completion_completes_commands_and_options() -> None:
    def complete(words: str) -> list[str]:
        env = {**os.environ, "_PPM_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
        result = subprocess.run([sys.executable, "-m", "ppmcli"], env=env, capture_output=True, text=True, check=True)
        return result.stdout.split()

    assert complete("ppm capa") == ["capacity"]
    assert complete("ppm capacity --b") == ["--by"]
    code, out, _ = run_ppm("--show-completion", "bash")
    assert code == 0 and "_ppm_completion" in out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ppm")
def test_help_at_80_columns_breaks_lines_at_spaces_only(command: list[str], monkeypatch) -> None:
    # textwrap breaks after a hyphen too: "from the month of --as-" / "of" could not be copied.
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run_ppm(*command, "--help")
    assert code == 0 and out.startswith("Usage: ppm")
    assert [line for line in out.splitlines() if re.search(r"\w-$", line) or len(line) > 80] == []


def test_the_command_list_gives_each_command_a_whole_phrase_at_80_columns():
    # click cut each first sentence at 45 characters ("Validate every file and run the portfolio checks (the CI...").
    for group in ([], ["import"], ["export"]):
        code, out, _ = run_ppm(*group, "--help")
        commands = out.split("Commands:\n", 1)[1]
        assert "..." not in commands and all(len(line) <= 80 for line in commands.splitlines())
