"""Authentication and access policies: who the caller is, and whether this route lets them in.

Credentials, in the order they are tried:

- ``Authorization: Bearer hm_...`` — a tenant API key (insurer back ends, scripts, evals);
- ``Authorization: Bearer <jwt>`` — a signed patient token (the mini-app), or a console
  sign-in's ``access_token`` (short-lived, for API clients of managers and auditors);
- cookie ``hm_session`` — a console sign-in (manager or auditor). Unsafe methods also need the
  header ``X-CSRF-Token`` carrying the token given at sign-in (bound to the signed session).

No credential or a bad one is 401; a principal the route does not admit is 403. Every route
declares one ``Access`` policy (through the aliases in ``api.deps``); ``describe_access`` copies
it into the OpenAPI document (``x-hm-access``), which the isolation tests are generated from.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from api.principals import Principal, Role, current_principal
from api.request_context import ContainerDep
from api.services import principals as service
from api.services.rate_limits import enforce_rate_limits
from api.services.tenant_policies import tenant_quota
from core import credentials
from core.db.session import database_unreachable_errors
from core.errors import Forbidden, Unauthorized

log = logging.getLogger(__name__)

SESSION_COOKIE = "hm_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="A tenant API key or a patient token.")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="Console sign-in (POST /v1/auth/login)."
)


async def get_session(c: ContainerDep) -> AsyncIterator[AsyncSession]:
    """The request's database session: credentials and scoped rows are loaded in it. It is
    closed after the answer was sent: a connection lost meanwhile is logged, not raised (the
    pool replaces it; the answer, a 503 ``database_unavailable`` included, stands)."""
    session = c.sessions()
    try:
        yield session
    finally:
        try:
            await session.close()
        except database_unreachable_errors() as exc:
            log.warning("request session closed on a lost connection: %s", type(exc).__name__)


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def _unauthenticated() -> Unauthorized:
    return Unauthorized(
        "credentials required: Authorization: Bearer <key or patient token>, or a console sign-in",
        message_zh="需要凭证：请提供 API 密钥、患者令牌或先登录管理台",
        code="unauthenticated",
    )


async def authenticate(
    request: Request,
    c: ContainerDep,
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Principal:
    secret = c.settings.token_secret.get_secret_value()
    if bearer is not None:
        token = bearer.credentials
        if token.startswith(credentials.KEY_PREFIX):
            principal = await service.principal_of_key(session, token)
        elif credentials.token_kind(token) == "session":
            # A console sign-in used as a short-lived bearer token (API clients, no cookie):
            # not sent by browsers on their own, so no CSRF token is needed.
            principal = await service.principal_of_session(
                session, _claims("session", secret, token)
            )
        else:
            principal = await service.principal_of_patient_token(
                session, _claims("patient", secret, token)
            )
    elif cookie:
        claims = _claims("session", secret, cookie)
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not sent or not credentials.hmac_equal(sent, str(claims.get("csrf", ""))):
                raise Forbidden(
                    f"unsafe request from a console session without a valid {CSRF_HEADER}",
                    message_zh="缺少或错误的 CSRF 令牌",
                    code="csrf_failed",
                )
        principal = await service.principal_of_session(session, claims)
    else:
        raise _unauthenticated()
    request.state.principal = principal
    current_principal.set(principal)
    await enforce_rate_limits(c, principal, await tenant_quota(session, principal.tenant_id))
    return principal


def _claims(kind: credentials.TokenKind, secret: str, token: str) -> dict[str, Any]:
    try:
        return credentials.read_token(kind, secret, token)
    except credentials.InvalidToken as exc:
        raise service.invalid_credential() from exc


class Access:
    """One access policy: the roles it admits and, for API keys, the scope they need."""

    def __init__(self, name: str, roles: set[Role], scope: str | None = None) -> None:
        self.name = name
        self.roles = frozenset(roles)
        self.scope = scope

    async def __call__(self, principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if principal.role not in self.roles:
            raise Forbidden(
                f"a {principal.role} may not do this ({self.name})",
                message_zh="当前身份无权执行此操作",
                code="wrong_role",
                details={"allowed": sorted(self.roles)},
            )
        if principal.role == "key" and self.scope and self.scope not in principal.scopes:
            raise Forbidden(
                f"the API key lacks the scope {self.scope!r}",
                message_zh=f"API 密钥缺少权限范围 {self.scope}",
                code="insufficient_scope",
                details={"scope": self.scope},
            )
        return principal

    def describe(self) -> dict[str, Any]:
        return {"policy": self.name, "roles": sorted(self.roles), "scope": self.scope}


def _policies(dependant: Any) -> list[Access]:
    found = [dependant.call] if isinstance(dependant.call, Access) else []
    for sub in dependant.dependencies:
        found.extend(_policies(sub))
    return found


def describe_access(router: APIRouter) -> APIRouter:
    """Put each route's policy into its OpenAPI operation as ``x-hm-access`` (call it on a
    router before it is included)."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        policies = {id(p): p for p in _policies(route.dependant)}
        if len(policies) > 1:
            raise RuntimeError(f"{route.path} declares more than one access policy")
        if policies:
            (policy,) = policies.values()
            route.openapi_extra = {**(route.openapi_extra or {}), "x-hm-access": policy.describe()}
    return router


PUBLIC: dict[str, Any] = {"x-hm-access": {"policy": "public", "roles": [], "scope": None}}
"""``openapi_extra`` of the few routes anyone may call (health, sign-in)."""
