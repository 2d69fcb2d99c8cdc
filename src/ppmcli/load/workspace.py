"""Finding the workspace: the folder holding `ppm.yaml`, found by walking up as git does, or named with `-C`.

With os.path alone (no pathlib): a warm `ppm check` finds its workspace before anything heavy is imported.
"""

from __future__ import annotations

import os

from ppmcli.core.errors import PpmError, quote
from ppmcli.core.kinds import SETTINGS_FILE


def find_root(explicit: str | None, cwd: str) -> str:
    """The workspace root, an absolute path without symbolic links.

    Args:
        explicit: the `-C/--workspace` folder, if given; it must hold `ppm.yaml`.
        cwd: where to start walking up otherwise.

    Raises:
        PpmError: no `ppm.yaml` there (or above).
    """
    if explicit is not None:
        if not os.path.isdir(explicit):
            raise PpmError(f"workspace folder {quote(explicit)} does not exist")
        if not os.path.exists(os.path.join(explicit, SETTINGS_FILE)):
            raise PpmError(f"{quote(explicit)} is not a ppm workspace: it has no {SETTINGS_FILE} (create one with 'ppm init')")
        return os.path.realpath(explicit)
    here = folder = os.path.realpath(cwd)
    while not os.path.exists(os.path.join(folder, SETTINGS_FILE)):
        if os.path.dirname(folder) == folder:
            raise PpmError(f"no {SETTINGS_FILE} in {quote(here)} or any folder above it; run ppm inside a workspace, pass -C DIR, or create one with 'ppm init'")
        folder = os.path.dirname(folder)
    return folder

