"""ppm's environment variables as values, read where they act: nothing here imports more than `os`, so the warm
`ppm check` and the CLI's start read them at no cost."""

from __future__ import annotations

import os


def switched_on(name: str) -> bool:
    """Whether an environment switch of ppm's (PPM_TIMINGS, PPM_NO_CACHE) is on: set to anything but nothing or `0`."""
    return os.environ.get(name, "").strip() not in ("", "0")


def asked_processes() -> int | None:
    """PPM_PROCESSES as a count of processes, None when unset. Raises ValueError (holding the text) when it is no count."""
    text = os.environ.get("PPM_PROCESSES", "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdecimal()) or int(text) < 1:
        raise ValueError(text)
    return int(text)
