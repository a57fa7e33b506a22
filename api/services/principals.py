"""Tenants, API keys, console accounts and patient tokens: create, resolve, revoke.

Used by the admin CLI, by the tenant's own key endpoints and by the auth dependencies.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.principals import SCOPES, Principal, Role
from api.services.records import audit, get_or_create_patient, require_tenant
from core import credentials
from core.db.auth_models import ApiKey, UserAccount
from core.db.models import Patient, Tenant
from core.errors import Conflict, NotFound, Unauthorized, ValidationFailed

LAST_USED_RESOLUTION = timedelta(seconds=60)
"""``last_used_at`` is written at most once a minute per key (no write on every request)."""


class ApiKeyPublic(BaseModel):
    id: str
    tenant_id: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    replaced_by: str | None


class ApiKeyCreated(ApiKeyPublic):
    key: str
    """The full key, shown once: only its hash is stored."""


def invalid_credential() -> Unauthorized:
    return Unauthorized(
        "the credential is invalid, expired or revoked",
        message_zh="凭证无效、已过期或已吊销",
        code="invalid_credential",
    )


def key_not_found(key_id: str) -> NotFound:
    return NotFound(
        f"api key {key_id!r} not found", message_zh="未找到该密钥", code="key_not_found"
    )


def key_public(row: ApiKey) -> ApiKeyPublic:
    return ApiKeyPublic(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        prefix=row.prefix,
        scopes=list(row.scopes),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        replaced_by=row.replaced_by,
    )


async def create_tenant(
    session: AsyncSession, tenant_id: str, name: str, kind: str = "provider"
) -> Tenant:
    if await session.get(Tenant, tenant_id) is not None:
        raise Conflict(f"tenant {tenant_id!r} exists", code="tenant_exists", field="tenant_id")
    if kind not in ("provider", "insurer"):
        raise ValidationFailed("kind must be provider or insurer", code="bad_kind", field="kind")
    tenant = Tenant(id=tenant_id, name=name, kind=kind)
    session.add(tenant)
    audit(
        session,
        tenant_id=tenant_id,
        actor="admin",
        action="tenant_created",
        entity_type="tenant",
        entity_id=tenant_id,
    )
    await session.flush()
    return tenant


async def list_tenants(session: AsyncSession) -> list[Tenant]:
    return list(await session.scalars(select(Tenant).order_by(Tenant.id)))


def _checked_scopes(scopes: list[str] | None) -> list[str]:
    if not scopes:
        return sorted(SCOPES)
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValidationFailed(
            f"unknown scopes {unknown}; known: {sorted(SCOPES)}",
            code="unknown_scope",
            field="scopes",
        )
    return sorted(set(scopes))


async def create_api_key(
    session: AsyncSession, tenant_id: str, *, name: str = "", scopes: list[str] | None = None
) -> ApiKeyCreated:
    await require_tenant(session, tenant_id)
    made = credentials.new_api_key()
    row = ApiKey(
        tenant_id=tenant_id,
        name=name,
        prefix=made.prefix,
        secret_hash=made.secret_hash,
        scopes=_checked_scopes(scopes),
    )
    session.add(row)
    await session.flush()
    audit(
        session,
        tenant_id=tenant_id,
        actor="admin",
        action="api_key_created",
        entity_type="api_key",
        entity_id=row.id,
        details={"scopes": row.scopes},
    )
    return ApiKeyCreated(**key_public(row).model_dump(), key=made.key)


async def list_api_keys(session: AsyncSession, tenant_id: str) -> list[ApiKeyPublic]:
    rows = await session.scalars(
        select(ApiKey).where(ApiKey.tenant_id == tenant_id).order_by(ApiKey.created_at)
    )
    return [key_public(r) for r in rows]


async def _own_key(session: AsyncSession, key_id: str, tenant_id: str | None) -> ApiKey:
    row = await session.get(ApiKey, key_id)
    if row is None or (tenant_id is not None and row.tenant_id != tenant_id):
        raise key_not_found(key_id)
    return row


async def revoke_api_key(
    session: AsyncSession, key_id: str, *, tenant_id: str | None = None
) -> ApiKeyPublic:
    """Revoke a key (idempotent); ``tenant_id`` None only for the admin CLI."""
    row = await _own_key(session, key_id, tenant_id)
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        audit(
            session,
            tenant_id=row.tenant_id,
            actor="admin",
            action="api_key_revoked",
            entity_type="api_key",
            entity_id=row.id,
        )
    await session.flush()
    return key_public(row)


async def rotate_api_key(session: AsyncSession, key_id: str, tenant_id: str) -> ApiKeyCreated:
    """A new key with the same name and scopes; the old one is revoked at once."""
    old = await _own_key(session, key_id, tenant_id)
    if old.revoked_at is not None:
        raise Conflict("the key is already revoked", code="key_revoked")
    new = await create_api_key(session, tenant_id, name=old.name, scopes=list(old.scopes))
    old.revoked_at = datetime.now(UTC)
    old.replaced_by = new.id
    audit(
        session,
        tenant_id=tenant_id,
        actor="admin",
        action="api_key_rotated",
        entity_type="api_key",
        entity_id=old.id,
        details={"replaced_by": new.id},
    )
    await session.flush()
    return new


async def principal_of_key(session: AsyncSession, key: str) -> Principal:
    parts = credentials.split_api_key(key)
    if parts is None:
        raise invalid_credential()
    prefix, secret = parts
    row = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if row is None or row.revoked_at is not None:
        raise invalid_credential()
    if not credentials.api_key_matches(secret, row.secret_hash):
        raise invalid_credential()
    now = datetime.now(UTC)
    last = row.last_used_at
    if last is None or now - _aware(last) > LAST_USED_RESOLUTION:
        row.last_used_at = now
        await session.commit()
    return Principal(
        role="key", tenant_id=row.tenant_id, subject=row.id, scopes=frozenset(row.scopes)
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def create_user(
    session: AsyncSession, tenant_id: str, username: str, password: str, role: Role
) -> UserAccount:
    if role not in ("manager", "auditor"):
        raise ValidationFailed("role must be manager or auditor", code="bad_role", field="role")
    if len(password) < 10:
        raise ValidationFailed("a password needs 10+ characters", code="weak_password")
    await require_tenant(session, tenant_id)
    if await session.scalar(select(UserAccount).where(UserAccount.username == username)):
        raise Conflict(f"user {username!r} exists", code="user_exists", field="username")
    user = UserAccount(
        tenant_id=tenant_id,
        username=username,
        role=role,
        password_hash=credentials.hash_password(password),
    )
    session.add(user)
    await session.flush()
    audit(
        session,
        tenant_id=tenant_id,
        actor="admin",
        action="user_created",
        entity_type="user",
        entity_id=user.id,
        details={"role": role, "username": username},
    )
    return user


async def sign_in(session: AsyncSession, username: str, password: str) -> UserAccount:
    user = await session.scalar(select(UserAccount).where(UserAccount.username == username))
    if user is None:
        credentials.verify_password(password, _DUMMY_HASH)  # same cost either way
        raise invalid_credential()
    if user.disabled or not credentials.verify_password(password, user.password_hash):
        raise invalid_credential()
    return user


_DUMMY_HASH = credentials.hash_password("not-a-real-password-0")


async def principal_of_session(session: AsyncSession, claims: dict[str, Any]) -> Principal:
    user = await session.get(UserAccount, str(claims.get("sub", "")))
    if user is None or user.disabled or user.tenant_id != claims.get("tid"):
        raise invalid_credential()
    role: Role = "manager" if user.role == "manager" else "auditor"
    return Principal(role=role, tenant_id=user.tenant_id, subject=user.username)


async def principal_of_patient_token(session: AsyncSession, claims: dict[str, Any]) -> Principal:
    patient = await session.get(Patient, str(claims.get("pid", "")))
    if patient is None or patient.tenant_id != claims.get("tid"):
        raise invalid_credential()
    return Principal(
        role="patient", tenant_id=patient.tenant_id, subject=patient.id, patient_id=patient.id
    )


class PatientTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_ref: str = Field(
        min_length=1,
        max_length=128,
        description="The tenant's own pseudonymous patient id (the patient is made when new).",
    )
    ttl_s: int | None = Field(
        None, ge=60, le=86400, description="Lifetime in seconds (default HM_PATIENT_TOKEN_TTL_S)."
    )


class PatientTokenPublic(BaseModel):
    token: str
    """Send as ``Authorization: Bearer <token>``; the mini-app reads it from ``#token=``."""
    patient_id: str
    patient_ref: str
    tenant_id: str
    expires_at: datetime
    app_path: str
    """Path of the patient mini-app carrying the token in its fragment (never sent to a server
    log: fragments stay in the browser)."""


