"""Tools called directly: payment plans, insurance quotes, triage (tenant from X-Tenant-ID)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, LanguageDep
from api.schemas_tools import (
    InsuranceQuoteCreate,
    InsuranceQuotePublic,
    PaymentPlanCreate,
    PaymentPlanPublic,
    TriageCreate,
)
from api.services import money
from api.services.referrals import run_triage
from api.tenancy import TenantDep
from tools.triage import TriageResult

router = APIRouter(prefix="/v1/tools", tags=["tools"])


@router.post("/payment-plans", status_code=201)
async def create_payment_plan(
    c: ContainerDep, tenant_id: TenantDep, language: LanguageDep, body: PaymentPlanCreate
) -> PaymentPlanPublic:
    return await money.create_payment_plan(c, tenant_id, body, language)


@router.post("/insurance-quotes", status_code=201)
async def create_insurance_quote(
    c: ContainerDep, tenant_id: TenantDep, language: LanguageDep, body: InsuranceQuoteCreate
) -> InsuranceQuotePublic:
    return await money.create_insurance_quote(c, tenant_id, body, language)


@router.post("/triage")
async def triage_symptoms(
    c: ContainerDep, tenant_id: TenantDep, body: TriageCreate
) -> TriageResult:
    return await run_triage(c, tenant_id, body)
