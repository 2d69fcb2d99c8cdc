"""Scoring models (weighted, WSJF, RICE): the inputs each reads, what makes a project unscored, exact scores, their explanation and the ranking.

Analysis layer. Scores are exact fractions of the numbers as written (0.1 + 0.2
ties with 0.3); renderers round them for output only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import ClassVar, TypeVar, cast

from ppmcli.core.errors import PpmError
from ppmcli.core.findings import cut, listed, quote
from ppmcli.core.model import Goal, Project, ScoringModel, Settings, Workspace
from ppmcli.core.names import did_you_mean
from ppmcli.core.numbers import exact

# The weighted model's built-in criterion, computed from the project's goals.
ALIGNMENT = "alignment"


@dataclass(frozen=True, slots=True)
class InputProblems:
    """Why a project cannot be scored by a model.

    Attributes:
        missing: input names absent from `scores`.
        invalid: (input name, message) for values out of their range.
    """

    missing: tuple[str, ...]
    invalid: tuple[tuple[str, str], ...]

    def __bool__(self) -> bool:
        return bool(self.missing or self.invalid)


def model_inputs(model: ScoringModel) -> tuple[str, ...]:
    """The `scores` names a model reads from each project."""
    return MODEL_TYPES[model.type].inputs_of(model)


def settings_inputs(settings: Settings) -> set[str]:
    """Every score name some model of ppm.yaml reads."""
    return {name for model in settings.scoring.models.values() for name in model_inputs(model)}


def input_problems(project: Project, model: ScoringModel) -> InputProblems:
    """The inputs of `model` that `project` lacks or gives out of range."""
    missing = tuple(name for name in model_inputs(model) if name not in project.scores)
    return InputProblems(missing, tuple(MODEL_TYPES[model.type].invalid(model, project.scores)))


# ---------------------------------------------------------------- exact scores


def resolve_model(settings: Settings, name: str | None = None, option: str = "--model") -> tuple[str, ScoringModel]:
    """The scoring model named `name`, or the default one: (name, model); `option` is what a sentence calls the name's source.

    Raises:
        PpmError: no model of that name is defined in ppm.yaml.
    """
    chosen = settings.scoring.default if name is None else name
    model = settings.scoring.models.get(chosen)
    if model is None:
        known = listed(cut(model_name) for model_name in settings.scoring.models) or "none"
        which = option if name is not None else "the default scoring model"
        raise PpmError(f"{which} {quote(chosen)} is not defined in ppm.yaml (models: {known}){did_you_mean(chosen, settings.scoring.models)}")
    return chosen, model


@dataclass(frozen=True, slots=True)
class Term:
    """One input's part in a project's score (see `explain`).

    Attributes:
        name: the criterion or input name.
        raw: the value read (for `alignment`, Σ goal weight × contribution).
        normalized: the criterion's n in 0..1 (weighted models only).
        weight: the criterion's weight (weighted models only).
        share: the points this term adds to the score; the shares sum to the score.
            None for a divisor, and for RICE's factors (a product has no additive shares).
        note: how the term is read: its scale, direction, goals, or role in the formula.
    """

    name: str
    raw: Fraction | None
    normalized: Fraction | None
    weight: Fraction | None
    share: Fraction | None
    note: str


@dataclass(frozen=True, slots=True)
class Scored:
    """A project's score under one model.

    Attributes:
        score: the score, exact; None when the project is unscored.
        value: what selection maximizes: the score for `weighted`, the numerator
            (cost of delay; reach · impact · confidence) for `wsjf` and `rice`.
        lacks: why the project is unscored: missing inputs and values out of range.
        terms: each input's part in the score, in the model's order.
    """

    score: Fraction | None
    value: Fraction | None
    lacks: tuple[str, ...]
    terms: tuple[Term, ...]


def _lacks(problems: InputProblems) -> tuple[str, ...]:
    return tuple(f"lacks {quote(name)}" for name in problems.missing) + tuple(message for _, message in problems.invalid)


def score_project(project: Project, model: ScoringModel, goals: Mapping[str, Goal]) -> Scored:
    """Score one project exactly under `model`, with each input's term.

    Args:
        project: the project.
        model: the scoring model.
        goals: the strategic goals of ppm.yaml (for the `alignment` criterion).

    Returns:
        The score, value and per-input terms, or, for an unscored project, what it lacks.
    """
    return _Scorer(model, goals).score(project, terms=True)


class ModelType:
    """A scoring model type of ppm.yaml's `scoring.models` (`type:`), registered in `MODEL_TYPES` by `@model_type`.

    An instance holds one model's constants, worked out once for a whole
    ranking; `score()` then costs a few exact operations per project. A new
    model type is one subclass: its inputs, what makes a value invalid, the
    score and value from the inputs, each input's explanation term, and the
    formula the README shows.

    Attributes:
        name: the `type:` value.
        formula: the score, as the README's table writes it.
        value: what selection maximizes, as the README's table writes it.
        inputs: the `scores` names read from each project, in order.
    """

    name: ClassVar[str]
    formula: ClassVar[str]
    value: ClassVar[str]
    inputs: ClassVar[tuple[str, ...]] = ()

    def __init__(self, model: ScoringModel, goals: Mapping[str, Goal]) -> None:
        self.model = model

    @classmethod
    def inputs_of(cls, model: ScoringModel) -> tuple[str, ...]:
        """The `scores` names `model` reads."""
        return cls.inputs

    @classmethod
    def invalid(cls, model: ScoringModel, scores: Mapping[str, float]) -> list[tuple[str, str]]:
        """(input, message) for each value given out of its range."""
        return []

    def score(self, project: Project, scores: Mapping[str, Fraction], terms: bool) -> Scored:
        """Score and value from the exact inputs (all present and valid); each input's `Term` too when `terms`."""
        raise NotImplementedError


