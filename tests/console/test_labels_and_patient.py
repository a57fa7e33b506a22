"""In the browser: a label on any answer reaches ``hm review export``; an edit with a typed dose
is refused by the checks; the patient panel charts readings and starts a 三师共管 care plan."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.console.conftest import Console, shot, sign_in
from tests.console.test_review import held_turn, item_card, patient_messages
from tests.helpers.server import hm

WARFARIN_DOSE = "华法林每天吃3毫克，晚饭后服用。"


def test_an_edit_with_a_typed_dose_fails_its_checks_and_nothing_is_sent(
    browser: Any, held_console: Console
) -> None:
    manager = held_console.add_user("dose-manager")
    with held_console.api() as api:
        cid = held_turn(api, "held-dose")
        before = patient_messages(api, cid)
        page = sign_in(browser, held_console, manager)
        card = item_card(page, "held-dose")
        card.locator("textarea[name=reply]").fill(WARFARIN_DOSE)
        card.locator("button.edit").click()
        card.locator(".failed-checks li[data-code=DOSING]").wait_for()
        assert "error" in (card.locator("p.status").get_attribute("class") or "")
        shot(page, "review-edit-dose-refused")
        assert patient_messages(api, cid) == before  # nothing reached the patient
        safe = "用药剂量请遵医嘱，不要自行调整；如有疑问请联系您的医生。"
        card.locator("textarea[name=reply]").fill(safe)
        card.locator("button.edit").click()
        card.locator("p.status:text-is('Sent')").wait_for()
        assert card.locator(".failed-checks li").count() == 0
        assert patient_messages(api, cid)[-1]["content"] == safe
    page.context.close()


def test_a_label_on_any_answer_shows_up_in_hm_review_export(browser: Any, console: Console) -> None:
    manager = console.add_user("answer-label-manager")
    with console.api() as api:
        cid = str(api.post("/v1/conversations", json={"patient_ref": "label-any"}).json()["id"])
        turn = api.post(f"/v1/conversations/{cid}/messages", json={"content": "运动前要热身吗？"})
        assert turn.status_code == 200 and turn.json()["status"] == "completed", turn.text
        answer = next(m for m in patient_messages(api, cid) if m["role"] == "assistant")
    page = sign_in(browser, console, manager)
    page.goto(f"{console.base_url}/console/#/conversation/{cid}")
    row = page.locator(f"li.msg-assistant[data-message='{answer['id']}']")
    row.locator(".answer-label").wait_for()
    row.locator("button.save-answer-label").click()  # no verdict chosen yet: a clear hint
    row.locator(".answer-label .status:text-is('Choose a label first')").wait_for()
    row.locator("select[name=verdict]").select_option("unhelpful")
    row.locator("input[name=label-notes]").fill("does not say how long to warm up")
    row.locator("button.save-answer-label").click()
    row.locator(f".answer-label .status:text-is('Labelled Unhelpful ({manager})')").wait_for()
    shot(page, "answer-label")
    page.reload()  # the label is stored, not just shown
    page.wait_for_selector("body[data-live=live]")
    row = page.locator(f"li.msg-assistant[data-message='{answer['id']}']")
    assert row.locator("select[name=verdict]").input_value() == "unhelpful"
    page.context.close()
    out = console.data_dir.parent / "answer-export.jsonl"
    exported = json.loads(hm(console.env, "review", "export", "--out", str(out), "--json").stdout)
    assert f"answer-{answer['id']}" in exported["ids"]
    [case] = [json.loads(x) for x in out.read_text().splitlines() if answer["id"] in x]
    assert case["turns"][-1]["user"] == "运动前要热身吗？"
    assert "verdict:unhelpful" in case["tags"]


def test_the_patient_panel_charts_readings_and_starts_a_care_plan(
    browser: Any, console: Console
) -> None:
    manager = console.add_user("panel-manager")
    with console.api() as api:
        profile = {"conditions": ["hypertension", "obesity"], "region": "330100"}
        patient = api.post("/v1/patients", json={"patient_ref": "panel-p", "profile": profile})
        assert patient.status_code == 201, patient.text
        pid = patient.json()["id"]
        now = datetime.now(UTC)
        for days, (sbp, dbp) in enumerate([(152, 96), (146, 92), (138, 88)]):
            reading = {
                "kind": "blood_pressure",
                "sbp": sbp,
                "dbp": dbp,
                "unit": "mmHg",
                "measured_at": (now - timedelta(days=2 - days)).isoformat(),
            }
            assert api.post(f"/v1/patients/{pid}/readings", json=reading).status_code == 201
        cid = str(api.post("/v1/conversations", json={"patient_ref": "panel-p"}).json()["id"])
        api.post(f"/v1/conversations/{cid}/messages", json={"content": "我想减重，怎么开始？"})
        page = sign_in(browser, console, manager)
        page.goto(f"{console.base_url}/console/#/conversation/{cid}")
        chart = page.locator("figure.reading-chart[data-kind=blood_pressure]")
        chart.wait_for()
        assert chart.locator("polyline").count() == 2  # systolic and diastolic
        assert chart.locator("circle").count() == 6
        assert "138/88 mmHg (3)" in chart.locator("figcaption").inner_text()
        assert "hypertension" in page.locator("section.profile").inner_text()
        page.select_option("select[name=template]", "weight_management")
        page.click("button.start-plan")
        plan = page.locator(".plan[data-template=weight_management]")
        plan.wait_for()
        owners = set(plan.locator(".owner-role").all_inner_texts())
        assert owners == {"Doctor", "Dietitian", "Health manager"}
        # the daily task: a weekly one has no period today on most days of the week
        daily = plan.locator("li.task", has_text="Photograph and log your meals")
        task_id = daily.get_attribute("data-task")
        done = api.post(
            f"/v1/patients/{pid}/tasks/{task_id}/completions",
            json={"client_completion_id": "panel-1"},
        )
        assert done.status_code == 201, done.text
        page.reload()
        page.wait_for_selector("body[data-live=live]")
        task = page.locator(f"li.task[data-task='{task_id}']")
        task.wait_for()
        assert "1 in a row" in task.inner_text()
        shot(page, "patient-panel")
        page.set_viewport_size({"width": 820, "height": 1180})  # a tablet
        shot(page, "patient-panel-tablet")
    page.context.close()
    zh = sign_in(browser, console, manager, lang="zh")
    zh.goto(f"{console.base_url}/console/#/conversation/{cid}")
    zh.locator(".plan[data-template=weight_management]").wait_for()
    assert "营养师" in zh.locator(".plan").inner_text()
    assert "血压" in zh.locator("figure.reading-chart figcaption").inner_text()
    shot(zh, "patient-panel-zh")
    zh.context.close()
