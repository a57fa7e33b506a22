"""Per-key and per-tenant sliding-window limits: 429 with Retry-After (in memory and Redis)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from core.coordination import make_coordinator
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import bearer, new_key
from tests.helpers.services import temporary_redis_prefix


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.integration)])
def redis_overrides(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    if request.param == "memory":
        yield {}
        return
    with temporary_redis_prefix() as (url, prefix):
        yield {"redis_url": url, "redis_prefix": prefix}


async def _me(api: httpx.AsyncClient, key: str) -> httpx.Response:
    return await api.get("/v1/auth/me", headers=bearer(key))


async def test_a_key_over_its_limit_gets_429_with_retry_after(
    make_settings: SettingsFactory, redis_overrides: dict[str, str]
) -> None:
    settings = make_settings(
        key_rate_limit_per_minute=3, tenant_rate_limit_per_minute=5, **redis_overrides
    )
    async with running_app(settings) as api:
        first, second = await new_key(api, "default"), await new_key(api, "default")
        assert [(await _me(api, first)).status_code for _ in range(3)] == [200] * 3
        limited = await _me(api, first)
        assert limited.status_code == 429
        error = limited.json()["error"]
        assert error["code"] == "rate_limited" and error["details"]["limit_scope"] == "key"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        # another key of the tenant still has its own budget, until the tenant's runs out
        assert [(await _me(api, second)).status_code for _ in range(2)] == [200] * 2
        tenant_limited = await _me(api, second)  # the tenant admitted 3 + 2 = 5 already
        assert tenant_limited.status_code == 429
        assert tenant_limited.json()["error"]["details"]["limit_scope"] == "tenant"
        other = await new_key(api, "insurer-demo")
        assert (await _me(api, other)).status_code == 200  # tenants do not share budgets


@pytest.mark.integration
async def test_redis_window_slides() -> None:
    with temporary_redis_prefix() as (url, prefix):
        coordinator = make_coordinator(url, prefix)
        try:
            assert await coordinator.sliding_window("k", 2, 0.5) is None
            assert await coordinator.sliding_window("k", 2, 0.5) is None
            wait = await coordinator.sliding_window("k", 2, 0.5)
            assert wait is not None and 0 < wait <= 0.5
            await asyncio.sleep(wait + 0.05)
            assert await coordinator.sliding_window("k", 2, 0.5) is None
        finally:
            await coordinator.close()
