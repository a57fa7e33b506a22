"""Referral planning: which department, which facility level, which facility.

Tiered care (分级诊疗): the nearest facility of the right level that has the department; when
the nearer facility lacks it (a county hospital without psychiatry), escalate to the next level
and, where both sides support it, offer a remote consultation. Chronic follow-up goes down to
the community (双向转诊). Emergencies are never referred: the plan carries the 120 instruction.
"""

from __future__ import annotations

from core.errors import NotFound, ValidationFailed
from core.text import Language
from tools.referrals.directory import FACILITY_RANK, Directory, Facility, load_directory
from tools.referrals.models import (
    DepartmentRef,
    Direction,
    FacilitySummary,
    ReferralPlan,
    ReferralRequest,
)
from tools.triage.models import FacilityLevel, Level

_LEVELS: list[FacilityLevel] = ["community", "county", "tertiary"]
_NEARBY = 1  # community and county care stay within the region or its parent/child


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


def _target_level(request: ReferralRequest, level: Level, department: str) -> FacilityLevel:
    if request.purpose == "chronic_follow_up":
        return "community"
    if request.triage is not None and request.triage.facility_level is not None:
        return request.triage.facility_level
    if level == "urgent":
        return "county"
    if level == "routine" and department != "general_practice":
        return "county"
    return "community"


def _nearest(
    directory: Directory,
    region: str,
    level: FacilityLevel,
    department: str | None,
    capability: str | None = None,
) -> Facility | None:
    found = [
        (directory.distance(region, f.region), f.id, f)
        for f in directory.facilities
        if f.level == level
        and (department is None or department in f.departments)
        and (capability is None or capability in f.capabilities)
    ]
    if level != "tertiary":
        found = [item for item in found if item[0] <= _NEARBY]
    return min(found, key=lambda item: item[:2])[2] if found else None


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


def plan_referral(request: ReferralRequest) -> ReferralPlan:
    directory = load_directory()
    triage = request.triage
    language: Language = request.language or (triage.language if triage else "zh")
    level: Level = request.level or (triage.level if triage else "routine")
    if level == "emergency":
        return _emergency_plan(directory, language)
    department = _department(directory, request)
    home = directory.facility(request.home_facility_id) if request.home_facility_id else None
    region_code = request.region or (home.region if home else None)
    if region_code is None:
        raise ValidationFailed(
            "give the patient's region or home facility",
            message_zh="请提供患者所在地区或签约/首诊机构",
            field="region",
            code="region_required",
        )
    region = directory.region(region_code)
    insured = directory.region(request.insured_region or region_code)
    names = directory.departments[department]
    dept_name = names.zh if language == "zh" else names.en

    target = _target_level(request, level, department)
    chosen: Facility | None = None
    lacking: Facility | None = None
    capability = "chronic_follow_up" if request.purpose == "chronic_follow_up" else None
    for facility_level in _LEVELS[_LEVELS.index(target) :]:
        chosen = _nearest(directory, region.code, facility_level, department, capability)
        if chosen is not None:
            break
        lacking = lacking or _nearest(directory, region.code, facility_level, None)
    if chosen is None:
        raise NotFound(
            f"no facility in the directory offers {department}",
            message_zh=f"目录中没有提供{dept_name}的机构",
            field="department",
            code="no_facility_with_department",
        )
    name = chosen.zh if language == "zh" else chosen.en
    notes: list[str] = []
    escalated = FACILITY_RANK[chosen.level] > FACILITY_RANK[target]
    reason = None
    if escalated and lacking is not None:
        nearer = lacking.zh if language == "zh" else lacking.en
        reason = _say(
            directory, "escalated", language, nearer=nearer, department=dept_name, chosen=name
        )
        notes.append(reason)
    remote = None
    origin = home or lacking
    if (
        escalated
        and origin is not None
        and FACILITY_RANK[origin.level] < FACILITY_RANK[chosen.level]
        and "remote_consultation" in origin.capabilities
        and "remote_consultation" in chosen.capabilities
    ):
        remote = _summary(chosen, language)
        notes.append(
            _say(
                directory,
                "remote",
                language,
                department=dept_name,
                chosen=name,
                home=origin.zh if language == "zh" else origin.en,
            )
        )

    direction: Direction = "none"
    if home is not None:
        diff = FACILITY_RANK[chosen.level] - FACILITY_RANK[home.level]
        direction = "up" if diff > 0 else "down" if diff < 0 else "same"
    if request.purpose == "chronic_follow_up" or direction == "down":
        notes.append(_say(directory, "down", language, chosen=name))
    elif direction == "up" and not escalated:
        notes.append(_say(directory, "up", language, chosen=name, department=dept_name))

    green = request.green_channel_included and chosen.green_channel_partner
    if request.green_channel_included and chosen.level != "community":
        key = "green_channel" if green else "green_channel_not_partner"
        notes.append(_say(directory, key, language, chosen=name))
    cross = directory.region(chosen.region).insurance_pool != insured.insurance_pool
    cross_note = _say(directory, "cross_region", language, chosen=name) if cross else None
    if cross_note:
        notes.append(cross_note)
    return ReferralPlan(
        level=level,
        call_120=False,
        emergency_instruction=None,
        department=DepartmentRef(code=department, zh=names.zh, en=names.en),
        facility=_summary(chosen, language),
        facility_level=chosen.level,
        direction=direction,
        escalated=escalated,
        escalation_reason=reason,
        remote_consultation=remote,
        green_channel=green,
        cross_region=cross,
        cross_region_note=cross_note,
        notes=notes,
        language=language,
        directory_version=directory.version,
    )
