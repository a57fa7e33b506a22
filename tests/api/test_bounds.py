# ruff: noqa: E501  (tables of request bodies read best one per line)
"""Bounds at the boundary: extreme values are a 422 (or 413) before anything is stored, the
records around them stay readable, and the largest accepted input to each endpoint completes
within a second while ``/healthz`` keeps answering (CPU work runs off the event loop)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

from api.schemas_tools import MAX_TRIAGE_CHARS
from core.db.care_models import InsuranceQuoteRecord, PaymentPlanRecord, ReadingRecord, TaskRecord
from core.db.models import Message
from tests.api.care_helpers import count_rows
from tests.conftest import SettingsFactory, running_app

DAILY = {"kind": "daily", "times": ["07:00"]}
BP = {"kind": "blood_pressure", "sbp": 120, "dbp": 80, "measured_at": "2026-01-01T08:00:00+08:00"}


@pytest_asyncio.fixture(loop_scope="function")
async def app(make_settings: SettingsFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings()) as client:
        yield client


async def _patient(api: httpx.AsyncClient) -> str:
    response = await api.post("/v1/patients", json={"patient_ref": "bounds"})
    assert response.status_code == 201
    return str(response.json()["id"])


def _extreme_cases(pid: str) -> list[tuple[str, str, dict[str, Any]]]:
    plan = {"total_cost": 100000, "monthly_income": 5000}
    quote = {"age": 40, "sex": "male", "city_tier": 1}
    return [
        ("/v1/tools/payment-plans", "total_cost", {**plan, "total_cost": 1e30}),
        ("/v1/tools/payment-plans", "monthly_income", {**plan, "monthly_income": "1e30"}),
        ("/v1/tools/payment-plans", "down_payment", {**plan, "down_payment": -1e30}),
        ("/v1/tools/payment-plans", "term_months", {**plan, "term_months": 10**12}),
        ("/v1/tools/insurance-quotes", "age", {**quote, "age": 10**30}),
        ("/v1/tools/insurance-quotes", "deductible", {**quote, "deductible": 1e30}),
        ("/v1/tools/insurance-quotes", "health_declaration", {**quote, "health_declaration": ["x"] * 101}),
        ("/v1/tools/triage", "text", {"text": "胸痛" * MAX_TRIAGE_CHARS}),
        ("/v1/tools/triage", "vitals", {"text": "头痛", "vitals": {"sbp": 1e30}}),
        (f"/v1/patients/{pid}/tasks", "start", {"task_type": "steps", "schedule": {**DAILY, "start": "0001-01-01"}}),
        (f"/v1/patients/{pid}/tasks", "start", {"task_type": "steps", "schedule": {**DAILY, "start": "0210-06-01"}}),
        (f"/v1/patients/{pid}/tasks", "end", {"task_type": "steps", "schedule": {**DAILY, "end": "9999-12-31"}}),
        (f"/v1/patients/{pid}/tasks", "datetimes", {"task_type": "steps", "schedule": {"kind": "specific", "datetimes": ["9999-12-31T23:59:59"]}}),
        (f"/v1/patients/{pid}/tasks", "times", {"task_type": "steps", "schedule": {**DAILY, "times": ["07:00"] * 49}}),
        (f"/v1/patients/{pid}/readings", "measured_at", {**BP, "measured_at": "0001-01-01T00:00:00Z"}),
        (f"/v1/patients/{pid}/readings", "sbp", {**BP, "sbp": 1e300}),
        (f"/v1/patients/{pid}/care-plans", "start", {"template_id": "hypertension_follow_up", "start": "0001-01-01"}),
    ]  # fmt: skip


async def test_extreme_values_are_refused_before_anything_is_stored(
    app: httpx.AsyncClient,
) -> None:
    pid = await _patient(app)
    tables = (PaymentPlanRecord, InsuranceQuoteRecord, ReadingRecord, TaskRecord)
    before = {t: await count_rows(app, t.__tablename__) for t in tables}
    for path, field, body in _extreme_cases(pid):
        response = await app.post(path, json=body)
        assert response.status_code == 422, (path, field, response.text)
        error = response.json()["error"]
        assert field in (error.get("field") or "") + str(error.get("details")), (path, error)
    assert {t: await count_rows(app, t.__tablename__) for t in tables} == before
    for path in (f"/v1/patients/{pid}/tasks", f"/v1/patients/{pid}/readings"):
        listed = await app.get(path)
        assert listed.status_code == 200 and listed.json() == []


async def test_a_task_starting_more_than_a_year_ago_is_refused(app: httpx.AsyncClient) -> None:
    pid = await _patient(app)
    body = {"task_type": "steps", "schedule": {**DAILY, "start": "2000-01-01"}}
    response = await app.post(f"/v1/patients/{pid}/tasks", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "start_too_early"
    assert (await app.get(f"/v1/patients/{pid}/tasks")).json() == []


async def test_an_oversized_body_is_413_and_nothing_is_stored(app: httpx.AsyncClient) -> None:
    cid = (await app.post("/v1/conversations", json={})).json()["id"]
    before = await count_rows(app, Message.__tablename__)
    huge = {"content": "x" * 300_000}
    response = await app.post(f"/v1/conversations/{cid}/messages", json=huge)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert await count_rows(app, Message.__tablename__) == before
    assert (await app.get(f"/v1/conversations/{cid}")).status_code == 200


def _largest_accepted(
    pid: str, cid: str, attempt: int
) -> dict[str, tuple[str, str, dict[str, Any] | None]]:
    times = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
    year_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 360 * 86400))
    return {
        "triage": ("POST", "/v1/tools/triage", {"text": ("胸口痛，出汗，头晕。" * 300)[:MAX_TRIAGE_CHARS], "conditions": ["x" * 200] * 50}),
        "triage-en": ("POST", "/v1/tools/triage", {"text": ("chest pain and sweating, " * 100)[:MAX_TRIAGE_CHARS]}),
        "payment-plan": ("POST", "/v1/tools/payment-plans", {"total_cost": "200000", "monthly_income": "999999999", "existing_monthly_debt": "1"}),
        "quote": ("POST", "/v1/tools/insurance-quotes", {"age": 40, "sex": "male", "city_tier": 1, "health_declaration": ["高血压" * 66] * 100}),
        "task": ("POST", f"/v1/patients/{pid}/tasks", {"task_type": "steps", "schedule": {"kind": "daily", "times": times, "start": year_ago}}),
        "task-specific": ("POST", f"/v1/patients/{pid}/tasks", {"task_type": "steps", "schedule": {"kind": "specific", "datetimes": [f"2099-01-01T{h:02d}:{m:02d}:00" for h in range(24) for m in range(15)][:366]}}),
        "tasks-list": ("GET", f"/v1/patients/{pid}/tasks", None),
        "care-plan": ("POST", f"/v1/patients/{pid}/care-plans", {"template_id": "hypertension_follow_up", "start": year_ago, "medications": [{"name": "x" * 80, "times": times[:12]}] * 10}),
        "reading": ("POST", f"/v1/patients/{pid}/readings", {**BP, "sbp": 999999}),
        "search": ("GET", "/v1/knowledge/search?k=20&q=" + f"{attempt}#" + ("高血压每天吃多少盐" * 300)[:1998], None),
        "turn": ("POST", f"/v1/conversations/{cid}/messages", {"content": f"{attempt}#" + ("高血压每天吃多少盐合适？" * 400)[:3998]}),
        "turn-emergency": ("POST", f"/v1/conversations/{cid}/messages", {"content": ("我胸口痛还出汗，头晕。" * 400)[:4000]}),
    }  # fmt: skip


async def _measure(
    api: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> tuple[float, float, int]:
    """(seconds the request took, slowest /healthz meanwhile, status).

    A probe is due 10 ms after the previous one answered; its time counts from when it was
    due, so an event loop blocked by the request shows up as a slow probe."""
    started = time.perf_counter()
    request = asyncio.create_task(api.request(method, path, json=body))
    slowest = 0.0
    due = time.perf_counter()
    for _ in range(300):  # bounded: at most 300 probes
        health = await api.get("/healthz")
        assert health.status_code == 200
        slowest = max(slowest, time.perf_counter() - due)
        if request.done():
            break
        due = time.perf_counter() + 0.01
        await asyncio.sleep(0.01)
    response = await asyncio.wait_for(request, 10)
    return time.perf_counter() - started, slowest, response.status_code


async def test_the_largest_accepted_inputs_do_not_stall_the_service(
    app: httpx.AsyncClient,
) -> None:
    pid = await _patient(app)
    cid = (await app.post("/v1/conversations", json={})).json()["id"]
    await app.post(f"/v1/conversations/{cid}/messages", json={"content": "你好"})  # warm
    results: dict[str, tuple[float, float, int]] = {}
    # This machine is shared: each input gets up to two attempts (a fresh query each time, so
    # no cache helps); the best one counts. An algorithm that is slow fails both.
    for attempt in range(2):
        for name, (method, path, body) in _largest_accepted(pid, cid, attempt).items():
            took, slowest, status = await _measure(app, method, path, body)
            best = results.get(name)
            if best is None or (took, slowest) < best[:2]:
                results[name] = (took, slowest, status)
        if all(t <= 1.0 and s <= 0.1 for t, s, _ in results.values()):
            break
    print("\nlargest accepted input: request s, slowest /healthz ms, status")
    for name, (took, slowest, status) in results.items():
        print(f"  {name:14s} {took:6.3f} s  {slowest * 1000:6.1f} ms  {status}")
    assert results, "no inputs were measured"
    for name, (took, slowest, status) in results.items():
        assert 200 <= status < 300, name
        assert took <= 1.0, (name, took)
        assert slowest <= 0.1, (name, slowest)
