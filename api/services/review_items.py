"""Loading review items within a tenant and turning them into their public shape."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas_review import (
    ConversationRef,
    ReviewItemPublic,
    ReviewLabelPublic,
    ReviewStatus,
)
from core.db.models import Conversation, Message, Patient, ReviewItem
from core.db.review_models import ReviewLabel
from core.errors import Conflict, NotFound
from core.schemas import ReviewReason
from guardrails.pii import redact


@dataclass
class HeldTurn:
    """A review item with the rows around it: its conversation, patient and messages."""

    item: ReviewItem
    conversation: Conversation
    patient: Patient
    holding: Message
    """The holding reply the patient got."""
    question: Message
    """The patient message the draft answers."""
    label: ReviewLabel | None


def item_not_found(item_id: str) -> NotFound:
    return NotFound(
        f"review item {item_id!r} not found",
        message_zh="未找到该审核条目",
        code="review_item_not_found",
        field="item_id",
    )


async def load_held_turn(session: AsyncSession, tenant_id: str, item_id: str) -> HeldTurn:
    """The item if it exists AND belongs to ``tenant_id`` (another tenant's item is a 404)."""
    item = await session.get(ReviewItem, item_id)
    if item is None or item.tenant_id != tenant_id:
        raise item_not_found(item_id)
    conversation = await session.get(Conversation, item.conversation_id)
    holding = await session.get(Message, item.message_id)
    if conversation is None or holding is None or holding.reply_to_id is None:
        raise item_not_found(item_id)
    patient = await session.get(Patient, conversation.patient_id)
    question = await session.get(Message, holding.reply_to_id)
    if patient is None or question is None:
        raise item_not_found(item_id)
    label = await session.scalar(select(ReviewLabel).where(ReviewLabel.review_item_id == item.id))
    return HeldTurn(item, conversation, patient, holding, question, label)


def already_decided(item_id: str, status: str, decided_by: str | None = None) -> Conflict:
    return Conflict(
        f"review item {item_id!r} was already decided ({status})",
        message_zh=f"该审核条目已处理（{status}），不能重复决定",
        code="review_item_decided",
        field="item_id",
        details={"status": status, "decided_by": decided_by},
    )


def require_pending(item: ReviewItem) -> None:
    if item.status != "pending":
        raise already_decided(item.id, item.status, item.decided_by)


def public_item(held: HeldTurn) -> ReviewItemPublic:
    item = held.item
    status: ReviewStatus = item.status  # type: ignore[assignment]
    return ReviewItemPublic(
        id=item.id,
        tenant_id=item.tenant_id,
        status=status,
        conversation=ConversationRef(
            id=held.conversation.id,
            patient_ref=held.patient.external_ref,
            language=held.conversation.language,
        ),
        message_id=item.message_id,
        question=held.question.content,
        draft=item.draft,
        reasons=[ReviewReason.model_validate(r) for r in item.reasons],
        final_reply=item.final_reply,
        decided_by=item.decided_by,
        decided_at=item.decided_at,
        created_at=item.created_at,
        label=None if held.label is None else public_label(held.label),
    )


def public_label(label: ReviewLabel) -> ReviewLabelPublic:
    return ReviewLabelPublic.model_validate(label, from_attributes=True)


async def earlier_patient_texts(
    session: AsyncSession, question: Message, limit: int = 2
) -> list[str]:
    """Up to ``limit`` patient messages before ``question``, redacted, oldest first."""
    rows = await session.scalars(
        select(Message.content)
        .where(
            Message.conversation_id == question.conversation_id,
            Message.role == "patient",
            Message.created_at < question.created_at,
        )
        .order_by(Message.created_at.desc())
        .limit(limit)
    )
    return [redact(text).text for text in reversed(list(rows))]
