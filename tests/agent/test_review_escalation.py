"""The reviewer can never block or delay an emergency escalation."""

from __future__ import annotations

import json
from typing import Any

import httpx
from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.llm.offline.engine import OfflineChatProvider
from agent.nodes.review import review_draft
from core.schemas import ReviewReason
from tests.api.test_review_queue import ScriptedReviewer
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import manager
from tests.helpers.scripted_openai import Step, scripted_openai_server
from tools.catalog import default_registry

EMERGENCY = "我爸突然胸口剧痛，满头大汗，喘不上气，顺便问下保险怎么买"
HOLD_MISSED_ESCALATION = json.dumps(
    {
        "verdict": "hold",
        "reasons": [{"code": "MISSED_ESCALATION", "message": "no 120"}],
        "feedback": "hold it",
    }
)


async def _turn(client: httpx.AsyncClient, text: str) -> dict[str, Any]:
    cid = (await client.post("/v1/conversations", json={})).json()["id"]
    response = await client.post(f"/v1/conversations/{cid}/messages", json={"content": text})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_reviewer_that_always_holds_never_sees_an_emergency(
    make_settings: SettingsFactory,
) -> None:
    reviewer = ScriptedReviewer(always="hold")
    async with running_app(make_settings(), reviewer=reviewer) as client:
        turn = await _turn(client, EMERGENCY)
        queue = (await (await manager(client)).get("/v1/review-queue")).json()["items"]
        ordinary = await _turn(client, "糖尿病患者能吃水果吗？")
    assert turn["status"] == "completed" and turn["safety"]["escalated"] is True
    assert "120" in turn["reply"]
    assert turn["review"]["reasons"][0]["code"] == "ESCALATION_BYPASS"
    assert queue == []
    assert [r.user_text for r in reviewer.requests] == ["糖尿病患者能吃水果吗？"]
    assert ordinary["status"] == "held"  # the same reviewer does hold ordinary answers


async def test_an_openai_reviewer_that_always_holds_is_not_called_for_an_emergency(
    make_settings: SettingsFactory,
) -> None:
    steps = [Step(text=HOLD_MISSED_ESCALATION) for _ in range(4)]
    with scripted_openai_server(steps) as server:
        settings = make_settings(reviewer_provider="openai", reviewer_base_url=server.base_url)
        async with running_app(settings) as client:
            turn = await _turn(client, EMERGENCY)
            assert server.requests == []
            ordinary = await _turn(client, "高血压患者每天吃多少盐合适？")
    assert turn["status"] == "completed" and "120" in turn["reply"]
    assert ordinary["status"] == "held" and len(server.requests) == 1
    assert "MISSED_ESCALATION" in {r["code"] for r in ordinary["review"]["reasons"]}


async def test_an_emergency_found_by_the_triage_tool_is_never_held(
    make_settings: SettingsFactory,
) -> None:
    """The patient's words carry no red flag; the model's triage call finds one. A reviewer
    that holds with MISSED_ESCALATION gets overridden: the 120 instruction goes out at once."""
    steps = [
        Step(tool_call=("triage_symptoms", {"text": "胸口压榨样疼痛，大汗淋漓，喘不上气"})),
        Step(text="多喝热水，注意休息，明天再看看。"),
    ]
    reviewer = ScriptedReviewer(always="hold")
    with scripted_openai_server(steps) as server:
        settings = make_settings(llm_provider="openai", llm_base_url=server.base_url)
        async with running_app(settings, reviewer=reviewer) as client:
            turn = await _turn(client, "帮我看看我爸现在这个情况要不要紧")
            queue = (await (await manager(client)).get("/v1/review-queue")).json()["items"]
    assert turn["status"] == "completed" and queue == []
    assert "120" in turn["reply"] and "热水" not in turn["reply"]
    assert turn["safety"]["triage_level"] == "emergency"
    assert turn["review"]["verdict"] == "approve"
    assert turn["review"]["reasons"][0]["code"] == "ESCALATION_BYPASS"


def _context(reviewer: ScriptedReviewer, alerts: list[dict[str, Any]]) -> AgentContext:
    async def emit(kind: str, payload: dict[str, Any]) -> None:
        alerts.append({**payload, "event": kind})

    return AgentContext(
        provider=OfflineChatProvider(),
        reviewer=reviewer,
        # the review node never retrieves
        retriever=None,  # type: ignore[arg-type]
        tools=default_registry(),
        emit=emit,
    )


def _triage_call(level: str, advice: str) -> dict[str, Any]:
    return {"name": "triage_symptoms", "ok": True, "result": {"level": level, "advice": advice}}


async def test_missed_escalation_never_holds_an_emergency_reply() -> None:
    class MissedEscalation(ScriptedReviewer):
        async def review(self, request: Any) -> Any:
            outcome = await super().review(request)
            reason = ReviewReason(code="MISSED_ESCALATION", message="no 120")
            return outcome.model_copy(update={"reasons": [reason]})

    alerts: list[dict[str, Any]] = []
    state: dict[str, Any] = {
        "message_id": "m1",
        "language": "zh",
        "draft": "注意休息即可。",
        "tool_calls": [_triage_call("emergency", "请立即拨打120。")],
        "revisions": 0,
    }
    for verdict in ("hold", "revise"):
        context = _context(MissedEscalation(always=verdict), alerts)
        update = await review_draft(state, Runtime(context=context))  # type: ignore[arg-type]
        assert update["draft"] == "请立即拨打120。\n\n我已同时通知您的健康管理师。"
        assert update["review"]["verdict"] == "approve"
        codes = [r["code"] for r in update["review"]["reasons"]]
        assert codes == ["ESCALATION_BYPASS", "MISSED_ESCALATION"]
    assert [(a["event"], a["kind"], a["source"]) for a in alerts] == [
        ("alert", "emergency", "triage_tool")
    ] * 2


async def test_a_non_emergency_triage_result_is_reviewed_normally() -> None:
    state: dict[str, Any] = {
        "message_id": "m1",
        "language": "zh",
        "draft": "建议一周内就诊。",
        "tool_calls": [_triage_call("routine", "建议一周内就诊。")],
    }
    context = _context(ScriptedReviewer(always="hold"), [])
    update = await review_draft(state, Runtime(context=context))  # type: ignore[arg-type]
    assert update["review"]["verdict"] == "hold" and update["draft"] == "建议一周内就诊。"
