"""Earned value of one project: hand-computed figures on a real calendar, and every edge where a divisor is zero."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ppmcli.analysis.delivery.evm import Figures, earned_value, estimate_and_actual, is_stale, planned_fraction, sum_figures, trend, worst_health
from ppmcli.analysis.resources.workdays import WorkCalendar
from ppmcli.core.model import Phase, Project

D = date
# Memorial Day 2026-05-25 is a Monday holiday: 2026-05-18 (Mon) .. 2026-06-01 (Mon) holds
# 5 + 4 + 1 = 10 working days, and 5 of them have passed by the holiday itself.
CALENDAR = WorkCalendar.from_names(["mon", "tue", "wed", "thu", "fri"], [D(2026, 5, 25)])
START, END = D(2026, 5, 18), D(2026, 6, 1)


def project(**fields) -> Project:
    data = {
        "__id__": "app",
        "name": "App",
        "portfolio": "digital",
        "manager": "ann",
        "phase": "execution",
        "start": START,
        "end": END,
        "budget": 100000.0,
        **fields,
    }
    return Project.model_validate(data)


def status(day: date, pc: float, ac: float, health: str = "green", **more) -> dict:
    return {"date": day, "health": health, "percent_complete": pc, "actual_cost": ac, **more}


def test_hand_computed_half_way_on_a_real_calendar():
    value = earned_value(project(status=[status(D(2026, 5, 22), 40.0, 45000.0)]), D(2026, 5, 25), CALENDAR)
    f = value.figures
    assert value.planned_fraction == 0.5
    assert (f.bac, f.pv, f.ev, f.ac) == (100000, 50000, 40000, 45000)
    assert f.spi == pytest.approx(0.8)
    assert f.cpi == pytest.approx(0.888889, abs=1e-6)
    assert f.eac == pytest.approx(112500)
    assert f.vac == pytest.approx(-12500)
    assert (f.cv, f.sv) == (-5000, -10000)
    assert f.tcpi == pytest.approx(60000 / 55000)
    assert (value.health, value.status_date, value.percent_complete) == ("green", D(2026, 5, 22), 40.0)


@pytest.mark.parametrize(
    ("as_of", "fraction"),
    [
        (D(2026, 5, 17), 0.0),  # before start
        (D(2026, 5, 18), 0.1),  # the first working day counts: 1/N
        (D(2026, 5, 23), 0.5),  # a Saturday: the same as Friday
        (D(2026, 5, 26), 0.6),  # the day after the holiday
        (D(2026, 6, 1), 1.0),  # the last day
        (D(2026, 7, 1), 1.0),  # after the end
    ],
)
def test_planned_fraction_counts_working_days_both_ends_inclusive(as_of, fraction):
    assert planned_fraction(START, END, as_of, CALENDAR) == pytest.approx(fraction)


def test_a_project_without_working_days_is_all_planned_once_started():
    saturday, sunday = D(2026, 5, 23), D(2026, 5, 24)
    assert planned_fraction(saturday, sunday, D(2026, 5, 22), CALENDAR) == 0.0
    assert planned_fraction(saturday, sunday, saturday, CALENDAR) == 1.0
    value = earned_value(project(start=saturday, end=sunday, status=[status(saturday, 50.0, 10000.0)]), saturday, CALENDAR)
    assert (value.figures.pv, value.figures.spi) == (100000, 0.5)


def test_before_start_pv_is_zero_and_spi_null():
    f = earned_value(project(), D(2026, 5, 1), CALENDAR).figures
    assert (f.pv, f.ev, f.ac, f.spi, f.cpi) == (0, 0, 0, None, None)
    assert (f.eac, f.vac, f.tcpi) == (100000, 0, 1.0)


def test_without_a_status_ev_and_ac_are_zero_and_health_unknown():
    value = earned_value(project(), D(2026, 5, 25), CALENDAR)
    f = value.figures
    assert (value.health, value.status_date, value.percent_complete) == ("unknown", None, None)
    assert (f.pv, f.ev, f.ac, f.spi, f.cpi, f.eac) == (50000, 0, 0, 0.0, None, 100000)


def test_ac_zero_gives_null_cpi_and_eac_bac():
    f = earned_value(project(status=[status(D(2026, 5, 22), 10.0, 0.0)]), D(2026, 5, 25), CALENDAR).figures
    assert (f.cpi, f.eac, f.vac) == (None, 100000, 0)
    assert f.tcpi == pytest.approx(0.9)


def test_ev_zero_gives_cpi_zero_and_eac_bac():
    f = earned_value(project(status=[status(D(2026, 5, 22), 0.0, 5000.0)]), D(2026, 5, 25), CALENDAR).figures
    assert (f.spi, f.cpi, f.eac) == (0.0, 0.0, 100000)


def test_tcpi_null_when_everything_is_spent():
    f = earned_value(project(status=[status(D(2026, 5, 22), 90.0, 100000.0)]), D(2026, 5, 25), CALENDAR).figures
    assert f.tcpi is None


def test_zero_budget_never_crashes():
    f = earned_value(project(budget=0.0, status=[status(D(2026, 5, 22), 50.0, 0.0)]), D(2026, 5, 25), CALENDAR).figures
    assert (f.pv, f.ev, f.spi, f.cpi, f.tcpi, f.eac) == (0, 0, None, None, None, 0)


def test_forecast_is_the_eac_and_later_statuses_are_ignored():
    p = project(
        status=[
            status(D(2026, 5, 29), 90.0, 90000.0, "red", forecast_cost=150000.0),
            status(D(2026, 5, 20), 20.0, 30000.0, "amber", forecast_cost=120000.0),
        ]
    )
    value = earned_value(p, D(2026, 5, 25), CALENDAR)
    assert (value.health, value.status_date, value.figures.ev, value.figures.eac, value.figures.vac) == ("amber", D(2026, 5, 20), 20000, 120000, -20000)


def test_benefits_realized_is_the_most_recent_reported():
    p = project(
        benefits=500000.0,
        status=[
            status(D(2026, 5, 19), 10.0, 1.0, benefits_realized=1000.0),
            status(D(2026, 5, 20), 20.0, 2.0, benefits_realized=3000.0),
            status(D(2026, 5, 21), 30.0, 3.0),
            status(D(2026, 5, 29), 40.0, 4.0, benefits_realized=9000.0),
        ]
    )
    f = earned_value(p, D(2026, 5, 25), CALENDAR).figures
    assert (f.benefits, f.benefits_realized) == (500000, 3000)
    assert earned_value(project(), D(2026, 5, 25), CALENDAR).figures.benefits_realized == 0


def test_risk_exposure_counts_open_risks_only():
    risks = [
        {"name": "a", "probability": 0.5, "impact": 1000.0},
        {"name": "b", "probability": 0.2, "impact": 500.0, "status": "open"},
        {"name": "c", "probability": 0.9, "impact": 9999.0, "status": "closed"},
    ]
    assert earned_value(project(risks=risks), D(2026, 5, 25), CALENDAR).figures.risk_exposure == 600


def test_late_and_slipped_milestones_as_of_the_date():
    milestones = [
        {"name": "late", "date": D(2026, 5, 20)},
        {"name": "done late", "date": D(2026, 5, 19), "done": D(2026, 5, 21)},
        {"name": "done on time", "date": D(2026, 5, 19), "done": D(2026, 5, 19)},
        {"name": "done after as-of", "date": D(2026, 5, 21), "done": D(2026, 5, 27)},
        {"name": "due today", "date": D(2026, 5, 25)},
    ]
    value = earned_value(project(milestones=milestones), D(2026, 5, 25), CALENDAR)
    assert [m.name for m in value.late] == ["late", "done after as-of"]
    assert [m.name for m in value.slipped] == ["done late"]
    assert value.figures.late_milestones == 2


def test_labor_cost_is_carried():
    assert earned_value(project(), D(2026, 5, 25), CALENDAR, labor_cost=1234.5).figures.labor_cost == 1234.5


def test_worst_health():
    assert worst_health(["green", "amber", "red"]) == "red"
    assert worst_health(["unknown", "green"]) == "green"
    assert worst_health(["unknown", "unknown"]) == "unknown"
    assert worst_health([]) == "unknown"


def test_sum_figures_takes_ratios_from_the_sums():
    a = Figures.build(bac=100, pv=50, ev=40, ac=45, eac=112.5, benefits=10, benefits_realized=1, labor_cost=5, risk_exposure=7, late_milestones=1)
    b = Figures.build(bac=300, pv=150, ev=160, ac=100, eac=300, benefits=20, benefits_realized=2, labor_cost=6, risk_exposure=8, late_milestones=2)
    total = sum_figures([a, b])
    assert (total.bac, total.pv, total.ev, total.ac, total.eac) == (400, 200, 200, 145, 412.5)
    assert (total.vac, total.cv, total.sv) == (-12.5, 55, 0)
    assert total.spi == 1.0  # not the mean of 0.8 and 1.0667
    assert total.cpi == pytest.approx(200 / 145)
    assert total.tcpi == pytest.approx(200 / 255)
    assert (total.benefits, total.benefits_realized, total.labor_cost, total.risk_exposure, total.late_milestones) == (30, 3, 11, 15, 3)
    empty = sum_figures([])
    assert (empty.bac, empty.spi, empty.cpi, empty.tcpi) == (0, None, None, None)


@pytest.mark.parametrize(
    ("phase", "status_day", "stale"),
    [
        ("execution", None, True),
        ("planning", None, False),
        ("execution", D(2026, 5, 11), False),  # 14 days: the limit itself is fine
        ("execution", D(2026, 5, 10), True),
        ("monitoring", D(2026, 5, 10), True),
        ("proposed", D(2026, 5, 10), False),
        ("closed", D(2026, 5, 10), False),
    ],
)
def test_is_stale(phase, status_day, stale):
    p = project(phase=phase, status=[status(status_day, 1.0, 1.0)] if status_day else [])
    assert is_stale(Phase(phase), p.latest_status(D(2026, 5, 25)), D(2026, 5, 25), 14) is stale


def test_trend_has_one_point_per_status_up_to_as_of():
    p = project(
        status=[
            status(D(2026, 5, 29), 90.0, 90000.0),
            status(D(2026, 5, 22), 40.0, 45000.0, "amber"),
            status(D(2026, 5, 18), 5.0, 4000.0),
        ]
    )
    points = trend(p, D(2026, 5, 25), CALENDAR).points
    assert [(pt.date, pt.health, pt.planned_fraction, pt.pv, pt.ev, pt.ac) for pt in points] == [
        (D(2026, 5, 18), "green", 0.1, 10000, 5000, 4000),
        (D(2026, 5, 22), "amber", 0.5, 50000, 40000, 45000),
    ]
    assert (points[0].spi, points[0].cpi) == (0.5, 1.25)
    assert points[1].spi == pytest.approx(0.8)


def _slow_fraction(start: date, end: date, as_of: date, calendar: WorkCalendar) -> float:
    def days(a: date, b: date) -> int:
        return sum(1 for i in range((b - a).days + 1) if calendar.is_working(a + timedelta(days=i)))

    if as_of < start:
        return 0.0
    total = days(start, end)
    if as_of >= end or total == 0:
        return 1.0
    return days(start, as_of) / total


@given(
    start=st.dates(D(2026, 1, 1), D(2026, 12, 31)),
    length=st.integers(0, 90),
    offset=st.integers(-10, 100),
    workdays=st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])),
    holidays=st.lists(st.dates(D(2026, 1, 1), D(2027, 4, 30)), max_size=10),
)
def test_planned_fraction_matches_a_day_by_day_count(start, length, offset, workdays, holidays):
    calendar = WorkCalendar.from_names(sorted(workdays), holidays)
    end = start + timedelta(days=length)
    as_of = start + timedelta(days=offset)
    fraction = planned_fraction(start, end, as_of, calendar)
    assert fraction == pytest.approx(_slow_fraction(start, end, as_of, calendar))
    assert 0.0 <= fraction <= 1.0


@given(
    pc=st.floats(0, 100),
    ac=st.sampled_from([0.0, 1.0, 42000.5, 150000.0]),
    forecast=st.none() | st.floats(0, 1e6),
    as_of=st.dates(D(2026, 5, 1), D(2026, 7, 1)),
)
def test_estimate_and_actual_are_the_figures_of_earned_value(pc, ac, forecast, as_of):
    # plan's remaining cost reads only EAC and AC: the report's, exactly where the report has them to a float's precision
    # (a status after as_of is ignored by both).
    from ppmcli.core.numbers import exact

    p = project(status=[status(D(2026, 5, 20), pc, ac, forecast_cost=forecast), status(D(2026, 6, 10), 90, 1.0)])
    figures = earned_value(p, as_of, CALENDAR).figures
    eac, spent = estimate_and_actual(p, as_of, exact)
    assert float(spent) == figures.ac
    # A percent complete near 0 for money spent gives an EAC beyond any float: the report's is infinite, the exact one finite.
    assert eac > 10**300 if math.isinf(figures.eac) else float(eac) == pytest.approx(figures.eac, rel=1e-12)


def test_estimate_and_actual_are_exact_fractions_of_the_figures_as_written():
    from fractions import Fraction

    from ppmcli.core.numbers import exact

    # BAC 1,000,000 at 30 % for 1,000 spent: CPI 300, EAC = 1,000,000 / 300 = 10,000/3, not a float near it.
    p = project(status=[status(D(2026, 5, 20), 30, 1000.0)]).model_copy(update={"budget": 1_000_000.0})
    assert estimate_and_actual(p, D(2026, 6, 1), exact) == (Fraction(10000, 3), Fraction(1000))
