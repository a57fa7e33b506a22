"""From final graph state to the public TurnResult, and its persistence."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent.prompts import HOLDING_REPLY
from api.services.alerts import AlertOutcome, add_escalation_alert
from api.services.records import audit
from api.services.turn_records import store_tool_records
from core.db.models import Conversation, Message, ReviewItem, ToolCall
from core.schemas import (
    TURN_LEVEL_ORDER,
    Card,
    Citation,
    Review,
    Safety,
    ToolCallRecord,
    TurnResult,
)
from tools.catalog import TRIAGE
from tools.registry import ToolRegistry


def turn_result_from_state(
    values: dict[str, Any],
    *,
    conversation_id: str,
    held: bool,
    client_message_id: str | None,
    latency_ms: float,
) -> TurnResult:
    language = values.get("language", "zh")
    refs = set(values.get("cited_refs", []))
    citations = [
        Citation(
            doc_id=e["doc_id"],
            title=e["title"],
            source=e["source"],
            year=e.get("year"),
            section=e["section"],
            chunk_id=e.get("chunk_id"),
        )
        for e in values.get("evidence", [])
        if e["ref"] in refs
    ]
    return TurnResult(
        conversation_id=conversation_id,
        message_id="",
        client_message_id=client_message_id,
        status="held" if held else "completed",
        language=language,
        reply=_held_reply(values, language) if held else values.get("reply", ""),
        citations=[] if held else citations,
        cards=[] if held else [Card.model_validate(card) for card in values.get("cards", [])],
        safety=_safety(values),
        review=Review.model_validate(values.get("review") or {}),
        tool_calls=[ToolCallRecord.model_validate(c) for c in values.get("tool_calls", [])],
        intent=values.get("intent"),
        latency_ms=round(latency_ms, 1),
    )


def _safety(values: dict[str, Any]) -> Safety:
    """The guard's safety, raised to the level a triage tool call found this turn."""
    safety = Safety.model_validate(values.get("safety") or {})
    for call in values.get("tool_calls", []):
        level = (call.get("result") or {}).get("level")
        if call.get("name") == TRIAGE and call.get("ok") and level:
            current = TURN_LEVEL_ORDER.get(safety.triage_level or "", -1)
            if TURN_LEVEL_ORDER[level] > current:
                safety = safety.model_copy(update={"triage_level": level})
    return safety


def _held_reply(values: dict[str, Any], language: str) -> str:
    """A held turn shows the fallback (endpoint failed) or the holding message, never the draft."""
    if values.get("fallback"):
        return str(values.get("draft", ""))
    return HOLDING_REPLY["en" if language == "en" else "zh"]


async def persist_turn(
    session: AsyncSession,
    conversation: Conversation,
    patient_message_id: str,
    result: TurnResult,
    values: dict[str, Any],
    tools: ToolRegistry,
) -> tuple[TurnResult, list[AlertOutcome]]:
    """Store the reply, tool calls, review item and audit entries in one transaction; return
    the result and the alert changes that readings made this turn (published after commit)."""
    reply = Message(
        conversation_id=conversation.id,
        role="assistant",
        content=result.reply,
        reply_to_id=patient_message_id,
    )
    session.add(reply)
    await session.flush()
    result = result.model_copy(update={"message_id": reply.id})
    reply.result = result.model_dump(mode="json")
    patient_message = await session.get(Message, patient_message_id)
    assert patient_message is not None
    patient_message.result = reply.result
    patient_message.turn_status = result.status
    alerts = await store_tool_records(session, conversation, values.get("tool_calls", []), tools)
    for call in values.get("tool_calls", []):
        session.add(
            ToolCall(
                conversation_id=conversation.id,
                message_id=reply.id,
                tenant_id=conversation.tenant_id,
                name=call["name"],
                arguments=call.get("arguments", {}),
                result=call.get("result"),
                ok=call.get("ok", True),
                error_code=call.get("error_code"),
            )
        )
    if result.status == "held":
        item = ReviewItem(
            tenant_id=conversation.tenant_id,
            conversation_id=conversation.id,
            message_id=reply.id,
            draft=values.get("draft", ""),
            reasons=[r.model_dump() for r in result.review.reasons],
        )
        session.add(item)
        await session.flush()
        audit(
            session,
            tenant_id=conversation.tenant_id,
            actor="reviewer",
            action="turn_held",
            entity_type="review_item",
            entity_id=item.id,
            details={"reasons": [r.code for r in result.review.reasons]},
        )
    if result.safety.escalated or result.safety.crisis == "distress":
        emergency = next((c for c in result.cards if c.type == "emergency"), None)
        alerts.append(
            add_escalation_alert(
                session,
                tenant_id=conversation.tenant_id,
                patient_id=conversation.patient_id,
                message_id=reply.id,
                red_flags=[f.code for f in result.safety.red_flags],
                reply=result.reply,
                rules_version=int(emergency.data.get("rules_version", 0)) if emergency else 0,
                crisis=result.safety.crisis,
            )
        )
        audit(
            session,
            tenant_id=conversation.tenant_id,
            actor="guard",
            action="escalated" if result.safety.escalated else "crisis_flagged",
            entity_type="message",
            entity_id=reply.id,
            details={
                "red_flags": [f.code for f in result.safety.red_flags],
                "sources": sorted({f.source for f in result.safety.red_flags}),
                "crisis": result.safety.crisis,
            },
        )
    audit(
        session,
        tenant_id=conversation.tenant_id,
        actor="agent",
        action="turn_completed",
        entity_type="message",
        entity_id=reply.id,
        details={
            "verdict": result.review.verdict,
            "status": result.status,
            "tools": [c.name for c in result.tool_calls],
        },
    )
    conversation_row = await session.get(Conversation, conversation.id)
    if conversation_row is not None:
        conversation_row.updated_at = datetime.now(UTC)
    await session.commit()
    return result, alerts
