"""Validation and unit normalisation of incoming readings (hand-computed conversions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.errors import ValidationFailed
from tools.readings import (
    BloodPressureIn,
    GlucoseIn,
    SleepIn,
    WeightIn,
    normalise_reading,
)

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=CST)


def test_glucose_mg_dl_divides_by_18_and_keeps_raw() -> None:
    r = normalise_reading(GlucoseIn(value=100, unit="mg/dL", measured_at=NOW), NOW)
    assert r.unit == "mmol/L"
    assert r.values["value"] == pytest.approx(5.5556, abs=1e-4)  # 100 / 18
    assert r.display["value"] == 5.6
    assert r.raw_values == {"value": 100} and r.raw_unit == "mg/dL"
    assert r.meal_context == "random"


@pytest.mark.parametrize("unit", ["mg/dL", "MG/DL", "mg/dl", "ｍｇ／ｄＬ", "毫克/分升"])
def test_glucose_unit_aliases(unit: str) -> None:
    r = normalise_reading(GlucoseIn(value=126, unit=unit, measured_at=NOW), NOW)
    assert r.values["value"] == pytest.approx(7.0)


def test_glucose_traditional_chinese_unit_and_meal_context() -> None:
    reading = GlucoseIn(value=6.2, unit="毫摩爾/升", meal_context="fasting", measured_at=NOW)
    r = normalise_reading(reading, NOW)
    assert r.values == {"value": 6.2} and r.meal_context == "fasting"


@pytest.mark.parametrize(
    ("value", "unit", "kg"),
    [(144, "斤", 72.0), (131, "jin", 65.5), (70, "公斤", 70.0), (100, "lb", 45.359237)],
)
def test_weight_units(value: float, unit: str, kg: float) -> None:
    r = normalise_reading(WeightIn(value=value, unit=unit, measured_at=NOW), NOW)
    assert r.unit == "kg"
    assert r.values["value"] == pytest.approx(kg)


def test_weight_display_rounds_to_one_decimal() -> None:
    r = normalise_reading(WeightIn(value=100, unit="lb", measured_at=NOW), NOW)
    assert r.display["value"] == 45.4


def test_bp_kpa_converts_pressures_but_not_pulse() -> None:
    reading = BloodPressureIn(sbp=16, dbp=10.7, pulse=72, unit="kPa", measured_at=NOW)
    r = normalise_reading(reading, NOW)
    assert r.values["sbp"] == pytest.approx(120.00992)  # 16 * 7.50062
    assert r.values["dbp"] == pytest.approx(80.256634)  # 10.7 * 7.50062
    assert r.values["pulse"] == 72
    assert r.display == {"sbp": 120, "dbp": 80, "pulse": 72}


def test_sleep_minutes_to_hours() -> None:
    r = normalise_reading(SleepIn(value=450, unit="分钟", measured_at=NOW), NOW)
    assert r.values["value"] == 7.5 and r.unit == "h"


def test_unknown_unit_is_refused_with_accepted_units() -> None:
    with pytest.raises(ValidationFailed) as info:
        normalise_reading(GlucoseIn(value=5.5, unit="mmol", measured_at=NOW), NOW)
    err = info.value
    assert err.instance_code == "unknown_unit"
    assert err.field == "unit"
    assert "mmol/L" in err.message and "mg/dL" in err.message
    assert err.message_zh is not None and "无法识别的单位" in err.message_zh


def test_bp_in_mg_dl_is_an_unknown_unit() -> None:
    with pytest.raises(ValidationFailed) as info:
        normalise_reading(BloodPressureIn(sbp=120, dbp=80, unit="mg/dL", measured_at=NOW), NOW)
    assert info.value.instance_code == "unknown_unit"


@pytest.mark.parametrize(
    ("reading", "field"),
    [
        (WeightIn(value=-5, measured_at=NOW), "value"),
        (BloodPressureIn(sbp=120, dbp=-1, measured_at=NOW), "dbp"),
        (GlucoseIn(value=-0.1, measured_at=NOW), "value"),
    ],
)
def test_negative_values_are_refused(reading: WeightIn, field: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        normalise_reading(reading, NOW)
    assert info.value.instance_code == "negative_value"
    assert info.value.field == field
    assert "negative" in info.value.message
    assert info.value.message_zh is not None and "负数" in info.value.message_zh


def test_nan_is_refused() -> None:
    with pytest.raises(ValidationFailed) as info:
        normalise_reading(GlucoseIn(value=float("nan"), measured_at=NOW), NOW)
    assert info.value.instance_code == "not_a_number"


def test_future_timestamp_beyond_ten_minutes_is_refused() -> None:
    later = NOW + timedelta(minutes=11)
    with pytest.raises(ValidationFailed) as info:
        normalise_reading(GlucoseIn(value=5.5, measured_at=later), NOW)
    assert info.value.instance_code == "future_timestamp"
    assert info.value.field == "measured_at"
    assert info.value.message_zh is not None and "设备时间" in info.value.message_zh


def test_small_clock_skew_is_accepted_and_zones_compare_by_instant() -> None:
    skewed = NOW + timedelta(minutes=9)
    assert normalise_reading(GlucoseIn(value=5.5, measured_at=skewed), NOW)
    # 00:05 UTC is 08:05 in Shanghai: only five minutes ahead of NOW.
    as_utc = datetime(2026, 5, 1, 0, 5, tzinfo=UTC)
    assert normalise_reading(GlucoseIn(value=5.5, measured_at=as_utc), NOW)


def test_naive_timestamp_is_refused() -> None:
    with pytest.raises(ValidationFailed) as info:
        normalise_reading(GlucoseIn(value=5.5, measured_at=datetime(2026, 5, 1, 7)), NOW)
    assert info.value.instance_code == "timezone_required"
