"""A manager's release of a held draft (approve), an edited reply, or a rejection with a reply
of one's own passes the same deterministic output checks as any other reply: failing → 422
``reply_fails_checks`` with the reason codes, nothing delivered, the item still pending; an
explicit, audited override of a specific code releases it, never for a dose or prescription."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from agent.llm.base import ChatRequest, ChatResponse
from core.db.models import AuditEntry
from tests.api.conftest import new_conversation
from tests.api.test_review_queue import ScriptedReviewer, held_item, say
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import manager

WARFARIN_DOSE = "华法林每天吃3毫克，晚饭后服用。"


@pytest.fixture
async def api(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    reviewer = ScriptedReviewer(always="hold")
    async with running_app(make_settings(**backend_overrides), reviewer=reviewer) as client:
        yield client


class DosingModel:
    """A primary model that drafts a warfarin dose, whatever it is asked."""

    name = "dosing-model"

    async def complete(self, request: ChatRequest) -> ChatResponse:
        return ChatResponse(content=WARFARIN_DOSE, model=self.name)


async def _state(api: httpx.AsyncClient, cid: str, item_id: str) -> tuple[str, list[str]]:
    item = (await (await manager(api)).get(f"/v1/review-queue/{item_id}")).json()
    messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
    return item["status"], [m["role"] for m in messages]


async def _audit_actions(api: httpx.AsyncClient, item_id: str) -> list[AuditEntry]:
    container = api.app.state.container  # type: ignore[attr-defined]
    async with container.sessions() as session:
        query = select(AuditEntry).where(AuditEntry.entity_id == item_id)
        return list(await session.scalars(query))


def _codes(response: httpx.Response) -> set[str]:
    return {r["code"] for r in response.json()["error"]["details"]["reasons"]}


async def test_an_edit_with_a_dose_is_refused_and_nothing_is_delivered(
    api: httpx.AsyncClient,
) -> None:
    cid, item = await held_item(api)
    mgr = await manager(api)
    url = f"/v1/review-queue/{item['id']}/edit"
    refused = await mgr.post(url, json={"reply": WARFARIN_DOSE})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "reply_fails_checks" and error["field"] == "reply"
    assert "DOSING" in _codes(refused)
    assert "DOSING" not in error["details"]["overridable"]
    assert await _state(api, cid, item["id"]) == ("pending", ["patient", "assistant"])
    overridden = await mgr.post(url, json={"reply": WARFARIN_DOSE, "override": ["DOSING"]})
    assert overridden.status_code == 422
    assert overridden.json()["error"]["code"] == "override_not_allowed"
    assert overridden.json()["error"]["details"] == {"codes": ["DOSING"]}
    assert await _state(api, cid, item["id"]) == ("pending", ["patient", "assistant"])
    assert [a.action for a in await _audit_actions(api, item["id"])] == ["turn_held"]
    # nothing was lost: a safe reply still goes out
    fine = await mgr.post(url, json={"reply": "请向您的医生咨询用药。"})
    assert fine.status_code == 200, fine.text
    assert await _state(api, cid, item["id"]) == (
        "edited",
        ["patient", "assistant", "assistant"],
    )


async def test_approving_a_draft_held_for_dosing_is_refused(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> None:
    settings = make_settings(**backend_overrides)
    async with running_app(settings, provider=DosingModel()) as api:
        cid = await new_conversation(api)
        mgr = await manager(api)
        turn = await say(api, cid, "我的华法林该吃多少？")
        assert turn["status"] == "held" and WARFARIN_DOSE not in turn["reply"]
        item = (await mgr.get("/v1/review-queue")).json()["items"][0]
        assert "DOSING" in {r["code"] for r in item["reasons"]}
        url = f"/v1/review-queue/{item['id']}/approve"
        for override in ([], ["UNSOURCED_NUMBER"]):
            refused = await mgr.post(url, json={"override": override})
            assert refused.status_code == 422, refused.text
            assert refused.json()["error"]["code"] == "reply_fails_checks"
            assert "DOSING" in _codes(refused)
        for code in ("PRESCRIPTION", "CONTROLLED_DRUG"):
            refused = await mgr.post(url, json={"override": [code]})
            assert refused.json()["error"]["code"] == "override_not_allowed"
        assert await _state(api, cid, item["id"]) == ("pending", ["patient", "assistant"])
        conversation = (await api.get(f"/v1/conversations/{cid}")).json()
        assert all(WARFARIN_DOSE not in m["content"] for m in conversation["messages"])


async def test_an_overridable_finding_is_released_only_when_named_and_audited(
    api: httpx.AsyncClient,
) -> None:
    cid, item = await held_item(api)
    mgr = await manager(api)
    url = f"/v1/review-queue/{item['id']}/edit"
    body: dict[str, Any] = {"reply": "请每天走12345步。"}
    refused = await mgr.post(url, json=body)
    assert refused.status_code == 422
    assert _codes(refused) == {"UNSOURCED_NUMBER"}
    assert refused.json()["error"]["details"]["overridable"] == ["UNSOURCED_NUMBER"]
    wrong = await mgr.post(url, json={**body, "override": ["GUARANTEE"]})
    assert wrong.status_code == 422 and _codes(wrong) == {"UNSOURCED_NUMBER"}
    released = await mgr.post(url, json={**body, "override": ["UNSOURCED_NUMBER"]})
    assert released.status_code == 200, released.text
    assert released.json()["message"]["content"] == "请每天走12345步。"
    (entry,) = [a for a in await _audit_actions(api, item["id"]) if a.action == "review_edited"]
    assert [r["code"] for r in entry.details["overridden"]] == ["UNSOURCED_NUMBER"]
    assert await _state(api, cid, item["id"]) == (
        "edited",
        ["patient", "assistant", "assistant"],
    )


async def test_a_rejection_with_a_reply_of_its_own_is_checked_too(
    api: httpx.AsyncClient,
) -> None:
    cid, item = await held_item(api)
    mgr = await manager(api)
    url = f"/v1/review-queue/{item['id']}/reject"
    refused = await mgr.post(url, json={"reply": "放心，保证全额报销。"})
    assert refused.status_code == 422 and _codes(refused) == {"GUARANTEE"}
    assert await _state(api, cid, item["id"]) == ("pending", ["patient", "assistant"])
    standard = await mgr.post(url, json={})
    assert standard.status_code == 200


async def test_after_the_patient_moved_on_the_manager_message_is_checked_with_the_turn(
    api: httpx.AsyncClient,
) -> None:
    """The held turn's evidence is found in the thread's history: its figures stay sourced."""
    cid, first = await held_item(api)
    mgr = await manager(api)
    await say(api, cid, "你好")
    url = f"/v1/review-queue/{first['id']}"
    refused = await mgr.post(f"{url}/edit", json={"reply": WARFARIN_DOSE})
    assert refused.status_code == 422 and "DOSING" in _codes(refused)
    assert (await mgr.get(url)).json()["status"] == "pending"
    approved = await mgr.post(f"{url}/approve", json={})
    assert approved.status_code == 200, approved.text
    assert approved.json()["delivery"] == "manager_message"
    assert approved.json()["message"]["content"] == first["draft"]
