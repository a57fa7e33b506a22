"""Payment plans and insurance quotes over HTTP: compute with the tool, store, audit.

The tool runs before anything is added to the session, so a refused request stores nothing.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas_tools import (
    InsuranceQuoteCreate,
    InsuranceQuotePublic,
    PaymentPlanCreate,
    PaymentPlanPublic,
)
from api.services.consents import consented_purposes
from api.services.records import audit
from api.tenancy import require_patient
from core.db.care_models import InsuranceQuoteRecord, PaymentPlanRecord
from core.text import Language
from tools.finance import PaymentPlanRequest, PaymentPlanResult, payment_plans
from tools.insurance import QuoteRequest, QuoteResult, quote_insurance
from tools.registry import ToolContext


def store_payment_plan(
    session: AsyncSession,
    *,
    tenant_id: str,
    patient_id: str | None,
    request: dict[str, Any],
    result: PaymentPlanResult,
    source: str,
    conversation_id: str | None = None,
) -> PaymentPlanRecord:
    record = PaymentPlanRecord(
        tenant_id=tenant_id,
        patient_id=patient_id,
        conversation_id=conversation_id,
        source=source,
        catalogue_version=result.catalogue_version,
        request=request,
        result=result.model_dump(mode="json"),
        created_at=datetime.now(UTC),
    )
    session.add(record)
    return record


def store_quote(
    session: AsyncSession,
    *,
    tenant_id: str,
    patient_id: str | None,
    request: dict[str, Any],
    result: QuoteResult,
    source: str,
    conversation_id: str | None = None,
) -> InsuranceQuoteRecord:
    valid = [q.valid_until for q in result.quotes]
    record = InsuranceQuoteRecord(
        tenant_id=tenant_id,
        patient_id=patient_id,
        conversation_id=conversation_id,
        source=source,
        catalogue_version=result.catalogue_version,
        quote_ids=[q.quote_id for q in result.quotes],
        valid_until=min(valid) if valid else None,
        request=request,
        result=result.model_dump(mode="json"),
        created_at=datetime.now(UTC),
    )
    session.add(record)
    return record


async def create_payment_plan(
    c: Container, tenant_id: str, body: PaymentPlanCreate, language: Language
) -> PaymentPlanPublic:
    async with c.sessions() as session:
        if body.patient_id is not None:
            await require_patient(session, tenant_id, body.patient_id)
        request = PaymentPlanRequest.model_validate(body.model_dump(exclude={"patient_id"}))
        ctx = ToolContext(tenant_id=tenant_id, patient_id=body.patient_id, language=language)
        result = await asyncio.to_thread(payment_plans, request, ctx)  # CPU: off the loop
        record = store_payment_plan(
            session,
            tenant_id=tenant_id,
            patient_id=body.patient_id,
            request=request.model_dump(mode="json"),
            result=result,
            source="api",
        )
        await session.flush()
        audit(
            session,
            tenant_id=tenant_id,
            actor="api",
            action="payment_plan_created",
            entity_type="payment_plan",
            entity_id=record.id,
            details={"catalogue_version": result.catalogue_version, "options": len(result.options)},
        )
        await session.commit()
        return PaymentPlanPublic(
            **result.model_dump(),
            id=record.id,
            patient_id=record.patient_id,
            created_at=record.created_at,
        )


async def create_insurance_quote(
    c: Container, tenant_id: str, body: InsuranceQuoteCreate, language: Language
) -> InsuranceQuotePublic:
    """Wearable data counts only with the patient's recorded consent; without a patient there
    is no consent, so a wearable summary is refused (403 consent_missing)."""
    async with c.sessions() as session:
        purposes: frozenset[str] = frozenset()
        if body.patient_id is not None:
            await require_patient(session, tenant_id, body.patient_id)
            purposes = await consented_purposes(session, body.patient_id)
        request = QuoteRequest.model_validate(body.model_dump(exclude={"patient_id"}))
        ctx = ToolContext(
            tenant_id=tenant_id,
            patient_id=body.patient_id,
            language=language,
            consented_purposes=purposes,
        )
        result = await asyncio.to_thread(quote_insurance, request, ctx)
        record = store_quote(
            session,
            tenant_id=tenant_id,
            patient_id=body.patient_id,
            request=request.model_dump(mode="json", exclude={"genetic_info"}),
            result=result,
            source="api",
        )
        await session.flush()
        audit(
            session,
            tenant_id=tenant_id,
            actor="api",
            action="insurance_quote_created",
            entity_type="insurance_quote",
            entity_id=record.id,
            details={
                "quote_ids": record.quote_ids,
                "wearable_used": request.wearable_summary is not None,
            },
        )
        await session.commit()
        return InsuranceQuotePublic(
            **result.model_dump(),
            id=record.id,
            patient_id=record.patient_id,
            created_at=record.created_at,
        )
