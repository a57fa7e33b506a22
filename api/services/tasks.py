"""Health tasks of one patient: create (with reminders on Redis), list, complete.

Completion is idempotent on the client's completion id: a repeat returns the first outcome and
earns nothing more.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas_care import CompletionCreate, CompletionPublic, TaskCreated, TaskPublic
from api.services.records import audit
from api.services.reminders import (
    cancel_reminders,
    reminder_for,
    schedule_reminders,
)
from api.tenancy import PatientScope
from core.db.care_models import TaskCompletionRecord, TaskRecord
from core.db.models import new_id
from core.errors import NotFound
from tools.registry import ToolContext
from tools.tasks import (
    CreateTaskArgs,
    PointsAward,
    StreakStatus,
    TaskDraft,
    compute_streak,
    create_task_tool,
    next_occurrences,
    record_completion,
)

UPCOMING = 3


def new_task(scope: PatientScope, draft: TaskDraft, care_plan_id: str | None = None) -> TaskRecord:
    return TaskRecord(
        id=new_id(),
        tenant_id=scope.tenant_id,
        patient_id=scope.patient_id,
        care_plan_id=care_plan_id,
        task_type=draft.task_type,
        status="active",
        draft=draft.model_dump(mode="json"),
        reminders_scheduled=False,
        created_at=datetime.now(UTC),
    )


async def add_tasks_with_reminders(
    c: Container, session: AsyncSession, tasks: Sequence[TaskRecord], now: datetime
) -> bool:
    """Flush ``tasks``, schedule their reminders when Redis is configured, and commit; if the
    commit fails the reminders are cancelled. True when reminders were scheduled."""
    session.add_all(tasks)
    await session.flush()
    scheduler = c.reminders
    scheduled: list[str] = []
    if scheduler is not None:
        reminders = [reminder_for(t, TaskDraft.model_validate(t.draft), now) for t in tasks]
        scheduled = await schedule_reminders(scheduler, [r for r in reminders if r is not None])
        for task in tasks:
            task.reminders_scheduled = True
    try:
        await session.commit()
    except Exception:
        if scheduler is not None:
            await cancel_reminders(scheduler, scheduled)
        raise
    return scheduler is not None


def task_public(
    task: TaskRecord, completions: Sequence[datetime], points_total: int, now: datetime
) -> TaskPublic:
    draft = TaskDraft.model_validate(task.draft)
    return TaskPublic(
        id=task.id,
        patient_id=task.patient_id,
        care_plan_id=task.care_plan_id,
        status=task.status,
        task=draft,
        next_occurrences=next_occurrences(draft.schedule, now, UPCOMING),
        streak=compute_streak(draft.schedule, completions, now),
        points_total=points_total,
        reminders_scheduled=task.reminders_scheduled,
        created_at=task.created_at,
    )


async def points_total(session: AsyncSession, patient_id: str) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(TaskCompletionRecord.points), 0)).where(
            TaskCompletionRecord.patient_id == patient_id
        )
    )
    return int(total or 0)


async def create_task(c: Container, scope: PatientScope, body: CreateTaskArgs) -> TaskCreated:
    now = datetime.now(UTC)
    ctx = ToolContext(tenant_id=scope.tenant_id, patient_id=scope.patient_id, now=now)
    # validates the schedule (no occurrence -> 422); CPU work, off the event loop
    card = await asyncio.to_thread(create_task_tool.fn, body, ctx)
    task = new_task(scope, card.task)
    public = await asyncio.to_thread(task_public, task, [], 0, now)  # before anything is stored
    async with c.sessions() as session:
        _audit_created(session, scope, [task])
        scheduled = await add_tasks_with_reminders(c, session, [task], now)
        total = await points_total(session, scope.patient_id)
    public = public.model_copy(
        update={"points_total": total, "reminders_scheduled": task.reminders_scheduled}
    )
    return TaskCreated(
        task=public,
        reminders_scheduled=scheduled,
        message=card.message,
    )


def _audit_created(session: AsyncSession, scope: PatientScope, tasks: Sequence[TaskRecord]) -> None:
    for task in tasks:
        audit(
            session,
            tenant_id=scope.tenant_id,
            actor="api",
            action="task_created",
            entity_type="patient",
            entity_id=scope.patient_id,
            details={"task_id": task.id, "task_type": task.task_type},
        )


async def list_tasks(session: AsyncSession, scope: PatientScope) -> list[TaskPublic]:
    now = datetime.now(UTC)
    tasks = list(
        await session.scalars(
            select(TaskRecord)
            .where(
                TaskRecord.tenant_id == scope.tenant_id,
                TaskRecord.patient_id == scope.patient_id,
            )
            .order_by(TaskRecord.created_at, TaskRecord.id)
        )
    )
    done: dict[str, list[datetime]] = defaultdict(list)
    rows = await session.execute(
        select(TaskCompletionRecord.task_id, TaskCompletionRecord.completed_at).where(
            TaskCompletionRecord.patient_id == scope.patient_id
        )
    )
    for task_id, completed_at in rows:
        done[task_id].append(completed_at)
    total = await points_total(session, scope.patient_id)
    return await asyncio.to_thread(  # streaks and occurrences: CPU work, off the event loop
        lambda: [task_public(t, done[t.id], total, now) for t in tasks]
    )


async def _task(session: AsyncSession, scope: PatientScope, task_id: str) -> TaskRecord:
    task = await session.get(TaskRecord, task_id)
    if task is None or task.patient_id != scope.patient_id or task.tenant_id != scope.tenant_id:
        raise NotFound(
            f"task {task_id!r} not found for this patient",
            message_zh="未找到该患者的这项任务",
            code="task_not_found",
            field="task_id",
        )
    return task


def _completion_public(row: TaskCompletionRecord, total: int, replayed: bool) -> CompletionPublic:
    return CompletionPublic(
        id=row.id,
        task_id=row.task_id,
        client_completion_id=row.client_completion_id,
        completed_at=row.completed_at,
        points=PointsAward.model_validate(row.outcome["points"]),
        streak=StreakStatus.model_validate(row.outcome["streak"]),
        points_total=total,
        replayed=replayed,
    )


async def _replay(
    session: AsyncSession, scope: PatientScope, task_id: str, client_id: str
) -> CompletionPublic | None:
    row = await session.scalar(
        select(TaskCompletionRecord).where(
            TaskCompletionRecord.task_id == task_id,
            TaskCompletionRecord.client_completion_id == client_id,
        )
    )
    if row is None:
        return None
    return _completion_public(row, await points_total(session, scope.patient_id), replayed=True)


async def complete_task(
    c: Container, scope: PatientScope, task_id: str, body: CompletionCreate
) -> CompletionPublic:
    now = datetime.now(UTC)
    async with c.sessions() as session:
        task = await _task(session, scope, task_id)
        replay = await _replay(session, scope, task_id, body.client_completion_id)
        if replay is not None:
            return replay
        previous = list(
            await session.scalars(
                select(TaskCompletionRecord.completed_at).where(
                    TaskCompletionRecord.task_id == task_id
                )
            )
        )
        completed_at = body.completed_at or now
        outcome = record_completion(
            TaskDraft.model_validate(task.draft), previous, completed_at, now
        )
        row = TaskCompletionRecord(
            tenant_id=scope.tenant_id,
            patient_id=scope.patient_id,
            task_id=task_id,
            client_completion_id=body.client_completion_id,
            completed_at=completed_at,
            points=outcome.points.total,
            outcome=outcome.model_dump(mode="json"),
            created_at=now,
        )
        session.add(row)
        audit(
            session,
            tenant_id=scope.tenant_id,
            actor="patient",
            action="task_completed",
            entity_type="task",
            entity_id=task_id,
            details={"points": outcome.points.total, "streak": outcome.streak.current},
        )
        try:
            await session.commit()
        except IntegrityError:  # the same completion id arrived twice at once
            await session.rollback()
            replay = await _replay(session, scope, task_id, body.client_completion_id)
            if replay is None:
                raise
            return replay
        total = await points_total(session, scope.patient_id)
        return _completion_public(row, total, replayed=False)
