"""The domain model: one set of frozen pydantic models that is both the file format (version 1) and the data the analyses use.

Every model forbids unknown fields. Types and ranges are checked by pydantic;
rules that span several fields of one file (end before start, one of person or
role) are listed by `problems()`, so each can point at its own key. Positions
live beside the models in `positions.Positions`, never inside them.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Annotated, Any, Iterator, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from ppmcli.core.bounds import FIRST_DAY, LAST_DAY, iso_day, outside_years
from ppmcli.core.findings import Finding, Location, quote
from ppmcli.core.kinds import KIND_LABEL, KINDS  # noqa: F401  (KINDS re-exported: the model's kinds)
from ppmcli.core.numbers import exact
from ppmcli.core.positions import Positions

MAX_AMOUNT = 1e15

# Numbers must be YAML numbers (not strings or booleans), finite and at most 10^15.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
Amount = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=MAX_AMOUNT)]
Fraction01 = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1)]
Fte = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_AMOUNT)]
Weight = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_AMOUNT)]


def _iso_day(value: Any) -> Any:
    """A date written quoted ('2026-07-01', strictly YYYY-MM-DD) reads as the same date written bare."""
    if type(value) is str:
        try:
            return iso_day(value)
        except ValueError:  # 2026-02-30, or not a date at all: left as text, reported as such
            return value
    return value


# The bounds before the validator, so pydantic checks them in its core: after it, each was a Python call per date.
Day = Annotated[date, Field(strict=True, ge=FIRST_DAY, le=LAST_DAY), BeforeValidator(_iso_day)]
Id = Annotated[str, Field(strict=True, min_length=1)]
Text = Annotated[str, Field(strict=True)]
def is_blank(text: str) -> bool:
    """Whether a reader sees nothing of `text`: empty, spaces, a zero-width space, a bidi mark."""
    first = text[:1]
    if first and first.isprintable() and not first.isspace():  # most text: decided by its first character, without a loop
        return False
    return not any(character.isprintable() and not character.isspace() for character in text)


def _not_blank(text: str) -> str:
    if is_blank(text):
        raise PydanticCustomError("blank_text", "blank")
    return text


# A name every report prints: an empty one (`name: ""`, or only blanks) says nothing, and a CSV round trip reads its
# empty cell as missing.
Name = Annotated[str, Field(strict=True, min_length=1), AfterValidator(_not_blank)]


NEEDS_PORTFOLIO = "project needs a 'portfolio' (or a 'program' to take it from)"


class Problem(NamedTuple):
    """A rule across fields that `problems()` finds: where (a path in the file), the sentence, and the finding's code."""

    path: tuple[Any, ...]
    message: str
    code: str = "invalid-value"

# true or false as YAML writes them: not the text "true", not 1 (a quoted number is refused too).
Flag = Annotated[bool, Field(strict=True)]
# The id comes from the file name; the loader passes it under a key no file can use.
EntityId = SkipJsonSchema[str]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Phase(str, enum.Enum):
    """Where a project is in its life: open from proposed to monitoring, then closed or cancelled."""

    PROPOSED = "proposed"
    INITIATION = "initiation"
    PLANNING = "planning"
    EXECUTION = "execution"
    MONITORING = "monitoring"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self not in (Phase.CLOSED, Phase.CANCELLED)

    @property
    def state(self) -> str:
        """The phase after "the project is": "proposed", "in planning", "closed"."""
        return self.value if self in (Phase.PROPOSED, Phase.CLOSED, Phase.CANCELLED) else f"in {self.value}"

    @property
    def is_committed(self) -> bool:
        return self in (Phase.INITIATION, Phase.PLANNING, Phase.EXECUTION, Phase.MONITORING)


