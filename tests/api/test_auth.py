"""Principals: tenant keys, console sign-in (cookie + CSRF, or bearer), patient tokens, roles."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest
from sqlalchemy import select

from core.db.auth_models import ApiKey
from core.db.models import AuditEntry
from core.settings import Settings
from tests.api.care_helpers import container, error_of, new_patient
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import (
    PASSWORD,
    bearer,
    manager,
    new_account,
    new_key,
    patient_headers,
    staff_client,
    tenant_headers,
)

NO_AUTH = {"Authorization": ""}


async def test_no_or_bad_credentials_are_401_with_the_error_body(api: httpx.AsyncClient) -> None:
    error_of(await api.post("/v1/conversations", json={}, headers=NO_AUTH), 401, "unauthenticated")
    for token in ("hm_nothere00000_secret", "hm_short", "not-a-jwt", "a.b.c"):
        response = await api.get("/v1/alerts", headers=bearer(token))
        error_of(response, 401, "invalid_credential")
    forged = jwt.encode(
        {"typ": "patient", "aud": "hm:patient", "tid": "default"}, "a-guessed-secret-" * 3
    )
    error_of(await api.get("/v1/auth/me", headers=bearer(forged)), 401, "invalid_credential")
    # X-Tenant-ID is not a credential
    error_of(
        await api.get("/v1/auth/me", headers={**NO_AUTH, "X-Tenant-ID": "default"}),
        401,
        "unauthenticated",
    )


async def test_a_key_is_stored_hashed_scoped_revocable_and_rotatable(
    api: httpx.AsyncClient,
) -> None:
    key = await new_key(api, "default", scopes=["chat"])
    async with container(api).sessions() as session:
        rows = list(await session.scalars(select(ApiKey)))
    assert all(key.split("_", 2)[2] not in (r.secret_hash + r.prefix) for r in rows)
    me = (await api.get("/v1/auth/me", headers=bearer(key))).json()
    assert me["role"] == "key" and me["scopes"] == ["chat"] and me["tenant_id"] == "default"
    assert (await api.post("/v1/conversations", json={}, headers=bearer(key))).status_code == 201
    error_of(
        await api.post("/v1/tools/triage", json={"text": "头痛"}, headers=bearer(key)),
        403,
        "insufficient_scope",
    )
    keys = (await api.get("/v1/tenants/default/keys")).json()
    mine = next(k for k in keys if k["id"] == me["subject"])
    assert mine["last_used_at"] is not None and "key" not in mine

    rotated = await api.post(f"/v1/tenants/default/keys/{mine['id']}/rotate")
    assert rotated.status_code == 201, rotated.text
    new = rotated.json()
    assert new["scopes"] == ["chat"] and new["key"] != key
    error_of(await api.get("/v1/auth/me", headers=bearer(key)), 401, "invalid_credential")
    assert (await api.get("/v1/auth/me", headers=bearer(new["key"]))).status_code == 200
    revoked = await api.post(f"/v1/tenants/default/keys/{new['id']}/revoke")
    assert revoked.json()["revoked_at"] is not None
    error_of(await api.get("/v1/auth/me", headers=bearer(new["key"])), 401, "invalid_credential")
    # another tenant cannot see or revoke this tenant's keys
    other = await tenant_headers(api, "insurer-demo")
    error_of(await api.get("/v1/tenants/default/keys", headers=other), 404, "unknown_tenant")
    error_of(
        await api.post(f"/v1/tenants/insurer-demo/keys/{mine['id']}/revoke", headers=other),
        404,
        "key_not_found",
    )


async def test_wrong_role_is_403(api: httpx.AsyncClient) -> None:
    auditor = await staff_client(api, "auditor")
    assert (await auditor.get("/v1/review-queue")).status_code == 200
    for caller in (api, auditor):
        response = await caller.post("/v1/review-queue/any/approve", json={})
        error_of(response, 403, "wrong_role")
    error_of(await (await manager(api)).post("/v1/conversations", json={}), 403, "wrong_role")
    error_of(await api.get("/v1/tenants/default/keys", headers=await _mgr(api)), 403, "wrong_role")


async def _mgr(api: httpx.AsyncClient) -> dict[str, str]:
    return dict((await manager(api)).headers)


async def test_console_sign_in_sets_an_httponly_samesite_cookie_and_needs_csrf(
    api: httpx.AsyncClient,
) -> None:
    username = await new_account(api, "manager")
    wrong = await api.post(
        "/v1/auth/login", json={"username": username, "password": "nope"}, headers=NO_AUTH
    )
    error_of(wrong, 401, "invalid_credential")
    transport = api._transport
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as browser:
        signed = await browser.post(
            "/v1/auth/login", json={"username": username, "password": PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        cookie = next(h for h in signed.headers.get_list("set-cookie") if "hm_session=" in h)
        assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
        csrf = signed.json()["csrf_token"]
        me = (await browser.get("/v1/auth/me")).json()
        assert me["role"] == "manager" and me["subject"] == username
        assert (await browser.get("/v1/review-queue")).status_code == 200
        # unsafe method without / with a wrong / with the right CSRF token
        error_of(await browser.post("/v1/alerts/x/ack", json={}), 403, "csrf_failed")
        bad = await browser.post("/v1/alerts/x/ack", json={}, headers={"X-CSRF-Token": "x"})
        error_of(bad, 403, "csrf_failed")
        ok = await browser.post("/v1/alerts/x/ack", json={}, headers={"X-CSRF-Token": csrf})
        error_of(ok, 404, "alert_not_found")  # authenticated and allowed; the alert is absent
        out = await browser.post("/v1/auth/logout", headers={"X-CSRF-Token": csrf})
        assert out.status_code == 204
        error_of(await browser.get("/v1/auth/me"), 401, "unauthenticated")


async def test_patient_tokens_are_bound_to_one_tenant_and_one_patient(
    api: httpx.AsyncClient,
) -> None:
    issued = await api.post("/v1/tenants/default/patient-tokens", json={"patient_ref": "pt-tok"})
    assert issued.status_code == 201, issued.text
    token = issued.json()
    assert token["app_path"] == f"/app/#token={token['token']}"
    me = bearer(token["token"])
    conv = await api.post("/v1/conversations", json={"patient_ref": "someone-else"}, headers=me)
    assert conv.status_code == 201 and conv.json()["patient_id"] == token["patient_id"]
    cid = conv.json()["id"]
    turn = await api.post(f"/v1/conversations/{cid}/messages", json={"content": "你好"}, headers=me)
    assert turn.status_code == 200, turn.text
    assert (
        await api.get(f"/v1/patients/{token['patient_id']}/tasks", headers=me)
    ).status_code == 200

    # another patient of the same tenant: their records are "not found", exactly like missing
    other = await new_patient(api, "pt-tok-other")
    other_conv = (await api.post("/v1/conversations", json={"patient_ref": "pt-tok-other"})).json()
    error_of(await api.get(f"/v1/patients/{other}", headers=me), 404, "patient_not_found")
    error_of(
        await api.get(f"/v1/conversations/{other_conv['id']}", headers=me),
        404,
        "conversation_not_found",
    )
    plan = {"total_cost": 12000, "monthly_income": 8000, "patient_id": other}
    error_of(
        await api.post("/v1/tools/payment-plans", json=plan, headers=me), 404, "patient_not_found"
    )
    # and a patient may not do staff or back-end things
    error_of(await api.get("/v1/alerts", headers=me), 403, "wrong_role")
    error_of(
        await api.post("/v1/tenants/default/patient-tokens", json={"patient_ref": "x"}, headers=me),
        403,
        "wrong_role",
    )
    # a key of another tenant cannot issue tokens for this tenant
    foreign = await tenant_headers(api, "insurer-demo")
    refused = await api.post(
        "/v1/tenants/default/patient-tokens", json={"patient_ref": "pt-tok"}, headers=foreign
    )
    error_of(refused, 404, "unknown_tenant")


async def test_an_expired_patient_token_is_401(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "pt-expired")
    secret = container(api).settings.token_secret.get_secret_value()
    now = int(time.time())
    claims = {"typ": "patient", "aud": "hm:patient", "tid": "default", "pid": patient}
    expired = jwt.encode({**claims, "iat": now - 100, "exp": now - 10}, secret)
    error_of(
        await api.get(f"/v1/patients/{patient}", headers=bearer(expired)), 401, "invalid_credential"
    )
    fresh = patient_headers(api, patient)
    assert (await api.get(f"/v1/patients/{patient}", headers=fresh)).status_code == 200
    # a token naming another tenant than its patient's is refused
    crossed = patient_headers(api, patient, tenant="insurer-demo")
    error_of(await api.get(f"/v1/patients/{patient}", headers=crossed), 401, "invalid_credential")


async def test_state_changing_requests_record_the_principal(api: httpx.AsyncClient) -> None:
    me = (await api.get("/v1/auth/me")).json()
    created = await api.post("/v1/conversations", json={})
    assert created.status_code == 201
    refused = await api.post("/v1/review-queue/x/approve", json={"manager": "random-internet-user"})
    assert refused.status_code == 403
    async with container(api).sessions() as session:
        rows = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.at)))
    label = f"key:{me['subject']}@default"
    domain = next(r for r in rows if r.entity_id == created.json()["id"])
    assert domain.action == "conversation_created" and domain.principal == label
    requests = [r for r in rows if r.action == "http_request" and r.principal == label]
    paths = {(r.details["path"], r.details["status"]) for r in requests}
    assert ("/v1/conversations", 201) in paths and ("/v1/review-queue/x/approve", 403) in paths
    assert not any("random-internet-user" in str(r.details) for r in rows)


def test_production_refuses_the_development_token_secret() -> None:
    base = {"environment": "production", "database_url": "postgresql+psycopg://x@y/z"}
    with pytest.raises(ValueError, match="HM_TOKEN_SECRET"):
        Settings(_env_file=None, **base)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="HM_TOKEN_SECRET"):
        Settings(_env_file=None, token_secret="short", **base)  # type: ignore[call-arg]
    ok = Settings(_env_file=None, token_secret="x" * 40, **base)  # type: ignore[call-arg]
    assert ok.environment == "production"


async def test_password_guessing_is_rate_limited(make_settings: SettingsFactory) -> None:
    async with running_app(make_settings()) as api:
        username = await new_account(api, "manager")
        guesses = [
            await api.post(
                "/v1/auth/login",
                json={"username": username, "password": f"guess-{i}"},
                headers=NO_AUTH,
            )
            for i in range(11)
        ]
    assert [g.status_code for g in guesses] == [401] * 10 + [429]
    assert guesses[-1].headers["Retry-After"]
