"""Alerts acknowledged, assigned and resolved, a follow-up task from one; a label exported."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tests.console.conftest import PASSWORD, Console, shot, sign_in
from tests.console.test_review import held_turn
from tests.helpers.server import hm


def test_an_alert_is_acknowledged_assigned_resolved_with_a_follow_up_task(
    browser: Any, console: Console
) -> None:
    manager = console.add_user("alert-manager")
    with console.api() as api:
        patient = api.post("/v1/patients", json={"patient_ref": "low-glucose"}).json()["id"]
        reading = {
            "kind": "glucose",
            "value": 2.2,
            "unit": "mmol/L",
            "meal_context": "random",
            "measured_at": datetime.now(UTC).isoformat(),
        }
        alert = api.post(f"/v1/patients/{patient}/readings", json=reading).json()["alerts"][0]
        alert_id = alert["alert"]["id"]
        page = sign_in(browser, console, manager)
        page.goto(f"{console.base_url}/console/#/alerts")
        card = page.locator(f"article[data-alert='{alert_id}']")
        card.wait_for()
        card.locator("button.ack").click()
        card.locator(".flag:text-is('Acknowledged')").wait_for()
        card.locator("button.task").click()
        card.locator("p.status:text-is('Follow-up task created')").wait_for()
        card.locator("input[name=assignee]").fill(manager)
        card.locator("button.assign").click()
        card.locator(f".owner:text-is('Assigned to {manager}')").wait_for()
        shot(page, "alerts")
        card.locator("button.resolve").click()
        card.locator(".flag:text-is('Resolved')").wait_for()
        login = {"username": manager, "password": PASSWORD}
        token = api.post("/v1/auth/login", json=login).json()["access_token"]
        resolved = api.get(
            "/v1/alerts",
            params={"status": "resolved"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert [(a["id"], a["assigned_to"]) for a in resolved] == [(alert_id, manager)]
        tasks = api.get(f"/v1/patients/{patient}/tasks").json()
        assert [t["task"]["task_type"] for t in tasks] == ["glucose_measurement"]
    page.context.close()


def test_a_label_shows_up_in_hm_review_export(browser: Any, held_console: Console) -> None:
    manager = held_console.add_user("label-manager")
    with held_console.api() as api:
        held_turn(api, "held-label")
        page = sign_in(browser, held_console, manager)
        page.goto(f"{held_console.base_url}/console/#/review")
        card = page.locator("article.review-item", has=page.locator("a:text-is('held-label')"))
        card.locator("button.approve").click()
        card.locator("p.status:text-is('Sent')").wait_for()
        item_id = card.get_attribute("data-item")
        page.goto(f"{held_console.base_url}/console/#/decided")
        decided = page.locator(f"article.decided-item[data-item='{item_id}']")
        decided.wait_for()
        assert "includes 0 " in page.inner_text("#learning-count")
        decided.locator("select[name=root_cause]").select_option("technical")
        decided.locator("input[name=notes]").fill("reviewer endpoint was down")
        decided.locator("button.save-label").click()
        decided.locator("p.status:text-is('Labelled (Technical)')").wait_for()
        page.wait_for_selector("#learning-count:has-text('includes 1 ')")
        shot(page, "label")
    out = held_console.data_dir.parent / "export.jsonl"
    exported = hm(held_console.env, "review", "export", "--out", str(out), "--json")
    summary = json.loads(exported.stdout)
    cases = [json.loads(line) for line in out.read_text().splitlines()]
    assert summary["cases"] == len(cases) >= 1
    assert any("reviewer endpoint was down" in case["notes"] for case in cases), cases
    page.context.close()


def test_the_quality_view_shows_todays_numbers(browser: Any, held_console: Console) -> None:
    manager = held_console.add_user("quality-manager")
    with held_console.api() as api:
        held_turn(api, "held-quality")
    page = sign_in(browser, held_console, manager, lang="zh")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{held_console.base_url}/console/#/quality")
    try:
        page.wait_for_selector("[data-metric=turns]", timeout=10_000)
    finally:
        shot(page, "quality-zh")
    assert errors == []
    assert page.locator("svg.chart").first.locator("rect").count() == 24  # one bar an hour
    turns = int(page.inner_text("[data-metric=turns] .value"))
    assert turns >= 1 and int(page.inner_text("[data-metric=held] .value")) >= 1
    assert "今日对话轮次" in page.inner_text(".tiles")
    shot(page, "quality-zh")
    page.set_viewport_size({"width": 820, "height": 1180})
    shot(page, "quality-tablet")
    page.context.close()
