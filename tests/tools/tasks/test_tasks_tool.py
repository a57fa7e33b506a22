"""The create_health_task ToolSpec."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.errors import ValidationFailed
from tools.registry import ToolContext
from tools.tasks import TaskCard, create_task_tool

SH = ZoneInfo("Asia/Shanghai")
CTX = ToolContext(patient_id="p1", now=datetime(2026, 5, 1, 8, tzinfo=SH))


def test_spec_shape() -> None:
    assert create_task_tool.name == "create_health_task"
    assert create_task_tool.card_type == "task"
    props = create_task_tool.json_schema()["function"]["parameters"]["properties"]
    assert "dose" not in props and "schedule" in props


def test_daily_bp_task_starts_today_in_local_time() -> None:
    card = create_task_tool.call(
        {"task_type": "bp_measurement", "schedule": {"kind": "daily", "times": ["07:00"]}}, CTX
    )
    assert isinstance(card, TaskCard)
    assert card.task.schedule.start == date(2026, 5, 1)  # type: ignore[union-attr]
    assert [o.day for o in card.next_occurrences] == [2, 3, 4]  # 07:00 today has passed
    assert "2026-05-02 07:00" in card.message.zh
    assert card.task.title.en == "Measure blood pressure"


def test_medication_reminder_keeps_name_and_times_only() -> None:
    card = create_task_tool.call(
        {
            "task_type": "medication_reminder",
            "medication_name": "氨氯地平",
            "schedule": {"kind": "daily", "times": ["08:00"]},
        },
        CTX,
    )
    assert card.task.medication is not None
    assert card.task.medication.model_dump(mode="json") == {
        "name": "氨氯地平",
        "times": ["08:00:00"],
    }
    assert card.task.title.zh == "按医嘱服用氨氯地平"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (
            {
                "task_type": "medication_reminder",
                "medication_name": "氨氯地平",
                "dose": "5mg",
                "schedule": {"kind": "daily", "times": ["08:00"]},
            },
            "dose_not_allowed",
        ),
        (
            {
                "task_type": "medication_reminder",
                "medication_name": "氨氯地平 5mg",
                "schedule": {"kind": "daily", "times": ["08:00"]},
            },
            "dose_not_allowed",
        ),
        (
            {"task_type": "medication_reminder", "schedule": {"kind": "daily", "times": ["08:00"]}},
            "medication_name_required",
        ),
        (
            {
                "task_type": "exercise",
                "schedule": {"kind": "weekly", "weekdays": [], "times": ["18:00"]},
            },
            "empty_schedule",
        ),
        (
            {
                "task_type": "check_up",
                "schedule": {"kind": "specific", "datetimes": ["2026-04-01T09:00:00+08:00"]},
            },
            "empty_schedule",
        ),
        (
            {
                "task_type": "steps",
                "schedule": {"kind": "daily", "times": ["08:00"], "timezone": "Mars/Base"},
            },
            "validation_failed",
        ),
        (
            {"task_type": "walk_dog", "schedule": {"kind": "daily", "times": ["08:00"]}},
            "validation_failed",
        ),
    ],
)
def test_bad_input(args: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        create_task_tool.call(args, CTX)
    assert info.value.instance_code == code
    assert info.value.to_body("zh")["message"]