class Health(str, enum.Enum):
    """A status report's health: green, amber or red."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class RiskStatus(str, enum.Enum):
    """Whether a risk is still open."""

    OPEN = "open"
    CLOSED = "closed"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False)


# ---------------------------------------------------------------- ppm.yaml


class Calendar(_Strict):
    """Working calendar: days of the week that are worked, and holidays."""

    workdays: tuple[Weekday, ...] = Field(("mon", "tue", "wed", "thu", "fri"), description="Days of the week that are worked: mon … sun.")
    holidays: tuple[Day, ...] = Field((), description="Dates nobody works (YYYY-MM-DD).")


class Goal(_Strict):
    """A strategic goal; `weight` is relative to the other goals."""

    name: Name = Field(description="The goal as people say it.")
    weight: Weight = Field(description="Importance relative to the other goals (above 0).")


class Criterion(_Strict):
    """A weighted-model criterion: `scale` is [lo, hi] of the raw values."""

    weight: Weight = Field(description="Share of the score, relative to the other criteria (above 0).")
    scale: tuple[Number, Number] = Field((1.0, 5.0), description="[low, high] of the raw values in projects' `scores`, normalized to 0..1.")
    higher_is_better: Flag = Field(True, description="false for a criterion where less is better (risk, cost).")


class ScoringModel(_Strict):
    """A scoring model: `weighted` (with criteria), `wsjf` or `rice`."""

    type: Literal["weighted", "wsjf", "rice"] = Field(description="weighted (criteria × weights), wsjf (cost of delay ÷ job size) or rice (reach × impact × confidence ÷ effort).")
    criteria: dict[Id, Criterion] = Field({}, description="A weighted model's criteria by name (the names of projects' `scores`); none for wsjf and rice.")


class Scoring(_Strict):
    """The scoring models that rank projects."""

    default: Id = Field(description="The model used when a command names none (--model).")
    models: dict[Id, ScoringModel] = Field(description="The models by name.")


class Checks(_Strict):
    """Thresholds of the portfolio checks."""

    overallocation_tolerance: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=MAX_AMOUNT)] = Field(
        0.0, description="FTE a person may be booked above capacity before it is over-allocation."
    )
    stale_status_days: Annotated[int, Field(strict=True, ge=0, le=100_000)] = Field(14, description="Days after which an open project's newest status is stale.")
    budget_overrun_tolerance: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=MAX_AMOUNT)] = Field(
        0.10, description="Fraction above budget an estimate at completion may reach before `budget-overrun` (0.10 = 10 %)."
    )


class Settings(_Strict):
    """`ppm.yaml`: the organisation's settings."""

    name: Name = Field(description="The organisation's name, at the top of reports.")
    currency: Name = Field(description="Currency of every amount, as reports print it (USD, EUR…).")
    calendar: Calendar = Field(Calendar(), description="Working days and holidays: every day count and slip uses them.")
    goals: dict[Id, Goal] = Field({}, description="Strategic goals by id; projects name the goals they serve.")
    scoring: Scoring = Field(description="How projects are scored and ranked.")
    checks: Checks = Field(Checks(), description="Thresholds of the portfolio checks of `ppm check`.")

    def problems(self) -> Iterator[Problem]:
        """Rules across fields, each a `Problem` (path, message, code)."""
        for name, model in self.scoring.models.items():
            path = ("scoring", "models", name)
            if model.type == "weighted" and not model.criteria:
                yield Problem(path, f"weighted model {quote(name)} needs at least one criterion")
            if model.type != "weighted" and model.criteria:
                yield Problem(path + ("criteria",), f"a {model.type} model takes no criteria")
            for criterion_name, criterion in model.criteria.items():
                lo, hi = criterion.scale
                if criterion_name != "alignment" and lo >= hi:
                    yield Problem(path + ("criteria", criterion_name, "scale"), f"scale [{lo:g}, {hi:g}] must run from low to high")


# ---------------------------------------------------------------- portfolios, programs, people


class PortfolioDef(_Strict):
    """`portfolios/ID.yaml`: a portfolio, its owner and its budget envelope."""

    id: EntityId = Field("", alias="__id__")
    name: Name = Field(description="The portfolio's name.")
    owner: Id = Field(description="Person id of its owner.")
    budget: Amount | None = Field(None, description="The envelope its open projects' budgets must fit (`portfolio-over-budget`).")


class Program(_Strict):
    """`programs/ID.yaml`: a program groups projects of one portfolio."""

    id: EntityId = Field("", alias="__id__")
    name: Name = Field(description="The program's name.")
    portfolio: Id = Field(description="Id of its portfolio; its projects take it.")
    manager: Id | None = Field(None, description="Person id of its manager.")


