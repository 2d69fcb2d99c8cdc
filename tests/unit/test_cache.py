"""The cache of parsed files: warm runs give the same output; corrupt or foreign packs are ignored, never trusted."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import pickle
import stat
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ACME, run_ppm
from ppmcli.load.cache import _MAGIC, _RESULT, FileCache, _pack_name, ResultCache, decode_parsed, encode_parsed, fingerprint, refusals, result_key
from ppmcli.core.findings import Finding, Severity
from ppmcli.load.yamlpos import parse_yaml
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource


def test_warm_load_equals_cold(tmp_path):
    cold, cold_findings = load(FileSource(ACME))
    load(FileSource(ACME), FileCache(tmp_path, "acme"))
    warm, warm_findings = load(FileSource(ACME), FileCache(tmp_path, "acme"))
    assert warm == cold and warm_findings == cold_findings


def test_warm_run_parses_nothing_and_a_change_parses_one_file(tmp_path, monkeypatch, make_workspace):
    import ppmcli.load.loader as loader

    # Anchors send the files the careful way, whose parses the pack keeps.
    root = make_workspace({"people/a.yaml": "name: &n A\nrole: x\n", "people/b.yaml": "name: &n B\nrole: x\n"})
    load(FileSource(root), FileCache(tmp_path, str(root)))
    parsed = []
    real = loader.parse_file
    monkeypatch.setattr(loader, "parse_file", lambda path, *a: parsed.append(path) or real(path, *a))
    load(FileSource(root), FileCache(tmp_path, str(root)))
    assert parsed == ["ppm.yaml"]  # parsed the fast way, so parsed again
    parsed.clear()
    (root / "people" / "b.yaml").write_text("name: &n B\nrole: y\n")
    workspace, _ = load(FileSource(root), FileCache(tmp_path, str(root)))
    assert parsed == ["people/b.yaml", "ppm.yaml"] and workspace.people["b"].role == "y"


def test_corrupt_and_foreign_packs_are_ignored(tmp_path, make_workspace):
    root = make_workspace({"people/a.yaml": "name: &n A\nrole: x\n"})
    cache = FileCache(tmp_path, str(root))
    load(FileSource(root), cache)
    pack = cache.pack
    for content in (b"garbage", pack.read_bytes()[:-7], _MAGIC + b"\0" * 32 + pickle.dumps({"evil": 1})):
        pack.write_bytes(content)
        workspace, findings = load(FileSource(root), FileCache(tmp_path, str(root)))
        assert workspace.people["a"].name == "A" and findings == []
    assert pack.read_bytes().startswith(_MAGIC)  # rebuilt


def test_unusable_cache_folder_costs_nothing(tmp_path, make_workspace):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n"})
    workspace, findings = load(FileSource(root), FileCache(blocker / "ppm", str(root)))
    assert workspace.people["a"].name == "A" and findings == []
    assert refusals() == [f"cache not used: '{blocker / 'ppm'}': it cannot be created (Not a directory)"]


@pytest.mark.parametrize(("folder", "why"), [("file", "it is not a folder"), ("file/below", "it cannot be created (Not a directory)")])
def test_a_cache_folder_that_cannot_be_used_is_said_once_and_the_run_goes_on(tmp_path, monkeypatch, folder, why):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("PPM_CACHE_DIR", str(tmp_path / folder))
    code, out, err = run_ppm("-C", ACME, "--as-of", "2026-11-25", "check", "--fail-on", "never")
    assert code == 0 and out and err.startswith(f"ppm: cache not used: '{tmp_path / folder}': {why}\n") and err.count("cache not used") == 1


def test_no_cache_option(tmp_path, monkeypatch):
    monkeypatch.setenv("PPM_CACHE_DIR", str(tmp_path / "c"))
    run_ppm("-C", ACME, "--as-of", "2026-11-25", "check", "--no-cache")
    assert not (tmp_path / "c").exists()
    run_ppm("-C", ACME, "--as-of", "2026-11-25", "check")
    assert list((tmp_path / "c").glob("*.pack"))


def test_two_versions_share_a_pack_without_evicting_each_other(tmp_path, monkeypatch, make_workspace):
    import ppmcli.load.loader as loader

    root = make_workspace({"people/a.yaml": "name: &n A\nrole: x\n"})
    versions = ["name: &n A\nrole: x\n", "name: &n A\nrole: y\n"]
    for text in versions * 2:  # as `diff` does: base, head, base, head
        (root / "people" / "a.yaml").write_text(text)
        load(FileSource(root), FileCache(tmp_path, "shared"))
    parsed = []
    real = loader.parse_file
    monkeypatch.setattr(loader, "parse_file", lambda path, *a: parsed.append(path) or real(path, *a))
    for text in versions:
        (root / "people" / "a.yaml").write_text(text)
        load(FileSource(root), FileCache(tmp_path, "shared"))
    assert "people/a.yaml" not in parsed


def test_unchanged_workspace_check_is_answered_without_loading(make_workspace, monkeypatch, tmp_path):
    import ppmcli.load.loader as loader

    monkeypatch.setenv("PPM_CACHE_DIR", str(tmp_path / "c"))
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\nrle: y\n"})
    first = run_ppm("-C", root, "--as-of", "2026-11-25", "check")
    loads = []
    real = loader.load
    monkeypatch.setattr(loader, "load", lambda *a, **k: loads.append(1) or real(*a, **k))
    assert run_ppm("-C", root, "--as-of", "2026-11-25", "check") == first and loads == []
    assert run_ppm("-C", root, "--as-of", "2026-11-26", "check") == first and loads == [1]  # another date: computed
    (root / "people" / "a.yaml").write_text("name: A\nrole: x\n")
    assert run_ppm("-C", root, "--as-of", "2026-11-25", "check")[0] == 0 and loads == [1, 1]


def test_each_result_is_a_file_of_its_own_and_only_the_newest_are_kept(tmp_path, monkeypatch):
    from ppmcli.load import cache

    monkeypatch.setattr(cache, "_MAX_RESULTS", 2)
    results = ResultCache(tmp_path, "ws")
    finding = Finding("people/a.yaml", 2, 1, Severity.WARNING, "unknown-field", "'rle' is not a field \udc80")
    for index, key in enumerate((b"k1", b"k2", b"k3")):
        results.put(key, ([finding] * index, index))
        time.sleep(0.01)  # distinct modification times
    assert len(list(tmp_path.glob("*.result"))) == 2
    assert results.get(b"k1") is None  # the oldest was forgotten
    assert results.get(b"k2") == ([finding], 1) and results.get(b"k3") == ([finding] * 2, 2)
    assert results.get(b"k4") is None
    old_pack = tmp_path / (_pack_name("ws") + ".results")  # every result in one pack, as ppm kept them before
    old_pack.write_bytes(b"x" * 100)
    results.put(b"k5", ([], 0))
    assert not old_pack.exists()


def test_check_reads_each_file_once_for_its_fingerprint_and_its_load(monkeypatch, make_workspace):
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n", "people/b.yaml": "name: B\nrole: x\n"})
    reads, listings = [], []
    real_read, real_walk = FileSource._read, FileSource._list
    monkeypatch.setattr(FileSource, "_read", lambda self, path: reads.append(path) or real_read(self, path))
    monkeypatch.setattr(FileSource, "_list", lambda self, folder, *a: listings.append(folder.name) or real_walk(self, folder, *a))
    code, _, _ = run_ppm("-C", root, "check")  # a result-cache miss: fingerprint, then load
    assert code == 0
    assert sorted(reads) == ["people/a.yaml", "people/b.yaml", "ppm.yaml"]
    assert listings.count("people") == 1


# ---------------------------------------------------------------- nothing on disk can run code


class _RunsCode:
    """Unpickling this runs `touch marker` (what a planted pack did)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_pack_an_older_ppm_wrote_is_replaced_not_read_on_every_run(tmp_path, make_workspace):
    # Plain files go the fast way: this run has no parse to keep, yet the old pack must not stay to be read (and refused) forever.
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n"})
    cache = FileCache(tmp_path, str(root))
    cache.pack.write_bytes(b"PPMCACHE3\n" + b"\0" * 32 + b"k\t[1]\n" * 1000)
    load(FileSource(root), cache)
    assert cache.pack.read_bytes().startswith(_MAGIC) and len(cache.pack.read_bytes()) < 100
    written = cache.pack.stat().st_mtime_ns
    time.sleep(0.01)
    load(FileSource(root), FileCache(tmp_path, str(root)))
    assert cache.pack.stat().st_mtime_ns == written  # a pack this ppm can use, with nothing new: left alone


