"""A tenant's own credentials: patient tokens for the mini-app, and its API keys."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.auth import SessionDep
from api.deps import ContainerDep, OwnTenantAdmin, OwnTenantTokenIssuer
from api.services import principals, tenant_policies
from api.services.principals import (
    ApiKeyCreated,
    ApiKeyPublic,
    PatientTokenCreate,
    PatientTokenPublic,
)
from api.services.tenant_policies import TenantPolicyPublic, TenantPolicyUpdate

router = APIRouter(prefix="/v1/tenants/{tenant_id}", tags=["tenants"])


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=128)
    scopes: list[str] | None = Field(
        None, max_length=10, description="Absent: every scope. See GET /v1/auth/me."
    )


@router.post("/patient-tokens", status_code=201)
async def create_patient_token(
    c: ContainerDep, caller: OwnTenantTokenIssuer, session: SessionDep, body: PatientTokenCreate
) -> PatientTokenPublic:
    """A signed, short-lived token bound to this tenant and one patient (a mini-app link)."""
    return await principals.issue_patient_token(
        session,
        caller.tenant_id,
        body,
        secret=c.settings.token_secret.get_secret_value(),
        default_ttl_s=c.settings.patient_token_ttl_s,
    )


@router.get("/keys")
async def list_keys(caller: OwnTenantAdmin, session: SessionDep) -> list[ApiKeyPublic]:
    return await principals.list_api_keys(session, caller.tenant_id)


@router.post("/keys", status_code=201)
async def create_key(
    caller: OwnTenantAdmin, session: SessionDep, body: ApiKeyCreate
) -> ApiKeyCreated:
    """A new key, shown once in ``key``."""
    created = await principals.create_api_key(
        session, caller.tenant_id, name=body.name, scopes=body.scopes
    )
    await session.commit()
    return created


@router.post("/keys/{key_id}/rotate", status_code=201)
async def rotate_key(caller: OwnTenantAdmin, session: SessionDep, key_id: str) -> ApiKeyCreated:
    """A replacement key with the same scopes; the old key stops working now."""
    created = await principals.rotate_api_key(session, key_id, caller.tenant_id)
    await session.commit()
    return created


@router.post("/keys/{key_id}/revoke")
async def revoke_key(caller: OwnTenantAdmin, session: SessionDep, key_id: str) -> ApiKeyPublic:
    revoked = await principals.revoke_api_key(session, key_id, tenant_id=caller.tenant_id)
    await session.commit()
    return revoked


@router.get("/policy")
async def read_policy(caller: OwnTenantAdmin, session: SessionDep) -> TenantPolicyPublic:
    """The policy in force (a stored version, or the shipped one)."""
    return await tenant_policies.read_policy(session, caller.tenant_id)


@router.put("/policy")
async def replace_policy(
    c: ContainerDep, caller: OwnTenantAdmin, session: SessionDep, body: TenantPolicyUpdate
) -> TenantPolicyPublic:
    """A new version: disclosure wording, AI statement, enabled tools, banned phrases, PII."""
    return await tenant_policies.replace_policy(c, session, caller.tenant_id, body)


@router.get("/policy/versions")
async def list_policy_versions(
    caller: OwnTenantAdmin, session: SessionDep
) -> list[TenantPolicyPublic]:
    return await tenant_policies.list_versions(session, caller.tenant_id)
