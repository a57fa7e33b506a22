"""Takeover: a health manager answers a conversation instead of the agent, then hands it back.

While a conversation is taken over the turn service stores the patient's messages and tells
the patient a human is answering, without running the agent — except for an emergency, which
always gets the 120 instruction and the manager alert first. Each step (take over, a manager
message, hand back) is one commit with its audit entry, delivered into the thread as a message
and published on the tenant's live channel.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas import MessagePublic
from api.schemas_console import TakeoverPublic
from api.services.conversations import ConversationScope
from api.services.decision_checks import manager_message_hints
from api.services.records import audit
from core.db.models import Conversation, Message
from core.errors import Conflict
from core.schemas import ReviewReason

Step = Literal["taken_over", "manager_message", "handed_back"]
NOTICE = {
    "taken_over": {
        "zh": "您好，我是您的健康管理师，接下来由我直接回复您。如有紧急情况，请立即拨打120。",
        "en": "Hello, this is your health manager: I will answer you myself from now on. "
        "In an emergency, call 120 now.",
    },
    "handed_back": {
        "zh": "健康管理师已结束人工回复，AI助手将继续为您服务；需要时可随时联系健康管理师。",
        "en": "Your health manager has handed this conversation back to the AI assistant; "
        "you can ask for your health manager at any time.",
    },
}


def _language(conversation: Conversation) -> Literal["zh", "en"]:
    return "en" if conversation.language == "en" else "zh"


async def take_over(c: Container, scope: ConversationScope, manager: str) -> TakeoverPublic:
    async with c.sessions() as session:
        conversation = await _fresh(session, scope)
        if conversation.taken_over_by is not None:
            raise Conflict(
                f"conversation is already taken over by {conversation.taken_over_by}",
                message_zh=f"该对话已由 {conversation.taken_over_by} 接管",
                code="conversation_taken_over",
                details={"taken_over_by": conversation.taken_over_by},
            )
        conversation.taken_over_by, conversation.taken_over_at = manager, datetime.now(UTC)
        text = NOTICE["taken_over"][_language(conversation)]
        return await _commit_step(c, session, conversation, manager, "taken_over", text)


async def send_manager_message(
    c: Container, scope: ConversationScope, manager: str, content: str
) -> TakeoverPublic:
    async with c.sessions() as session:
        conversation = await _fresh(session, scope)
        hints = await _hints(session, conversation, content.strip())
        return await _commit_step(
            c, session, conversation, manager, "manager_message", content.strip(), hints
        )


async def check_manager_message(
    c: Container, scope: ConversationScope, content: str
) -> list[ReviewReason]:
    """The output checks on a message the manager is about to send (nothing is stored)."""
    async with c.sessions() as session:
        return await _hints(session, await _fresh(session, scope), content.strip())


async def _hints(
    session: AsyncSession, conversation: Conversation, text: str
) -> list[ReviewReason]:
    question = await session.scalar(
        select(Message.content)
        .where(Message.conversation_id == conversation.id, Message.role == "patient")
        .order_by(Message.created_at.desc())
        .limit(1)
    )
    return manager_message_hints(
        text,
        tenant_id=conversation.tenant_id,
        question=question or "",
        language=_language(conversation),
    )


async def hand_back(c: Container, scope: ConversationScope, manager: str) -> TakeoverPublic:
    async with c.sessions() as session:
        conversation = await _fresh(session, scope)
        if conversation.taken_over_by is None:
            raise Conflict(
                "conversation is not taken over",
                message_zh="该对话未被接管",
                code="conversation_not_taken_over",
            )
        conversation.taken_over_by, conversation.taken_over_at = None, None
        text = NOTICE["handed_back"][_language(conversation)]
        return await _commit_step(c, session, conversation, manager, "handed_back", text)


async def _fresh(session: AsyncSession, scope: ConversationScope) -> Conversation:
    found = await session.get(Conversation, scope.conversation.id)
    assert found is not None  # the scope loaded it in this request
    return found


async def _commit_step(
    c: Container,
    session: AsyncSession,
    conversation: Conversation,
    manager: str,
    step: Step,
    text: str,
    hints: list[ReviewReason] | None = None,
) -> TakeoverPublic:
    message = Message(conversation_id=conversation.id, role="manager", content=text)
    session.add(message)
    await session.flush()
    audit(
        session,
        tenant_id=conversation.tenant_id,
        actor=f"manager:{manager}",
        action=f"conversation_{step}",
        entity_type="conversation",
        entity_id=conversation.id,
        details={"message_id": message.id}
        | ({"sent_despite": sorted({h.code for h in hints})} if hints else {}),
    )
    await session.commit()
    public = MessagePublic.model_validate(message, from_attributes=True)
    await c.coordinator.publish(
        f"tenant:{conversation.tenant_id}",
        {
            "kind": step,
            "tenant_id": conversation.tenant_id,
            "conversation_id": conversation.id,
            "message_id": message.id,
            "manager": manager,
        },
    )
    return TakeoverPublic(
        conversation_id=conversation.id,
        taken_over_by=conversation.taken_over_by,
        taken_over_at=conversation.taken_over_at,
        message=public,
        hints=hints or [],
    )
