"""Purpose-specific consents: every grant and revocation is a row (and an audit entry); the
latest row per purpose is the current state. Tools see only the purposes granted now."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.container import Container
from api.principals import Principal
from api.schemas_tools import ConsentPublic, ConsentState, ConsentUpdate
from api.services.records import audit
from api.tenancy import PatientScope
from core.db.care_models import ConsentRecord
from core.db.models import Tenant
from core.errors import ConsentMissing, ValidationFailed
from tools.insurance import WEARABLE_PRICING_PURPOSE

SHARE_WITH_INSURER_PURPOSE = "share_with_insurer"
KNOWN_PURPOSES: tuple[str, ...] = (WEARABLE_PRICING_PURPOSE, SHARE_WITH_INSURER_PURPOSE)
"""Purposes a patient can consent to. A typo must not silently record a useless consent."""


async def consented_purposes(session: AsyncSession, patient_id: str) -> frozenset[str]:
    """Purposes granted and not revoked since: what ToolContext.consented_purposes holds."""
    return frozenset(row.purpose for row in await _current(session, patient_id) if row.granted)


async def load_consented_purposes(
    sessions: async_sessionmaker[AsyncSession], patient_id: str
) -> frozenset[str]:
    """``consented_purposes`` in a session of its own (for building a chat turn's ToolContext)."""
    async with sessions() as session:
        return await consented_purposes(session, patient_id)


async def _history(session: AsyncSession, patient_id: str) -> list[ConsentRecord]:
    rows = await session.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.patient_id == patient_id)
        .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
    )
    return list(rows)


async def _current(session: AsyncSession, patient_id: str) -> list[ConsentRecord]:
    latest: dict[str, ConsentRecord] = {}
    for row in await _history(session, patient_id):
        latest[row.purpose] = row
    return sorted(latest.values(), key=lambda r: r.purpose)


def _public(row: ConsentRecord) -> ConsentPublic:
    return ConsentPublic(
        purpose=row.purpose,
        granted=row.granted,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


async def _state(session: AsyncSession, patient_id: str) -> ConsentState:
    history = await _history(session, patient_id)
    current = await _current(session, patient_id)
    return ConsentState(
        patient_id=patient_id,
        consented_purposes=sorted(r.purpose for r in current if r.granted),
        current=[_public(r) for r in current],
        history=[_public(r) for r in history],
    )


async def record_consent(c: Container, scope: PatientScope, body: ConsentUpdate) -> ConsentState:
    if body.purpose not in KNOWN_PURPOSES:
        raise ValidationFailed(
            f"unknown consent purpose {body.purpose!r}; known: {', '.join(KNOWN_PURPOSES)}",
            message_zh=f"未知的授权用途“{body.purpose}”，可选：{'、'.join(KNOWN_PURPOSES)}",
            code="unknown_purpose",
            field="purpose",
        )
    async with c.sessions() as session:
        row = ConsentRecord(
            tenant_id=scope.tenant_id,
            patient_id=scope.patient_id,
            purpose=body.purpose,
            granted=body.granted,
            recorded_by=body.recorded_by,
        )
        session.add(row)
        await session.flush()
        audit(
            session,
            tenant_id=scope.tenant_id,
            actor=body.recorded_by,
            action="consent_granted" if body.granted else "consent_revoked",
            entity_type="patient",
            entity_id=scope.patient_id,
            details={"purpose": body.purpose, "consent_id": row.id},
        )
        await session.commit()
        return await _state(session, scope.patient_id)


async def read_consents(session: AsyncSession, scope: PatientScope) -> ConsentState:
    return await _state(session, scope.patient_id)


async def require_sharing_consent(
    session: AsyncSession, principal: Principal, patient_id: str
) -> None:
    """An insurer's key reads a patient's health data only with ``share_with_insurer``."""
    if principal.role != "key":
        return
    tenant = await session.get(Tenant, principal.tenant_id)
    if tenant is None or tenant.kind != "insurer":
        return
    if SHARE_WITH_INSURER_PURPOSE not in await consented_purposes(session, patient_id):
        raise ConsentMissing(
            "the patient has not consented to share health data with this insurer",
            message_zh="患者尚未同意向保险公司共享健康数据",
            code="consent_missing",
            details={"purpose": SHARE_WITH_INSURER_PURPOSE},
        )
