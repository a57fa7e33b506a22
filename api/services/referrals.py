"""Triage over HTTP (audited without the patient's words) and stored referrals with their
status lifecycle (created -> sent -> accepted -> completed / cancelled), every change audited."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas_tools import ReferralCreate, ReferralPublic, ReferralStatusUpdate
from api.services.records import audit
from api.tenancy import require_patient, visible_to_caller
from core.db.care_models import ReferralRecord
from core.db.models import Patient, new_id
from core.errors import NotFound, ValidationFailed
from core.text import Language
from tools.referrals import ReferralPlan, ReferralRequest, plan_referral, transition
from tools.triage import TriageRequest, TriageResult, triage


async def run_triage(c: Container, tenant_id: str, body: TriageRequest) -> TriageResult:
    """Triage is not stored; the audit entry keeps the outcome, never the text."""
    # CPU-bound (embedding vote, rules): keep the event loop free
    vote = await asyncio.to_thread(c.red_flags.vote, body.text)
    result = await asyncio.to_thread(triage, body, vote)
    async with c.sessions() as session:
        audit(
            session,
            tenant_id=tenant_id,
            actor="api",
            action="triage_run",
            entity_type="triage",
            entity_id=new_id(),
            details={
                "level": result.level,
                "red_flags": [f.code for f in result.red_flags],
                "sources": sorted({f.source for f in result.red_flags}),
            },
        )
        await session.commit()
    return result


def referral_not_found(referral_id: str) -> NotFound:
    return NotFound(
        f"referral {referral_id!r} not found",
        message_zh="未找到该转诊单",
        code="referral_not_found",
        field="referral_id",
    )


def store_referral(
    session: AsyncSession,
    *,
    tenant_id: str,
    patient_id: str,
    request: dict[str, Any],
    plan: ReferralPlan,
    source: str,
    conversation_id: str | None = None,
) -> ReferralRecord | None:
    """A referral row with status created; None for an emergency (120, not a referral)."""
    if plan.call_120:
        return None
    now = datetime.now(UTC)
    record = ReferralRecord(
        tenant_id=tenant_id,
        patient_id=patient_id,
        conversation_id=conversation_id,
        source=source,
        status=plan.status,
        level=plan.level,
        facility_id=plan.facility.id if plan.facility else None,
        request=request,
        plan=plan.model_dump(mode="json"),
        created_at=now,
        updated_at=now,
    )
    session.add(record)
    return record


def _public(record: ReferralRecord) -> ReferralPublic:
    return ReferralPublic(
        id=record.id,
        patient_id=record.patient_id,
        status=record.status,
        plan=ReferralPlan.model_validate(record.plan),
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


async def create_referral(
    c: Container, tenant_id: str, body: ReferralCreate, language: Language
) -> ReferralPublic:
    if body.patient_id is None:
        raise ValidationFailed(
            "a referral needs the patient's id",
            message_zh="转诊需要提供患者编号",
            code="patient_required",
            field="patient_id",
        )
    async with c.sessions() as session:
        await require_patient(session, tenant_id, body.patient_id)
        request = ReferralRequest.model_validate(body.model_dump())
        if request.language is None:
            request = request.model_copy(update={"language": language})
        plan = plan_referral(request)
        record = store_referral(
            session,
            tenant_id=tenant_id,
            patient_id=body.patient_id,
            request=request.model_dump(mode="json"),
            plan=plan,
            source="api",
        )
        if record is not None:
            await session.flush()
        audit(
            session,
            tenant_id=tenant_id,
            actor="api",
            action="referral_created" if record else "referral_emergency_call_120",
            entity_type="referral" if record else "patient",
            entity_id=record.id if record else body.patient_id,
            details={
                "level": plan.level,
                "facility_id": plan.facility.id if plan.facility else None,
            },
        )
        await session.commit()
        if record is None:
            return ReferralPublic(
                id=None,
                patient_id=body.patient_id,
                status=None,
                plan=plan,
                created_at=None,
                updated_at=None,
            )
        return _public(record)


async def _load(
    session: AsyncSession, tenant_id: str, referral_id: str, *, for_update: bool = False
) -> ReferralRecord:
    record = await session.get(ReferralRecord, referral_id, with_for_update=for_update)
    if record is None or record.tenant_id != tenant_id:
        raise referral_not_found(referral_id)
    if not visible_to_caller(await session.get(Patient, record.patient_id), tenant_id):
        raise referral_not_found(referral_id)  # a patient token sees only its own referrals
    return record


async def read_referral(c: Container, tenant_id: str, referral_id: str) -> ReferralPublic:
    async with c.sessions() as session:
        return _public(await _load(session, tenant_id, referral_id))


async def change_referral_status(
    c: Container, tenant_id: str, referral_id: str, body: ReferralStatusUpdate
) -> ReferralPublic:
    async with c.sessions() as session:
        record = await _load(session, tenant_id, referral_id, for_update=True)
        previous = record.status
        record.status = transition(previous, body.status)
        record.updated_at = datetime.now(UTC)
        audit(
            session,
            tenant_id=tenant_id,
            actor="api",
            action="referral_status_changed",
            entity_type="referral",
            entity_id=record.id,
            details={"from": previous, "to": record.status, "note": body.note},
        )
        await session.commit()
        return _public(record)
