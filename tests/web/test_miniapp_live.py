"""Held answers released by a health manager appear live; offline drafts are sent once."""

from __future__ import annotations

from typing import Any

import httpx

from tests.web.conftest import Server, open_app, outbox, send, shot, stored


def test_a_held_answer_released_by_a_manager_appears_live(page: Any, held_server: Server) -> None:
    open_app(page, held_server)
    page.wait_for_selector("body[data-live='on']")
    send(page, "高血压患者每天吃多少盐合适？")
    held = page.locator(".bubble.assistant[data-held='true']")
    held.wait_for()
    assert "健康管理师正在核对" in held.inner_text()
    shot(page, "13-held")
    conversation_id = stored(page)["conversationId"]
    staff = held_server.manager()
    items = httpx.get(f"{held_server.base_url}/v1/review-queue", headers=staff, timeout=10).json()[
        "items"
    ]
    item = next(i for i in items if i["conversation"]["id"] == conversation_id)
    decided = httpx.post(
        f"{held_server.base_url}/v1/review-queue/{item['id']}/approve",
        json={},
        headers=staff,
        timeout=30,
    )
    assert decided.status_code == 200, decided.text
    released = page.locator(".bubble.assistant[data-message-id]").last
    page.wait_for_function(
        "id => document.querySelector('.bubble.assistant[data-message-id]:last-of-type')"
        "?.dataset.messageId === id",
        arg=decided.json()["message"]["id"],
    )
    assert item["draft"][:10] in released.inner_text()
    assert page.locator("[data-held='done']").count() == 1
    shot(page, "14-held-released")


def test_a_message_typed_offline_is_delivered_once_after_reconnect(
    page: Any, server: Server
) -> None:
    open_app(page, server)
    page.wait_for_selector("body[data-live='on']")
    page.context.set_offline(True)
    page.wait_for_selector("#banner[data-kind='offline']")
    send(page, "空腹血糖多少算正常？")
    bubble = page.locator(".bubble.patient").last
    assert "等待发送" in bubble.inner_text()
    queued = outbox(page)
    assert [i["content"] for i in queued] == ["空腹血糖多少算正常？"] and queued[0]["id"]
    shot(page, "15-offline-draft")
    page.context.set_offline(False)
    page.locator(".bubble.assistant[data-message-id]").last.wait_for()
    page.wait_for_selector("#banner", state="hidden")
    assert "等待发送" not in bubble.inner_text()
    shot(page, "16-offline-delivered")
    page.wait_for_timeout(1500)  # a second delivery would show up here
    messages = server.conversation(stored(page)["conversationId"])["messages"]
    patient = [m for m in messages if m["role"] == "patient"]
    assert [m["content"] for m in patient] == ["空腹血糖多少算正常？"]
    assert patient[0]["client_message_id"] == queued[0]["id"]
    assert outbox(page) == []
    assert page.locator(".bubble.assistant[data-message-id]").count() == 1


def test_a_managers_own_message_appears_live_as_the_managers(
    page: Any, held_server: Server
) -> None:
    open_app(page, held_server)
    page.wait_for_selector("body[data-live='on']")
    send(page, "高血压患者每天吃多少盐合适？")
    page.wait_for_selector(".bubble.assistant[data-held='true']")
    send(page, "空腹血糖多少算正常？")  # the patient moves on; the first draft is still held
    page.wait_for_function("document.querySelectorAll(`.bubble[data-held='true']`).length === 2")
    conversation_id = stored(page)["conversationId"]
    staff = held_server.manager()
    items = httpx.get(f"{held_server.base_url}/v1/review-queue", headers=staff, timeout=10).json()[
        "items"
    ]
    first = next(
        i
        for i in items
        if i["conversation"]["id"] == conversation_id and i["question"].startswith("高血压")
    )
    reply = "每天食盐不超过5克，做菜少放盐和酱油。"
    decided = httpx.post(
        f"{held_server.base_url}/v1/review-queue/{first['id']}/edit",
        json={"reply": reply},
        headers=staff,
        timeout=30,
    )
    assert decided.json()["delivery"] == "manager_message"
    manager = page.locator(".bubble.manager")
    manager.wait_for()
    assert reply in manager.inner_text() and "健康管理师" in manager.inner_text()
    assert page.locator("[data-held='done']").count() == 1, "only the answered one is checked"
    assert page.locator("[data-held='true']").count() == 1
    shot(page, "29-manager-message")
