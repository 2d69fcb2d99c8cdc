"""Microsoft Project XML (MSPDI) → a project file and person files, as plain dicts ready to be written.

Two steps: `parse_mspdi` reads the XML safely (defusedxml: no DTD, no entities,
no network) into a `Schedule` of plain values, whatever the writer (Project
2003–2019 and Online, OpenProj, MPXJ-style tools); `map_schedule` turns a
schedule into ppm's files, given what the workspace already holds. Nothing
here touches the file system.

What MSPDI holds and how it maps (the README says it for users):
- costs are in hundredths of the currency unit; rates are per hour;
- work and durations are ISO 8601 durations (`PT16H0M0S`);
- the project's own row is the task at outline level 0 (UID 0 in Project,
  UID 1 in OpenProj); summaries are flagged, or only visible from the outline;
- resource UID -65535 (or -1) means "no resource"; resource UID 0 is Project's
  unnamed placeholder; inactive resources are left out.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, TypeVar
from xml.etree.ElementTree import Element

from ppmcli.core.errors import PpmError, counted
from ppmcli.core.findings import cut, listed, quote
from ppmcli.core.model import is_blank
from ppmcli.load.loader import wide_without_mark

NAMESPACE = "{http://schemas.microsoft.com/project}"
# Resource UIDs that mean "unassigned" (Project writes -65535, some tools -1).
UNASSIGNED = frozenset({-65535, -1})
MAX_AMOUNT = 1e15
# The tags ('<') an imported file may hold: each element costs about 100 bytes once parsed.
MAX_TAGS = 10_000_000
ID_LENGTH = 60


@dataclass(frozen=True)
class Task:
    uid: int
    name: str
    outline_level: int
    summary: bool
    milestone: bool
    start: date | None
    finish: date | None
    duration_hours: float
    percent_complete: float
    actual_finish: date | None


@dataclass(frozen=True)
class Resource:
    uid: int
    name: str
    work: bool
    inactive: bool
    group: str
    max_units: float | None
    standard_rate: float | None


@dataclass(frozen=True)
class Assignment:
    uid: int
    task: int
    resource: int
    start: date | None
    finish: date | None
    work_hours: float
    units: float | None = None  # the share of the resource's time (1 = full time), as the file's own calendar spreads the work


@dataclass(frozen=True)
class Schedule:
    """What ppm reads from an MSPDI file, as plain values (costs already in currency units)."""

    name: str
    title: str
    file_name: str
    manager: str
    start: date | None
    finish: date | None
    status_date: date | None
    current_date: date | None
    minutes_per_day: float
    cost: float | None
    baseline_cost: float | None
    actual_cost: float | None
    percent_complete: float | None
    currency: str
    currency_symbol: str
    tasks: tuple[Task, ...]
    resources: tuple[Resource, ...]
    assignments: tuple[Assignment, ...]
    problems: tuple[str, ...] = ()
    # Why `start` is None though a start is written: "Start 'tomorrow' is not a date" (the project row's, else StartDate's).
    start_unreadable: str = ""


# ---------------------------------------------------------------- parsing


def parse_mspdi(data: bytes, label: str) -> Schedule:
    """The schedule in an MSPDI file.

    Args:
        data: the file's bytes (a BOM, comments before `<Project>`, CRLF and a missing encoding declaration are fine).
        label: the file's name, for messages.

    Raises:
        PpmError: not XML, a DTD or entity (never expanded), or not a Microsoft Project file.
    """
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    # UTF-16, with its byte order mark or without (its NUL bytes where an ASCII character's half is), is XML's to read.
    if b"\0" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and wide_without_mark(data) != "UTF-16":
        raise PpmError(f"{label} is a binary file, not Microsoft Project XML (save the plan as XML in Project: File > Save As > XML)")
    # Every tag starts with '<': a bound on the elements before any is built (a 250 MB file of empty elements took 5.6 GB).
    tags = data.count(b"<")  # '<' is the byte 0x3C in UTF-16 too
    if tags > MAX_TAGS:
        raise PpmError(f"{label} holds {tags:,} XML tags, above the {MAX_TAGS:,} ppm reads (a plan of 10,000 tasks holds about 3 million); nothing imported")
    try:
        root = safe_xml.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PpmError(f"{label} declares a DTD or entities, which a Microsoft Project file never does; refused without expanding them ({type(exc).__name__})") from None
    except Exception as exc:  # ParseError, and anything expat raises on broken input
        raise PpmError(f"{label} is not well-formed XML: {_first_line(str(exc))}") from None
    if _local(root.tag) != "Project":
        raise PpmError(f"{label} is not a Microsoft Project XML file (MSPDI): its root is <{_local(root.tag)[:40]}>, not <Project>")
    ns = NAMESPACE if root.tag.startswith(NAMESPACE) else ""
    if root.find(ns + "Tasks") is None:
        raise PpmError(f"{label} is not a Microsoft Project XML file (MSPDI): its <Project> holds no <Tasks>" + ("" if ns or root.tag == "Project" else " in the MSPDI namespace"))
    reader = _Reader(ns)
    return reader.schedule(root)


def _first_line(text: str) -> str:
    return text.splitlines()[0][:200] if text else "unknown error"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else "?"


def _q(name: str) -> str:
    return NAMESPACE + name


class _Reader:
    """Reads elements of one namespace (MSPDI's, or none for files written without it), collecting what it had to drop."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.problems: list[str] = []
        self.not_dates: dict[tuple[str, str], str] = {}  # (where, name) → what is written there, when it is not a date

    def text(self, element: Element, name: str) -> str:
        child = element.find(self.ns + name)
        return (child.text or "").strip() if child is not None else ""

    def number(self, element: Element, name: str, where: str) -> float | None:
        raw = self.text(element, name)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            self.problems.append(f"{where}: {name} '{raw[:40]}' is not a number; that value is ignored")
            return None
        if not math.isfinite(value) or abs(value) > MAX_AMOUNT * 100:
            self.problems.append(f"{where}: {name} {raw[:40]} is not a usable number; that value is ignored")
            return None
        return value

    def integer(self, element: Element, name: str, default: int = 0) -> int:
        raw = self.text(element, name)
        return int(raw) if re.fullmatch(r"-?\d{1,12}", raw) else default

    def flag(self, element: Element, name: str) -> bool:
        return self.text(element, name) == "1"

    def day(self, element: Element, name: str, where: str) -> date | None:
        raw = self.text(element, name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            problem = f"{name} '{raw[:40]}' is not a date"
            self.not_dates.setdefault((where, name), problem)  # two tasks of one UID: the first's
            self.problems.append(f"{where}: {problem}; that value is ignored")
            return None

    def hours(self, element: Element, name: str, where: str) -> float:
        raw = self.text(element, name)
        if not raw:
            return 0.0
        value = duration_hours(raw)
        if value is None:
            self.problems.append(f"{where}: {name} '{raw[:40]}' is not a duration; taken as 0")
            return 0.0
        return value

    def money(self, element: Element, name: str, where: str) -> float | None:
        """A cost: MSPDI writes hundredths of the currency unit."""
        value = self.number(element, name, where)
        return None if value is None else value / 100

    def all(self, element: Element, group: str, item: str) -> list[Element]:
        parent = element.find(self.ns + group)
        return [] if parent is None else parent.findall(self.ns + item)

    def schedule(self, root: Element) -> Schedule:
        tasks = [self.task(element, index) for index, element in enumerate(self.all(root, "Tasks", "Task"))]
        project_row = next((t for t, _ in tasks if t.outline_level == 0), None)
        row_element = next((e for t, e in tasks if t is project_row), None)
        baseline = None
        if row_element is not None:
            for element in row_element.findall(self.ns + "Baseline"):
                if self.text(element, "Number") in ("", "0"):
                    baseline = self.money(element, "Cost", "project baseline")
        minutes = self.number(root, "MinutesPerDay", "project") or 480.0
        start = (project_row.start if project_row is not None else None) or self.day(root, "StartDate", "project")
        written = [(f"task {project_row.uid}", "Start")] if project_row is not None else []
        unreadable = next((self.not_dates[at] for at in (*written, ("project", "StartDate")) if at in self.not_dates), "") if start is None else ""
        return Schedule(
            name=project_row.name if project_row is not None else "",
            title=self.text(root, "Title"),
            file_name=self.text(root, "Name"),
            manager=self.text(root, "Manager"),
            start=start,
            finish=(project_row.finish if project_row is not None else None) or self.day(root, "FinishDate", "project"),
            status_date=self.day(root, "StatusDate", "project"),
            current_date=self.day(root, "CurrentDate", "project"),
            minutes_per_day=minutes if 0 < minutes <= 1440 else 480.0,
            cost=self.money(row_element, "Cost", "project") if row_element is not None else None,
            baseline_cost=baseline,
            actual_cost=self.money(row_element, "ActualCost", "project") if row_element is not None else None,
            percent_complete=self.number(row_element, "PercentComplete", "project") if row_element is not None else None,
            currency=self.text(root, "CurrencyCode"),
            currency_symbol=self.text(root, "CurrencySymbol"),
            tasks=tuple(t for t, _ in tasks),
            resources=tuple(self.resource(element) for element in self.all(root, "Resources", "Resource")),
            assignments=tuple(self.assignment(element) for element in self.all(root, "Assignments", "Assignment")),
            problems=tuple(self.problems),
            start_unreadable=unreadable,
        )

    def task(self, element: Element, index: int) -> tuple[Task, Element]:
        uid = self.integer(element, "UID", -1)
        where = f"task {uid}"
        return Task(
            uid=uid,
            name=self.text(element, "Name"),
            # Without an outline level, UID 0 is still the project's own row.
            outline_level=self.integer(element, "OutlineLevel", 0 if uid == 0 else 1),
            summary=self.flag(element, "Summary"),
            milestone=self.flag(element, "Milestone"),
            start=self.day(element, "Start", where),
            finish=self.day(element, "Finish", where),
            duration_hours=self.hours(element, "Duration", where),
            percent_complete=self.number(element, "PercentComplete", where) or 0.0,
            actual_finish=self.day(element, "ActualFinish", where),
        ), element

    def resource(self, element: Element) -> Resource:
        uid = self.integer(element, "UID", -1)
        where = f"resource {uid}"
        kind = self.text(element, "Type")
        return Resource(
            uid=uid,
            name=self.text(element, "Name"),
            work=kind in ("", "1"),  # 1 work (the default), 0 material, 2 cost
            inactive=self.flag(element, "IsInactive"),
            group=self.text(element, "Group"),
            max_units=self.number(element, "MaxUnits", where),
            standard_rate=self.number(element, "StandardRate", where),
        )

    def assignment(self, element: Element) -> Assignment:
        where = f"assignment {self.text(element, 'UID')[:12]}"
        start, finish = self.day(element, "Start", where), self.day(element, "Finish", where)
        if start is not None and finish is not None and start < finish and _in_the_afternoon(self.text(element, "Start")):
            # ppm books whole days: a hand-off at noon (one task to 12:00, the next from 13:00) gives the shared day to
            # the task that finishes on it, or the person would read as over-allocated on every hand-off.
            start += timedelta(days=1)
        return Assignment(
            uid=self.integer(element, "UID", -1),
            task=self.integer(element, "TaskUID", -1),
            resource=self.integer(element, "ResourceUID", -65535),
            start=start,
            finish=finish,
            work_hours=self.hours(element, "Work", where),
            units=self.number(element, "Units", where),
        )


def _in_the_afternoon(stamp: str) -> bool:
    """Whether an MSPDI date-time (`2020-04-30T13:00:00`) is at noon or later."""
    hour = stamp[11:13]
    return stamp[10:11] == "T" and hour.isdigit() and int(hour) >= 12


_DURATION = re.compile(r"-?P(?:(\d{1,9})Y)?(?:(\d{1,9})M)?(?:(\d{1,9})D)?(?:T(?:(\d{1,12}(?:\.\d{1,12})?)H)?(?:(\d{1,12}(?:\.\d{1,12})?)M)?(?:(\d{1,12}(?:\.\d{1,12})?)S)?)?")


def duration_hours(text: str) -> float | None:
    """Hours in an ISO 8601 duration as MSPDI writes them (`PT16H0M0S`, `PT0H30M0S`); days count 24 hours, as in ISO; None if it is not one."""
    match = _DURATION.fullmatch(text)
    if match is None or text in ("P", "-P"):
        return None
    years, months, days, hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    if years or months:
        return None
    total = days * 24 + hours + minutes / 60 + seconds / 3600
    return -total if text.startswith("-") else total


# ---------------------------------------------------------------- ids


def slug(name: str, fallback: str) -> str:
    """An id from a name: lower case, accents on Latin, Greek and Cyrillic letters dropped (`Reposición` → `reposicion`), other scripts kept as they are (Persian stays Persian, Hindi keeps its vowel signs), every run of other characters one hyphen."""
    out: list[str] = []
    accented = False  # the last letter takes accents that an id drops
    for ch in unicodedata.normalize("NFKD", name).lower():
        if unicodedata.category(ch).startswith("M"):  # a mark: an accent, or a vowel sign of another script
            if not accented:
                out.append(ch)
        elif ch.isalnum():
            accented = unicodedata.name(ch, "").startswith(_ACCENTED_SCRIPTS)
            out.append(ch)
        else:
            accented = False
            out.append("-")
    text = "-".join(part for part in "".join(out).split("-") if part)
    return unicodedata.normalize("NFC", text)[:ID_LENGTH].strip("-") or fallback


_ACCENTED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "DIGIT")


def unique_id(base: str, taken: Callable[[str], bool], tried: dict[str, int] | None = None) -> str:
    """`base`, or `base-2`, `base-3`… : the first that `taken` says is free.

    `tried` keeps, across calls whose taken ids only grow, the last number tried for each base, so that the next
    call starts there: 2,000 resources named Alice asked 2 million times whether a file exists (100 s).
    """
    n = tried.get(base, 1) if tried is not None else 1
    candidate = base if n == 1 else f"{base}-{n}"
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    if tried is not None:
        tried[base] = n
    return candidate


# ---------------------------------------------------------------- mapping


@dataclass
class Mapped:
    """The files an import writes, and what it reports.

    Attributes:
        project_id, project: the project file's id and fields (in file order).
        people: id → fields of each person file to write.
        reused: resource name → id of an existing person it was matched to.
        notes: what could not be mapped, one sentence each.
    """

    project_id: str
    project: dict[str, Any]
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    reused: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """Where the imported project goes and what the workspace already holds.

    Attributes:
        project_id: `--id`, or None for the slug of the project's name.
        portfolio, program: the project's portfolio and program (at least one).
        manager: the project manager's person id.
        project_taken: an id is used by a project file already.
        person_taken: an id is used by a person file (valid or not).
        existing_people: valid people by id, as (role, capacity); a resource whose slug is one of them is that person.
        workdays: working days from a date to a date, both included, in the workspace's calendar.
        source: the imported file's name, for the status note.
        as_of: the date of a status when the file records progress but no date to measure it at.
        currency: the workspace's currency (ppm.yaml), to say when the file counts in another.
    """

    project_id: str | None
    portfolio: str | None
    program: str | None
    manager: str
    project_taken: Callable[[str], bool]
    person_taken: Callable[[str], bool]
    existing_people: Mapping[str, tuple[str, float]]
    workdays: Callable[[date, date], int]
    source: str
    as_of: date
    currency: str = ""


def map_schedule(schedule: Schedule, target: Target) -> Mapped:
    """The project and person files for `schedule`."""
    notes = list(schedule.problems)
    schedule = _first_of_each_uid(schedule, notes)
    # The first of them a reader sees something of: a file named ' .xml' gave the project a name of one space.
    names = (schedule.name, schedule.title, re.sub(r"\.xml$", "", schedule.file_name, flags=re.I), re.sub(r"\.xml$", "", target.source, flags=re.I))
    name = next((text for text in names if not is_blank(text)), "Imported project")
    start, end = schedule.start, schedule.finish
    if start is None:
        if schedule.start_unreadable:  # a start written but unreadable is named, not taken for a missing one
            raise PpmError(f"{target.source} gives no usable start date for the project: {schedule.start_unreadable}; nothing imported")
        raise PpmError(f"{target.source} gives no start date for the project (no project row, no StartDate); nothing imported")
    if end is None or end < start:
        notes.append(f"the project's finish ({end or 'none'}) is not after its start; end set to the start")
        end = start
    base = slug(name, "project")
    project_id = target.project_id or unique_id(base, target.project_taken)
    if project_id not in (base, target.project_id):
        notes.append(f"the id '{base}', which a project has already (imported before?): this one is '{project_id}'; choose with --id")
    tasks = _work_tasks(schedule.tasks)
    budget = schedule.baseline_cost if schedule.baseline_cost else schedule.cost
    if budget is None:
        budget = 0.0
        notes.append("the project row has no cost; budget set to 0")
    percent = schedule.percent_complete if schedule.percent_complete is not None else _weighted_percent(tasks)
    if not 0 <= percent <= 100:
        clamped = min(max(percent, 0.0), 100.0)
        notes.append(f"percent complete {percent:g} is outside 0..100; taken as {clamped:g}")
        percent = clamped
    if schedule.currency and target.currency and schedule.currency.strip().upper() != target.currency.upper():
        notes.append(f"the file's amounts are in {cut(schedule.currency)}, written unconverted: the workspace counts in {target.currency}")
    elif not schedule.currency and schedule.currency_symbol and (schedule.currency_symbol, target.currency.upper()) != ("$", "USD"):
        # Older files (Project 2003) name the currency by its symbol only: said unless it is the workspace's dollar.
        notes.append(f"the file's amounts are in {quote(schedule.currency_symbol)} (its currency symbol), written unconverted: the workspace counts in {target.currency}")
    actual = schedule.actual_cost or 0.0
    project: dict[str, Any] = {"name": name}
    if target.portfolio is not None:
        project["portfolio"] = target.portfolio
    if target.program is not None:
        project["program"] = target.program
    project.update(manager=target.manager, phase=_phase(percent, actual), start=start, end=end, budget=_money(budget, notes, "budget"))
    mapped = Mapped(project_id, project, notes=notes)
    by_uid = _people(schedule, target, mapped)
    team = _team(schedule, by_uid, _below(tasks), target, mapped)
    if team:
        project["team"] = team
    milestones = _milestones(tasks)
    if milestones:
        project["milestones"] = milestones
    status = _status(schedule, start, end, percent, actual, target, mapped)
    if status is not None:
        project["status"] = [status]
    return mapped


UniqueT = TypeVar("UniqueT", Task, Resource, Assignment)


def _verb(count: int, one: str, more: str) -> str:
    """The verb's form for a subject of `count` things."""
    return one if count == 1 else more


def _first_of_each_uid(schedule: Schedule, notes: list[str]) -> Schedule:
    """`schedule` with only the first task, resource and assignment of each UID, the repeats said.

    A UID names one row: a repeated assignment would book its work twice, a repeated resource take the other's work.
    Rows without a UID (-1) all stay.
    """

    def first(rows: tuple[UniqueT, ...], kind: str) -> tuple[UniqueT, ...]:
        seen: set[int] = set()
        kept, repeats = [], []
        for row in rows:
            if row.uid != -1 and row.uid in seen:
                repeats.append(row.uid)
                continue
            seen.add(row.uid)
            kept.append(row)
        if repeats:
            shown = ", ".join(map(str, repeats[:5])) + ("…" if len(repeats) > 5 else "")
            count = len(repeats)
            notes.append(f"{counted(count, kind)} {_verb(count, 'repeats', 'repeat')} the UID of an earlier one ({shown}); the first is kept, {_verb(count, 'the repeat', 'the repeats')} left out")
        return tuple(kept)

    return replace(schedule, tasks=first(schedule.tasks, "task"), resources=first(schedule.resources, "resource"), assignments=first(schedule.assignments, "assignment"))


def _work_tasks(tasks: Iterable[Task]) -> list[tuple[Task, bool]]:
    """Every task below the project row, with whether it is a summary (flagged, or followed by a deeper task in outline order)."""
    rows = [t for t in tasks if t.outline_level > 0]
    result = []
    for index, task in enumerate(rows):
        deeper_next = index + 1 < len(rows) and rows[index + 1].outline_level > task.outline_level
        result.append((task, task.summary or deeper_next))
    return result


@dataclass(frozen=True)
class _Outline:
    """The tasks in outline order: each by UID with its place, and the places [start, end) of the tasks below it.

    Places, not sets of the UIDs below: a file of 20,000 tasks each one level deeper than the last made sets of
    200 million UIDs (55 s and 9 GB).
    """

    tasks: dict[int, tuple[Task, int, int]]

    def place(self, uid: int) -> int | None:
        found = self.tasks.get(uid)
        return None if found is None else found[1]


def _below(tasks: list[tuple[Task, bool]]) -> _Outline:
    """Each task by UID with its place and the span of places below it in the outline (empty for a leaf): a summary's
    span runs to the next task at its level or above, found for every task in one pass with a stack of open ones."""
    ends = [index + 1 for index in range(len(tasks))]
    open_tasks: list[int] = []
    for index, (task, _) in enumerate(tasks):
        while open_tasks and tasks[open_tasks[-1]][0].outline_level >= task.outline_level:
            ends[open_tasks.pop()] = index
        open_tasks.append(index)
    for index in open_tasks:
        ends[index] = len(tasks)
    return _Outline({task.uid: (task, index, ends[index] if summary else index + 1) for index, (task, summary) in enumerate(tasks)})


def _weighted_percent(tasks: list[tuple[Task, bool]]) -> float:
    """Percent complete of the leaf tasks, weighted by duration, for files whose project row has none."""
    leaves = [t for t, summary in tasks if not summary]
    total = sum(t.duration_hours for t in leaves)
    if total <= 0:
        return 0.0
    return sum(t.percent_complete * t.duration_hours for t in leaves) / total


def _phase(percent: float, actual_cost: float) -> str:
    """closed when the file says 100 % complete, execution once work or cost is reported, planning before."""
    if percent >= 100:
        return "closed"
    return "execution" if percent > 0 or actual_cost > 0 else "planning"


def _money(value: float, notes: list[str], label: str) -> float:
    if not 0 <= value <= MAX_AMOUNT:
        notes.append(f"{label} {value:g} is outside 0..10^15; set to 0")
        return 0
    return round(value, 2)


def _milestones(tasks: list[tuple[Task, bool]]) -> list[dict[str, Any]]:
    """Flagged milestones, and zero-duration leaf tasks (OpenProj never sets the flag); done from ActualFinish, or the finish at 100 %.

    A task whose duration is missing (read as 0) but whose dates span days is work, not a milestone.
    """
    found = []
    for task, summary in tasks:
        if summary or not (task.milestone or (task.duration_hours == 0 and task.start == task.finish)):
            continue
        when = task.finish or task.start
        if when is None:
            continue
        entry: dict[str, Any] = {"name": task.name or f"Milestone {task.uid}", "date": when}
        done = task.actual_finish or (when if task.percent_complete >= 100 else None)
        if done is not None:
            entry["done"] = done
        found.append(entry)
    return found


def _people(schedule: Schedule, target: Target, mapped: Mapped) -> dict[int, str]:
    """Person ids by resource UID: a file for each new work resource, existing people reused by id."""
    by_uid: dict[int, str] = {}
    hours_per_day = schedule.minutes_per_day / 60
    written: set[str] = set()
    taken_by: set[str] = set()  # the ids the file's resources were named into, so far
    tried: dict[str, int] = {}  # the last number `unique_id` tried for each base
    for resource in schedule.resources:
        if resource.uid in UNASSIGNED or resource.uid == 0 and not resource.name:
            continue  # the "no resource" rows and Project's unnamed resource 0
        label = f"resource {quote(resource.name or resource.uid)}"
        if not resource.work:
            mapped.notes.append(f"{label} is a material or cost resource, not a person; left out")
            continue
        if resource.inactive:
            mapped.notes.append(f"{label} is inactive; left out with its assignments")
            continue
        if not resource.name:
            mapped.notes.append(f"resource {resource.uid} has no name; left out with its assignments")
            continue
        base = slug(resource.name, "person")
        role = slug(resource.group, "team-member") if resource.group else "team-member"
        namesake = base in taken_by
        taken_by.add(base)
        if base in target.existing_people and not namesake:
            by_uid[resource.uid] = base
            mapped.reused[resource.name] = base
            held, capacity = target.existing_people[base]
            if resource.group and role != held or resource.max_units is not None and abs(resource.max_units - capacity) > 1e-9:
                # Reused by name: a namesake (another Pat) would book the wrong person.
                mapped.notes.append(f"{label} is taken for the existing person '{base}' ({held}, capacity {capacity:g}), though the file says {role}, max units {resource.max_units if resource.max_units is not None else 1:g}: check it is the same person")
            continue
        person_id = unique_id(base, lambda c: target.person_taken(c) or c in written, tried)
        written.add(person_id)
        if namesake:  # another resource of the file: another person, whether the first was written or reused
            mapped.notes.append(f"{label} (UID {resource.uid}) would take the id '{base}' of an earlier resource of the file; written as '{person_id}'")
        by_uid[resource.uid] = person_id
        person: dict[str, Any] = {"name": resource.name, "role": role}
        if not resource.group:
            mapped.notes.append(f"{label} has no group; role set to team-member")
        if resource.max_units is not None:
            if 0 <= resource.max_units <= 1000:
                person["capacity"] = round(resource.max_units, 4)
            else:
                mapped.notes.append(f"{label}: max units {resource.max_units:g} is outside 0..1000; capacity left at 1.0")
        if resource.standard_rate:
            person["cost_rate"] = _money(resource.standard_rate * hours_per_day, mapped.notes, f"{label}: cost rate")
        mapped.people[person_id] = person
    return by_uid


def _team(schedule: Schedule, by_uid: dict[int, str], outline: _Outline, target: Target, mapped: Mapped) -> list[dict[str, Any]]:
    """One allocation per assignment: fte = its work / the working hours of its span in ppm.yaml's calendar, at most its units.

    Allocations of a person back to back (no working day between them) at the same fte make one. Assignments at
    once stay apart: together they over-book the person, which `ppm check` reports as an over-allocation.

    An assignment on a summary task counts only when the resource has none on
    the tasks below it: writers that put one there repeat the subtasks' work.
    """
    hours_per_day = schedule.minutes_per_day / 60
    spans: dict[str, list[tuple[date, date, float, int]]] = {}

    def capacity(person: str) -> float:
        """The capacity of the person file written, or of the existing person reused."""
        if person in mapped.people:
            return float(mapped.people[person].get("capacity", 1.0))
        return target.existing_people.get(person, ("", 1.0))[1]

    unassigned = skipped = repeated = idle = workless = 0
    beyond: list[float] = []  # the hours of each assignment beyond its units over ppm.yaml's working days of its span
    # The places of each resource's tasks, in order: whether any is below a summary is one bisection.
    on_tasks: dict[int, list[int]] = {}
    for assignment in schedule.assignments:
        place = outline.place(assignment.task)
        if place is not None:
            on_tasks.setdefault(assignment.resource, []).append(place)
    for places in on_tasks.values():
        places.sort()
    for assignment in schedule.assignments:
        if assignment.resource in UNASSIGNED:
            unassigned += 1
            continue
        person = by_uid.get(assignment.resource)
        if person is None:
            skipped += 1
            continue
        task, place, end = outline.tasks.get(assignment.task, (None, 0, 1))
        places = on_tasks.get(assignment.resource, [])
        first_below = bisect.bisect_right(places, place)
        if task is not None and first_below < len(places) and places[first_below] < end:
            repeated += 1
            continue
        start = assignment.start or (task.start if task else None)
        finish = assignment.finish or (task.finish if task else None)
        if start is None or finish is None or assignment.work_hours <= 0:
            workless += 1
            continue
        if assignment.units is not None and assignment.units <= 0:
            idle += 1  # work at 0 % of the person's time: no allocation says that
            continue
        finish = max(start, finish)
        days, hours = target.workdays(start, finish), assignment.work_hours
        if assignment.units is not None and days > 0:
            # No more than its units over ppm's working days of its span: the file's calendar may work days that
            # ppm.yaml's does not (Saturday to Wednesday), which would make a full-time assignment look like 1.33.
            allowed = assignment.units * days * hours_per_day
            if hours > allowed + 1e-6:
                beyond.append(hours - allowed)
                hours = allowed
        spans.setdefault(person, []).append((start, finish, hours, days))
    if unassigned:
        mapped.notes.append(f"{counted(unassigned, 'task row')} without a resource (resource UID -65535 or -1) {_verb(unassigned, 'carries', 'carry')} no allocation")
    if repeated:
        mapped.notes.append(f"{counted(repeated, 'assignment')} on summary tasks {_verb(repeated, 'repeats', 'repeat')} the work of the same resource's subtasks; counted once")
    if skipped:
        mapped.notes.append(f"{counted(skipped, 'assignment')} of resources left out {_verb(skipped, 'was', 'were')} dropped")
    if idle:
        mapped.notes.append(f"{counted(idle, 'assignment')} at 0 units or fewer (none of the person's time) {_verb(idle, 'carries', 'carry')} no allocation")
    if beyond:
        mapped.notes.append(
            f"{counted(len(beyond), 'assignment')} {_verb(len(beyond), 'holds', 'hold')} more work than {_verb(len(beyond), 'its', 'their')} units allow on ppm.yaml's "
            f"working days of {_verb(len(beyond), 'its', 'their')} span; {sum(beyond):g} h in all left out"
        )
    if workless:
        mapped.notes.append(f"{counted(workless, 'assignment')} without work (0 h or less) or dates {_verb(workless, 'carries', 'carry')} no allocation")
    team: list[dict[str, Any]] = []
    off_days: list[tuple[str, float]] = []  # (person, hours) of the spans with no working day
    capped: list[float] = []  # the fte of each allocation above its person's capacity, as the file books it
    for person in sorted(spans):
        # One person at more than full time and above their capacity on one allocation reads to `ppm check` as an fte
        # meant as a percentage, an error that never goes: the file over-books them; that is said, and capped here.
        most = max(capacity(person), 1.0)
        for first, last, hours, days in sorted(spans[person]):
            if days <= 0:
                off_days.append((person, hours))
                continue
            fte = max(round(hours / (days * hours_per_day), 2), 0.01)
            if fte > most:
                capped.append(fte)
                fte = most
            last_entry = team[-1] if team else None
            # An allocation that follows the last one at the same fte, no working day between them, extends it.
            if last_entry and last_entry["person"] == person and last_entry["fte"] == fte and first > last_entry["to"] and target.workdays(last_entry["to"] + timedelta(days=1), first - timedelta(days=1)) == 0:
                last_entry["to"] = last
            else:
                team.append({"person": person, "fte": fte, "from": first, "to": last})
    if off_days:
        mapped.notes.append(
            f"{counted(len(off_days), 'assignment')} ({listed(sorted({person for person, _ in off_days}), 3)}; {sum(hours for _, hours in off_days):g} h of work) "
            f"{_verb(len(off_days), 'falls', 'fall')} on no working day of ppm.yaml's calendar; left out"
        )
    if capped:
        mapped.notes.append(
            f"{counted(len(capped), 'assignment')} above the person's capacity (up to {max(capped):g} FTE on one: "
            f"the file over-books them) {_verb(len(capped), 'is', 'are')} written at that capacity (at least 1)"
        )
    return team


def _status(schedule: Schedule, start: date, end: date, percent: float, actual: float, target: Target, mapped: Mapped) -> dict[str, Any] | None:
    """One status at the file's status date (or, when it records progress, its current date, else `--as-of`, as Project
    itself measures progress at today's date when the file names none), health from progress against plan."""
    progress = percent > 0 or actual > 0
    when = schedule.status_date or (schedule.current_date or target.as_of if progress else None)
    if when is None:
        mapped.notes.append("no status date and no progress in the file; no status written")
        return None
    if not schedule.status_date and not schedule.current_date:
        mapped.notes.append(f"the file records progress but no status or current date; its status is dated {when} (--as-of)")
    planned = _planned_fraction(start, end, when, target.workdays)
    spi = percent / 100 / planned if planned > 0 else None
    health = "green" if spi is None or spi >= 0.9 else "amber" if spi >= 0.7 else "red"
    basis = "status date" if schedule.status_date else "current date" if schedule.current_date else "dated --as-of"
    return {
        "date": when,
        "health": health,
        "percent_complete": round(percent, 2),
        "actual_cost": _money(actual, mapped.notes, "actual cost"),
        "note": f"Imported from Microsoft Project ({basis}); health from progress against plan",
    }


def _planned_fraction(start: date, end: date, when: date, workdays: Callable[[date, date], int]) -> float:
    if when < start:
        return 0.0
    if when >= end:
        return 1.0
    total = workdays(start, end)
    return workdays(start, when) / total if total else 1.0
