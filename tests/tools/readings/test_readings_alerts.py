"""Alert rules: thresholds come from knowledge/FACTS.yaml; expected values computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from knowledge.facts import fact_value
from tools.readings import (
    AlertProfile,
    BloodPressureIn,
    GlucoseIn,
    NormalisedReading,
    ReadingIn,
    SpO2In,
    WeightIn,
    evaluate_alerts,
    load_alert_rules,
    normalise_reading,
)
from tools.readings.render import fill_bilingual

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 5, 3, 8, 0, tzinfo=CST)
PLAIN = AlertProfile(patient_id="p1")
HF = AlertProfile(patient_id="p9", conditions=frozenset({"heart_failure"}))
COPD = AlertProfile(patient_id="p2", conditions=frozenset({"copd"}))


def norm(reading: ReadingIn) -> NormalisedReading:
    return normalise_reading(reading, NOW)


def codes(reading: ReadingIn, profile: AlertProfile = PLAIN) -> list[str]:
    return [a.rule_code for a in evaluate_alerts(norm(reading), [], profile)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.9, ["glucose_severe_hypo"]),  # < 3.0
        (3.0, ["glucose_hypo"]),  # not < 3.0, but < 3.9
        (3.8, ["glucose_hypo"]),
        (3.9, []),
        (16.7, []),  # rule is "> 16.7"
        (16.8, ["glucose_very_high"]),
    ],
)
def test_glucose_thresholds(value: float, expected: list[str]) -> None:
    assert codes(GlucoseIn(value=value, measured_at=NOW)) == expected


def test_thresholds_are_the_facts_values() -> None:
    level2 = fact_value("glucose.hypo.level2")
    assert codes(GlucoseIn(value=level2 - 0.01, measured_at=NOW)) == ["glucose_severe_hypo"]
    assert codes(GlucoseIn(value=level2, measured_at=NOW)) == ["glucose_hypo"]


def test_mg_dl_compares_unrounded_value() -> None:
    # 70 mg/dL = 3.888... mmol/L: below 3.9 although it displays as 3.9.
    alerts = evaluate_alerts(norm(GlucoseIn(value=70, unit="mg/dL", measured_at=NOW)), [], PLAIN)
    assert [a.rule_code for a in alerts] == ["glucose_hypo"]
    assert alerts[0].values == {"value": 3.9}


def test_severe_hypo_draft_content() -> None:
    [alert] = evaluate_alerts(norm(GlucoseIn(value=2.5, measured_at=NOW)), [], PLAIN)
    assert alert.severity == "critical"
    assert alert.dedupe_key == "p1:glucose_low"
    assert alert.observed_at == NOW
    assert alert.fact_ids == [
        "glucose.hypo.level2",
        "glucose.hypo.treatment_carbs_g",
        "glucose.hypo.recheck_minutes",
    ]
    zh, en = alert.patient_message.zh, alert.patient_message.en
    assert "2.5 mmol/L" in zh and "3.0 mmol/L" in zh
    assert "15 克" in zh and "120" in zh and "无法吞咽" in zh
    assert "15 g" in en and "call 120" in en and "cannot swallow" in en
    assert "do not change any medicine dose" in en
    assert "{" not in zh + en + alert.manager_message.zh + alert.manager_message.en
    assert "2.5" in alert.manager_message.en


@pytest.mark.parametrize(
    ("sbp", "dbp", "expected", "severity"),
    [
        (180, 90, ["bp_crisis_level"], "critical"),  # sbp >= 180
        (160, 120, ["bp_crisis_level"], "critical"),  # dbp >= 120
        (175, 110, ["bp_grade3"], "high"),  # dbp >= 110, below crisis
        (179, 119, ["bp_grade3"], "high"),
        (170, 105, [], None),  # grade 2: no alert
    ],
)
def test_blood_pressure_levels(
    sbp: float, dbp: float, expected: list[str], severity: str | None
) -> None:
    alerts = evaluate_alerts(norm(BloodPressureIn(sbp=sbp, dbp=dbp, measured_at=NOW)), [], PLAIN)
    assert [a.rule_code for a in alerts] == expected
    if severity:
        assert alerts[0].severity == severity
        assert f"{sbp}/{dbp}" in alerts[0].patient_message.en


def test_crisis_supersedes_grade3_in_the_same_group() -> None:
    # 200/125 matches both the crisis and grade-3 rules; only the more severe is reported.
    assert codes(BloodPressureIn(sbp=200, dbp=125, measured_at=NOW)) == ["bp_crisis_level"]


def test_spo2_low_and_copd_variant() -> None:
    assert codes(SpO2In(value=91, measured_at=NOW)) == ["spo2_low"]
    assert codes(SpO2In(value=92, measured_at=NOW)) == []
    [alert] = evaluate_alerts(norm(SpO2In(value=88, measured_at=NOW)), [], COPD)
    assert alert.rule_code == "spo2_low_chronic_lung" and alert.severity == "warning"


def weight(kg: float, at: datetime) -> NormalisedReading:
    return normalise_reading(WeightIn(value=kg, measured_at=at), NOW)


def test_scenario_9_heart_failure_weight_up_2kg_in_3_days() -> None:
    history = [weight(70.0, NOW - timedelta(days=3)), weight(70.5, NOW - timedelta(days=1))]
    [alert] = evaluate_alerts(weight(72.0, NOW), history, HF)
    assert alert.rule_code == "hf_rapid_weight_gain"
    assert alert.severity == "high"
    assert alert.fact_ids == ["hf.weight_gain.kg", "hf.weight_gain.days"]
    assert "2 kg in 3 days" in alert.patient_message.en
    assert "3 天内增加了 2 kg" in alert.patient_message.zh
    assert "120" in alert.patient_message.zh and "利尿剂" in alert.patient_message.zh


def test_weight_gain_with_jin_history() -> None:
    history = [
        normalise_reading(WeightIn(value=140, unit="斤", measured_at=NOW - timedelta(days=2)), NOW)
    ]
    [alert] = evaluate_alerts(weight(72.5, NOW), history, HF)  # 72.5 - 70.0 = 2.5 kg
    assert "2.5 kg" in alert.patient_message.en


def test_weight_gain_edge_cases() -> None:
    outside = [weight(70.0, NOW - timedelta(days=3, hours=1))]
    assert evaluate_alerts(weight(72.0, NOW), outside, HF) == []
    small = [weight(70.1, NOW - timedelta(days=2))]
    assert evaluate_alerts(weight(72.0, NOW), small, HF) == []  # 1.9 kg
    history = [weight(70.0, NOW - timedelta(days=2))]
    assert evaluate_alerts(weight(72.0, NOW), history, PLAIN) == []  # not heart failure
    implausible = [weight(1.0, NOW - timedelta(days=1))]  # sanity limit 2-300 kg
    assert evaluate_alerts(weight(72.0, NOW), implausible, HF) == []


def cgm(value: float, at: datetime) -> NormalisedReading:
    return normalise_reading(GlucoseIn(value=value, source_device="cgm", measured_at=at), NOW)


def test_scenario_3_repeated_night_lows_alert_the_manager_without_a_dose() -> None:
    night1 = datetime(2026, 5, 2, 2, 0, tzinfo=CST)
    afternoon = datetime(2026, 5, 2, 14, 0, tzinfo=CST)
    # 19:00 UTC on 2 May is 03:00 on 3 May in Shanghai: a second night.
    night2 = datetime(2026, 5, 2, 19, 0, tzinfo=UTC)
    history = [cgm(3.6, night1), cgm(3.5, afternoon), cgm(6.0, night1 + timedelta(hours=1))]
    alerts = evaluate_alerts(cgm(3.5, night2), history, PLAIN)
    assert [a.rule_code for a in alerts] == ["glucose_night_lows_repeated", "glucose_hypo"]
    pattern = alerts[0]
    assert pattern.severity == "high" and pattern.dedupe_key == "p1:glucose_night_lows"
    assert "2 个夜间" in pattern.patient_message.zh
    assert "不要自行增减胰岛素" in pattern.patient_message.zh
    assert "do not raise or lower your insulin" in pattern.patient_message.en
    assert "2 nights within 72 hours" in pattern.manager_message.en


def test_many_lows_in_one_night_are_not_a_pattern() -> None:
    t = datetime(2026, 5, 3, 1, 0, tzinfo=CST)
    late_evening = cgm(3.7, datetime(2026, 5, 2, 23, 30, tzinfo=CST))  # not in 00-06
    history = [cgm(3.6, t - timedelta(minutes=30)), late_evening]
    assert [a.rule_code for a in evaluate_alerts(cgm(3.5, t), history, PLAIN)] == ["glucose_hypo"]


def test_night_meal_context_before_midnight_counts_with_the_following_small_hours() -> None:
    evening = normalise_reading(
        GlucoseIn(
            value=3.6, meal_context="night", measured_at=datetime(2026, 5, 2, 23, 30, tzinfo=CST)
        ),
        NOW,
    )
    new = cgm(3.5, datetime(2026, 5, 3, 2, 0, tzinfo=CST))
    # 23:30 and 02:00 are the same night: one night only, no pattern.
    assert evening.meal_context == "night"
    assert [a.rule_code for a in evaluate_alerts(new, [evening], PLAIN)] == ["glucose_hypo"]


def test_history_in_the_future_of_the_new_reading_is_ignored() -> None:
    new = cgm(3.5, datetime(2026, 5, 2, 2, 0, tzinfo=CST))
    later = cgm(3.4, datetime(2026, 5, 3, 2, 0, tzinfo=CST))
    assert [a.rule_code for a in evaluate_alerts(new, [later], PLAIN)] == ["glucose_hypo"]


def test_no_patient_id_gives_group_only_dedupe_key() -> None:
    [alert] = evaluate_alerts(norm(GlucoseIn(value=3.5, measured_at=NOW)), [], AlertProfile())
    assert alert.dedupe_key == "glucose_low"


def test_every_rule_renders_without_holes_and_never_mentions_a_dose_amount() -> None:
    rule_set = load_alert_rules()
    assert rule_set.version >= 1
    context = {
        "value": "1",
        "sbp": "1",
        "dbp": "1",
        "gain": "1",
        "days": "1",
        "nights": "1",
        "lookback_hours": "1",
    }
    for rule in rule_set.rules:
        for text in (rule.patient_message, rule.manager_message):
            filled = fill_bilingual(text, context)
            assert "{" not in filled.zh + filled.en, rule.code
        assert rule.fact_ids(), rule.code
    for phrase in ("units of insulin", "单位胰岛素", "increase your dose", "加量"):
        assert all(
            phrase not in r.patient_message.en + r.patient_message.zh for r in rule_set.rules
        )


def test_history_loaded_without_a_time_zone_fails_fast() -> None:
    # e.g. a row read back from SQLite without tz: refused when the model is built.
    data = weight(70.0, NOW).model_dump()
    data["measured_at"] = datetime(2026, 5, 1, 8)
    with pytest.raises(ValueError, match="timezone"):
        NormalisedReading.model_validate(data)