def plant(directory, name: str, payload: bytes, magic: bytes, secret: bytes) -> None:
    directory.mkdir(mode=0o700, exist_ok=True)
    (directory / "secret").write_bytes(secret)
    (directory / "secret").chmod(0o600)
    (directory / name).write_bytes(magic + hmac.new(secret, payload, hashlib.sha256).digest() + payload)
    (directory / name).chmod(0o600)


@pytest.mark.parametrize("magic", [b"PPMCACHE2\n", _MAGIC])
def test_a_planted_key_and_pickled_pack_run_nothing(tmp_path, make_workspace, magic, monkeypatch):
    """The issue's attack: a key and a pack signed with it, whose unpickling runs a command."""
    root = make_workspace({"people/a.yaml": "name: &n A\nrole: x\n"})
    marker = tmp_path / "pwned"
    cache_dir = tmp_path / "cache"
    payload = pickle.dumps({b"k": _RunsCode(str(marker))})
    plant(cache_dir, _pack_name(str(root)) + ".pack", payload, magic, b"k" * 32)
    # The result `check` will look up, at the name it will look for.
    key = result_key(fingerprint(FileSource(root)), "check", "2026-11-25")
    plant(cache_dir, f"{_pack_name(str(root))}.{key.hex()}.result", payload, _RESULT, b"k" * 32)
    monkeypatch.setenv("PPM_CACHE_DIR", str(cache_dir))
    workspace, findings = load(FileSource(root), FileCache(cache_dir, str(root)))
    assert workspace.people["a"].name == "A" and findings == []
    assert run_ppm("-C", root, "--as-of", "2026-11-25", "check")[0] == 0
    assert run_ppm("-C", root, "score")[0] == 0
    assert not marker.exists()
    for pack in cache_dir.glob("*.*"):
        assert b"\x80" not in pack.read_bytes()[len(_MAGIC) + 32 :]  # rewritten as text, no pickle left


