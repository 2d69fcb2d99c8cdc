"""The kinds of entity file, by folder, and their labels: a module of its own so the file listing needs no model import."""

from __future__ import annotations

# The workspace's settings file, at its root; entity files live in the kind folders beside it.
SETTINGS_FILE = "ppm.yaml"
KINDS = ("portfolios", "programs", "projects", "people", "scenarios")
# How messages and reports name one entity of each kind (ppm.yaml's kind is "settings").
KIND_LABEL = {"settings": "settings", "portfolios": "portfolio", "programs": "program", "projects": "project", "people": "person", "scenarios": "scenario"}

