"""Tenant and patient scoping of records.

A patient (or any record) of another tenant answers exactly like one that does not exist, so
an insurer can never learn whether another tenant's id is real; for a patient token, so does
any patient but the token's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from api.principals import current_principal
from core.db.models import Patient
from core.errors import NotFound


def patient_not_found(patient_id: str) -> NotFound:
    return NotFound(
        f"patient {patient_id!r} not found",
        message_zh="未找到该患者",
        code="patient_not_found",
        field="patient_id",
    )


def visible_to_caller(patient: Patient | None, tenant_id: str) -> bool:
    """The patient exists, is the tenant's, and (for a patient token) is the caller."""
    if patient is None or patient.tenant_id != tenant_id:
        return False
    principal = current_principal.get()
    return principal is None or principal.patient_id in (None, patient.id)


async def require_patient(session: AsyncSession, tenant_id: str, patient_id: str) -> Patient:
    """The patient, if the caller may see it; else 404 patient_not_found."""
    patient = await session.get(Patient, patient_id)
    if not visible_to_caller(patient, tenant_id):
        raise patient_not_found(patient_id)
    assert patient is not None
    return patient


@dataclass(frozen=True)
class PatientScope:
    """A patient from the path, loaded once and checked against the caller."""

    tenant_id: str
    patient_id: str
    patient: Patient | None = None
    """The row, loaded in the request's session (None for in-process callers)."""
