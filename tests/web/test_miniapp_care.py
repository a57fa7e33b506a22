"""Tasks ticked off, consents granted through a sheet and withdrawn, a reload keeps the
thread, and the page's accessibility basics (labels, live region, keyboard order)."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Server, open_app, send, shot, stored


def test_a_task_from_the_chat_is_ticked_off_with_its_streak(page: Any, server: Server) -> None:
    open_app(page, server)
    send(page, "每天早上8点提醒我量血压")
    task_card = page.locator(".bubble.assistant .card-task")
    task_card.wait_for()
    assert "测量血压" in task_card.inner_text()
    task_card.locator("button", has_text="完成").click()  # ticked off right in the chat
    page.wait_for_function(
        "document.querySelector('.bubble .card-task').innerText.includes('连续 1 天')"
    )
    shot(page, "22a-task-card-done")
    task_card.locator("button", has_text="任务").click()
    done = page.locator("#task-list .card-task button")
    done.wait_for()
    assert "连续 1 天" in page.inner_text("#task-list")
    done.click()  # again today: the streak stays 1 (one completion counts per day)
    page.wait_for_selector("#task-list .card-task button:text('已完成')")
    assert "连续 1 天" in page.inner_text("#task-list")
    shot(page, "22-tasks")
    tasks = server.get(f"/v1/patients/{stored(page)['patientId']}/tasks").json()
    assert [t["streak"]["current"] for t in tasks] == [1]


def test_consent_is_granted_through_a_sheet_and_withdrawn(page: Any, server: Server) -> None:
    open_app(page, server)
    page.click("[role=tab][data-view='consents']")
    card = page.locator(".card-consent[data-purpose='share_with_insurer']")
    card.wait_for()
    assert card.get_attribute("data-granted") == "false"
    card.locator("button").click()
    sheet = page.locator("dialog.sheet")
    assert "保险公司" in sheet.inner_text() and "基因" in sheet.inner_text()
    shot(page, "23-consent-sheet")
    sheet.locator("button").first.click()
    page.wait_for_selector(".card-consent[data-purpose='share_with_insurer'][data-granted='true']")
    url = f"/v1/patients/{stored(page)['patientId']}/consents"
    assert server.get(url).json()["consented_purposes"] == ["share_with_insurer"]
    shot(page, "24-consent-granted")
    page.locator(".card-consent[data-purpose='share_with_insurer'] button").click()
    page.wait_for_selector(".card-consent[data-purpose='share_with_insurer'][data-granted='false']")
    state = server.get(url).json()
    assert state["consented_purposes"] == []
    assert [h["granted"] for h in state["history"]] == [True, False]


def test_a_reload_shows_the_same_thread(page: Any, server: Server) -> None:
    open_app(page, server)
    send(page, "高血压患者每天吃多少盐合适？")
    page.locator(".bubble.assistant[data-message-id]").last.wait_for()
    before = stored(page)["conversationId"]
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    assert stored(page)["conversationId"] == before
    assert page.locator(".bubble.patient").count() == 1
    assert page.locator(".bubble.assistant[data-message-id] button.cite").count() >= 1


def test_accessibility_basics(page: Any, server: Server) -> None:
    open_app(page, server)
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input, select, textarea, button')]
           .filter(e => e.offsetParent !== null)
           .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                        && !e.textContent.trim())
           .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert unlabelled == []
    assert page.get_attribute("#messages", "aria-live") == "polite"
    assert page.get_attribute("#messages", "role") == "log"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    order = []
    for _ in range(16):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent")
        )
    assert order.index("elder-toggle") < order.index("tab-chat") < order.index("message-input")
    assert order.index("message-input") < order.index("发送")


def test_tabs_work_from_the_keyboard(page: Any, server: Server) -> None:
    open_app(page, server)
    page.focus("#tab-chat")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-records"
    assert page.get_attribute("#tab-records", "aria-selected") == "true"
    assert page.is_visible("#reading-form") and page.is_hidden("#composer")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.id") == "tab-consents"
    assert page.get_attribute("#view-consents", "aria-labelledby") == "tab-consents"
