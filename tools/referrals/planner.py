"""Referral planning: which department, which facility level, which facility.

Tiered care (分级诊疗): the nearest facility of the right level that has the department; when
the nearer facility lacks it (a county hospital without psychiatry), escalate to the next level
and, where both sides support it, offer a remote consultation. Chronic follow-up goes down to
the community (双向转诊). Emergencies are never referred: the plan carries the 120 instruction.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import NotFound, ValidationFailed
from core.text import Language
from tools.referrals.directory import Directory, Facility, NamedDepartment, load_directory
from tools.referrals.models import (
    DepartmentRef,
    FacilitySummary,
    ReferralPlan,
    ReferralRequest,
)
from tools.referrals.placement import Placement, place, remote_origin, target_level
from tools.triage.models import Level


def _say(directory: Directory, key: str, language: Language, **slots: str) -> str:
    message = directory.messages[key]
    return (message.zh if language == "zh" else message.en).format(**slots)


def _summary(facility: Facility, language: Language) -> FacilitySummary:
    return FacilitySummary(
        id=facility.id,
        name=facility.zh if language == "zh" else facility.en,
        zh=facility.zh,
        en=facility.en,
        level=facility.level,
        region=facility.region,
    )


def _department(directory: Directory, request: ReferralRequest) -> str:
    """The department asked for; chronic follow-up is the family doctor's (全科) job."""
    code = request.department or (request.triage.department.code if request.triage else None)
    if request.purpose == "chronic_follow_up" and code in directory.departments:
        return "general_practice"
    if code is None or code not in directory.departments:
        raise ValidationFailed(
            f"unknown department {code!r}",
            message_zh=f"未知科室 {code!r}",
            field="department",
            code="unknown_department",
        )
    return code


def _emergency_plan(directory: Directory, language: Language) -> ReferralPlan:
    return ReferralPlan(
        level="emergency",
        call_120=True,
        emergency_instruction=_say(directory, "emergency", language),
        department=None,
        facility=None,
        facility_level=None,
        direction="none",
        escalated=False,
        escalation_reason=None,
        green_channel=False,
        cross_region=False,
        cross_region_note=None,
        notes=[],
        language=language,
        directory_version=directory.version,
    )


def _name(named: Facility | NamedDepartment, language: Language) -> str:
    return named.zh if language == "zh" else named.en


def _home(directory: Directory, request: ReferralRequest) -> Facility | None:
    return directory.facility(request.home_facility_id) if request.home_facility_id else None


def _region_code(request: ReferralRequest, home: Facility | None) -> str:
    """The patient's region: given, or the home facility's."""
    code = request.region or (home.region if home else None)
    if code is None:
        raise ValidationFailed(
            "give the patient's region or home facility",
            message_zh="请提供患者所在地区或签约/首诊机构",
            field="region",
            code="region_required",
        )
    return code


def _no_facility(department: str, dept_name: str) -> NotFound:
    return NotFound(
        f"no facility in the directory offers {department}",
        message_zh=f"目录中没有提供{dept_name}的机构",
        field="department",
        code="no_facility_with_department",
    )


@dataclass(frozen=True)
class _Wording:
    """The directory's message templates in one language, for one chosen facility."""

    directory: Directory
    language: Language
    chosen: str
    department: str

    def say(self, key: str, **slots: str) -> str:
        return _say(self.directory, key, self.language, **slots)


def _escalation_reason(placement: Placement, words: _Wording) -> str | None:
    if not placement.escalated or placement.lacking is None:
        return None
    nearer = _name(placement.lacking, words.language)
    return words.say("escalated", nearer=nearer, department=words.department, chosen=words.chosen)


def _remote_note(origin: Facility, words: _Wording) -> str:
    home = _name(origin, words.language)
    return words.say("remote", department=words.department, chosen=words.chosen, home=home)


def _direction_note(request: ReferralRequest, placement: Placement, words: _Wording) -> str | None:
    """Down to the community for chronic follow-up; up only when not already explained."""
    direction = placement.direction
    if request.purpose == "chronic_follow_up" or direction == "down":
        return words.say("down", chosen=words.chosen)
    if direction == "up" and not placement.escalated:
        return words.say("up", chosen=words.chosen, department=words.department)
    return None


def _green_channel_note(request: ReferralRequest, chosen: Facility, words: _Wording) -> str | None:
    """Only when the patient's cover includes a green channel and the facility is above the
    community level: whether the chosen hospital is a partner."""
    if not request.green_channel_included or chosen.level == "community":
        return None
    key = "green_channel" if chosen.green_channel_partner else "green_channel_not_partner"
    return words.say(key, chosen=words.chosen)


def language_and_level(request: ReferralRequest) -> tuple[Language, Level]:
    """As given, else the triage result's; Chinese and routine when neither says."""
    triage = request.triage
    language: Language = request.language or (triage.language if triage else "zh")
    level: Level = request.level or (triage.level if triage else "routine")
    return language, level


def plan_referral(request: ReferralRequest) -> ReferralPlan:
    directory = load_directory()
    language, level = language_and_level(request)
    if level == "emergency":
        return _emergency_plan(directory, language)
    department = _department(directory, request)
    home = _home(directory, request)
    region_code = _region_code(request, home)
    region = directory.region(region_code)
    insured = directory.region(request.insured_region or region_code)
    names = directory.departments[department]
    dept_name = _name(names, language)
    target = target_level(request, level, department)
    capability = "chronic_follow_up" if request.purpose == "chronic_follow_up" else None
    chosen, lacking = place(directory, region.code, target, department, capability)
    if chosen is None:
        raise _no_facility(department, dept_name)
    placement = Placement(chosen=chosen, target=target, lacking=lacking, home=home)
    words = _Wording(directory, language, _name(chosen, language), dept_name)
    reason = _escalation_reason(placement, words)
    origin = remote_origin(placement)
    cross = directory.region(chosen.region).insurance_pool != insured.insurance_pool
    cross_note = words.say("cross_region", chosen=words.chosen) if cross else None
    notes = [
        reason,
        _remote_note(origin, words) if origin else None,
        _direction_note(request, placement, words),
        _green_channel_note(request, chosen, words),
        cross_note,
    ]
    return ReferralPlan(
        level=level,
        call_120=False,
        emergency_instruction=None,
        department=DepartmentRef(code=department, zh=names.zh, en=names.en),
        facility=_summary(chosen, language),
        facility_level=chosen.level,
        direction=placement.direction,
        escalated=placement.escalated,
        escalation_reason=reason,
        remote_consultation=_summary(chosen, language) if origin else None,
        green_channel=request.green_channel_included and chosen.green_channel_partner,
        cross_region=cross,
        cross_region_note=cross_note,
        notes=[note for note in notes if note],
        language=language,
        directory_version=directory.version,
    )