class DateRange(_Strict):
    """An inclusive date range (`from`, `to`)."""

    start: Day = Field(alias="from", description="First day (inclusive).")
    end: Day = Field(alias="to", description="Last day (inclusive).")


class Person(_Strict):
    """`people/ID.yaml`. `capacity` is in FTE; `cost_rate` per working day."""

    id: EntityId = Field("", alias="__id__")
    name: Name = Field(description="The person's name.")
    role: Id = Field(description="Their role (backend-engineer…): role allocations and capacity count by it.")
    capacity: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=1000)] = Field(1.0, description="FTE they can work: 1.0 full time, 0.8 four days a week.")
    cost_rate: Amount | None = Field(None, description="Cost per working day, for labor cost.")
    time_off: tuple[DateRange, ...] = Field((), description="Days away (`from`, `to`): not available, so not counted in capacity.")

    def problems(self) -> Iterator[Problem]:
        for index, off in enumerate(self.time_off):
            if off.end < off.start:
                yield Problem(("time_off", index, "to"), f"time off ends ({off.end}) before it starts ({off.start})")


# ---------------------------------------------------------------- projects


class Allocation(_Strict):
    """A team entry: a named `person` or a `role` demand, `fte` from `from` to `to` (inclusive).

    `from`/`to` default to the project's `start`/`end` (filled in when the project is validated).
    """

    person: Id | None = Field(None, description="Person id of who is booked (or give `role`).")
    role: Id | None = Field(None, description="A role asked for, nobody named yet (or give `person`).")
    fte: Fte = Field(description="Share of a full-time person on every day of the range: 0.5 = half time.")
    start: Day | None = Field(None, alias="from", description="First day of the allocation; default the project's `start`.")
    end: Day | None = Field(None, alias="to", description="Last day of the allocation (inclusive); default the project's `end`.")


# Both or neither (contract): an `invalid-value` at the entry.
ONE_OF_PERSON_AND_ROLE = "a team entry names exactly one of 'person' and 'role'"


def _dated(entry: Allocation, start: date, end: date) -> Allocation:
    """`entry` with its missing `from`/`to` filled from the project's dates, still marked unset: `ppm diff` compares entries as written."""
    filled = entry.model_copy(update={"start": entry.start or start, "end": entry.end or end})
    filled.model_fields_set.intersection_update(entry.model_fields_set)
    return filled


Date = date  # `date` is a field name inside Milestone: its methods take a `Date`


class Milestone(_Strict):
    """A milestone: planned `date`, and `done` once it is reached."""

    name: Name = Field(description="The milestone's name (baselines match milestones by it).")
    date: Day = Field(description="The date planned.")
    done: Day | None = Field(None, description="The date it was reached; absent while it is not.")

    def is_done(self, as_of: Date) -> bool:
        """Done on or before `as_of` (a `done` after it means not done yet as of then)."""
        return self.done is not None and self.done <= as_of

    def is_late(self, as_of: Date) -> bool:
        """Not done as of `as_of`, and planned before it."""
        return self.date < as_of and not self.is_done(as_of)


class Risk(_Strict):
    """A risk; exposure is probability × impact while `status` is open."""

    name: Name = Field(description="What could happen.")
    probability: Fraction01 = Field(description="Chance it happens, 0 to 1.")
    impact: Amount = Field(description="Cost if it happens.")
    owner: Id | None = Field(None, description="Person id of who watches it.")
    status: RiskStatus = Field(RiskStatus.OPEN, description="open or closed; only open risks count.")
    mitigation: Text | None = Field(None, description="What is done about it.")


class StatusReport(_Strict):
    """A weekly status report."""

    date: Day = Field(description="The day the status describes (figures are as of it).")
    health: Health = Field(description="green, amber or red, as the project manager reports it.")
    percent_complete: Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=100)] = Field(description="Work done, 0 to 100 (earned value = budget × it).")
    actual_cost: Amount = Field(description="Money spent to date.")
    forecast_cost: Amount | None = Field(None, description="Estimate at completion, if the manager gives one (else budget ÷ CPI).")
    benefits_realized: Amount | None = Field(None, description="Benefits delivered to date.")
    note: Text | None = Field(None, description="What the status says in words.")


GoalContributions = Annotated[
    dict[Id, Fraction01],
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
                {"type": "array", "items": {"type": "string"}},
            ]
        }
    ),
]


