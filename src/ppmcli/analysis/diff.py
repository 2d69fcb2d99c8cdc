"""What a change does to the portfolio: entities added, removed, renamed and changed field by field.

Pure comparison of two loaded workspaces (base and head). List fields whose
items have a natural key (team members, status dates, milestone and risk
names) are compared item by item, so a new weekly status reads as one added
status, not as a shifted list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ppmcli.core.model import KINDS, Workspace

# How the items of a list field are told apart (None: the list is one value).
_ITEM_KEYS: dict[str, Any] = {
    "team": lambda item: item.get("person") or f"role:{item.get('role')}",
    "status": lambda item: item["date"],
    "milestones": lambda item: item["name"],
    "risks": lambda item: item["name"],
    "time_off": lambda item: f"{item['from']}..{item['to']}",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field's change. `old`/`new` are JSON-ready values; None means absent on that side.

    Attributes:
        field: dotted path such as `budget`, `team[alice].fte`, `status[2026-11-27]`.
        old: the base value.
        new: the head value.
    """

    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class EntityChange:
    """The changed fields of one entity present on both sides."""

    kind: str
    id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class EntityDiff:
    """Entity-level differences between two workspaces, each list sorted by (kind, id).

    Attributes:
        added: (kind, id) only in head.
        removed: (kind, id) only in base.
        renamed: (kind, old id, new id) whose content is otherwise identical.
        changed: entities on both sides with different fields (ppm.yaml is kind `settings`, id '').
    """

    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    renamed: tuple[tuple[str, str, str], ...]
    changed: tuple[EntityChange, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.changed)


def as_data(model: BaseModel | None) -> dict[str, Any]:
    """An entity as JSON-ready data, as written in its file (aliases, no id, no unset defaults)."""
    if model is None:
        return {}
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data.pop("__id__", None)
    return data


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested data as {dotted path: leaf value}; keyed lists become `name[key]` entries."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    field = prefix.rsplit(".", 1)[-1]
    if isinstance(value, list) and field in _ITEM_KEYS and all(isinstance(item, dict) for item in value):
        key_of = _ITEM_KEYS[field]
        return {f"{prefix}[{key_of(item)}]": item for item in value}
    return {prefix: value}


def compare_fields(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """Field changes from `old` to `new`; an added or removed list item is one change, a changed one is field by field."""
    before, after = flatten(old), flatten(new)
    changes: list[FieldChange] = []
    for path in sorted(before.keys() | after.keys()):
        old_value, new_value = before.get(path), after.get(path)
        if old_value == new_value:
            continue
        if isinstance(old_value, dict) and isinstance(new_value, dict):  # the same list item, changed inside
            changes.extend(FieldChange(f"{path}.{change.field}", change.old, change.new) for change in compare_fields(old_value, new_value))
        else:
            changes.append(FieldChange(path, old_value, new_value))
    return tuple(changes)


def diff_entities(base: Workspace, head: Workspace) -> EntityDiff:
    """Entities added, removed, renamed and changed from `base` to `head` (valid entities of each side)."""
    added: list[tuple[str, str]] = []
    removed: list[tuple[str, str]] = []
    renamed: list[tuple[str, str, str]] = []
    changed: list[EntityChange] = []
    if base.settings is not None and head.settings is not None:
        fields = compare_fields(as_data(base.settings), as_data(head.settings))
        if fields:
            changed.append(EntityChange("settings", "", fields))
    for kind in KINDS:
        old: dict[str, BaseModel] = getattr(base, kind)
        new: dict[str, BaseModel] = getattr(head, kind)
        gone = sorted(set(old) - set(new))
        came = sorted(set(new) - set(old))
        # A file renamed with its content unchanged is one rename, not a removal and an addition.
        by_content = {repr(as_data(new[ident])): ident for ident in came}
        for ident in gone:
            match = by_content.pop(repr(as_data(old[ident])), None)
            if match is not None:
                renamed.append((kind, ident, match))
        renamed_old = {r[1] for r in renamed if r[0] == kind}
        renamed_new = {r[2] for r in renamed if r[0] == kind}
        removed += [(kind, ident) for ident in gone if ident not in renamed_old]
        added += [(kind, ident) for ident in came if ident not in renamed_new]
        for ident in sorted(set(old) & set(new)):
            fields = compare_fields(as_data(old[ident]), as_data(new[ident]))
            if fields:
                changed.append(EntityChange(kind, ident, fields))
    return EntityDiff(tuple(added), tuple(removed), tuple(sorted(renamed)), tuple(changed))
