"""Scoring models (weighted, WSJF, RICE): which inputs each reads, and what makes a project unscored."""

from __future__ import annotations

from dataclasses import dataclass

from ppmcli.core.model import Project, ScoringModel

WSJF_INPUTS = ("business_value", "time_criticality", "risk_reduction", "job_size")
RICE_INPUTS = ("reach", "impact", "confidence", "effort")
# The weighted model's built-in criterion, computed from the project's goals.
ALIGNMENT = "alignment"


def model_inputs(model: ScoringModel) -> tuple[str, ...]:
    """The `scores` names a model reads from each project."""
    if model.type == "wsjf":
        return WSJF_INPUTS
    if model.type == "rice":
        return RICE_INPUTS
    return tuple(name for name in model.criteria if name != ALIGNMENT)


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


def input_problems(project: Project, model: ScoringModel) -> InputProblems:
    """The inputs of `model` that `project` lacks or gives out of range."""
    missing = tuple(name for name in model_inputs(model) if name not in project.scores)
    invalid: list[tuple[str, str]] = []
    scores = project.scores
    if model.type == "weighted":
        for name, criterion in model.criteria.items():
            if name == ALIGNMENT or name not in scores:
                continue
            lo, hi = criterion.scale
            if not lo <= scores[name] <= hi:
                invalid.append((name, f"score '{name}' is {scores[name]:g}, outside its scale [{lo:g}, {hi:g}]"))
    elif model.type == "wsjf":
        if "job_size" in scores and scores["job_size"] <= 0:
            invalid.append(("job_size", f"'job_size' must be above 0, found {scores['job_size']:g}"))
    elif model.type == "rice":
        if "effort" in scores and scores["effort"] <= 0:
            invalid.append(("effort", f"'effort' must be above 0, found {scores['effort']:g}"))
        if "confidence" in scores and not 0 <= scores["confidence"] <= 1:
            invalid.append(("confidence", f"'confidence' must be between 0 and 1, found {scores['confidence']:g}"))
    return InputProblems(missing, tuple(invalid))
