"""The live board of the manager console: a tenant's conversations, most urgent first.

Read in the request's session. Each row is computed from the conversation's messages (the
turn results they carry) and its pending review items; nothing is stored for the board.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas_console import BoardFlag, BoardPublic, BoardRowPublic
from core.db.models import Conversation, Message, Patient, ReviewItem
from core.schemas import TURN_LEVEL_ORDER

BOARD_SIZE = 200
_FLAG_WEIGHT: dict[BoardFlag, int] = {
    "emergency": 1_000_000,
    "held_answer": 100_000,
    "consent_needed": 20_000,
    "low_confidence": 10_000,
}
ANSWERS = ("assistant", "manager")
NOT_DOUBTS = {"ESCALATION_BYPASS"}
"""Reason codes that say how an answer went out, not that the reviewer doubted it."""


async def read_board(session: AsyncSession, tenant_id: str) -> BoardPublic:
    """The tenant's most recently active conversations, sorted by urgency."""
    latest = func.max(Message.created_at)
    recent = (
        select(Message.conversation_id, latest)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.tenant_id == tenant_id)
        .group_by(Message.conversation_id)
        .order_by(latest.desc())
        .limit(BOARD_SIZE)
    )
    ids = [row[0] for row in await session.execute(recent)]
    now = datetime.now(UTC)
    if not ids:
        return BoardPublic(rows=[], generated_at=now)
    pairs = await session.execute(
        select(Conversation, Patient)
        .join(Patient, Patient.id == Conversation.patient_id)
        .where(Conversation.id.in_(ids))
    )
    messages: dict[str, list[Message]] = defaultdict(list)
    for m in await session.scalars(
        select(Message).where(Message.conversation_id.in_(ids)).order_by(Message.created_at)
    ):
        messages[m.conversation_id].append(m)
    held: dict[str, list[ReviewItem]] = defaultdict(list)
    for item in await session.scalars(
        select(ReviewItem).where(
            ReviewItem.conversation_id.in_(ids), ReviewItem.status == "pending"
        )
    ):
        held[item.conversation_id].append(item)
    rows = [
        board_row(conversation, patient, messages[conversation.id], held[conversation.id], now)
        for conversation, patient in pairs
    ]
    rows.sort(key=lambda r: (r.urgency, r.last_at), reverse=True)
    return BoardPublic(rows=rows, generated_at=now)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def board_row(
    conversation: Conversation,
    patient: Patient,
    messages: list[Message],
    held: list[ReviewItem],
    now: datetime,
) -> BoardRowPublic:
    """One row: a pure function of the conversation's rows (unit-tested without a database)."""
    results: list[dict[str, Any]] = [m.result for m in messages if m.result]
    levels = [(r.get("safety") or {}).get("triage_level") for r in results]
    ranked = [lv for lv in levels if lv in TURN_LEVEL_ORDER]
    risk = max(ranked, key=TURN_LEVEL_ORDER.__getitem__) if ranked else None
    flags: list[BoardFlag] = []
    if risk == "emergency" or any((r.get("safety") or {}).get("escalated") for r in results):
        flags.append("emergency")
    if held:
        flags.append("held_answer")
    last_result = results[-1] if results else {}
    review = last_result.get("review") or {}
    doubts = [r for r in review.get("reasons", []) if r.get("code") not in NOT_DOUBTS]
    if review.get("revisions") or doubts:
        flags.append("low_confidence")
    if any(t.get("error_code") == "consent_missing" for t in last_result.get("tool_calls", [])):
        flags.append("consent_needed")
    unanswered: list[Message] = []
    for m in messages:
        if m.role in ANSWERS and m.turn_status != "superseded":
            unanswered = []
        elif m.role == "patient":
            unanswered.append(m)
    waiting_since = [_aware(m.created_at) for m in unanswered]
    waiting_since += [_aware(i.created_at) for i in held]
    waiting_s = (now - min(waiting_since)).total_seconds() if waiting_since else 0.0
    last = messages[-1]
    urgency = sum(_FLAG_WEIGHT[f] for f in flags)
    urgency += TURN_LEVEL_ORDER.get(risk or "", 0) * 1_000 + min(int(waiting_s // 60), 999)
    return BoardRowPublic(
        conversation_id=conversation.id,
        patient_id=patient.id,
        patient_ref=patient.external_ref,
        language=conversation.language,
        risk_level=risk,
        last_message=last.content[:280],
        last_role=last.role,
        last_at=_aware(last.created_at),
        waiting_s=max(waiting_s, 0.0),
        unread=len(unanswered),
        flags=flags,
        taken_over_by=conversation.taken_over_by,
        urgency=urgency,
    )
