"""Whole turns through the app with the primary model on a scripted OpenAI-compatible server."""

from __future__ import annotations

import httpx

from tests.conftest import SettingsFactory, running_app
from tests.helpers.scripted_openai import Step, scripted_openai_server


async def _turn(client: httpx.AsyncClient, text: str) -> dict[str, object]:
    cid = (await client.post("/v1/conversations", json={})).json()["id"]
    response = await client.post(f"/v1/conversations/{cid}/messages", json={"content": text})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_tool_call_round_trip_over_streaming(make_settings: SettingsFactory) -> None:
    args = {"total_cost": 100000, "insurance_coverage_ratio": 0.6, "monthly_income": 5000}
    steps = [
        Step(tool_call=("compute_payment_plans", args)),
        Step(text="分期方案见下方卡片，每个方案都列出了年化利率和总成本。"),
    ]
    with scripted_openai_server(steps) as server:
        settings = make_settings(llm_provider="openai", llm_base_url=server.base_url)
        async with running_app(settings) as client:
            turn = await _turn(client, "透析10万，医保报60%，月收入5000，怎么分期？")
    assert [c["name"] for c in turn["tool_calls"]] == ["compute_payment_plans"]  # type: ignore[index]
    assert turn["cards"][0]["type"] == "payment_plan"  # type: ignore[index]
    assert len(server.requests) == 2 and all(r["stream"] for r in server.requests)
    tool_message = server.requests[1]["messages"][-1]
    assert tool_message["role"] == "tool" and "apr" in tool_message["content"]


async def test_one_5xx_then_success(make_settings: SettingsFactory) -> None:
    steps = [Step(status=502), Step(text="您好，我是AI健康管理助手，请问有什么可以帮您？")]
    with scripted_openai_server(steps) as server:
        settings = make_settings(llm_provider="openai", llm_base_url=server.base_url)
        async with running_app(settings) as client:
            turn = await _turn(client, "你好")
    assert turn["status"] == "completed"
    assert "AI健康管理助手" in str(turn["reply"])
    assert len(server.requests) == 2


async def test_timeout_gives_fallback_and_holds_for_a_human(
    make_settings: SettingsFactory,
) -> None:
    steps = [Step(text="too late", delay_s=1.5)] * 2
    with scripted_openai_server(steps) as server:
        settings = make_settings(
            llm_provider="openai",
            llm_base_url=server.base_url,
            llm_timeout_s=0.3,
            llm_max_retries=1,
        )
        async with running_app(settings) as client:
            turn = await _turn(client, "糖尿病患者能吃水果吗？")
    assert turn["status"] == "held"
    assert "健康管理师" in str(turn["reply"])
    review = turn["review"]
    assert review["verdict"] == "hold"  # type: ignore[index]
    assert "PROVIDER_UNAVAILABLE" in [r["code"] for r in review["reasons"]]  # type: ignore[index]
