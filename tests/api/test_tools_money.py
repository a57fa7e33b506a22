"""POST /v1/tools/payment-plans and /v1/tools/insurance-quotes: computed, stored, audited;
every bad input is a 4xx with a code, in the caller's language, and stores nothing.

Each test runs on SQLite and (integration) on a fresh PostgreSQL database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.api.care_helpers import (
    ZH,
    count_rows,
    error_of,
    new_patient,
    other_tenant,
)
from tests.helpers.auth import patient_headers

pytestmark = pytest.mark.asyncio(loop_scope="module")
D = Decimal
PLAN = {"total_cost": "100000", "insurance_coverage_ratio": "0.6", "monthly_income": "5000"}
APPLICANT: dict[str, Any] = {"age": 45, "sex": "male", "city_tier": 3}
WEARABLE = {"avg_daily_steps": 11000, "days_covered": 60}


async def test_payment_plan_is_computed_stored_and_audited(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "money-plan-1")
    response = await api.post("/v1/tools/payment-plans", json={**PLAN, "patient_id": patient})
    assert response.status_code == 201, response.text
    body = response.json()
    # 100,000 with 60% basic insurance leaves 40,000; the budget is 30% of 5,000 = 1,500.
    assert D(body["financed_amount"]) == D("40000.00")
    assert D(body["affordability"]["monthly_budget"]) == D("1500.00")
    affordable = {o["term_months"] for o in body["options"] if o["affordable"]}
    assert affordable == {36, 48, 60}
    assert all(o["apr"] and o["disclosure_zh"] and o["disclosure_en"] for o in body["options"])
    assert body["patient_id"] == patient and body["id"]
    assert await count_rows(api, "payment_plans", id=body["id"], patient_id=patient) == 1
    assert await count_rows(api, "audit_log", action="payment_plan_created", entity_id=body["id"])


async def test_payment_plan_without_patient_is_stored_under_the_tenant(
    api: httpx.AsyncClient,
) -> None:
    response = await api.post(
        "/v1/tools/payment-plans", json={**PLAN, "term_months": 12}, headers=await other_tenant(api)
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["tenant_id"] == "insurer-demo" and body["patient_id"] is None
    assert not body["affordable_any"] and body["suggestions"]  # 12 months is far above budget
    assert await count_rows(api, "payment_plans", id=body["id"], tenant_id="insurer-demo") == 1


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"total_cost": "-100"}, 422, "invalid_amount", "total_cost"),
        ({"total_cost": "0"}, 422, "invalid_amount", "total_cost"),
        ({"down_payment": "-1"}, 422, "invalid_amount", "down_payment"),
        ({"insurance_coverage_ratio": "1.5"}, 422, "invalid_coverage_ratio", None),
        ({"insurance_coverage_ratio": "-0.1"}, 422, "invalid_coverage_ratio", None),
        ({"monthly_income": "0"}, 422, "invalid_income", "monthly_income"),
        ({"term_months": 0}, 422, "invalid_term", "term_months"),
        ({"term_months": 999}, 422, "invalid_term", "term_months"),
        ({"product": "no-such-loan"}, 404, "unknown_product", "product"),
        ({"total_cost": "ten thousand"}, 422, "invalid_request", "total_cost"),
        ({"surprise": 1}, 422, "invalid_request", "surprise"),
        ({"patient_id": "nobody"}, 404, "patient_not_found", "patient_id"),
    ],
)
async def test_bad_payment_plan_requests_store_nothing(
    api: httpx.AsyncClient,
    change: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
) -> None:
    ok = await api.post("/v1/tools/payment-plans", json=PLAN)
    assert ok.status_code == 201
    before = await count_rows(api, "payment_plans")
    audits = await count_rows(api, "audit_log", action="payment_plan_created")
    response = await api.post("/v1/tools/payment-plans", json={**PLAN, **change})
    error = error_of(response, status, code)
    if field:
        assert error["field"] == field
    assert await count_rows(api, "payment_plans") == before
    assert await count_rows(api, "audit_log", action="payment_plan_created") == audits


async def test_payment_plan_errors_speak_the_callers_language(api: httpx.AsyncClient) -> None:
    body = {**PLAN, "monthly_income": "0"}
    response = await api.post("/v1/tools/payment-plans", json=body, headers=ZH)
    zh = error_of(response, 422, "invalid_income")
    assert "月收入必须大于0" in zh["message"]
    en = error_of(await api.post("/v1/tools/payment-plans", json=body), 422, "invalid_income")
    assert "Monthly income must be greater than 0" in en["message"]


async def test_a_bad_key_is_refused_before_anything_runs(api: httpx.AsyncClient) -> None:
    before = await count_rows(api, "payment_plans")
    for path, body in (
        ("/v1/tools/payment-plans", PLAN),
        ("/v1/tools/insurance-quotes", APPLICANT),
        ("/v1/tools/triage", {"text": "头痛"}),
    ):
        response = await api.post(path, json=body, headers={"Authorization": "Bearer hm_x_y"})
        error_of(response, 401, "invalid_credential")
    assert await count_rows(api, "payment_plans") == before


async def test_a_patient_of_another_tenant_is_not_found(api: httpx.AsyncClient) -> None:
    theirs = await new_patient(api, "money-other-tenant", headers=await other_tenant(api))
    before = await count_rows(api, "payment_plans")
    response = await api.post("/v1/tools/payment-plans", json={**PLAN, "patient_id": theirs})
    error_of(response, 404, "patient_not_found")
    quote = {**APPLICANT, "patient_id": theirs}
    response = await api.post("/v1/tools/insurance-quotes", json=quote)
    error_of(response, 404, "patient_not_found")
    assert await count_rows(api, "payment_plans") == before


async def test_quote_is_stored_with_quote_ids_and_validity(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "quote-1")
    body = {**APPLICANT, "patient_id": patient, "health_declaration": ["高血压"]}
    response = await api.post("/v1/tools/insurance-quotes", json=body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["insurer_name_zh"] == "示例人寿"
    quote_ids = [q["quote_id"] for q in result["quotes"]]
    assert quote_ids and all(q.startswith("IQ-") for q in quote_ids)
    today = datetime.now(UTC).date()
    assert {q["valid_until"] for q in result["quotes"]} == {str(today + timedelta(days=30))}
    assert await count_rows(api, "insurance_quotes", id=result["id"], patient_id=patient) == 1


async def test_wearable_discount_needs_recorded_consent(api: httpx.AsyncClient) -> None:
    patient = await new_patient(api, "quote-wearable")
    body = {
        **APPLICANT,
        "patient_id": patient,
        "health_declaration": [{"condition": "hypertension", "controlled": True}],
        "wearable_summary": WEARABLE,
    }
    before = await count_rows(api, "insurance_quotes")
    refused = await api.post("/v1/tools/insurance-quotes", json=body, headers=ZH)
    error = error_of(refused, 403, "consent_missing")
    assert "同意" in error["message"]
    assert error["details"]["purpose"] == "insurance_pricing_wearable"
    assert await count_rows(api, "insurance_quotes") == before

    granted = await api.post(
        f"/v1/patients/{patient}/consents",
        json={"purpose": "insurance_pricing_wearable", "granted": True},
        headers=patient_headers(api, patient),
    )
    assert granted.status_code == 201
    response = await api.post("/v1/tools/insurance-quotes", json=body)
    assert response.status_code == 201, response.text
    quotes = {q["product_id"]: q for q in response.json()["quotes"]}
    # Age 45, tier 3, controlled hypertension; 11,000 steps over 60 days with consent:
    # critical illness 1100 + 275 loading - 10% of 1100 = 1265.00; medical 399 - 8% = 367.08.
    assert D(quotes["sl-critical-illness"]["annual_premium"]) == D("1265.00")
    assert D(quotes["sl-million-medical"]["annual_premium"]) == D("367.08")

    revoked = await api.post(
        f"/v1/patients/{patient}/consents",
        json={"purpose": "insurance_pricing_wearable", "granted": False},
        headers=patient_headers(api, patient),
    )
    assert revoked.json()["consented_purposes"] == []
    again = await api.post("/v1/tools/insurance-quotes", json=body)
    error_of(again, 403, "consent_missing")


async def test_wearable_without_any_patient_is_refused(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/v1/tools/insurance-quotes", json={**APPLICANT, "wearable_summary": WEARABLE}
    )
    error_of(response, 403, "consent_missing")


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"genetic_info": "BRCA1 positive"}, 422, "genetic_data_not_allowed"),
        ({"health_declaration": ["BRCA1基因突变"]}, 422, "genetic_data_not_allowed"),
        ({"age": -1}, 422, "invalid_age"),
        ({"age": 200}, 422, "invalid_age"),
        ({"city_tier": 9}, 422, "invalid_city_tier"),
        ({"product_ids": ["no-such-product"]}, 404, "unknown_product"),
        ({"sex": "robot"}, 422, "invalid_request"),
    ],
)
async def test_bad_quote_requests_store_nothing(
    api: httpx.AsyncClient, change: dict[str, Any], status: int, code: str
) -> None:
    ok = await api.post("/v1/tools/insurance-quotes", json=APPLICANT)
    assert ok.status_code == 201, ok.text
    before = await count_rows(api, "insurance_quotes")
    response = await api.post("/v1/tools/insurance-quotes", json={**APPLICANT, **change})
    error_of(response, status, code)
    assert await count_rows(api, "insurance_quotes") == before


async def test_genetic_refusal_is_kind_and_in_chinese(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/v1/tools/insurance-quotes", json={**APPLICANT, "genetic_info": "BRCA2"}, headers=ZH
    )
    error = error_of(response, 422, "genetic_data_not_allowed")
    assert "基因检测结果不会被用于保险定价" in error["message"]
