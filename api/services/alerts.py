"""Alerts for health managers: store or merge drafts, publish what is new, list, acknowledge.

A draft whose dedupe key matches a recent open/acknowledged alert of the same tenant and patient
merges into it (count + 1). An escalation (higher severity) updates the alert, re-opens it if
it was acknowledged, and is published again; a plain repeat is not.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas_care import AlertAck, AlertChange, AlertPublic, AlertStatus
from api.services.records import audit
from core.db.care_models import AlertRecord
from core.db.models import Conversation, Message
from core.errors import Conflict, NotFound
from tools.readings import AlertDraft, ExistingAlert, default_window, merge_alerts

log = logging.getLogger(__name__)
Change = Literal["created", "merged", "escalated"]


@dataclass
class AlertOutcome:
    record: AlertRecord
    change: Change
    notify: bool


def alert_public(record: AlertRecord) -> AlertPublic:
    return AlertPublic.model_validate(record, from_attributes=True)


def _fill(record: AlertRecord, draft: AlertDraft) -> None:
    record.rule_code = draft.rule_code
    record.severity = draft.severity
    record.kind = draft.kind
    record.values = dict(draft.values)
    record.patient_message = draft.patient_message.model_dump()
    record.manager_message = draft.manager_message.model_dump()
    record.fact_ids = list(draft.fact_ids)
    record.rules_version = draft.rules_version


async def _recent(
    session: AsyncSession, tenant_id: str, patient_id: str, keys: set[str]
) -> list[AlertRecord]:
    rows = await session.scalars(
        select(AlertRecord).where(
            AlertRecord.tenant_id == tenant_id,
            AlertRecord.patient_id == patient_id,
            AlertRecord.status != "resolved",
            AlertRecord.dedupe_key.in_(keys),
        )
    )
    return list(rows)


async def apply_alert_drafts(
    session: AsyncSession,
    *,
    tenant_id: str,
    patient_id: str,
    reading_id: str | None,
    drafts: Sequence[AlertDraft],
) -> list[AlertOutcome]:
    """Create or merge ``drafts`` into this patient's alerts (in the caller's transaction)."""
    if not drafts:
        return []
    recent = await _recent(session, tenant_id, patient_id, {d.dedupe_key for d in drafts})
    by_id = {r.id: r for r in recent}
    existing = [
        ExistingAlert(
            id=r.id,
            dedupe_key=r.dedupe_key,
            severity=r.severity,
            status=r.status,
            count=r.count,
            first_seen=r.first_seen,
            last_seen=r.last_seen,
        )
        for r in recent
    ]
    decision = merge_alerts(drafts, existing, default_window())
    now = datetime.now(UTC)
    outcomes: list[AlertOutcome] = []
    for draft in decision.create:
        record = AlertRecord(
            tenant_id=tenant_id,
            patient_id=patient_id,
            reading_id=reading_id,
            dedupe_key=draft.dedupe_key,
            status="open",
            count=1,
            first_seen=draft.observed_at,
            last_seen=draft.observed_at,
            created_at=now,
            updated_at=now,
        )
        _fill(record, draft)
        session.add(record)
        outcomes.append(AlertOutcome(record, "created", notify=True))
    for merge in decision.merge:
        record = by_id[merge.existing_id]
        record.count = merge.count
        record.last_seen = merge.last_seen
        record.updated_at = now
        if merge.escalated:
            _fill(record, merge.draft)
            record.status = "open"
        outcomes.append(
            AlertOutcome(record, "escalated" if merge.escalated else "merged", merge.notify)
        )
    await session.flush()
    for outcome in outcomes:
        audit(
            session,
            tenant_id=tenant_id,
            actor="alert_rules",
            action=f"alert_{outcome.change}",
            entity_type="alert",
            entity_id=outcome.record.id,
            details={"rule_code": outcome.record.rule_code, "severity": outcome.record.severity},
        )
    return outcomes


def alert_event(outcome: AlertOutcome) -> dict[str, Any]:
    """The live event for the managers' console (no raw readings beyond the alert's values)."""
    record = outcome.record
    return {
        "kind": "alert",
        "change": outcome.change,
        "tenant_id": record.tenant_id,
        "patient_id": record.patient_id,
        "alert_id": record.id,
        "rule_code": record.rule_code,
        "severity": record.severity,
        "count": record.count,
        "manager_message": record.manager_message,
    }


async def publish_alerts(
    c: Container, tenant_id: str, outcomes: Sequence[AlertOutcome]
) -> set[str]:
    """Publish new and escalated alerts; call after the transaction committed. The ids of the
    alerts that reached the live channel (best-effort: the alert rows are what is durable)."""
    delivered: set[str] = set()
    for outcome in outcomes:
        if outcome.notify and await c.coordinator.publish(
            f"tenant:{tenant_id}", alert_event(outcome)
        ):
            delivered.add(outcome.record.id)
    return delivered


def changes(outcomes: Sequence[AlertOutcome], delivered: set[str]) -> list[AlertChange]:
    return [
        AlertChange(
            alert=alert_public(o.record), change=o.change, notified=o.record.id in delivered
        )
        for o in outcomes
    ]


async def list_alerts(
    c: Container, tenant_id: str, status: AlertStatus | None, patient_id: str | None
) -> list[AlertPublic]:
    query = select(AlertRecord).where(AlertRecord.tenant_id == tenant_id)
    if status is not None:
        query = query.where(AlertRecord.status == status)
    if patient_id is not None:
        query = query.where(AlertRecord.patient_id == patient_id)
    async with c.sessions() as session:
        rows = await session.scalars(
            query.order_by(AlertRecord.last_seen.desc(), AlertRecord.id).limit(500)
        )
        return [alert_public(r) for r in rows]


async def load_alert(session: AsyncSession, tenant_id: str, alert_id: str) -> AlertRecord:
    """The tenant's alert, locked for update; another tenant's is not found (404)."""
    record = await session.get(AlertRecord, alert_id, with_for_update=True)
    if record is None or record.tenant_id != tenant_id:
        raise NotFound(
            f"alert {alert_id!r} not found",
            message_zh="未找到该提醒",
            code="alert_not_found",
            field="alert_id",
        )
    return record


async def acknowledge_alert(
    c: Container, tenant_id: str, alert_id: str, body: AlertAck
) -> AlertPublic:
    """Open -> acknowledged (repeating it changes nothing); a resolved alert is final (409)."""
    async with c.sessions() as session:
        record = await load_alert(session, tenant_id, alert_id)
        if record.status == "resolved":
            raise Conflict(
                "this alert is already resolved",
                message_zh="该提醒已处理完毕，不能再确认",
                code="alert_resolved",
                field="status",
            )
        if record.status == "open":
            now = datetime.now(UTC)
            record.status = "acknowledged"
            record.acknowledged_by = body.by
            record.acknowledged_at = now
            record.updated_at = now
            audit(
                session,
                tenant_id=tenant_id,
                actor=f"manager:{body.by}",
                action="alert_acknowledged",
                entity_type="alert",
                entity_id=record.id,
                details={"note": body.note},
            )
            await session.commit()
        return alert_public(record)


_EMERGENCY = {
    "zh": "患者在对话中出现急症信号（{flags}），已提示立即拨打120，请尽快联系患者。",
    "en": "Emergency signs in the conversation ({flags}); the patient was told to call 120. "
    "Contact the patient now.",
}
_CRISIS_CHECK = {
    "zh": "患者表达了绝望或轻生相关的情绪（{flags}），已直接询问自伤想法并提供120和12356，"
    "请尽快人工联系并评估。",
    "en": "The patient expressed hopelessness ({flags}); the safety question was asked and 120 "
    "and 12356 were given. Please reach out and assess in person soon.",
}


def add_escalation_alert(
    session: AsyncSession,
    *,
    tenant_id: str,
    patient_id: str,
    message_id: str,
    red_flags: Sequence[str],
    reply: str,
    rules_version: int,
    crisis: str | None = None,
) -> AlertOutcome:
    """A stored alert for a conversation the input guard escalated (120 given, critical) or
    flagged for a human after the direct safety question (``crisis="distress"``, high)."""
    now = datetime.now(UTC)
    flags = ", ".join(red_flags) or "emergency"
    messages = _CRISIS_CHECK if crisis == "distress" else _EMERGENCY
    record = AlertRecord(
        tenant_id=tenant_id, patient_id=patient_id, reading_id=None,
        rule_code="conversation_crisis_check" if crisis == "distress" else "conversation_emergency",
        severity="high" if crisis == "distress" else "critical", kind="conversation",
        dedupe_key=f"{patient_id}:escalation:{message_id}", status="open", count=1,
        first_seen=now, last_seen=now,
        values={},
        patient_message={"zh": reply, "en": reply},
        manager_message={lang: text.format(flags=flags) for lang, text in messages.items()},
        fact_ids=[], rules_version=rules_version,
    )  # fmt: skip
    session.add(record)
    return AlertOutcome(record=record, change="created", notify=True)


ACTIVE_CONVERSATION = timedelta(minutes=30)


async def add_alerts_to_active_conversation(
    session: AsyncSession, tenant_id: str, patient_id: str, outcomes: Sequence[AlertOutcome]
) -> str | None:
    """When the patient is chatting (a conversation active in the last 30 minutes), put the
    patient-facing text of each new or escalated alert into it; return that conversation id."""
    notify = [o for o in outcomes if o.notify]
    if not notify:
        return None
    conversation = await session.scalar(
        select(Conversation)
        .where(
            Conversation.tenant_id == tenant_id,
            Conversation.patient_id == patient_id,
            Conversation.updated_at >= datetime.now(UTC) - ACTIVE_CONVERSATION,
        )
        .order_by(Conversation.updated_at.desc())
        .limit(1)
    )
    if conversation is None:
        return None
    language = "en" if conversation.language == "en" else "zh"
    for outcome in notify:
        session.add(
            Message(
                conversation_id=conversation.id,
                role="assistant",
                content=str(outcome.record.patient_message.get(language, "")),
                turn_status="alert",
                result={"alert_id": outcome.record.id, "severity": outcome.record.severity},
            )
        )
    return conversation.id
