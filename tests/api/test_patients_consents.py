"""Patients of a tenant and their purpose-specific consents (grant, revoke, history, audit).

Each test runs on SQLite and (integration) on a fresh PostgreSQL database.
"""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from api.services.consents import consented_purposes
from tests.api.care_helpers import (
    OTHER_TENANT,
    ZH,
    container,
    count_rows,
    error_of,
    new_patient,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
WEARABLE = "insurance_pricing_wearable"


async def test_patient_register_read_and_profile(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "pt-1", conditions=["diabetes"])
    read = (await api.get(f"/v1/patients/{patient}")).json()
    assert read["profile"]["conditions"] == ["diabetes"] and read["tenant_id"] == "default"
    assert read["profile"]["timezone"] == "Asia/Shanghai"
    updated = await api.put(
        f"/v1/patients/{patient}/profile",
        json={"conditions": ["diabetes", "heart_failure"], "timezone": "Asia/Hong_Kong"},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["profile"]["conditions"] == ["diabetes", "heart_failure"]
    duplicate = await api.post("/v1/patients", json={"patient_ref": "pt-1"})
    error_of(duplicate, 409, "patient_exists")
    # The same reference in another tenant is another patient.
    assert await new_patient(api, "pt-1", headers=OTHER_TENANT) != patient


async def test_bad_patient_input(api: httpx.AsyncClient) -> None:
    before = await count_rows(api, "patients")
    bad_zone = await api.post(
        "/v1/patients", json={"patient_ref": "pt-bad", "profile": {"timezone": "Mars/Base"}}
    )
    error_of(bad_zone, 422, "invalid_request")
    error_of(await api.post("/v1/patients", json={"patient_ref": ""}), 422, "invalid_request")
    unknown = await api.post(
        "/v1/patients", json={"patient_ref": "pt-x"}, headers={"X-Tenant-ID": "ghost"}
    )
    error_of(unknown, 404, "unknown_tenant")
    assert await count_rows(api, "patients") == before


async def test_grant_revoke_history_and_audit(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "pt-consent")
    path = f"/v1/patients/{patient}/consents"
    granted = await api.post(path, json={"purpose": WEARABLE, "granted": True})
    assert granted.status_code == 201, granted.text
    assert granted.json()["consented_purposes"] == [WEARABLE]
    await api.post(path, json={"purpose": "share_with_insurer", "granted": True})
    revoked = (await api.post(path, json={"purpose": WEARABLE, "granted": False})).json()
    assert revoked["consented_purposes"] == ["share_with_insurer"]
    history = [(h["purpose"], h["granted"]) for h in revoked["history"]]
    assert history == [(WEARABLE, True), ("share_with_insurer", True), (WEARABLE, False)]
    stamps = [datetime.fromisoformat(h["recorded_at"]) for h in revoked["history"]]
    assert all(s.tzinfo is not None for s in stamps) and stamps == sorted(stamps)
    assert (await api.get(path)).json() == revoked
    async with container(api).sessions() as session:
        assert await consented_purposes(session, patient) == frozenset({"share_with_insurer"})
    assert await count_rows(api, "audit_log", action="consent_granted", entity_id=patient) == 2
    assert await count_rows(api, "audit_log", action="consent_revoked", entity_id=patient) == 1


async def test_bad_consents_store_nothing(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "pt-consent-bad")
    path = f"/v1/patients/{patient}/consents"
    error = error_of(
        await api.post(path, json={"purpose": "sell_my_data", "granted": True}, headers=ZH),
        422,
        "unknown_purpose",
    )
    assert "未知的授权用途" in error["message"]
    error_of(await api.post(path, json={"purpose": WEARABLE}), 422, "invalid_request")
    maybe = await api.post(path, json={"purpose": WEARABLE, "granted": "maybe"})
    error_of(maybe, 422, "invalid_request")
    assert await count_rows(api, "consents", patient_id=patient) == 0


async def test_consents_never_cross_tenants(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "pt-consent-tenant")
    body = {"purpose": WEARABLE, "granted": True}
    for response in (
        await api.post(f"/v1/patients/{patient}/consents", json=body, headers=OTHER_TENANT),
        await api.get(f"/v1/patients/{patient}/consents", headers=OTHER_TENANT),
        await api.get(f"/v1/patients/{patient}", headers=OTHER_TENANT),
        await api.get("/v1/patients/nobody/consents"),
    ):
        error_of(response, 404, "patient_not_found")  # same answer as for an unknown id
    assert await count_rows(api, "consents", patient_id=patient) == 0