class Project(_Strict):
    """`projects/ID.yaml`: one project, its plan, team and status history."""

    id: EntityId = Field("", alias="__id__")
    name: Name = Field(description="The project's name.")
    portfolio: Id | None = Field(None, description="Id of its portfolio (or give `program`, whose portfolio it takes).")
    program: Id | None = Field(None, description="Id of its program.")
    manager: Id = Field(description="Person id of its project manager.")
    phase: Phase = Field(description="proposed, initiation, planning, execution, monitoring, closed or cancelled.")
    start: Day = Field(description="First day of the project.")
    end: Day = Field(description="Last day planned.")
    budget: Amount = Field(description="Budget at completion (BAC).")
    benefits: Amount | None = Field(None, description="Benefits expected over its life.")
    mandatory: Flag = Field(False, description="true: always selected (regulation, contract).")
    goals: GoalContributions = Field({}, description="Goal ids it serves, with how much (0 to 1), or a list of goal ids (1 each).")
    scores: dict[Id, Number] = Field({}, description="Raw values of the scoring models' inputs, by name.")
    depends_on: tuple[Id, ...] = Field((), description="Project ids it needs delivered first.")
    excludes: tuple[Id, ...] = Field((), description="Project ids that cannot be selected with it (alternatives).")
    tags: tuple[Id, ...] = Field((), description="Free labels, for --tag and report --by tag.")
    team: tuple[Allocation, ...] = Field((), description="Who works on it (`person` or `role`), at what `fte`, `from` and `to`.")
    milestones: tuple[Milestone, ...] = Field((), description="Milestones: `name`, `date`, `done`.")
    risks: tuple[Risk, ...] = Field((), description="Risks: `name`, `probability`, `impact`, `owner`, `status`.")
    status: tuple[StatusReport, ...] = Field((), description="Status reports, one per date: health, percent complete, cost.")

    @field_validator("goals", mode="before")
    @classmethod
    def _goals_list_means_full_contribution(cls, value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return {item: 1.0 for item in value}
        return value

    @model_validator(mode="after")
    def _team_dates_default_to_project(self) -> Project:
        team = tuple(a if a.start is not None and a.end is not None else _dated(a, self.start, self.end) for a in self.team)
        # Frozen model: the one place a validated value is completed in place.
        object.__setattr__(self, "team", team)
        return self

    def problems(self) -> Iterator[Problem]:
        """Rules across fields of one project, each a `Problem` (path, message, code)."""
        if self.portfolio is None and self.program is None:
            yield Problem(("portfolio",), NEEDS_PORTFOLIO, "missing-field")
        inverted = self.end < self.start
        if inverted:
            yield Problem(("end",), f"end {self.end} is before start {self.start}")
        for index, entry in enumerate(self.team):
            if (entry.person is None) == (entry.role is None):
                yield Problem(("team", index), ONE_OF_PERSON_AND_ROLE)
            # An entry that takes a date from a project whose dates are inverted has the project's problem, reported once above.
            inherited = inverted and (entry.start == self.start or entry.end == self.end)
            if entry.end is not None and entry.start is not None and entry.end < entry.start and not inherited:
                # At `to`, or at `from` when the entry takes its end from the project (`to` unset: not in the file).
                written = "to" if "end" in entry.model_fields_set or "start" not in entry.model_fields_set else "from"
                yield Problem(("team", index, written), f"allocation ends ({entry.end}) before it starts ({entry.start})")
        seen: set[date] = set()
        for index, report in enumerate(self.status):
            if report.date in seen:
                yield Problem(("status", index, "date"), f"a second status report dated {report.date}")
            seen.add(report.date)
        if self.id in self.excludes:
            yield Problem(("excludes", self.excludes.index(self.id)), f"project {quote(self.id)} cannot exclude itself")

    @property
    def named_people(self) -> set[str]:
        """The people its team names (an entry names a person or a role)."""
        return {entry.person for entry in self.team if entry.person is not None}

    def latest_status(self, as_of: date) -> StatusReport | None:
        """The newest status report on or before `as_of` (later ones are ignored everywhere)."""
        best: StatusReport | None = None
        for report in self.status:
            if report.date <= as_of and (best is None or report.date > best.date):
                best = report
        return best

    def statuses_until(self, as_of: date) -> list[StatusReport]:
        """Status reports on or before `as_of`, oldest first."""
        return sorted((r for r in self.status if r.date <= as_of), key=lambda r: r.date)

    def dependency_state(self, dependency: Project) -> str:
        """What this project can expect of a project it depends on.

        "cancelled" (it will never deliver), "met" (closed: delivered), "overlaps"
        (not closed and ending after this project starts: not viable as planned) or "ok".
        """
        if dependency.phase is Phase.CANCELLED:
            return "cancelled"
        if dependency.phase is Phase.CLOSED:
            return "met"
        return "overlaps" if dependency.end > self.start else "ok"


# ---------------------------------------------------------------- scenarios

# As `ppm plan` bounds its options: a typo cannot ask for a century of months or a million hires.
MAX_PLAN_MONTHS = 120
MAX_PLAN_DELAY = 24
MAX_HIRES = 10_000
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


def _month(value: str | date) -> str:
    """A month as written (YYYY-MM) in the years ppm plans in; else the sentence after the field's name, as a
    `ppm_rule` error: a type error, found with the file's others (a rule across fields runs on a valid file only)."""
    if not (isinstance(value, str) and re.match(MONTH_PATTERN, value)):
        raise PydanticCustomError("ppm_rule", "{why}", {"why": f"should be a month (YYYY-MM), found {quote(value)}"})
    why = outside_years(int(value[:4]))
    if why is not None:
        raise PydanticCustomError("ppm_rule", "{why}", {"why": f"{value} {why}"})
    return value


# `from: 2027-02` is text in YAML; `2027-02-01` would be a date, refused with a message saying to write the month.
Month = Annotated[
    Annotated[str, Field(strict=True)] | Annotated[date, Field(strict=True)],
    AfterValidator(_month),
    WithJsonSchema({"type": "string", "pattern": MONTH_PATTERN}),
]


class Hire(_Strict):
    """`count` more people of `role` from the month `from` (YYYY-MM; default the plan's first)."""

    role: Id = Field(description="The role hired (backend-engineer…); a role nobody holds yet is fine.")
    count: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_HIRES)] = Field(description="How many people (0.5: a half-time contractor), at most 10,000.")
    start: Month | None = Field(None, alias="from", description="The first month they work, YYYY-MM (default: the plan's first month).")


