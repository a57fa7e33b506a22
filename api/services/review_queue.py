"""The review queue: held drafts of a tenant, and managers' decisions on them.

A decision resumes the paused turn (``Command(resume=...)`` on the conversation's thread) when
the graph still waits on that turn. When the patient has written since, the thread has moved on
and resuming would answer the wrong message, so the reply goes out as a message from the health
manager instead. Either way the item is closed, the learning-loop events get the final answer,
the decision is audited and published to the tenant's live channel.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any, Literal

from langgraph.types import Command
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agent.checkpoint import thread_config
from agent.nodes.human import ManagerDecision
from api.container import Container
from api.schemas import MessagePublic
from api.schemas_review import ReviewDecisionPublic, ReviewItemPublic, ReviewQueuePublic
from api.services.decision_checks import CheckedReply, check_manager_reply, require_overridable
from api.services.learning_loop import close_review_events
from api.services.records import audit
from api.services.review_items import (
    HeldTurn,
    already_decided,
    load_held_turn,
    public_item,
    require_pending,
)
from api.services.turn_runner import start_turn_run, turn_timed_out
from core.db.models import Message, ReviewItem
from core.schemas import ReviewReason, TurnResult
from core.text import detect_language
from guardrails.reason_codes import ReasonCode

QueueFilter = Literal["pending", "decided", "all"]
_HISTORY_SCAN = 200
"""Checkpoints scanned back for the held turn's state when the thread has moved on."""
_STATUS_OF = {"approve": "approved", "edit": "edited", "reject": "rejected"}


async def list_review_items(
    c: Container, tenant_id: str, status: QueueFilter = "pending", limit: int = 100
) -> ReviewQueuePublic:
    """The tenant's items, oldest first (pending) or newest first (decided/all)."""
    query = select(ReviewItem.id).where(ReviewItem.tenant_id == tenant_id)
    if status == "pending":
        query = query.where(ReviewItem.status == "pending").order_by(ReviewItem.created_at)
    else:
        if status == "decided":
            query = query.where(ReviewItem.status != "pending")
        query = query.order_by(ReviewItem.created_at.desc())
    async with c.sessions() as session:
        ids = list(await session.scalars(query.limit(limit)))
        items = [public_item(await load_held_turn(session, tenant_id, i)) for i in ids]
    return ReviewQueuePublic(items=items)


async def read_review_item(c: Container, tenant_id: str, item_id: str) -> ReviewItemPublic:
    async with c.sessions() as session:
        return public_item(await load_held_turn(session, tenant_id, item_id))


async def decide_review_item(
    c: Container,
    tenant_id: str,
    item_id: str,
    decision: ManagerDecision,
    overrides: list[ReasonCode] | None = None,
) -> ReviewDecisionPublic:
    """Approve, edit or reject a held draft: 404 unknown/other tenant, 409 already decided,
    422 ``reply_fails_checks`` when the reply to send fails the output checks (nothing is
    delivered and the item stays pending) unless every failing code is in ``overrides``."""
    overrides = overrides or []
    require_overridable(overrides)
    async with c.sessions() as session:
        held = await load_held_turn(session, tenant_id, item_id)
        require_pending(held.item)
    conversation_id = held.conversation.id
    lock_s = c.settings.turn_lock_timeout_s
    async with c.coordinator.turn_lock(f"conv:{conversation_id}", lock_s, lock_s) as lease:
        async with c.sessions() as session:
            held = await load_held_turn(session, tenant_id, item_id)
            require_pending(held.item)
        started = time.perf_counter()
        waiting = await _graph_waits_on(c, conversation_id, held.question.id)
        checked = await _checked_reply(c, held, decision, overrides)
        result = None
        if waiting:
            result = await _resume(c, held, decision, started)
            reply = result.reply
        else:
            reply = checked.reply
        lease.require_held()  # fencing: a decision that lost its lock stores nothing
        async with c.sessions() as session:
            message = await _persist_decision(
                session, held, decision, reply, result, checked.overridden
            )
            held = await load_held_turn(session, tenant_id, item_id)
    delivery: Literal["resumed", "manager_message"] = "resumed" if result else "manager_message"
    await c.coordinator.publish(
        f"tenant:{tenant_id}",
        {
            "kind": "review_decided",
            "tenant_id": tenant_id,
            "conversation_id": conversation_id,
            "review_item_id": item_id,
            "action": decision.action,
            "delivery": delivery,
            "message_id": message.id,
        },
    )
    return ReviewDecisionPublic(
        item=public_item(held),
        delivery=delivery,
        message=MessagePublic.model_validate(message, from_attributes=True),
        result=result,
    )


