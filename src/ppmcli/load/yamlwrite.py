"""Writing workspace files: plain dicts as YAML, every string quoted, and files created, never overwritten.

Imported names are hostile (a task called `x\nbudget: 0`, `*alias`, `!!python/object`,
`# comment`, `{a: b}`): every string is written as a double-quoted scalar with
escapes for anything that is not printable, so it always reads back as the same
string. Keys that are not plain identifiers are quoted the same way.
"""

from __future__ import annotations

import json
import math
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from ppmcli.core.errors import PpmError

_PLAIN_KEY = re.compile(r"[a-z_][a-z0-9_]*\Z")
# Ids and enum words written bare: lower-case slugs that YAML 1.1 reads as strings (not yes/no/on/off/true/false/null).
_PLAIN_VALUE = re.compile(r"[a-z][a-z0-9-]*\Z")
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})


def quote(text: str) -> str:
    """A YAML double-quoted scalar of `text` (JSON's escapes are YAML's; non-printable characters, line separators included, are escaped too)."""
    return "".join(ch if ch.isprintable() or ch == " " else _escape(ch) for ch in json.dumps(text, ensure_ascii=False))


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        text = repr(value)
        # YAML 1.1 reads an exponent without a dot (`1e-05`) as a string.
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    if isinstance(value, str):
        return value if _PLAIN_VALUE.match(value) and value not in _YAML_WORDS else quote(value)
    if value is None:
        return "null"
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def key(name: str) -> str:
    return name if _PLAIN_KEY.match(name) and name not in _YAML_WORDS else quote(name)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value)


def dump(fields: dict[str, Any]) -> str:
    """A workspace file: one line per field; lists one flow item per line, mappings in flow style."""
    lines = []
    for name, value in fields.items():
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
            lines.append(f"{key(name)}:")
            lines.extend(f"  - {_flow(item)}" for item in value)
        else:
            lines.append(f"{key(name)}: {_flow(value)}")
    return "\n".join(lines) + "\n"


def create(path: Path, data: bytes) -> None:
    """Write a new file; an existing one (or a link in its place) is never overwritten.

    Raises:
        PpmError: the file exists or cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        raise PpmError(f"{path} already exists; it was not overwritten") from None
    except OSError as exc:
        raise PpmError(f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
