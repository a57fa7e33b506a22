"""The official ``openai`` client, streaming and not, against a real ``hm serve`` subprocess."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from tests.helpers.server import LiveServer, create_key, live_server

pytestmark = pytest.mark.slow
SALT = "高血压患者每天吃多少盐合适？"
EMERGENCY = "我爸胸口剧痛出冷汗"
PLAN = "我要做透析，费用10万元，医保报60%，月收入5000，能分期吗？"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, kb_index_dir: Path) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("facade"), kb_index_dir) as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer) -> openai.OpenAI:
    key = create_key(server.env, "default", "chat")
    return openai.OpenAI(base_url=f"{server.base_url}/v1", api_key=key, max_retries=0)


def _extension(obj: Any) -> dict[str, Any]:
    extra = obj.model_extra or {}
    found: dict[str, Any] = extra["health_manager"]
    return found


def _stream(client: openai.OpenAI, text: str, **kw: Any) -> tuple[str, dict[str, Any]]:
    stream = client.chat.completions.create(
        model="health-manager", messages=[{"role": "user", "content": text}], stream=True, **kw
    )
    pieces, extension = [], None
    for event in stream:
        if event.choices and event.choices[0].delta.content:
            pieces.append(event.choices[0].delta.content)
        if event.model_extra and "health_manager" in event.model_extra:
            extension = event.model_extra["health_manager"]
            assert event.choices[0].finish_reason == "stop"
    assert extension is not None, "the last chunk carries the extension field"
    return "".join(pieces), extension


def test_guideline_question_with_citations_in_the_extension(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="health-manager", messages=[{"role": "user", "content": SALT}], user="ins-u1"
    )
    reply = completion.choices[0].message.content or ""
    turn = _extension(completion)["turn"]
    assert completion.object == "chat.completion" and reply == turn["reply"]
    assert "5" in reply and turn["citations"], turn
    assert {"doc_id", "title", "source", "section"} <= turn["citations"][0].keys()
    assert turn["review"]["verdict"] == "approve" and turn["safety"]["escalated"] is False

    text, extension = _stream(client, SALT, user="ins-u2")
    assert text == extension["turn"]["reply"] and extension["turn"]["citations"]


def test_emergency_gets_the_120_reply_not_a_model_answer(client: openai.OpenAI) -> None:
    text, extension = _stream(client, EMERGENCY, user="ins-u3")
    turn = extension["turn"]
    assert "120" in text and turn["safety"]["escalated"] is True
    assert turn["safety"]["triage_level"] == "emergency"
    assert turn["review"]["reasons"][0]["code"] == "ESCALATION_BYPASS"
    completion = client.chat.completions.create(
        model="health-manager", messages=[{"role": "user", "content": EMERGENCY}]
    )
    assert "120" in (completion.choices[0].message.content or "")


def test_a_tool_using_turn_returns_a_payment_plan_card(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="health-manager", messages=[{"role": "user", "content": PLAN}], user="ins-u4"
    )
    turn = _extension(completion)["turn"]
    assert [c["name"] for c in turn["tool_calls"]] == ["compute_payment_plans"]
    assert turn["cards"][0]["type"] == "payment_plan"
    text, extension = _stream(client, PLAN, user="ins-u5")
    assert extension["turn"]["cards"][0]["type"] == "payment_plan" and "%" in text


def test_user_continues_the_patients_conversation(
    client: openai.OpenAI, server: LiveServer
) -> None:
    first = client.chat.completions.create(
        model="m",
        messages=[{"role": "user", "content": "我要做透析，费用10万元，医保报60%，能分期吗？"}],
        user="ins-u6",
    )
    second = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "月收入5000"}], user="ins-u6"
    )
    one, two = _extension(first), _extension(second)
    assert one["conversation_id"] == two["conversation_id"]
    assert two["turn"]["cards"] and two["turn"]["cards"][0]["type"] == "payment_plan"
    # the header names it too, and continues exactly that conversation
    raw = client.chat.completions.with_raw_response.create(
        model="m",
        messages=[{"role": "user", "content": "谢谢"}],
        extra_headers={"X-Conversation-Id": one["conversation_id"]},
    )
    assert raw.headers["x-conversation-id"] == one["conversation_id"]


def test_only_a_tenant_key_with_the_chat_scope_gets_in(server: LiveServer) -> None:
    url = f"{server.base_url}/v1/chat/completions"
    body = {"model": "m", "messages": [{"role": "user", "content": "你好"}]}
    assert httpx.post(url, json=body).status_code == 401
    tools_only = create_key(server.env, "default", "tools")
    refused = httpx.post(url, json=body, headers={"Authorization": f"Bearer {tools_only}"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "insufficient_scope"
    other = openai.OpenAI(
        base_url=f"{server.base_url}/v1", api_key=create_key(server.env, "insurer-demo", "chat")
    )
    mine = openai.OpenAI(
        base_url=f"{server.base_url}/v1", api_key=create_key(server.env, "default", "chat")
    )
    conversation = _extension(
        mine.chat.completions.create(model="m", messages=[{"role": "user", "content": "你好"}])
    )["conversation_id"]
    with pytest.raises(openai.NotFoundError):
        other.chat.completions.create(
            model="m",
            messages=[{"role": "user", "content": "我上次说了什么？"}],
            extra_headers={"X-Conversation-Id": conversation},
        )
