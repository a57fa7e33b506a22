"""Conversations: create, read, and run one patient turn (idempotent, locked, persisted)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass

from langchain_core.runnables import RunnableConfig
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas import (
    ConversationCreate,
    ConversationDetail,
    ConversationPublic,
    MessageCreate,
    MessagePublic,
)
from api.services.alerts import publish_alerts
from api.services.learning_loop import ReviewRecorder, add_review_events
from api.services.records import audit, get_or_create_patient, require_tenant
from api.services.takeover_turns import answer_while_taken_over
from api.services.turn_results import persist_turn
from api.services.turn_runner import ProgressSink, TurnRun, start_turn_run, turn_timed_out
from api.tenancy import require_patient, visible_to_caller
from core.db.models import Conversation, Message, Patient
from core.errors import (
    DependencyUnavailable,
    NotFound,
    RateLimited,
    ValidationFailed,
)
from core.locks import Lease
from core.schemas import TurnResult
from core.text import detect_language
from guardrails.input_guard import screen_input

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConversationScope:
    """A conversation and its patient, loaded once and checked against the caller."""

    conversation: Conversation
    patient: Patient


def conversation_not_found(conversation_id: str) -> NotFound:
    return NotFound(
        f"conversation {conversation_id!r} not found",
        message_zh="对话不存在",
        code="conversation_not_found",
    )


async def load_conversation(
    session: AsyncSession, tenant_id: str, conversation_id: str
) -> ConversationScope:
    """The conversation if the caller may see it (its tenant; for a patient token, its own)."""
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None or conversation.tenant_id != tenant_id:
        raise conversation_not_found(conversation_id)
    patient = await session.get(Patient, conversation.patient_id)
    if not visible_to_caller(patient, tenant_id):
        raise conversation_not_found(conversation_id)
    assert patient is not None
    return ConversationScope(conversation=conversation, patient=patient)


async def create_conversation(
    c: Container, tenant_id: str, body: ConversationCreate, *, patient_id: str | None = None
) -> ConversationPublic:
    """A new conversation of the caller's tenant: for ``patient_id`` (a patient token's own
    patient) or for the tenant's patient ``patient_ref`` (made when new)."""
    if body.tenant_id is not None and body.tenant_id != tenant_id:
        raise NotFound(
            f"unknown tenant {body.tenant_id!r}",
            message_zh=f"租户 {body.tenant_id!r} 不存在",
            code="unknown_tenant",
            field="tenant_id",
        )
    async with c.sessions() as session:
        await require_tenant(session, tenant_id)
        if patient_id is not None:
            patient = await require_patient(session, tenant_id, patient_id)
        else:
            patient = await get_or_create_patient(
                session, tenant_id, body.patient_ref or f"anon-{uuid.uuid4().hex[:16]}"
            )
        conversation = Conversation(
            tenant_id=tenant_id, patient_id=patient.id, language=body.language or "zh"
        )
        session.add(conversation)
        await session.flush()
        audit(
            session,
            tenant_id=tenant_id,
            actor="patient",
            action="conversation_created",
            entity_type="conversation",
            entity_id=conversation.id,
        )
        await session.commit()
        return _public(conversation, patient)


async def read_conversation(session: AsyncSession, scope: ConversationScope) -> ConversationDetail:
    """In the request's session, where the scope was loaded."""
    conversation, patient = scope.conversation, scope.patient
    rows = await session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.created_at, Message.id)
    )
    messages = [MessagePublic.model_validate(m, from_attributes=True) for m in rows]
    return ConversationDetail(**_public(conversation, patient).model_dump(), messages=messages)


async def post_message(
    c: Container,
    scope: ConversationScope,
    body: MessageCreate,
    on_progress: ProgressSink | None = None,
) -> TurnResult:
    if len(body.content) > c.settings.max_message_chars:
        raise ValidationFailed(
            f"message is longer than {c.settings.max_message_chars} characters",
            message_zh=f"消息过长（超过{c.settings.max_message_chars}字），请分几次发送",
            code="message_too_long",
            field="content",
        )
    conversation, patient = scope.conversation, scope.patient
    conversation_id = conversation.id
    async with c.sessions() as session:
        if body.client_message_id:
            done = await _finished_turn(session, conversation_id, body.client_message_id)
            if done is not None:
                return done
    degraded = False
    try:
        limited = await c.coordinator.hit_rate_limit(
            f"conv:{conversation_id}", c.settings.rate_limit_per_minute, 60
        )
    except DependencyUnavailable as exc:
        limited, degraded = False, await _only_an_emergency_goes_ahead(c, exc, body.content)
    if limited:
        raise RateLimited("too many messages, wait a minute", message_zh="消息太频繁，请稍后再试")
    async with AsyncExitStack() as stack:
        lease: Lease | None = None
        if not degraded:
            lock_s = c.settings.turn_lock_timeout_s
            try:
                lease = await stack.enter_async_context(
                    c.coordinator.turn_lock(f"conv:{conversation_id}", lock_s, lock_s)
                )
            except DependencyUnavailable as exc:
                await _only_an_emergency_goes_ahead(c, exc, body.content)
        async with c.sessions() as session:
            if body.client_message_id:
                done = await _finished_turn(session, conversation_id, body.client_message_id)
                if done is not None:
                    return done
            message = await _patient_message(session, conversation_id, body)
        human = await answer_while_taken_over(c, conversation_id, message.id)
        if human is not None:
            return human
        return await _run_turn(c, conversation, patient, message, on_progress, lease)


