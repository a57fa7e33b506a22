"""Tools called directly: payment plans, insurance quotes, triage (in the caller's tenant)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, LanguageDep, ToolCaller
from api.schemas_tools import (
    InsuranceQuoteCreate,
    InsuranceQuotePublic,
    PaymentPlanCreate,
    PaymentPlanPublic,
    TriageCreate,
)
from api.services import money
from api.services.referrals import run_triage
from tools.triage import TriageResult

router = APIRouter(prefix="/v1/tools", tags=["tools"])


@router.post("/payment-plans", status_code=201)
async def create_payment_plan(
    c: ContainerDep, caller: ToolCaller, language: LanguageDep, body: PaymentPlanCreate
) -> PaymentPlanPublic:
    return await money.create_payment_plan(c, caller.tenant_id, body, language)


@router.post("/insurance-quotes", status_code=201)
async def create_insurance_quote(
    c: ContainerDep, caller: ToolCaller, language: LanguageDep, body: InsuranceQuoteCreate
) -> InsuranceQuotePublic:
    return await money.create_insurance_quote(c, caller.tenant_id, body, language)


@router.post("/triage")
async def triage_symptoms(c: ContainerDep, caller: ToolCaller, body: TriageCreate) -> TriageResult:
    return await run_triage(c, caller.tenant_id, body)