async def _graph_waits_on(c: Container, conversation_id: str, question_id: str) -> bool:
    """True when the thread is paused in human review on exactly this patient message."""
    snapshot = await c.graph.aget_state(thread_config(conversation_id))
    if "human_review" not in snapshot.next:
        return False
    pending: list[dict[str, Any]] = [
        i.value for i in snapshot.interrupts if isinstance(i.value, dict)
    ]
    return any(value.get("message_id") == question_id for value in pending)


async def _checked_reply(
    c: Container, held: HeldTurn, decision: ManagerDecision, overrides: list[ReasonCode]
) -> CheckedReply:
    """The reply the decision sends, through the output checks with the held turn's state."""
    return check_manager_reply(
        decision,
        overrides,
        draft=held.item.draft,
        tenant_id=held.item.tenant_id,
        question=held.question.content,
        language=detect_language(held.question.content),
        turn_state=await _held_turn_state(c, held.conversation.id, held.question.id),
    )


async def _held_turn_state(
    c: Container, conversation_id: str, question_id: str
) -> dict[str, Any] | None:
    """The graph state at the hold of the turn answering ``question_id`` (newest first, bounded
    scan of the thread's checkpoints); None when it is gone."""
    async for snapshot in c.graph.aget_state_history(
        thread_config(conversation_id), limit=_HISTORY_SCAN
    ):
        values = snapshot.values or {}
        if values.get("message_id") == question_id and "human_review" in snapshot.next:
            return dict(values)
    return None


async def _resume(
    c: Container, held: HeldTurn, decision: ManagerDecision, started: float
) -> TurnResult:
    run = await start_turn_run(
        c, held.conversation, held.patient, started=started, tools_may_run=False
    )
    try:
        async with asyncio.timeout(c.settings.turn_timeout_s):
            await run.run(Command(resume=decision.model_dump()))
    except TimeoutError:
        raise turn_timed_out(c.settings.turn_timeout_s) from None  # fmt: skip
    result, _ = await run.result(held.question.client_message_id)
    return result


async def _persist_decision(
    session: AsyncSession,
    held: HeldTurn,
    decision: ManagerDecision,
    reply: str,
    result: TurnResult | None,
    overridden: list[ReviewReason],
) -> Message:
    """Close the item (only if still pending), store the reply message, audit: one commit."""
    now = datetime.now(UTC)
    closed = await session.execute(
        update(ReviewItem)
        .where(ReviewItem.id == held.item.id, ReviewItem.status == "pending")
        .values(
            status=_STATUS_OF[decision.action],
            final_reply=reply,
            decided_by=decision.manager,
            decided_at=now,
        )
    )
    if getattr(closed, "rowcount", 0) != 1:  # decided meanwhile by another worker
        await session.rollback()
        raise already_decided(held.item.id, "decided")
    message = Message(
        conversation_id=held.conversation.id,
        role="assistant" if result is not None else "manager",
        content=reply,
        reply_to_id=held.question.id,
        turn_status="completed" if result is not None else None,
    )
    session.add(message)
    await session.flush()
    holding = await session.get(Message, held.holding.id)
    if holding is not None:
        holding.turn_status = "superseded"
    if result is not None:
        result = result.model_copy(update={"message_id": message.id})
        message.result = result.model_dump(mode="json")
        question = await session.get(Message, held.question.id)
        if question is not None:
            question.result, question.turn_status = message.result, "completed"
    await close_review_events(
        session,
        conversation_id=held.conversation.id,
        message_id=held.question.id,
        review_item_id=held.item.id,
        final_reply=reply,
    )
    audit(
        session,
        tenant_id=held.item.tenant_id,
        actor=f"manager:{decision.manager}",
        action=f"review_{_STATUS_OF[decision.action]}",
        entity_type="review_item",
        entity_id=held.item.id,
        details={
            "message_id": message.id,
            "delivery": message.role,
            "overridden": [r.model_dump() for r in overridden],
        },
    )
    await session.commit()
    return message
