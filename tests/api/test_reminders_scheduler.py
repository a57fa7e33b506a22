"""Reminder scheduler against the real redis-server (redis://127.0.0.1:6379).

Every test uses its own key prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
import redis.asyncio as aioredis

from api.reminders import Reminder, ReminderScheduler, RetryPolicy
from tools.tasks import DailySchedule

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/0"
T0 = datetime(2026, 5, 1, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai


async def _client() -> aioredis.Redis:
    client = aioredis.Redis.from_url(REDIS_URL)
    try:
        await client.ping()
    except (aioredis.ConnectionError, OSError) as exc:
        pytest.skip(f"redis-server not reachable at {REDIS_URL}: {exc}")
    return client


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    name = f"test:reminders:{uuid.uuid4().hex}"
    yield name
    client = await _client()
    keys = [key async for key in client.scan_iter(match=f"{name}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
async def scheduler(prefix: str) -> AsyncIterator[ReminderScheduler]:
    client = await _client()
    yield ReminderScheduler(client, prefix, retry=RetryPolicy(max_attempts=3, base_delay_s=30))
    await client.aclose()


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def reminder(rid: str, due: datetime, **kw: object) -> Reminder:
    return Reminder.model_validate({"id": rid, "due_at": due, "patient_id": "p1", **kw})


async def test_claim_takes_only_due_reminders_in_due_order(scheduler: ReminderScheduler) -> None:
    await scheduler.schedule(reminder("later", T0 + timedelta(minutes=5)))
    await scheduler.schedule(reminder("b", T0 - timedelta(minutes=1)))
    await scheduler.schedule(reminder("a", T0 - timedelta(minutes=2)))
    await scheduler.schedule(reminder("exact", T0))
    claimed = await scheduler.claim_due(T0, limit=2)
    assert [r.id for r in claimed] == ["a", "b"]
    assert [r.id for r in await scheduler.claim_due(T0, limit=10)] == ["exact"]
    assert await scheduler.claim_due(T0, limit=10) == []  # claimed once only
    assert await scheduler.pending_count() == 1


async def test_schedule_same_id_replaces(scheduler: ReminderScheduler) -> None:
    await scheduler.schedule(reminder("r", T0, payload={"v": 1}))
    await scheduler.schedule(reminder("r", T0 + timedelta(hours=1), payload={"v": 2}))
    assert await scheduler.pending_count() == 1
    assert await scheduler.due_at("r") == T0 + timedelta(hours=1)
    stored = await scheduler.get("r")
    assert stored is not None and stored.payload == {"v": 2}


async def test_cancel(scheduler: ReminderScheduler) -> None:
    await scheduler.schedule(reminder("r", T0))
    assert await scheduler.cancel("r") is True
    assert await scheduler.cancel("r") is False
    assert await scheduler.claim_due(T0 + timedelta(days=1), 10) == []


async def test_cancel_during_delivery_stops_a_recurring_reminder(
    scheduler: ReminderScheduler,
) -> None:
    daily = DailySchedule(times=[time(8)], start=date(2026, 5, 1))
    await scheduler.schedule(reminder("med", T0, recurrence=daily))
    [claimed] = await scheduler.claim_due(T0, 10)
    await scheduler.cancel("med")
    assert await scheduler.ack(claimed, T0) == 0
    assert await scheduler.get("med") is None and await scheduler.pending_count() == 0


async def test_two_workers_deliver_each_of_200_reminders_exactly_once(prefix: str) -> None:
    clients = [await _client(), await _client()]  # two connections, as two processes would
    workers = [ReminderScheduler(c, prefix) for c in clients]
    now = datetime.now(UTC)
    for i in range(200):
        await workers[0].schedule(reminder(f"r{i:03d}", now - timedelta(seconds=i)))
    delivered: list[tuple[int, str]] = []
    all_done, stop = asyncio.Event(), asyncio.Event()

    def deliverer(worker_no: int):  # type: ignore[no-untyped-def]
        async def deliver(r: Reminder) -> None:
            await asyncio.sleep(0.001)  # let the other worker interleave
            delivered.append((worker_no, r.id))
            if len(delivered) >= 200:
                all_done.set()

        return deliver

    tasks = [
        asyncio.create_task(w.run_worker(deliverer(n), stop, poll_interval=0.05, batch_size=5))
        for n, w in enumerate(workers)
    ]
    await asyncio.wait_for(all_done.wait(), timeout=30)
    await asyncio.sleep(0.2)  # a duplicate, if any, would show up now
    stop.set()
    stats = await asyncio.gather(*tasks)
    for c in clients:
        await c.aclose()

    counts = Counter(rid for _, rid in delivered)
    assert len(counts) == 200
    assert set(counts.values()) == {1}
    assert sum(s.delivered for s in stats) == 200
    per_worker = Counter(n for n, _ in delivered)
    assert per_worker[0] > 0 and per_worker[1] > 0  # both really competed


async def test_concurrent_raw_claims_are_disjoint(
    scheduler: ReminderScheduler, prefix: str
) -> None:
    other_client = await _client()
    other = ReminderScheduler(other_client, prefix)
    for i in range(100):
        await scheduler.schedule(reminder(f"x{i}", T0))
    rounds = await asyncio.gather(
        *[(scheduler if i % 2 else other).claim_due(T0, 7) for i in range(30)]
    )
    await other_client.aclose()
    ids = [r.id for batch in rounds for r in batch]
    assert len(ids) == 100 and len(set(ids)) == 100


async def test_recurring_reminder_is_rescheduled_for_its_next_occurrence(
    scheduler: ReminderScheduler,
) -> None:
    daily = DailySchedule(times=[time(8)], start=date(2026, 5, 1))  # Asia/Shanghai
    await scheduler.schedule(reminder("bp", T0, recurrence=daily))
    clock = FakeClock(T0 + timedelta(seconds=1))
    seen: list[datetime] = []
    stop = asyncio.Event()

    async def deliver(r: Reminder) -> None:
        seen.append(r.due_at)
        stop.set()

    stats = await scheduler.run_worker(deliver, stop, poll_interval=0.01, clock=clock)
    assert stats.delivered == 1 and seen == [T0]
    # Next: 08:00 Shanghai on 2 May = 00:00 UTC.
    assert await scheduler.due_at("bp") == datetime(2026, 5, 2, 0, 0, tzinfo=UTC)


async def test_missed_occurrences_are_not_replayed(scheduler: ReminderScheduler) -> None:
    daily = DailySchedule(times=[time(8)], start=date(2026, 5, 1))
    await scheduler.schedule(reminder("bp", T0, recurrence=daily))
    three_days_late = T0 + timedelta(days=3, hours=1)
    [claimed] = await scheduler.claim_due(three_days_late, 10)
    await scheduler.ack(claimed, three_days_late)
    assert await scheduler.due_at("bp") == datetime(2026, 5, 5, 0, 0, tzinfo=UTC)


async def test_failed_delivery_retries_with_backoff_then_succeeds(
    scheduler: ReminderScheduler,
) -> None:
    await scheduler.schedule(reminder("r", T0))
    clock = FakeClock(T0)
    attempts: list[int] = []

    async def flaky(r: Reminder) -> None:
        attempts.append(r.attempt)
        if len(attempts) < 3:
            raise ConnectionError("push service down")

    async def one_pass() -> None:
        stop = asyncio.Event()

        async def deliver(r: Reminder) -> None:
            stop.set()
            await flaky(r)

        async def stop_soon() -> None:
            await asyncio.sleep(0.2)
            stop.set()

        await asyncio.gather(
            scheduler.run_worker(deliver, stop, poll_interval=0.01, clock=clock), stop_soon()
        )

    await one_pass()  # attempt 0 fails -> retry after 30 s
    assert await scheduler.due_at("r") == T0 + timedelta(seconds=30)
    stored = await scheduler.get("r")
    assert (
        stored is not None
        and stored.attempt == 1
        and "push service down" in (stored.last_error or "")
    )
    clock.now = T0 + timedelta(seconds=30)
    await one_pass()  # attempt 1 fails -> retry after 60 s more
    assert await scheduler.due_at("r") == T0 + timedelta(seconds=90)
    clock.now = T0 + timedelta(seconds=90)
    await one_pass()  # attempt 2 succeeds
    assert attempts == [0, 1, 2]
    assert await scheduler.get("r") is None and await scheduler.dead_letters() == []


async def test_retries_are_bounded_and_end_in_dead_letters(scheduler: ReminderScheduler) -> None:
    daily = DailySchedule(times=[time(8)], start=date(2026, 5, 1))
    await scheduler.schedule(reminder("once", T0))
    await scheduler.schedule(reminder("daily", T0, recurrence=daily))
    for attempt in range(3):  # max_attempts = 3
        now = T0 + timedelta(minutes=10 * attempt)
        for r in await scheduler.claim_due(now, 10):
            assert r.attempt == attempt
            await scheduler.fail(r, "RuntimeError: boom", now)
    dead = await scheduler.dead_letters()
    assert sorted(d.reminder.id for d in dead) == ["daily", "once"]
    assert all(d.reminder.attempt == 3 for d in dead)
    assert await scheduler.get("once") is None
    # The recurring series moves on to tomorrow with a fresh attempt count.
    assert await scheduler.due_at("daily") == datetime(2026, 5, 2, 0, 0, tzinfo=UTC)
    nxt = await scheduler.get("daily")
    assert nxt is not None and nxt.attempt == 0


async def test_expired_lease_is_recovered_once(scheduler: ReminderScheduler) -> None:
    await scheduler.schedule(reminder("r", T0))
    [claimed] = await scheduler.claim_due(T0, 10)  # this worker "dies" here
    assert await scheduler.recover_expired(T0 + timedelta(minutes=4)) == 0
    assert await scheduler.recover_expired(T0 + timedelta(minutes=6)) == 1
    [again] = await scheduler.claim_due(T0 + timedelta(minutes=6), 10)
    assert again.id == "r"
    # The dead worker's late ack no longer owns the claim... but the live one does.
    assert await scheduler.ack(again, T0 + timedelta(minutes=6)) == 1
    assert await scheduler.ack(claimed, T0 + timedelta(minutes=7)) == -1


async def test_worker_stops_promptly(scheduler: ReminderScheduler) -> None:
    stop = asyncio.Event()

    async def never(r: Reminder) -> None:
        raise AssertionError("nothing is due")

    task = asyncio.create_task(scheduler.run_worker(never, stop, poll_interval=5))
    await asyncio.sleep(0.05)
    stop.set()
    stats = await asyncio.wait_for(task, timeout=1)
    assert stats.delivered == 0


def test_retry_policy_backoff_is_exponential_and_capped() -> None:
    policy = RetryPolicy(base_delay_s=30, max_delay_s=100)
    assert [policy.delay(a).total_seconds() for a in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_reminder_needs_an_aware_due_time() -> None:
    with pytest.raises(ValueError, match="timezone"):
        Reminder(id="r", due_at=datetime(2026, 5, 1, 8))
