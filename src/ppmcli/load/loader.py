"""Files → validated model: read every file of a source, parse it with positions, validate it, and collect findings.

Nothing here raises for bad data: a file that fails is reported and left out of
the model, and every other file is still loaded.
"""

from __future__ import annotations

import contextlib
import gc
import math
import re
import types
import typing
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ppmcli.core.bounds import ISO_DAY, outside_window
from ppmcli.core.findings import Finding, Location, cut, quote
from ppmcli.core.kinds import KIND_LABEL, KINDS
from ppmcli.core.model import KIND_MODELS, NEEDS_PORTFOLIO, ONE_OF_PERSON_AND_ROLE, Settings, Workspace
from ppmcli.core.names import closest_field, did_you_mean, suggestion
from ppmcli.core.positions import Positions
from ppmcli.core.rules import Severity
from ppmcli.load.cache import FileCache, file_digest
from ppmcli.load.parallel import map_in_two
from ppmcli.load.sources import MAX_FILE_VALUES, MAX_WORKSPACE_VALUES, SETTINGS_FILE, YAML_SUFFIXES, Source, unreadable, values_in
from ppmcli.core.numbers import written_number
from ppmcli.load.fastyaml import parse_text, quiet_stderr
from ppmcli.load.yamlerrors import new_load
from ppmcli.load.yamlpos import plain_value

ID_KEY = "__id__"