def test_packs_are_json_text_of_the_careful_parses_only(tmp_path, monkeypatch):
    from ppmcli.load import fastyaml

    careful = []
    real = fastyaml.parse_yaml
    monkeypatch.setattr(fastyaml, "parse_yaml", lambda text, path: careful.append(path) or real(text, path))
    cache = FileCache(tmp_path, "acme")
    cold = load(FileSource(ACME), cache)
    payload = cache.pack.read_bytes()[len(_MAGIC) + 32 :]
    lines = payload.decode("ascii").splitlines()
    # A file the fast way parsed is parsed again faster than its cached parse is decoded: only the others are kept.
    assert 0 < len(lines) == len(careful) < len(FileSource(ACME).files()[0])
    assert all(len(line.split("\t")[0]) == 40 and line.split("\t")[1].startswith("[") for line in lines)
    assert load(FileSource(ACME), FileCache(tmp_path, "acme")) == cold


@pytest.mark.parametrize(
    ("target", "mode", "why"),
    [
        ("folder", 0o755, "may be read or written by others (mode 0755, not 0700)"),
        ("folder", 0o770, "may be read or written by others (mode 0770, not 0700)"),
        ("key", 0o644, "may be read or written by others (mode 0644, not 0600)"),
        ("key", 0o602, "may be read or written by others (mode 0602, not 0600)"),
    ],
)
def test_a_cache_others_may_touch_is_not_used_and_said_once(tmp_path, make_workspace, monkeypatch, target, mode, why):
    import ppmcli.load.loader as loader

    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n"})
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("PPM_CACHE_DIR", str(cache_dir))
    assert run_ppm("-C", root, "check") == (0, "", "2 files checked: no problems\n")
    packs = sorted(p.name for p in cache_dir.iterdir())
    (cache_dir if target == "folder" else cache_dir / "secret").chmod(mode)
    monkeypatch.setattr("ppmcli.load.cache._SECRETS", {})  # a new process
    loads = []
    real = loader.load
    monkeypatch.setattr(loader, "load", lambda *a, **k: loads.append(1) or real(*a, **k))
    code, _, err = run_ppm("-C", root, "check")
    what = "its folder" if target == "folder" else "its key file"
    assert code == 0 and err == f"ppm: cache not used: '{cache_dir}': {what} {why}\n2 files checked: no problems\n"
    assert loads == [1]  # the result cache was not trusted
    assert sorted(p.name for p in cache_dir.iterdir()) == packs


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_cache_of_another_user_is_not_used(tmp_path, make_workspace, monkeypatch):
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n"})
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("PPM_CACHE_DIR", str(cache_dir))
    run_ppm("-C", root, "check")
    for target, what in ((cache_dir / "secret", "its key file"), (cache_dir, "its folder")):
        os.chown(target, 65534, 65534)
        monkeypatch.setattr("ppmcli.load.cache._SECRETS", {})
        code, _, err = run_ppm("-C", root, "check")
        assert code == 0 and err == f"ppm: cache not used: '{cache_dir}': {what} belongs to another user\n2 files checked: no problems\n"


