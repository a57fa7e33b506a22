"""Console sign-in for managers and auditors: an HttpOnly, SameSite session cookie + CSRF token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.auth import PUBLIC, SESSION_COOKIE, SessionDep
from api.deps import AnyPrincipal, ContainerDep, StaffReader
from api.services import principals, tenant_policies
from api.services.rate_limits import enforce_login_limit

router = APIRouter(prefix="/v1/auth", tags=["auth"])
CSRF_COOKIE = "hm_csrf"


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class SignedIn(BaseModel):
    username: str
    role: str
    tenant_id: str
    access_token: str
    """The same sign-in as a short-lived bearer token, for API clients (no cookie, no CSRF)."""
    csrf_token: str
    """Send as ``X-CSRF-Token`` on every POST/PUT/DELETE of this session (also in cookie
    ``hm_csrf``, readable by the console's script)."""
    expires_at: datetime


class WhoAmI(BaseModel):
    role: str
    tenant_id: str
    subject: str
    scopes: list[str]
    patient_id: str | None
    tenant_display_name: str | None
    """The brand to show (the tenant policy's display name, else the tenant's name)."""


@router.post("/login", openapi_extra=PUBLIC)
async def sign_in(
    c: ContainerDep, session: SessionDep, body: SignIn, request: Request, response: Response
) -> SignedIn:
    client = request.client.host if request.client else "unknown"
    await enforce_login_limit(c, body.username, client)
    user = await principals.sign_in(session, body.username, body.password)
    ttl = c.settings.session_ttl_s
    token, csrf = principals.session_token(
        user, secret=c.settings.token_secret.get_secret_value(), ttl_s=ttl
    )
    secure = c.settings.environment == "production"
    response.set_cookie(
        SESSION_COOKIE, token, max_age=ttl, httponly=True, samesite="strict", secure=secure
    )
    response.set_cookie(CSRF_COOKIE, csrf, max_age=ttl, samesite="strict", secure=secure)
    return SignedIn(
        username=user.username,
        role=user.role,
        tenant_id=user.tenant_id,
        access_token=token,
        csrf_token=csrf,
        expires_at=datetime.now(UTC) + timedelta(seconds=ttl),
    )


@router.post("/logout", status_code=204)
async def sign_out(caller: StaffReader, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)


@router.get("/me")
async def read_me(caller: AnyPrincipal, session: SessionDep) -> WhoAmI:
    return WhoAmI(
        tenant_display_name=await tenant_policies.display_name(session, caller.tenant_id),
        role=caller.role,
        tenant_id=caller.tenant_id,
        subject=caller.subject,
        scopes=sorted(caller.scopes),
        patient_id=caller.patient_id,
    )
