"""The stable JSON of the analysis commands: fixed key order (the order records are built in), explicit rounding.

Money and scores are rounded to 2 decimals, ratios (SPI, CPI, utilization, FTE) to 4;
dates are ISO strings. `dumps` writes the bytes of `json.dumps(indent=2)`, faster.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from ppmcli.render.escape import json_text


def money(value: float | None) -> float | None:
    """Money and scores: 2 decimals (None stays null)."""
    return None if value is None or not math.isfinite(value) else _clean(round(value, 2))


def ratio(value: float | None) -> float | None:
    """SPI, CPI, utilization, FTE: 4 decimals."""
    return None if value is None or not math.isfinite(value) else _clean(round(value, 4))


def _clean(value: float) -> float | int:
    # -0.0 prints as "-0.0"; whole numbers print without ".0" so output reads like the input.
    if value == 0:
        return 0
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


class Memo(dict[Any, Any]):
    """`function(value)` by value, computed the first time a value is asked for: a large output rounds the same figures many times."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, value: Any) -> Any:
        result = self[value] = self.function(value)
        return result


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def dumps(data: Any) -> str:
    """JSON text of already-rounded records, two-space indented, one trailing newline.

    The same text as `json.dumps(data, indent=2, ensure_ascii=False,
    allow_nan=False)` but for the characters `escape.json_text` escapes, written faster: Python 3.11's C encoder does not indent,
    so the pure-Python one would write every value of a 20,000-project report.
    Here each innermost object or list (one whose values are all scalars,
    such as a project's figures) is written by the C encoder, whose item
    separator carries the newline and the indent of its depth; only the
    containers above them are walked in Python.
    """
    chunks: list[str] = []
    _encode(data, 0, chunks.append)
    return json_text("".join(chunks) + "\n")


_SCALARS = frozenset({str, int, float, bool, type(None)})
_LEAF_ENCODERS: dict[int, Callable[[Any, int], Any]] = {}


def _not_serializable(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _leaf(depth: int) -> Callable[[Any, int], Any]:
    """The C encoder of a container of scalars whose items sit at `depth` (a scalar: any depth)."""
    encoder = _LEAF_ENCODERS.get(depth)
    if encoder is None:
        # (markers, default, encoder, indent, key separator, item separator, sort_keys, skipkeys, allow_nan)
        encoder = _LEAF_ENCODERS[depth] = c_make_encoder(None, _not_serializable, encode_basestring, None, ": ", ",\n" + "  " * depth, False, False, False)
    return encoder


def _encode(value: Any, depth: int, out: Callable[[str], object]) -> None:
    if isinstance(value, dict):
        items: Any = value.values()
        opening, closing = "{", "}"
    elif isinstance(value, (list, tuple)):
        items = value
        opening, closing = "[", "]"
    else:
        out("".join(_leaf(depth)(value, 0)))
        return
    if not value:
        out(opening + closing)
        return
    inner = "\n" + "  " * (depth + 1)
    end = "\n" + "  " * depth + closing
    if _SCALARS.issuperset(map(type, items)):
        text = "".join(_leaf(depth + 1)(value, 0))
        out(opening + inner + text[1:-1] + end)
        return
    separator = opening + inner
    if isinstance(value, dict):
        for key, item in value.items():
            # A key that is not a string is written as the C encoder writes it (1 → "1", True → "true").
            out(separator + (encode_basestring(key) if isinstance(key, str) else "".join(_leaf(0)({key: 0}, 0))[1:-4]) + ": ")
            separator = "," + inner
            _item(item, depth + 1, out)
    else:
        for item in items:
            out(separator)
            separator = "," + inner
            _item(item, depth + 1, out)
    out(end)


def _item(item: Any, depth: int, out: Callable[[str], object]) -> None:
    # Ids, names and dates are most of the scalars beside containers: no call into the encoder for them.
    if item.__class__ is str:
        out(encode_basestring(item))
    else:
        _encode(item, depth, out)