MODEL_TYPES: dict[str, type[ModelType]] = {}

ModelT = TypeVar("ModelT", bound=type[ModelType])


def model_type(cls: ModelT) -> ModelT:
    """Class decorator: register a scoring model type under its `name`."""
    MODEL_TYPES[cls.name] = cls
    return cls


@dataclass(frozen=True, slots=True)
class _Criterion:
    """A weighted criterion, with `points` = 100 · w / (Σw · (hi − lo)): what one unit of raw value adds to the score."""

    name: str
    weight: Fraction
    lo: Fraction
    hi: Fraction
    higher_is_better: bool
    points: Fraction


# Bits of a running denominator above which it is reduced: a few terms never reach it, and many (a model's criteria,
# a project's goals: the workspace decides how many) cannot make the integers grow without bound.
_REDUCE_ABOVE = 1024


def _added(top: int, bottom: int, n: int, m: int) -> tuple[int, int]:
    """top/bottom + n/m as a numerator and a denominator, reduced only once they grow long."""
    top, bottom = top * m + n * bottom, bottom * m
    if bottom.bit_length() > _REDUCE_ABOVE:
        common = math.gcd(top, bottom)
        top, bottom = top // common, bottom // common
    return top, bottom


@model_type
class Weighted(ModelType):
    """Weighted criteria, each normalized to its scale; `alignment` from the project's goals.

    The score is Σ points_i · (v_i − lo_i) (or (hi_i − v_i) when lower is better) plus
    alignment_points · Σ_g weight_g · contribution_g, which is 100 · Σ wᵢ·nᵢ / Σ wᵢ rearranged.
    """

    name = "weighted"
    formula = (
        "100 · Σ wᵢ·nᵢ / Σ wᵢ, n = (v − lo)/(hi − lo), or 1 − that with `higher_is_better: false`; the built-in `alignment` "
        "criterion has n = Σ_g weight_g · contribution_g / Σ_all goals weight_g (0 without goals)"
    )
    value = "the score"

    def __init__(self, model: ScoringModel, goals: Mapping[str, Goal]) -> None:
        super().__init__(model, goals)
        self.goal_weights = {goal_id: exact(goal.weight) for goal_id, goal in goals.items()}
        self.goal_total = sum(self.goal_weights.values(), Fraction(0))
        total = sum((exact(c.weight) for c in model.criteria.values()), Fraction(0))
        self.criteria: list[_Criterion] = []
        for name, criterion in model.criteria.items():
            weight = exact(criterion.weight)
            if name == ALIGNMENT:
                # n = raw / Σ goal weights; no goals at all: n = 0.
                span = self.goal_total or None
                lo, hi = Fraction(0), self.goal_total
            else:
                lo, hi = exact(criterion.scale[0]), exact(criterion.scale[1])
                span = hi - lo
            points = 100 * weight / (total * span) if span else Fraction(0)
            self.criteria.append(_Criterion(name, weight, lo, hi, criterion.higher_is_better or name == ALIGNMENT, points))

    @classmethod
    def inputs_of(cls, model: ScoringModel) -> tuple[str, ...]:
        return tuple(name for name in model.criteria if name != ALIGNMENT)

    @classmethod
    def invalid(cls, model: ScoringModel, scores: Mapping[str, float]) -> list[tuple[str, str]]:
        found = []
        for name, criterion in model.criteria.items():
            if name == ALIGNMENT or name not in scores:
                continue
            lo, hi = criterion.scale
            if not lo <= scores[name] <= hi:
                found.append((name, f"score {quote(name)} is {scores[name]:g}, outside its scale [{lo:g}, {hi:g}]"))
        return found

    def score(self, project: Project, scores: Mapping[str, Fraction], terms: bool) -> Scored:
        if not terms:
            score = self._sum(project, scores)
            return Scored(score, score, (), ())
        score = Fraction(0)
        found = []
        for criterion in self.criteria:
            raw = self._alignment(project) if criterion.name == ALIGNMENT else scores[criterion.name]
            share = criterion.points * (raw - criterion.lo if criterion.higher_is_better else criterion.hi - raw)
            score += share
            found.append(self._term(criterion, raw, share, project))
        return Scored(score, score, (), tuple(found))

    def _sum(self, project: Project, scores: Mapping[str, Fraction]) -> Fraction:
        """Σ points_i · (v_i − lo_i), the same exact value as with `Fraction` at each step, added up as one numerator
        over one denominator in integers and reduced once: each `Fraction` step reduces by a gcd, most of a score's cost."""
        top, bottom = 0, 1
        for criterion in self.criteria:
            raw = self._alignment(project) if criterion.name == ALIGNMENT else scores[criterion.name]
            n, m = raw.numerator, raw.denominator
            bound = criterion.lo if criterion.higher_is_better else criterion.hi
            # v − lo, or hi − v: n/m − p/q, or its opposite.
            n = n * bound.denominator - bound.numerator * m
            m = m * bound.denominator
            if not criterion.higher_is_better:
                n = -n
            n, m = criterion.points.numerator * n, criterion.points.denominator * m
            top, bottom = _added(top, bottom, n, m)
        return Fraction(top, bottom)

    def _alignment(self, project: Project) -> Fraction:
        """Σ_g weight_g · contribution_g, added up in integers and reduced once, as `_sum` adds the criteria."""
        # Goals not in ppm.yaml count for nothing (`ppm check` reports them).
        top, bottom = 0, 1
        for goal_id, contribution in project.goals.items():
            weight = self.goal_weights.get(goal_id)
            if weight is not None:
                part = exact(contribution)
                top, bottom = _added(top, bottom, weight.numerator * part.numerator, weight.denominator * part.denominator)
        return Fraction(top, bottom)

    def _term(self, criterion: _Criterion, raw: Fraction, share: Fraction, project: Project) -> Term:
        span = criterion.hi - criterion.lo
        normalized = (raw - criterion.lo) / span if span else Fraction(0)
        if criterion.name == ALIGNMENT:
            named = [f"{goal_id} {_num(exact(c))}×{_num(self.goal_weights[goal_id])}" for goal_id, c in project.goals.items() if goal_id in self.goal_weights]
            note = f"goals {' + '.join(named)} of {_num(self.goal_total)}" if named else "no goals"
        else:
            note = f"scale {_num(criterion.lo)}–{_num(criterion.hi)}"
            if not criterion.higher_is_better:
                normalized = 1 - normalized
                note += ", lower is better"
        return Term(criterion.name, raw, normalized, criterion.weight, share, note)


