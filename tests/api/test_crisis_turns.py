"""The crisis protocol in chat, over SSE and with an OpenAI-compatible primary model: every
crisis message gets the crisis reply and a stored manager alert; hopelessness without a plan
gets the direct safety question, and a "yes" to it is the crisis protocol. Bad input never 500s.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.api.conftest import new_conversation
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import staff_headers
from tests.helpers.scripted_openai import Step, scripted_openai_server

CRISIS = [
    "活着太累了，这段时间我一直在攒安眠药，今晚就打算结束",
    "遗书已经写好放在抽屉里了，以后不用大家再为我操心",
    "封信我已經寫好畀阿媽，今晚之後佢哋唔使再為我操心",
    "I've been saving up my pills for weeks and tonight's the night",
    "This is my last message. I'm standing on the roof, don't look for me",
]


async def _say(client: httpx.AsyncClient, cid: str, text: str) -> dict[str, Any]:
    response = await client.post(f"/v1/conversations/{cid}/messages", json={"content": text})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _open_alerts(api: httpx.AsyncClient) -> list[dict[str, Any]]:
    """The manager's list of open alerts (staff-only: a manager signs in)."""
    response = await api.get(
        "/v1/alerts", params={"status": "open"}, headers=await staff_headers(api)
    )
    assert response.status_code == 200, response.text
    return list(response.json())


def _is_crisis_reply(turn: dict[str, Any]) -> bool:
    reply = turn["reply"]
    return (
        turn["safety"]["escalated"] is True
        and turn["safety"]["crisis"] == "intent"
        and "120" in reply
        and "12356" in reply
        and turn["review"]["reasons"][0]["code"] == "ESCALATION_BYPASS"
    )


@pytest.mark.parametrize("text", CRISIS)
async def test_every_crisis_message_gets_the_crisis_reply_and_an_alert(
    api: httpx.AsyncClient, text: str
) -> None:
    cid = await new_conversation(api)
    turn = await _say(api, cid, text)
    assert _is_crisis_reply(turn), turn
    assert turn["tool_calls"] == []
    alerts = await _open_alerts(api)
    mine = [a for a in alerts if a["rule_code"] == "conversation_emergency"]
    assert any(turn["reply"] in a["patient_message"].values() for a in mine), alerts


async def test_hopelessness_gets_the_safety_question_and_a_yes_escalates(
    api: httpx.AsyncClient,
) -> None:
    cid = await new_conversation(api)
    first = await _say(api, cid, "最近觉得活着没意思")
    assert first["safety"]["crisis"] == "distress" and first["safety"]["escalated"] is False
    assert "有没有想过伤害自己" in first["reply"] and "12356" in first["reply"]
    alerts = await _open_alerts(api)
    check = [a for a in alerts if a["rule_code"] == "conversation_crisis_check"]
    assert check and check[0]["severity"] == "high"
    second = await _say(api, cid, "嗯，有时候会想")
    assert _is_crisis_reply(second), second


async def test_a_no_to_the_safety_question_is_answered_normally(api: httpx.AsyncClient) -> None:
    cid = await new_conversation(api)
    await _say(api, cid, "最近觉得活着没意思")
    second = await _say(api, cid, "没有，就是工作压力大，睡不好")
    assert second["safety"]["escalated"] is False
    assert second["safety"]["crisis"] is None
    third = await _say(api, cid, "有什么办法改善睡眠")
    assert third["safety"]["escalated"] is False  # the question is not carried any further


async def test_a_crisis_over_sse_streams_the_crisis_reply(api: httpx.AsyncClient) -> None:
    cid = await new_conversation(api)
    result: dict[str, Any] = {}
    async with api.stream(
        "POST",
        f"/v1/conversations/{cid}/messages",
        json={"content": CRISIS[0]},
        headers={"accept": "text/event-stream"},
    ) as response:
        assert response.status_code == 200
        event = ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event == "result":
                result = json.loads(line.split(":", 1)[1])
    assert _is_crisis_reply(result), result


@pytest.mark.parametrize(
    "text",
    ["😢😢😢", "🙂", "a" * 4000, "血压 blood pressure 有点 high, 要紧吗 ?", "   ?   ", "？？？"],
)
async def test_odd_messages_get_an_answer_or_a_question_never_a_500(
    api: httpx.AsyncClient, text: str
) -> None:
    cid = await new_conversation(api)
    response = await api.post(f"/v1/conversations/{cid}/messages", json={"content": text})
    assert response.status_code == 200, response.text
    assert response.json()["reply"].strip()


async def test_an_empty_message_is_a_clear_4xx_and_nothing_is_stored(
    api: httpx.AsyncClient,
) -> None:
    cid = await new_conversation(api)
    response = await api.post(f"/v1/conversations/{cid}/messages", json={"content": ""})
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"]
    history = (await api.get(f"/v1/conversations/{cid}")).json()
    assert history["messages"] == []


async def test_with_an_openai_model_a_crisis_never_reaches_the_model(
    make_settings: SettingsFactory,
) -> None:
    steps = [Step(text="多休息，早点睡，明天会好的。") for _ in range(3)]
    with scripted_openai_server(steps) as server:
        settings = make_settings(llm_provider="openai", llm_base_url=server.base_url)
        async with running_app(settings) as client:
            cid = await new_conversation(client)
            turn = await _say(client, cid, CRISIS[3])
            assert server.requests == []
            assert _is_crisis_reply(turn), turn
            follow = await _say(client, cid, "最近觉得活着没意思")
            assert server.requests == []  # the safety question needs no model either
            assert follow["safety"]["crisis"] == "distress"


@pytest.mark.parametrize(
    "text",
    [
        "孩子4岁，拉肚子加吐一天了，今天只尿了一次",
        "wear contacts, right eye painful and red since this morning, light hurts",
    ],
)
async def test_urgent_red_flags_lead_the_reply_with_the_24_hour_instruction(
    api: httpx.AsyncClient, text: str
) -> None:
    cid = await new_conversation(api)
    turn = await _say(api, cid, text)
    assert turn["safety"]["triage_level"] == "urgent" and turn["safety"]["escalated"] is False
    first = turn["reply"].splitlines()[0]
    assert "24" in first, turn["reply"]
    assert turn["status"] == "completed"


async def test_an_emergency_stays_first_until_the_patient_says_it_is_handled(
    api: httpx.AsyncClient,
) -> None:
    cid = await new_conversation(api)
    first = await _say(api, cid, "我爸突然胸口剧痛，满头大汗")
    assert first["safety"]["escalated"] is True
    for follow_up in ("等救护车的时候我能做什么？", "要不要先给他吃一片降压药等等看？"):
        turn = await _say(api, cid, follow_up)
        assert turn["reply"].startswith("关于刚才的紧急情况"), turn["reply"]
        assert "120" in turn["reply"] and "不要自己给药" in turn["reply"]
        assert turn["review"]["reasons"][0]["code"] == "ONGOING_EMERGENCY"
        assert turn["tool_calls"] == []
    handled = await _say(api, cid, "救护车到了，谢谢")
    assert "急救人员" in handled["reply"]
    after = await _say(api, cid, "高血压患者每天吃多少盐合适？")
    assert not after["reply"].startswith("关于刚才的紧急情况")
    assert after["review"]["reasons"] == [] or after["review"]["reasons"][0]["code"] != (
        "ONGOING_EMERGENCY"
    )
