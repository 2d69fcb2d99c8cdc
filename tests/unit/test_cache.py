"""The cache of parsed files: warm runs give the same output; corrupt or foreign packs are ignored, never trusted."""

from __future__ import annotations

import pickle

from conftest import ACME, run_ppm
from ppmcli.load.cache import _MAGIC, FileCache
from ppmcli.load.loader import load
from ppmcli.load.sources import FileSource


def test_warm_load_equals_cold(tmp_path):
    cold, cold_findings = load(FileSource(ACME))
    load(FileSource(ACME), FileCache(tmp_path, "acme"))
    warm, warm_findings = load(FileSource(ACME), FileCache(tmp_path, "acme"))
    assert warm == cold and warm_findings == cold_findings


def test_warm_run_parses_nothing_and_a_change_parses_one_file(tmp_path, monkeypatch, make_workspace):
    import ppmcli.load.loader as loader

    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n", "people/b.yaml": "name: B\nrole: x\n"})
    load(FileSource(root), FileCache(tmp_path, str(root)))
    parsed = []
    real = loader.parse_file
    monkeypatch.setattr(loader, "parse_file", lambda path, *a: parsed.append(path) or real(path, *a))
    load(FileSource(root), FileCache(tmp_path, str(root)))
    assert parsed == []
    (root / "people" / "b.yaml").write_text("name: B\nrole: y\n")
    workspace, _ = load(FileSource(root), FileCache(tmp_path, str(root)))
    assert parsed == ["people/b.yaml"] and workspace.people["b"].role == "y"


def test_corrupt_and_foreign_packs_are_ignored(tmp_path, make_workspace):
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n"})
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


def test_no_cache_option(tmp_path, monkeypatch):
    monkeypatch.setenv("PPM_CACHE_DIR", str(tmp_path / "c"))
    run_ppm("-C", ACME, "--as-of", "2026-11-25", "check", "--no-cache")
    assert not (tmp_path / "c").exists()
    run_ppm("-C", ACME, "--as-of", "2026-11-25", "check")
    assert list((tmp_path / "c").glob("*.pack"))


def test_two_versions_share_a_pack_without_evicting_each_other(tmp_path, monkeypatch, make_workspace):
    import ppmcli.load.loader as loader

    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n"})
    versions = ["name: A\nrole: x\n", "name: A\nrole: y\n"]
    for text in versions * 2:  # as `diff` does: base, head, base, head
        (root / "people" / "a.yaml").write_text(text)
        load(FileSource(root), FileCache(tmp_path, "shared"))
    parsed = []
    real = loader.parse_file
    monkeypatch.setattr(loader, "parse_file", lambda path, *a: parsed.append(path) or real(path, *a))
    for text in versions:
        (root / "people" / "a.yaml").write_text(text)
        load(FileSource(root), FileCache(tmp_path, "shared"))
    assert parsed == []


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


def test_check_reads_each_file_once_for_its_fingerprint_and_its_load(monkeypatch, make_workspace):
    root = make_workspace({"people/a.yaml": "name: A\nrole: x\n", "people/b.yaml": "name: B\nrole: x\n"})
    reads, listings = [], []
    real_read, real_walk = FileSource._read, FileSource._walk
    monkeypatch.setattr(FileSource, "_read", lambda self, path: reads.append(path) or real_read(self, path))
    monkeypatch.setattr(FileSource, "_walk", lambda self, folder, *a: listings.append(folder.name) or real_walk(self, folder, *a))
    code, _, _ = run_ppm("-C", root, "check")  # a result-cache miss: fingerprint, then load
    assert code == 0
    assert sorted(reads) == ["people/a.yaml", "people/b.yaml", "ppm.yaml"]
    assert listings.count("people") == 1
