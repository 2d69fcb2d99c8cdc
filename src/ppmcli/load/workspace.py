"""Finding the workspace: the folder holding `ppm.yaml`, found by walking up as git does, or named with `-C`.

With os.path alone (no pathlib): a warm `ppm check` finds its workspace before anything heavy is imported.
"""

from __future__ import annotations

import os

from ppmcli.core.errors import PpmError, quote
from ppmcli.core.kinds import KINDS, SETTINGS_FILE


def find_root(explicit: str | None, cwd: str) -> str:
    """The workspace root, an absolute path without symbolic links.

    Args:
        explicit: the `-C/--workspace` folder, if given; it must hold `ppm.yaml`.
        cwd: where to start walking up otherwise.

    Raises:
        PpmError: no `ppm.yaml` there (or above), or the way there passes a symbolic link git tracks.
    """
    if explicit is not None:
        if not os.path.isdir(explicit):
            raise PpmError(f"workspace folder {quote(explicit)} does not exist")
        if not os.path.exists(os.path.join(explicit, SETTINGS_FILE)):
            raise PpmError(f"{quote(explicit)} is not a ppm workspace: it has no {SETTINGS_FILE} (create one with 'ppm init')")
        _refuse_branch_links(explicit)
        return os.path.realpath(explicit)
    here = folder = os.path.realpath(cwd)
    logical = os.environ.get("PWD", "")
    if os.path.isabs(logical) and os.path.realpath(logical) == here:
        _refuse_branch_links(logical)  # the shell's path to here: `cd portfolio` may have followed a link
    while not os.path.exists(os.path.join(folder, SETTINGS_FILE)):
        if os.path.dirname(folder) == folder:
            raise PpmError(f"no {SETTINGS_FILE} in {quote(here)} or any folder above it; run ppm inside a workspace, pass -C DIR, or create one with 'ppm init'")
        folder = os.path.dirname(folder)
    return folder


def _refuse_branch_links(path: str) -> None:
    """Refuse a way to the workspace that passes a symbolic link git tracks.

    A branch can commit such a link: `-C portfolio` would then read a folder the branch chose (one outside the
    checkout, or one the base revision does not have). Links git does not track (a user's own, `/tmp` →
    `/private/tmp`, an untracked link in a home folder kept in git) are followed; git is asked only about a link.
    """
    current = ""
    for part in os.path.abspath(path).split(os.sep):
        current = os.path.join(current, part) if current else part or os.sep
        if current != os.sep and os.path.islink(current):
            from ppmcli.load.git import tracked_link

            if tracked_link(current):
                raise PpmError(
                    f"the way to the workspace passes {quote(current)}, a symbolic link git tracks (to {quote(os.readlink(current))}); "
                    "a branch can change where it points, so ppm does not follow it: name the folder itself"
                )


def is_workspace_file(root: str, path: str) -> bool:
    """Whether writing `path` would write over a file ppm reads in the workspace at `root` (an absolute path without
    links): its ppm.yaml, or a YAML file below a kind's folder. The loader reads through links inside the workspace
    (projects/x.yaml -> ../store/x.yaml, people -> data/people), so the path is judged as written and as resolved,
    against each kind's folder as named and as resolved."""
    written = os.path.abspath(path)
    targets = {written, os.path.join(os.path.realpath(os.path.dirname(written)), os.path.basename(written)), os.path.realpath(written)}
    settings = {os.path.join(root, SETTINGS_FILE), os.path.realpath(os.path.join(root, SETTINGS_FILE))}
    folders = {folder for kind in KINDS for folder in (os.path.join(root, kind), os.path.realpath(os.path.join(root, kind)))}
    for target in targets:
        if target in settings:
            return True
        if target.endswith((".yaml", ".yml")) and any(target.startswith(folder + os.sep) for folder in folders):
            return True
    return False
