"""Isolation attacks generated from the OpenAPI document: every operation, four attackers.

For each operation of ``/openapi.json`` (a new endpoint is picked up automatically):

- no credential                     → 401 (unless the operation is declared public);
- another tenant's key (all scopes) → never a success on tenant A's records;
- another patient's token (tenant A) → never a success on patient P1's records;
- a principal of tenant A whose role (or key scope) the operation does not admit → 403.

"Success" is a 2xx answer on an operation that addresses A's / P1's records (path ids or ids
in the body), or any 2xx whose body shows one of their identifiers. A positive control runs
last: the admitted principal is NOT refused (so a route answering 404 to everyone would fail).
Every operation must declare ``x-hm-access``, and every operation with a body needs a sample
body below — the test fails for a new endpoint until it has both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio

from core.db.models import ReviewItem
from tests.api.care_helpers import container, new_patient
from tests.helpers.auth import bearer, manager, new_key, patient_headers, staff_client
from tests.helpers.streams import open_stream

pytestmark = pytest.mark.asyncio(loop_scope="module")
A, B = "default", "insurer-demo"
SECRET_TEXT = "isolation-secret-XK9931"


@dataclass
class World:
    ids: dict[str, str]
    """Path parameter → an id of tenant A / patient P1."""
    secrets: list[str]
    """Strings that must never appear in another principal's successful answer."""
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


BODIES: dict[tuple[str, str], Callable[[World], Any]] = {
    ("post", "/v1/conversations"): lambda w: {"patient_ref": w.ids["patient_ref"]},
    ("post", "/v1/conversations/{conversation_id}/messages"): lambda w: {"content": "你好"},
    ("post", "/v1/patients"): lambda w: {"patient_ref": w.ids["patient_ref"]},
    ("put", "/v1/patients/{patient_id}/profile"): lambda w: {"conditions": ["diabetes"]},
    ("post", "/v1/patients/{patient_id}/consents"): lambda w: {
        "purpose": "share_with_insurer",
        "granted": True,
    },
    ("post", "/v1/patients/{patient_id}/readings"): lambda w: {
        "kind": "glucose",
        "value": 6.1,
        "unit": "mmol/L",
        "meal_context": "fasting",
        "measured_at": datetime.now(UTC).isoformat(),
    },
    ("post", "/v1/patients/{patient_id}/tasks"): lambda w: {
        "task_type": "exercise",
        "schedule": {"kind": "daily", "times": ["18:30"], "timezone": "Asia/Shanghai"},
    },
    ("post", "/v1/patients/{patient_id}/tasks/{task_id}/completions"): lambda w: {
        "client_completion_id": "iso-1"
    },
    ("post", "/v1/patients/{patient_id}/care-plans"): lambda w: {
        "template_id": "hypertension_follow_up"
    },
    ("post", "/v1/tools/payment-plans"): lambda w: {
        "total_cost": "100000",
        "insurance_coverage_ratio": "0.6",
        "monthly_income": "5000",
        "patient_id": w.ids["patient_id"],
    },
    ("post", "/v1/tools/insurance-quotes"): lambda w: {
        "age": 45,
        "sex": "male",
        "city_tier": 3,
        "patient_id": w.ids["patient_id"],
    },
    ("post", "/v1/tools/triage"): lambda w: {"text": "头痛两天"},
    ("post", "/v1/referrals"): lambda w: {
        "level": "routine",
        "department": "psychiatry",
        "home_facility_id": "xs-qingshi-township",
        "patient_id": w.ids["patient_id"],
    },
    ("post", "/v1/referrals/{referral_id}/status"): lambda w: {"status": "sent"},
    ("post", "/v1/alerts/{alert_id}/ack"): lambda w: {"note": "seen"},
    ("post", "/v1/alerts/{alert_id}/resolve"): lambda w: {"note": "called the patient"},
    ("post", "/v1/alerts/{alert_id}/assign"): lambda w: {"assignee": "iso-manager"},
    ("post", "/v1/review-queue/{item_id}/approve"): lambda w: {},
    ("post", "/v1/review-queue/{item_id}/edit"): lambda w: {"reply": "请咨询医生。"},
    ("post", "/v1/review-queue/{item_id}/reject"): lambda w: {},
    ("post", "/v1/review-queue/{item_id}/label"): lambda w: {
        "root_cause": "rule",
        "correct_answer": "请咨询医生。",
    },
    ("post", "/v1/conversations/{conversation_id}/manager-messages"): lambda w: {
        "content": "您好，我是健康管理师。"
    },
    ("post", "/v1/conversations/{conversation_id}/manager-messages/check"): lambda w: {
        "content": "您好，我是健康管理师。"
    },
    ("put", "/v1/conversations/{conversation_id}/messages/{message_id}/label"): lambda w: {
        "verdict": "unhelpful"
    },
    ("post", "/v1/auth/login"): lambda w: {"username": "nobody", "password": "nothing-here"},
    ("post", "/v1/tenants/{tenant_id}/patient-tokens"): lambda w: {
        "patient_ref": w.ids["patient_ref"]
    },
    ("post", "/v1/tenants/{tenant_id}/keys"): lambda w: {"name": "iso"},
    ("post", "/v1/tenants/{tenant_id}/webhooks"): lambda w: {"url": "http://127.0.0.1:9/hook"},
    ("put", "/v1/tenants/{tenant_id}/policy"): lambda w: {"banned_phrases": ["稳赚不赔"]},
    ("post", "/v1/chat/completions"): lambda w: {
        "model": "health-manager",
        "messages": [{"role": "user", "content": "你好"}],
        "metadata": {"conversation_id": w.ids["conversation_id"]},
    },
}


