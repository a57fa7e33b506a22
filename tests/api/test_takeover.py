"""Takeover: the agent stops answering while a manager has the conversation (emergencies
excepted), the manager's messages reach the thread, hand-back restores the agent; audited."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select

from core.db.models import AuditEntry
from tests.api.conftest import new_conversation
from tests.api.test_review_queue import say
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import manager, staff_client


@pytest.fixture
async def api(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(**backend_overrides)) as client:
        yield client


async def test_takeover_manager_reply_and_hand_back(api: httpx.AsyncClient) -> None:
    cid = await new_conversation(api, patient_ref="tk-1")
    staff = await manager(api)
    taken = await staff.post(f"/v1/conversations/{cid}/takeover")
    assert taken.status_code == 200, taken.text
    assert taken.json()["taken_over_by"] == staff.username  # type: ignore[attr-defined]
    assert "健康管理师" in taken.json()["message"]["content"]
    again = await staff.post(f"/v1/conversations/{cid}/takeover")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conversation_taken_over"

    turn = await say(api, cid, "高血压患者每天吃多少盐合适？")
    assert turn["status"] == "held" and turn["review"]["reasons"][0]["code"] == "MANAGER_TAKEOVER"
    assert not turn["citations"], "the agent did not answer"
    sent = await staff.post(
        f"/v1/conversations/{cid}/manager-messages", json={"content": "每天不超过5克盐。"}
    )
    assert sent.status_code == 201, sent.text
    emergency = await say(api, cid, "我胸口剧痛出冷汗")
    assert emergency["safety"]["escalated"] is True and "120" in emergency["reply"]

    back = await staff.post(f"/v1/conversations/{cid}/handback")
    assert back.status_code == 200 and back.json()["taken_over_by"] is None
    # the emergency stays first until the patient says it is handled
    reminder = await say(api, cid, "高血压患者每天吃多少盐合适？")
    assert reminder["reply"].startswith("关于刚才的紧急情况")
    await say(api, cid, "已经到医院了，医生看过了")
    turn = await say(api, cid, "高血压患者每天吃多少盐合适？")
    assert turn["status"] == "completed" and turn["citations"]

    detail = (await api.get(f"/v1/conversations/{cid}")).json()
    assert detail["taken_over_by"] is None
    roles = [m["role"] for m in detail["messages"]]
    assert roles.count("manager") == 3  # taken over, the reply, handed back
    async with api.app.state.container.sessions() as session:  # type: ignore[attr-defined]
        actions = list(
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_id == cid).order_by(AuditEntry.at)
            )
        )
    for step in (
        "conversation_taken_over",
        "conversation_manager_message",
        "conversation_handed_back",
    ):
        assert step in actions
    assert "message_to_manager" in actions


async def test_only_managers_take_over(api: httpx.AsyncClient) -> None:
    cid = await new_conversation(api)
    auditor = await staff_client(api, "auditor")
    refused = await auditor.post(f"/v1/conversations/{cid}/takeover")
    assert refused.status_code == 403
    assert (await api.post(f"/v1/conversations/{cid}/takeover")).status_code == 403
    other = await manager(api, "insurer-demo")
    assert (await other.post(f"/v1/conversations/{cid}/takeover")).status_code == 404
    handback = await (await manager(api)).post(f"/v1/conversations/{cid}/handback")
    assert handback.status_code == 409


async def test_a_managers_message_is_checked_first_and_the_hints_are_audited(
    api: httpx.AsyncClient,
) -> None:
    cid = await new_conversation(api, patient_ref="tk-hints")
    staff = await manager(api)
    assert (await staff.post(f"/v1/conversations/{cid}/takeover")).status_code == 200
    url = f"/v1/conversations/{cid}/manager-messages"
    dose = "华法林每天吃3毫克，晚饭后服用。"
    before = len((await api.get(f"/v1/conversations/{cid}")).json()["messages"])
    checked = await staff.post(f"{url}/check", json={"content": dose})
    assert checked.status_code == 200, checked.text
    assert "DOSING" in {h["code"] for h in checked.json()["hints"]}
    clean = await staff.post(
        f"{url}/check", json={"content": "请按医生的医嘱用药，有疑问联系医生。"}
    )
    assert clean.json() == {"hints": []}
    after = len((await api.get(f"/v1/conversations/{cid}")).json()["messages"])
    assert after == before  # checking stores nothing
    sent = await staff.post(url, json={"content": dose})  # the human answering may send anyway
    assert sent.status_code == 201 and "DOSING" in {h["code"] for h in sent.json()["hints"]}
    async with api.app.state.container.sessions() as session:  # type: ignore[attr-defined]
        [entry] = list(
            await session.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity_id == cid, AuditEntry.action == "conversation_manager_message"
                )
            )
        )
    assert "DOSING" in entry.details["sent_despite"]
    auditor = await staff_client(api, "auditor")
    assert (await auditor.post(f"{url}/check", json={"content": dose})).status_code == 403
    assert (await staff.post(f"{url}/check", json={"content": ""})).status_code == 422
