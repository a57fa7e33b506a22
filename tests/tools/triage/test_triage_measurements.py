"""Vital signs in free text, unit conversions, thresholds at the fact values, plausibility."""

from __future__ import annotations

import pytest

from knowledge.facts import fact_value
from tools.triage import TriageRequest, Vitals, triage
from tools.triage.numbers import fahrenheit_to_celsius, glucose_mgdl_to_mmol, parse_number


def _measure(text: str) -> dict[str, object]:
    return triage(TriageRequest(text=text)).measurements.model_dump(exclude_none=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("血压200/125", {"sbp": 200.0, "dbp": 125.0}),
        ("BP 190/120", {"sbp": 190.0, "dbp": 120.0}),
        ("my blood pressure readings at home are around 148/92", {"sbp": 148.0, "dbp": 92.0}),
        ("高压170低压100", {"sbp": 170.0, "dbp": 100.0}),
        ("SpO2 91%", {"spo2": 91.0}),
        ("血氧91", {"spo2": 91.0}),
        ("temperature 104°F", {"temperature_c": 40.0}),
        ("temp 101.5 F", {"temperature_c": 38.6}),
        ("体温39.5度", {"temperature_c": 39.5}),
        ("發燒38.3℃", {"temperature_c": 38.3}),
        ("血糖2.1", {"glucose_mmol": 2.1}),
        ("glucose 40 mg/dL", {"glucose_mmol": 2.2}),
        ("blood sugar 300", {"glucose_mmol": 16.7}),
        ("INR 6.8", {"inr": 6.8}),
        ("my INR came back 6.8 today", {"inr": 6.8}),
        ("心率125", {"heart_rate": 125.0}),
        ("3天体重涨了2公斤", {"weight_gain_kg": 2.0, "weight_gain_days": 3.0}),
        ("这三天体重长了4斤", {"weight_gain_kg": 2.0, "weight_gain_days": 3.0}),
        ("gained 5 lbs in 3 days", {"weight_gain_kg": 2.27, "weight_gain_days": 3.0}),
    ],
)
def test_values_are_read_from_text(text: str, expected: dict[str, float]) -> None:
    measured = _measure(text)
    for key, value in expected.items():
        assert measured[key] == pytest.approx(value)


def test_unit_helpers() -> None:
    assert fahrenheit_to_celsius(104) == 40.0
    assert fahrenheit_to_celsius(98.6) == 37.0
    assert glucose_mgdl_to_mmol(90) == 5.0
    assert glucose_mgdl_to_mmol(54) == 3.0
    assert parse_number("两") == 2
    assert parse_number("十五") == 15
    assert parse_number("二十") == 20
    assert parse_number("2.5") == 2.5
    assert parse_number("abc") is None


def test_caller_vitals_win_over_text() -> None:
    result = triage(TriageRequest(text="血压150/95", vitals=Vitals(sbp=182, dbp=100)))
    assert result.measurements.sbp == 182
    assert result.level == "urgent"


def test_spo2_threshold_comes_from_the_facts_table() -> None:
    limit = fact_value("spo2.low")
    assert limit == 92
    assert triage(TriageRequest(text=f"SpO2 {limit:g}%")).level != "emergency"
    assert triage(TriageRequest(text=f"SpO2 {limit - 1:g}%")).level == "emergency"


def test_copd_uses_its_own_saturation_target() -> None:
    result = triage(TriageRequest(text="SpO2 90%", conditions=["COPD"]))
    assert result.level == "urgent"
    assert triage(TriageRequest(text="SpO2 86%", conditions=["慢阻肺"])).level == "emergency"


def test_bp_crisis_needs_symptoms_at_the_fact_threshold() -> None:
    assert (fact_value("bp.emergency.sbp"), fact_value("bp.emergency.dbp")) == (180, 120)
    assert triage(TriageRequest(text="血压180/100，头痛")).level == "emergency"
    assert triage(TriageRequest(text="血压179/119，头痛")).level != "emergency"
    assert triage(TriageRequest(text="血压180/100，没有不舒服")).level == "urgent"


def test_glucose_levels_at_the_fact_thresholds() -> None:
    assert fact_value("glucose.hypo.level2") == 3.0
    assert triage(TriageRequest(text="血糖2.9")).level == "emergency"
    assert triage(TriageRequest(text="血糖3.0")).level == "urgent"
    assert triage(TriageRequest(text="血糖3.9")).level != "urgent"


def test_infant_age_threshold_from_facts() -> None:
    assert fact_value("fever.infant.age_months") == 3
    assert triage(TriageRequest(text="发烧38.5度", age_months=2.9)).level == "emergency"
    assert triage(TriageRequest(text="发烧38.5度", age_months=3)).level == "routine"


@pytest.mark.parametrize("text", ["BP 300/20", "血压300/20", "血糖80 mmol/L", "SpO2 30%"])
def test_implausible_readings_ask_for_remeasurement_not_emergency(text: str) -> None:
    result = triage(TriageRequest(text=text))
    assert result.level != "emergency"
    assert result.measurements.implausible
    assert result.measurements.sbp is None and result.measurements.glucose_mmol is None
    assert any("re" in step.lower() or "重新测量" in step for step in result.advice_steps)
    assert result.follow_up_questions[0] in (
        "请重新测量后告诉我新的读数好吗？",
        "Could you measure again and tell me the new reading?",
    )


def test_implausible_caller_vitals_are_not_used() -> None:
    result = triage(TriageRequest(text="头痛", vitals=Vitals(sbp=300, dbp=20)))
    assert result.level != "emergency"
    assert result.measurements.implausible == ["sbp 300", "dbp 20"]
