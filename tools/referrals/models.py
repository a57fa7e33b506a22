"""Boundary models of referral planning."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import ValidationFailed
from core.text import Language
from tools.triage.models import FacilityLevel, Level, TriageResult

Purpose = Literal["assessment", "chronic_follow_up"]
Direction = Literal["up", "down", "same", "none"]


class ReferralRequest(BaseModel):
    """Either a triage result or an explicit level + department, plus where the patient is."""

    model_config = ConfigDict(extra="forbid")

    triage: TriageResult | None = None
    level: Level | None = None
    department: str | None = Field(
        None, max_length=64, description="department code, e.g. psychiatry"
    )
    purpose: Purpose = Field(
        "assessment", description="chronic_follow_up sends the patient down to the community"
    )
    region: str | None = Field(
        None, max_length=64, description="region code where the patient lives"
    )
    insured_region: str | None = Field(
        None, max_length=64, description="region where the patient is insured"
    )
    home_facility_id: str | None = Field(
        None, max_length=64, description="the facility that refers"
    )
    green_channel_included: bool = Field(
        False, description="the patient's insurance product includes a green channel (就医绿通)"
    )
    patient_id: str | None = Field(None, max_length=64)
    language: Language | None = None

    @model_validator(mode="after")
    def _level_known(self) -> ReferralRequest:
        if self.triage is None and (self.level is None or self.department is None):
            raise ValidationFailed(
                "give a triage result, or both level and department",
                message_zh="请提供分诊结果，或同时提供紧急程度和科室",
                field="triage",
                code="referral_basis_missing",
            )
        return self


class FacilitySummary(BaseModel):
    id: str
    name: str
    zh: str
    en: str
    level: FacilityLevel
    region: str


class DepartmentRef(BaseModel):
    code: str
    zh: str
    en: str


class ReferralPlan(BaseModel):
    level: Level
    call_120: bool = Field(
        description="an emergency: call 120 / go to the ER instead of a referral"
    )
    emergency_instruction: str | None
    department: DepartmentRef | None
    facility: FacilitySummary | None
    facility_level: FacilityLevel | None
    direction: Direction = Field(description="双向转诊: up to a higher level or down to community")
    escalated: bool
    escalation_reason: str | None
    remote_consultation: FacilitySummary | None = Field(
        None, description="a higher-level facility that can consult remotely with the home one"
    )
    green_channel: bool
    cross_region: bool
    cross_region_note: str | None
    notes: list[str]
    status: Literal["created"] = "created"
    language: Language
    directory_version: int
