"""Webhooks against a real receiver: signed, replay-safe, at least once from a durable outbox."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from core import webhook_signing
from tests.api.care_helpers import container
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import patient_headers, tenant_headers
from tests.helpers.receiver import webhook_receiver
from tests.helpers.server import free_port

FAST = {"webhook_backoff_s": 0.05, "webhook_poll_s": 0.05, "webhook_max_attempts": 20}
EMERGENCY = "我爸胸口剧痛出冷汗"


async def _wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out waiting")


async def _subscribe(api: httpx.AsyncClient, url: str, events: list[str] | None = None) -> dict:
    body = {"url": url} | ({"events": events} if events else {})
    response = await api.post("/v1/tenants/default/webhooks", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_failing_receiver_gets_the_event_when_it_recovers(
    make_settings: SettingsFactory,
) -> None:
    with webhook_receiver(fail_first=2) as receiver:
        async with running_app(make_settings(**FAST)) as api:
            hook = await _subscribe(api, receiver.url, ["consent.changed"])
            assert hook["secret"].startswith("whsec_")
            patient = (await api.post("/v1/patients", json={"patient_ref": "wh-1"})).json()["id"]
            granted = await api.post(
                f"/v1/patients/{patient}/consents",
                json={"purpose": "share_with_insurer", "granted": True},
                headers=patient_headers(api, patient),
            )
            assert granted.status_code == 201
            await _wait_for(lambda: receiver.ok())
            log = (await api.get(f"/v1/tenants/default/webhooks/{hook['id']}/deliveries")).json()
    assert [r.answered for r in receiver.requests] == [500, 500, 200]
    keys = {r.headers["idempotency-key"] for r in receiver.requests}
    assert len(keys) == 1  # one event, retried: the receiver can drop duplicates by this key
    (last,) = receiver.ok()
    assert webhook_signing.verify(
        hook["secret"], last.headers["x-hm-timestamp"], last.headers["x-hm-signature"], last.body
    )
    event = json.loads(last.body)
    assert event["type"] == "consent.changed" and event["id"] in keys
    assert event["data"]["entity_id"] == patient and event["data"]["action"] == "consent_granted"
    (delivery,) = log
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3
    assert [a["status_code"] for a in delivery["log"]] == [500, 500, 200]


def test_signatures_refuse_tampering_other_secrets_and_replays() -> None:
    body, now = b'{"id":"e1"}', int(time.time())
    sig = webhook_signing.signature("whsec_a", now, body)
    assert webhook_signing.verify("whsec_a", str(now), sig, body)
    assert not webhook_signing.verify("whsec_a", str(now), sig, body + b" ")
    assert not webhook_signing.verify("whsec_b", str(now), sig, body)
    old = now - 600
    replay = webhook_signing.signature("whsec_a", old, body)
    assert not webhook_signing.verify("whsec_a", str(old), replay, body)  # too old: refused
    assert not webhook_signing.verify("whsec_a", "soon", sig, body)


async def test_escalations_reach_only_the_tenants_own_endpoint_and_test_events_work(
    make_settings: SettingsFactory,
) -> None:
    with webhook_receiver() as mine, webhook_receiver() as theirs:
        async with running_app(make_settings(**FAST)) as api:
            await _subscribe(api, mine.url, ["escalation", "answer.held"])
            other = await api.post(
                "/v1/tenants/insurer-demo/webhooks",
                json={"url": theirs.url},
                headers=await tenant_headers(api, "insurer-demo"),
            )
            assert other.status_code == 201
            cid = (await api.post("/v1/conversations", json={})).json()["id"]
            turn = await api.post(f"/v1/conversations/{cid}/messages", json={"content": EMERGENCY})
            assert turn.json()["safety"]["escalated"] is True
            await _wait_for(lambda: mine.ok())
            tested = await api.post(
                f"/v1/tenants/insurer-demo/webhooks/{other.json()['id']}/test",
                headers=await tenant_headers(api, "insurer-demo"),
            )
            assert tested.status_code == 202
            await _wait_for(lambda: theirs.ok())
            await asyncio.sleep(0.3)
    (event,) = [json.loads(r.body) for r in mine.ok()]
    assert event["type"] == "escalation" and event["tenant_id"] == "default"
    assert EMERGENCY not in json.dumps(event, ensure_ascii=False)  # ids and codes, no texts
    assert [json.loads(r.body)["type"] for r in theirs.ok()] == ["webhook.test"]


async def test_pending_deliveries_survive_a_restart(make_settings: SettingsFactory) -> None:
    port = free_port()
    settings = make_settings(**FAST)
    url = f"http://127.0.0.1:{port}/hooks"
    async with running_app(settings) as api:  # the receiver is down: attempts fail
        hook = await _subscribe(api, url, ["referral"])
        patient = (await api.post("/v1/patients", json={"patient_ref": "wh-r"})).json()["id"]
        referral = await api.post(
            "/v1/referrals",
            json={
                "level": "routine",
                "department": "psychiatry",
                "patient_id": patient,
                "home_facility_id": "xs-qingshi-township",
            },
        )
        assert referral.status_code == 201
        path = f"/v1/tenants/default/webhooks/{hook['id']}/deliveries"

        async def attempts() -> int:
            log = (await api.get(path)).json()
            return int(log[0]["attempts"]) if log else 0

        deadline = time.monotonic() + 10
        while await attempts() < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert await attempts() >= 2
    with webhook_receiver(port=port) as receiver:
        async with running_app(settings) as api:  # a new process would do the same
            await _wait_for(lambda: receiver.ok(), timeout=15)
            log = (await api.get(path)).json()
    assert log[0]["status"] == "delivered"
    assert log[0]["log"][0]["error"] and log[0]["log"][-1]["status_code"] == 200
    assert json.loads(receiver.ok()[0].body)["data"]["entity_id"] == referral.json()["id"]


async def test_production_accepts_only_https_endpoints(make_settings: SettingsFactory) -> None:
    from api.services.webhooks import WebhookCreate, create_webhook
    from core.errors import ValidationFailed

    async with running_app(make_settings()) as api, container(api).sessions() as session:
        plain = WebhookCreate.model_validate({"url": "http://hooks.example.com/hm"})
        with pytest.raises(ValidationFailed, match="https"):
            await create_webhook(session, "default", plain, require_https=True)
        tls = WebhookCreate.model_validate({"url": "https://hooks.example.com/hm"})
        made = await create_webhook(session, "default", tls, require_https=True)
        assert made.url.startswith("https://")