@model_type
class Wsjf(ModelType):
    """Weighted shortest job first: cost of delay over job size."""

    name = "wsjf"
    formula = "(business_value + time_criticality + risk_reduction) / job_size"
    value = "the cost of delay (the numerator)"
    inputs = ("business_value", "time_criticality", "risk_reduction", "job_size")

    @classmethod
    def invalid(cls, model: ScoringModel, scores: Mapping[str, float]) -> list[tuple[str, str]]:
        if "job_size" in scores and scores["job_size"] <= 0:
            return [("job_size", f"'job_size' must be above 0, found {scores['job_size']:g}")]
        return []

    def score(self, project: Project, scores: Mapping[str, Fraction], terms: bool) -> Scored:
        value = scores["business_value"] + scores["time_criticality"] + scores["risk_reduction"]
        job_size = scores["job_size"]
        return Scored(value / job_size, value, (), self._terms(scores) if terms else ())

    def _terms(self, scores: Mapping[str, Fraction]) -> tuple[Term, ...]:
        job_size = scores["job_size"]
        shares = tuple(Term(name, scores[name], None, None, scores[name] / job_size, "cost of delay") for name in self.inputs[:3])
        return shares + (Term("job_size", job_size, None, None, None, "divisor"),)


@model_type
class Rice(ModelType):
    """Reach, impact, confidence over effort."""

    name = "rice"
    formula = "reach · impact · confidence / effort"
    value = "reach · impact · confidence"
    inputs = ("reach", "impact", "confidence", "effort")

    @classmethod
    def invalid(cls, model: ScoringModel, scores: Mapping[str, float]) -> list[tuple[str, str]]:
        found = []
        if "effort" in scores and scores["effort"] <= 0:
            found.append(("effort", f"'effort' must be above 0, found {scores['effort']:g}"))
        if "confidence" in scores and not 0 <= scores["confidence"] <= 1:
            found.append(("confidence", f"'confidence' must be between 0 and 1, found {scores['confidence']:g}"))
        return found

    def score(self, project: Project, scores: Mapping[str, Fraction], terms: bool) -> Scored:
        value = scores["reach"] * scores["impact"] * scores["confidence"]
        return Scored(value / scores["effort"], value, (), self._terms(scores) if terms else ())

    def _terms(self, scores: Mapping[str, Fraction]) -> tuple[Term, ...]:
        factors = tuple(Term(name, scores[name], None, None, None, "factor") for name in self.inputs[:3])
        return factors + (Term("effort", scores["effort"], None, None, None, "divisor"),)


