"""POST /v1/tools/triage and /v1/referrals with its status lifecycle, tenant-scoped and audited.

Each test runs on SQLite and (integration) on a fresh PostgreSQL database.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.db.models import AuditEntry
from tests.api.care_helpers import (
    ZH,
    container,
    count_rows,
    error_of,
    new_patient,
    other_tenant,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
PSYCHIATRY = {
    "level": "routine",
    "department": "psychiatry",
    "home_facility_id": "xs-qingshi-township",
}


async def _audits(api: httpx.AsyncClient, entity_id: str) -> list[AuditEntry]:
    async with container(api).sessions() as session:
        rows = await session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == entity_id).order_by(AuditEntry.at)
        )
        return list(rows)


async def test_triage_endpoint_answers_and_audits_without_the_text(api: httpx.AsyncClient) -> None:
    text = "胸口压榨样疼痛，出冷汗，已经二十分钟"
    response = await api.post("/v1/tools/triage", json={"text": text, "age": 58})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["level"] == "emergency" and result["red_flags"]
    async with container(api).sessions() as session:
        entries = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "triage_run"))
        )
    assert entries and entries[-1].details["level"] == "emergency"
    assert all(text not in str(e.details) and "胸口" not in str(e.details) for e in entries)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": "   "}, "empty_text"),
        ({"text": "头痛", "age": -3}, "age_out_of_range"),
        ({"text": "头痛", "vitals": {"sbp": -120}}, "invalid_vital_sign"),
        ({"text": "头痛", "sex": "robot"}, "invalid_sex"),
    ],
)
async def test_bad_triage_input(api: httpx.AsyncClient, body: dict[str, Any], code: str) -> None:
    error_of(await api.post("/v1/tools/triage", json=body), 422, code)


async def test_referral_from_triage_then_the_whole_lifecycle(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "ref-life")
    triage = await api.post("/v1/tools/triage", json={"text": "情绪低落好几周了，睡不着"})
    created = await api.post(
        "/v1/referrals",
        json={"triage": triage.json(), "patient_id": patient, "region": "xishan"},
    )
    assert created.status_code == 201, created.text
    referral = created.json()
    assert referral["status"] == "created" and referral["patient_id"] == patient
    assert referral["plan"]["call_120"] is False and referral["plan"]["facility"]
    rid = referral["id"]
    for status in ("sent", "accepted", "completed"):
        moved = await api.post(f"/v1/referrals/{rid}/status", json={"status": status})
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == status
    read = await api.get(f"/v1/referrals/{rid}")
    assert read.json()["status"] == "completed"
    actions = [(e.action, e.details.get("to")) for e in await _audits(api, rid)]
    assert actions == [
        ("referral_created", None),
        ("referral_status_changed", "sent"),
        ("referral_status_changed", "accepted"),
        ("referral_status_changed", "completed"),
    ]


async def test_county_without_psychiatry_escalates(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "ref-psy")
    response = await api.post("/v1/referrals", json={**PSYCHIATRY, "patient_id": patient})
    assert response.status_code == 201, response.text
    plan = response.json()["plan"]
    assert plan["facility"]["id"] == "dj-first-hospital"
    assert plan["escalated"] is True and plan["direction"] == "up"
    assert plan["language"] == "en"  # from Accept-Language (none given -> English)


async def test_emergency_gets_120_and_no_referral(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "ref-120")
    body = {"level": "emergency", "department": "cardiology", "region": "xishan"}
    response = await api.post("/v1/referrals", json={**body, "patient_id": patient}, headers=ZH)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["id"] is None and result["plan"]["call_120"] is True
    assert "120" in result["plan"]["emergency_instruction"]
    assert await count_rows(api, "referrals", patient_id=patient) == 0


@pytest.mark.parametrize(
    ("current", "target", "status", "code"),
    [
        ("created", "accepted", 409, "illegal_transition"),
        ("created", "completed", 409, "illegal_transition"),
        ("cancelled", "sent", 409, "illegal_transition"),
        ("created", "teleported", 422, "unknown_status"),
    ],
)
async def test_illegal_transitions_change_nothing(
    api: httpx.AsyncClient, current: str, target: str, status: int, code: str
) -> None:
    patient = await new_patient(api, f"ref-illegal-{current}-{target}")
    rid = (await api.post("/v1/referrals", json={**PSYCHIATRY, "patient_id": patient})).json()["id"]
    if current != "created":
        await api.post(f"/v1/referrals/{rid}/status", json={"status": current})
    audits = len(await _audits(api, rid))
    response = await api.post(f"/v1/referrals/{rid}/status", json={"status": target}, headers=ZH)
    error = error_of(response, status, code)
    if code == "illegal_transition":
        assert "转诊状态不能从" in error["message"]
    assert (await api.get(f"/v1/referrals/{rid}")).json()["status"] == current
    assert len(await _audits(api, rid)) == audits


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"home_facility_id": "no-such-clinic"}, 404, "facility_not_found"),
        ({"department": "astrology"}, 422, "unknown_department"),
        ({"home_facility_id": None, "region": None}, 422, "region_required"),
        ({"region": "atlantis", "home_facility_id": None}, 404, "region_not_found"),
        ({"level": None, "department": None}, 422, "referral_basis_missing"),
        ({"patient_id": None}, 422, "patient_required"),
        ({"patient_id": "nobody"}, 404, "patient_not_found"),
        ({"level": "whenever"}, 422, "invalid_request"),
    ],
)
async def test_bad_referral_requests_store_nothing(
    api: httpx.AsyncClient, change: dict[str, Any], status: int, code: str
) -> None:
    patient = await new_patient(api, f"ref-bad-{code}")
    ok = await api.post("/v1/referrals", json={**PSYCHIATRY, "patient_id": patient})
    assert ok.status_code == 201
    body = {**PSYCHIATRY, "patient_id": patient, **change}
    error_of(await api.post("/v1/referrals", json=body), status, code)
    assert await count_rows(api, "referrals", patient_id=patient) == 1
    assert await count_rows(api, "audit_log", action="referral_created", entity_id=ok.json()["id"])


async def test_referrals_never_cross_tenants(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "ref-tenant")
    rid = (await api.post("/v1/referrals", json={**PSYCHIATRY, "patient_id": patient})).json()["id"]
    error_of(
        await api.get(f"/v1/referrals/{rid}", headers=await other_tenant(api)),
        404,
        "referral_not_found",
    )
    moved = await api.post(
        f"/v1/referrals/{rid}/status", json={"status": "sent"}, headers=await other_tenant(api)
    )
    error_of(moved, 404, "referral_not_found")
    assert (await api.get(f"/v1/referrals/{rid}")).json()["status"] == "created"
    other = await api.post(
        "/v1/referrals", json={**PSYCHIATRY, "patient_id": patient}, headers=await other_tenant(api)
    )
    error_of(other, 404, "patient_not_found")
    error_of(await api.get("/v1/referrals/nope"), 404, "referral_not_found")