class PlanOptions(_Strict):
    """The options of `ppm plan` a scenario sets, each optional (the command line's win)."""

    budget: Amount | None = Field(None, description="`--budget`: money for the kept running projects and the started candidates.")
    months: Annotated[int, Field(strict=True, ge=1, le=MAX_PLAN_MONTHS)] | None = Field(None, description="`--months`: the horizon in calendar months, 1 to 120 (default 12).")
    max_delay: Annotated[int, Field(strict=True, ge=0, le=MAX_PLAN_DELAY)] | None = Field(None, description="`--max-delay`: whole months a candidate may start late, 0 to 24 (default 0).")
    hire: tuple[Hire, ...] = Field((), description="`--hire`: people added to a role from a month.")
    stop: tuple[Id, ...] = Field((), description="`--stop`: running projects stopped, freeing their cost and people.")
    force_in: tuple[Id, ...] = Field((), description="`--force-in`: candidates started whatever their score.")
    force_out: tuple[Id, ...] = Field((), description="`--force-out`: candidates never started.")
    model: Id | None = Field(None, description="`--model`: a scoring model of ppm.yaml (default: its default).")
    method: Literal["greedy", "optimal"] | None = Field(None, description="`--method`: optimal (the default) or greedy.")


# `ppm scenarios` shows the plan with no options under this id, beside the scenarios: no file may take it.
BASELINE = "baseline"


class Scenario(_Strict):
    """`scenarios/ID.yaml`: a question leadership asks, as the options of `ppm plan`."""

    id: EntityId = Field("", alias="__id__")
    name: Name = Field(description="The question, as leadership asked it: a column of `ppm scenarios`.")
    description: Text | None = Field(None, description="Who asked, when, and why.")
    plan: PlanOptions = Field(PlanOptions(), description="The options of `ppm plan`, each optional; the command line's win.")

    @field_validator("id")
    @classmethod
    def _not_baseline(cls, value: str) -> str:
        # A finding about the file's name, found with the errors of its fields (a rule across fields waits for them).
        if value.casefold() == BASELINE:
            raise PydanticCustomError("ppm_sentence", "{sentence}", {"sentence": f"'{BASELINE}' is what `ppm scenarios` calls the plan with no options; give the file another name"})
        return value


