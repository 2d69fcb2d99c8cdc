"""The hostile-input corpus: each file of tests/hostile/ is checked as a person file; ppm answers with findings, never a crash, a hang or a leak."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_ppm
from ppmcli.load.sources import FileSource, unreadable

CORPUS = Path(__file__).parent / "hostile"
LINE = re.compile(r"^people/[\w.-]+:\d+:\d+: (error|warning): .+ \[[a-z-]+\]$")

# file → the finding code it must produce (None: it is valid)
EXPECTED = {
    "binary.yaml": "unreadable-file",
    "latin1.yaml": "unreadable-file",
    "empty.yaml": "missing-field",
    "top-level-list.yaml": "invalid-value",
    "top-level-scalar.yaml": "invalid-value",
    "billion-laughs.yaml": "yaml-syntax",
    "alias-string-bomb.yaml": "yaml-syntax",
    "python-tag.yaml": "yaml-syntax",
    "custom-tag.yaml": "yaml-syntax",
    "recursive-alias.yaml": "yaml-syntax",
    "400-digits.yaml": "invalid-value",
    "5000-digits.yaml": "invalid-value",
    "hex-4400-digits.yaml": "invalid-value",  # beyond the 4,300 digits Python turns into text
    "sexagesimal-3000-groups.yaml": "invalid-value",
    "impossible-date.yaml": "invalid-value",
    "year-0001.yaml": "invalid-value",
    "year-9999.yaml": "invalid-value",
    "nan.yaml": "invalid-value",
    "quoted-number.yaml": "invalid-value",
    "bool-capacity.yaml": "invalid-value",
    "syntax-error.yaml": "yaml-syntax",
    "tab-indent.yaml": "yaml-syntax",
    "two-documents.yaml": "yaml-syntax",
    "deep-flow.yaml": "yaml-syntax",
    "deep-block.yaml": "yaml-syntax",
    "complex-key.yaml": "yaml-syntax",
    "merge-key.yaml": None,
    "bom.yaml": None,
}


def check(root: Path) -> tuple[int, list[str], str]:
    code, out, err = run_ppm("-C", root, "check", "--as-of", "2026-11-25")
    return code, out.splitlines(), err


def test_corpus_is_complete():
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(make_workspace, name):
    root = make_workspace({})
    (root / "people").mkdir()
    shutil.copy(CORPUS / name, root / "people" / name)
    code, lines, err = check(root)
    assert "Traceback" not in err and "internal error" not in err
    assert all(LINE.match(line) for line in lines), lines
    codes = {line.rsplit("[", 1)[1].rstrip("]") for line in lines}
    if EXPECTED[name] is None:
        assert (code, lines) == (0, [])
    else:
        assert EXPECTED[name] in codes and code == 1
    assert "pwned" not in "".join(lines) + err


def test_symlink_out_of_the_workspace_is_refused_unread(make_workspace, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: TOP-SECRET-CONTENT\nrole: [\n")
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    os.symlink(secret, root / "people" / "leak.yaml")
    os.symlink(tmp_path, root / "projects")
    code, lines, err = check(root)
    assert lines == [
        "people/leak.yaml:1:1: error: symbolic link points outside the workspace; not followed [unreadable-file]",
        "projects:1:1: error: symbolic link points outside the workspace; not followed [unreadable-file]",
    ]
    assert "TOP-SECRET" not in "".join(lines) + err
    assert code == 1


def test_symlink_loops_are_findings_and_the_other_files_are_checked(make_workspace):
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n", "people/bad.yaml": "name: Bad\n"})
    os.symlink("self.yaml", root / "people" / "self.yaml")
    os.symlink("b.yaml", root / "people" / "a.yaml")
    os.symlink("a.yaml", root / "people" / "b.yaml")
    os.symlink("round", root / "people" / "again")
    os.symlink("again", root / "people" / "round")
    os.symlink("programs", root / "programs")
    os.symlink(".", root / "people" / "here")  # a folder linked into itself, and into its parent
    (root / "people" / "team").mkdir()
    os.symlink("..", root / "people" / "team" / "up")
    os.symlink("team", root / "people" / "zz-same-team")  # a second name for a folder read already: read once, no finding
    code, lines, err = check(root)
    loop = "error: symbolic link leads round in a loop back to itself; not followed [unreadable-file]"
    assert lines == [
        f"people/a.yaml:1:1: {loop}",
        f"people/again:1:1: {loop}",
        f"people/b.yaml:1:1: {loop}",
        "people/bad.yaml:1:1: error: missing required field 'role' [missing-field]",
        f"people/here:1:1: {loop}",
        f"people/round:1:1: {loop}",
        f"people/self.yaml:1:1: {loop}",
        f"people/team/up:1:1: {loop}",
        f"programs:1:1: {loop}",
    ]
    assert code == 1 and "internal error" not in err


def test_a_link_through_a_file_is_unreadable_not_a_loop(make_workspace):
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    os.symlink("ok.yaml/x.yaml", root / "people" / "through.yaml")
    code, lines, err = check(root)
    assert lines == ["people/through.yaml:1:1: error: cannot be read: Not a directory [unreadable-file]"] and code == 1 and err.count("internal") == 0


def test_file_swapped_for_a_link_out_after_listing_is_not_read(make_workspace, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: TOP-SECRET-CONTENT\n")
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    source = FileSource(root)
    paths, _ = source.files()
    (root / "people" / "ok.yaml").unlink()
    os.symlink(secret, root / "people" / "ok.yaml")
    assert source.read("people/ok.yaml") == unreadable("people/ok.yaml", "symbolic link points outside the workspace; not followed")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_reported_without_blocking(make_workspace):
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    os.mkfifo(root / "people" / "pipe.yaml")
    code, lines, _ = check(root)
    assert lines == ["people/pipe.yaml:1:1: error: not a regular file [unreadable-file]"] and code == 1


def test_links_to_an_ancestor_or_to_another_kinds_folder_read_nothing_twice(make_workspace):
    # projects/mobile/root -> ../.. read the whole workspace again as projects (253 bogus errors on acme), and
    # projects/staff -> ../people read every person as a project.
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    (root / "projects" / "mobile").mkdir(parents=True)
    os.symlink("../..", root / "projects" / "mobile" / "root")
    os.symlink("../people", root / "projects" / "staff")
    (root / "data").mkdir()
    os.symlink("../data", root / "projects" / "data")  # a folder that holds another kind's folder
    os.rename(root / "people", root / "data" / "people")
    os.symlink("data/people", root / "people")
    code, lines, err = check(root)
    assert lines == ["projects/mobile/root:1:1: error: symbolic link leads round in a loop back to itself; not followed [unreadable-file]"]
    assert code == 1 and "internal error" not in err


def test_symlink_inside_the_workspace_is_followed(make_workspace):
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    (root / "people" / "sub").mkdir()
    os.symlink(root / "people" / "ok.yaml", root / "people" / "sub" / "alias.yaml")
    code, lines, _ = check(root)
    assert code == 0 and lines == []


def test_directory_named_like_a_yaml_file(make_workspace):
    root = make_workspace({})
    (root / "people" / "x.yaml").mkdir(parents=True)
    code, lines, _ = check(root)
    assert lines == ["people/x.yaml:1:1: error: 'x.yaml' is a folder, not a YAML file [unreadable-file]"] and code == 1


def test_fifty_megabyte_file_is_not_read(make_workspace):
    root = make_workspace({})
    (root / "people").mkdir()
    with open(root / "people" / "huge.yaml", "w") as handle:
        handle.write("name: x\nrole: y\nnote: ")
        handle.write("x" * 50_000_000)
    code, lines, _ = check(root)
    assert lines == ["people/huge.yaml:1:1: error: file is 50.0 MB, above the 4 MiB limit for a workspace file; not read [unreadable-file]"]


def test_unreadable_file(make_workspace, monkeypatch):
    root = make_workspace({"people/locked.yaml": "name: x\nrole: y\n"})
    real_open = os.open

    def deny(path, *args, **kwargs):  # root reads any file whatever its mode, so deny it here
        if str(path).endswith("locked.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("os.open", deny)
    code, lines, _ = check(root)
    assert lines == ["people/locked.yaml:1:1: error: permission denied [unreadable-file]"]


def test_no_workspace_is_one_sentence_and_exit_2(tmp_path):
    code, out, err = run_ppm("-C", tmp_path, "check")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "has no ppm.yaml" in err


# ---------------------------------------------------------------- links to dot-paths, deep folders, file names


TOKEN = "ghs_TOPSECRETTOKEN"
HIDDEN = "symbolic link points to a dot-file or into a dot-folder (such as .git); not followed [unreadable-file]"


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_links_to_dot_files_and_into_git_are_refused_unread(make_workspace, fmt):
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n", ".ci-token": f"name: {TOKEN}\nrole: [\n", ".git/config": f"[core]\n\tname = {TOKEN}\n"})
    (root / "projects").mkdir()
    os.symlink("../.ci-token", root / "projects" / "notes.yaml")
    os.symlink(root / ".git" / "config", root / "people" / "config.yaml")
    os.symlink("../.git", root / "people" / "repo")  # a folder of links to walk into
    (root / ".hidden").mkdir()
    (root / ".hidden" / "x.yaml").write_text(f"name: {TOKEN}\n")
    os.symlink("../.hidden/x.yaml", root / "people" / "repo2.yaml")
    code, out, err = run_ppm("-C", root, "check", "--format", fmt)
    assert TOKEN not in out + err
    assert code == 1
    if fmt == "text":
        assert out.splitlines() == [f"{path}:1:1: error: {HIDDEN}" for path in ("people/config.yaml", "people/repo", "people/repo2.yaml", "projects/notes.yaml")]


def test_settings_linked_to_a_dot_file_is_refused_unread(make_workspace):
    root = make_workspace({".ci-token": f"name: {TOKEN}\n"}, settings=None)
    os.symlink(".ci-token", root / "ppm.yaml")
    code, out, err = check(root)
    assert out == [f"ppm.yaml:1:1: error: {HIDDEN}"] and TOKEN not in "".join(out) + err


def test_folders_nested_1500_deep_give_one_finding(make_workspace):
    from ppmcli.load.sources import MAX_FOLDER_DEPTH

    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    levels = [root / ("people" + "/d" * depth) for depth in range(1, 1501)]
    try:
        for folder in levels:  # os.makedirs recurses
            folder.mkdir()
        code, lines, err = check(root)
    finally:  # deepest first: pytest's own clean-up recurses too
        for folder in reversed(levels):
            if folder.exists():
                folder.rmdir()
    at = "people" + "/d" * MAX_FOLDER_DEPTH
    assert lines == [f"{at}:1:1: error: folders nest deeper than {MAX_FOLDER_DEPTH} levels; the files below are not read [unreadable-file]"]
    assert code == 1 and "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize("name", ["a\n::stop-commands::x.yaml", "evil\u202eLMY.yaml", "esc\x1b[2J.yaml"])
def test_a_file_name_with_a_control_character_is_not_read(make_workspace, name):
    # Its id reached every output: 'a\n::stop-commands::x' put a workflow command on a line of its own in CSV.
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n", f"people/{name}": "name: X\nrole: x\n"})
    code, out, err = run_ppm("-C", root, "check", "--no-cache")
    assert out.endswith(".yaml:1:1: error: file name holds a control character (a line break, an escape, a bidi override); not read (rename the file) [unreadable-file]\n")
    assert code == 1 and out.count("\n") == 1 and out.startswith("people/")


@pytest.mark.parametrize("cache", [True, False])
def test_file_name_with_invalid_utf8_is_reported_escaped(make_workspace, tmp_path, monkeypatch, cache):
    monkeypatch.setenv("PPM_CACHE_DIR", str(tmp_path / "cache"))
    root = make_workspace({"people/ok.yaml": "name: Ok\nrole: x\n"})
    with open(os.path.join(os.fsencode(root / "people"), b"bad\xff\xfe.yaml"), "w") as handle:
        handle.write("name: X\nrole: x\n")
    for _ in range(2):  # cold, then warm
        code, out, err = run_ppm("-C", root, "check", *([] if cache else ["--no-cache"]))
        assert out == "people/bad\\xff\\xfe.yaml:1:1: error: file name is not UTF-8 text; not read (rename the file) [unreadable-file]\n"
        assert code == 1 and "internal error" not in err


def test_one_long_string_aliased_1500_times_is_refused_at_once(make_workspace):
    """The issue's diff-comment bomb: 1 MB of text, aliased 1,500 times in `tags:`."""
    import time

    from ppmcli.load.yamlpos import MAX_EXPANDED_CHARS

    root = make_workspace({"projects/bomb.yaml": "name: &s " + "x" * 1_000_000 + "\ntags: [" + ", ".join(["*s"] * 1500) + "]\n"})
    start = time.perf_counter()
    code, lines, err = check(root)
    assert time.perf_counter() - start < 5
    # 'name' and 'tags' (8), the string (10^6) and its 1,500 aliases
    assert lines == [f"projects/bomb.yaml:1:1: error: aliases expand to 1,501,000,008 characters of text, above the limit of {MAX_EXPANDED_CHARS:,} (an alias bomb?) [yaml-syntax]"]
    assert code == 1


def test_aliases_of_short_values_are_still_fine(make_workspace):
    root = make_workspace({"people/a.yaml": "name: &n Ann\nrole: *n\n"})
    code, lines, err = check(root)
    assert (code, lines) == (0, [])
