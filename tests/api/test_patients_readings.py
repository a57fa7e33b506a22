"""POST/GET /v1/patients/{id}/readings and /v1/alerts: readings always stored, implausible ones
flagged without an alert, alerts merged and escalated, published to the tenant's channel.

Each test runs on SQLite and (integration) on a fresh PostgreSQL database; the in-memory
coordinator carries the events here (real Redis pub/sub: test_patients_redis.py).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.care_helpers import (
    ZH,
    container,
    count_rows,
    error_of,
    new_patient,
    other_tenant,
)
from tests.helpers.auth import manager

pytestmark = pytest.mark.asyncio(loop_scope="module")
FAR_FUTURE = "2099-01-01T08:00:00+08:00"
NAIVE = "timezone_required"


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def glucose(value: float, minutes_ago: float = 5, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "glucose",
        "value": value,
        "unit": "mmol/L",
        "meal_context": "random",
        "measured_at": ago(minutes=minutes_ago),
        **extra,
    }


class EventListener:
    """Collects the events published on one tenant channel while a test runs."""

    def __init__(self, api: httpx.AsyncClient, tenant: str = "default") -> None:
        self.stream = container(api).coordinator.subscribe(f"tenant:{tenant}")
        self.events: list[dict[str, Any]] = []
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> EventListener:
        async def collect() -> None:
            async for event in self.stream:
                self.events.append(event)

        self.task = asyncio.create_task(collect())
        await asyncio.sleep(0.05)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.sleep(0.05)
        assert self.task is not None
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)

    def alerts(self, patient_id: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == "alert" and e["patient_id"] == patient_id]


async def test_normal_reading_is_stored_tz_aware_without_alert(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "rd-normal")
    body = {
        "kind": "blood_pressure",
        "sbp": 128,
        "dbp": 82,
        "pulse": 70,
        "measured_at": "2026-01-05T07:30:00+08:00",
        "source_device": "omron-cuff",
    }
    response = await api.post(f"/v1/patients/{patient}/readings", json=body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["alerts"] == [] and result["plausibility"]["plausible"]
    assert result["reading"]["needs_remeasure"] is False
    listed = (await api.get(f"/v1/patients/{patient}/readings")).json()
    assert len(listed) == 1
    stored = datetime.fromisoformat(listed[0]["measured_at"])
    assert stored.utcoffset() == timedelta(0)  # loaded back aware, in UTC
    assert stored == datetime.fromisoformat(body["measured_at"])
    assert listed[0]["source_device"] == "omron-cuff"


async def test_implausible_reading_is_stored_flagged_and_never_alerts(
    api: httpx.AsyncClient,
) -> None:
    patient = await new_patient(api, "rd-implausible", conditions=["hypertension"])
    async with EventListener(api) as listener:
        response = await api.post(
            f"/v1/patients/{patient}/readings",
            json={"kind": "blood_pressure", "sbp": 300, "dbp": 20, "measured_at": ago(minutes=1)},
            headers=ZH,
        )
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["reading"]["needs_remeasure"] is True and result["alerts"] == []
    assert result["plausibility"]["reasons"]
    assert await count_rows(api, "readings", patient_id=patient, needs_remeasure=True) == 1
    assert await count_rows(api, "alerts", patient_id=patient) == 0
    assert listener.alerts(patient) == []


async def test_alert_is_created_escalated_and_merged(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "rd-hypo", conditions=["diabetes"])
    path = f"/v1/patients/{patient}/readings"
    async with EventListener(api) as listener:
        first = (await api.post(path, json=glucose(3.5, minutes_ago=30))).json()
        second = (await api.post(path, json=glucose(2.5, minutes_ago=20))).json()
        third = (await api.post(path, json=glucose(2.8, minutes_ago=10))).json()
    (created,) = first["alerts"]
    assert (created["change"], created["alert"]["rule_code"]) == ("created", "glucose_hypo")
    (escalated,) = second["alerts"]
    assert escalated["change"] == "escalated" and escalated["notified"] is True
    assert escalated["alert"]["id"] == created["alert"]["id"]
    assert (escalated["alert"]["rule_code"], escalated["alert"]["count"]) == (
        "glucose_severe_hypo",
        2,
    )
    (merged,) = third["alerts"]
    assert (merged["change"], merged["notified"], merged["alert"]["count"]) == ("merged", False, 3)
    assert merged["alert"]["severity"] == "critical"  # a milder repeat does not lower it
    assert await count_rows(api, "alerts", patient_id=patient) == 1
    events = listener.alerts(patient)
    assert [(e["change"], e["rule_code"]) for e in events] == [
        ("created", "glucose_hypo"),
        ("escalated", "glucose_severe_hypo"),
    ]
    assert events[0]["tenant_id"] == "default" and events[0]["manager_message"]["zh"]


async def test_heart_failure_weight_gain_uses_the_stored_history(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "rd-hf", conditions=["heart_failure"])
    path = f"/v1/patients/{patient}/readings"
    early = {"kind": "weight", "value": 70.0, "unit": "kg", "measured_at": ago(days=2)}
    assert (await api.post(path, json=early)).json()["alerts"] == []
    later = {"kind": "weight", "value": 145.0, "unit": "斤", "measured_at": ago(minutes=5)}
    (change,) = (await api.post(path, json=later)).json()["alerts"]
    # 145 jin = 72.5 kg: +2.5 kg within 3 days is over the 2 kg heart-failure limit.
    assert change["alert"]["rule_code"] == "hf_rapid_weight_gain"
    assert change["alert"]["fact_ids"]


async def test_alert_list_ack_and_tenant_scope(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "rd-ack", conditions=["diabetes"])
    posted = await api.post(f"/v1/patients/{patient}/readings", json=glucose(2.2))
    alert_id = posted.json()["alerts"][0]["alert"]["id"]
    open_ids = {
        a["id"]
        for a in (await (await manager(api)).get("/v1/alerts", params={"status": "open"})).json()
    }
    assert alert_id in open_ids
    other = await manager(api, "insurer-demo")
    theirs = (await other.get("/v1/alerts")).json()
    assert alert_id not in {a["id"] for a in theirs}
    error_of(await other.post(f"/v1/alerts/{alert_id}/ack"), 404, "alert_not_found")
    error_of(await api.post(f"/v1/alerts/{alert_id}/ack"), 403, "wrong_role")  # a key: no
    acked = await (await manager(api)).post(f"/v1/alerts/{alert_id}/ack", json={"by": "manager-li"})
    assert acked.status_code == 200, acked.text
    assert acked.json()["status"] == "acknowledged"
    li = (await manager(api)).username
    assert acked.json()["acknowledged_by"] == li  # the signed-in manager, not the body's "by"
    again = await (await manager(api)).post(
        f"/v1/alerts/{alert_id}/ack", json={"by": "manager-wang"}
    )
    assert again.json()["acknowledged_by"] == li  # repeating changes nothing
    open_now = await (await manager(api)).get(
        "/v1/alerts", params={"status": "open", "patient_id": patient}
    )
    assert open_now.json() == []
    assert await count_rows(api, "audit_log", action="alert_acknowledged", entity_id=alert_id) == 1
    error_of(await (await manager(api)).post("/v1/alerts/nope/ack"), 404, "alert_not_found")
    error_of(
        await (await manager(api)).get("/v1/alerts", params={"status": "maybe"}),
        422,
        "invalid_request",
    )


async def test_reading_list_filters_by_kind_and_since(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "rd-filter")
    path = f"/v1/patients/{patient}/readings"
    await api.post(path, json={"kind": "spo2", "value": 97, "measured_at": ago(days=3)})
    await api.post(path, json={"kind": "spo2", "value": 98, "measured_at": ago(hours=1)})
    await api.post(path, json={"kind": "heart_rate", "value": 72, "measured_at": ago(hours=1)})
    since = (datetime.now(UTC) - timedelta(days=1)).astimezone().isoformat()
    recent = await api.get(path, params={"kind": "spo2", "since": since})
    assert [r["values"]["value"] for r in recent.json()] == [98]
    assert len((await api.get(path, params={"kind": "spo2"})).json()) == 2
    naive = await api.get(path, params={"since": "2026-01-01T00:00:00"})
    error_of(naive, 422, "timezone_required")
    error_of(await api.get(path, params={"kind": "mood"}), 422, "invalid_request")


@pytest.mark.parametrize(
    ("reading", "code"),
    [
        ({"kind": "glucose", "value": 5.2, "unit": "g/L"}, "unknown_unit"),
        ({"kind": "weight", "value": -60}, "negative_value"),
        ({"kind": "blood_pressure", "sbp": 120, "dbp": -80}, "negative_value"),
        ({"kind": "spo2", "value": 97, "measured_at": FAR_FUTURE}, "future_timestamp"),
        ({"kind": "heart_rate", "value": 70, "measured_at": "2026-01-01T08:00:00"}, NAIVE),
        ({"kind": "temperature", "value": 37}, "invalid_request"),
        ({"kind": "glucose"}, "invalid_request"),
    ],
)
async def test_bad_readings_store_nothing(
    api: httpx.AsyncClient, reading: dict[str, Any], code: str
) -> None:
    patient = await new_patient(api, f"rd-bad-{code}-{len(reading)}", conditions=["diabetes"])
    ok = await api.post(f"/v1/patients/{patient}/readings", json=glucose(2.5))
    assert ok.status_code == 201
    reading.setdefault("measured_at", ago(minutes=1))
    response = await api.post(f"/v1/patients/{patient}/readings", json=reading, headers=ZH)
    error = error_of(response, 422, code)
    if code != "invalid_request":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])  # Chinese message
    assert await count_rows(api, "readings", patient_id=patient) == 1
    assert await count_rows(api, "alerts", patient_id=patient) == 1


async def test_unknown_or_foreign_patient_is_not_found(api: httpx.AsyncClient) -> None:
    foreign = await new_patient(api, "rd-foreign", headers=await other_tenant(api))
    before = await count_rows(api, "readings")
    for patient in ("nobody", foreign):
        path = f"/v1/patients/{patient}/readings"
        error_of(await api.post(path, json=glucose(5.0)), 404, "patient_not_found")
        error_of(await api.get(path), 404, "patient_not_found")
    assert await count_rows(api, "readings") == before
    posted = await api.post(
        f"/v1/patients/{foreign}/readings", json=glucose(5.0), headers=await other_tenant(api)
    )
    assert posted.status_code == 201


async def test_a_reading_in_chat_is_assessed_once_with_the_stored_history(
    api: httpx.AsyncClient,
) -> None:
    """The tool's assessment is the one stored: the reply and the manager's alert agree."""
    patient = await new_patient(api, "rd-hf-chat", conditions=["heart_failure"])
    early = {"kind": "weight", "value": 70.0, "unit": "kg", "measured_at": ago(days=2)}
    assert (await api.post(f"/v1/patients/{patient}/readings", json=early)).json()["alerts"] == []
    conversation = (await api.post("/v1/conversations", json={"patient_ref": "rd-hf-chat"})).json()
    assert conversation["patient_id"] == patient
    turn = await api.post(
        f"/v1/conversations/{conversation['id']}/messages",
        json={"content": "今天早上称了体重，72.6公斤"},
    )
    assert turn.status_code == 200, turn.text
    (card,) = [c for c in turn.json()["cards"] if c["type"] == "reading"]
    told = [a["rule_code"] for a in card["data"]["alerts"]]
    assert told == ["hf_rapid_weight_gain"]  # the stored 70 kg two days ago was seen
    alerts = (await (await manager(api)).get("/v1/alerts", params={"status": "open"})).json()
    stored = [a["rule_code"] for a in alerts if a["patient_id"] == patient]
    assert stored == told
