"""`ppm import`: files from another tool become workspace files, checked the way `ppm check` checks them.

The parsing and mapping live in `load.mspdi` and `load.table`; this module
decides where the files go in a loaded workspace, writes them (never over an
existing file) and says what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ppmcli.core.errors import PpmError
from ppmcli.core.findings import Finding, quote
from ppmcli.core.model import Project, Workspace
from ppmcli.load import yamlwrite
from ppmcli.load.table import Row


@dataclass
class Imported:
    """What an import did: files written (relative paths), people reused, what it could not map."""

    written: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _named(ws: Workspace, kind: str, ident: str | None, option: str, so: str) -> None:
    """One sentence when `ident`, given with `option`, names no valid entity of `kind`: its file is invalid (`so`: what
    that means here), or there is none, with the closest id."""
    from ppmcli.core.kinds import KIND_LABEL
    from ppmcli.core.names import did_you_mean

    if ident is None or ident in getattr(ws, kind):
        return
    if ws.is_invalid(kind, ident):
        raise PpmError(f"{option}: {ws.invalid_file(kind, ident, so)}")
    raise PpmError(f"{option}: no {KIND_LABEL[kind]} {quote(ident)}{did_you_mean(ident, getattr(ws, kind))}")


def _placement(ws: Workspace, portfolio: str | None, program: str | None) -> tuple[str | None, str | None]:
    """The imported project's portfolio and program: as given (and existing), else the workspace's only portfolio."""
    _named(ws, "programs", program, "--program", "nothing can be imported into it")
    _named(ws, "portfolios", portfolio, "--portfolio", "nothing can be imported into it")
    if portfolio is not None and program is not None and ws.programs[program].portfolio != portfolio:
        raise PpmError(f"--program {quote(program)} belongs to portfolio {quote(ws.programs[program].portfolio)}, not {quote(portfolio)}")
    if portfolio is None and program is None:
        if len(ws.portfolios) != 1:
            choices = ", ".join(sorted(ws.portfolios)) or "none yet"
            raise PpmError(f"say which portfolio the project belongs to with --portfolio P or --program PR (portfolios: {choices})")
        portfolio = next(iter(ws.portfolios))
    return portfolio, program


def _manager(ws: Workspace, manager: str | None, portfolio: str | None, program: str | None) -> tuple[str, str | None]:
    """The project manager: `--manager`, else the program's manager, else the portfolio's owner (with a note saying so)."""
    if manager is not None:
        _named(ws, "people", manager, "--manager", "they cannot manage the project")
        return manager, None
    chosen = ws.programs[program].manager if program is not None else None
    if chosen is not None:
        return chosen, f"manager set to '{chosen}', the program's manager (Microsoft Project files name no manager ppm can use; change it or pass --manager)"
    owner = ws.portfolios[portfolio or ws.programs[program or ""].portfolio].owner
    return owner, f"manager set to '{owner}', the portfolio's owner (Microsoft Project files name no manager ppm can use; change it or pass --manager)"


def import_mspdi(ws: Workspace, root: Path, data: bytes, label: str, as_of: date, *, project_id: str | None, portfolio: str | None, program: str | None, manager: str | None, scores: dict[str, float] | None = None) -> Imported:
    """Write the project and person files of an MSPDI file into the workspace at `root`.

    Raises:
        PpmError: the file is not a usable MSPDI file, an option names nothing, or a file to write exists.
    """
    from ppmcli.analysis.resources.workdays import WorkCalendar
    from ppmcli.load.mspdi import Target, map_schedule, parse_mspdi
    from ppmcli.load.table import ID_RULE, file_name_id

    if ws.settings is None:
        raise PpmError("ppm.yaml is invalid, so its calendar is unknown; run 'ppm check' and fix it first")
    schedule = parse_mspdi(data, label)
    _check_scores(ws, scores or {})
    portfolio, program = _placement(ws, portfolio, program)
    manager_id, manager_note = _manager(ws, manager, portfolio, program)
    if project_id is not None and not file_name_id(project_id):
        raise PpmError(f"--id {quote(project_id)} cannot name a file: {ID_RULE}")
    if project_id is not None and (ws.exists("projects", project_id) or _exists(root, "projects", project_id)):
        raise PpmError(f"--id {quote(project_id)} is already a project of this workspace; choose another id")
    projects, people = _ids_by_case(ws, "projects"), _ids_by_case(ws, "people")
    if project_id is not None and project_id.casefold() in projects:
        raise PpmError(f"--id {quote(project_id)} differs from the project {quote(projects[project_id.casefold()])} only in case: macOS and Windows take the two for one file; choose another id")
    calendar = WorkCalendar.from_names(ws.settings.calendar.workdays, ws.settings.calendar.holidays)
    target = Target(
        project_id=project_id,
        portfolio=portfolio if program is None else None,
        program=program,
        manager=manager_id,
        project_taken=lambda ident: ident.casefold() in projects or _exists(root, "projects", ident),
        person_taken=lambda ident: ident.casefold() in people or _exists(root, "people", ident),
        existing_people={pid: (person.role, person.capacity) for pid, person in ws.people.items()},
        workdays=calendar.count,
        source=label,
        as_of=as_of,
        currency=ws.settings.currency,
    )
    mapped = map_schedule(schedule, target)
    if scores:
        # After the budget, where a hand-written file has them.
        fields = list(mapped.project.items())
        at = next(i for i, (name, _) in enumerate(fields) if name == "budget") + 1
        mapped.project = dict(fields[:at] + [("scores", scores)] + fields[at:])
    files = {f"people/{pid}.yaml": fields for pid, fields in mapped.people.items()}
    files[f"projects/{mapped.project_id}.yaml"] = mapped.project
    done = Imported(reused=[f"{ws.file_of('people', pid)} (resource {quote(name)})" for name, pid in mapped.reused.items()], notes=mapped.notes)
    if manager_note:
        done.notes.insert(0, manager_note)
    if mapped.project.get("phase") not in ("closed", "cancelled"):
        done.notes += _scores_to_give(ws, scores or {})
    write_all(root, files, done)
    return done


def _scores_to_give(ws: Workspace, scores: dict[str, float]) -> list[str]:
    """The note that says which inputs of the default scoring model the file lacks, and how to give them (an open project
    without them is `unscored`, an error of `ppm check`)."""
    from ppmcli.analysis.selection.scoring import model_inputs, resolve_model

    assert ws.settings is not None
    name, model = resolve_model(ws.settings)
    missing = [score for score in model_inputs(model) if score not in scores]
    if not missing:
        return []
    return [f"scores: Microsoft Project holds none; add {', '.join(missing)} (the inputs of the default scoring model {quote(name)}) to the file's scores, or give them with --score NAME=VALUE when importing"]


def _check_scores(ws: Workspace, scores: dict[str, float]) -> None:
    """One sentence for a `--score` that no scoring model of ppm.yaml reads, or that is outside a model's scale: an option, not the data, is wrong."""
    from ppmcli.analysis.selection.scoring import MODEL_TYPES, settings_inputs
    from ppmcli.core.findings import cut, listed
    from ppmcli.core.names import did_you_mean

    assert ws.settings is not None
    inputs = sorted(settings_inputs(ws.settings))
    for name in scores:
        if name not in inputs:
            raise PpmError(f"--score {quote(name)}: no scoring model of ppm.yaml reads it{did_you_mean(name, inputs)} (inputs: {listed(cut(n) for n in inputs) or 'none'})")
    for model in ws.settings.scoring.models.values():
        for name, why in MODEL_TYPES[model.type].invalid(model, scores):
            raise PpmError(f"--score {cut(name)}: {why}")


