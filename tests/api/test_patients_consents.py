"""Patients of a tenant and their purpose-specific consents (grant, revoke, history, audit).

Each test runs on SQLite and (integration) on a fresh PostgreSQL database.
"""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from api.services.consents import consented_purposes
from tests.api.care_helpers import (
    ZH,
    container,
    count_rows,
    error_of,
    new_patient,
    other_tenant,
)
from tests.helpers.auth import manager, patient_headers

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
    assert await new_patient(api, "pt-1", headers=await other_tenant(api)) != patient


async def test_bad_patient_input(api: httpx.AsyncClient) -> None:
    before = await count_rows(api, "patients")
    bad_zone = await api.post(
        "/v1/patients", json={"patient_ref": "pt-bad", "profile": {"timezone": "Mars/Base"}}
    )
    error_of(bad_zone, 422, "invalid_request")
    error_of(await api.post("/v1/patients", json={"patient_ref": ""}), 422, "invalid_request")
    unknown = await api.post(
        "/v1/patients", json={"patient_ref": "pt-x"}, headers={"Authorization": "Bearer hm_bad"}
    )
    error_of(unknown, 401, "invalid_credential")
    assert await count_rows(api, "patients") == before


async def test_grant_revoke_history_and_audit(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "pt-consent")
    path = f"/v1/patients/{patient}/consents"
    by_key = await api.post(path, json={"purpose": WEARABLE, "granted": True})
    error_of(by_key, 403, "wrong_role")  # an insurer's key never grants itself consent
    me = patient_headers(api, patient)  # the patient decides, in the mini-app
    granted = await api.post(path, json={"purpose": WEARABLE, "granted": True}, headers=me)
    assert granted.status_code == 201, granted.text
    assert granted.json()["consented_purposes"] == [WEARABLE]
    await api.post(path, json={"purpose": "share_with_insurer", "granted": True}, headers=me)
    revoked = (
        await api.post(path, json={"purpose": WEARABLE, "granted": False}, headers=me)
    ).json()
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
    me = patient_headers(api, patient)
    error = error_of(
        await api.post(
            path, json={"purpose": "sell_my_data", "granted": True}, headers={**ZH, **me}
        ),
        422,
        "unknown_purpose",
    )
    assert "未知的授权用途" in error["message"]
    error_of(await api.post(path, json={"purpose": WEARABLE}, headers=me), 422, "invalid_request")
    maybe = await api.post(path, json={"purpose": WEARABLE, "granted": "maybe"}, headers=me)
    error_of(maybe, 422, "invalid_request")
    assert await count_rows(api, "consents", patient_id=patient) == 0


async def test_consents_never_cross_tenants(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "pt-consent-tenant")
    body = {"purpose": WEARABLE, "granted": True}
    for response in (
        await (await manager(api, "insurer-demo")).post(
            f"/v1/patients/{patient}/consents", json=body
        ),
        await api.post(
            f"/v1/patients/{patient}/consents",
            json=body,
            headers=patient_headers(api, await new_patient(api, "pt-consent-someone-else")),
        ),
        await api.get(f"/v1/patients/{patient}/consents", headers=await other_tenant(api)),
        await api.get(f"/v1/patients/{patient}", headers=await other_tenant(api)),
        await api.get("/v1/patients/nobody/consents"),
    ):
        error_of(response, 404, "patient_not_found")  # same answer as for an unknown id
    assert await count_rows(api, "consents", patient_id=patient) == 0


async def test_an_insurers_key_reads_health_data_only_with_consent(api: httpx.AsyncClient) -> None:
    insurer = await other_tenant(api)  # insurer-demo is an insurer tenant
    patient = await new_patient(api, "pt-insured", headers=insurer)
    reading = {
        "kind": "weight",
        "value": 70,
        "unit": "kg",
        "measured_at": "2026-01-05T08:00:00+08:00",
    }
    assert (
        await api.post(f"/v1/patients/{patient}/readings", json=reading, headers=insurer)
    ).status_code == 201  # writing what the insurer's app measured is allowed
    reads = [
        f"/v1/patients/{patient}",
        f"/v1/patients/{patient}/readings",
        f"/v1/patients/{patient}/tasks",
    ]
    for path in reads:
        error = error_of(await api.get(path, headers=insurer), 403, "consent_missing")
        assert error["details"]["purpose"] == "share_with_insurer"
    assert (await api.get(f"/v1/patients/{patient}/consents", headers=insurer)).status_code == 200
    me = patient_headers(api, patient, tenant="insurer-demo")
    consent = f"/v1/patients/{patient}/consents"
    await api.post(consent, json={"purpose": "share_with_insurer", "granted": True}, headers=me)
    for path in reads:
        assert (await api.get(path, headers=insurer)).status_code == 200, path
    await api.post(consent, json={"purpose": "share_with_insurer", "granted": False}, headers=me)
    error_of(await api.get(reads[1], headers=insurer), 403, "consent_missing")
    # a provider tenant's key (default) is the care team's own back end: no such gate
    mine = await new_patient(api, "pt-provider")
    assert (await api.get(f"/v1/patients/{mine}/readings")).status_code == 200
