"""Per-key and per-tenant request limits (sliding windows in Redis): 429 with Retry-After."""

from __future__ import annotations

import math

from api.container import Container
from api.principals import Principal
from core.errors import RateLimited

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
    quota, else the default)."""
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
    """Sign-in attempts per account and per client address: password guessing is slowed."""
    for scope, key in (("account", f"login:user:{username}"), ("client", f"login:ip:{client}")):
        wait = await c.coordinator.sliding_window(key, LOGIN_ATTEMPTS_PER_MINUTE, WINDOW_S)
        if wait is not None:
            raise rate_limited(wait, scope)