def _ids_by_case(ws: Workspace, kind: str) -> dict[str, str]:
    """Every id of `kind` the workspace's files take, valid or not, by its case-folded form: ids that differ only in
    case name one file on macOS and Windows, where the second would overwrite the first."""
    return {ident.casefold(): ident for file_kind, ident in ws.positions if file_kind == kind}


def _exists(root: Path, kind: str, ident: str) -> bool:
    """A file of that id at the top of its folder (the loader's ids cover sub-folders; this covers files it could not read).

    An id no file can have (too long for the file system: a finding says so) has none."""
    try:
        return any((root / kind / f"{ident}{suffix}").exists() or (root / kind / f"{ident}{suffix}").is_symlink() for suffix in (".yaml", ".yml"))
    except OSError:
        return False


def write_all(root: Path, files: dict[str, dict], done: Imported) -> None:
    """Write every file, or none when one of them exists already or its folder is a symbolic link.

    A linked folder (`projects -> /elsewhere`) would send the files outside the workspace, where the loader never reads.
    """
    from ppmcli.load.sources import MAX_FILE_BYTES, over_the_limit

    texts = {path: yamlwrite.dump(fields).encode("utf-8") for path, fields in files.items()}
    for path, data in texts.items():
        if len(data) > MAX_FILE_BYTES:  # ppm would refuse to read it back
            raise PpmError(f"{path} would be {over_the_limit(len(data))} (a name or note that long?); nothing was written")
    for path in texts:
        if (root / path).exists() or (root / path).is_symlink():
            raise PpmError(f"{path} already exists; nothing was written")
        if (root / path).parent.is_symlink():
            raise PpmError(f"{Path(path).parent.as_posix()} is a symbolic link; nothing was written")
    for path, data in texts.items():
        yamlwrite.create(root / path, data)
        done.written.append(path)