async def _only_an_emergency_goes_ahead(
    c: Container, exc: DependencyUnavailable, text: str
) -> bool:
    """Coordination (Redis) is down: an emergency turn still runs (unlocked, so the 120
    instruction goes out); any other turn is refused with ``exc`` (503, Retry-After) before
    its message is stored, so the client may simply send it again."""
    screen = await asyncio.to_thread(screen_input, text, detect_language(text), c.red_flags.vote)
    if not screen.safety.escalated:
        raise exc
    log.warning("coordination unavailable: emergency turn runs without the turn lock")
    return True


async def _run_turn(
    c: Container,
    conversation: Conversation,
    patient: Patient,
    message: Message,
    on_progress: ProgressSink | None,
    lease: Lease | None = None,
) -> TurnResult:
    recorder = ReviewRecorder()
    run = await start_turn_run(
        c, conversation, patient, on_progress=on_progress, record_review=recorder
    )
    # One checkpoint per turn (not per node): a turn that crashes midway is simply run again,
    # because its patient message has no result yet. A crash *after* the graph's checkpoint
    # but before the reply was stored must not run the graph again: that would append the
    # question to the agent's memory a second time. Then only the storing is redone.
    if await _graph_already_ran(c, run.config, message.id):
        log.info("turn of message %s was checkpointed before a crash; storing it", message.id)
        return await _finish_turn(run, message, recorder, lease)
    try:
        async with asyncio.timeout(c.settings.turn_timeout_s):
            await run.run({"user_text": message.content, "message_id": message.id})
    except TimeoutError:
        await _mark_failed(c, message.id)
        raise turn_timed_out(c.settings.turn_timeout_s) from None  # fmt: skip
    return await _finish_turn(run, message, recorder, lease)


async def _graph_already_ran(c: Container, config: RunnableConfig, message_id: str) -> bool:
    """The thread's last checkpoint is this message's finished (or held) turn."""
    snapshot = await c.graph.aget_state(config)
    return bool(snapshot.values) and snapshot.values.get("message_id") == message_id


async def _finish_turn(
    run: TurnRun, message: Message, recorder: ReviewRecorder, lease: Lease | None
) -> TurnResult:
    """Store the checkpointed turn's reply, tool calls and alerts; publish the events."""
    c, conversation = run.c, run.conversation
    result, values = await run.result(message.client_message_id)
    if lease is not None:
        lease.require_held()  # fencing: a turn that lost its lock stores nothing
    async with c.sessions() as session:
        final = None if result.status == "held" else result.reply
        add_review_events(session, conversation, recorder.records, final_reply=final)
        result, alerts = await persist_turn(
            session, conversation, message.id, result, values, c.tools
        )
    await publish_alerts(c, conversation.tenant_id, alerts)
    await run.emit(
        "turn",
        {
            "message_id": result.message_id,
            "status": result.status,
            "escalated": result.safety.escalated,
        },
    )
    return result


async def _mark_failed(c: Container, message_id: str) -> None:
    """The patient message of a stopped turn: no reply, retriable with its client id."""
    async with c.sessions() as session:
        row = await session.get(Message, message_id)
        if row is not None and row.result is None:
            row.turn_status = "failed"
            await session.commit()


async def _finished_turn(
    session: AsyncSession, conversation_id: str, client_message_id: str
) -> TurnResult | None:
    row = await session.scalar(
        select(Message).where(
            Message.conversation_id == conversation_id,
            Message.client_message_id == client_message_id,
        )
    )
    if row is None or row.result is None:
        return None
    return TurnResult.model_validate(row.result)


async def _patient_message(
    session: AsyncSession, conversation_id: str, body: MessageCreate
) -> Message:
    """The patient message row of this turn: new, or the one a crashed attempt left behind."""
    if body.client_message_id:
        existing = await session.scalar(
            select(Message).where(
                Message.conversation_id == conversation_id,
                Message.client_message_id == body.client_message_id,
            )
        )
        if existing is not None:
            return existing
    message = Message(
        conversation_id=conversation_id,
        role="patient",
        content=body.content,
        client_message_id=body.client_message_id,
        turn_status="running",
    )
    session.add(message)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise
    return message


def _public(conversation: Conversation, patient: Patient) -> ConversationPublic:
    return ConversationPublic(
        id=conversation.id,
        tenant_id=conversation.tenant_id,
        patient_id=patient.id,
        patient_ref=patient.external_ref,
        language=conversation.language,
        status=conversation.status,
        created_at=conversation.created_at,
        taken_over_by=conversation.taken_over_by,
    )


async def open_conversation(
    c: Container, tenant_id: str, conversation_id: str
) -> ConversationScope:
    """``load_conversation`` in its own session, for in-process callers (CLI, evals)."""
    async with c.sessions() as session:
        return await load_conversation(session, tenant_id, conversation_id)