# ---------------------------------------------------------------- the workspace

KIND_MODELS: dict[str, type[_Strict]] = {
    "settings": Settings,
    "portfolios": PortfolioDef,
    "programs": Program,
    "projects": Project,
    "people": Person,
    "scenarios": Scenario,
}


@dataclass(frozen=True)
class Workspace:
    """A loaded workspace: the valid entities by id (sorted), and where each came from.

    Attributes:
        root: display name of the workspace root (not read by analyses).
        settings: `ppm.yaml`, or None when it is invalid.
        portfolios, programs, projects, people, scenarios: valid entities by id, in id order.
        positions: per (kind, id) (and ("settings", "")), the positions of its file.
        invalid: per kind, ids whose files exist but did not validate (references to
            them are not "unknown"; analyses skip them).
        invalid_errors: per (kind, id) of `invalid`, its file's first error (in `ppm check`'s order) and how many it has.
    """

    settings: Settings | None
    portfolios: dict[str, PortfolioDef] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    positions: dict[tuple[str, str], Positions] = field(default_factory=dict)
    invalid: dict[str, frozenset[str]] = field(default_factory=dict)
    invalid_errors: dict[tuple[str, str], tuple[Finding, int]] = field(default_factory=dict)

    def where(self, kind: str, entity_id: str, *path: Any, key: bool = False) -> Location:
        """Location of `path` in the file of entity (kind, id); `key=True` for the key's own position."""
        positions = self.positions.get((kind, entity_id))
        if positions is None:
            return Location(self.file_of(kind, entity_id))
        return positions.key(path) if key else positions.value(path)

    def file_of(self, kind: str, entity_id: str) -> str:
        """The path of entity (kind, id)'s file, as its findings name it."""
        positions = self.positions.get((kind, entity_id))
        return f"{kind}/{entity_id}.yaml" if positions is None else positions.path

    def exists(self, kind: str, entity_id: str) -> bool:
        """True when a file of that kind and id exists, valid or not."""
        return entity_id in getattr(self, kind) or entity_id in self.invalid.get(kind, frozenset())

    def is_invalid(self, kind: str, entity_id: str) -> bool:
        """True when that entity's file exists but did not validate (the analyses skip it)."""
        return entity_id in self.invalid.get(kind, frozenset())

    def invalid_file(self, kind: str, entity_id: str, so: str) -> str:
        """The one sentence for an entity named (by an option, an argument) whose file is invalid: what that means
        (`so`: "it has no status"), where the file is and its first error, as `ppm check` says it.

        Every command words it so (`ppm status`, `--explain`, `--trend`, `--stop`, `--force-in`…): such an entity
        is not "unknown", and the user is sent to the file to mend.
        """
        found = self.invalid_errors.get((kind, entity_id))
        if found is None:
            where = f": {self.file_of(kind, entity_id)}"
        else:
            first, count = found
            more = f" (and {count - 1:,} more)" if count > 1 else ""
            where = f": {first.path}:{first.line}:{first.column}: {first.message}{more}"
        return f"{KIND_LABEL[kind]} {quote(entity_id)} has an invalid file, so {so}{where}; run 'ppm check' for every finding"

    def open_budgets(self) -> dict[str, float]:
        """Per portfolio id, the budgets of its open projects (proposed ones included) added up as written (0.1 + 0.2 is 0.3)."""
        demand: dict[str, Fraction] = {}
        for project in self.projects.values():
            if project.phase.is_open and project.portfolio is not None:
                demand[project.portfolio] = demand.get(project.portfolio, Fraction(0)) + exact(project.budget)
        return {portfolio: float(total) for portfolio, total in demand.items()}


# Why a reference to an entity whose file is invalid is not met, in a reason or a sentence that names the id
# before it: "depends on customer-mobile-app, whose file is invalid" (a missing one is "not defined").
INVALID_FILE = "whose file is invalid"