def _kept_from_stand_in(found: Finding, row: Row) -> bool:
    """Whether a finding on a row with bad cells, made through its stand-in, is about its other cells: a reference or a
    score's range, at a cell with no finding of its own; a missing score input only when no score cell is bad and the
    phase is good. A score outside its scale is a bad cell whatever the phase (a typo in it is most often an open one)."""
    if found.column in row.flagged:
        return False
    if found.code == "unscored" and row.positions.value(("phase",)).column in row.flagged:
        return False  # a bad phase stands in as open: whether the row needs scores at all is not known
    if found.code == "unscored":
        return not any(key[0] == "scores" and mark[1] + 1 in row.flagged for key, mark in row.positions.marks.items() if key)
    return found.code in ("unknown-reference", "invalid-value")


def findings_in(findings: list[Finding], paths: list[str]) -> list[Finding]:
    """The findings of `ppm check` that concern the written files."""
    wanted = set(paths)
    return [f for f in findings if f.path in wanted]


def import_csv(ws: Workspace, root: Path, data: bytes, label: str, as_of: date) -> tuple[Imported, list[Finding]]:
    """Project files from a CSV table, each row validated by the model and checked with the workspace as `ppm check` would.

    Returns:
        What was written (nothing when a row has an error), and the findings at `label:ROW:COL`.
    """
    import dataclasses

    from ppmcli.analysis.checks import run_checks
    from ppmcli.core.findings import Severity, sorted_findings
    from ppmcli.load.loader import resolve_portfolios
    from ppmcli.load.table import read_table

    rows, findings = read_table(data, label)
    new: dict[str, Project | None] = {}
    # Rows checked against the workspace through a stand-in (their cells' project under a key of their own): rows
    # whose cells do not all validate, and rows whose id is taken, so that every bad cell of a row shows at once.
    standing: dict[str, tuple[Row, Project]] = {}
    positions = dict(ws.positions)
    folded = _ids_by_case(ws, "projects")
    for row in rows:
        if not row.id:
            if row.stand_in is not None:
                standing[row.stand_in.id] = (row, row.stand_in)
            continue
        where = row.positions.value(("__id__",))
        twin = folded.setdefault(row.id.casefold(), row.id)
        taken = True
        if ws.exists("projects", row.id) or _exists(root, "projects", row.id):
            findings.append(Finding.at(where, "duplicate-id", f"project '{row.id}' already exists; an import never overwrites a file"))
        elif row.id in new:
            findings.append(Finding.at(where, "duplicate-id", f"project '{row.id}' is on an earlier row already"))
        elif twin != row.id:
            findings.append(Finding.at(where, "duplicate-id", f"project '{row.id}' differs from '{twin}' only in case: macOS and Windows take the two for one file"))
        else:
            taken = False
            new[row.id] = row.model  # None when invalid: later rows of the same id are still duplicates
            if row.model is not None:
                positions[("projects", row.id)] = row.positions
        if taken:  # under a key no file name can be (ids hold no NUL): the row's id is another project's
            stand_in, key = row.model or row.stand_in, f"{row.id}\0{row.number}"
        else:
            stand_in, key = (row.stand_in if row.model is None else None), row.id
        if stand_in is not None:
            standing[key] = (row, stand_in)
    valid = {pid: model for pid, model in new.items() if model is not None}
    # Only what a stand-in's other cells say of references (an unknown portfolio or manager, a score off its scale) is kept.
    checked: dict[str, Project] = {**valid, **{pid: model for pid, (_, model) in standing.items()}}
    positions.update((("projects", pid), row.positions) for pid, (row, _) in standing.items())
    resolve_portfolios(checked, ws.programs)
    invalid = {**ws.invalid, "projects": ws.invalid.get("projects", frozenset()) | {pid for pid, model in new.items() if model is None and pid not in standing}}
    merged = dataclasses.replace(ws, projects=dict(sorted({**ws.projects, **checked}.items())), positions=positions, invalid=invalid)
    by_number = {row.number: row for row, _ in standing.values()}
    for found in run_checks(merged, as_of):
        bad_row = by_number.get(found.line) if found.path == label else None
        if found.path == label and (bad_row is None or _kept_from_stand_in(found, bad_row)):
            findings.append(found)
    findings = sorted_findings(findings)
    done = Imported()
    if not any(f.severity is Severity.ERROR for f in findings):
        by_id = {row.id: row for row in rows}
        write_all(root, {f"projects/{pid}.yaml": by_id[pid].fields for pid in sorted(valid)}, done)
    return done, findings
