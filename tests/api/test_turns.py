from __future__ import annotations

import asyncio
import json

import httpx

from tests.api.conftest import new_conversation


async def _say(client: httpx.AsyncClient, cid: str, text: str, **extra: object) -> httpx.Response:
    return await client.post(f"/v1/conversations/{cid}/messages", json={"content": text, **extra})


async def test_guideline_question_is_answered_with_citations_and_review(
    client: httpx.AsyncClient,
) -> None:
    cid = await new_conversation(client)
    response = await _say(client, cid, "高血压患者每天吃多少盐合适？")
    assert response.status_code == 200, response.text
    turn = response.json()
    assert turn["status"] == "completed"
    assert turn["citations"], turn
    citation = turn["citations"][0]
    assert {"doc_id", "title", "source", "section", "year"} <= citation.keys()
    assert "5" in turn["reply"]  # the guideline's 5 g, quoted from the cited passage
    assert turn["review"]["verdict"] == "approve"
    assert turn["safety"] == {
        "triage_level": None,
        "red_flags": [],
        "escalated": False,
        "crisis": None,
    }


async def test_greeting_and_history(client: httpx.AsyncClient) -> None:
    cid = await new_conversation(client, patient_ref="p-123")
    turn = (await _say(client, cid, "你好")).json()
    assert "AI" in turn["reply"] and turn["citations"] == []
    detail = (await client.get(f"/v1/conversations/{cid}")).json()
    assert detail["patient_ref"] == "p-123"
    assert [m["role"] for m in detail["messages"]] == ["patient", "assistant"]
    assert detail["messages"][1]["content"] == turn["reply"]


async def test_english_question_gets_an_english_answer(client: httpx.AsyncClient) -> None:
    cid = await new_conversation(client)
    turn = (await _say(client, cid, "How much salt should I eat per day?")).json()
    assert turn["language"] == "en"
    assert turn["citations"]
    reply = turn["reply"].lower()
    assert "salt" in reply and not any("\u4e00" <= ch <= "\u9fff" for ch in reply)


async def test_resubmission_returns_the_same_turn_without_running_twice(
    client: httpx.AsyncClient,
) -> None:
    cid = await new_conversation(client)
    first, second = await asyncio.gather(
        _say(client, cid, "糖化血红蛋白是什么意思？", client_message_id="m-1"),
        _say(client, cid, "糖化血红蛋白是什么意思？", client_message_id="m-1"),
    )
    third = await _say(client, cid, "糖化血红蛋白是什么意思？", client_message_id="m-1")
    assert first.status_code == second.status_code == third.status_code == 200
    ids = {r.json()["message_id"] for r in (first, second, third)}
    assert len(ids) == 1
    messages = (await client.get(f"/v1/conversations/{cid}")).json()["messages"]
    assert [m["role"] for m in messages] == ["patient", "assistant"]


async def test_clarifying_question_then_tool_call(client: httpx.AsyncClient) -> None:
    cid = await new_conversation(client)
    ask = (await _say(client, cid, "我要做透析，费用10万元，医保报60%，能分期吗？")).json()
    assert "收入" in ask["reply"] and ask["tool_calls"] == []
    turn = (await _say(client, cid, "月收入5000")).json()
    assert [c["name"] for c in turn["tool_calls"]] == ["compute_payment_plans"]
    assert turn["cards"] and turn["cards"][0]["type"] == "payment_plan"
    args = turn["tool_calls"][0]["arguments"]
    assert args["total_cost"] == 100000 and args["monthly_income"] == 5000
    assert args["insurance_coverage_ratio"] == 0.6


async def test_emergency_short_circuits_to_120(client: httpx.AsyncClient) -> None:
    cid = await new_conversation(client)
    turn = (
        await _say(client, cid, "我爸突然胸口剧痛，满头大汗，喘不上气，顺便问下保险怎么买")
    ).json()
    assert turn["safety"]["escalated"] is True
    assert turn["safety"]["triage_level"] == "emergency"
    assert "120" in turn["reply"]
    assert turn["review"]["verdict"] == "approve"
    assert turn["review"]["reasons"][0]["code"] == "ESCALATION_BYPASS"
    assert turn["tool_calls"] == []
    card = turn["cards"][0]
    assert card["type"] == "emergency" and card["data"]["call_emergency"] is True
    assert card["data"]["level"] == "emergency"


