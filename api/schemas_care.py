"""HTTP bodies of patients, readings, alerts, tasks and care plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.bounds import BoundedDate, BoundedDatetime, ShortText
from tools.readings import Bilingual, PlausibilityResult
from tools.readings.models import MealContext, ReadingKind, TimeZoneName
from tools.tasks import MedicationReminder, PointsAward, StreakStatus, TaskDraft
from tools.tasks.models import Bilingual as TaskText

AlertStatus = Literal["open", "acknowledged", "resolved"]


class PatientProfile(BaseModel):
    """What the tools need to know about a patient (never a name: patients are pseudonymous)."""

    model_config = ConfigDict(extra="forbid")

    conditions: list[ShortText] = Field(
        default_factory=list,
        max_length=50,
        description="e.g. diabetes, hypertension, heart_failure, copd",
    )
    timezone: TimeZoneName = "Asia/Shanghai"
    region: str | None = Field(None, max_length=64, description="region code for referrals")


class PatientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_ref: str = Field(min_length=1, max_length=128, description="the tenant's own id")
    profile: PatientProfile = Field(default_factory=PatientProfile)


class PatientPublic(BaseModel):
    id: str
    tenant_id: str
    patient_ref: str
    profile: dict[str, Any]
    created_at: datetime


class ReadingPublic(BaseModel):
    id: str
    patient_id: str
    kind: ReadingKind
    measured_at: datetime
    source_device: str | None
    unit: str
    values: dict[str, float]
    display: dict[str, float]
    raw_unit: str
    raw_values: dict[str, float]
    meal_context: MealContext | None
    needs_remeasure: bool
    plausibility_reasons: list[str]
    created_at: datetime


class AlertPublic(BaseModel):
    id: str
    patient_id: str
    reading_id: str | None
    rule_code: str
    severity: str
    kind: str
    status: AlertStatus
    count: int
    first_seen: datetime
    last_seen: datetime
    values: dict[str, float]
    patient_message: Bilingual
    manager_message: Bilingual
    fact_ids: list[str]
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    assigned_to: str | None = None


class AlertResolve(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=500)


class AlertAssign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: str = Field(
        min_length=1, max_length=128, description="Username of a console account of the tenant."
    )


class AlertChange(BaseModel):
    """What one reading did to the alert list."""

    alert: AlertPublic
    change: Literal["created", "merged", "escalated"]
    notified: bool = Field(description="published to the health managers' live channel")


class ReadingRecorded(BaseModel):
    reading: ReadingPublic
    plausibility: PlausibilityResult
    alerts: list[AlertChange]
    message: Bilingual = Field(description="what to tell the patient about this reading")


class AlertAck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="Ignored: the acknowledging manager is the signed-in account.",
    )
    note: str | None = Field(None, max_length=500)


class TaskPublic(BaseModel):
    id: str
    patient_id: str
    care_plan_id: str | None
    status: str
    task: TaskDraft
    next_occurrences: list[datetime]
    streak: StreakStatus
    points_total: int
    reminders_scheduled: bool
    created_at: datetime


class TaskCreated(BaseModel):
    task: TaskPublic
    reminders_scheduled: bool = Field(
        description="false when no Redis is configured: reminders need the Redis scheduler"
    )
    message: TaskText


class CompletionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    client_completion_id: str = Field(
        min_length=1, max_length=128, description="the client's id; repeats are not counted twice"
    )
    completed_at: BoundedDatetime | None = Field(None, description="time-zone aware; default now")


class CompletionPublic(BaseModel):
    id: str
    task_id: str
    client_completion_id: str
    completed_at: datetime
    points: PointsAward
    streak: StreakStatus
    points_total: int = Field(description="all points this patient has earned")
    replayed: bool = Field(description="true when this client_completion_id was already recorded")


class CarePlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template_id: str = Field(min_length=1, max_length=64)
    start: BoundedDate | None = Field(None, description="first local date; default today")
    timezone: str = Field("Asia/Shanghai", max_length=64)
    medications: list[MedicationReminder] = Field(
        default_factory=list,
        max_length=10,
        description="medicine names and times as prescribed; never a dose",
    )


class CarePlanPublic(BaseModel):
    id: str
    patient_id: str
    template_id: str
    title: TaskText
    care_team: list[str]
    start: date
    timezone: str
    tasks: list[TaskPublic]
    reminders_scheduled: bool
    created_at: datetime


class TemplateTaskPublic(BaseModel):
    type: str
    owner_role: str
    title: TaskText


class CarePlanTemplatePublic(BaseModel):
    id: str
    title: TaskText
    care_team: list[str]
    tasks: list[TemplateTaskPublic]


class ReferenceRange(BaseModel):
    """A normal range for one value of one reading kind, from the guideline facts table."""

    kind: ReadingKind
    value: str = Field(description="which value of the reading: 'sbp', 'dbp' or 'value'")
    meal_context: MealContext | None = Field(
        None, description="glucose only: the context this range applies to; None = any"
    )
    low: float | None = Field(None, description="in range when value >= low")
    high: float | None = Field(None, description="in range when value < high")
    unit: str
    fact_ids: list[str]
    source: str
    section: str
