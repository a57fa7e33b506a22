"""Referral planning over the sample directory: escalation, down-referral, 120, flags, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.errors import ConfigurationError, NotFound, ValidationFailed
from tools.referrals import ReferralRequest, plan_referral
from tools.referrals.directory import DIRECTORY_PATH, load_directory
from tools.referrals.tool import referral_tool
from tools.registry import ToolContext
from tools.triage import TriageRequest, triage


def _plan(**fields: Any) -> Any:
    return plan_referral(ReferralRequest(**fields))


def test_directory_is_versioned_fictional_and_has_the_gaps_we_rely_on() -> None:
    directory = load_directory()
    assert directory.version >= 1
    assert all(f.zh.startswith("示例") and f.en.startswith("Sample") for f in directory.facilities)
    assert "psychiatry" not in directory.facility("xs-county-hospital").departments
    assert "oncology" not in directory.facility("nh-county-hospital").departments


def test_county_without_psychiatry_escalates_to_tertiary_with_remote_option() -> None:
    plan = _plan(level="routine", department="psychiatry", home_facility_id="xs-qingshi-township")
    assert plan.facility.id == "dj-first-hospital"
    assert (plan.facility_level, plan.direction, plan.escalated) == ("tertiary", "up", True)
    assert plan.escalation_reason == (
        "示例西山县人民医院没有精神心理科，已转到上一级机构：示例东江市第一人民医院。"
    )
    assert plan.remote_consultation is not None
    assert plan.remote_consultation.id == "dj-first-hospital"


def test_county_without_oncology_escalates_in_english() -> None:
    plan = _plan(level="urgent", department="oncology", region="nanhu", language="en")
    assert plan.facility.id == "dj-first-hospital"
    assert plan.escalation_reason is not None
    assert plan.escalation_reason.startswith(
        "Sample Nanhu County People's Hospital has no Oncology"
    )


def test_urgent_case_goes_to_the_own_county_hospital_when_it_has_the_department() -> None:
    plan = _plan(level="urgent", department="cardiology", home_facility_id="xs-qingshi-township")
    assert plan.facility.id == "xs-county-hospital"
    assert (plan.direction, plan.escalated) == ("up", False)


def test_chronic_follow_up_is_referred_down_to_the_community() -> None:
    plan = _plan(
        level="routine",
        department="cardiology",
        purpose="chronic_follow_up",
        home_facility_id="dj-first-hospital",
        region="xishan",
    )
    assert plan.facility.id == "xs-chengguan-chc"
    assert (plan.facility_level, plan.direction) == ("community", "down")
    assert plan.department.code == "general_practice"
    assert any("双向转诊" in note for note in plan.notes)


def test_triage_result_drives_department_and_level() -> None:
    result = triage(TriageRequest(text="最近两个月老是咳嗽，不发烧", age=50))
    plan = _plan(triage=result, region="xishan")
    assert (plan.department.code, plan.facility.id) == ("respiratory", "xs-county-hospital")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_emergency_gets_the_120_instruction_instead_of_a_referral(language: str) -> None:
    result = triage(TriageRequest(text="胸口痛，出冷汗" if language == "zh" else "chest pain now"))
    plan = _plan(triage=result, region="xishan")
    assert plan.call_120 is True
    assert plan.facility is None and plan.department is None
    assert plan.emergency_instruction is not None and "120" in plan.emergency_instruction
    assert plan.language == language


def test_green_channel_only_at_partner_hospitals() -> None:
    partner = _plan(
        level="urgent", department="cardiology", region="nanhu", green_channel_included=True
    )
    assert partner.facility.id == "nh-county-hospital"
    assert partner.green_channel is True
    other = _plan(
        level="urgent", department="cardiology", region="xishan", green_channel_included=True
    )
    assert other.green_channel is False
    assert any("不在合作医院名单" in note for note in other.notes)
    without = _plan(level="urgent", department="cardiology", region="nanhu")
    assert without.green_channel is False


def test_cross_region_note_when_the_facility_is_outside_the_insured_pool() -> None:
    away = _plan(level="urgent", department="cardiology", region="beiling", insured_region="xishan")
    assert away.facility.id == "bl-provincial-hospital"
    assert away.cross_region is True
    assert away.cross_region_note is not None and "异地就医备案" in away.cross_region_note
    home = _plan(level="urgent", department="psychiatry", region="xishan")
    assert home.facility.region == "dongjiang"  # another county-level region, same pool
    assert home.cross_region is False


@pytest.mark.parametrize(
    ("fields", "error", "code", "field"),
    [
        (
            {"level": "urgent", "department": "cardiology", "home_facility_id": "nope"},
            NotFound,
            "facility_not_found",
            "home_facility_id",
        ),
        (
            {"level": "urgent", "department": "cardiology", "region": "atlantis"},
            NotFound,
            "region_not_found",
            "region",
        ),
        (
            {"level": "urgent", "department": "cardiology"},
            ValidationFailed,
            "region_required",
            "region",
        ),
        (
            {"level": "urgent", "department": "astrology", "region": "xishan"},
            ValidationFailed,
            "unknown_department",
            "department",
        ),
    ],
)
def test_bad_input(fields: dict[str, Any], error: type[Exception], code: str, field: str) -> None:
    with pytest.raises(error) as caught:
        _plan(**fields)
    assert caught.value.instance_code == code  # type: ignore[attr-defined]
    assert caught.value.field == field  # type: ignore[attr-defined]
    assert caught.value.localized("zh") != caught.value.localized("en")  # type: ignore[attr-defined]


def test_missing_basis_is_rejected_at_the_boundary() -> None:
    with pytest.raises(ValidationFailed) as caught:
        ReferralRequest(region="xishan")
    assert caught.value.instance_code == "referral_basis_missing"
    assert "分诊结果" in caught.value.localized("zh")


def test_directory_rejects_unknown_departments(tmp_path: Path) -> None:
    text = DIRECTORY_PATH.read_text(encoding="utf-8").replace(
        "departments: [general_practice, stomatology]", "departments: [general_practice, magic]"
    )
    path = tmp_path / "facilities.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match="magic"):
        load_directory(path)


def test_referral_tool_contract_and_language_from_context() -> None:
    assert (referral_tool.name, referral_tool.card_type) == ("create_referral", "referral")
    plan = referral_tool.call(
        {"level": "routine", "department": "dermatology", "region": "nanhu"},
        ToolContext(language="en"),
    )
    assert plan.language == "en"
    assert plan.facility is not None and plan.facility.name.startswith("Sample")
    with pytest.raises(ValidationFailed):
        referral_tool.call({"level": "sometimes", "region": "nanhu"}, ToolContext())
