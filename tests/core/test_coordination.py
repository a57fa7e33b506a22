from __future__ import annotations

import asyncio

import pytest

from core.coordination import Coordinator, InMemoryCoordinator, RedisCoordinator, make_coordinator
from core.errors import Conflict
from tests.helpers.services import temporary_redis_prefix


async def _exercise(coordinator: Coordinator) -> None:
    order: list[str] = []

    async def turn(name: str) -> None:
        async with coordinator.turn_lock("conv:1", ttl_s=5, wait_s=5):
            order.append(f"{name}-start")
            await asyncio.sleep(0.05)
            order.append(f"{name}-end")

    await asyncio.gather(turn("a"), turn("b"))
    assert order in (
        ["a-start", "a-end", "b-start", "b-end"],
        ["b-start", "b-end", "a-start", "a-end"],
    )

    async with coordinator.turn_lock("conv:2", ttl_s=5, wait_s=1):
        with pytest.raises(Conflict) as caught:
            async with coordinator.turn_lock("conv:2", ttl_s=5, wait_s=0.1):
                pass
        assert caught.value.instance_code == "turn_in_progress"

    hits = [await coordinator.hit_rate_limit("conv:3", limit=3, window_s=60) for _ in range(5)]
    assert hits == [False, False, False, True, True]


async def test_in_memory_coordinator() -> None:
    await _exercise(InMemoryCoordinator())


@pytest.mark.integration
async def test_redis_coordinator_locks_limits_and_publishes() -> None:
    with temporary_redis_prefix() as (url, prefix):
        coordinator = make_coordinator(url, prefix)
        assert isinstance(coordinator, RedisCoordinator)
        try:
            await _exercise(coordinator)
            received: list[dict[str, object]] = []

            async def listen() -> None:
                async for event in coordinator.subscribe("tenant:t1"):
                    received.append(event)
                    return

            listener = asyncio.create_task(listen())
            await asyncio.sleep(0.2)
            await coordinator.publish("tenant:t1", {"kind": "alert", "n": 1})
            await asyncio.wait_for(listener, 5)
            assert received == [{"kind": "alert", "n": 1}]
        finally:
            await coordinator.close()