def test_a_symlinked_key_is_not_followed(tmp_path, make_workspace, monkeypatch):
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n"})
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o700)
    elsewhere = tmp_path / "key"
    elsewhere.write_bytes(b"k" * 32)
    os.symlink(elsewhere, cache_dir / "secret")
    monkeypatch.setenv("PPM_CACHE_DIR", str(cache_dir))
    code, _, err = run_ppm("-C", root, "check")
    assert code == 0 and err.startswith(f"ppm: cache not used: '{cache_dir}': its key file cannot be opened") and err.count("\n") == 2


def test_a_failed_write_leaves_no_temporary_file(tmp_path, make_workspace, monkeypatch):
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n"})

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    cache = FileCache(tmp_path, str(root))
    workspace, _ = load(FileSource(root), cache)
    ResultCache(tmp_path, str(root)).put(b"k", ([], 1))
    assert workspace.people["a"].name == "A"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret", "ws"]
    assert stat.S_IMODE(os.stat(tmp_path / "secret").st_mode) == 0o600


# ---------------------------------------------------------------- the JSON form of a parse is exact

_scalars = st.one_of(
    st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.dates(), st.datetimes(timezones=st.one_of(st.none(), st.integers(-1439, 1439).map(lambda m: dt.timezone(dt.timedelta(minutes=m))))).map(lambda d: d.replace(fold=0)),
)
_keys = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.dates(), st.floats(allow_nan=False), st.just("\0d"), st.just("\0m"))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)), max_leaves=20)


