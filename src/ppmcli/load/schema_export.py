"""JSON Schema (draft 2020-12) of each workspace file kind, derived from the pydantic models."""

from __future__ import annotations

from typing import Any

from ppmcli.core.model import KIND_MODELS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_KINDS = ("settings", "portfolio", "program", "project", "person", "scenario")
_MODEL_KEY = {"settings": "settings", "portfolio": "portfolios", "program": "programs", "project": "projects", "person": "people", "scenario": "scenarios"}
_FILES = {
    "settings": "ppm.yaml",
    "portfolio": "portfolios/ID.yaml",
    "program": "programs/ID.yaml",
    "project": "projects/**/ID.yaml",
    "person": "people/**/ID.yaml",
    "scenario": "scenarios/**/ID.yaml",
}


def schema_for(kind: str | None) -> dict[str, Any]:
    """The schema of one kind, or, without a kind, an object mapping every kind to its schema."""
    if kind is None:
        return {kind_name: schema_for(kind_name) for kind_name in SCHEMA_KINDS}
    schema = KIND_MODELS[_MODEL_KEY[kind]].model_json_schema(by_alias=True, mode="validation")
    return {"$schema": DRAFT, "$id": f"ppm:{kind}", "description": f"ppm format version 1: {_FILES[kind]}", **schema}
