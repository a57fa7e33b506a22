"""The turn lock on real Redis: renewed while a slow turn outlives its TTL (a concurrent turn
waits and is refused, never interleaved), a stale lock of a crashed holder is broken at once,
a lease that was lost stores nothing, and a turn is stopped at ``turn_timeout_s``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from redis.asyncio import Redis

from agent.llm.base import ChatProvider, ChatRequest, ChatResponse
from agent.llm.factory import make_primary
from core.errors import Conflict
from core.locks import ALIVE_S, redis_turn_lock
from tests.conftest import SettingsFactory, running_app
from tests.helpers.services import temporary_redis_prefix

pytestmark = pytest.mark.integration
QUESTION = "高血压患者每天吃多少盐合适？"


class SlowModel:
    """The offline model, slower by ``delays`` (one per call, then not at all)."""

    def __init__(self, inner: ChatProvider, delays: list[float]) -> None:
        self.inner, self.delays, self.name = inner, delays, "slow"

    async def complete(self, request: ChatRequest) -> ChatResponse:
        await asyncio.sleep(self.delays.pop(0) if self.delays else 0.0)
        return await self.inner.complete(request)


@pytest.fixture
def redis_prefix() -> Iterator[tuple[str, str]]:
    with temporary_redis_prefix() as pair:
        yield pair


@asynccontextmanager
async def _app(
    make_settings: SettingsFactory,
    redis_prefix: tuple[str, str],
    delays: list[float],
    **extra: float,
) -> AsyncIterator[httpx.AsyncClient]:
    url, prefix = redis_prefix
    settings = make_settings(redis_url=url, redis_prefix=prefix, **extra)
    async with running_app(settings, provider=SlowModel(make_primary(settings), delays)) as api:
        yield api


async def _messages(api: httpx.AsyncClient, cid: str) -> list[dict[str, object]]:
    return list((await api.get(f"/v1/conversations/{cid}")).json()["messages"])


async def test_a_slow_turn_keeps_its_lock_past_the_ttl(
    make_settings: SettingsFactory, redis_prefix: tuple[str, str]
) -> None:
    url, prefix = redis_prefix
    async with _app(make_settings, redis_prefix, [3.0], turn_lock_timeout_s=1.0) as api:
        cid = (await api.post("/v1/conversations", json={})).json()["id"]
        first = asyncio.create_task(
            api.post(f"/v1/conversations/{cid}/messages", json={"content": QUESTION})
        )
        await asyncio.sleep(1.6)  # past the 1 s TTL: the lock must still be there
        redis = Redis.from_url(url, decode_responses=True)
        try:
            assert await redis.exists(f"{prefix}lock:conv:{cid}") == 1
        finally:
            await redis.aclose()
        second = await api.post(f"/v1/conversations/{cid}/messages", json={"content": "你好"})
        assert second.status_code == 409, second.text
        assert second.json()["error"]["code"] == "turn_in_progress"
        assert (await first).status_code == 200
        messages = await _messages(api, cid)
        assert [m["role"] for m in messages] == ["patient", "assistant"]
        assert messages[1]["reply_to_id"] == messages[0]["id"]


async def test_a_stale_lock_of_a_crashed_holder_is_broken_at_once(
    make_settings: SettingsFactory, redis_prefix: tuple[str, str]
) -> None:
    url, prefix = redis_prefix
    async with _app(make_settings, redis_prefix, []) as api:
        cid = (await api.post("/v1/conversations", json={})).json()["id"]
        redis = Redis.from_url(url, decode_responses=True)
        try:  # what a worker killed mid-turn leaves: the lock, its liveness key long expired
            await redis.set(f"{prefix}lock:conv:{cid}", "7", px=60_000)
            started = time.perf_counter()
            response = await api.post(
                f"/v1/conversations/{cid}/messages", json={"content": QUESTION}
            )
            took = time.perf_counter() - started
            assert response.status_code == 200, response.text
            assert took < 5, took  # not the 60 s TTL
            assert await redis.exists(f"{prefix}lock:conv:{cid}") == 0  # released after
        finally:
            await redis.aclose()


async def test_a_live_holder_is_not_broken_and_a_lost_lease_is_reported(
    redis_prefix: tuple[str, str],
) -> None:
    url, prefix = redis_prefix
    redis = Redis.from_url(url, decode_responses=True)
    name = f"{prefix}lock:unit"
    try:
        async with redis_turn_lock(redis, name, ttl_s=5, wait_s=1) as lease:
            with pytest.raises(Conflict):
                async with redis_turn_lock(redis, name, ttl_s=5, wait_s=ALIVE_S + 0.5):
                    pass  # the holder renews its liveness: never broken
            assert not lease.lost
            await redis.set(name, "someone-else", px=5000)  # taken over (e.g. after an outage)
            await asyncio.sleep(1.0)
            assert lease.lost
            with pytest.raises(Conflict) as caught:
                lease.require_held()
            assert caught.value.instance_code == "turn_lock_lost"
        assert await redis.get(name) == "someone-else"  # release never deletes another's lock
        async with redis_turn_lock(redis, f"{name}2", ttl_s=5, wait_s=1) as a:
            pass
        async with redis_turn_lock(redis, f"{name}2", ttl_s=5, wait_s=1) as b:
            assert b.token > a.token  # fencing tokens increase
    finally:
        await redis.delete(name, f"{name}:alive", f"{name}2:fence")
        await redis.aclose()


async def test_a_turn_is_stopped_at_its_time_limit_and_can_be_retried(
    make_settings: SettingsFactory, redis_prefix: tuple[str, str]
) -> None:
    async with _app(make_settings, redis_prefix, [3.0], turn_timeout_s=1.0) as api:
        cid = (await api.post("/v1/conversations", json={})).json()["id"]
        body = {"content": QUESTION, "client_message_id": "slow-1"}
        started = time.perf_counter()
        response = await api.post(f"/v1/conversations/{cid}/messages", json=body)
        assert time.perf_counter() - started < 2.5
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "turn_timeout"
        assert response.headers["retry-after"] == "10"
        messages = await _messages(api, cid)
        assert [(m["role"], m["turn_status"]) for m in messages] == [("patient", "failed")]
        retried = await api.post(f"/v1/conversations/{cid}/messages", json=body)
        assert retried.status_code == 200, retried.text
        messages = await _messages(api, cid)
        assert [m["role"] for m in messages] == ["patient", "assistant"]
        assert messages[0]["turn_status"] in {"completed", "held"}
