"""Fault suite: a misbehaving primary model or reviewer (500, hang, malformed body, unsafe
draft). Each case asserts what the patient receives and what is stored; an emergency is
answered whatever the model does."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import staff_headers
from tests.helpers.scripted_openai import Step, scripted_openai_server

QUESTION = "糖尿病患者能吃水果吗？"
EMERGENCY = "我胸口剧痛，出了一身冷汗，喘不上气"
FAST_FAIL = {"llm_timeout_s": 0.3, "llm_max_retries": 1}


async def _turn(api: httpx.AsyncClient, text: str) -> tuple[str, dict[str, Any]]:
    cid = (await api.post("/v1/conversations", json={})).json()["id"]
    response = await api.post(f"/v1/conversations/{cid}/messages", json={"content": text})
    assert response.status_code == 200, response.text
    return cid, dict(response.json())


async def _stored(api: httpx.AsyncClient, cid: str) -> tuple[list[tuple[str, Any]], list[Any]]:
    messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
    staff = await staff_headers(api, "manager")
    queue = (await api.get("/v1/review-queue", headers=staff)).json()["items"]
    return [(m["role"], m["turn_status"]) for m in messages], [
        i for i in queue if i["conversation"]["id"] == cid
    ]


FAULTS = {
    "500": [Step(status=500)] * 4,
    "hang": [Step(text="too late", delay_s=1.5)] * 4,
    "malformed": [Step(raw="{not json")] * 4,
    "empty": [Step(raw='{"choices": []}')] * 4,
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_a_failing_model_gives_a_safe_holding_reply_and_a_held_item(
    make_settings: SettingsFactory, fault: str
) -> None:
    with scripted_openai_server(list(FAULTS[fault])) as server:
        settings = make_settings(llm_provider="openai", llm_base_url=server.base_url, **FAST_FAIL)
        async with running_app(settings) as api:
            cid, turn = await _turn(api, QUESTION)
            assert turn["status"] == "held"
            assert "健康管理师" in turn["reply"]  # told a human will answer
            codes = {r["code"] for r in turn["review"]["reasons"]}
            assert "PROVIDER_UNAVAILABLE" in codes
            roles, items = await _stored(api, cid)
            assert roles == [("patient", "held"), ("assistant", None)]
            assert len(items) == 1 and items[0]["status"] == "pending"


async def test_an_unsafe_draft_is_never_shown_and_is_held(make_settings: SettingsFactory) -> None:
    dose = "华法林每天吃3毫克，晚饭后服用。"
    with scripted_openai_server([Step(text=dose)] * 4) as server:
        settings = make_settings(llm_provider="openai", llm_base_url=server.base_url)
        async with running_app(settings) as api:
            cid, turn = await _turn(api, "我的华法林该吃多少？")
            assert turn["status"] == "held" and dose not in turn["reply"]
            roles, items = await _stored(api, cid)
            assert roles == [("patient", "held"), ("assistant", None)]
            assert "DOSING" in {r["code"] for r in items[0]["reasons"]}
            messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
            assert all(dose not in m["content"] for m in messages)


REVIEWER_FAULTS = {
    "500": [Step(status=500)] * 4,
    "hang": [Step(text="{}", delay_s=1.5)] * 4,
    "malformed": [Step(text="I think it is fine, probably")] * 4,
}


@pytest.mark.parametrize("fault", sorted(REVIEWER_FAULTS))
async def test_a_failing_reviewer_never_approves(
    make_settings: SettingsFactory, fault: str
) -> None:
    with scripted_openai_server(list(REVIEWER_FAULTS[fault])) as server:
        settings = make_settings(
            reviewer_provider="openai", reviewer_base_url=server.base_url, **FAST_FAIL
        )
        async with running_app(settings) as api:
            cid, turn = await _turn(api, "高血压患者每天吃多少盐合适？")
            assert turn["status"] == "held" and turn["review"]["verdict"] == "hold"
            roles, items = await _stored(api, cid)
            assert roles == [("patient", "held"), ("assistant", None)]
            assert len(items) == 1


@pytest.mark.parametrize("who", ["primary", "reviewer"])
async def test_an_emergency_is_answered_whatever_the_models_do(
    make_settings: SettingsFactory, who: str
) -> None:
    with scripted_openai_server([Step(status=500)] * 8) as server:
        prefix = "llm" if who == "primary" else "reviewer"
        settings = make_settings(
            **{f"{prefix}_provider": "openai", f"{prefix}_base_url": server.base_url},
            **FAST_FAIL,
        )
        async with running_app(settings) as api:
            cid, turn = await _turn(api, EMERGENCY)
            assert turn["status"] == "completed" and turn["safety"]["escalated"] is True
            assert "120" in turn["reply"]
            roles, items = await _stored(api, cid)
            assert roles == [("patient", "completed"), ("assistant", None)] and items == []
