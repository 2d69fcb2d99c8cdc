"""What a change does to the portfolio: entities added, removed, renamed and changed field by field.

Pure comparison of two loaded workspaces (base and head). List fields whose
items have a natural key (team members, status dates, milestone and risk
names) are compared item by item, so a new weekly status reads as one added
status, not as a shifted list.
"""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from ppmcli.analysis.resources.conflicts import Conflict, finding_opening, select_conflicts
from ppmcli.analysis.filters import select_projects
from ppmcli.analysis.delivery.evm import HEALTH_RANK, UNKNOWN
from ppmcli.analysis.delivery.rollup import Report, build_report
from ppmcli.analysis.selection.prioritize import Decision, Limits, prioritize
from ppmcli.analysis.selection.options import plan_options
from ppmcli.analysis.selection.plan import plan
from ppmcli.analysis.selection.scenarios import Comparison, TimeShare, compare
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import Finding
from ppmcli.core.kinds import KINDS
from ppmcli.core.rules import RULES
from ppmcli.core.model import Project, Workspace

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
        renamed: (kind, old id, new id): a file renamed with its content unchanged, or with its `name` field the
            same (and no other file's of that kind on either side); its other changes are in `changed` under the new id.
        changed: entities on both sides with different fields (ppm.yaml is kind `settings`, id ''), a renamed one
            under its new id.
        invalid: invalid at the head, valid at the base (ppm.yaml: `settings`, '') or added by the change; the
            analyses compare the head without them (the base's as removed), the entities' lists name them apart.
        edited_invalid: invalid at both revisions and edited (or moved): neither side has a model to compare, and
            the change to the file is not nothing.
    """

    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    renamed: tuple[tuple[str, str, str], ...]
    changed: tuple[EntityChange, ...]
    invalid: tuple[tuple[str, str], ...] = ()
    edited_invalid: tuple[tuple[str, str], ...] = ()

    @property
    def gone(self) -> tuple[tuple[str, str], ...]:
        """Removed, their files with them (not those whose file became invalid)."""
        return tuple(entity for entity in self.removed if entity not in self.invalid)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.changed or self.invalid or self.edited_invalid)


def as_data(model: BaseModel | None) -> dict[str, Any]:
    """An entity as JSON-ready data, as written in its file (aliases, no id, no defaults: a team entry's
    `from`/`to` filled from its project's dates are left out, so moving the project changes no entry)."""
    if model is None:
        return {}
    data = model.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude_unset=True)
    data.pop("__id__", None)
    return data


class _Items(list):  # type: ignore[type-arg]
    """The items of a keyed list that share one key (a person booked twice, in two periods), in file order."""


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested data as {dotted path: leaf value}; a keyed list becomes `name[key]` entries, each the `_Items` of that key."""
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    field = prefix.rsplit(".", 1)[-1]
    if isinstance(value, list) and field in _ITEM_KEYS and all(isinstance(item, dict) for item in value):
        key_of = _ITEM_KEYS[field]
        items: dict[str, Any] = {}
        for item in value:
            items.setdefault(f"{prefix}[{key_of(item)}]", _Items()).append(item)
        return items
    return {prefix: value}


def compare_fields(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """Field changes from `old` to `new`; an added or removed list item is one change, a changed one is field by field."""
    before, after = flatten(old), flatten(new)
    changes: list[FieldChange] = []
    for path in sorted(before.keys() | after.keys()):
        old_value, new_value = before.get(path), after.get(path)
        if old_value == new_value:
            continue
        if isinstance(old_value, _Items) or isinstance(new_value, _Items):
            changes.extend(_item_changes(path, old_value or _Items(), new_value or _Items()))
        elif isinstance(old_value, dict) and isinstance(new_value, dict):
            changes.extend(FieldChange(f"{path}.{change.field}", change.old, change.new) for change in compare_fields(old_value, new_value))
        else:
            changes.append(FieldChange(path, old_value, new_value))
    return tuple(changes)


def _item_changes(path: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Iterator[FieldChange]:
    """The changes to the items of one key: an item both sides hold as it is is unchanged wherever it moved (a booking
    added above another of the same person changes that one in no way); the others pair in file order, changed field by
    field, and the rest are added or removed. With two items or more on a side, each is `key #n` by its place there."""
    # By their JSON text: a team of thousands of entries of one person is matched in one pass, not entry by entry.
    waiting: dict[str, deque[int]] = {}
    for place, item in enumerate(old):
        waiting.setdefault(_text_of(item), deque()).append(place)
    matched: set[int] = set()
    left_new: list[tuple[int, dict[str, Any]]] = []
    for place, item in enumerate(new):
        same = waiting.get(_text_of(item))
        if same:
            matched.add(same.popleft())
        else:
            left_new.append((place, item))
    left_old = [(place, item) for place, item in enumerate(old) if place not in matched]
    numbered = len(old) > 1 or len(new) > 1

    def label(place: int) -> str:
        return f"{path[:-1]} #{place + 1}]" if numbered else path

    for (_, before), (place, after) in zip(left_old, left_new):
        yield from (FieldChange(f"{label(place)}.{change.field}", change.old, change.new) for change in compare_fields(before, after))
    for place, item in left_new[len(left_old) :]:
        yield FieldChange(label(place), None, item)
    for place, item in left_old[len(left_new) :]:
        yield FieldChange(label(place), item, None)


def _text_of(item: dict[str, Any]) -> str:
    """A list item as canonical JSON text: equal items, equal texts."""
    return json.dumps(item, sort_keys=True, default=str)


def conflict_key(conflict: Conflict, renamed: Mapping[str, str] = MappingProxyType({})) -> tuple[object, ...]:
    """What makes two conflicts "the same" on both sides of a diff: person, dates, peak, days, projects (a base's
    renamed ones by their new ids) and the loads day by day, as shown (load moved within a conflict's dates is a
    change, and so is time off inside it: fewer over-booked days)."""
    projects = tuple(sorted(renamed.get(pid, pid) for pid in conflict.projects)) if renamed else conflict.projects
    return (conflict.person, conflict.start, conflict.end, round(conflict.peak, 4), conflict.days, projects, _load_shape(conflict.loads))


def _load_shape(loads: Sequence[tuple[date, date, float]]) -> tuple[tuple[date, date, float], ...]:
    """A conflict's loads as shown (4 decimals), each run of one load one stretch: an allocation split in two with the
    same fte gives the same shape (the days between two stretches of one conflict are none of the person's available days)."""
    shape: list[tuple[date, date, float]] = []
    for start, end, load in loads:
        shown = round(load, 4)
        if shape and shape[-1][2] == shown:
            shape[-1] = (shape[-1][0], end, shown)
        else:
            shape.append((start, end, shown))
    return tuple(shape)


def diff_entities(base: Workspace, head: Workspace) -> EntityDiff:
    """Entities added, removed, renamed and changed from `base` to `head` (valid entities of each side)."""
    added: list[tuple[str, str]] = []
    removed: list[tuple[str, str]] = []
    renamed: list[tuple[str, str, str]] = []
    changed: list[EntityChange] = []
    invalid: list[tuple[str, str]] = []
    edited_invalid: list[tuple[str, str]] = []
    if base.settings is not None and head.settings is not None:
        # ppm.yaml as read, defaults filled in: `overallocation_tolerance: 0.0` written out, then raised, is "0.0 → 0.9",
        # not "added: 0.9" (the gate judges the head by its own settings: a loosened threshold must read as one).
        fields = compare_fields(base.settings.model_dump(mode="json", by_alias=True), head.settings.model_dump(mode="json", by_alias=True))
        if fields:
            changed.append(EntityChange("settings", "", fields))
    elif base.settings is not None:
        invalid.append(("settings", ""))
    for kind in KINDS:
        old: dict[str, BaseModel] = getattr(base, kind)
        new: dict[str, BaseModel] = getattr(head, kind)
        gone = sorted(set(old) - set(new))
        came = sorted(set(new) - set(old))
        # A file renamed with its content unchanged is one rename, not a removal and an addition; so is one renamed
        # and edited whose `name` stays (as git pairs a file renamed with few changes): its project keeps its history
        # (health, funding) under the new id. A name either side gives two of the kind's files pairs nothing.
        by_content = {repr(as_data(new[ident])): ident for ident in came}
        pairs = [(ident, match) for ident in gone if (match := by_content.pop(repr(as_data(old[ident])), None)) is not None]
        paired_old = {was for was, _ in pairs}
        unpaired_old, unpaired_new = [ident for ident in gone if ident not in paired_old], list(by_content.values())
        kind_changed: list[EntityChange] = []
        for was, now in _same_name(kind, old, new, unpaired_old, unpaired_new):
            pairs.append((was, now))
            fields = compare_fields(as_data(old[was]), as_data(new[now]))
            if fields:
                kind_changed.append(EntityChange(kind, now, fields))
        renamed += [(kind, was, now) for was, now in pairs]
        renamed_old, renamed_new = {was for was, _ in pairs}, {now for _, now in pairs}
        removed += [(kind, ident) for ident in gone if ident not in renamed_old]
        added += [(kind, ident) for ident in came if ident not in renamed_new]
        broken = head.invalid.get(kind, frozenset())
        # Valid at the base and broken now, or added broken: the lists say so (the analyses have neither).
        invalid += sorted((kind, ident) for ident in broken if ident in old or ident not in base.invalid.get(kind, frozenset()))
        # Broken at both: a file both sides load alike is one result of the file cache, its positions one object. A file
        # refused unread (binary, too large) has fresh positions on each side and nothing to tell an edit by: left out.
        edited_invalid += sorted(
            (kind, ident)
            for ident in broken & base.invalid.get(kind, frozenset())
            if base.positions.get((kind, ident)) is not head.positions.get((kind, ident)) and not _unread(base, kind, ident) and not _unread(head, kind, ident)
        )
        for ident in sorted(set(old) & set(new)):
            if old[ident] == new[ident]:  # most entities: a file the change left alone
                continue
            fields = compare_fields(as_data(old[ident]), as_data(new[ident]))
            if fields:
                kind_changed.append(EntityChange(kind, ident, fields))
        changed += sorted(kind_changed, key=lambda change: change.id)
    return EntityDiff(tuple(added), tuple(removed), tuple(sorted(renamed)), tuple(changed), tuple(invalid), tuple(edited_invalid))


def _unread(ws: Workspace, kind: str, ident: str) -> bool:
    """Whether an invalid file was refused before it was parsed (`unreadable-file`: binary, too large, too many values)."""
    first = ws.invalid_errors.get((kind, ident))
    return first is not None and first[0].code == "unreadable-file"


def _same_name(kind: str, old: Mapping[str, BaseModel], new: Mapping[str, BaseModel], gone: Sequence[str], came: Sequence[str]) -> list[tuple[str, str]]:
    """(old id, new id) of the removed and added entities of `kind` that share a `name` no other of them has."""
    def names(entities: Mapping[str, BaseModel], ids: Sequence[str]) -> dict[str, str]:
        counts = Counter(getattr(entities[ident], "name", None) for ident in ids)
        return {name: ident for ident in ids if (name := getattr(entities[ident], "name", None)) and counts[name] == 1}

    if kind == "settings" or not gone or not came:
        return []
    before, after = names(old, gone), names(new, came)
    return sorted((ident, after[name]) for name, ident in before.items() if name in after)


# ---------------------------------------------------------------- what the change does to the portfolio

TOTAL_FIELDS = ("bac", "eac", "benefits", "benefits_realized", "risk_exposure", "labor_cost")
HEALTHS = ("green", "amber", "red", "unknown")
# A pull request decides how many scenarios it touches: the exact plans of a diff share one time budget,
# so a branch with many scenarios cannot hold CI for minutes per scenario.
SCENARIO_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class RankChange:
    """A project whose rank or score moved (None: not ranked on that side)."""

    id: str
    old_rank: int | None
    new_rank: int | None
    old_score: Fraction | None
    new_score: Fraction | None


@dataclass(frozen=True, slots=True)
class FundingChange:
    """A project that crossed the funding line; `reason` is why it is out now (None when it came in): the limit it
    misses, or why it is no longer ranked (removed, cancelled, closed, moved out of a filter, its file or ppm.yaml
    invalid); `excused` when that is no defunding: closed (delivered), or a file invalid now (unknown at the head:
    a new error says so)."""

    id: str
    was_selected: bool | None
    now_selected: bool | None
    reason: str | None
    excused: bool = False


@dataclass(frozen=True, slots=True)
class TotalChange:
    """A report total before and after."""

    name: str
    old: float
    new: float


@dataclass(frozen=True, slots=True)
class HealthChange:
    """A project's health before and after (both sides have the project)."""

    id: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Envelope:
    """A portfolio's budget and its open projects' budgets, before (None: no budget or no portfolio) and after."""

    id: str
    old_budget: float | None
    old_open: float
    budget: float
    open: float

    @property
    def went_over(self) -> bool:
        """The open budgets are above the envelope now, and were not before."""
        return self.open > self.budget and (self.old_budget is None or self.old_open <= self.old_budget)


def _by_person(conflicts: Sequence[Conflict]) -> dict[str, list[Conflict]]:
    """Conflicts by person: only a conflict of the same person can lie over another (a branch may make thousands)."""
    found: dict[str, list[Conflict]] = {}
    for conflict in conflicts:
        found.setdefault(conflict.person, []).append(conflict)
    return found


def _overlapping(conflict: Conflict, others: Mapping[str, list[Conflict]]) -> bool:
    """Whether one of `others` (`_by_person`) over-allocates the conflict's person on a day of its span."""
    return any(other.start <= conflict.end and conflict.start <= other.end for other in others.get(conflict.person, ()))


@dataclass(frozen=True, slots=True)
class PortfolioDiff:
    """Everything `ppm diff` shows.

    Attributes:
        base, head: labels of the two sides (a short commit id, or "working tree").
        entities: files added, removed, renamed and changed.
        ranks: projects whose rank or score changed, by new rank (dropped ones last).
        funding: projects that crossed the funding line (only with a budget or capacity limit), else None.
        budget: the budget the funding line was drawn with.
        new_conflicts, resolved_conflicts: over-allocations (ending on or after as-of) only in head, only in base.
        worse_conflicts: the new ones that over-allocate their person in a way the base did not (`Conflict.within`
            none of the base's): a change that shortens or lowers an over-allocation makes a new one, not a worse one.
        totals: report totals that changed (BAC, EAC, benefits, risk exposure…).
        health: project counts per health, base and head, as (health, old, new) for those that changed.
        project_health: projects whose health changed, by id.
        envelopes: portfolios (with a budget) whose open projects' budgets changed, by id.
        scenarios: the plans of the scenarios the change adds or changes, against the base's plan with no
            options (its `baseline`); None when the change touches no scenario.
        new_findings, fixed_findings: `ppm check` findings only in head, only in base (matched by file, code and message);
            while the change makes a valid file (or ppm.yaml) invalid, only the files' own findings can be fixed: the
            head's rules do not read that file, so what they found at the base is unknown there, not fixed.
        new_errors: the new findings that are errors, but those of new over-allocations that are not worse.
    """

    base: str
    head: str
    entities: EntityDiff
    ranks: tuple[RankChange, ...]
    funding: tuple[FundingChange, ...] | None
    budget: Fraction | None
    new_conflicts: tuple[Conflict, ...]
    resolved_conflicts: tuple[Conflict, ...]
    totals: tuple[TotalChange, ...]
    health: tuple[tuple[str, int, int], ...]
    new_findings: tuple[Finding, ...]
    fixed_findings: tuple[Finding, ...]
    project_health: tuple[HealthChange, ...] = ()
    envelopes: tuple[Envelope, ...] = ()
    scenarios: Comparison | None = None
    worse_conflicts: tuple[Conflict, ...] = ()
    new_errors: tuple[Finding, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entities or self.ranks or self.funding or self.new_conflicts or self.resolved_conflicts or self.totals or self.new_findings or self.fixed_findings)

    @property
    def eased_conflicts(self) -> tuple[Conflict, ...]:
        """The new over-allocations that are no worse than one the base had: a change that shortened or lowered it."""
        worse = set(self.worse_conflicts)  # a set: a branch may make thousands of conflicts
        return tuple(c for c in self.new_conflicts if c not in worse)

    @property
    def ended_conflicts(self) -> tuple[Conflict, ...]:
        """The base's over-allocations that are gone: no new one of the same person lies over any of their days (one
        that does is the same over-allocation eased, or made worse: a higher fte, a longer run)."""
        new = _by_person(self.new_conflicts)
        return tuple(r for r in self.resolved_conflicts if not _overlapping(r, new))

    @property
    def grown_conflicts(self) -> tuple[Conflict, ...]:
        """The worse over-allocations that lie over days of one the base had: that one made worse, not a new one."""
        resolved = _by_person(self.resolved_conflicts)
        return tuple(c for c in self.worse_conflicts if _overlapping(c, resolved))

    @property
    def created_conflicts(self) -> tuple[Conflict, ...]:
        """The worse over-allocations on days the base had none of that person's: new ones."""
        grown = set(self.grown_conflicts)
        return tuple(c for c in self.worse_conflicts if c not in grown)

    @property
    def worse_health(self) -> tuple[HealthChange, ...]:
        """The projects whose health got worse, up the scale green → amber → red (a first status that is green is news, not a drop)."""
        return tuple(change for change in self.project_health if HEALTH_RANK[change.new] > HEALTH_RANK[change.old] and change.new != "green")


@dataclass(frozen=True, slots=True)
class SideFigures:
    """What a diff compares of one side, computed from that side alone (so the two sides can be analysed at once).

    Attributes:
        decisions: the ranking (and funding, under a limit) by project id; empty when ppm.yaml is invalid.
        conflicts: the active over-allocations, by what makes one the same on both sides.
        totals: the report's totals by field; None when ppm.yaml is invalid.
        health: each reported project's health, in the report's order.
        unreported_health: the health of each project the report leaves out (proposed, cancelled): unknown without a status.
        every_conflict: the workspace's active over-allocations, unfiltered (what `ppm check` reports).
    """

    decisions: dict[str, Decision]
    conflicts: dict[tuple[object, ...], Conflict]
    totals: dict[str, float] | None
    health: dict[str, str]
    unreported_health: dict[str, str] = field(default_factory=dict)
    every_conflict: tuple[Conflict, ...] = ()


def side_figures(ws: Workspace, as_of: date, *, portfolio: str | None = None, tags: Sequence[str] = (), limits: Limits | None = None) -> SideFigures:
    """The figures `diff_portfolios` compares of one side, with the diff's filters and limits."""
    if ws.settings is None:
        return SideFigures({}, {}, None, {})
    projects = select_projects(ws, portfolio, tags, strict=False)
    chosen = prioritize(ws, projects, limits=limits or Limits()) if _with_limits(limits) else prioritize(ws, projects)
    shown = select_conflicts(ws, as_of, projects=projects)
    report = build_report(ws, projects, as_of)
    health = {value.id: value.health for value in report.projects}
    # The report leaves out proposed and cancelled projects; their health can drop too (a first red status is news).
    unreported = {pid: _health_at(projects[pid], as_of) for pid in sorted(projects) if pid not in health}
    return SideFigures(
        decisions={row.id: row for row in chosen.rows},
        conflicts={conflict_key(c): c for c in shown},
        totals={name: getattr(report.total.figures, name) for name in TOTAL_FIELDS},
        health=health,
        unreported_health=unreported,
        every_conflict=tuple(select_conflicts(ws, as_of)),  # the sweep is made once per workspace: this only narrows less
    )


def _health_before(base: Side, head: Side, entities: EntityDiff, renamed: Mapping[str, str], as_of: date) -> dict[str, str]:
    """Each head project's health at the base, by its head id: as the base compared it (renamed under its new id); a
    project the change adds has none (unknown: a first red status is a drop); one moved into the projects a
    --portfolio or --tag compares has its health from the base's file, under its base id if it was renamed too."""
    before = {renamed.get(pid, pid): health for pid, health in {**base.figures.health, **base.figures.unreported_health}.items()}
    before.update((pid, UNKNOWN) for kind, pid in entities.added if kind == "projects")
    was = {now: old for old, now in renamed.items()}
    for pid in {**head.figures.health, **head.figures.unreported_health}.keys() - before.keys():
        project = base.workspace.projects.get(was.get(pid, pid))
        if project is not None:
            before[pid] = _health_at(project, as_of)
    return before


def _health_at(project: Project, as_of: date) -> str:
    """A project's health as its newest status on or before `as_of` says (unknown without one)."""
    return status.health.value if (status := project.latest_status(as_of)) else UNKNOWN


def _project_health(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[HealthChange, ...]:
    return tuple(HealthChange(pid, before[pid], after[pid]) for pid in sorted(before.keys() & after.keys()) if before[pid] != after[pid])


def _with_limits(limits: Limits | None) -> bool:
    return limits is not None and (limits.budget is not None or limits.capacity)


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a diff: the loaded workspace, its check findings, its figures (`side_figures`), and its label;
    `files` are the findings of its files alone (the loader's), which every file gets, valid or not."""

    label: str
    workspace: Workspace
    findings: tuple[Finding, ...]
    figures: SideFigures
    files: tuple[Finding, ...] = ()


def diff_portfolios(
    base: Side,
    head: Side,
    as_of: date,
    *,
    portfolio: str | None = None,
    tags: Sequence[str] = (),
    limits: Limits | None = None,
) -> PortfolioDiff:
    """Compare two sides: entities, and the effect on ranking, funding, conflicts, report totals and findings.

    Args:
        base, head: the two sides, their figures made with the same filters and limits as given here.
        as_of: the date of both analyses.
        portfolio, tags: the filters; they narrow the projects compared on both sides.
        limits: with a budget or capacity limit, the funding line is compared as `prioritize` draws it.
    """
    old, new = base.workspace, head.workspace
    before, after = base.figures, head.figures
    entities = diff_entities(old, new)
    # A project renamed (its file's content unchanged) is the same project under its new id: its rank, its funding
    # and its file's findings are compared with its own at the base, not listed as one project gone and one come.
    renamed = {was: now for kind, was, now in entities.renamed if kind == "projects"}
    ranks, funding = _ranking_changes({renamed.get(pid, pid): decision for pid, decision in before.decisions.items()}, after.decisions, _with_limits(limits))
    moved = _moved_files(old, new, entities.renamed)
    old_keyed = [(_finding_key(f, moved, renamed), f) for f in base.findings]
    new_keyed = [(_finding_key(f), f) for f in head.findings]
    old_count, new_count = Counter(key for key, _ in old_keyed), Counter(key for key, _ in new_keyed)
    # The base's conflicts with renamed projects under their new ids: a rename alone resolves and creates none.
    was_booked = {conflict_key(c, renamed): c for c in before.conflicts.values()}
    new_conflicts = tuple(c for key, c in after.conflicts.items() if key not in was_booked)
    # Every head conflict no worse than one of the base's (shorter, lower, fewer available days), each side's whole
    # (the findings are the whole workspace's, whatever --portfolio shows): its finding may have new words, its dates
    # or its count of days, and is new text, not a new error; and it is no new over-allocation. One the base has as it
    # is needs no walk over its days.
    was = _by_person(before.every_conflict)
    unchanged = {conflict_key(c, renamed) for c in before.every_conflict}
    eased = {c for c in after.every_conflict if conflict_key(c) in unchanged or any(c.within(other) for other in was.get(c.person, ()))}
    worse = tuple(c for c in new_conflicts if c not in eased)
    new_findings = tuple(f for _, f in _beyond(new_keyed, old_count))
    # A valid file the change makes invalid is not read by the head's rules (nor is any file, for the rules that need
    # ppm.yaml, when the change makes it invalid): what they found at the base, in that file or another, is unknown
    # at the head, not fixed. The files' own findings, the loader's, are made on both sides and compare as ever, and
    # so do a per-project rule's in every other file (`Rule.per_project`: what it finds there comes from that file).
    settings_broken = old.settings is not None and new.settings is None
    broken = {
        new.positions[(kind, ident)].path
        for kind, idents in new.invalid.items()
        for ident in idents
        if (kind, ident) in old.positions and (kind, ident) in new.positions and not old.is_invalid(kind, ident)
    }
    unknown = settings_broken or bool(broken)
    own = {_finding_key(f, moved) for f in base.files} if unknown else set()
    per_project = {code for code, entry in RULES.items() if entry.per_project} if unknown and not settings_broken else set()

    def known_fixed(key: tuple[str, str, str]) -> bool:
        return not unknown or key in own or (key[1] in per_project and key[0] not in broken)

    # The eased conflicts by the files of their projects: a finding is looked for among those that book its file's project.
    project_of = {new.file_of("projects", pid): pid for pid in new.projects}
    eased_in: dict[str, list[Conflict]] = {}
    for conflict in eased:
        for pid in conflict.projects:
            eased_in.setdefault(pid, []).append(conflict)

    def of_an_eased_conflict(finding: Finding) -> bool:
        """Whether an `overallocation` finding is the one an eased conflict makes: its opening and its place, the first
        of the conflict's allocations (a message alone could be forged: a person id may read "alice is over-allocated…")."""
        return any(
            finding.message.startswith(finding_opening(conflict)) and (finding.path, finding.line, finding.column) == _first_booking(new, conflict)
            for conflict in eased_in.get(project_of.get(finding.path, ""), ())
        )

    return PortfolioDiff(
        base=base.label,
        head=head.label,
        entities=entities,
        ranks=ranks,
        funding=None if funding is None else tuple(_why_out(change, new) for change in funding),
        budget=limits.budget if limits is not None else None,
        new_conflicts=new_conflicts,
        resolved_conflicts=tuple(c for key, c in was_booked.items() if key not in after.conflicts),
        totals=_total_changes(before.totals, after.totals),
        health=_health_changes(before.health, after.health),
        new_findings=new_findings,
        fixed_findings=tuple(f for key, f in _beyond(old_keyed, new_count) if known_fixed(key)),
        # A project the change adds had no health before it: a first red status is a drop from nothing, as for a
        # project without status (removed and added again under another id, a project must not lose its history).
        project_health=_project_health(_health_before(base, head, entities, renamed, as_of), {**after.health, **after.unreported_health}),
        envelopes=_envelopes(old, new, portfolio),
        scenarios=_scenario_plans(base, head, entities, select_projects(old, portfolio, tags, strict=False), select_projects(new, portfolio, tags, strict=False), as_of),
        worse_conflicts=worse,
        new_errors=tuple(f for f in new_findings if str(f.severity) == "error" and not (f.code == "overallocation" and of_an_eased_conflict(f))),
    )


def _first_booking(ws: Workspace, conflict: Conflict) -> tuple[str, int, int]:
    """Where `ppm check` puts a conflict's finding: the first of its allocations, by file and line."""
    place = min(ws.where("projects", pid, "team", index) for pid, index in conflict.bookings)
    return place.path, place.line, place.column


# A workspace path as a message names it, with the line it points at ("also booked at projects/a.yaml:12"): one fixed
# pattern, whatever the workspace holds.
_PATH_IN_MESSAGE = re.compile(r"([^\s'\",;:()]+\.ya?ml)(?::\d+)?")


def _moved_files(old: Workspace, new: Workspace, renamed: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    """The base path → head path of each entity file the change moves to another sub-folder (its kind and id, its
    identity, stay) or renames with its content unchanged."""
    moved = {was.path: now.path for key, was in old.positions.items() if (now := new.positions.get(key)) is not None and now.path != was.path}
    moved.update((old.positions[(kind, was)].path, new.positions[(kind, now)].path) for kind, was, now in renamed)
    return moved


def _beyond(keyed: Sequence[tuple[tuple[str, str, str], Finding]], other: Counter[tuple[str, str, str]]) -> list[tuple[tuple[str, str, str], Finding]]:
    """The findings of one side that the other side's (`other`, counted by key) do not match: the same finding twice
    in a file (two team entries without a person) is two, and a second one is new though the first is not."""
    seen: Counter[tuple[str, str, str]] = Counter()
    found = []
    for key, finding in keyed:
        seen[key] += 1
        if seen[key] > other[key]:
            found.append((key, finding))
    return found


def _finding_key(finding: Finding, moved: Mapping[str, str] = MappingProxyType({}), renamed: Mapping[str, str] = MappingProxyType({})) -> tuple[str, str, str]:
    """What makes two findings "the same": file, rule and message, without lines (they move with every edit, the
    message's references to other files too, each file once: an allocation split in two is booked at one file still);
    a base finding is read with the files the change moves at their new paths and the projects it renames by their new ids."""
    message = finding.message
    if ".y" in message:  # most messages name no file
        message = _PATH_IN_MESSAGE.sub(lambda match: moved.get(match[1], match[1]), message)
        message = _REPEATED_PATH.sub(r"\g<path>", message)
    if renamed:
        message = _ID_IN_MESSAGE.sub(lambda match: renamed.get(match[0], match[0]), message)
    return (moved.get(finding.path, finding.path), finding.code, message)


# The same file named again right after itself, once its lines are gone ("a.yaml, a.yaml").
_REPEATED_PATH = re.compile(r"(?P<path>[^\s'\",;:()]+\.ya?ml)(?:, (?P=path))+")
# A word a project id could be: letters, digits, '-', '_' and '.', whole.
_ID_IN_MESSAGE = re.compile(r"(?<![\w.-])[\w][\w.-]*(?<!\.)(?![\w-])")


def _ranking_changes(before: Mapping[str, Decision], after: Mapping[str, Decision], with_limits: bool) -> tuple[tuple[RankChange, ...], tuple[FundingChange, ...] | None]:
    ranks = []
    for pid in before.keys() | after.keys():
        was, now = before.get(pid), after.get(pid)
        old_rank, new_rank = (was.rank if was else None), (now.rank if now else None)
        old_score, new_score = (was.score if was else None), (now.score if now else None)
        if (old_rank, old_score) != (new_rank, new_score):
            ranks.append(RankChange(pid, old_rank, new_rank, old_score, new_score))
    ranks.sort(key=lambda r: (r.new_rank is None, r.new_rank or 0, r.id))
    if not with_limits:
        return tuple(ranks), None
    funding = []
    for pid in sorted(before.keys() | after.keys()):
        was, now = before.get(pid), after.get(pid)
        was_in = was.selected if was else None
        now_in = now.selected if now else None
        if bool(was_in) != bool(now_in):
            funding.append(FundingChange(pid, was_in, now_in, now.reason if now is not None and not now_in else None))
    return tuple(ranks), tuple(funding)


def _why_out(change: FundingChange, head: Workspace) -> FundingChange:
    """`change` with why a project funded at the base is not ranked at the head at all."""
    if not change.was_selected or change.now_selected is not None:
        return change
    if head.settings is None:  # nothing is ranked at the head: unknown, and new-error says why
        return replace(change, reason="ppm.yaml is invalid now", excused=True)
    project = head.projects.get(change.id)
    if project is None:
        invalid = head.is_invalid("projects", change.id)
        return replace(change, reason="its file is invalid now" if invalid else "removed", excused=invalid)
    phase = project.phase.value
    if phase in ("cancelled", "closed"):
        return replace(change, reason=phase, excused=phase == "closed")
    # Moved to another portfolio, or a tag taken off, under --portfolio or --tag: out of this funding line (whether
    # the other line funds it is that portfolio's gate to say).
    return replace(change, reason="moved out of the projects compared")


def _total_changes(old: Mapping[str, float] | None, new: Mapping[str, float] | None) -> tuple[TotalChange, ...]:
    changes = []
    for name in TOTAL_FIELDS:
        before = old[name] if old else 0.0
        after = new[name] if new else 0.0
        if round(before, 2) != round(after, 2):
            changes.append(TotalChange(name, before, after))
    return tuple(changes)


def _health_changes(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[tuple[str, int, int], ...]:
    def counts(health_of: Mapping[str, str]) -> dict[str, int]:
        found = {health: 0 for health in HEALTHS}
        for health in health_of.values():
            found[health] = found.get(health, 0) + 1
        return found

    before, after = counts(old), counts(new)
    return tuple((health, before[health], after[health]) for health in HEALTHS if before[health] != after[health])


def _envelopes(old: Workspace, new: Workspace, portfolio: str | None) -> tuple[Envelope, ...]:
    # The envelope holds the whole portfolio: tags do not narrow it, only --portfolio picks which.
    before, after = old.open_budgets(), new.open_budgets()
    changes = []
    for pid, definition in new.portfolios.items():
        if definition.budget is None or (portfolio is not None and pid != portfolio):
            continue
        was = old.portfolios.get(pid)
        envelope = Envelope(pid, was.budget if was else None, before.get(pid, 0.0), definition.budget, after.get(pid, 0.0))
        if (envelope.old_budget, envelope.old_open) != (envelope.budget, envelope.open):
            changes.append(envelope)
    return tuple(changes)


def _scenario_plans(base: Side, head: Side, entities: EntityDiff, old_projects: Mapping[str, Project], new_projects: Mapping[str, Project], as_of: date) -> Comparison | None:
    """The plans of the scenarios added, renamed or changed, beside the base's plan with no options (None when that cannot run)."""
    touched = sorted({ident for kind, ident in entities.added if kind == "scenarios"} | {new for kind, _, new in entities.renamed if kind == "scenarios"} | {c.id for c in entities.changed if c.kind == "scenarios"})
    scenarios = [head.workspace.scenarios[ident] for ident in touched if ident in head.workspace.scenarios]
    if not scenarios or base.workspace.settings is None or head.workspace.settings is None:
        return None
    share = TimeShare(SCENARIO_SECONDS, len(scenarios) + 1)
    try:
        baseline = plan(base.workspace, old_projects, as_of, plan_options(None, {"time_limit": share.next()}))
    except PpmError:  # a base the plan cannot read (its default model, say): nothing to compare with
        return None
    return compare(head.workspace, new_projects, as_of, scenarios, share=share, baseline=baseline, baseline_name=f"Plan as is at {base.label}")
