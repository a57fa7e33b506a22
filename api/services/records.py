"""Small persistence helpers shared by the services: audit entries, tenants, patients."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.principals import current_principal
from api.services.webhooks import add_outbox_event
from core.db.models import AuditEntry, Patient, Tenant
from core.errors import NotFound

SEED_TENANTS = {
    "default": ("Default tenant", "provider"),
    "insurer-demo": ("示例保险 Sample Insurer (demo)", "insurer"),
}


def audit(
    session: AsyncSession,
    *,
    tenant_id: str,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an audit entry; it names the request's authenticated principal, when there is one."""
    principal = current_principal.get()
    session.add(
        AuditEntry(
            tenant_id=tenant_id,
            actor=actor,
            principal=principal.label if principal is not None else None,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            details=details or {},
        )
    )
    entity = {"entity_type": entity_type, "entity_id": entity_id, "details": details or {}}
    add_outbox_event(session, tenant_id, action, entity)  # the webhook event, same transaction


async def seed_tenants(session: AsyncSession) -> None:
    existing = set((await session.scalars(select(Tenant.id))).all())
    for tenant_id, (name, kind) in SEED_TENANTS.items():
        if tenant_id not in existing:
            session.add(Tenant(id=tenant_id, name=name, kind=kind))
    await session.commit()


async def require_tenant(session: AsyncSession, tenant_id: str) -> Tenant:
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound(
            f"unknown tenant {tenant_id!r}",
            message_zh=f"租户 {tenant_id!r} 不存在",
            code="unknown_tenant",
            field="tenant_id",
        )
    return tenant


async def get_or_create_patient(
    session: AsyncSession, tenant_id: str, external_ref: str
) -> Patient:
    patient = await session.scalar(
        select(Patient).where(Patient.tenant_id == tenant_id, Patient.external_ref == external_ref)
    )
    if patient is None:
        patient = Patient(tenant_id=tenant_id, external_ref=external_ref, profile={})
        session.add(patient)
        await session.flush()
    return patient
