"""Reading models: what a device or a patient sends in, and the normalised form we store.

Input models stay permissive on purpose (``unit`` is a free string, values are plain floats):
unknown units, negative values and future timestamps are refused by ``normalise_reading`` with a
specific error code and a bilingual message, rather than by a generic schema error.
"""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema

from core.bounds import BoundedDatetime, Measure


def _known_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone {value!r}") from exc
    return value


TimeZoneName = Annotated[
    str,
    AfterValidator(_known_timezone),
    WithJsonSchema({"type": "string", "enum": sorted(available_timezones())}),
]
"""An IANA time zone name such as 'Asia/Shanghai', checked against zoneinfo."""

ReadingKind = Literal["blood_pressure", "glucose", "heart_rate", "spo2", "weight", "steps", "sleep"]
Unit = Annotated[str, Field(max_length=16)]
MealContext = Literal["fasting", "before_meal", "after_meal_2h", "bedtime", "night", "random"]


class Bilingual(BaseModel):
    """A user-facing text in Chinese and English; pick one with ``in_language``."""

    model_config = ConfigDict(frozen=True)

    zh: str
    en: str

    def in_language(self, language: Literal["zh", "en"]) -> str:
        return self.zh if language == "zh" else self.en


class _ReadingBase(BaseModel):
    measured_at: BoundedDatetime = Field(
        description="When it was measured; must carry a time zone."
    )
    source_device: str | None = Field(
        default=None, max_length=64, description="e.g. 'omron-cuff', 'cgm', 'manual'."
    )


class BloodPressureIn(_ReadingBase):
    kind: Literal["blood_pressure"] = "blood_pressure"
    sbp: Measure = Field(description="Systolic pressure.")
    dbp: Measure = Field(description="Diastolic pressure.")
    pulse: Measure | None = Field(default=None, description="Pulse rate shown by the cuff (bpm).")
    unit: Unit = "mmHg"


class GlucoseIn(_ReadingBase):
    kind: Literal["glucose"] = "glucose"
    value: Measure
    unit: Unit = Field(default="mmol/L", description="'mmol/L' or 'mg/dL'.")
    meal_context: MealContext = "random"


class HeartRateIn(_ReadingBase):
    kind: Literal["heart_rate"] = "heart_rate"
    value: Measure
    unit: Unit = "bpm"


class SpO2In(_ReadingBase):
    kind: Literal["spo2"] = "spo2"
    value: Measure
    unit: Unit = "%"


class WeightIn(_ReadingBase):
    kind: Literal["weight"] = "weight"
    value: Measure
    unit: Unit = Field(default="kg", description="'kg', or 'jin'/'斤' (half a kilogram).")


class StepsIn(_ReadingBase):
    kind: Literal["steps"] = "steps"
    value: Measure
    unit: Unit = "steps"


class SleepIn(_ReadingBase):
    kind: Literal["sleep"] = "sleep"
    value: Measure = Field(description="Sleep duration.")
    unit: Unit = Field(default="h", description="'h' (hours) or 'min'.")


ReadingIn = Annotated[
    BloodPressureIn | GlucoseIn | HeartRateIn | SpO2In | WeightIn | StepsIn | SleepIn,
    Field(discriminator="kind"),
]


class NormalisedReading(BaseModel):
    """A validated reading in canonical units (mmHg, mmol/L, bpm, %, kg, steps, h).

    ``values`` keep full precision and are what thresholds compare against; ``display`` holds
    the same values rounded for people; ``raw_values``/``raw_unit`` are exactly what was sent.
    """

    model_config = ConfigDict(frozen=True)

    kind: ReadingKind
    measured_at: AwareDatetime
    source_device: str | None = None
    unit: str
    values: dict[str, float]
    display: dict[str, float]
    raw_unit: str
    raw_values: dict[str, float]
    meal_context: MealContext | None = None


class PlausibilityResult(BaseModel):
    plausible: bool
    needs_remeasure: bool
    reasons: list[str] = Field(
        default_factory=list, description="Codes of the failed sanity checks."
    )
    message: Bilingual | None = None


class AlertProfile(BaseModel):
    """What the alert rules need to know about the patient."""

    patient_id: str | None = None
    conditions: frozenset[str] = Field(
        default_factory=frozenset,
        description="e.g. 'diabetes', 'hypertension', 'heart_failure', 'copd'.",
    )
    timezone: TimeZoneName = "Asia/Shanghai"


class PatientReadings(BaseModel):
    """What a turn knows of the patient before a reading arrives in chat: the stored alert
    profile and the recent readings the trend rules compare against. With it the tool's
    assessment is the one stored, so the reply and the manager's alert cannot disagree."""

    profile: AlertProfile
    history: tuple[NormalisedReading, ...] = ()