async def test_sse_streams_progress_then_reviewed_reply(client: httpx.AsyncClient) -> None:
    cid = await new_conversation(client)
    events: list[tuple[str, dict[str, object]]] = []
    async with client.stream(
        "POST",
        f"/v1/conversations/{cid}/messages",
        json={"content": "空腹血糖多少算糖尿病？"},
        headers={"Accept": "text/event-stream"},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        kind = ""
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    kinds = [k for k, _ in events]
    assert kinds[0] == "progress" and kinds[-1] == "result"
    assert {"ingest", "guard", "retrieve", "call_model", "review", "respond"} <= {
        str(p["node"]) for k, p in events if k == "progress"
    }
    result = events[-1][1]
    streamed = "".join(str(p["text"]) for k, p in events if k == "delta")
    assert streamed == result["reply"]
    assert kinds.index("delta") > max(i for i, k in enumerate(kinds) if k == "progress")


async def test_sse_reports_errors_as_an_event(client: httpx.AsyncClient) -> None:
    cid = await new_conversation(client)
    async with client.stream(
        "POST",
        f"/v1/conversations/{cid}/messages",
        json={"content": "x" * 5000},
        headers={"Accept": "text/event-stream"},
    ) as response:
        body = (await response.aread()).decode()
    assert "event: error" in body and "message_too_long" in body
    assert '"status": 422' in body, "the HTTP status the error would have had, for clients"


async def test_a_long_message_within_the_limit_is_answered(client: httpx.AsyncClient) -> None:
    cid = await new_conversation(client)
    story = "我今年六十岁，平时血压有点高，一直在社区医院随访。" * 80  # ~2,000 characters
    response = await _say(client, cid, story + "请问高血压患者每天吃多少盐合适？")
    assert response.status_code == 200, response.text
    turn = response.json()
    assert turn["status"] in ("completed", "held") and turn["reply"]


async def test_a_dangerous_reading_in_chat_alerts_the_manager_live(
    client: httpx.AsyncClient,
) -> None:
    coordinator = client.app.state.container.coordinator  # type: ignore[attr-defined]
    events: list[dict[str, object]] = []

    async def listen() -> None:
        async for event in coordinator.subscribe("tenant:default"):
            events.append(event)
            if event.get("kind") == "alert":
                return

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.1)
    cid = await new_conversation(client)
    turn = (await _say(client, cid, "刚测了血糖2.8，手有点抖")).json()
    await asyncio.wait_for(listener, 10)
    alerts = [e for e in events if e.get("kind") == "alert"]
    assert alerts, events
    stored = (await client.get("/v1/alerts", params={"status": "open"})).json()
    assert stored, "the alert is stored for the manager's list too"
    assert "120" in turn["reply"] or "15" in turn["reply"]


async def test_a_device_alert_reaches_the_conversation_the_patient_is_in(
    client: httpx.AsyncClient,
) -> None:
    created = (await client.post("/v1/conversations", json={"patient_ref": "cgm-1"})).json()
    cid, patient = created["id"], created["patient_id"]
    await _say(client, cid, "你好")
    from datetime import UTC, datetime, timedelta

    measured = (datetime.now(UTC) - timedelta(minutes=2)).isoformat()
    reading = {
        "kind": "glucose",
        "value": 2.6,
        "unit": "mmol/L",
        "meal_context": "night",
        "measured_at": measured,
        "source_device": "cgm",
    }
    response = await client.post(f"/v1/patients/{patient}/readings", json=reading)
    assert response.status_code == 201, response.text
    assert response.json()["alerts"], "a glucose of 2.6 raises an alert"
    messages = (await client.get(f"/v1/conversations/{cid}")).json()["messages"]
    alert_messages = [m for m in messages if m["turn_status"] == "alert"]
    assert len(alert_messages) == 1 and "15" in alert_messages[0]["content"]
