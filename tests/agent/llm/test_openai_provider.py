"""The OpenAI path: the real ``openai`` client over HTTP against a scripted server."""

from __future__ import annotations

from agent.llm.base import ChatMessage, ChatRequest, EvidencePassage, ReviewRequest
from agent.llm.openai_provider import EndpointConfig, OpenAIChatProvider, OpenAIReviewer
from agent.prompts import FALLBACK_REPLY
from tests.helpers.scripted_openai import Step, scripted_openai_server


def _config(base_url: str, timeout_s: float = 5.0, retries: int = 2) -> EndpointConfig:
    return EndpointConfig(
        base_url=base_url,
        model="scripted-qwen",
        api_key="sk-test",
        timeout_s=timeout_s,
        max_retries=retries,
        backoff_s=0.01,
    )


def _request(text: str = "高血压患者每天吃多少盐？") -> ChatRequest:
    evidence = [
        EvidencePassage(
            ref=1,
            chunk_id="c1",
            doc_id="d1",
            title="限盐",
            source="指南",
            year=2022,
            section="准则五",
            text="成人每天食盐不超过5 g。",
        )
    ]
    return ChatRequest(
        messages=[ChatMessage(role="user", content=text)],
        evidence=evidence,
        tools=[
            {
                "type": "function",
                "function": {"name": "calc", "description": "x", "parameters": {"type": "object"}},
            }
        ],
    )


async def test_streamed_text_with_citations_and_usage() -> None:
    with scripted_openai_server([Step(text="成人每天食盐不超过5 g[1]。")]) as server:
        response = await OpenAIChatProvider(_config(server.base_url)).complete(_request())
    assert response.content == "成人每天食盐不超过5 g[1]。"
    assert response.cited_refs == [1]
    assert response.usage.completion_tokens == 5
    sent = server.requests[0]
    assert sent["stream"] is True and sent["model"] == "scripted-qwen"
    assert "成人每天食盐不超过5 g" in sent["messages"][0]["content"]  # evidence in the prompt
    assert sent["tools"][0]["function"]["name"] == "calc"


async def test_streamed_tool_call_is_reassembled() -> None:
    args = {"total_cost": 100000, "monthly_income": 5000, "note": "透析"}
    with scripted_openai_server([Step(tool_call=("calc", args))]) as server:
        response = await OpenAIChatProvider(_config(server.base_url)).complete(_request())
    assert [(c.name, c.arguments) for c in response.tool_calls] == [("calc", args)]


async def test_one_5xx_then_success_is_retried() -> None:
    with scripted_openai_server([Step(status=503), Step(text="好的")]) as server:
        response = await OpenAIChatProvider(_config(server.base_url)).complete(_request())
    assert response.content == "好的" and not response.fallback
    assert len(server.requests) == 2


async def test_timeout_gives_the_safe_fallback_after_bounded_retries() -> None:
    steps = [Step(text="late", delay_s=1.0)] * 3
    with scripted_openai_server(steps) as server:
        provider = OpenAIChatProvider(_config(server.base_url, timeout_s=0.2, retries=1))
        response = await provider.complete(_request())
    assert response.fallback is True
    assert response.content == FALLBACK_REPLY["zh"]
    assert len(server.requests) == 2  # first try + one retry, then give up


async def test_client_errors_are_not_retried() -> None:
    with scripted_openai_server([Step(status=400), Step(text="never")]) as server:
        response = await OpenAIChatProvider(_config(server.base_url)).complete(_request())
    assert response.fallback is True and len(server.requests) == 1


async def test_reviewer_parses_structured_verdict() -> None:
    verdict = (
        '{"verdict": "revise", "reasons": [{"code": "UNSOURCED_NUMBER", "message": "8 g"}],'
        ' "feedback": "remove 8 g"}'
    )
    with scripted_openai_server([Step(text=verdict)]) as server:
        outcome = await OpenAIReviewer(_config(server.base_url)).review(
            ReviewRequest(user_text="盐", draft="每天8 g")
        )
    assert outcome.verdict == "revise"
    assert outcome.reasons[0].code == "UNSOURCED_NUMBER"
    assert outcome.reviewer == "openai:scripted-qwen"


async def test_unparseable_reviewer_output_holds_never_approves() -> None:
    with scripted_openai_server([Step(text="looks fine to me!")]) as server:
        outcome = await OpenAIReviewer(_config(server.base_url)).review(
            ReviewRequest(user_text="盐", draft="每天5 g")
        )
    assert outcome.verdict == "hold"
    assert outcome.reasons[0].code == "REVIEWER_UNAVAILABLE"
