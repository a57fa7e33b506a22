"""Patients of a tenant: register one with its profile, read it, replace its profile."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas_care import PatientCreate, PatientProfile, PatientPublic
from api.services.records import audit
from api.tenancy import PatientScope, require_patient
from core.db.models import Patient
from core.errors import Conflict
from tools.readings import AlertProfile


def alert_profile(patient: Patient) -> AlertProfile:
    """The alert rules' view of a stored profile (profiles written by others may be partial)."""
    profile = patient.profile or {}
    return AlertProfile(
        patient_id=patient.id,
        conditions=frozenset(str(c) for c in profile.get("conditions", [])),
        timezone=str(profile.get("timezone") or "Asia/Shanghai"),
    )


def _patient_exists() -> Conflict:
    return Conflict(
        "a patient with this patient_ref already exists in this tenant",
        message_zh="该患者编号在本租户下已存在",
        code="patient_exists",
        field="patient_ref",
    )


def _public(patient: Patient) -> PatientPublic:
    return PatientPublic(
        id=patient.id,
        tenant_id=patient.tenant_id,
        patient_ref=patient.external_ref,
        profile=patient.profile,
        created_at=patient.created_at,
    )


async def create_patient(c: Container, tenant_id: str, body: PatientCreate) -> PatientPublic:
    async with c.sessions() as session:
        taken = await session.scalar(
            select(Patient.id).where(
                Patient.tenant_id == tenant_id, Patient.external_ref == body.patient_ref
            )
        )
        if taken is not None:
            raise _patient_exists()
        patient = Patient(
            tenant_id=tenant_id,
            external_ref=body.patient_ref,
            profile=body.profile.model_dump(mode="json"),
        )
        session.add(patient)
        try:
            await session.flush()
        except IntegrityError:  # registered by a concurrent request just now
            await session.rollback()
            raise _patient_exists() from None
        _audit_profile(session, tenant_id, patient.id, "patient_created")
        await session.commit()
        return _public(patient)


async def read_patient(session: AsyncSession, scope: PatientScope) -> PatientPublic:
    """In the request's session; the scope's row when the dependency loaded it."""
    patient = scope.patient or await require_patient(session, scope.tenant_id, scope.patient_id)
    return _public(patient)


async def replace_profile(c: Container, scope: PatientScope, body: PatientProfile) -> PatientPublic:
    async with c.sessions() as session:
        patient = await require_patient(session, scope.tenant_id, scope.patient_id)
        patient.profile = {**(patient.profile or {}), **body.model_dump(mode="json")}
        _audit_profile(session, scope.tenant_id, patient.id, "patient_profile_updated")
        await session.commit()
        return _public(patient)


def _audit_profile(session: AsyncSession, tenant_id: str, patient_id: str, action: str) -> None:
    audit(
        session,
        tenant_id=tenant_id,
        actor="api",
        action=action,
        entity_type="patient",
        entity_id=patient_id,
    )
