"""Bad input: a 4xx with a machine-readable body, never a 500, and nothing stored."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import new_conversation


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "content"),
        ({"content": ""}, "content"),
        ({"content": 42}, "content"),
        ({"content": "hi", "surprise": 1}, "surprise"),
        ({"content": "hi", "client_message_id": ""}, "client_message_id"),
    ],
)
async def test_malformed_message_bodies(
    client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    cid = await new_conversation(client)
    response = await client.post(f"/v1/conversations/{cid}/messages", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in error["field"]
    messages = (await client.get(f"/v1/conversations/{cid}")).json()["messages"]
    assert messages == []


async def test_non_json_body(client: httpx.AsyncClient) -> None:
    cid = await new_conversation(client)
    response = await client.post(
        f"/v1/conversations/{cid}/messages",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


async def test_unknown_conversation(client: httpx.AsyncClient) -> None:
    for response in (
        await client.post("/v1/conversations/nope/messages", json={"content": "hi"}),
        await client.get("/v1/conversations/nope"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "conversation_not_found"


async def test_a_tenant_in_the_body_is_not_trusted(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/conversations", json={"tenant_id": "insurer-demo"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_tenant"
    mine = await client.post("/v1/conversations", json={"tenant_id": "default"})
    assert mine.status_code == 201 and mine.json()["tenant_id"] == "default"
    response = await client.post("/v1/conversations", json={"tenant_id": "Bad Tenant!"})
    assert response.status_code == 422


async def test_too_long_message_is_refused_in_the_users_language(
    client: httpx.AsyncClient,
) -> None:
    cid = await new_conversation(client)
    response = await client.post(
        f"/v1/conversations/{cid}/messages",
        json={"content": "血" * 4001},
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "message_too_long" and "消息过长" in error["message"]
    assert (await client.get(f"/v1/conversations/{cid}")).json()["messages"] == []


async def test_knowledge_search_validation(client: httpx.AsyncClient) -> None:
    ok = await client.get("/v1/knowledge/search", params={"q": "每天吃多少盐", "k": 3})
    assert ok.status_code == 200
    passages = ok.json()["passages"]
    assert 1 <= len(passages) <= 3
    assert {"doc_id", "title", "source", "year", "section", "text", "score"} <= passages[0].keys()
    for params in ({"q": "盐", "k": 0}, {"k": 3}, {"q": "盐", "language": "fr"}):
        response = await client.get("/v1/knowledge/search", params=params)
        assert response.status_code == 422, params
    response = await client.get("/v1/knowledge/search", params={"q": "   "})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "empty_query"


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    assert (await client.get("/openapi.json")).json()["info"]["title"]
