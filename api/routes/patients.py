"""A tenant's patients and their care records: profile, consents, readings, tasks, care plans.

Every ``{patient_id}`` goes through a patient scope of ``api.deps``: a patient of another
tenant (or, for a patient token, any other patient) is not found.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body

from api.deps import (
    ConsentScope,
    ContainerDep,
    PatientAdmin,
    PatientAdminScope,
    PatientHealthScope,
    PatientReadScope,
    PatientWriteScope,
    SessionDep,
)
from api.schemas_care import (
    CarePlanCreate,
    CarePlanPublic,
    CompletionCreate,
    CompletionPublic,
    PatientCreate,
    PatientProfile,
    PatientPublic,
    ReadingPublic,
    ReadingRecorded,
    TaskCreated,
    TaskPublic,
)
from api.schemas_tools import ConsentState, ConsentUpdate
from api.services import care, consents, patients, readings, tasks
from tools.readings import ReadingIn
from tools.readings.models import ReadingKind
from tools.tasks import CreateTaskArgs

router = APIRouter(prefix="/v1/patients", tags=["patients"])


@router.post("", status_code=201)
async def create_patient(
    c: ContainerDep, caller: PatientAdmin, body: PatientCreate
) -> PatientPublic:
    return await patients.create_patient(c, caller.tenant_id, body)


@router.get("/{patient_id}")
async def read_patient(session: SessionDep, scope: PatientHealthScope) -> PatientPublic:
    return await patients.read_patient(session, scope)


@router.put("/{patient_id}/profile")
async def replace_profile(
    c: ContainerDep, scope: PatientAdminScope, body: PatientProfile
) -> PatientPublic:
    return await patients.replace_profile(c, scope, body)


@router.post("/{patient_id}/consents", status_code=201)
async def record_consent(c: ContainerDep, scope: ConsentScope, body: ConsentUpdate) -> ConsentState:
    return await consents.record_consent(c, scope, body)


@router.get("/{patient_id}/consents")
async def read_consents(session: SessionDep, scope: PatientReadScope) -> ConsentState:
    return await consents.read_consents(session, scope)


@router.post("/{patient_id}/readings", status_code=201)
async def record_reading(
    c: ContainerDep, scope: PatientWriteScope, body: Annotated[ReadingIn, Body()]
) -> ReadingRecorded:
    return await readings.record_reading(c, scope, body)


@router.get("/{patient_id}/readings")
async def list_readings(
    session: SessionDep,
    scope: PatientHealthScope,
    kind: ReadingKind | None = None,
    since: datetime | None = None,
) -> list[ReadingPublic]:
    return await readings.list_readings(session, scope, kind, since)


@router.post("/{patient_id}/tasks", status_code=201)
async def create_task(
    c: ContainerDep, scope: PatientWriteScope, body: CreateTaskArgs
) -> TaskCreated:
    return await tasks.create_task(c, scope, body)


@router.get("/{patient_id}/tasks")
async def list_tasks(session: SessionDep, scope: PatientHealthScope) -> list[TaskPublic]:
    return await tasks.list_tasks(session, scope)


@router.post("/{patient_id}/tasks/{task_id}/completions", status_code=201)
async def complete_task(
    c: ContainerDep, scope: PatientWriteScope, task_id: str, body: CompletionCreate
) -> CompletionPublic:
    return await tasks.complete_task(c, scope, task_id, body)


@router.post("/{patient_id}/care-plans", status_code=201)
async def create_care_plan(
    c: ContainerDep, scope: PatientAdminScope, body: CarePlanCreate
) -> CarePlanPublic:
    return await care.create_care_plan(c, scope, body)


@router.get("/{patient_id}/care-plans")
async def list_care_plans(session: SessionDep, scope: PatientHealthScope) -> list[CarePlanPublic]:
    """The patient's care plans, newest first, with each task's owner role and streak."""
    return await care.list_care_plans(session, scope)
