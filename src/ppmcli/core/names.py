"""Closest-match suggestions for a misspelt name ("did you mean ...?"), for the loader and the analyses alike."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

from ppmcli.core.findings import MAX_QUOTED, quote

# What one check may spend on "did you mean" hints, in characters compared (about a second of difflib).
# Each hint compares the word with every id, so thousands of unknown ids against thousands of known ones
# would otherwise take minutes; no real workspace comes near it.
HINT_WORK = 30_000_000


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`: one that differs only in case (`ID` for `id`, too short for difflib to call them
    close), else the closest spelling, or None when none is close (difflib ratio under 0.6); ties go to the smallest name."""
    ordered = sorted(choices)
    folded = word.casefold()
    same = next((choice for choice in ordered if choice.casefold() == folded and choice != word), None)
    if same is not None:
        return same
    close = difflib.get_close_matches(word, ordered, n=1, cutoff=0.6)
    return close[0] if close else None


# Words people write for a field of another name: `start` on a team entry means its `from`.
SYNONYMS: tuple[frozenset[str], ...] = (
    frozenset({"start", "from", "begin", "begins", "starts", "since"}),
    frozenset({"end", "to", "finish", "until", "ends", "due", "deadline"}),
    frozenset({"manager", "owner", "lead", "pm"}),
    frozenset({"fte", "allocation", "load", "percent"}),
    frozenset({"depends_on", "dependencies", "depends", "requires"}),
    frozenset({"budget", "cost", "funding"}),
)


def closest_field(word: str, fields: Collection[str]) -> str | None:
    """The field `word` most likely means: a synonym among `fields` (`start` → `from`), else the closest spelling."""
    lowered = word.lower()
    for group in SYNONYMS:
        if lowered in group:
            meant = sorted(group.intersection(fields) - {lowered})
            if meant:
                return meant[0]
    return closest(word, fields)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` naming the closest of `choices`, or "" when none is close (appended to a sentence)."""
    return suggestion(closest(word, choices))


def suggestion(match: str | None) -> str:
    """`; did you mean 'x'?` for a match found, or ""."""
    return f"; did you mean {quote(match)}?" if match is not None else ""


class Hints:
    """`did_you_mean()` for the findings of one check, with bounded work: once HINT_WORK is spent, the rest go without a hint."""

    def __init__(self) -> None:
        self.left = HINT_WORK

    def __call__(self, word: str, choices: Collection[str]) -> str:
        if self.left <= 0 or len(word) > MAX_QUOTED:
            return ""
        self.left -= len(word) * sum(len(choice) + 8 for choice in choices)
        return did_you_mean(word, choices)
