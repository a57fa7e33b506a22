"""What the patient mini-app needs from the API: its files at /app/ (gzip), the passage behind
a citation, and a live stream of the health manager's messages in one conversation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api.services.conversation_events import open_conversation_events
from api.services.conversations import open_conversation
from tests.api.conftest import new_conversation
from tests.api.test_review_queue import QUESTION, ScriptedReviewer, say
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import manager, patient_headers
from tests.helpers.services import temporary_redis_prefix
from tests.helpers.streams import open_stream


@pytest.fixture
async def held_api(make_settings: SettingsFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(), reviewer=ScriptedReviewer(always="hold")) as client:
        yield client


@pytest.fixture(params=["in-process", pytest.param("redis", marks=pytest.mark.integration)])
async def live_api(
    request: pytest.FixtureRequest, make_settings: SettingsFactory
) -> AsyncIterator[httpx.AsyncClient]:
    """Every draft held; live events over the in-process fallback or real Redis pub/sub."""
    reviewer = ScriptedReviewer(always="hold")
    if request.param == "in-process":
        async with running_app(make_settings(), reviewer=reviewer) as client:
            yield client
        return
    with temporary_redis_prefix() as (url, prefix):
        settings = make_settings(redis_url=url, redis_prefix=prefix)
        async with running_app(settings, reviewer=reviewer) as client:
            yield client


async def test_the_app_is_served_at_app_gzipped(held_api: httpx.AsyncClient) -> None:
    page = await held_api.get("/app/", headers={"accept-encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers.get("content-encoding") == "gzip"
    assert '<html lang="zh-CN"' in page.text and 'type="module"' in page.text
    script = await held_api.get("/app/js/main.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert (await held_api.get("/app/nope.js")).status_code == 404


async def test_a_citation_opens_its_passage(held_api: httpx.AsyncClient) -> None:
    hits = (await held_api.get("/v1/knowledge/search", params={"q": QUESTION, "k": 1})).json()
    chunk = hits["passages"][0]
    response = await held_api.get(f"/v1/knowledge/chunks/{chunk['chunk_id']}")
    assert response.status_code == 200
    passage = response.json()
    assert passage["text"] == chunk["text"] and passage["year"] == chunk["year"]
    assert passage["source"] and passage["section"] and "score" not in passage
    missing = await held_api.get("/v1/knowledge/chunks/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "chunk_not_found"


async def test_unknown_conversation_events_are_404(held_api: httpx.AsyncClient) -> None:
    response = await held_api.get("/v1/conversations/nope/events")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "conversation_not_found"


async def test_a_patient_token_listens_to_its_own_conversation_only(
    held_api: httpx.AsyncClient,
) -> None:
    mine = (await held_api.post("/v1/conversations", json={"patient_ref": "p-own"})).json()
    theirs = (await held_api.post("/v1/conversations", json={"patient_ref": "p-other"})).json()
    token = patient_headers(held_api, mine["patient_id"])
    app = held_api.app  # type: ignore[attr-defined]
    opened = await open_stream(app, f"/v1/conversations/{mine['id']}/events", token)
    assert opened.status_code == 200
    assert opened.headers["content-type"].startswith("text/event-stream")
    assert opened.text.startswith("event: ready")
    refused = await open_stream(app, f"/v1/conversations/{theirs['id']}/events", token)
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "conversation_not_found"
    anonymous = await open_stream(app, f"/v1/conversations/{mine['id']}/events")
    assert anonymous.status_code == 401


async def test_a_released_answer_arrives_on_the_conversation_stream(
    live_api: httpx.AsyncClient,
) -> None:
    held_api = live_api
    container = held_api.app.state.container  # type: ignore[attr-defined]
    cid = await new_conversation(held_api)
    other = await new_conversation(held_api)
    assert (await say(held_api, cid, QUESTION))["status"] == "held"
    assert (await say(held_api, other, QUESTION))["status"] == "held"
    scope = await open_conversation(container, "default", cid)
    events = open_conversation_events(container, scope, heartbeat_s=0.2)
    assert await anext(events) == ("ready", {"conversation_id": cid})
    assert await anext(events) == ("ping", {})
    staff = await manager(held_api)
    items = (await staff.get("/v1/review-queue")).json()["items"]
    by_conversation = {i["conversation"]["id"]: i for i in items}
    for conversation in (other, cid):  # the other conversation's decision is not forwarded
        item = by_conversation[conversation]
        decided = await staff.post(f"/v1/review-queue/{item['id']}/approve", json={})
        assert decided.status_code == 200
    kind, message = await asyncio.wait_for(_next_message(events), 5)
    assert kind == "message"
    assert message["role"] == "assistant" and message["content"] == by_conversation[cid]["draft"]
    assert message["result"]["status"] == "completed" and message["result"]["citations"]
    held = (await held_api.get(f"/v1/conversations/{cid}")).json()["messages"][1]
    assert held["turn_status"] == "superseded" and message["held_message_id"] == held["id"]
    await events.aclose()  # type: ignore[attr-defined]  # unsubscribes


Event = tuple[str, dict[str, Any]]


async def _next_message(events: AsyncIterator[Event]) -> Event:
    async for kind, data in events:
        if kind != "ping":
            return kind, data
    raise AssertionError("stream ended")


async def test_reference_ranges_come_from_the_facts_table(held_api: httpx.AsyncClient) -> None:
    ranges = (await held_api.get("/v1/knowledge/reference-ranges")).json()
    by_key = {(r["kind"], r["value"], r["meal_context"]): r for r in ranges}
    sbp = by_key[("blood_pressure", "sbp", None)]
    assert sbp["high"] == 135 and sbp["low"] is None and sbp["unit"] == "mmHg"
    assert sbp["fact_ids"] == ["bp.home.hypertension_sbp"] and "高血压" in sbp["source"]
    fasting = by_key[("glucose", "value", "fasting")]
    assert (fasting["low"], fasting["high"]) == (3.9, 6.1)
    assert fasting["fact_ids"] == ["glucose.hypo.level1", "glucose.fpg.normal_upper"]
