"""The kinds of entity file, by folder: a module of its own so the file listing needs no model import."""

from __future__ import annotations

KINDS = ("portfolios", "programs", "projects", "people")
KIND_SINGULAR = {"portfolios": "portfolio", "programs": "program", "projects": "project", "people": "person"}
