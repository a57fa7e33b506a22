"""The ``create_health_task`` tool: validate a task and its schedule, preview the next reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import ValidationFailed
from tools.registry import ToolContext, ToolSpec
from tools.tasks.describe import describe_schedule
from tools.tasks.models import (
    Bilingual,
    MedicationReminder,
    OwnerRole,
    TaskDraft,
    TaskType,
    check_no_dose,
)
from tools.tasks.schedule import Schedule, SpecificSchedule, next_occurrences, validate_schedule

DEFAULT_TITLES: dict[str, tuple[str, str]] = {
    "bp_measurement": ("测量血压", "Measure blood pressure"),
    "glucose_measurement": ("测量血糖", "Check blood glucose"),
    "steps": ("同步步数", "Sync steps"),
    "exercise": ("运动", "Exercise"),
    "diet_log": ("记录饮食", "Log meals"),
    "weight": ("称体重", "Weigh yourself"),
    "medication_reminder": ("按医嘱服药", "Take your medicine as prescribed"),
    "follow_up_visit": ("复诊", "Follow-up visit"),
    "check_up": ("体检", "Health check-up"),
    "vaccination": ("接种疫苗", "Vaccination"),
    "custom": ("健康任务", "Health task"),
}


class CreateTaskArgs(BaseModel):
    """A health task. For a medication reminder give only the medicine's name and the schedule
    the doctor prescribed; never a dose."""

    model_config = ConfigDict(extra="forbid")

    task_type: TaskType
    schedule: Schedule
    title: str | None = Field(default=None, max_length=120)
    owner_role: OwnerRole = "health_manager"
    medication_name: str | None = Field(
        default=None, max_length=80, description="Only for medication_reminder."
    )

    @model_validator(mode="before")
    @classmethod
    def _no_dose(cls, data: Any) -> Any:
        return check_no_dose(data)


class TaskCard(BaseModel):
    task: TaskDraft
    next_occurrences: list[datetime]
    message: Bilingual


def build_task(args: CreateTaskArgs, now: datetime) -> TaskDraft:
    """Validate ``args`` against ``now`` and return the task to store."""
    schedule = args.schedule
    if not isinstance(schedule, SpecificSchedule) and schedule.start is None:
        local_today = now.astimezone(ZoneInfo(schedule.timezone)).date()
        schedule = schedule.model_copy(update={"start": local_today})
    validate_schedule(schedule, now)
    medication = None
    if args.task_type == "medication_reminder":
        if not args.medication_name:
            raise ValidationFailed(
                "a medication reminder needs the medicine's name",
                message_zh="服药提醒需要填写药品名称",
                field="medication_name",
                code="medication_name_required",
            )
        times = [] if isinstance(schedule, SpecificSchedule) else schedule.times
        medication = MedicationReminder(name=args.medication_name, times=times)
    zh, en = DEFAULT_TITLES[args.task_type]
    if medication is not None:
        zh, en = f"按医嘱服用{medication.name}", f"Take {medication.name} as prescribed"
    title = Bilingual(zh=args.title or zh, en=args.title or en)
    return TaskDraft(
        task_type=args.task_type,
        title=title,
        owner_role=args.owner_role,
        schedule=schedule,
        medication=medication,
    )


def _created_message(task: TaskDraft, when: Bilingual, first: str) -> Bilingual:
    if isinstance(task.schedule, SpecificSchedule) and len(task.schedule.datetimes) == 1:
        return Bilingual(
            zh=f"已创建任务“{task.title.zh}”：将{when.zh}提醒您。",
            en=f"Task '{task.title.en}' created: you will be reminded {when.en}.",
        )
    return Bilingual(
        zh=f"已创建任务“{task.title.zh}”：{when.zh}提醒您，第一次提醒：{first}。",
        en=f"Task '{task.title.en}' created: a reminder {when.en}; the first is at {first}.",
    )


def create_health_task(args: CreateTaskArgs, ctx: ToolContext) -> TaskCard:
    """Create a health task (measure blood pressure or glucose, steps, exercise, diet log,
    weight, medication reminder, follow-up visit, check-up, vaccination, custom) with a daily,
    weekly, every-N-days or specific-dates schedule in the patient's time zone."""
    task = build_task(args, ctx.now)
    upcoming = next_occurrences(task.schedule, ctx.now, 3)
    first = upcoming[0].strftime("%Y-%m-%d %H:%M")
    when = describe_schedule(task.schedule)
    return TaskCard(
        task=task,
        next_occurrences=upcoming,
        message=_created_message(task, when, first),
    )


create_task_tool: ToolSpec[CreateTaskArgs, TaskCard] = ToolSpec(
    name="create_health_task",
    description=(create_health_task.__doc__ or "").replace("\n    ", " "),
    input_model=CreateTaskArgs,
    output_model=TaskCard,
    fn=create_health_task,
    card_type="task",
    record="health_task",
)