class _Scorer:
    """A ranking's scorer: one model type's instance, and what every project needs checked before it is scored."""

    def __init__(self, model: ScoringModel, goals: Mapping[str, Goal]) -> None:
        self.model = model
        self.kind = MODEL_TYPES[model.type](model, goals)
        self.inputs = model_inputs(model)

    def score(self, project: Project, *, terms: bool = False) -> Scored:
        """The project's score and value; each input's `Term` too when `terms` (for --explain)."""
        problems = input_problems(project, self.model)
        if problems:
            return Scored(None, None, _lacks(problems), ())
        return self.kind.score(project, {name: exact(project.scores[name]) for name in self.inputs}, terms)


def _num(number: Fraction) -> str:
    return f"{float(number):g}"


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True, slots=True)
class Ranked:
    """One open project in a ranking.

    Attributes:
        id: project id.
        rank: 1-based rank; None for an unscored project.
        score, value: see `Scored`; None when unscored.
        cost: the project's budget, exact.
        lacks: why it is unscored (empty when scored).
        mandatory: the project must be funded whatever its score.
    """

    id: str
    rank: int | None
    score: Fraction | None
    value: Fraction | None
    cost: Fraction
    lacks: tuple[str, ...]
    mandatory: bool


@dataclass(frozen=True, slots=True)
class Ranking:
    """Open projects ranked under one scoring model: scored ones by score (highest first, equal scores by id), then unscored ones by id.

    Attributes:
        model: the model's name in ppm.yaml.
        type: weighted, wsjf or rice.
        rows: the projects in rank order.
    """

    model: str
    type: str
    rows: tuple[Ranked, ...]


