"""`ppm init`: a small workspace that passes `ppm check`, written only where nothing would be overwritten."""

from __future__ import annotations

import json
from datetime import date

from conftest import run_ppm
from ppmcli.scaffold import write_workspace


def test_init_writes_a_workspace_that_passes_check(tmp_path):
    code, out, _ = run_ppm("init", tmp_path / "new")
    assert code == 0 and "created" in out
    code, out, err = run_ppm("-C", tmp_path / "new", "check", "--fail-on", "warning")
    assert (code, out) == (0, ""), err
    for command in (["report", "--format", "json"], ["prioritize", "--budget", "300000", "--format", "json"], ["capacity", "--format", "json"]):
        code, out, err = run_ppm("-C", tmp_path / "new", *command)
        assert code == 0, err
        json.loads(out)


def test_init_passes_check_a_year_later_too(tmp_path):
    write_workspace(tmp_path, today=date(2026, 12, 31))
    code, out, _ = run_ppm("-C", tmp_path, "--as-of", "2027-12-31", "check")
    assert (code, out) == (0, "")


def test_init_refuses_to_overwrite(tmp_path):
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "pat.yaml").write_text("mine\n")
    code, out, err = run_ppm("init", tmp_path)
    assert code == 2 and out == ""
    assert "people/pat.yaml already exists; ppm init never overwrites files" in err
    assert (tmp_path / "people" / "pat.yaml").read_text() == "mine\n"
    assert not (tmp_path / "ppm.yaml").exists()  # nothing written at all


def test_init_writes_editor_schemas(tmp_path):
    write_workspace(tmp_path)
    schema = json.loads((tmp_path / ".ppm" / "schema" / "project.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (tmp_path / "projects" / "new-website.yaml").read_text().startswith("# yaml-language-server: $schema=../.ppm/schema/project.json\n")
    assert (tmp_path / "scenarios" / "budget-cut.yaml").read_text().startswith("# yaml-language-server: $schema=../.ppm/schema/scenario.json\n")
    assert json.loads((tmp_path / ".ppm" / "schema" / "scenario.json").read_text())["$id"] == "ppm:scenario"
