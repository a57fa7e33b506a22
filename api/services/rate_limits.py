"""Per-key and per-tenant request limits (sliding windows in Redis): 429 with Retry-After."""

from __future__ import annotations

import logging
import math

from api.container import Container
from api.principals import Principal
from core.errors import DependencyUnavailable, RateLimited

log = logging.getLogger(__name__)

WINDOW_S = 60.0


def rate_limited(retry_after_s: float, scope: str) -> RateLimited:
    seconds = max(1, math.ceil(retry_after_s))
    return RateLimited(
        f"too many requests for this {scope}; retry in {seconds} s",
        message_zh=f"请求过于频繁，请 {seconds} 秒后重试",
        code="rate_limited",
        details={"retry_after_s": seconds, "limit_scope": scope},
    )


async def enforce_rate_limits(
    c: Container, principal: Principal, tenant_quota: int | None = None
) -> None:
    """Count this request against the caller's key (if a key) and its tenant (its policy's
    quota, else the default). Redis unreachable: the request is not counted (quotas are not a
    reason to refuse an emergency turn or a reading; each service decides how to degrade)."""
    try:
        await _count_request(c, principal, tenant_quota)
    except DependencyUnavailable:
        log.warning("request limits not counted for %s: Redis unreachable", principal.tenant_id)


async def _count_request(c: Container, principal: Principal, tenant_quota: int | None) -> None:
    settings = c.settings
    if principal.role == "key":
        wait = await c.coordinator.sliding_window(
            f"key:{principal.subject}", settings.key_rate_limit_per_minute, WINDOW_S
        )
        if wait is not None:
            raise rate_limited(wait, "key")
    wait = await c.coordinator.sliding_window(
        f"tenant:{principal.tenant_id}",
        tenant_quota or settings.tenant_rate_limit_per_minute,
        WINDOW_S,
    )
    if wait is not None:
        raise rate_limited(wait, "tenant")


LOGIN_ATTEMPTS_PER_MINUTE = 10


async def enforce_login_limit(c: Container, username: str, client: str) -> None:
    """Sign-in attempts per account and per client address: password guessing is slowed.
    Redis unreachable: not counted (a manager must still sign in to see alerts; the password
    hash stays slow)."""
    for scope, key in (("account", f"login:user:{username}"), ("client", f"login:ip:{client}")):
        try:
            wait = await c.coordinator.sliding_window(key, LOGIN_ATTEMPTS_PER_MINUTE, WINDOW_S)
        except DependencyUnavailable:
            log.warning("sign-in attempts not counted: Redis unreachable")
            return
        if wait is not None:
            raise rate_limited(wait, scope)
