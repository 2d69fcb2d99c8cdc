"""A warm `ppm check` replays the recorded output: byte for byte what a cold run writes, never a stale answer."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from types import SimpleNamespace

import pytest

from conftest import ACME, git, run_ppm
from ppmcli.__main__ import main
from ppmcli.load.recorded import RACY_NS, snapshot
from ppmcli.load.sources import FileSource

AS_OF = "2026-11-25"
# A file whose messages quote non-ASCII text, a control character and a path with a space (escaped, and kept exactly by the record).
ODD = "projects/odd one.yaml"
ODD_TEXT = 'name: Odd\nmanager: alice\nportfolio: "Caf\u00e9 \u2026 \\x1b[31m"\nphase: execution\nstart: 2026-01-05\nend: 2026-12-18\nbudget: 10\n'


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A copy of the Acme workspace (errors and warnings, some depending on the date) and an odd file, with a cache of its own."""
    root = tmp_path / "acme"
    shutil.copytree(ACME, root)
    (root / ODD).write_text(ODD_TEXT, encoding="utf-8")
    monkeypatch.setenv("PPM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PPM_PATH_PREFIX", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root


@pytest.fixture
def cli_runs(monkeypatch):
    """How many times the CLI ran (a replayed run never starts it)."""
    import ppmcli.cli as cli

    runs = []
    real = cli.run
    monkeypatch.setattr(cli, "run", lambda *args: runs.append(1) or real(*args))
    return runs


def later(monkeypatch, seconds: float = 10.0) -> None:
    """Look up records as if `seconds` had passed: the files just written are no longer too recent for their stat data to vouch for them."""
    monkeypatch.setattr("ppmcli.replay.time", SimpleNamespace(time_ns=lambda: time.time_ns() + int(seconds * 1e9)))


def cold(root, *args: str) -> tuple[int, str, str]:
    return run_ppm("-C", root, "--as-of", AS_OF, "--no-cache", "check", *args)


def warm(root, *args: str) -> tuple[int, str, str]:
    return run_ppm("-C", root, "--as-of", AS_OF, "check", *args)


@pytest.mark.parametrize("fmt", [None, "text", "plain", "json", "github"])
@pytest.mark.parametrize("fail_on", [None, "error", "warning", "never"])
def test_a_replay_is_byte_identical_to_a_cold_run(ws, cli_runs, fmt, fail_on, monkeypatch):
    monkeypatch.setenv("PPM_PATH_PREFIX", "portfolio/")
    args = [*(["--format", fmt] if fmt else []), *(["--fail-on", fail_on] if fail_on else [])]
    expected = cold(ws, *args)
    assert expected[0] == (0 if fail_on == "never" else 1) and "Caf\u00e9 \u2026" in expected[1]
    assert warm(ws, *args) == expected and cli_runs == [1, 1]  # recorded
    assert warm(ws, *args) == expected and cli_runs == [1, 1]  # replayed: the CLI did not run


def test_each_option_set_has_its_own_record(ws, cli_runs, monkeypatch):
    for args in (["--format", "json"], ["--format", "github"], ["--fail-on", "never"], []):
        warm(ws, *args)
    monkeypatch.setenv("PPM_PATH_PREFIX", "sub/")  # GitHub annotations name other files
    assert warm(ws, "--format", "github") == cold(ws, "--format", "github")
    assert len(cli_runs) == 5 + 1
    monkeypatch.delenv("PPM_PATH_PREFIX")
    for args in (["--format", "json"], ["--fail-on", "never"], []):
        assert warm(ws, *args) == cold(ws, *args)
    assert len(cli_runs) == 6 + 3  # only the cold runs


def test_only_the_last_option_sets_outputs_are_kept(ws, cli_runs, monkeypatch, tmp_path):
    from ppmcli.load import recorded

    monkeypatch.setattr(recorded, "_MAX_OUTPUTS", 2)
    sets = (["--format", "json"], ["--format", "github"], ["--fail-on", "never"])
    for args in sets:
        warm(ws, *args)
        time.sleep(0.01)  # distinct modification times
    assert len(list((tmp_path / "cache").rglob("*.out"))) == 2
    assert warm(ws, *sets[2]) == cold(ws, *sets[2]) and len(cli_runs) == 3 + 1  # the newest is replayed
    assert warm(ws, *sets[0]) == cold(ws, *sets[0]) and len(cli_runs) == 4 + 2  # the oldest was forgotten: computed again


def test_the_grammar_reads_options_anywhere_and_leaves_the_rest_to_the_cli(ws, cli_runs, monkeypatch):
    monkeypatch.chdir(ws / "projects")  # the workspace found by walking up
    expected = run_ppm("--as-of", AS_OF, "--no-cache", "check", "--format", "json")
    forms = (
        ["--as-of", AS_OF, "check", "--format", "json"],
        ["check", "--format=json", f"--as-of={AS_OF}"],
        ["-C", str(ws), "check", "--as-of", AS_OF, "--format", "json"],
        ["check", f"--workspace={ws}", "--format", "json", "--as-of", AS_OF, "--no-color"],
    )
    for args in forms:
        assert run_ppm(*args) == expected
    assert len(cli_runs) == 1 + 1  # the cold run, and the first form's, which recorded what every form then replayed
    for args in (["check", "--format", "json", "--as-of", AS_OF, "--no-cache"], ["--as-of", AS_OF, "check", "--format", "json", "extra"], ["check", "--help"]):
        before = len(cli_runs)
        run_ppm(*args)
        assert len(cli_runs) == before + 1


def test_nothing_is_recorded_for_options_the_grammar_read_otherwise(ws, cli_runs, monkeypatch):
    import ppmcli.replay as replay

    real = replay._asked
    monkeypatch.setattr(replay, "_asked", lambda args: (lambda found: found and (found[0], found[1], "json", found[3], found[4]))(real(args)))
    assert warm(ws) == cold(ws)  # read as --format json by the lookup, run as plain text by the CLI
    assert not list((ws.parent / "cache").glob("*.out"))
    monkeypatch.setattr(replay, "_asked", real)
    warm(ws)
    assert len(list((ws.parent / "cache").glob("*.out"))) == 1


def test_a_change_of_the_same_size_with_its_mtime_restored_is_seen(ws, cli_runs, monkeypatch):
    """The attack on stat data: same size, mtime put back with os.utime. The ctime moved (no user can set it), so the stat data differ."""
    later(monkeypatch)
    before = warm(ws)
    path = ws / ODD
    info = os.stat(path)
    path.write_text(ODD_TEXT.replace("31m", "32m"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (info.st_size, info.st_mtime_ns, info.st_ino) and after.st_ctime_ns != info.st_ctime_ns
    assert warm(ws) == cold(ws) != before


def test_a_file_changed_too_recently_is_read_whatever_its_stat_data_say(ws, cli_runs, monkeypatch):
    """The racy case: a second write within one timestamp tick can keep every stat field. Such stat data vouch for nothing: they are not kept."""
    now = time.time_ns()
    assert snapshot(str(ws), now) is None  # every file was written a moment ago
    assert snapshot(str(ws), now + RACY_NS + 10**9) is not None
    expected = warm(ws)
    assert not list((ws.parent / "cache").glob("*.stat"))
    reads = []
    real = FileSource._read
    monkeypatch.setattr(FileSource, "_read", lambda self, path: reads.append(path) or real(self, path))
    assert warm(ws) == expected and len(cli_runs) == 1  # replayed,
    assert sorted(reads) == FileSource(ws).files()[0]  # after every file was read for its fingerprint
    assert cold(ws) == expected


def test_stat_data_vouch_for_old_files_so_nothing_is_read(ws, cli_runs, monkeypatch):
    later(monkeypatch)
    expected = warm(ws)
    reads = []
    real = FileSource._read
    monkeypatch.setattr(FileSource, "_read", lambda self, path: reads.append(path) or real(self, path))
    assert warm(ws) == expected and reads == [] and len(cli_runs) == 1
    assert cold(ws) == expected


def test_another_option_set_on_vouched_files_reads_nothing(ws, cli_runs, monkeypatch):
    later(monkeypatch)
    warm(ws)  # records the output and the files' stat data and fingerprint
    reads = []
    real = FileSource._read
    monkeypatch.setattr(FileSource, "_read", lambda self, path: reads.append(path) or real(self, path))
    # Another format: the CLI runs, the fingerprint comes from the stat record and the findings from the result cache.
    got = warm(ws, "--format", "json")
    assert reads == [] and len(cli_runs) == 2
    assert got == cold(ws, "--format", "json")


def test_a_file_changed_after_the_stat_data_vouched_for_it_never_leaves_its_result_under_the_old_fingerprint(ws, cli_runs, monkeypatch):
    import ppmcli.replay as replay

    later(monkeypatch)
    warm(ws)  # records the files' stat data and fingerprint
    path = ws / ODD
    original = path.read_text(encoding="utf-8")
    real = replay._lookup

    def edited_meanwhile(args):
        found = real(args)
        path.write_text(original + "\nbudgt: 1\n", encoding="utf-8")  # an edit between the lookup and the load
        return found

    monkeypatch.setattr(replay, "_lookup", edited_meanwhile)
    run_ppm("-C", ws, "--as-of", "2026-12-01", "check")  # a result-cache miss on the vouched fingerprint: computed from the edited file
    monkeypatch.setattr(replay, "_lookup", real)
    path.write_text(original, encoding="utf-8")
    for args in ((), ("--format", "json")):
        assert run_ppm("-C", ws, "--as-of", "2026-12-01", "check", *args) == run_ppm("-C", ws, "--as-of", "2026-12-01", "--no-cache", "check", *args)


def test_a_touched_file_is_compared_by_content_then_vouched_for_again(ws, cli_runs, monkeypatch):
    later(monkeypatch)
    expected = warm(ws)
    path = ws / "projects" / "invoice-ocr.yaml"
    path.write_bytes(path.read_bytes())  # touched, the same bytes
    later(monkeypatch, 20)
    reads = []
    real = FileSource._read
    monkeypatch.setattr(FileSource, "_read", lambda self, path: reads.append(path) or real(self, path))
    assert warm(ws) == expected and len(cli_runs) == 1 and len(reads) == len(FileSource(ws).files()[0])
    assert warm(ws) == expected and len(cli_runs) == 1 and len(reads) == len(FileSource(ws).files()[0])  # the new stat data were kept


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename", "folder"])
def test_every_change_to_the_files_is_seen(ws, cli_runs, monkeypatch, change):
    later(monkeypatch)
    warm(ws)
    project = ws / "projects" / "self-service-portal.yaml"
    if change == "edit":
        project.write_text(project.read_text() + "\n# a comment\n")
    elif change == "add":
        (ws / "projects" / "new.yaml").write_text("name: New\n")
    elif change == "remove":
        project.unlink()
    elif change == "rename":
        project.rename(ws / "projects" / "portal.yaml")
    else:
        (ws / "projects" / "more").mkdir()
        (ws / "projects" / "more" / "x.yaml").write_text("name: X\n")
    later(monkeypatch, 20)
    assert warm(ws) == cold(ws) and len(cli_runs) == 3


def test_a_symbolic_link_is_never_vouched_for_by_stat_data(ws, tmp_path, cli_runs, monkeypatch):
    later(monkeypatch)
    target = ws / "projects" / "invoice-ocr.yaml"
    (ws / "projects" / "linked.yaml").symlink_to(target)
    assert snapshot(str(ws), time.time_ns() + 10**10) is None
    warm(ws)
    target.write_text(target.read_text().replace("name:", "name: Renamed", 1))  # the link's own stat data did not change
    assert warm(ws) == cold(ws)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def on_terminal(*args: str) -> tuple[int, str, str]:
    """`ppm ARGS` in-process with stdout a terminal (colours, unless --no-color or NO_COLOR)."""
    out, err = _Terminal(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_colours_follow_the_terminal_the_flag_and_no_color(ws, cli_runs, monkeypatch):
    coloured = on_terminal("-C", ws, "--as-of", AS_OF, "check")
    assert "\x1b[31merror\x1b[0m" in coloured[1]
    plain = on_terminal("-C", ws, "--as-of", AS_OF, "--no-cache", "check", "--no-color")
    assert "\x1b[" not in plain[1].replace("\\x1b[", "")
    assert on_terminal("-C", ws, "--as-of", AS_OF, "check") == coloured and len(cli_runs) == 2
    assert on_terminal("-C", ws, "--as-of", AS_OF, "check", "--no-color") == plain and len(cli_runs) == 3
    monkeypatch.setenv("NO_COLOR", "1")
    assert on_terminal("-C", ws, "--as-of", AS_OF, "check") == plain and len(cli_runs) == 3  # the record of --no-color: the same output


def test_the_date_is_part_of_the_key(ws, cli_runs, monkeypatch):
    """Without --as-of a result depends on today: a record of yesterday is not replayed today."""

    class Today(date):
        day = date(2026, 10, 1)

        @classmethod
        def today(cls):
            return cls.day

    monkeypatch.setattr("ppmcli.replay.date", Today)
    monkeypatch.setattr("ppmcli.cli.date", Today)
    first = run_ppm("-C", ws, "check")
    assert run_ppm("-C", ws, "check") == first and len(cli_runs) == 1
    Today.day = date(2026, 11, 25)
    assert run_ppm("-C", ws, "check") == cold(ws) != first and len(cli_runs) == 3
    assert run_ppm("-C", ws, "--as-of", "2026-10-01", "check") == first


def test_a_git_checkout_back_and_forth(ws, cli_runs, monkeypatch):
    later(monkeypatch)
    git(ws, "init", "-q")
    git(ws, "add", "-A")
    git(ws, "commit", "-qm", "base")
    (ws / ODD).write_text(ODD_TEXT.replace("31m", "32m"), encoding="utf-8")
    git(ws, "commit", "-qam", "another portfolio")
    changed = warm(ws)
    git(ws, "checkout", "-q", "HEAD~1")
    later(monkeypatch, 20)
    base = warm(ws)
    assert base == cold(ws) != changed
    git(ws, "checkout", "-q", "-")
    later(monkeypatch, 30)
    assert warm(ws) == changed == cold(ws)  # one output is kept per set of options: the base's replaced it
    runs = len(cli_runs)
    assert warm(ws) == changed and len(cli_runs) == runs


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign key", "flipped byte"])
def test_a_damaged_or_foreign_record_is_ignored(ws, cli_runs, monkeypatch, damage):
    import hashlib
    import hmac

    expected = warm(ws)
    for pack in (ws.parent / "cache").glob("*.out"):
        blob = pack.read_bytes()
        if damage == "garbage":
            blob = b"garbage"
        elif damage == "truncated":
            blob = blob[:-5]
        elif damage == "flipped byte":
            blob = blob[:-3] + bytes([blob[-3] ^ 1]) + blob[-2:]
        else:  # a pack signed with another key, claiming the workspace has no findings
            payload = f"{AS_OF} {'00' * 24} 0 0\n".encode()
            blob = b"PPMOUTPUT1\n" + hmac.new(b"k" * 32, payload, hashlib.sha256).digest() + payload
        pack.write_bytes(blob)
    assert warm(ws) == expected and len(cli_runs) == 2


def test_a_replayed_run_imports_nothing_heavy(ws, tmp_path):
    env = {**os.environ, "PPM_CACHE_DIR": str(tmp_path / "cache")}
    # As if ten seconds had passed since the files were written, so that their stat data vouch for them.
    script = "import sys, time; now = time.time_ns; time.time_ns = lambda: now() + 10**10; from ppmcli.__main__ import main; raise SystemExit(main())"
    argv = [sys.executable, "-X", "importtime", "-c", script, "-C", str(ws), "--as-of", AS_OF, "check"]
    first = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    second = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout) == (1, cold(ws)[1])
    imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines() if line.startswith("import time:")}
    assert "ppmcli.replay" in imported and "ppmcli.cli" in {line.rsplit("|", 1)[-1].strip() for line in first.stderr.splitlines()}
    heavy = ("typer", "click", "pydantic", "yaml", "ryml", "rich", "json", "typing", "pathlib", "ppmcli.cli", "ppmcli.core.model", "ppmcli.load.loader", "ppmcli.load.cache")
    assert sorted(name for name in imported if name.split(".")[0] in heavy or name in heavy) == []
    assert second.stderr.splitlines()[-1] == cold(ws)[2].strip()


def test_records_are_signed_plain_text_in_a_private_folder(ws, monkeypatch):
    later(monkeypatch)
    warm(ws, "--format", "json")
    cache = ws.parent / "cache"
    outs = list(cache.glob("*.out"))
    assert len(outs) == 1 and len(list(cache.glob("*.stat"))) == 1
    for pack in (*outs, *cache.glob("*.stat")):
        assert oct(pack.stat().st_mode & 0o777) == "0o600"
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    body = outs[0].read_bytes()[len(b"PPMOUTPUT1\n") + 32 :]
    head, _, text = body.partition(b"\n")
    assert head.decode("ascii").split(" ")[0] == AS_OF and text.decode("utf-8").startswith("[")


def test_stat_data_vouch_for_nothing_below_the_deepest_folder_the_loader_reads(ws):
    from ppmcli.core.bounds import MAX_FOLDER_DEPTH

    later_ns = time.time_ns() + RACY_NS + 10**9
    assert snapshot(str(ws), later_ns) is not None
    (ws / "people" / "/".join(["d"] * (MAX_FOLDER_DEPTH + 1))).mkdir(parents=True)
    assert snapshot(str(ws), later_ns) is None
