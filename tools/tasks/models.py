"""Health-task models.

A medication reminder says *when* to take what the doctor prescribed. It stores the medicine's
name and the times as the patient or clinician gave them, and nothing else: any dose field, or a
dose written into the name, is refused with ``ValidationFailed(code="dose_not_allowed")``.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import ValidationFailed
from tools.tasks.schedule import Schedule

TaskType = Literal[
    "bp_measurement",
    "glucose_measurement",
    "steps",
    "exercise",
    "diet_log",
    "weight",
    "medication_reminder",
    "follow_up_visit",
    "check_up",
    "vaccination",
    "custom",
]
OwnerRole = Literal["doctor", "health_manager", "dietitian", "patient"]

DOSE_KEYS = frozenset(
    {"dose", "dosage", "dose_mg", "dose_amount", "amount", "strength", "剂量", "用量"}
)
_DOSE_IN_TEXT = re.compile(
    r"\d+(?:\.\d+)?\s*"
    r"(?:(?:mg|g|grams?|ml|mcg|μg|ug|iu|u|units?|tablets?|pills?)(?![a-z])"
    r"|毫克|微克|克|毫升|片|粒|单位|丸|袋|支)",
    re.IGNORECASE,
)


def refuse_dose(field: str) -> ValidationFailed:
    return ValidationFailed(
        "a reminder records only the medicine's name and when to take it; the dose is what "
        "your doctor prescribed and is never set or changed here",
        message_zh="提醒只记录药名和服药时间；剂量以医生处方为准，这里不设置也不修改剂量",
        field=field,
        code="dose_not_allowed",
    )


def check_no_dose(data: Any) -> Any:
    """Refuse dose-like keys in raw input (used as a ``mode="before"`` validator)."""
    if isinstance(data, dict):
        for key in data:
            if str(key).strip().lower() in DOSE_KEYS:
                raise refuse_dose(str(key))
    return data


class Bilingual(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")  # a stray key is a YAML slip

    zh: str
    en: str


class MedicationReminder(BaseModel):
    """Which medicine and when, as prescribed elsewhere. Never a dose."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=80, description="Medicine name only.")
    times: list[time] = Field(
        default_factory=list, max_length=12, description="Local times, as prescribed."
    )

    @model_validator(mode="before")
    @classmethod
    def _no_dose_field(cls, data: Any) -> Any:
        return check_no_dose(data)

    @model_validator(mode="after")
    def _no_dose_in_name(self) -> MedicationReminder:
        if _DOSE_IN_TEXT.search(self.name):
            raise refuse_dose("name")
        return self


class TaskDraft(BaseModel):
    """A task ready to be stored; ids and status belong to the storage layer."""

    task_type: TaskType
    title: Bilingual
    instructions: Bilingual | None = None
    owner_role: OwnerRole = "health_manager"
    schedule: Schedule
    medication: MedicationReminder | None = None
    fact_ids: list[str] = Field(default_factory=list)
    plan_id: str | None = None
    confirm_with: OwnerRole | None = Field(
        default=None, description="Role that must confirm the default schedule, if any."
    )
