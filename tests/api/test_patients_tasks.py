"""Tasks, completions (streaks, points, idempotent) and care plans of one patient. Without Redis
no reminder is scheduled and the response says so (Redis: test_patients_redis.py).

Each test runs on SQLite and (integration) on a fresh PostgreSQL database.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.api.care_helpers import (
    ZH,
    count_rows,
    error_of,
    new_patient,
    other_tenant,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
EXERCISE = {
    "task_type": "exercise",
    "schedule": {"kind": "daily", "times": ["18:30"], "timezone": "Asia/Shanghai"},
}


async def test_task_is_stored_with_next_occurrences(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "task-1")
    response = await api.post(f"/v1/patients/{patient}/tasks", json=EXERCISE)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["reminders_scheduled"] is False  # no Redis in this app
    task = created["task"]
    times = [datetime.fromisoformat(t) for t in task["next_occurrences"]]
    assert len(times) == 3 and times == sorted(times)
    assert all(
        t.utcoffset() == timedelta(hours=8) and (t.hour, t.minute) == (18, 30) for t in times
    )
    assert [b - a for a, b in itertools.pairwise(times)] == [timedelta(days=1)] * 2
    listed = (await api.get(f"/v1/patients/{patient}/tasks")).json()
    assert [t["id"] for t in listed] == [task["id"]]
    assert await count_rows(api, "audit_log", action="task_created", entity_id=patient) == 1


async def test_medication_reminder_has_name_and_times_only(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "task-med")
    body = {
        "task_type": "medication_reminder",
        "medication_name": "二甲双胍",
        "schedule": {"kind": "daily", "times": ["08:00", "20:00"]},
    }
    response = await api.post(f"/v1/patients/{patient}/tasks", json=body)
    assert response.status_code == 201, response.text
    task = response.json()["task"]["task"]
    assert task["medication"] == {"name": "二甲双胍", "times": ["08:00:00", "20:00:00"]}
    assert "dose" not in str(task)


async def test_completion_earns_points_once_per_client_id(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "task-done")
    task_id = (await api.post(f"/v1/patients/{patient}/tasks", json=EXERCISE)).json()["task"]["id"]
    path = f"/v1/patients/{patient}/tasks/{task_id}/completions"
    first = await api.post(path, json={"client_completion_id": "walk-1"})
    assert first.status_code == 201, first.text
    done = first.json()
    # Exercise earns 10 points; today's period is complete, so the streak is 1.
    assert (done["points"]["total"], done["streak"]["current"], done["points_total"]) == (10, 1, 10)
    assert done["replayed"] is False
    again = (await api.post(path, json={"client_completion_id": "walk-1"})).json()
    assert again["replayed"] is True and again["id"] == done["id"]
    assert again["points_total"] == 10
    assert await count_rows(api, "task_completions", task_id=task_id) == 1
    listed = (await api.get(f"/v1/patients/{patient}/tasks")).json()
    assert listed[0]["streak"]["current"] == 1 and listed[0]["points_total"] == 10


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {"client_completion_id": "x", "completed_at": "2099-01-01T08:00:00+08:00"},
            "future_timestamp",
        ),
        ({"client_completion_id": "x", "completed_at": "2026-01-01T08:00:00"}, "timezone_required"),
        ({"client_completion_id": ""}, "invalid_request"),
    ],
)
async def test_bad_completions_store_nothing(
    api: httpx.AsyncClient, body: dict[str, Any], code: str
) -> None:
    patient = await new_patient(api, f"task-badc-{code}")
    task_id = (await api.post(f"/v1/patients/{patient}/tasks", json=EXERCISE)).json()["task"]["id"]
    path = f"/v1/patients/{patient}/tasks/{task_id}/completions"
    error_of(await api.post(path, json=body, headers=ZH), 422, code)
    assert await count_rows(api, "task_completions", task_id=task_id) == 0


async def test_completing_someone_elses_task_is_not_found(api: httpx.AsyncClient) -> None:
    owner = await new_patient(api, "task-owner")
    other = await new_patient(api, "task-other")
    task_id = (await api.post(f"/v1/patients/{owner}/tasks", json=EXERCISE)).json()["task"]["id"]
    body = {"client_completion_id": "c"}
    error_of(
        await api.post(f"/v1/patients/{other}/tasks/{task_id}/completions", json=body),
        404,
        "task_not_found",
    )
    error_of(
        await api.post(
            f"/v1/patients/{owner}/tasks/{task_id}/completions",
            json=body,
            headers=await other_tenant(api),
        ),
        404,
        "patient_not_found",
    )
    error_of(
        await api.post(f"/v1/patients/{owner}/tasks/nope/completions", json=body),
        404,
        "task_not_found",
    )
    assert await count_rows(api, "task_completions", task_id=task_id) == 0


DAILY = {"kind": "daily", "times": ["08:00"]}
PAST = ["2020-01-01T09:00:00+08:00"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {"task_type": "custom", "schedule": {"kind": "specific", "datetimes": []}},
            "empty_schedule",
        ),
        (
            {"task_type": "check_up", "schedule": {"kind": "specific", "datetimes": PAST}},
            "empty_schedule",
        ),
        (
            {"task_type": "steps", "schedule": {**DAILY, "kind": "weekly", "weekdays": []}},
            "empty_schedule",
        ),
        ({"task_type": "steps", "schedule": {**DAILY, "times": []}}, "empty_schedule"),
        (
            {
                "task_type": "weight",
                "schedule": {**DAILY, "start": "2026-03-01", "end": "2026-02-01"},
            },
            "empty_schedule",
        ),
        (
            {
                "task_type": "medication_reminder",
                "medication_name": "阿司匹林",
                "dose": "100mg",
                "schedule": DAILY,
            },
            "dose_not_allowed",
        ),
        (
            {
                "task_type": "medication_reminder",
                "medication_name": "阿司匹林 100mg",
                "schedule": DAILY,
            },
            "dose_not_allowed",
        ),
        ({"task_type": "medication_reminder", "schedule": DAILY}, "medication_name_required"),
        ({"task_type": "astrology", "schedule": DAILY}, "invalid_request"),
        ({"task_type": "steps", "schedule": {**DAILY, "timezone": "Mars/Base"}}, "invalid_request"),
    ],
)
async def test_bad_tasks_store_nothing(
    api: httpx.AsyncClient, body: dict[str, Any], code: str
) -> None:
    patient = await new_patient(api, f"task-bad-{code}-{len(str(body))}")
    assert (await api.post(f"/v1/patients/{patient}/tasks", json=EXERCISE)).status_code == 201
    error_of(await api.post(f"/v1/patients/{patient}/tasks", json=body, headers=ZH), 422, code)
    assert await count_rows(api, "tasks", patient_id=patient) == 1
    assert await count_rows(api, "audit_log", action="task_created", entity_id=patient) == 1


async def test_tasks_of_unknown_or_foreign_patients(api: httpx.AsyncClient) -> None:
    foreign = await new_patient(api, "task-foreign", headers=await other_tenant(api))
    before = await count_rows(api, "tasks")
    for patient in ("nobody", foreign):
        error_of(
            await api.post(f"/v1/patients/{patient}/tasks", json=EXERCISE), 404, "patient_not_found"
        )
        error_of(await api.get(f"/v1/patients/{patient}/tasks"), 404, "patient_not_found")
    assert await count_rows(api, "tasks") == before


async def test_care_plan_creates_all_its_tasks(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "plan-htn", conditions=["hypertension"])
    body = {
        "template_id": "hypertension_follow_up",
        "timezone": "Asia/Shanghai",
        "medications": [{"name": "氨氯地平", "times": ["08:00"]}],
    }
    response = await api.post(f"/v1/patients/{patient}/care-plans", json=body)
    assert response.status_code == 201, response.text
    plan = response.json()
    types = sorted(t["task"]["task_type"] for t in plan["tasks"])
    assert types == sorted(
        ["bp_measurement", "exercise", "diet_log", "follow_up_visit", "medication_reminder"]
    )
    assert set(plan["care_team"]) == {"doctor", "health_manager"}
    assert plan["reminders_scheduled"] is False
    assert plan["start"] == datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert await count_rows(api, "tasks", patient_id=patient, care_plan_id=plan["id"]) == 5
    assert await count_rows(api, "care_plans", patient_id=patient) == 1


async def test_care_plans_are_listed_with_owners_and_adherence(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "plan-list")
    assert (await api.get(f"/v1/patients/{patient}/care-plans")).json() == []
    weight = await api.post(
        f"/v1/patients/{patient}/care-plans", json={"template_id": "weight_management"}
    )
    assert weight.status_code == 201, weight.text
    htn = await api.post(
        f"/v1/patients/{patient}/care-plans", json={"template_id": "hypertension_follow_up"}
    )
    task = next(t for t in htn.json()["tasks"] if t["task"]["task_type"] == "exercise")
    done = await api.post(
        f"/v1/patients/{patient}/tasks/{task['id']}/completions",
        json={"client_completion_id": "plan-list-1"},
    )
    assert done.status_code == 201, done.text
    listed = (await api.get(f"/v1/patients/{patient}/care-plans")).json()
    assert [p["id"] for p in listed] == [htn.json()["id"], weight.json()["id"]]  # newest first
    assert set(listed[1]["care_team"]) == {"doctor", "dietitian", "health_manager"}
    owners = {t["task"]["owner_role"] for t in listed[1]["tasks"]}
    assert owners == {"doctor", "dietitian", "health_manager"}
    [walked] = [t for t in listed[0]["tasks"] if t["id"] == task["id"]]
    assert walked["streak"]["current"] == 1 and walked["streak"]["completed_periods"] == 1
    foreign = await api.get(f"/v1/patients/{patient}/care-plans", headers=await other_tenant(api))
    assert foreign.status_code == 404


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"template_id": "no-such-plan"}, 404, "unknown_care_plan"),
        ({"timezone": "Mars/Base"}, 422, "unknown_timezone"),
        ({"medications": [{"name": "氨氯地平 5mg", "times": ["08:00"]}]}, 422, "dose_not_allowed"),
        ({"medications": [{"name": "氨氯地平", "times": []}]}, 422, "empty_schedule"),
        ({"template_id": "post_pci_down_referral", "start": "2020-01-01"}, 422, "empty_schedule"),
    ],
)
async def test_bad_care_plans_store_nothing(
    api: httpx.AsyncClient, change: dict[str, Any], status: int, code: str
) -> None:
    patient = await new_patient(api, f"plan-bad-{code}-{len(str(change))}")
    body = {"template_id": "hypertension_follow_up", **change}
    error_of(await api.post(f"/v1/patients/{patient}/care-plans", json=body), status, code)
    assert await count_rows(api, "tasks", patient_id=patient) == 0
    assert await count_rows(api, "care_plans", patient_id=patient) == 0