SHARED_PARAMS = {"chunk_id"}
"""Path parameters naming records no tenant owns (guideline passages are the same for all)."""

QUERIES: dict[tuple[str, str], dict[str, str]] = {
    ("get", "/v1/knowledge/search"): {"q": "高血压患者每天吃多少盐"},
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    access: dict[str, Any]
    has_body: bool
    required_query: tuple[str, ...] = ()
    streams: bool = False
    """A live event stream (a GET answering text/event-stream): it never ends by itself."""

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


async def operations(api: httpx.AsyncClient) -> list[Operation]:
    document = (await api.get("/openapi.json")).json()
    found = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            assert "x-hm-access" in op, f"{method.upper()} {path} declares no access policy"
            query = tuple(
                p["name"]
                for p in op.get("parameters", [])
                if p["in"] == "query" and p.get("required")
            )
            content = op.get("responses", {}).get("200", {}).get("content", {})
            streams = method == "get" and "text/event-stream" in content
            found.append(
                Operation(method, path, op["x-hm-access"], "requestBody" in op, query, streams)
            )
    assert len(found) >= 30, "the OpenAPI document lost operations"
    return found


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(api: httpx.AsyncClient) -> World:
    """Tenant A's records (patient P1 and one of everything), seen by nobody else."""
    ref = "iso-p1"
    p1 = await new_patient(api, ref, conditions=["diabetes"])
    conv = (await api.post("/v1/conversations", json={"patient_ref": ref})).json()
    turn = await api.post(
        f"/v1/conversations/{conv['id']}/messages", json={"content": f"我的编号 {SECRET_TEXT}"}
    )
    assert turn.status_code == 200, turn.text
    task_body = {"task_type": "exercise", "schedule": {"kind": "daily", "times": ["08:00"]}}
    task = await api.post(f"/v1/patients/{p1}/tasks", json=task_body)
    assert task.status_code == 201, task.text
    reading = {
        "kind": "glucose",
        "value": 2.2,
        "unit": "mmol/L",
        "meal_context": "random",
        "measured_at": datetime.now(UTC).isoformat(),
    }
    recorded = await api.post(f"/v1/patients/{p1}/readings", json=reading)
    assert recorded.status_code == 201, recorded.text
    alert = recorded.json()["alerts"][0]
    referral = await api.post(
        "/v1/referrals",
        json={
            "level": "routine",
            "department": "psychiatry",
            "patient_id": p1,
            "home_facility_id": "xs-qingshi-township",
        },
    )
    assert referral.status_code == 201, referral.text
    async with container(api).sessions() as session:  # a held draft of A (factory row)
        item = ReviewItem(
            tenant_id=A,
            conversation_id=conv["id"],
            message_id=turn.json()["message_id"],
            draft=f"草稿 {SECRET_TEXT}",
            reasons=[],
        )
        session.add(item)
        await session.commit()
    history = (await api.get(f"/v1/conversations/{conv['id']}")).json()["messages"]
    answer = next(m for m in history if m["role"] == "assistant")
    target_key = await new_key(api, A)  # the key the key routes act on
    me = (await api.get("/v1/auth/me", headers=bearer(target_key))).json()
    p2 = await new_patient(api, "iso-p2")
    hook = await api.post("/v1/tenants/default/webhooks", json={"url": "http://127.0.0.1:9/h"})
    assert hook.status_code == 201, hook.text
    hits = await api.get("/v1/knowledge/search", params={"q": "高血压患者每天吃多少盐"})
    chunk_id = hits.json()["passages"][0]["chunk_id"]
    w = World(
        ids={
            "tenant_id": A,
            "patient_id": p1,
            "patient_ref": ref,
            "conversation_id": conv["id"],
            "task_id": task.json()["task"]["id"],
            "alert_id": alert["alert"]["id"],
            "referral_id": referral.json()["id"],
            "item_id": item.id,
            "message_id": answer["id"],
            "key_id": me["subject"],
            "webhook_id": hook.json()["id"],
            "chunk_id": chunk_id,
        },
        secrets=[p1, conv["id"], SECRET_TEXT],
    )
    w.headers = {
        "none": {"Authorization": ""},
        "other_tenant_key": bearer(await new_key(api, B)),
        "other_patient": patient_headers(api, p2),
        "key": bearer(await new_key(api, A)),
        "patient": patient_headers(api, p1),
        "manager": dict((await manager(api)).headers),
        "auditor": dict((await staff_client(api, "auditor")).headers),
        "other_tenant_manager": dict((await manager(api, B)).headers),
        "scopeless_key": bearer(await new_key(api, A, scopes=["knowledge"])),
    }
    return w


def _request(op: Operation, w: World) -> tuple[str, Any, dict[str, str]]:
    query = QUERIES.get((op.method, op.path), {})
    for name in op.required_query:
        assert name in query, f"{op.method.upper()} {op.path}: add ?{name}= to QUERIES"
    path = op.path
    for name in op.params:
        assert name in w.ids, f"{op.path}: add an id of tenant A for {{{name}}} to the world"
        path = path.replace(f"{{{name}}}", w.ids[name])
    body = None
    if op.has_body:
        sample = BODIES.get((op.method, op.path))
        assert sample is not None, f"{op.method.upper()} {op.path}: add a sample body to BODIES"
        body = sample(w)
    return path, body, query


def _addresses_victim(op: Operation, body: Any, w: World) -> bool:
    """Path ids, or a record id of A in the body (a patient_ref is only a name, per tenant)."""
    ids = [v for k, v in w.ids.items() if k not in ("tenant_id", "patient_ref", *SHARED_PARAMS)]
    owned = [p for p in op.params if p not in SHARED_PARAMS]
    return bool(owned) or any(i in str(body) for i in ids)


async def _call(api: httpx.AsyncClient, op: Operation, w: World, who: str) -> httpx.Response:
    path, body, query = _request(op, w)
    if op.streams:  # the status and the first event, then hang up
        return await open_stream(api.app, path, w.headers[who], query)  # type: ignore[attr-defined]
    return await api.request(op.method, path, json=body, params=query, headers=w.headers[who])


def _public(op: Operation) -> bool:
    return op.access["policy"] == "public"


async def test_no_credential_is_401_everywhere(api: httpx.AsyncClient, world: World) -> None:
    wrong = []
    for op in await operations(api):
        if _public(op):
            continue
        response = await _call(api, op, world, "none")
        if response.status_code != 401 or response.json()["error"]["code"] != "unauthenticated":
            wrong.append((op.method, op.path, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("attacker", ["other_tenant_key", "other_tenant_manager", "other_patient"])
async def test_nobody_else_succeeds_on_the_victims_records(
    api: httpx.AsyncClient, world: World, attacker: str
) -> None:
    breaches = []
    for op in await operations(api):
        if _public(op):
            continue
        _, body, _ = _request(op, world)
        response = await _call(api, op, world, attacker)
        assert response.status_code < 500, (op.path, response.text)
        ok = 200 <= response.status_code < 300
        leaked = ok and any(s in response.text for s in world.secrets)
        if (ok and _addresses_victim(op, body, world)) or leaked:
            breaches.append((op.method, op.path, response.status_code))
        if ok or response.status_code not in (403, 404):
            continue
        if response.status_code == 404 and op.params:
            # another tenant's / patient's record is "not found" exactly like a missing one
            assert response.json()["error"]["code"].endswith("not_found") or (
                response.json()["error"]["code"] == "unknown_tenant"
            ), (op.path, response.text)
    assert breaches == []


def _wrong_roles(op: Operation) -> list[str]:
    roles = set(op.access["roles"])
    candidates = {"key": "key", "patient": "patient", "manager": "manager", "auditor": "auditor"}
    wrong = [who for role, who in candidates.items() if role not in roles]
    if "key" in roles and op.access.get("scope") not in (None, "knowledge"):
        wrong.append("scopeless_key")
    return wrong


async def test_a_wrong_role_is_403(api: httpx.AsyncClient, world: World) -> None:
    wrong, checked = [], 0
    for op in await operations(api):
        if _public(op):
            continue
        for who in _wrong_roles(op):
            response = await _call(api, op, world, who)
            checked += 1
            code = response.json()["error"]["code"] if response.status_code >= 400 else None
            if response.status_code != 403 or code not in ("wrong_role", "insufficient_scope"):
                wrong.append((op.method, op.path, who, response.status_code))
    assert checked > 40 and wrong == []


async def test_positive_control_the_admitted_principal_gets_in(
    api: httpx.AsyncClient, world: World
) -> None:
    """Run last: the same calls by an admitted principal are not refused."""
    refused = []
    for op in await operations(api):
        if _public(op):
            continue
        roles = op.access["roles"]
        who = next(r for r in ("key", "manager", "patient", "auditor") if r in roles)
        response = await _call(api, op, world, who)
        if response.status_code in (401, 403, 404) or response.status_code >= 500:
            refused.append((op.method, op.path, who, response.status_code, response.text[:120]))
        elif op.streams:
            # a stream opens with its ready event (after an optional reconnection hint)
            first_event = response.text.removeprefix("retry: 1000\n\n")
            assert first_event.startswith("event: ready"), (op.path, response.text[:120])
    assert refused == []
