"""Takeover in the browser, seen from the patient's side over the API."""

from __future__ import annotations

from typing import Any

from tests.console.conftest import Console, shot, sign_in

QUESTION = "高血压患者每天吃多少盐合适？"


def test_a_takeover_and_hand_back_seen_by_the_patient(browser: Any, console: Console) -> None:
    manager = console.add_user("takeover-manager")
    with console.api() as patient:
        cid = patient.post("/v1/conversations", json={"patient_ref": "tk-patient"}).json()["id"]
        first = patient.post(f"/v1/conversations/{cid}/messages", json={"content": QUESTION})
        assert first.json()["citations"], "the agent answers before the takeover"
        page = sign_in(browser, console, manager)
        page.goto(f"{console.base_url}/console/#/conversation/{cid}")
        page.wait_for_selector(".msg-assistant .meta")  # verdict and citations of the answer
        assert "approve" in page.inner_text(".msg-assistant .meta")
        page.click("button.takeover")
        page.wait_for_selector("body[data-taken-over=yes]")
        assert patient.get(f"/v1/conversations/{cid}").json()["taken_over_by"] == manager
        told = patient.get(f"/v1/conversations/{cid}").json()["messages"][-1]
        assert told["role"] == "manager" and "健康管理师" in told["content"]

        turn = patient.post(
            f"/v1/conversations/{cid}/messages", json={"content": "那我能吃咸菜吗？"}
        )
        assert turn.json()["status"] == "held" and not turn.json()["citations"]
        page.wait_for_selector(".msg-patient:has-text('咸菜')")  # arrives live in the view
        dose = "华法林每天吃3毫克。"  # the checks' hint comes first; nothing is sent yet
        page.fill("textarea[name=manager-reply]", dose)
        page.click("button.send")
        page.wait_for_selector("ul.hints li[data-code=DOSING]")
        assert page.inner_text("button.send") == "Send anyway"
        shot(page, "takeover-hint")
        assert patient.get(f"/v1/conversations/{cid}").json()["messages"][-1]["role"] == "patient"
        reply = "咸菜含盐很高，建议尽量少吃。"
        page.fill("textarea[name=manager-reply]", reply)  # a new text: checked again, clean
        page.click("button.send")
        page.wait_for_selector(f".msg-manager:has-text('{reply}')")
        messages = patient.get(f"/v1/conversations/{cid}").json()["messages"]
        assert messages[-1]["role"] == "manager" and messages[-1]["content"] == reply
        shot(page, "takeover")

        page.click("button.takeover")  # now "hand back"
        page.wait_for_selector("body[data-taken-over=no]")
        again = patient.post(f"/v1/conversations/{cid}/messages", json={"content": QUESTION})
        assert again.json()["status"] == "completed" and again.json()["citations"]
    page.context.close()