async def issue_patient_token(
    session: AsyncSession,
    tenant_id: str,
    body: PatientTokenCreate,
    *,
    secret: str,
    default_ttl_s: int,
) -> PatientTokenPublic:
    patient = await get_or_create_patient(session, tenant_id, body.patient_ref)
    ttl = body.ttl_s or default_ttl_s
    token = credentials.sign_token(
        "patient", secret, ttl, {"tid": tenant_id, "pid": patient.id, "sub": patient.id}
    )
    audit(
        session,
        tenant_id=tenant_id,
        actor="admin",
        action="patient_token_issued",
        entity_type="patient",
        entity_id=patient.id,
        details={"ttl_s": ttl},
    )
    await session.commit()
    return PatientTokenPublic(
        token=token,
        patient_id=patient.id,
        patient_ref=patient.external_ref,
        tenant_id=tenant_id,
        expires_at=datetime.now(UTC) + timedelta(seconds=ttl),
        app_path=f"/app/#token={token}",
    )


def session_token(user: UserAccount, *, secret: str, ttl_s: int) -> tuple[str, str]:
    """(signed session cookie value, its CSRF token)."""
    csrf = credentials.new_csrf_token()
    token = credentials.sign_token(
        "session", secret, ttl_s, {"sub": user.id, "tid": user.tenant_id, "csrf": csrf}
    )
    return token, csrf
