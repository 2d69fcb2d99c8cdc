"""Tests for render.json: `dumps` writes exactly what json.dumps(indent=2) writes, and the rounding helpers."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ppmcli.render.escape import json_text
from ppmcli.render.json import dumps, money, ratio

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
KEYS = st.one_of(st.text(max_size=6), st.integers(-5, 5), st.booleans(), st.none(), st.floats(-2, 2, allow_nan=False))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=30)


def obvious(data: object) -> str:
    # What a log would act on (a bidi override, a C1 control, '##[') is escaped: the same strings once parsed.
    return json_text(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n")


@settings(max_examples=500)
@given(DATA)
def test_dumps_writes_what_json_dumps_indented_writes(data: object) -> None:
    assert dumps(data) == obvious(data)


def test_records_as_the_commands_write_them() -> None:
    records = [{"id": "a", "score": 1.5, "projects": ["x", "y"], "lacks": [], "nested": {"é": None, "deep": [{"n": 1}]}}] * 3
    assert dumps(records) == obvious(records)
    assert dumps({"roles": [], "people": {}}) == obvious({"roles": [], "people": {}})


def test_what_json_refuses_dumps_refuses() -> None:
    for bad in ([math.nan], {"a": [math.inf]}, {"a": {"b": math.inf}}):
        with pytest.raises(ValueError):
            dumps(bad)
    for bad in ([object()], {"a": {"b": {1, 2}}}, {(1, 2): 1}, {(1, 2): [1, [2]]}):
        with pytest.raises(TypeError):
            dumps(bad)


def test_rounding_for_output() -> None:
    assert (money(2.345678), ratio(0.123456), money(-0.001), money(3.0), ratio(None), money(math.nan)) == (2.35, 0.1235, 0, 3, None, None)


# Figures as reports hold them: repeated values, both zeros, numbers at rounding ties, and (for ratios) None and non-finite values.
_FIGURE = st.one_of(st.sampled_from([0.0, -0.0, 1.0, 0.005, 2.675, 1e16, 1234.565]), st.floats(allow_nan=False, allow_infinity=False, width=32))
_RATIO = st.one_of(st.none(), st.just(math.inf), st.just(math.nan), _FIGURE)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(_FIGURE, min_size=8, max_size=8), st.lists(_RATIO, min_size=3, max_size=3), st.lists(_FIGURE, min_size=4, max_size=4), st.integers(0, 3)), min_size=1, max_size=6))
def test_a_reports_figures_rounded_through_one_memo_are_each_rounded_alone(rows) -> None:
    from ppmcli.analysis.delivery.evm import Figures
    from ppmcli.render.report import FIGURE_COLUMNS, _ROUNDING, _figures_json, _roundings

    rounding = _roundings()  # one memo for every row, as one report uses
    for money_figures, ratios, more, late in rows:
        figures = Figures(*money_figures, *ratios, *more, late)
        alone = {name: _ROUNDING[kind](getattr(figures, name)) for name, _, kind in FIGURE_COLUMNS}
        assert json.dumps(_figures_json(figures, rounding)) == json.dumps(alone)
