"""With Redis configured (integration): alerts reach the managers over real Redis pub/sub, and
tasks and care plans get their reminders on the Redis scheduler (task id = reminder id)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from redis.asyncio import Redis

from tests.api.care_helpers import app_on, container, count_rows, new_patient
from tests.helpers.services import temporary_redis_prefix

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def api(
    tmp_path_factory: pytest.TempPathFactory, kb_index_dir: Path
) -> AsyncIterator[httpx.AsyncClient]:
    with temporary_redis_prefix() as (url, prefix):
        data_dir = tmp_path_factory.mktemp("redis")
        overrides = {"redis_url": url, "redis_prefix": prefix}
        async with app_on("sqlite", data_dir, kb_index_dir, **overrides) as client:
            yield client


async def test_alert_is_published_on_redis_pubsub(api: httpx.AsyncClient) -> None:
    c = container(api)
    patient = await new_patient(api, "redis-alert", conditions=["diabetes"])
    # A separate Redis connection, the way another API worker or the console would listen.
    listener = Redis.from_url(c.settings.redis_url or "", decode_responses=True)
    pubsub = listener.pubsub()
    await pubsub.subscribe(f"{c.settings.redis_prefix}events:tenant:default")
    try:
        await pubsub.get_message(timeout=1.0)  # the subscribe confirmation
        reading = {
            "kind": "glucose",
            "value": 2.4,
            "unit": "mmol/L",
            "measured_at": (datetime.now(UTC) - timedelta(minutes=2)).isoformat(),
        }
        posted = await api.post(f"/v1/patients/{patient}/readings", json=reading)
        assert posted.status_code == 201, posted.text
        alert_id = posted.json()["alerts"][0]["alert"]["id"]
        events: list[dict[str, Any]] = []
        deadline = asyncio.get_running_loop().time() + 5
        while not any(e.get("alert_id") == alert_id for e in events):
            assert asyncio.get_running_loop().time() < deadline, events
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None:
                events.append(json.loads(message["data"]))
        event = next(e for e in events if e.get("alert_id") == alert_id)
        assert (event["kind"], event["rule_code"], event["severity"]) == (
            "alert",
            "glucose_severe_hypo",
            "critical",
        )
        assert event["patient_id"] == patient
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
        await listener.aclose()


async def test_task_and_care_plan_reminders_are_scheduled(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "redis-task")
    body = {"task_type": "bp_measurement", "schedule": {"kind": "daily", "times": ["07:00"]}}
    created = (await api.post(f"/v1/patients/{patient}/tasks", json=body)).json()
    assert created["reminders_scheduled"] is True
    task = created["task"]
    scheduler = container(api).reminders
    assert scheduler is not None
    reminder = await scheduler.get(task["id"])
    assert reminder is not None and reminder.task_id == task["id"]
    assert reminder.patient_id == patient and reminder.recurrence is not None
    assert reminder.due_at == datetime.fromisoformat(task["next_occurrences"][0])

    plan = await api.post(
        f"/v1/patients/{patient}/care-plans", json={"template_id": "type2_diabetes"}
    )
    assert plan.status_code == 201, plan.text
    assert plan.json()["reminders_scheduled"] is True
    for planned in plan.json()["tasks"]:
        assert planned["reminders_scheduled"] is True
        assert await scheduler.get(planned["id"]) is not None


async def test_a_refused_plan_schedules_no_reminder(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "redis-refused")
    scheduler = container(api).reminders
    assert scheduler is not None
    due_before = await scheduler.client.zcard(scheduler.due_key)
    refused = await api.post(
        f"/v1/patients/{patient}/care-plans",
        json={"template_id": "hypertension_follow_up", "medications": [{"name": "x", "times": []}]},
    )
    assert refused.status_code == 422
    assert await scheduler.client.zcard(scheduler.due_key) == due_before
    assert await count_rows(api, "tasks", patient_id=patient) == 0


async def test_the_running_app_delivers_a_due_reminder_once(api: httpx.AsyncClient) -> None:
    from api.reminders import Reminder

    c = container(api)
    scheduler = c.reminders
    assert scheduler is not None
    received: list[dict[str, Any]] = []

    async def listen() -> None:
        async for event in c.coordinator.subscribe("tenant:default"):
            if event.get("kind") == "reminder" and event.get("reminder_id") == "due-now":
                received.append(event)
                if len(received) == 1:
                    return

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.2)
    due = datetime.now(UTC) - timedelta(seconds=1)
    await scheduler.schedule(
        Reminder(id="due-now", due_at=due, payload={"title": "量血压"}, patient_id="p")
    )
    await asyncio.wait_for(listener, 10)
    assert received[0]["payload"] == {"title": "量血压"}
    await asyncio.sleep(1.5)  # a second poll must not deliver it again
    assert await scheduler.get("due-now") is None
