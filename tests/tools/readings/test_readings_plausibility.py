"""Engineering sanity limits: implausible readings are flagged to re-measure, never alerted."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tools.readings import (
    AlertProfile,
    BloodPressureIn,
    GlucoseIn,
    SpO2In,
    WeightIn,
    assess_plausibility,
    assess_reading,
    normalise_reading,
)

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=CST)
DIABETIC = AlertProfile(patient_id="p1", conditions=frozenset({"diabetes"}))


def test_scenario_13_bp_300_over_20_asks_to_remeasure_and_raises_no_alert() -> None:
    result = assess_reading(BloodPressureIn(sbp=300, dbp=20, measured_at=NOW), NOW, [], DIABETIC)
    assert result.plausibility.needs_remeasure is True
    assert {"sbp_implausible", "dbp_implausible"} <= set(result.plausibility.reasons)
    assert result.alerts == []  # 300 is above the crisis threshold, but not believable
    assert "重新测量" in result.message.zh
    assert "measure again" in result.message.en
    assert "300/20" in result.message.en


def test_glucose_80_mmol_is_flagged_not_alerted() -> None:
    result = assess_reading(GlucoseIn(value=80, measured_at=NOW), NOW, [], DIABETIC)
    assert result.plausibility.needs_remeasure and result.alerts == []


def test_glucose_1440_mg_dl_is_the_same_80_mmol() -> None:
    reading = GlucoseIn(value=1440, unit="mg/dL", measured_at=NOW)
    assert assess_reading(reading, NOW, [], DIABETIC).plausibility.needs_remeasure


def test_systolic_not_above_diastolic() -> None:
    r = normalise_reading(BloodPressureIn(sbp=120, dbp=125, measured_at=NOW), NOW)
    assert "sbp_not_above_dbp" in assess_plausibility(r).reasons


def test_narrow_pulse_pressure_is_flagged() -> None:
    r = normalise_reading(BloodPressureIn(sbp=95, dbp=90, measured_at=NOW), NOW)
    assert assess_plausibility(r).reasons == ["pulse_pressure_implausible"]


def test_limits_are_inclusive_and_a_plausible_extreme_still_alerts() -> None:
    result = assess_reading(BloodPressureIn(sbp=280, dbp=120, measured_at=NOW), NOW, [], DIABETIC)
    assert result.plausibility.plausible
    assert [a.rule_code for a in result.alerts] == ["bp_crisis_level"]


@pytest.mark.parametrize(
    ("reading", "plausible"),
    [
        (GlucoseIn(value=35.0, measured_at=NOW), True),
        (GlucoseIn(value=35.1, measured_at=NOW), False),
        (GlucoseIn(value=0.9, measured_at=NOW), False),
        (SpO2In(value=101, measured_at=NOW), False),
        (SpO2In(value=50, measured_at=NOW), True),
        (WeightIn(value=301, measured_at=NOW), False),
        (BloodPressureIn(sbp=120, dbp=80, pulse=300, measured_at=NOW), False),
    ],
)
def test_boundaries(reading: GlucoseIn, plausible: bool) -> None:
    assert assess_plausibility(normalise_reading(reading, NOW)).plausible is plausible