def entity_id(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    for suffix in YAML_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# Byte order marks of the encodings Windows tools save "Unicode" text in, longest first (UTF-32's begins with UTF-16's).
_WIDE_TEXT = ((b"\xff\xfe\0\0", "UTF-32"), (b"\0\0\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def wide_without_mark(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte order mark, told by where the NUL bytes of its first (ASCII) character fall."""
    head = data[:4]
    if len(head) < 4:
        return None
    ascii_at = [0x20 <= byte < 0x7F or byte in b"\t\n\r" for byte in head]
    if ascii_at[0] and head[1:] == b"\0\0\0" or head[:3] == b"\0\0\0" and ascii_at[3]:
        return "UTF-32"
    if ascii_at[0] and head[1] == 0 and ascii_at[2] and head[3] == 0 or head[0] == 0 and ascii_at[1] and head[2] == 0 and ascii_at[3]:
        return "UTF-16"
    return None


def decode(path: str, data: bytes, what: str = "YAML text", save_as: str = "save it as UTF-8") -> str | Finding:
    """UTF-8 text of a file, or why it is not `what` it should be (text that is not UTF-8 says how to `save_as` it)."""
    encoding = next((name for mark, name in _WIDE_TEXT if data.startswith(mark)), None) or wide_without_mark(data)
    if encoding is not None:
        return unreadable(path, f"{encoding} text, not UTF-8; {save_as}")
    if b"\0" in data:
        return unreadable(path, f"binary file (it contains NUL bytes), not {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return unreadable(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); {save_as}")


def load(source: Source, cache: FileCache | None = None) -> tuple[Workspace, list[Finding]]:
    """Load every file of a workspace source.

    Args:
        source: where the files come from.
        cache: results of earlier runs by file content; files found there are not parsed again.

    Returns:
        The workspace of the files that validated, and the findings of all files.
    """
    paths, findings = source.files()
    new_load()
    found: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    invalid: dict[str, set[str]] = {kind: set() for kind in KINDS}
    invalid_errors: dict[tuple[str, str], tuple[Finding, int]] = {}
    positions: dict[tuple[str, str], Positions] = {}
    settings: Settings | None = None
    # Loading allocates many small objects that all live on; the collector would only rescan them.
    with collector_paused():
        entries, duplicates, shadowed = _entries(paths)
        findings.extend(duplicates)
        results = _results(source, entries + shadowed, cache)
        # A file whose id another file holds is read for its own findings too (one bad file never hides another's), then left out.
        for result in results[len(entries) :]:
            findings.extend(result[2])
        for (kind, ident, _), (model, file_positions, file_findings) in zip(entries, results):
            findings.extend(file_findings)
            positions[(kind, ident)] = file_positions
            if model is None:
                if kind != "settings":
                    invalid[kind].add(ident)
                    errors = [f for f in file_findings if f.severity is Severity.ERROR]
                    if errors:
                        invalid_errors[(kind, ident)] = (min(errors, key=Finding.sort_key), len(set(errors)))
            elif kind == "settings":
                settings = model  # type: ignore[assignment]
            else:
                found[kind][ident] = model
        if cache is not None:
            cache.save()
    resolve_portfolios(found["projects"], found["programs"], cache.resolved if cache is not None else None)
    workspace = Workspace(
        settings=settings,
        positions=positions,
        invalid={kind: frozenset(ids) for kind, ids in invalid.items()},
        invalid_errors=invalid_errors,
        **{kind: dict(sorted(found[kind].items())) for kind in KINDS},
    )
    return workspace, findings


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The garbage collector off meanwhile (on again after, if it was): for work that makes many objects that live on, without cycles to free.

    Then every object the collector tracks is frozen (`gc.freeze` moves them all, not only those made meanwhile,
    out of its generations): otherwise the first collection after would scan every object made meanwhile, all
    still young, for nothing (0.9 s after loading 20,000 projects). Frozen objects are still freed when their last
    reference goes; only a cycle among them would stay, until the process ends (a command ends soon after).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


Entry = tuple[str, str, str]  # kind, id, path


def _entries(paths: list[str]) -> tuple[list[Entry], list[Finding], list[Entry]]:
    """(kind, id, path) of each file to load; a `duplicate-id` finding for each later file of an id already seen,
    or of one that differs from it only in case (macOS and Windows take `A1.yaml` and `a1.yaml` for one file);
    and those later files' entries."""
    entries: list[Entry] = []
    duplicates: list[Finding] = []
    shadowed: list[Entry] = []
    first_path: dict[tuple[str, str], tuple[str, str]] = {}
    for path in paths:
        kind = "settings" if path == SETTINGS_FILE else path.split("/", 1)[0]
        ident = "" if kind == "settings" else entity_id(path)
        first, first_id = first_path.setdefault((kind, ident.casefold()), (path, ident))
        if first == path:
            entries.append((kind, ident, path))
            continue
        shadowed.append((kind, ident, path))
        if first_id == ident:
            duplicates.append(Finding.at(Location(path), "duplicate-id", f"{KIND_LABEL[kind]} id {quote(ident)} is already used by {cut(first)}; ids are unique across sub-folders"))
        else:
            duplicates.append(Finding.at(Location(path), "duplicate-id", f"{KIND_LABEL[kind]} id {quote(ident)} differs from {cut(first)} only in case: macOS and Windows take the two for one file"))
    return entries, duplicates, shadowed


def _results(source: Source, entries: list[Entry], cache: FileCache | None) -> list[FileResult]:
    """Each entry's result: unreadable, from this run, validated from a cached parse, or parsed and validated."""
    results: list[FileResult | None] = [None] * len(entries)
    todo: list[tuple[int, str, str, str, bytes]] = []
    cached: list[tuple[int, str, str, Parsed, bytes]] = []
    keys: dict[int, bytes] = {}
    total = 0  # values read so far (see `MAX_WORKSPACE_VALUES`)
    for index, (kind, ident, path) in enumerate(entries):
        data = source.read(path)
        if not isinstance(data, Finding):
            values = values_in(data)
            if values > MAX_FILE_VALUES:
                data = unreadable(path, f"about {values:,} values (commas, colons and lines), above the {MAX_FILE_VALUES:,} a workspace file may hold; split it")
            else:
                total += values
                if total > MAX_WORKSPACE_VALUES:
                    data = unreadable(path, f"not read: with it the files hold over {MAX_WORKSPACE_VALUES:,} values (commas, colons and lines), the most a workspace may hold")
        if isinstance(data, Finding):
            results[index] = (None, Positions(path), [data])
            continue
        if cache is None:
            todo.append((index, kind, ident, path, data))
            continue
        key = keys[index] = file_digest(kind, ident, path, data)
        cache.digests.setdefault((kind, ident), key)  # a later file of the same id is left out: the first one's
        result = cache.result(key)
        from_cache = cache.parsed(key) if result is None else None
        if result is not None:
            results[index] = result
        elif from_cache is not None:
            cached.append((index, kind, ident, from_cache, data))
        else:
            todo.append((index, kind, ident, path, data))

    def finish(index: int, kind: str, ident: str, parsed: Parsed, data: bytes, fresh: bool) -> None:
        if cache is not None and fresh:
            cache.put_parsed(keys[index], parsed)  # before validation adds to its findings
        results[index] = result = validate_file(kind, ident, parsed, data)
        if cache is not None:
            cache.put_result(keys[index], result)

    # Each file is validated as soon as it is parsed, so its plain value goes at once: the peak is one copy, not two.
    _parse_all(todo, lambda job, parsed: finish(job[0], job[1], job[2], parsed, job[4], True))
    del todo
    while cached:
        finish(*cached.pop(), False)
    return results  # type: ignore[return-value]


# Below this many files a second process costs about what it saves.
PARALLEL_MIN_FILES = 1000


def _parse_all(todo: list[tuple[int, str, str, str, bytes]], then: Callable[[tuple[int, str, str, str, bytes], Parsed], None]) -> None:
    """Parse every pending file and hand each parse to `then`; shared with a second process when there are many.

    Models are validated in this process (by `then`), since pydantic models cost more to ship back
    than to build: this process's share while the child is still parsing its own.
    """
    with quiet_stderr():
        map_in_two(_parse_job, todo, then, parallel=len(todo) >= PARALLEL_MIN_FILES)


def _parse_job(job: tuple[int, str, str, str, bytes]) -> Parsed:
    return parse_file(job[3], job[4])


def resolve_portfolios(projects: dict[str, Any], programs: dict[str, Any], copies: dict[tuple[int, str | None], tuple[Any, Any]] | None = None) -> None:
    """A project without `portfolio` takes its program's; `copies` keeps each copy made, so a load that meets the same project
    and portfolio again (a diff's other side) takes the same copy."""
    for pid, project in projects.items():
        program = programs.get(project.program or "")
        if project.portfolio is None and program is not None:
            key = (id(project), program.portfolio)
            made = copies.get(key) if copies is not None else None
            if made is None:
                # The project is kept beside its copy: while it is alive, no other object has its id.
                made = (project, project.model_copy(update={"portfolio": program.portfolio}))
                # Still unwritten in its file: `ppm diff` compares fields as written, and a program's move is the program's.
                made[1].model_fields_set.discard("portfolio")
                if copies is not None:
                    copies[key] = made
            projects[pid] = made[1]




FileResult = tuple[BaseModel | None, Positions, list[Finding]]


Parsed = tuple[Any, Positions, list[Finding]]  # the plain value (None when there is none), positions, findings


def parse_file(path: str, data: bytes) -> Parsed:
    """The bytes of one file as a plain value with positions (found on demand where the fast way parsed it)."""
    text = decode(path, data)
    if isinstance(text, Finding):
        return None, Positions(path), [text]
    return parse_text(text, path)


def validate_file(kind: str, ident: str, parsed: Parsed, text: bytes = b"") -> FileResult:
    """A parsed file as a model of its kind, or the findings that say why not; `text` (the file) lets messages quote values as written."""
    value, positions, findings = parsed
    if any(f.code == "yaml-syntax" for f in findings) or (value is None and findings):
        return None, positions, findings
    if value is None:
        value = {}  # an empty file: every required field is reported missing
    if not isinstance(value, dict):
        found = "a list" if isinstance(value, list) else quote(value)
        findings.append(Finding.at(positions.value(()), "invalid-value", f"a {KIND_LABEL[kind]} file holds a mapping of fields, not {found}"))
        return None, positions, findings
    model_cls = KIND_MODELS[kind]
    if ID_KEY in value:
        findings.append(Finding.at(positions.key((ID_KEY,)), "unknown-field", f"'{ID_KEY}' is not a field"))
        return None, positions, findings
    if kind != "settings":
        value = {**value, ID_KEY: ident}
    try:
        model = model_cls.model_validate(value)
    except ValidationError as exc:
        # A value the parse refused (a number too long to read) stands as null there: one finding, the parse's.
        refused = {(f.line, f.column) for f in findings if f.code == "invalid-value"}
        findings.extend(f for f in validation_findings(exc, model_cls, positions, text, value) if (f.line, f.column) not in refused)
        if kind == "projects":  # the model's own rules run on a valid model only: `{}` was only "missing 'fte'"
            findings.extend(_rules_across_fields(value, positions))
        return None, positions, findings
    problems = list(model.problems()) if hasattr(model, "problems") else []
    for problem in problems:
        findings.append(Finding.at(positions.value(problem.path), problem.code, problem.message))
    if problems or any(f.code == "duplicate-key" or f.code == "invalid-value" for f in findings):
        return None, positions, findings
    return model, positions, findings


def _rules_across_fields(value: dict[str, Any], positions: Positions) -> Iterator[Finding]:
    """What the model's rules across fields (`Project.problems`) find in a project that did not validate, where its
    other errors must not hide them: no portfolio nor program, and team entries naming both or neither of person and role."""
    if value.get("portfolio") is None and value.get("program") is None:
        yield Finding.at(positions.value(("portfolio",)), "missing-field", NEEDS_PORTFOLIO)
    team = value.get("team")
    for index, entry in enumerate(team if isinstance(team, list) else ()):
        if isinstance(entry, dict) and (entry.get("person") is None) == (entry.get("role") is None):
            yield Finding.at(positions.value(("team", index)), "invalid-value", ONE_OF_PERSON_AND_ROLE)


# ---------------------------------------------------------------- pydantic errors → findings


def validation_findings(exc: ValidationError, model_cls: type[BaseModel], positions: Positions, text: bytes = b"", value: Any = None) -> Iterable[Finding]:
    """A finding per validation error; `text` (the file) lets a message quote a value as written, and `value` (what was
    validated) name a key that is not text as the file has it (pydantic's error names it by its repr)."""
    errors = exc.errors(include_url=False)
    meanings = _meanings(errors, model_cls)
    misspelt = {loc[:-1] + (meant,) for loc, meant in meanings.items()}
    keyed: set[tuple] = set()  # the mappings whose keys that are not text are reported
    for error in errors:
        loc = tuple(part for part in error["loc"] if part != "[key]")
        kind = error["type"]
        if kind == "extra_forbidden":
            yield Finding.at(positions.key(loc), "unknown-field", f"{quote(loc[-1])} is not a field{suggestion(meanings.get(loc))}")
        elif kind == "invalid_key" or error["loc"][-1:] == ("[key]",) and not isinstance(error.get("input"), str):
            # A key that is not text: a field's name (invalid_key), or an id in a mapping of ids (goals, scores…).
            code, name, why = ("unknown-field", "a field", ", and a field's name is text") if kind == "invalid_key" else ("invalid-value", "an id", "; an id is text: write it in quotes")
            if loc[:-1] not in keyed:
                keyed.add(loc[:-1])
                found = list(_keys_not_text(loc[:-1], value, positions, text, code, name, why))
                # The mapping not found where pydantic's path says: one finding at its key all the same.
                yield from found or [Finding.at(positions.key(loc), code, f"{quote(loc[-1])} is not {name}{why}")]
        elif kind == "missing":
            if loc in misspelt:
                continue  # the unknown field that is its misspelling says it all
            # At the mapping that lacks it; or where the positions know the field's place (an empty cell of a CSV table), there.
            yield Finding.at(positions.value(loc), "missing-field", f"missing required field '{loc[-1]}'")
        else:
            where = positions.value(loc)
            written = _written_at(text, where) if isinstance(error.get("input"), (bool, str)) else None
            yield Finding.at(where, "invalid-value", describe_error(error, loc, model_cls, written))


def _meanings(errors: list[ErrorDetails], model_cls: type[BaseModel]) -> dict[tuple, str]:
    """For each unknown field, the field it most likely means (`budjet` → `budget`, `start` → `from`), when one is close."""
    meant: dict[tuple, str] = {}
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(part for part in error["loc"] if part != "[key]")
            match = closest_field(str(loc[-1]), field_names(model_cls, loc[:-1]))
            if match is not None:
                meant[loc] = match
    return meant


def field_names(model_cls: type[BaseModel], loc: tuple) -> list[str]:
    """The field names (as written in files) of the model found at `loc` below `model_cls`."""
    annotation: Any = model_cls
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            fields = {f.alias or name: f.annotation for name, f in annotation.model_fields.items()}
            if part not in fields:
                return []
            annotation = fields[part]
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args and args[-1] is not Ellipsis else (args[0] if args else None)
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f.alias or name for name, f in annotation.model_fields.items() if not (f.alias or "").startswith("__")]
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated and step into tuple[X, ...] and dict[K, V] to reach a model class."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0]
        else:
            return annotation


_EXPECTED = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
    "tuple_type": "a list",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


_READABLE_BITS = 14_000  # whole numbers of up to about 4,214 digits, within what `str` writes


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and abs(value) > 10**15:
        # Python writes out no number of more than 4,300 digits (YAML reads `0x…` and `1:59:…` of any length as one).
        return f"a {len(str(abs(value))):,}-digit number" if value.bit_length() <= _READABLE_BITS else "a number of more than 4,300 digits"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


# Fields whose expected form is more than their type says.
_EXPECTED_AT: dict[tuple[str, tuple], str] = {
    ("Project", ("goals",)): "a mapping of goal: contribution, or a list of goals",
}
# What to write instead of a word YAML 1.1 read as a boolean, by the type expected.
_INSTEAD_OF_BOOL = {"date_type": "write a date like 2026-05-04", "float_type": "write a number", "int_type": "write a whole number"}
_WORD = re.compile(r"[A-Za-z]+")
_BOOLEAN_WORDS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false"})


def _keys_not_text(path: tuple, value: Any, positions: Positions, text: bytes, code: str, name: str, why: str) -> Iterator[Finding]:
    """A finding (`code`) at each key of the mapping at `path` that YAML 1.1 reads as something else than text
    (`2026:`, `on:`, `~:`, `2026-01-05:`): it is not `name` (a field, an id), and `why`."""
    mapping = value
    for part in path:
        try:
            mapping = mapping[part]
        except (KeyError, IndexError, TypeError):
            return
    for key in mapping if isinstance(mapping, dict) else ():
        if isinstance(key, str):
            continue
        where = positions.key((*path, key))
        word = _written_at(text, where)
        if isinstance(key, bool) or word is not None:
            shown, read = word or str(key).lower(), str(bool(key)).lower()
        else:
            shown = "~" if key is None else str(key)
            read = "null" if key is None else "a number" if isinstance(key, (int, float)) else "a date"
        yield Finding.at(where, code, f"{quote(shown)} is not {name}: YAML reads this key as {read}{why}")


def _written_at(text: bytes, where: Location) -> str | None:
    """How the value at `where` is written, when it matters to a message: a boolean word (`yes` as the file writes it),
    or a quote that opens it (`'` or `"`); else None (not known, or neither)."""
    lines = text.split(b"\n", where.line)
    if not 0 < where.line <= len(lines):
        return None
    line = lines[where.line - 1].decode("utf-8", "replace").lstrip("\ufeff")  # columns count characters, not bytes
    at = max(where.column - 1, 0)
    if line[at : at + 1] in ("'", '"'):
        return line[at]
    found = _WORD.match(line, at)
    return found.group() if found and found.group().lower() in _BOOLEAN_WORDS else None


def _decimal_text(text: str) -> str:
    """How to write a number's text without an exponent, exactly (`1e3` → 1000, `2e-3` → 0.002), when that is short;
    else in words: written out, `1e-99999999` would be a hundred million characters."""
    try:
        number = Decimal(text.strip().replace("_", ""))
    except (ArithmeticError, ValueError):  # decimal.InvalidOperation
        return "it as a decimal number"
    if not number.is_finite() or not -30 <= number.adjusted() <= 30 or len(number.as_tuple().digits) > 30:
        return "it as a decimal number"
    return format(number, "f")


def _number_text(value: str) -> float | None:
    """The finite number text reads as, if it is one."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# A number written with a percent sign, and the fields that take it as a fraction (1 = 100 %).
_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")
_FRACTIONS = frozenset({"fte", "capacity", "probability", "confidence"})


def describe_error(error: ErrorDetails, loc: tuple, model_cls: type[BaseModel] | None = None, written: str | None = None) -> str:
    """One sentence for a pydantic error at `loc`: what was expected, what was found and, when it is clear, how to fix it.

    `written` is the value as the file writes it, when YAML read it as something else (`yes` as true).
    """
    kind = error["type"]
    value = error.get("input")
    field = cut(next((str(part) for part in reversed(loc) if isinstance(part, str)), "value"))
    context = error.get("ctx") or {}
    if kind == "date_type" and isinstance(value, str):
        return f"'{field}' has an impossible date {quote(value)}" if _looks_like_date(value) else f"'{field}' should be a date (YYYY-MM-DD), found {describe(value)}"
    if isinstance(value, bool) and written is not None and written.lower() != str(value).lower() and kind in _EXPECTED:
        expected = _EXPECTED[kind]
        fix = _INSTEAD_OF_BOOL.get(kind, f"put it in quotes if you mean the text: '{written}'" if kind == "string_type" else "")
        return f"'{field}' should be {expected}, but {quote(written)} was read as {describe(value)} (YAML reads yes/no/on/off as true/false)" + (f"; {fix}" if fix else "")
    if isinstance(value, str) and kind in ("float_type", "int_type"):
        number = _number_text(value)
        if number is not None:
            # YAML 1.1 reads `1e3` (no dot, no exponent sign) as text, quoted or not: the number is the fix, not the quotes.
            plain = _decimal_text(value)
            unquoted = isinstance(plain_value(value), (int, float))
            if written in ("'", '"'):
                return f"'{field}' should be {_EXPECTED[kind]}, found the quoted text {describe(value)}; " + ("remove the quotes" if unquoted else f"write {cut(plain)}")
            return f"'{field}' should be {_EXPECTED[kind]}, found {describe(value)}, which YAML reads as text; write {cut(plain)}"
        if "," in value and written_number(value) is not None:  # commas between groups of three digits, as a person writes
            return f"'{field}' should be {_EXPECTED[kind]}, found {describe(value)}; write it without thousands separators: {cut(value.replace(',', ''))}"
        percent = _PERCENT.fullmatch(value)
        if percent is not None and field in _FRACTIONS:  # `fte: 150%`: these fields are fractions, as `percent_complete` is not
            fraction = format(Decimal(percent.group(1)).scaleb(-2).normalize(), "f")  # 150 % is 1.5, 2000 % is 20
            return f"'{field}' should be {_EXPECTED[kind]}, found {describe(value)}; {field} is a fraction: write {fraction}"
    if kind == "bool_type" and isinstance(value, str) and isinstance(plain_value(value), bool) and written in ("'", '"'):  # written plain, it would read as true or false
        return f"'{field}' should be true or false, found the quoted text {describe(value)}; remove the quotes"
    expected_here = _EXPECTED_AT.get((model_cls.__name__ if model_cls is not None else "", loc))
    if expected_here is not None and kind in _EXPECTED:
        return f"'{field}' should be {expected_here}; found {describe(value)}"
    if kind in ("float_type", "int_type") and isinstance(value, int) and not isinstance(value, bool):
        return f"'{field}' is {describe(value)}, " + ("below the limit of -10^15" if value < 0 else "above the limit of 10^15")
    if kind in _EXPECTED:
        instead = _INSTEAD_OF_BOOL.get(kind) if isinstance(value, bool) else None
        return f"'{field}' should be {_EXPECTED[kind]}, found {describe(value)}" + (f"; {instead}" if instead else "")
    day = value if isinstance(value, date) else _quoted_date(value)  # a date written quoted is a date too
    if kind in ("less_than_equal", "greater_than_equal") and day is not None:
        return f"'{field}' {day} {outside_window(day)}"
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
        bound = next(iter(context.values()))
        words = {"less_than_equal": "at most", "less_than": "below", "greater_than_equal": "at least", "greater_than": "above"}[kind]
        if kind == "less_than_equal" and bound == 1e15:
            return f"'{field}' is {describe(value)}, above the limit of 10^15"
        return f"'{field}' must be {words} {bound:g}, found {describe(value)}" if isinstance(bound, (int, float)) else f"'{field}' must be {words} {bound}, found {describe(value)}"
    if kind == "finite_number":
        return f"'{field}' must be a finite number, found {describe(value)}"
    if kind in ("literal_error", "enum"):
        expected = context.get("expected", "")
        options = [part.strip(" '") for part in expected.replace(" or ", ",").split(",") if part.strip(" '")]
        return f"'{field}' must be one of {', '.join(options)}; found {describe(value)}{did_you_mean(str(value), options)}"
    if kind in ("too_short", "string_too_short"):
        return f"'{field}' must not be empty"
    if kind == "blank_text":
        return f"'{field}' must not be blank"
    if kind == "ppm_rule":  # ppm's own words (`core.model`), after the field's name
        return f"'{field}' {context['why']}"
    if kind == "ppm_sentence":  # ppm's own sentence, whole
        return str(context["sentence"])
    if kind == "too_long" and "max_length" in context and "actual_length" in context:
        bound = context["max_length"]
        return f"'{field}' must have at most {bound} item{'s' * (bound != 1)}, found {context['actual_length']}"
    if kind in ("too_long", "tuple_too_long") or kind.startswith("too_"):
        return f"'{field}': {error['msg'].lower()}"
    return f"'{field}': {error['msg']}"


def _quoted_date(value: Any) -> date | None:
    """The date a text written as YYYY-MM-DD names, or None."""
    if not isinstance(value, str) or not _looks_like_date(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _looks_like_date(text: str) -> bool:
    """Written as YYYY-MM-DD (so a date that does not exist is 'impossible'; `2026-1-5` is only misformatted)."""
    return ISO_DAY.fullmatch(text) is not None
