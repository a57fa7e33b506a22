"""Care-plan templates (``data/care_plans.yaml``) turned into task drafts for one patient."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, Field, model_validator

from core.errors import ConfigurationError, NotFound, ServiceError, ValidationFailed
from knowledge.facts import get_fact
from tools.tasks.models import Bilingual, MedicationReminder, OwnerRole, TaskDraft, TaskType
from tools.tasks.schedule import (
    DailySchedule,
    EveryNDaysSchedule,
    Schedule,
    SpecificSchedule,
    Weekday,
    WeeklySchedule,
)

CARE_PLANS_PATH = Path(__file__).with_name("data") / "care_plans.yaml"


class TemplateSchedule(BaseModel):
    kind: Literal["daily", "weekly", "every_n_days", "specific_offsets"]
    times: list[time] = Field(min_length=1)
    weekdays: list[Weekday] = Field(default_factory=list)
    interval_days: int = Field(default=1, ge=1)
    offsets_days: list[int] = Field(default_factory=list)
    start_offset_days: int = Field(default=0, ge=0)
    duration_days: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _complete(self) -> TemplateSchedule:
        if self.kind == "weekly" and not self.weekdays:
            raise ValueError("weekly template schedule without weekdays")
        if self.kind == "specific_offsets" and not self.offsets_days:
            raise ValueError("specific_offsets template schedule without offsets")
        return self

    def build(self, plan_start: date, tz: str) -> Schedule:
        if self.kind == "specific_offsets":
            zone = ZoneInfo(tz)
            moments = [
                datetime.combine(plan_start + timedelta(days=d), t, tzinfo=zone)
                for d in self.offsets_days
                for t in self.times
            ]
            return SpecificSchedule(timezone=tz, datetimes=moments)
        start = plan_start + timedelta(days=self.start_offset_days)
        end = start + timedelta(days=self.duration_days - 1) if self.duration_days else None
        common = {"timezone": tz, "times": self.times, "start": start, "end": end}
        if self.kind == "weekly":
            return WeeklySchedule(weekdays=self.weekdays, **common)
        if self.kind == "every_n_days":
            return EveryNDaysSchedule(interval_days=self.interval_days, **common)
        return DailySchedule(**common)


class TemplateTask(BaseModel):
    type: TaskType
    owner_role: OwnerRole
    title: Bilingual
    instructions: Bilingual | None = None
    schedule: TemplateSchedule
    fact_ids: list[str] = Field(default_factory=list)
    confirm_with: OwnerRole | None = None

    def draft(self, plan_id: str, plan_start: date, tz: str) -> TaskDraft:
        return TaskDraft(
            task_type=self.type,
            title=self.title,
            instructions=self.instructions,
            owner_role=self.owner_role,
            schedule=self.schedule.build(plan_start, tz),
            fact_ids=self.fact_ids,
            plan_id=plan_id,
            confirm_with=self.confirm_with,
        )


class CarePlanTemplate(BaseModel):
    id: str
    title: Bilingual
    care_team: list[OwnerRole] = Field(min_length=1)
    medication_reminders: Literal["from_profile", "none"] = "none"
    tasks: list[TemplateTask] = Field(min_length=1)

    @model_validator(mode="after")
    def _owners_in_team(self) -> CarePlanTemplate:
        for task in self.tasks:
            if task.owner_role not in self.care_team:
                raise ValueError(f"{self.id}: owner {task.owner_role} not in the care team")
        return self


class CarePlans(BaseModel):
    version: int
    medication_list_task: TemplateTask
    templates: list[CarePlanTemplate]


class PlanProfile(BaseModel):
    """What a plan needs from the patient: medicines and times exactly as prescribed."""

    patient_id: str | None = None
    medications: list[MedicationReminder] = Field(default_factory=list)


@lru_cache(maxsize=4)
def load_care_plans(path: Path = CARE_PLANS_PATH) -> CarePlans:
    try:
        plans = CarePlans.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read care plans {path}: {exc}") from exc
    for template in plans.templates:
        for task in template.tasks:
            for fact_id in task.fact_ids:
                try:
                    get_fact(fact_id)
                except ServiceError as exc:
                    raise ConfigurationError(f"{template.id}: unknown fact {fact_id}") from exc
    return plans


def get_template(template_id: str) -> CarePlanTemplate:
    for template in load_care_plans().templates:
        if template.id == template_id:
            return template
    known = ", ".join(t.id for t in load_care_plans().templates)
    raise NotFound(
        f"unknown care plan {template_id!r}; known plans: {known}",
        message_zh=f"未找到护理计划模板“{template_id}”，可用模板：{known}",
        field="template_id",
        code="unknown_care_plan",
    )


def _medication_drafts(
    template: CarePlanTemplate, start: date, tz: str, profile: PlanProfile
) -> list[TaskDraft]:
    if template.medication_reminders == "none":
        return []
    drafts = []
    for med in profile.medications:
        if not med.times:
            raise ValidationFailed(
                f"no times were given for {med.name}",
                message_zh=f"{med.name} 没有填写服药时间",
                field="medications.times",
                code="empty_schedule",
            )
        drafts.append(
            TaskDraft(
                task_type="medication_reminder",
                title=Bilingual(zh=f"按医嘱服用{med.name}", en=f"Take {med.name} as prescribed"),
                owner_role="health_manager",
                schedule=DailySchedule(timezone=tz, times=med.times, start=start),
                medication=med,
                plan_id=template.id,
            )
        )
    if not drafts:
        drafts.append(load_care_plans().medication_list_task.draft(template.id, start, tz))
    return drafts


def instantiate_plan(
    template_id: str, start: date, tz: str, profile: PlanProfile
) -> list[TaskDraft]:
    """The template's tasks for this patient, scheduled from ``start`` in zone ``tz``."""
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            f"unknown time zone {tz!r}",
            message_zh=f"无法识别的时区“{tz}”",
            field="timezone",
            code="unknown_timezone",
        ) from None
    template = get_template(template_id)
    drafts = [task.draft(template.id, start, tz) for task in template.tasks]
    return drafts + _medication_drafts(template, start, tz, profile)
