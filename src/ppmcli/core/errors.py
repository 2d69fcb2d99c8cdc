"""The one expected failure, a command that cannot run (exit code 2), and how its sentence (or a finding's) quotes a user's value.

A leaf module: the CLI and the warm `ppm check` import it on their start-up path.
"""

from __future__ import annotations


class PpmError(Exception):
    """A condition that stops a command: bad option, no workspace, unknown git revision.

    Its message is one sentence that says what and where; the CLI prints it and exits 2.
    """


# Characters no user string may bring into an output as they are, as a regular expression's class: C0 (tab and line
# breaks included), DEL, C1 (0x9b is a one-byte CSI), the Unicode line separators, and the bidirectional marks and
# overrides that reorder what a reader sees (U+061C, U+200E/F, U+202A-E, U+2066-9), and the tag characters
# (U+E0000-7F), which no terminal or browser shows: text written in them is read by programs, not by the reviewer;
# and lone surrogates, which no output can encode (Python's stand-ins for bytes that are not UTF-8, in an argument).
# Each format's escaper, and the loader for file names, use this one set.
CONTROL_CHARACTERS = "\x00-\x1f\x7f-\x9f\u061c\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\U000e0000-\U000e007f\ud800-\udfff"

# A value quoted from a workspace or a command line is cut to this many characters.
MAX_QUOTED = 80


def cut(text: str, limit: int = MAX_QUOTED) -> str:
    """`text` cut to `limit` characters, the last of them an ellipsis when anything was left out."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counted(count: int, noun: str) -> str:
    """A count and its noun, singular for one: "1 day", "2 days", "20,000 projects" (the nouns ppm counts take an s)."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def quote(value: object) -> str:
    """A user value as a message quotes it: in single quotes, cut to MAX_QUOTED characters."""
    return f"'{cut(str(value))}'"
