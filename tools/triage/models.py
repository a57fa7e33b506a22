"""Boundary models of the triage tool: what a caller sends and what it gets back.

Bad input raises ``core.errors.ValidationFailed`` (with a refined code and a Chinese message)
straight out of the validators, so a direct call, the tool registry and the HTTP layer all see
the same domain error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.errors import ValidationFailed
from core.text import Language

Level = Literal["emergency", "urgent", "routine", "self_care"]
FacilityLevel = Literal["community", "county", "tertiary"]
Sex = Literal["male", "female", "other"]

LEVEL_RANK: dict[str, int] = {"self_care": 0, "routine": 1, "urgent": 2, "emergency": 3}
MAX_AGE_YEARS = 130
MAX_PREGNANCY_WEEKS = 45

_SEX_ALIASES = {
    "m": "male",
    "male": "male",
    "man": "male",
    "男": "male",
    "男性": "male",
    "f": "female",
    "female": "female",
    "woman": "female",
    "女": "female",
    "女性": "female",
    "other": "other",
    "其他": "other",
}


def _range_error(field: str, value: float, low: float, high: float, code: str) -> ValidationFailed:
    return ValidationFailed(
        f"{field} must be between {low:g} and {high:g}, got {value:g}",
        message_zh=f"{field} 应在 {low:g} 到 {high:g} 之间，收到 {value:g}",
        field=field,
        code=code,
    )


class Vitals(BaseModel):
    """Measurements the caller already has (a cuff, a meter, a clinician's note)."""

    model_config = ConfigDict(extra="forbid")

    sbp: float | None = Field(None, description="systolic blood pressure, mmHg")
    dbp: float | None = Field(None, description="diastolic blood pressure, mmHg")
    glucose_mmol: float | None = Field(None, description="blood glucose, mmol/L")
    temperature_c: float | None = Field(None, description="body temperature, °C")
    spo2: float | None = Field(None, description="oxygen saturation, %")
    heart_rate: float | None = Field(None, description="beats per minute")
    respiratory_rate: float | None = Field(None, description="breaths per minute")

    @field_validator("*")
    @classmethod
    def _not_negative(cls, value: float | None, info: object) -> float | None:
        name = getattr(info, "field_name", "vitals")
        if value is not None and value <= 0:
            raise ValidationFailed(
                f"vitals.{name} must be a positive number, got {value:g}",
                message_zh=f"生命体征 {name} 必须为正数，收到 {value:g}",
                field=f"vitals.{name}",
                code="invalid_vital_sign",
            )
        return value


class TriageRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the complaint in the patient's or clinician's own words")
    age: float | None = Field(None, description="age in years")
    age_months: float | None = Field(None, description="age in months (for infants)")
    sex: Sex | None = None
    pregnant_weeks: float | None = Field(None, description="weeks of pregnancy, if pregnant")
    conditions: list[str] = Field(default_factory=list, description="known conditions")
    vitals: Vitals | None = None
    language: Language | None = Field(None, description="answer language; detected if absent")

    @field_validator("text")
    @classmethod
    def _text_present(cls, value: str) -> str:
        if not value.strip():
            raise ValidationFailed(
                "text must describe the symptoms; it is empty",
                message_zh="请描述症状，内容不能为空",
                field="text",
                code="empty_text",
            )
        return value

    @field_validator("age")
    @classmethod
    def _age_range(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= MAX_AGE_YEARS:
            raise _range_error("age", value, 0, MAX_AGE_YEARS, "age_out_of_range")
        return value

    @field_validator("age_months")
    @classmethod
    def _age_months_range(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value <= MAX_AGE_YEARS * 12:
            raise _range_error("age_months", value, 0, MAX_AGE_YEARS * 12, "age_out_of_range")
        return value

    @field_validator("pregnant_weeks")
    @classmethod
    def _pregnancy_range(cls, value: float | None) -> float | None:
        if value is not None and not 0 < value <= MAX_PREGNANCY_WEEKS:
            raise _range_error(
                "pregnant_weeks", value, 0, MAX_PREGNANCY_WEEKS, "pregnancy_weeks_out_of_range"
            )
        return value

    @field_validator("sex", mode="before")
    @classmethod
    def _sex_alias(cls, value: object) -> object:
        if isinstance(value, str):
            mapped = _SEX_ALIASES.get(value.strip().lower())
            if mapped is None:
                raise ValidationFailed(
                    f"sex must be male, female or other, got {value!r}",
                    message_zh=f"性别应为 male/female/other（男/女/其他），收到 {value!r}",
                    field="sex",
                    code="invalid_sex",
                )
            return mapped
        return value


RedFlagSource = Literal["rules", "semantic", "score"]


class RedFlag(BaseModel):
    code: str
    level: Level
    evidence: list[str] = Field(description="the words (normalised) that triggered the flag")
    source: RedFlagSource = Field(
        "rules",
        description="which layer fired: the rule book, the semantic exemplar match, or a "
        "clinical score (NEWS2)",
    )


class Department(BaseModel):
    code: str
    zh: str
    en: str


class Measurements(BaseModel):
    """Values used by the rules: the caller's vitals, completed from numbers in the text."""

    sbp: float | None = None
    dbp: float | None = None
    glucose_mmol: float | None = None
    temperature_c: float | None = None
    spo2: float | None = None
    heart_rate: float | None = None
    respiratory_rate: float | None = None
    on_oxygen: bool = False
    inr: float | None = None
    weight_gain_kg: float | None = None
    weight_gain_days: float | None = None
    implausible: list[str] = Field(
        default_factory=list, description="readings that cannot be real; ask to re-measure"
    )


CrisisKind = Literal["intent", "distress"]


class TriageResult(BaseModel):
    level: Level
    red_flags: list[RedFlag] = Field(description="emergency and urgent findings")
    findings: list[RedFlag] = Field(description="every rule that matched, most urgent first")
    department: Department
    facility_level: FacilityLevel | None = Field(
        description="null for emergencies: call 120 / go to the emergency department instead"
    )
    call_emergency: bool
    advice: str
    advice_steps: list[str]
    confidence: float = Field(ge=0, le=1)
    language: Language
    follow_up_questions: list[str]
    measurements: Measurements
    crisis: CrisisKind | None = Field(
        None,
        description="intent: suicidal intent, a plan or self-harm (the crisis protocol); "
        "distress: hopelessness without a stated plan (ask the safety question)",
    )
    news2: int | None = Field(None, description="NEWS2 aggregate from the vitals given, adults")
    rules_version: int
