"""Closest-match suggestions for a misspelt name ("did you mean ...?"), for the loader and the analyses alike."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, or None when none is close (difflib ratio under 0.6); ties go to the smallest name."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` naming the closest of `choices`, or "" when none is close (appended to a sentence)."""
    match = closest(word, choices)
    return f"; did you mean '{match}'?" if match is not None else ""
