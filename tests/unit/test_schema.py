"""`ppm schema`: JSON Schema (draft 2020-12) derived from the models accepts every example file and rejects invalid ones."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ACME, run_ppm
from ppmcli.load.schema_export import SCHEMA_KINDS, schema_for

KIND_OF_FOLDER = {"portfolios": "portfolio", "programs": "program", "projects": "project", "people": "person", "scenarios": "scenario"}


def as_json_value(value):
    """YAML values as a JSON editor sees them: dates become strings."""
    if isinstance(value, dict):
        return {str(k): as_json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_value(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def example_files() -> list[tuple[str, Path]]:
    files = [("settings", ACME / "ppm.yaml")]
    for folder, kind in KIND_OF_FOLDER.items():
        files += [(kind, path) for path in sorted((ACME / folder).rglob("*.yaml"))]
    return files


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = schema_for(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize(("kind", "path"), example_files(), ids=lambda x: str(x).split("acme/")[-1])
def test_every_example_file_conforms(kind, path):
    errors = list(validator(kind).iter_errors(as_json_value(yaml.safe_load(path.read_text()))))
    assert errors == []


def test_examples_cover_every_kind():
    assert {kind for kind, _ in example_files()} == set(SCHEMA_KINDS)


@pytest.mark.parametrize(
    ("kind", "document"),
    [
        ("project", {"name": "X", "manager": "m", "phase": "execution", "start": "2026-01-01", "end": "2026-02-01", "budgt": 5}),
        ("project", {"name": "X", "manager": "m", "phase": "doing", "start": "2026-01-01", "end": "2026-02-01", "budget": 5}),
        ("project", {"name": "X", "manager": "m", "phase": "execution", "start": "2026-01-01", "end": "2026-02-01", "budget": -1}),
        ("person", {"name": "X"}),
        ("person", {"name": "X", "role": "r", "capacity": "full"}),
        ("portfolio", {"name": "X", "owner": "o", "budget": 5, "id": "x"}),
        ("settings", {"name": "X", "currency": "USD"}),
        ("scenario", {"name": "X", "plan": {"budgt": 5}}),
        ("scenario", {"name": "X", "plan": {"hire": [{"role": "r", "count": 1, "from": "2027-13"}]}}),
        ("scenario", {"name": "X", "plan": {"method": "fastest"}}),
    ],
    ids=["unknown-field", "bad-phase", "negative-budget", "missing-role", "string-capacity", "id-field", "no-scoring", "scenario-unknown-option", "scenario-bad-month", "scenario-bad-method"],
)
def test_invalid_documents_fail(kind, document):
    assert list(validator(kind).iter_errors(document))


def test_goals_list_form_is_valid():
    document = {"name": "X", "portfolio": "p", "manager": "m", "phase": "execution", "start": "2026-01-01", "end": "2026-02-01", "budget": 5, "goals": ["a", "b"]}
    assert list(validator("project").iter_errors(document)) == []


def test_cli_prints_one_kind_and_all():
    code, out, _ = run_ppm("schema", "project")
    assert code == 0 and json.loads(out)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    code, out, _ = run_ppm("schema")
    assert code == 0 and sorted(json.loads(out)) == sorted(SCHEMA_KINDS)
    code, _, err = run_ppm("schema", "projet")
    assert code == 2 and "unknown kind 'projet'" in err


def _objects(schema: dict) -> list[tuple[str, dict]]:
    """(name, object schema) of the kind itself and of every definition in it."""
    return [("", schema), *schema.get("$defs", {}).items()]


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_every_property_and_object_has_a_description(kind):
    # An editor shows it on hover: no field of any kind is left unexplained.
    for name, definition in _objects(schema_for(kind)):
        assert definition.get("description"), f"{kind} {name or 'itself'}"
        for prop, spec in definition.get("properties", {}).items():
            assert spec.get("description"), f"{kind} {name}.{prop}"


def test_team_entries_are_described_by_their_field_names():
    allocation = schema_for("project")["$defs"]["Allocation"]
    assert "`from`" in allocation["description"] and "start, end" not in allocation["description"]
    assert sorted(allocation["properties"]) == ["from", "fte", "person", "role", "to"]
    assert "project's `start`" in allocation["properties"]["from"]["description"]
