"""The console's API: the live board, its event stream, and two managers racing on one item."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import new_conversation
from tests.api.test_review_queue import ScriptedReviewer, held_item, say
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import manager, staff_client

EMERGENCY = "我爸胸口剧痛，出冷汗，喘不上气"


@pytest.fixture
async def api(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(**backend_overrides)) as client:
        yield client


async def board(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get("/v1/console/board")
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


async def test_an_emergency_tops_the_board_with_its_flag(api: httpx.AsyncClient) -> None:
    calm = await new_conversation(api, patient_ref="calm-1")
    await say(api, calm, "高血压患者每天吃多少盐合适？")
    urgent = await new_conversation(api, patient_ref="urgent-1")
    await say(api, urgent, EMERGENCY)
    rows = await board(await manager(api))
    assert [r["conversation_id"] for r in rows[:2]] == [urgent, calm]
    top = rows[0]
    assert top["risk_level"] == "emergency" and top["flags"] == ["emergency"]
    assert top["patient_ref"] == "urgent-1" and top["last_role"] == "assistant"
    assert top["unread"] == 0 and top["waiting_s"] == 0
    assert rows[1]["flags"] == [] and rows[1]["urgency"] < top["urgency"]


async def test_the_auditor_reads_the_board_and_a_patient_cannot(api: httpx.AsyncClient) -> None:
    cid = await new_conversation(api, patient_ref="p-aud")
    await say(api, cid, "你好")
    assert [r["conversation_id"] for r in await board(await staff_client(api, "auditor"))] == [cid]
    assert (await api.get("/v1/console/board")).status_code == 403  # a tenant key: staff only


async def test_other_tenants_conversations_are_not_on_the_board(api: httpx.AsyncClient) -> None:
    cid = await new_conversation(api, patient_ref="p-a")
    await say(api, cid, "你好")
    assert await board(await manager(api, "insurer-demo")) == []


def events_of(text: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for block in text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            found.append((lines["event"], json.loads(lines["data"])))
    return found


async def test_the_event_stream_carries_the_tenants_events(
    make_settings: SettingsFactory,
) -> None:
    async with running_app(make_settings(console_stream_s=1.5)) as api:
        staff = await manager(api)
        container = api.app.state.container  # type: ignore[attr-defined]

        async def publish_soon() -> None:
            await asyncio.sleep(0.3)
            await container.coordinator.publish(
                "tenant:default", {"kind": "turn", "tenant_id": "default", "escalated": True}
            )
            await container.coordinator.publish(
                "tenant:insurer-demo", {"kind": "turn", "tenant_id": "insurer-demo"}
            )

        publisher = asyncio.create_task(publish_soon())
        response = await staff.get("/v1/console/events")
        await publisher
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.text.startswith("retry: ")
        events = events_of(response.text)
        assert [kind for kind, _ in events] == ["ready", "turn"]
        assert events[1][1]["escalated"] is True


async def test_two_managers_on_one_held_item_exactly_one_decision_wins(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> None:
    reviewer = ScriptedReviewer(always="hold")
    async with running_app(make_settings(**backend_overrides), reviewer=reviewer) as api:
        cid, item = await held_item(api)
        assert "held_answer" in (await board(await manager(api)))[0]["flags"]
        first, second = await staff_client(api, slot="a"), await staff_client(api, slot="b")
        url = f"/v1/review-queue/{item['id']}"
        answers = await asyncio.gather(
            first.post(f"{url}/approve", json={}),
            second.post(f"{url}/edit", json={"reply": "请以医生的建议为准。"}),
        )
        codes = sorted(r.status_code for r in answers)
        assert codes == [200, 409], [r.text for r in answers]
        won = next(r for r in answers if r.status_code == 200).json()
        lost = next(r for r in answers if r.status_code == 409).json()["error"]
        winner = first if won["item"]["status"] == "approved" else second
        assert lost["code"] == "review_item_decided"
        assert lost["details"]["decided_by"] == winner.username  # type: ignore[attr-defined]
        messages = (await api.get(f"/v1/conversations/{cid}")).json()["messages"]
        assert [m["content"] for m in messages].count(won["item"]["final_reply"]) == 1
        assert "held_answer" not in (await board(await manager(api)))[0]["flags"]


async def test_the_learning_count_follows_the_labels(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> None:
    reviewer = ScriptedReviewer(always="hold")
    async with running_app(make_settings(**backend_overrides), reviewer=reviewer) as api:
        staff = await manager(api)
        assert (await staff.get("/v1/console/learning")).json() == {"labelled_cases": 0}
        _, item = await held_item(api)
        assert (await staff.post(f"/v1/review-queue/{item['id']}/approve", json={})).is_success
        labelled = await staff.post(
            f"/v1/review-queue/{item['id']}/label", json={"root_cause": "rule", "notes": "x"}
        )
        assert labelled.status_code == 200, labelled.text
        assert (await staff.get("/v1/console/learning")).json() == {"labelled_cases": 1}
        other = await manager(api, "insurer-demo")
        assert (await other.get("/v1/console/learning")).json() == {"labelled_cases": 0}


async def test_todays_quality_numbers(
    make_settings: SettingsFactory, backend_overrides: dict[str, str]
) -> None:
    reviewer = ScriptedReviewer(script=["hold", "hold"])
    async with running_app(make_settings(**backend_overrides), reviewer=reviewer) as api:
        _, first = await held_item(api)
        _, second = await held_item(api)
        cid = await new_conversation(api)
        await say(api, cid, EMERGENCY)
        staff = await manager(api)
        assert (await staff.post(f"/v1/review-queue/{first['id']}/approve", json={})).is_success
        edit = {"reply": "请以医生的建议为准。"}
        assert (await staff.post(f"/v1/review-queue/{second['id']}/edit", json=edit)).is_success
        label = {"root_cause": "data", "notes": ""}
        assert (await staff.post(f"/v1/review-queue/{second['id']}/label", json=label)).is_success
        quality = (await (await staff_client(api, "auditor")).get("/v1/console/quality")).json()
        assert quality["turns"] == 3 and sum(quality["turns_by_hour"]) == 3
        assert quality["escalations"] == 1
        assert quality["held"] == 2 and quality["decided"] == 2
        assert quality["approval_rate"] == 0.5
        assert quality["median_decision_s"] >= 0
        assert quality["labels_by_cause"] == {"data": 1}
        other = (await (await manager(api, "insurer-demo")).get("/v1/console/quality")).json()
        assert other["turns"] == 0 and other["approval_rate"] is None


async def test_care_plan_templates_name_each_tasks_owner(api: httpx.AsyncClient) -> None:
    response = await (await staff_client(api, "auditor")).get("/v1/console/care-plan-templates")
    assert response.status_code == 200, response.text
    templates = {t["id"]: t for t in response.json()}
    weight = templates["weight_management"]
    assert set(weight["care_team"]) == {"doctor", "dietitian", "health_manager"}
    assert {task["owner_role"] for task in weight["tasks"]} <= set(weight["care_team"])
    assert weight["title"]["zh"] and weight["title"]["en"]
    assert (await api.get("/v1/console/care-plan-templates")).status_code == 403
