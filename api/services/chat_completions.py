"""The OpenAI-compatible facade: one chat completion is one turn of the same turn service.

Which conversation: ``X-Conversation-Id`` (or ``metadata.conversation_id``) continues exactly
that conversation of the caller's tenant; else ``user`` (the tenant's pseudonymous patient id)
continues that patient's latest conversation, made on first sight; else a new anonymous one.
Only the last user message is the turn: the agent keeps the conversation's history itself.
"""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas import ConversationCreate, MessageCreate
from api.schemas_openai import (
    AgentExtension,
    ChatCompletion,
    ChatCompletionCreate,
    ChatMessageOut,
    Choice,
)
from api.services.conversations import (
    ConversationScope,
    create_conversation,
    load_conversation,
    post_message,
)
from core.db.models import Conversation, Patient
from core.errors import ValidationFailed


def _last_user_text(body: ChatCompletionCreate) -> str:
    for message in reversed(body.messages):
        if message.role == "user" and message.text().strip():
            return message.text()
    raise ValidationFailed(
        "messages holds no user message with text",
        message_zh="messages 中没有用户消息",
        code="no_user_message",
        field="messages",
    )


async def _conversation(
    c: Container,
    session: AsyncSession,
    tenant_id: str,
    body: ChatCompletionCreate,
    conversation_id: str | None,
) -> ConversationScope:
    conversation_id = conversation_id or (body.metadata or {}).get("conversation_id")
    if conversation_id:
        return await load_conversation(session, tenant_id, conversation_id)
    if body.user:
        latest = await session.scalar(
            select(Conversation.id)
            .join(Patient, Patient.id == Conversation.patient_id)
            .where(Conversation.tenant_id == tenant_id, Patient.external_ref == body.user)
            .order_by(Conversation.created_at.desc(), Conversation.id.desc())
            .limit(1)
        )
        if latest is not None:
            return await load_conversation(session, tenant_id, latest)
    created = await create_conversation(c, tenant_id, ConversationCreate(patient_ref=body.user))
    await session.commit()  # end this session's read snapshot: the new rows were committed apart
    return await load_conversation(session, tenant_id, created.id)


async def create_chat_completion(
    c: Container,
    session: AsyncSession,
    tenant_id: str,
    body: ChatCompletionCreate,
    *,
    conversation_id: str | None = None,
    idempotency_key: str | None = None,
) -> ChatCompletion:
    text = _last_user_text(body)
    scope = await _conversation(c, session, tenant_id, body, conversation_id)
    await session.commit()  # release the read transaction before the turn's own sessions
    turn = await post_message(
        c, scope, MessageCreate(content=text, client_message_id=idempotency_key)
    )
    return ChatCompletion(
        id=f"chatcmpl-{turn.message_id}",
        created=int(time.time()),
        model=body.model,
        choices=[Choice(message=ChatMessageOut(content=turn.reply))],
        health_manager=AgentExtension(
            conversation_id=scope.conversation.id,
            patient_ref=scope.patient.external_ref,
            turn=turn,
        ),
    )
