"""Tenant scoping: the ``X-Tenant-ID`` header and patients that must belong to that tenant.

A patient (or any record) of another tenant answers exactly like one that does not exist, so
an insurer can never learn whether another tenant's id is real.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import ContainerDep
from api.services.records import require_tenant
from core.db.models import Patient
from core.errors import NotFound

TENANT_HEADER = "X-Tenant-ID"
DEFAULT_TENANT = "default"


def patient_not_found(patient_id: str) -> NotFound:
    return NotFound(
        f"patient {patient_id!r} not found",
        message_zh="未找到该患者",
        code="patient_not_found",
        field="patient_id",
    )


async def require_patient(session: AsyncSession, tenant_id: str, patient_id: str) -> Patient:
    """The patient, if it exists AND belongs to ``tenant_id``; else 404 patient_not_found."""
    patient = await session.get(Patient, patient_id)
    if patient is None or patient.tenant_id != tenant_id:
        raise patient_not_found(patient_id)
    return patient


async def resolve_tenant(
    c: ContainerDep,
    x_tenant_id: Annotated[str, Header(alias=TENANT_HEADER)] = DEFAULT_TENANT,
) -> str:
    """The caller's tenant id; 404 unknown_tenant when no such tenant exists."""
    async with c.sessions() as session:
        await require_tenant(session, x_tenant_id)
    return x_tenant_id


TenantDep = Annotated[str, Depends(resolve_tenant)]


@dataclass(frozen=True)
class PatientScope:
    """A patient id from the path, checked to belong to the caller's tenant."""

    tenant_id: str
    patient_id: str


async def resolve_patient(c: ContainerDep, tenant_id: TenantDep, patient_id: str) -> PatientScope:
    async with c.sessions() as session:
        await require_patient(session, tenant_id, patient_id)
    return PatientScope(tenant_id=tenant_id, patient_id=patient_id)


PatientDep = Annotated[PatientScope, Depends(resolve_patient)]
