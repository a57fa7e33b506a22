"""The review queue in the browser: held drafts approved and edited, a race lost politely.

Drafts are held the way a deployment holds them when its reviewing model is down: the
server's reviewer endpoint is a closed port, so every answer waits for a human.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.console.conftest import Console, shot, sign_in

QUESTION = "高血压患者每天吃多少盐合适？"


def held_turn(api: httpx.Client, ref: str) -> str:
    cid = str(api.post("/v1/conversations", json={"patient_ref": ref}).json()["id"])
    turn = api.post(f"/v1/conversations/{cid}/messages", json={"content": QUESTION})
    assert turn.status_code == 200 and turn.json()["status"] == "held", turn.text
    return cid


def item_card(page: Any, ref: str) -> Any:
    page.goto(page.url.split("#")[0] + "#/review")
    card = page.locator("article.review-item", has=page.locator(f"a:text-is('{ref}')"))
    card.wait_for()
    return card


def patient_messages(api: httpx.Client, cid: str) -> list[dict[str, Any]]:
    return list(api.get(f"/v1/conversations/{cid}").json()["messages"])


def test_a_held_draft_is_approved_and_another_edited(browser: Any, held_console: Console) -> None:
    manager = held_console.add_user("review-manager")
    with held_console.api() as api:
        approved, edited = held_turn(api, "held-approve"), held_turn(api, "held-edit")
        page = sign_in(browser, held_console, manager)
        card = item_card(page, "held-approve")
        assert card.locator("ul.reasons li").count() >= 1  # the reasons beside the draft
        draft = card.locator(".draft").inner_text()
        shot(page, "review-queue")
        card.locator("button.approve").click()
        card.locator("p.status:text-is('Sent')").wait_for()
        assert patient_messages(api, approved)[-1]["content"].strip() == draft.strip()

        card = item_card(page, "held-edit")
        reply = "每天食盐不超过5克为宜，具体请听从您的医生。"
        card.locator("textarea[name=reply]").fill(reply)
        card.locator("button.edit").click()
        card.locator("p.status:text-is('Sent')").wait_for()
        assert patient_messages(api, edited)[-1]["content"] == reply
        shot(page, "review-edited")
    page.context.close()


def test_the_second_manager_sees_who_decided(browser: Any, held_console: Console) -> None:
    first = held_console.add_user("race-first")
    second = held_console.add_user("race-second")
    with held_console.api() as api:
        held_turn(api, "held-race")
    page_a = sign_in(browser, held_console, first)
    page_b = sign_in(browser, held_console, second, lang="zh")
    card_a, card_b = item_card(page_a, "held-race"), item_card(page_b, "held-race")
    card_a.locator("button.approve").click()
    card_a.locator("p.status:text-is('Sent')").wait_for()
    card_b.locator("button.approve").click()  # its page still shows the item as pending
    card_b.locator("p.status.error").wait_for()
    text = card_b.locator("p.status.error").inner_text()
    assert "race-first" in text and "review_item_decided" in text, text
    shot(page_b, "review-race-lost")
    page_a.context.close()
    page_b.context.close()


def test_an_auditor_reads_the_queue_but_cannot_decide(browser: Any, held_console: Console) -> None:
    auditor = held_console.add_user("queue-auditor", role="auditor")
    with held_console.api() as api:
        held_turn(api, "held-audit")
    page = sign_in(browser, held_console, auditor)
    card = item_card(page, "held-audit")
    assert card.locator("button.approve").is_disabled()
    assert page.locator("text=Auditors read only").count() == 1
    page.context.close()
