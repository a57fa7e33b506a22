"""The review queue: held drafts listed per tenant, approved / edited / rejected by a manager,
the paused turn resumed (or, when the patient moved on, answered by a manager message)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from agent.llm.base import ReviewOutcome, ReviewRequest
from agent.nodes.human import REJECTED_REPLY
from core.db.models import AuditEntry
from core.schemas import ReviewReason, Verdict
from tests.api.conftest import new_conversation
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import manager

QUESTION = "高血压患者每天吃多少盐合适？"


@dataclass
class ScriptedReviewer:
    """A reviewing model that answers from a script, then approves; records every request."""

    script: list[Verdict] = field(default_factory=list)
    always: Verdict | None = None
    requests: list[ReviewRequest] = field(default_factory=list)
    name: str = "scripted-reviewer"

    async def review(self, request: ReviewRequest) -> ReviewOutcome:
        self.requests.append(request)
        verdict = self.always or (self.script.pop(0) if self.script else "approve")
        reasons = [] if verdict == "approve" else [ReviewReason(code="TONE", message="scripted")]
        return ReviewOutcome(verdict=verdict, reasons=reasons, reviewer=self.name)


@pytest.fixture
def reviewer() -> ScriptedReviewer:
    return ScriptedReviewer(always="hold")


@pytest.fixture
async def api(
    make_settings: SettingsFactory,
    backend_overrides: dict[str, str],
    reviewer: ScriptedReviewer,
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(**backend_overrides), reviewer=reviewer) as client:
        yield client


async def say(client: httpx.AsyncClient, cid: str, text: str, **extra: object) -> dict[str, Any]:
    response = await client.post(
        f"/v1/conversations/{cid}/messages", json={"content": text, **extra}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def held_item(client: httpx.AsyncClient, text: str = QUESTION) -> tuple[str, dict[str, Any]]:
    """A new conversation whose first turn is held; returns (conversation id, queue item)."""
    cid = await new_conversation(client)
    turn = await say(client, cid, text)
    assert turn["status"] == "held"
    items = (await (await manager(client)).get("/v1/review-queue")).json()["items"]
    return cid, next(i for i in items if i["conversation"]["id"] == cid)


async def test_held_turn_is_listed_then_approved_and_the_turn_resumes(
    api: httpx.AsyncClient,
) -> None:
    cid, item = await held_item(api)
    assert item["status"] == "pending"
    assert item["question"] == QUESTION
    assert "5" in str(item["draft"]) and item["created_at"]
    assert {r["code"] for r in item["reasons"]} == {"TONE"}
    response = await (await manager(api)).post(
        f"/v1/review-queue/{item['id']}/approve", json={"manager": "li"}
    )
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["delivery"] == "resumed"
    assert (
        decision["item"]["status"] == "approved"
        and decision["item"]["decided_by"] == (await manager(api)).username
    )
    assert decision["item"]["final_reply"] == item["draft"]
    assert decision["result"]["status"] == "completed"
    assert decision["result"]["review"]["reviewer"] == f"human:{(await manager(api)).username}"
    assert decision["result"]["citations"], "the approved turn keeps its citations"
    messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
    assert [m["role"] for m in messages] == ["patient", "assistant", "assistant"]
    assert messages[1]["turn_status"] == "superseded"
    assert (
        messages[2]["content"] == item["draft"] and messages[2]["id"] == decision["message"]["id"]
    )
    assert messages[0]["turn_status"] == "completed"
    assert messages[0]["result"]["message_id"] == messages[2]["id"]
    assert (await (await manager(api)).get("/v1/review-queue")).json()["items"] == []
    decided = (
        await (await manager(api)).get("/v1/review-queue", params={"status": "decided"})
    ).json()["items"]
    assert [d["id"] for d in decided] == [item["id"]]


async def test_deciding_twice_is_a_conflict(api: httpx.AsyncClient) -> None:
    _, item = await held_item(api)
    first = await (await manager(api)).post(
        f"/v1/review-queue/{item['id']}/approve", json={"manager": "li"}
    )
    assert first.status_code == 200
    for action, body in [("approve", {}), ("edit", {"reply": "x"}), ("reject", {})]:
        again = await (await manager(api)).post(
            f"/v1/review-queue/{item['id']}/{action}", json={"manager": "wang", **body}
        )
        assert again.status_code == 409
        error = again.json()["error"]
        assert error["code"] == "review_item_decided"
        assert "already decided" in error["message"]
        assert error["details"] == {
            "status": "approved",
            "decided_by": (await manager(api)).username,
        }


async def test_edit_sends_the_managers_reply(api: httpx.AsyncClient) -> None:
    cid, item = await held_item(api)
    reply = "每天食盐建议不超过5克，具体请以医生建议为准。"
    response = await (await manager(api)).post(
        f"/v1/review-queue/{item['id']}/edit", json={"manager": "li", "reply": f"  {reply} "}
    )
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["result"]["reply"] == reply
    assert decision["item"]["status"] == "edited" and decision["item"]["final_reply"] == reply
    messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
    assert messages[-1]["role"] == "assistant" and messages[-1]["content"] == reply


@pytest.mark.parametrize("reply", [None, "请明天上午来门诊，我们当面聊。"])
async def test_reject_with_or_without_a_reply(api: httpx.AsyncClient, reply: str | None) -> None:
    _, item = await held_item(api)
    body = {"manager": "li"} | ({"reply": reply} if reply else {})
    decision = (
        await (await manager(api)).post(f"/v1/review-queue/{item['id']}/reject", json=body)
    ).json()
    expected = reply or REJECTED_REPLY["zh"]
    assert decision["result"]["reply"] == expected
    assert decision["result"]["cards"] == []
    assert decision["item"]["status"] == "rejected"
    assert item["draft"] not in decision["message"]["content"]


async def test_other_tenants_and_unknown_items_are_not_found(api: httpx.AsyncClient) -> None:
    _, item = await held_item(api)
    other = await manager(api, "insurer-demo")
    assert (await other.get("/v1/review-queue")).json()["items"] == []
    for method, path, body in [
        ("GET", f"/v1/review-queue/{item['id']}", None),
        ("POST", f"/v1/review-queue/{item['id']}/approve", {"manager": "x"}),
        ("POST", f"/v1/review-queue/{item['id']}/label", {"manager": "x", "root_cause": "data"}),
        ("POST", "/v1/review-queue/nope/approve", {"manager": "x"}),
    ]:
        caller = other if "nope" not in path else await manager(api)
        response = await caller.request(method, path, json=body)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["error"]["code"] == "review_item_not_found"
    claimed = await other.get("/v1/review-queue", headers={"X-Tenant-ID": "default"})
    assert claimed.json()["items"] == []  # the header is not trusted any more
    still = (await (await manager(api)).get(f"/v1/review-queue/{item['id']}")).json()
    assert still["status"] == "pending"


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("approve", {"manager": ""}, "manager"),
        ("approve", {"manager": "li", "reply": "x"}, "reply"),
        ("edit", {"manager": "li"}, "reply"),
        ("edit", {"manager": "li", "reply": "   "}, "reply"),
        ("reject", {"manager": "li", "reply": "x" * 8001}, "reply"),
        ("label", {"manager": "li", "root_cause": "bad-luck"}, "root_cause"),
    ],
)
async def test_bad_decisions_are_422_and_change_nothing(
    api: httpx.AsyncClient, action: str, body: dict[str, object], field: str
) -> None:
    cid, item = await held_item(api)
    response = await (await manager(api)).post(f"/v1/review-queue/{item['id']}/{action}", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and field in error["field"]
    assert (await (await manager(api)).get(f"/v1/review-queue/{item['id']}")).json()[
        "status"
    ] == "pending"
    messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
    assert len(messages) == 2


async def test_a_patient_who_moved_on_gets_a_manager_message(api: httpx.AsyncClient) -> None:
    cid, first = await held_item(api)
    second_turn = await say(api, cid, "你好")  # the thread moves on (and is held again)
    queue = (await (await manager(api)).get("/v1/review-queue")).json()["items"]
    second = next(i for i in queue if i["id"] != first["id"] and i["conversation"]["id"] == cid)
    response = await (await manager(api)).post(
        f"/v1/review-queue/{first['id']}/edit", json={"manager": "li", "reply": "少吃盐。"}
    )
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["delivery"] == "manager_message" and decision["result"] is None
    assert decision["message"]["role"] == "manager" and decision["message"]["content"] == "少吃盐。"
    # the later turn is still paused and resumes normally
    later = (
        await (await manager(api)).post(
            f"/v1/review-queue/{second['id']}/approve", json={"manager": "li"}
        )
    ).json()
    assert later["delivery"] == "resumed"
    assert later["result"]["message_id"] != second_turn["message_id"]
    roles = [m["role"] for m in (await api.get(f"/v1/conversations/{cid}")).json()["messages"]]
    assert roles == ["patient", "assistant", "patient", "assistant", "manager", "assistant"]


async def test_resubmitting_a_decided_turn_returns_the_final_reply(api: httpx.AsyncClient) -> None:
    cid = await new_conversation(api)
    held = await say(api, cid, QUESTION, client_message_id="m-1")
    items = (await (await manager(api)).get("/v1/review-queue")).json()["items"]
    item = next(i for i in items if i["conversation"]["id"] == cid)
    await (await manager(api)).post(
        f"/v1/review-queue/{item['id']}/approve", json={"manager": "li"}
    )
    again = await say(api, cid, QUESTION, client_message_id="m-1")
    assert again["status"] == "completed" and again["reply"] == item["draft"]
    assert again["message_id"] != held["message_id"]


async def test_decisions_are_audited_and_published(api: httpx.AsyncClient) -> None:
    cid, item = await held_item(api)
    container = api.app.state.container  # type: ignore[attr-defined]
    received: list[dict[str, object]] = []

    async def listen() -> None:
        async for event in container.coordinator.subscribe("tenant:default"):
            received.append(event)
            if event["kind"] == "review_decided":
                return

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    await (await manager(api)).post(
        f"/v1/review-queue/{item['id']}/reject", json={"manager": "zhao"}
    )
    await asyncio.wait_for(listener, 5)
    event = received[-1]
    assert event["kind"] == "review_decided" and event["review_item_id"] == item["id"]
    assert event["action"] == "reject" and event["conversation_id"] == cid
    async with container.sessions() as session:
        rows = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.entity_id == item["id"]))
        )
    username = (await manager(api)).username
    assert ("review_rejected", f"manager:{username}") in {(r.action, r.actor) for r in rows}
    decided = next(r for r in rows if r.action == "review_rejected")
    assert decided.principal == f"manager:{username}@default"  # the body's "zhao" is ignored
