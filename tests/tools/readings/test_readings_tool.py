"""The record_reading ToolSpec: raw JSON in, typed assessment out, typed errors for bad input."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from core.errors import ValidationFailed
from tools.readings import ReadingAssessment, record_reading_tool
from tools.registry import ToolContext

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=CST)
CTX = ToolContext(tenant_id="t1", patient_id="p7", language="zh", now=NOW)


def test_spec_shape() -> None:
    assert record_reading_tool.name == "record_reading"
    assert record_reading_tool.card_type == "reading"
    schema = record_reading_tool.json_schema()
    assert schema["function"]["name"] == "record_reading"
    assert "reading" in schema["function"]["parameters"]["properties"]
    assert "blood pressure" in record_reading_tool.description


def test_glucose_in_mg_dl_via_tool() -> None:
    raw = {
        "reading": {
            "kind": "glucose",
            "value": 45,
            "unit": "mg/dL",
            "meal_context": "night",
            "measured_at": "2026-05-01T03:00:00+08:00",
            "source_device": "cgm",
        },
        "conditions": ["diabetes"],
    }
    result = record_reading_tool.call(raw, CTX)
    assert isinstance(result, ReadingAssessment)
    assert result.reading.display == {"value": 2.5}  # 45 / 18
    assert [a.rule_code for a in result.alerts] == ["glucose_severe_hypo"]
    assert result.alerts[0].dedupe_key == "p7:glucose_low"
    assert result.message == result.alerts[0].patient_message


def test_reading_without_alert_is_interpreted_against_its_band() -> None:
    raw = {
        "reading": {
            "kind": "blood_pressure",
            "sbp": 128,
            "dbp": 82,
            "pulse": 70,
            "measured_at": "2026-05-01T07:30:00+08:00",
        }
    }
    result = record_reading_tool.call(raw, CTX)
    assert result.alerts == [] and result.plausibility.plausible
    assert result.interpretation is not None
    assert result.interpretation.code == "bp_high_normal"
    assert result.interpretation.fact_ids == ["bp.normal.sbp", "bp.normal.dbp"]
    assert result.message == result.interpretation.message
    assert "128/82" in result.message.zh and "正常高值" in result.message.zh


def test_reading_without_a_band_is_recorded_plainly() -> None:
    raw = {
        "reading": {
            "kind": "heart_rate",
            "value": 72,
            "measured_at": "2026-05-01T07:30:00+08:00",
        }
    }
    result = record_reading_tool.call(raw, CTX)
    assert result.alerts == [] and result.interpretation is None
    assert result.message.zh == "读数已记录。"


@pytest.mark.parametrize(
    ("reading", "code"),
    [
        ({"kind": "glucose", "value": 5, "unit": "g/L"}, "unknown_unit"),
        ({"kind": "weight", "value": -60}, "negative_value"),
        (
            {"kind": "spo2", "value": 97, "measured_at": "2026-05-02T08:00:00+08:00"},
            "future_timestamp",
        ),
        ({"kind": "temperature", "value": 37}, "validation_failed"),
    ],
)
def test_bad_input_raises_typed_error(reading: dict[str, object], code: str) -> None:
    reading.setdefault("measured_at", "2026-05-01T07:00:00+08:00")
    with pytest.raises(ValidationFailed) as info:
        record_reading_tool.call({"reading": reading}, CTX)
    assert info.value.instance_code == code
    body = info.value.to_body("zh")
    assert body["code"] == code and body["message"]


def test_unknown_timezone_is_refused() -> None:
    raw = {
        "reading": {"kind": "steps", "value": 8000, "measured_at": "2026-05-01T07:00:00+08:00"},
        "timezone": "Mars/Olympus",
    }
    with pytest.raises(ValidationFailed) as info:
        record_reading_tool.call(raw, CTX)
    assert "time zone" in info.value.message
