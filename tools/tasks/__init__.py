"""Health tasks: schedules, completion, streaks, points, care-plan templates."""

from tools.tasks.care_plans import PlanProfile, get_template, instantiate_plan, load_care_plans
from tools.tasks.models import MedicationReminder, OwnerRole, TaskDraft, TaskType
from tools.tasks.points import (
    CompletionOutcome,
    PointsAward,
    award_points,
    load_points,
    record_completion,
)
from tools.tasks.schedule import (
    DailySchedule,
    EveryNDaysSchedule,
    Schedule,
    SpecificSchedule,
    WeeklySchedule,
    iter_occurrences,
    next_occurrences,
    validate_schedule,
)
from tools.tasks.streaks import StreakStatus, compute_streak
from tools.tasks.tool import CreateTaskArgs, TaskCard, build_task, create_task_tool

__all__ = [
    "CompletionOutcome",
    "CreateTaskArgs",
    "DailySchedule",
    "EveryNDaysSchedule",
    "MedicationReminder",
    "OwnerRole",
    "PlanProfile",
    "PointsAward",
    "Schedule",
    "SpecificSchedule",
    "StreakStatus",
    "TaskCard",
    "TaskDraft",
    "TaskType",
    "WeeklySchedule",
    "award_points",
    "build_task",
    "compute_streak",
    "create_task_tool",
    "get_template",
    "instantiate_plan",
    "iter_occurrences",
    "load_care_plans",
    "load_points",
    "next_occurrences",
    "record_completion",
    "validate_schedule",
]
