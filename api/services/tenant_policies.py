"""Tenant policy through the API, versioned: the newest stored version is in force.

A tenant that never set one runs under its shipped YAML policy (``guardrails/data/
tenant_policies``) or the neutral one. A new version is validated exactly as a file is
(``TenantPolicy``: a required AI statement must be in the disclosure wording; enabled tools
must exist) before it is stored; old versions stay, so a change can be read back and undone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.principals import current_principal
from api.services.records import audit
from core.db.auth_models import TenantPolicyVersion
from core.db.models import Tenant
from core.errors import ValidationFailed
from guardrails.tenant_policy import TenantPolicy, tenant_policies


class TenantPolicyUpdate(BaseModel):
    """The whole policy (a new version replaces the previous one, field by field)."""

    model_config = ConfigDict(extra="forbid")

    disclosure: dict[str, str] | None = Field(
        None, description='{"zh": ..., "en": ...}: appended to every reply'
    )
    require_ai_disclosure: bool = False
    enabled_tools: list[str] | None = Field(None, description="absent: every tool")
    banned_phrases: list[str] = Field(default_factory=list, max_length=200)
    pii: dict[str, Any] | None = None
    display_name: str | None = Field(
        None, min_length=1, max_length=100, description="the brand the patient sees"
    )
    requests_per_minute: int | None = Field(
        None, ge=1, le=100_000, description="the tenant's request quota (all its callers)"
    )

    def guard_fields(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True, exclude={"display_name", "requests_per_minute"})


class TenantPolicyPublic(BaseModel):
    tenant_id: str
    version: int
    source: str
    """``api`` (a stored version) or ``shipped`` (the YAML / neutral policy)."""
    policy: dict[str, Any]
    display_name: str | None = None
    requests_per_minute: int | None = None
    created_at: datetime | None = None
    created_by: str | None = None


async def _latest(session: AsyncSession, tenant_id: str) -> TenantPolicyVersion | None:
    row: TenantPolicyVersion | None = await session.scalar(
        select(TenantPolicyVersion)
        .where(TenantPolicyVersion.tenant_id == tenant_id)
        .order_by(TenantPolicyVersion.version.desc())
        .limit(1)
    )
    return row


async def tenant_quota(session: AsyncSession, tenant_id: str) -> int | None:
    """Requests per minute the tenant's newest policy sets, if any."""
    row = await _latest(session, tenant_id)
    return None if row is None else row.requests_per_minute


async def display_name(session: AsyncSession, tenant_id: str) -> str | None:
    row = await _latest(session, tenant_id)
    if row is not None and row.display_name:
        return row.display_name
    tenant = await session.get(Tenant, tenant_id)
    return tenant.name if tenant else None


async def policy_in_force(session: AsyncSession, tenant_id: str) -> TenantPolicy:
    row = await _latest(session, tenant_id)
    if row is None:
        return tenant_policies().for_tenant(tenant_id)
    return TenantPolicy.model_validate(row.policy)


async def load_policy(c: Container, tenant_id: str) -> TenantPolicy:
    """``policy_in_force`` in a session of its own (turns and resumes)."""
    async with c.sessions() as session:
        return await policy_in_force(session, tenant_id)


async def read_policy(session: AsyncSession, tenant_id: str) -> TenantPolicyPublic:
    row = await _latest(session, tenant_id)
    if row is None:
        shipped = tenant_policies().for_tenant(tenant_id)
        return TenantPolicyPublic(
            tenant_id=tenant_id,
            version=shipped.version,
            source="shipped",
            policy=shipped.model_dump(mode="json"),
        )
    return _public(row)


def _public(row: TenantPolicyVersion) -> TenantPolicyPublic:
    return TenantPolicyPublic(
        tenant_id=row.tenant_id,
        version=row.version,
        source="api",
        policy=row.policy,
        display_name=row.display_name,
        requests_per_minute=row.requests_per_minute,
        created_at=row.created_at,
        created_by=row.created_by,
    )


async def replace_policy(
    c: Container, session: AsyncSession, tenant_id: str, body: TenantPolicyUpdate
) -> TenantPolicyPublic:
    shipped = tenant_policies().for_tenant(tenant_id).version
    stored = await session.scalar(
        select(func.max(TenantPolicyVersion.version)).where(
            TenantPolicyVersion.tenant_id == tenant_id
        )
    )
    version = max(int(stored or 0), shipped) + 1
    try:
        policy = TenantPolicy.model_validate(
            {**body.guard_fields(), "version": version, "tenant_id": tenant_id}
        )
    except ValidationError as exc:
        raise ValidationFailed(
            f"invalid policy: {exc.errors()[0]['msg']}", code="invalid_tenant_policy"
        ) from exc
    unknown = sorted((policy.enabled_tools or set()) - set(c.tools.names()))
    if unknown:
        raise ValidationFailed(
            f"unknown tools {unknown}", code="unknown_tool", field="enabled_tools"
        )
    principal = current_principal.get()
    row = TenantPolicyVersion(
        tenant_id=tenant_id,
        version=version,
        policy=policy.model_dump(mode="json"),
        display_name=body.display_name,
        requests_per_minute=body.requests_per_minute,
        created_by=principal.label if principal else None,
    )
    session.add(row)
    audit(
        session,
        tenant_id=tenant_id,
        actor="admin",
        action="tenant_policy_changed",
        entity_type="tenant_policy",
        entity_id=str(version),
    )
    await session.commit()
    return _public(row)


async def list_versions(session: AsyncSession, tenant_id: str) -> list[TenantPolicyPublic]:
    rows = await session.scalars(
        select(TenantPolicyVersion)
        .where(TenantPolicyVersion.tenant_id == tenant_id)
        .order_by(TenantPolicyVersion.version)
    )
    return [_public(r) for r in rows]
