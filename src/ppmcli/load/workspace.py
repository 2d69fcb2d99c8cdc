"""Finding the workspace: the folder holding `ppm.yaml`, found by walking up as git does, or named with `-C`."""

from __future__ import annotations

from pathlib import Path

from ppmcli.core.errors import PpmError
from ppmcli.load.sources import SETTINGS_FILE


def find_root(explicit: Path | None, cwd: Path) -> Path:
    """The workspace root.

    Args:
        explicit: the `-C/--workspace` folder, if given; it must hold `ppm.yaml`.
        cwd: where to start walking up otherwise.

    Raises:
        PpmError: no `ppm.yaml` there (or above).
    """
    if explicit is not None:
        if not explicit.is_dir():
            raise PpmError(f"workspace folder '{explicit}' does not exist")
        if not (explicit / SETTINGS_FILE).exists():
            raise PpmError(f"'{explicit}' is not a ppm workspace: it has no {SETTINGS_FILE} (create one with 'ppm init')")
        return explicit.resolve()
    here = cwd.resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).exists():
            return folder
    raise PpmError(f"no {SETTINGS_FILE} in '{here}' or any folder above it; run ppm inside a workspace, pass -C DIR, or create one with 'ppm init'")
