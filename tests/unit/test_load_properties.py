"""Property tests of loading: random valid documents load cleanly; random mutations of a valid file never crash the loader."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ACME
from ppmcli.core.findings import Finding
from ppmcli.core.model import is_blank
from ppmcli.load.loader import load
from ppmcli.load.sources import SETTINGS_FILE

SETTINGS_TEXT = (ACME / "ppm.yaml").read_text()


class MemorySource:
    """A workspace held in a dict {path: bytes}."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.data = files

    def files(self) -> tuple[list[str], list[Finding]]:
        return sorted(self.data), []

    def read(self, path: str) -> bytes | Finding:
        return self.data[path]


ids = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
days = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
amounts = st.one_of(st.integers(0, 10**12), st.floats(0, 1e12, allow_nan=False))


@st.composite
def projects(draw):
    start = draw(days)
    end = start + dt.timedelta(days=draw(st.integers(0, 900)))
    team = draw(st.lists(st.fixed_dictionaries({"person": ids, "fte": st.floats(0.05, 2)}), max_size=4))
    statuses = draw(st.lists(days, max_size=5, unique=True))
    return {
        "name": draw(st.text(min_size=1, max_size=30).filter(lambda text: not is_blank(text))),  # a blank name is invalid
        "portfolio": draw(ids),
        "manager": draw(ids),
        "phase": draw(st.sampled_from(["proposed", "initiation", "planning", "execution", "monitoring", "closed", "cancelled"])),
        "start": start,
        "end": end,
        "budget": draw(amounts),
        "goals": draw(st.one_of(st.lists(ids, max_size=3), st.dictionaries(ids, st.floats(0, 1), max_size=3))),
        "scores": draw(st.dictionaries(ids, st.integers(-100, 100), max_size=5)),
        "tags": draw(st.lists(ids, max_size=3)),
        "team": team,
        "status": [
            {"date": day, "health": draw(st.sampled_from(["green", "amber", "red"])), "percent_complete": draw(st.integers(0, 100)), "actual_cost": draw(amounts)}
            for day in statuses
        ],
    }


FILE_LEVEL = {"yaml-syntax", "duplicate-key", "unknown-field", "missing-field", "invalid-value", "unreadable-file"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_random_valid_project_loads_cleanly(project):
    text = yaml.safe_dump(project, allow_unicode=True, sort_keys=False)
    ws, findings = load(MemorySource({SETTINGS_FILE: SETTINGS_TEXT.encode(), "projects/p.yaml": text.encode()}))
    assert [f for f in findings if f.code in FILE_LEVEL] == []
    loaded = ws.projects["p"]
    assert loaded.start == project["start"] and loaded.end == project["end"]
    assert all(a.start == project["start"] and a.end == project["end"] for a in loaded.team)


BASE = (ACME / "projects" / "mobile" / "customer-mobile-app.yaml").read_bytes()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutations_never_crash(data):
    text = bytearray(BASE)
    for _ in range(data.draw(st.integers(1, 6))):
        action = data.draw(st.sampled_from(["replace", "delete", "insert"]))
        at = data.draw(st.integers(0, max(len(text) - 1, 0)))
        if action == "replace" and text:
            text[at] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del text[at : at + data.draw(st.integers(1, 40))]
        else:
            text[at:at] = data.draw(st.sampled_from([b"&a ", b"*a", b"[", b"{", b"- ", b": ", b"\n  ", b"!!binary ", b"<<: ", b"'", b'"', b"9" * 30, b"\t", b"#"]))
    ws, findings = load(MemorySource({SETTINGS_FILE: SETTINGS_TEXT.encode(), "projects/p.yaml": bytes(text)}))
    for finding in findings:
        assert finding.line >= 1 and finding.column >= 1 and finding.message
    # A file is either loaded cleanly or reported: never silently dropped.
    assert ("p" in ws.projects) == (not any(f.path == "projects/p.yaml" for f in findings))
