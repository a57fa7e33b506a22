"""Tenant policy through the API: versioned, validated, and in force for the next turn."""

from __future__ import annotations

import httpx

from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import tenant_headers

NEW_ZH = "本AI助手由新示例保险提供，回答仅供健康教育参考。"
NEW_EN = "This AI assistant is provided by New Sample Insurer; health education only."
SALT = "高血压患者每天吃多少盐合适？"


async def _turn(api: httpx.AsyncClient, headers: dict[str, str], text: str) -> dict[str, object]:
    cid = (await api.post("/v1/conversations", json={}, headers=headers)).json()["id"]
    response = await api.post(
        f"/v1/conversations/{cid}/messages", json={"content": text}, headers=headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_new_policy_version_applies_to_the_next_turn(
    make_settings: SettingsFactory,
) -> None:
    async with running_app(make_settings()) as api:
        insurer = await tenant_headers(api, "insurer-demo")
        path = "/v1/tenants/insurer-demo/policy"
        shipped = (await api.get(path, headers=insurer)).json()
        assert shipped["source"] == "shipped" and shipped["version"] == 1
        before = await _turn(api, insurer, SALT)
        assert shipped["policy"]["disclosure"]["zh"] in str(before["reply"])

        bad_tool = {"enabled_tools": ["no_such_tool"]}
        refused = await api.put(path, json=bad_tool, headers=insurer)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "unknown_tool"
        no_ai = {"require_ai_disclosure": True, "disclosure": {"zh": "仅供参考", "en": "FYI"}}
        refused = await api.put(path, json=no_ai, headers=insurer)
        assert refused.json()["error"]["code"] == "invalid_tenant_policy"

        body = {
            "disclosure": {"zh": NEW_ZH, "en": NEW_EN},
            "require_ai_disclosure": True,
            "enabled_tools": ["triage_symptoms", "quote_insurance"],
            "banned_phrases": ["稳赚不赔"],
        }
        put = await api.put(path, json=body, headers=insurer)
        assert put.status_code == 200, put.text
        assert put.json()["version"] == 2 and put.json()["source"] == "api"
        assert put.json()["created_by"].startswith("key:")
        after = await _turn(api, insurer, SALT)
        assert NEW_ZH in str(after["reply"])
        assert shipped["policy"]["disclosure"]["zh"] not in str(after["reply"])
        versions = (await api.get(f"{path}/versions", headers=insurer)).json()
        assert [v["version"] for v in versions] == [2]
        # the default tenant is untouched by insurer-demo's policy
        mine = await _turn(api, dict(api.headers), SALT)
        assert NEW_ZH not in str(mine["reply"])
        refused = await api.get(path)  # default's key on insurer-demo's policy
        assert refused.status_code == 404


async def test_branding_name_and_quota_come_from_the_policy(make_settings: SettingsFactory) -> None:
    async with running_app(make_settings()) as api:
        assert (await api.get("/v1/auth/me")).json()["tenant_display_name"] == "Default tenant"
        body = {"display_name": "安心健康", "requests_per_minute": 4}
        put = await api.put("/v1/tenants/default/policy", json=body)
        assert put.status_code == 200, put.text  # request 1 (and 2 above) of the tenant's 4
        assert put.json()["display_name"] == "安心健康" and put.json()["requests_per_minute"] == 4
        me = await api.get("/v1/auth/me")  # 3
        assert me.json()["tenant_display_name"] == "安心健康"
        assert (await api.get("/v1/auth/me")).status_code == 200  # 4
        limited = await api.get("/v1/auth/me")
        assert limited.status_code == 429 and limited.headers["Retry-After"]
        assert limited.json()["error"]["details"]["limit_scope"] == "tenant"
        other = await tenant_headers(api, "insurer-demo")
        assert (await api.get("/v1/auth/me", headers=other)).status_code == 200
