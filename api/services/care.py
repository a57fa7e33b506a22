"""Care plans: a template (三师共管, co-owned by doctor, dietitian and health manager) turned
into stored tasks for one patient, all in one transaction with their reminders."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas_care import CarePlanCreate, CarePlanPublic, CarePlanTemplatePublic, TaskPublic
from api.services.records import audit
from api.services.tasks import (
    add_tasks_with_reminders,
    list_tasks,
    new_task,
    points_total,
    task_public,
)
from api.tenancy import PatientScope
from core.db.care_models import CarePlanRecord
from core.db.models import new_id
from core.errors import ValidationFailed
from tools.tasks import PlanProfile, get_template, instantiate_plan, load_care_plans
from tools.tasks.care_plans import CarePlanTemplate
from tools.tasks.models import Bilingual as TaskText
from tools.tasks.schedule import validate_schedule


def _today_in(timezone: str, now: datetime) -> date:
    try:
        return now.astimezone(ZoneInfo(timezone)).date()
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationFailed(
            f"unknown time zone {timezone!r}",
            message_zh=f"无法识别的时区“{timezone}”",
            field="timezone",
            code="unknown_timezone",
        ) from None


async def create_care_plan(
    c: Container, scope: PatientScope, body: CarePlanCreate
) -> CarePlanPublic:
    now = datetime.now(UTC)
    profile = PlanProfile(patient_id=scope.patient_id, medications=body.medications)
    start = body.start or _today_in(body.timezone, now)
    drafts = instantiate_plan(body.template_id, start, body.timezone, profile)
    for draft in drafts:  # a plan starting long ago may have no occurrence
        await asyncio.to_thread(validate_schedule, draft.schedule, now)
    template = get_template(body.template_id)
    plan = CarePlanRecord(
        id=new_id(),
        tenant_id=scope.tenant_id,
        patient_id=scope.patient_id,
        template_id=template.id,
        start=start,
        timezone=body.timezone,
        templates_version=load_care_plans().version,
        created_at=now,
    )
    tasks = [new_task(scope, draft, care_plan_id=plan.id) for draft in drafts]
    # the public shape is computed before anything is stored (all-or-nothing), off the loop
    public = await asyncio.to_thread(lambda: [task_public(t, [], 0, now) for t in tasks])
    async with c.sessions() as session:
        session.add(plan)
        await session.flush()
        audit(
            session,
            tenant_id=scope.tenant_id,
            actor="api",
            action="care_plan_created",
            entity_type="care_plan",
            entity_id=plan.id,
            details={"template_id": template.id, "tasks": [t.id for t in tasks]},
        )
        scheduled = await add_tasks_with_reminders(c, session, tasks, now)
        total = await points_total(session, scope.patient_id)
    tasks_public = [
        p.model_copy(update={"points_total": total, "reminders_scheduled": t.reminders_scheduled})
        for p, t in zip(public, tasks, strict=True)
    ]
    return _plan_public(plan, template, tasks_public, reminders_scheduled=scheduled)


def _plan_public(
    plan: CarePlanRecord,
    template: CarePlanTemplate | None,
    tasks: list[TaskPublic],
    *,
    reminders_scheduled: bool,
) -> CarePlanPublic:
    """A stored plan with its tasks; a retired template is named by its id."""
    return CarePlanPublic(
        id=plan.id,
        patient_id=plan.patient_id,
        template_id=plan.template_id,
        title=template.title if template else TaskText(zh=plan.template_id, en=plan.template_id),
        care_team=list(template.care_team) if template else [],
        start=plan.start,
        timezone=plan.timezone,
        tasks=tasks,
        reminders_scheduled=reminders_scheduled,
        created_at=plan.created_at,
    )


async def list_care_plans(session: AsyncSession, scope: PatientScope) -> list[CarePlanPublic]:
    """The patient's care plans, newest first, each with its tasks and their streaks."""
    plans = list(
        await session.scalars(
            select(CarePlanRecord)
            .where(
                CarePlanRecord.tenant_id == scope.tenant_id,
                CarePlanRecord.patient_id == scope.patient_id,
            )
            .order_by(CarePlanRecord.created_at.desc(), CarePlanRecord.id)
        )
    )
    tasks = await list_tasks(session, scope) if plans else []
    templates = {t.id: t for t in load_care_plans().templates}
    listed = []
    for plan in plans:
        mine = [t for t in tasks if t.care_plan_id == plan.id]
        scheduled = any(t.reminders_scheduled for t in mine)
        listed.append(
            _plan_public(plan, templates.get(plan.template_id), mine, reminders_scheduled=scheduled)
        )
    return listed


def care_plan_templates() -> list[CarePlanTemplatePublic]:
    """The templates a manager can start a plan from, with each task's owner role."""
    return [
        CarePlanTemplatePublic.model_validate(template.model_dump())
        for template in load_care_plans().templates
    ]