def _typed(value):
    """A value with its types spelt out, so that 1 == 1.0 == True compare unequal."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


@given(_values)
def test_any_plain_value_survives_the_cache_exactly(value):
    from ppmcli.core.positions import Positions

    marks = {(): (0, 0), ("a", 0, dt.date(2026, 1, 2)): (1, 2, 3, 4), (None, True, 1.5): (5, 6)}
    back, positions, findings = decode_parsed(encode_parsed((value, Positions("p/\udcff.yaml", marks), [])))
    assert _typed(back) == _typed(value)
    assert positions == Positions("p/\udcff.yaml", marks) and findings == []


def test_a_parse_with_findings_survives_the_cache():
    text = "name: x\nname: y\n2026-01-01: d\n1: i\nnull: n\n\"\\0d\": t\nwhen: 2026-01-01 10:00:00+02:00\ntags: [a, &x b, *x]\n"
    parsed = parse_yaml(text, "people/x.yaml")
    assert parsed[2] and decode_parsed(encode_parsed(parsed)) == parsed


@pytest.mark.parametrize(
    "text",
    ["[]", "[1, 2, [], []]", '[{"\\u0000x": 1}, "p", [], []]', '[null, "p", [[[[1]], [1, 2]]], []]', '[null, "p", [], [["p", 1, 1, 7, "c", "m"]]]', "[" * 100_000],
)
def test_a_malformed_entry_is_a_miss(text, tmp_path):
    with pytest.raises((ValueError, TypeError, RecursionError)):
        decode_parsed(text)


# ---------------------------------------------------------------- the per-project rules' findings, kept per file


def _spared(monkeypatch, kind: str = "projects") -> list[set[str]]:
    """The projects (or people) each check that follows ran the per-project rules (the checks by person) on."""
    import ppmcli.analysis.checks as checks

    ran: list[set[str]] = []
    real = checks.sparing

    def spy(ws, known):
        spared = real(ws, known)
        ran.append(set(spared.projects.projects) if kind == "projects" else set(spared.people.people))
        return spared

    monkeypatch.setattr(checks, "sparing", spy)
    return ran


@pytest.fixture
def acme_copy(tmp_path, monkeypatch):
    """A copy of acme, checked with a cache of its own (`tmp_path / "cache"`)."""
    import shutil

    monkeypatch.setenv("PPM_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(ACME, tmp_path / "acme")
    return tmp_path / "acme"


def _checked_alike(root, as_of: str = "2026-06-01") -> tuple[int, str, str]:
    """`ppm check` through the cache, having asserted that it prints what a check without the cache prints."""
    warm = run_ppm("-C", root, "--as-of", as_of, "check")
    assert warm == run_ppm("-C", root, "--as-of", as_of, "--no-cache", "check")
    return warm


def _append(path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_a_check_runs_the_per_project_rules_only_on_the_projects_whose_files_changed(acme_copy, monkeypatch):
    root = acme_copy
    ran = _spared(monkeypatch)

    def spared_by_check(as_of: str = "2026-06-01") -> set[str]:
        assert _checked_alike(root, as_of)[1].count("[future-status]") >= 1  # the per-project rules find something here
        return ran[-2]  # the cached run's (the last is the run without the cache)

    everyone = {path.stem for path in (root / "projects").rglob("*.yaml")}
    assert spared_by_check() == everyone
    _append(root / "people" / "engineering" / "alice.yaml", "# a comment\n")
    assert spared_by_check() == set()  # another fingerprint: computed, but no project file changed
    project = root / "projects" / "web-checkout-redesign.yaml"
    project.write_text(project.read_text().replace("2026-09-25", "2026-09-24"))
    assert spared_by_check() == {"web-checkout-redesign"}
    assert spared_by_check("2026-06-02") == everyone  # another date: every project again
    _append(root / "ppm.yaml", "# a comment\n")
    assert spared_by_check("2026-06-02") == everyone  # ppm.yaml read again: every project again
    # A project without a portfolio of its own takes its program's: a program moved to another portfolio changes theirs.
    program = root / "programs" / "web-experience.yaml"
    program.write_text(program.read_text().replace("portfolio: digital", "portfolio: platform"))
    in_program = {path.stem for path in (root / "projects").rglob("*.yaml") if "program: web-experience" in path.read_text() and "\nportfolio:" not in "\n" + path.read_text()}
    assert spared_by_check("2026-06-02") == in_program and in_program


def test_a_damaged_or_foreign_pack_of_kept_findings_is_not_used(acme_copy, monkeypatch):
    from ppmcli.load.cache import _KEPT

    root = acme_copy
    _checked_alike(root)
    (pack,) = (root.parent / "cache").glob("*.kept")
    signed = pack.read_bytes()
    ran = _spared(monkeypatch)
    everyone = {path.stem for path in (root / "projects").rglob("*.yaml")}
    forged = _KEPT + b"\0" * 32 + signed[len(_KEPT) + 32 :].replace(b"future-status", b"stale-status")
    for content, spared in ((signed, set()), (b"garbage", everyone), (signed[:-9], everyone), (forged, everyone)):
        pack.write_bytes(content)
        _append(root / "people" / "engineering" / "alice.yaml", "# a comment\n")  # a new fingerprint, no project changed
        _checked_alike(root)
        assert ran[-2] == spared


def test_findings_of_a_per_project_rule_outside_project_files_are_not_kept():
    from ppmcli.analysis.checks import found_sparing, sparing
    from ppmcli.analysis.checks.delivery import check_stale_status
    from ppmcli.analysis.checks.staffing import check_overallocation

    ws, _ = load(FileSource(ACME))
    path = ws.file_of("projects", "invoice-ocr")
    own = Finding(path, 3, 1, Severity.WARNING, "stale-status", "old")
    elsewhere = Finding("people/engineering/alice.yaml", 1, 1, Severity.WARNING, "stale-status", "odd")
    booked = Finding(path, 9, 1, Severity.ERROR, "overallocation", "alice's")
    spared = sparing(ws, {("projects", "erp-finance-upgrade"), ("people", "bob")})
    found = found_sparing(spared, [check_stale_status, check_overallocation], [[own], [("alice", booked)]])
    projects = {ident: kept for (kind, ident), kept in found.kept.items() if kind == "projects"}
    people = {ident: kept for (kind, ident), kept in found.kept.items() if kind == "people"}
    assert found.parts == [[own], [booked]]
    assert projects["invoice-ocr"] == [own] and set(projects) == set(ws.projects) - {"erp-finance-upgrade"} and projects["supplier-portal"] == []
    assert people["alice"] == [booked] and set(people) == set(ws.people) - {"bob"}
    assert found_sparing(spared, [check_stale_status], [[own, elsewhere]]).kept == {}


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["date", "budget", "phase", "comment", "break", "remove", "program", "settings", "fte", "capacity"]),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(["2026-06-01", "2026-06-01", "2026-09-15"]),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EDITS)
def test_a_check_after_any_edits_finds_what_a_check_without_the_cache_finds(edits):
    import random
    import re
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="ppm-kept-"))
    root = folder / "acme"
    shutil.copytree(ACME, root)
    os.environ["PPM_CACHE_DIR"], before = str(folder / "cache"), os.environ["PPM_CACHE_DIR"]
    try:
        run_ppm("-C", root, "--as-of", "2026-06-01", "check")
        for kind, seed, as_of in edits:
            pick = random.Random(seed)
            projects = sorted((root / "projects").rglob("*.yaml"))
            people = sorted((root / "people").rglob("*.yaml"))
            path = {"program": root / "programs" / "web-experience.yaml", "settings": root / "ppm.yaml"}.get(kind) or pick.choice(people if kind == "capacity" else projects)
            text = path.read_text()
            if kind == "date":
                text = re.sub(r"20\d\d-\d\d-\d\d", lambda m: f"2026-{pick.randint(1, 12):02}-{pick.randint(1, 28):02}" if pick.random() < 0.3 else m[0], text)
            elif kind == "budget":
                text = re.sub(r"budget: \d+", f"budget: {pick.randint(1, 3_000_000)}", text)
            elif kind == "phase":
                text = re.sub(r"phase: \w+", "phase: " + pick.choice(["proposed", "planning", "execution", "monitoring", "closed", "cancelled"]), text)
            elif kind == "fte":  # now and then a percentage meant as a fraction: an invalid-value finding of the over-allocation check
                text = re.sub(r"fte: [\d.]+", lambda m: f"fte: {pick.choice([0.2, 0.5, 0.9, 1, 50])}" if pick.random() < 0.5 else m[0], text)
            elif kind == "capacity":
                text = re.sub(r"capacity: [\d.]+", f"capacity: {pick.choice([0.3, 0.5, 1])}", text) if "capacity:" in text else text + "capacity: 0.4\n"
            elif kind == "break":
                text += "\nname: [unclosed\n"
            elif kind == "program":
                text = re.sub(r"portfolio: \w+", "portfolio: " + pick.choice(["digital", "platform", "operations", "nowhere"]), text)
            elif kind == "settings":
                text = text + f"# {seed}\n" if seed % 2 else re.sub(r"stale_status_days: \d+", f"stale_status_days: {seed % 30 + 1}", text)
            if kind == "remove":
                path.unlink()
            else:
                path.write_text(text if kind != "comment" else text + f"# {seed}\n")
            _checked_alike(root, as_of)
    finally:
        os.environ["PPM_CACHE_DIR"] = before
        shutil.rmtree(folder)


def test_a_check_sweeps_again_only_the_people_a_change_reaches(acme_copy, monkeypatch):
    import re

    root = acme_copy
    ran = _spared(monkeypatch, "people")

    def swept_by_check() -> set[str]:
        _checked_alike(root)
        return ran[-2]  # the cached run's (the last is the run without the cache)

    everyone = {path.stem for path in (root / "people").rglob("*.yaml")}
    assert swept_by_check() == everyone
    project = root / "projects" / "platform" / "payments-gateway-upgrade.yaml"
    named = set(re.findall(r"person: ([\w-]+)", project.read_text())) & everyone
    project.write_text(project.read_text().replace("fte: 0.6", "fte: 0.9", 1))
    assert swept_by_check() == named and "alice" in named
    _append(root / "people" / "engineering" / "alice.yaml", "capacity: 0.5\n")
    assert swept_by_check() == {"alice"}
    _append(root / "ppm.yaml", "# a comment\n")
    assert swept_by_check() == everyone


def test_a_signed_pack_nested_too_deep_to_decode_is_a_miss_not_a_crash(acme_copy):
    from ppmcli.load.cache import _KEPT

    root = acme_copy
    cold = _checked_alike(root)
    cache = root.parent / "cache"
    secret = (cache / "secret").read_bytes()
    deep = b"[" * 200_000 + b"]" * 200_000
    for pattern, magic in (("*.kept", _KEPT), ("*.result", _RESULT)):
        for pack in cache.glob(pattern):
            pack.write_bytes(magic + hmac.new(secret, deep, hashlib.sha256).digest() + deep)
    for record in cache.glob("*.out"):
        record.unlink()  # so the result is looked for, not replayed
    project = root / "projects" / "invoice-ocr.yaml"
    _append(project, "# edited\n")
    _checked_alike(root)
    project.write_text(project.read_text().replace("# edited\n", ""))
    assert run_ppm("-C", root, "--as-of", "2026-06-01", "check") == cold  # the result signed deep is looked for again


# ---------------------------------------------------------------- builds and the folder's bound


def test_a_build_is_told_by_its_modules_sizes_and_times(tmp_path):
    from ppmcli.load.signed import build_of

    package = tmp_path / "ppmcli"
    (package / "load").mkdir(parents=True)
    (package / "cli.py").write_text("a = 1\n")
    (package / "load" / "rules.py").write_text("b = 2\n")
    (package / "README.txt").write_text("not a module\n")
    first = build_of(str(package))
    assert build_of(str(package)) == first
    (package / "README.txt").write_text("not a module, longer\n")
    assert build_of(str(package)) == first
    (package / "load" / "rules.py").write_text("b = 3\n")  # a rule changed under the same version: same size
    os.utime(package / "load" / "rules.py", ns=(1, 1))
    second = build_of(str(package))
    assert second != first and second.startswith("0.1.0+")
    (package / "load" / "new.py").write_text("")
    assert build_of(str(package)) != second


def test_the_cache_folder_keeps_the_files_of_the_workspaces_written_to_last(tmp_path):
    from ppmcli.load.signed import keep_recent

    for number in range(40):
        base = hashlib.sha256(str(number).encode()).hexdigest()[:32]
        for suffix in (".pack", ".kept", ".0123.result"):
            path = tmp_path / f"{base}{suffix}"
            path.write_bytes(b"PPMCACHE4\n...")
            os.utime(path, ns=(number * 10**9, number * 10**9 + (suffix == ".kept")))
    (tmp_path / "secret").write_bytes(b"k" * 32)
    (tmp_path / ".pack-half-written").write_text("x")
    # Not ppm's, though named like its files: another suffix, or not a pack inside (a photo saved by its MD5).
    strangers = {f"{hashlib.md5(b'photo').hexdigest()}.jpg", f"{hashlib.md5(b'odd').hexdigest()}.pack", "notes.txt"}
    for name in strangers:
        (tmp_path / name).write_bytes(b"\xff\xd8 not ours")
        os.utime(tmp_path / name, ns=(0, 0))
    keep_recent(tmp_path, 32)
    names = {path.name for path in tmp_path.iterdir()}
    kept = {hashlib.sha256(str(number).encode()).hexdigest()[:32] for number in range(8, 40)}
    assert {name[:32] for name in names - strangers if name[32:33] == "."} == kept
    assert len(names) == 32 * 3 + 2 + len(strangers) and {"secret", ".pack-half-written", *strangers} <= names


def test_a_check_clears_out_the_oldest_workspaces_files(tmp_path, monkeypatch):
    import ppmcli.load.signed as signed

    cache = tmp_path / "cache"
    monkeypatch.setenv("PPM_CACHE_DIR", str(cache))
    monkeypatch.setattr(signed, "_PRUNED", [])
    assert run_ppm("-C", ACME, "--as-of", "2026-11-25", "check")[0] == 1
    ours = {path.name[:32] for path in cache.iterdir() if path.name[32:33] == "."}
    for number in range(signed.MAX_WORKSPACES):
        stale = cache / f"{number:032x}.pack"
        stale.write_bytes(b"PPMCACHE3\n")  # an older ppm's pack
        os.utime(stale, ns=(number, number))
    monkeypatch.setattr(signed, "_PRUNED", [])
    (cache / f"{0:032x}.pack").touch()  # used lately: kept
    assert run_ppm("-C", ACME, "--as-of", "2026-11-24", "check")[0] == 1
    left = {path.name[:32] for path in cache.iterdir() if path.name[32:33] == "."}
    assert ours <= left and f"{0:032x}" in left and f"{1:032x}" not in left and len(left) == signed.MAX_WORKSPACES
