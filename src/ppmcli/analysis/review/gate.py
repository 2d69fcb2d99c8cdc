"""`ppm diff --fail-on`: which of the named effects a change has, and where.

Pure reading of a `PortfolioDiff`: every effect is something the diff already
compares (findings, over-allocations, the funding line, portfolio envelopes,
project health), so the gate fails on exactly what the comment shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ppmcli.analysis.review.diff import PortfolioDiff
from ppmcli.core.errors import PpmError
from ppmcli.core.findings import listed, quote
from ppmcli.core.kinds import KIND_LABEL
from ppmcli.core.names import did_you_mean
from ppmcli.core.numbers import amount

EFFECTS = ("new-error", "new-overallocation", "defunded", "over-budget", "health-drop")


@dataclass(frozen=True, slots=True)
class Failure:
    """One effect found: `kind` and `where` say what it is about (a file position, a person, a project, a portfolio)."""

    effect: str
    kind: str
    where: str
    detail: str


@dataclass(frozen=True, slots=True)
class Gate:
    """The effects asked for and those the change has, in `EFFECTS` order then by place."""

    effects: tuple[str, ...]
    failures: tuple[Failure, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        """The effects that failed, in `EFFECTS` order."""
        return tuple(effect for effect in self.effects if any(f.effect == effect for f in self.failures))


def parse_effects(values: Iterable[str]) -> tuple[str, ...]:
    """The effects of repeated and comma-separated `--fail-on` values, in `EFFECTS` order.

    Raises:
        PpmError: one of them is not an effect, or a value names none (`--fail-on "$UNSET"` must not turn the gate off unseen).
    """
    values = list(values)
    for value in values:
        if not value.replace(",", "").strip():
            raise PpmError(f"--fail-on {quote(value)} names no effect; give one or more of {', '.join(EFFECTS)}")
    named = {part.strip() for value in values for part in value.split(",") if part.strip()}
    unknown = sorted(named - set(EFFECTS))
    if unknown:
        raise PpmError(f"--fail-on {quote(unknown[0])} is not one of {', '.join(EFFECTS)}{did_you_mean(unknown[0], EFFECTS)}")
    return tuple(effect for effect in EFFECTS if effect in named)


def evaluate(diff: PortfolioDiff, effects: Iterable[str]) -> Gate:
    """The gate of `effects` (names from `EFFECTS`) over `diff`.

    `defunded` reads the funding line, so it finds nothing unless the diff was
    drawn with a budget or capacity limit (the CLI refuses it otherwise). A file
    valid at the base that the change makes invalid is compared as if it were
    removed, so what it holds at the head is unknown: every effect but `new-error`
    (which finds the file's errors) then fails, naming the file, rather than pass on
    not knowing (an invalid ppm.yaml, or a project made invalid, hid a health drop).
    A file added invalid (or an invalid one renamed) had no state at the base to hide.
    """
    wanted = tuple(effect for effect in EFFECTS if effect in set(effects))
    return Gate(wanted, tuple(failure for effect in wanted for failure in (*_EFFECTS[effect](diff), *_unjudged(diff, effect))))


# The kinds of files whose content the effects read (scenarios: only the plans the comment shows).
_READ_BY_EFFECTS = ("settings", "portfolios", "programs", "projects", "people")


def _unjudged(diff: PortfolioDiff, effect: str) -> Iterator[Failure]:
    """`effect` unknown while the change makes files it reads invalid: one failure per such file."""
    if effect == "new-error":
        return
    was_valid = set(diff.entities.removed)  # an invalid file valid at the base is among the removed (see `EntityDiff.gone`)
    for kind, ident in diff.entities.invalid:
        if kind in _READ_BY_EFFECTS and (kind == "settings" or (kind, ident) in was_valid):
            what = "ppm.yaml" if kind == "settings" else f"{KIND_LABEL[kind]} {quote(ident)}"
            yield Failure(effect, "file" if kind == "settings" else KIND_LABEL[kind], "ppm.yaml" if kind == "settings" else ident,
                          f"cannot be judged: the change makes {what} invalid, so what it holds is unknown (its errors are new errors)")


def _new_errors(diff: PortfolioDiff) -> Iterator[Failure]:
    for f in diff.new_errors:
        yield Failure("new-error", "file", f"{f.path}:{f.line}:{f.column}", f"{f.message} [{f.code}]")


def _new_overallocations(diff: PortfolioDiff) -> Iterator[Failure]:
    for c in diff.worse_conflicts:
        detail = f"peak {c.peak:g} FTE of {c.capacity:g} from {c.start} to {c.end} ({listed(c.projects)})"  # a few, then how many more
        yield Failure("new-overallocation", "person", c.person, detail)


def _defunded(diff: PortfolioDiff) -> Iterator[Failure]:
    # Out of the funding is defunded whatever took it out: a limit, or the project removed, cancelled or moved out of
    # the projects compared (`FundingChange.excused`: closed is delivered; an invalid file is unknown, new-error says so).
    for change in diff.funding or ():
        if change.was_selected and not change.now_selected and not change.excused:
            yield Failure("defunded", "project", change.id, f"funded before, not funded now ({change.reason})" if change.reason else "funded before, not funded now")


def _over_budget(diff: PortfolioDiff) -> Iterator[Failure]:
    for e in diff.envelopes:
        if e.went_over:
            yield Failure("over-budget", "portfolio", e.id, f"open projects' budgets {amount(e.open)}, {amount(e.open - e.budget)} above the budget of {amount(e.budget)}")


def _health_drops(diff: PortfolioDiff) -> Iterator[Failure]:
    for change in diff.worse_health:
        yield Failure("health-drop", "project", change.id, f"{change.old} → {change.new}")


_EFFECTS = {
    "new-error": _new_errors,
    "new-overallocation": _new_overallocations,
    "defunded": _defunded,
    "over-budget": _over_budget,
    "health-drop": _health_drops,
}
