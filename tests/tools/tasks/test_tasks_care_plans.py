"""Care-plan templates: 三师共管 ownership, post-PCI follow-up (scenario 8), no doses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.errors import NotFound, ValidationFailed
from tools.tasks import (
    MedicationReminder,
    PlanProfile,
    instantiate_plan,
    load_care_plans,
    next_occurrences,
)

SH = ZoneInfo("Asia/Shanghai")
START = date(2026, 5, 1)
BEFORE_START = datetime(2026, 4, 30, tzinfo=UTC)


def test_templates_load_with_version_and_owners_in_team() -> None:
    plans = load_care_plans()
    assert plans.version >= 1
    ids = {t.id for t in plans.templates}
    assert {
        "hypertension_follow_up",
        "type2_diabetes",
        "weight_management",
        "post_pci_down_referral",
    } <= ids


def test_weight_management_is_co_owned_by_three_roles() -> None:
    drafts = instantiate_plan("weight_management", START, "Asia/Shanghai", PlanProfile())
    assert {d.owner_role for d in drafts} == {"doctor", "dietitian", "health_manager"}
    assert all(d.plan_id == "weight_management" for d in drafts)
    assert not any(d.task_type == "medication_reminder" for d in drafts)


def test_hypertension_plan_schedules() -> None:
    drafts = instantiate_plan("hypertension_follow_up", START, "Asia/Shanghai", PlanProfile())
    by_type = {d.task_type: d for d in drafts}
    bp = next_occurrences(by_type["bp_measurement"].schedule, BEFORE_START, 2)
    assert bp == [datetime(2026, 5, 1, 7, tzinfo=SH), datetime(2026, 5, 1, 21, tzinfo=SH)]
    visits = next_occurrences(by_type["follow_up_visit"].schedule, BEFORE_START, 2)
    assert [v.date() for v in visits] == [date(2026, 5, 31), date(2026, 6, 30)]
    assert by_type["follow_up_visit"].confirm_with == "doctor"
    assert "diet.salt.max_g" in by_type["diet_log"].fact_ids
    # No medicines given: a task to go over the medicine list with the doctor instead.
    assert by_type["custom"].owner_role == "doctor"


def test_scenario_8_post_pci_down_referral() -> None:
    profile = PlanProfile(
        patient_id="p8",
        medications=[
            MedicationReminder(name="阿司匹林", times=[time(8)]),
            MedicationReminder(name="氯吡格雷", times=[time(8)]),
            MedicationReminder(name="阿托伐他汀", times=[time(21)]),
        ],
    )
    drafts = instantiate_plan("post_pci_down_referral", START, "Asia/Shanghai", profile)
    meds = [d for d in drafts if d.task_type == "medication_reminder"]
    assert [m.medication.name for m in meds if m.medication] == [
        "阿司匹林",
        "氯吡格雷",
        "阿托伐他汀",
    ]
    assert meds[2].title.zh == "按医嘱服用阿托伐他汀"
    first = next_occurrences(meds[2].schedule, BEFORE_START, 1)
    assert first == [datetime(2026, 5, 1, 21, tzinfo=SH)]
    assert all("dose" not in m.model_dump_json() for m in meds)
    visits = next(d for d in drafts if d.task_type == "follow_up_visit")
    dates = [v.date() for v in next_occurrences(visits.schedule, BEFORE_START, 10)]
    # start + 30, 90, 180, 365 days
    assert dates == [date(2026, 5, 31), date(2026, 7, 30), date(2026, 10, 28), date(2027, 5, 1)]
    assert visits.owner_role == "doctor" and visits.confirm_with == "doctor"


def test_plan_in_another_time_zone() -> None:
    drafts = instantiate_plan("type2_diabetes", START, "America/New_York", PlanProfile())
    glucose = next(d for d in drafts if d.task_type == "glucose_measurement")
    [first] = next_occurrences(glucose.schedule, BEFORE_START, 1)
    assert first.astimezone(UTC) == datetime(2026, 5, 1, 11, tzinfo=UTC)  # 07:00 EDT


def test_dose_field_is_refused() -> None:
    with pytest.raises(ValidationFailed) as info:
        MedicationReminder.model_validate({"name": "二甲双胍", "times": ["08:00"], "dose": "0.5g"})
    assert info.value.instance_code == "dose_not_allowed"
    assert info.value.message_zh and "剂量以医生处方为准" in info.value.message_zh


@pytest.mark.parametrize(
    "name", ["阿司匹林 100mg", "二甲双胍2片", "insulin 10 units", "胰岛素8单位"]
)
def test_dose_in_the_name_is_refused(name: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        MedicationReminder(name=name, times=[time(8)])
    assert info.value.instance_code == "dose_not_allowed"


def test_medicine_without_times_is_an_empty_schedule() -> None:
    profile = PlanProfile(medications=[MedicationReminder(name="阿司匹林")])
    with pytest.raises(ValidationFailed) as info:
        instantiate_plan("post_pci_down_referral", START, "Asia/Shanghai", profile)
    assert info.value.instance_code == "empty_schedule"


def test_unknown_template_and_time_zone() -> None:
    with pytest.raises(NotFound) as missing:
        instantiate_plan("asthma", START, "Asia/Shanghai", PlanProfile())
    assert missing.value.instance_code == "unknown_care_plan"
    assert "hypertension_follow_up" in missing.value.message
    with pytest.raises(ValidationFailed) as tz:
        instantiate_plan("type2_diabetes", START, "Asia/Peking", PlanProfile())
    assert tz.value.instance_code == "unknown_timezone"