def rank_projects(projects: Mapping[str, Project], settings: Settings, model_name: str | None = None, *, scores: MutableMapping[str, tuple[Project, Scored]] | None = None) -> Ranking:
    """Rank the open projects among `projects` by their score under one model.

    Args:
        projects: the projects to rank (already narrowed by any filter), by id.
        settings: ppm.yaml (models and goals).
        model_name: the model (`--model`), or None for the default one.
        scores: scores already computed under this model and these settings, by project id, with
            the project scored: reused for the same project, and added to (`prioritize` and `plan`
            in one command score each project once).

    Returns:
        The ranking; ranks start at 1 and unscored projects come last with rank None.

    Raises:
        PpmError: the model is not defined.
    """
    name, model = resolve_model(settings, model_name)
    scorer = _Scorer(model, settings.goals)
    scored: list[Ranked] = []
    unscored: list[Ranked] = []
    for pid in sorted(projects):
        project = projects[pid]
        if not project.phase.is_open:
            continue
        known = scores.get(pid) if scores is not None else None
        if known is not None and known[0] is project:
            result = known[1]
        else:
            result = scorer.score(project)
            if scores is not None:
                scores[pid] = (project, result)
        row = Ranked(pid, None, result.score, result.value, exact(project.budget), result.lacks, project.mandatory)
        (unscored if result.score is None else scored).append(row)
    scored.sort(key=_by_score, reverse=True)  # reverse keeps the sort stable: equal scores stay in id order
    ranked = tuple(replace(row, rank=index) for index, row in enumerate(scored, 1))
    return Ranking(name, model.type, ranked + tuple(unscored))


def _by_score(row: Ranked) -> tuple[float, Fraction]:
    """A key in the order of the exact score that compares faster: its float first (rounding never inverts an
    order, and equal floats fall back to the exact score); a score beyond a float's range is infinite there."""
    score = cast(Fraction, row.score)
    try:
        return float(score), score
    except OverflowError:  # e.g. a WSJF job size of 1e-300
        return (math.inf if score > 0 else -math.inf), score


# ---------------------------------------------------------------- explanation


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why one project scores what it does.

    Attributes:
        project: project id.
        model, type: the scoring model's name and type.
        rank: the project's rank among the projects looked at (None when unscored or not open).
        scored: the score, value, what it lacks and each input's term.
    """

    project: str
    model: str
    type: str
    rank: int | None
    scored: Scored


def explain(projects: Mapping[str, Project], settings: Settings, project_id: str, model_name: str | None = None, ws: Workspace | None = None) -> Explanation:
    """Each criterion's raw value, normalized value, weight and share of one project's score.

    Args:
        projects: the projects looked at (narrowed by any filter), by id.
        settings: ppm.yaml.
        project_id: the project to explain.
        model_name: the model (`--model`), or None for the default one.
        ws: the workspace, to say so when a project not among `projects` has an invalid file.

    Returns:
        The explanation; for a weighted or WSJF model the shares sum to the score.

    Raises:
        PpmError: the project is not among `projects` (or its file is invalid), or the model is not defined.
    """
    if project_id not in projects and ws is not None and ws.is_invalid("projects", project_id):
        raise PpmError(f"--explain: {ws.invalid_file('projects', project_id, 'it has no score')}")
    if project_id not in projects:
        raise PpmError(f"--explain: no project {quote(project_id)} among the projects looked at{did_you_mean(project_id, projects)}")
    ranking = rank_projects(projects, settings, model_name)
    name, model = resolve_model(settings, model_name)
    rank = next((row.rank for row in ranking.rows if row.id == project_id), None)
    return Explanation(project_id, name, model.type, rank, score_project(projects[project_id], model, settings.goals))
