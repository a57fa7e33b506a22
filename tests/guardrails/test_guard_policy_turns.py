"""Tenant policies applied in whole turns: two tenants at once, neither affects the other."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import tenant_headers

INSURER = "本AI助手由示例保险提供，回答仅供健康教育参考。"
PLAN = "我要做透析，费用10万元，医保报60%，月收入5000，能分期吗？"
SALT = "高血压患者每天吃多少盐合适？"


async def _turn(client: httpx.AsyncClient, tenant: str, text: str) -> dict[str, Any]:
    key = await tenant_headers(client, tenant)  # the tenant is the caller's key's
    created = await client.post("/v1/conversations", json={}, headers=key)
    cid = created.json()["id"]
    response = await client.post(
        f"/v1/conversations/{cid}/messages", json={"content": text}, headers=key
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_two_tenants_concurrently_each_under_its_own_policy(
    make_settings: SettingsFactory,
) -> None:
    async with running_app(make_settings()) as client:
        turns = await asyncio.gather(
            *[
                _turn(client, tenant, text)
                for _ in range(2)
                for tenant in ("insurer-demo", "default")
                for text in (SALT, PLAN)
            ]
        )
    for index, turn in enumerate(turns):
        tenant = ("insurer-demo", "default")[index // 2 % 2]
        text = (SALT, PLAN)[index % 2]
        tools = [c["name"] for c in turn["tool_calls"]]
        if tenant == "insurer-demo":
            assert turn["reply"].endswith(INSURER), turn["reply"]
            assert turn["reply"].count(INSURER) == 1
            assert tools == []  # no payment plans in the insurer's app
        else:
            assert INSURER not in turn["reply"] and "示例保险" not in turn["reply"]
            assert tools == (["compute_payment_plans"] if text == PLAN else [])
        assert turn["status"] == "completed", turn["review"]
        assert turn["review"]["verdict"] == "approve", turn["review"]


async def test_english_turn_gets_the_english_wording(make_settings: SettingsFactory) -> None:
    async with running_app(make_settings()) as client:
        turn = await _turn(client, "insurer-demo", "How much salt should I eat per day?")
    assert turn["language"] == "en"
    assert turn["reply"].endswith(
        "This AI assistant is provided by Sample Insurer; answers are health education only."
    )
