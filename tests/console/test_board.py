"""Sign-in and the live board: an emergency arriving while the manager watches."""

from __future__ import annotations

from typing import Any

from tests.console.conftest import Console, shot, sign_in

EMERGENCY = "我爸胸口剧痛，出冷汗，喘不上气"


def test_an_emergency_arrives_live_and_jumps_to_the_top(browser: Any, console: Console) -> None:
    manager = console.add_user("board-manager")
    with console.api() as api:
        calm = api.post("/v1/conversations", json={"patient_ref": "calm-patient"}).json()["id"]
        api.post(f"/v1/conversations/{calm}/messages", json={"content": "高血压每天吃多少盐？"})
        page = sign_in(browser, console, manager)
        page.wait_for_selector(f"tr[data-conversation='{calm}']")
        assert page.locator("#alarm").is_hidden()
        urgent = api.post("/v1/conversations", json={"patient_ref": "chest-pain"}).json()["id"]
        turn = api.post(f"/v1/conversations/{urgent}/messages", json={"content": EMERGENCY})
        assert turn.json()["safety"]["escalated"] is True
    page.wait_for_selector("#alarm:not([hidden])", timeout=10_000)  # no reload: the live stream
    assert "chest-pain" in page.inner_text("#alarm")
    first = page.locator("table.board tbody tr").first
    assert first.get_attribute("data-conversation") == urgent
    assert "is-emergency" in (first.get_attribute("class") or "")
    assert "Emergency" in first.inner_text()
    shot(page, "board-emergency")
    page.select_option("#lang", "zh")
    page.wait_for_selector("text=实时看板")
    assert "急症" in page.locator("table.board tbody tr").first.inner_text()
    shot(page, "board-emergency-zh")
    page.set_viewport_size({"width": 820, "height": 1180})
    shot(page, "board-tablet")
    page.context.close()


def test_a_wrong_password_is_refused_on_the_form(browser: Any, console: Console) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{console.base_url}/console/")
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong password")
    page.click("#login button[type=submit]")
    page.wait_for_selector("#login-error:not([hidden])")
    assert "invalid" in page.inner_text("#login-error").lower()
    context.close()
