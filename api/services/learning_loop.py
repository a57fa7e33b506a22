"""The learning loop: every revise/hold is stored; managers label root causes; labelled items
become regression cases for the eval harness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.container import Container
from api.schemas_review import RegressionCase, ReviewLabelCreate, ReviewLabelPublic
from api.services.answer_labels import answer_label_cases
from api.services.records import audit
from api.services.review_items import (
    HeldTurn,
    earlier_patient_texts,
    load_held_turn,
    public_label,
)
from core.db.models import Conversation
from core.db.review_models import ReviewEvent, ReviewLabel
from core.errors import ValidationFailed
from guardrails.pii import redact


@dataclass
class ReviewRecorder:
    """The ``record_review`` sink of one graph run: keeps the records until the turn persists."""

    records: list[dict[str, Any]] = field(default_factory=list)

    async def __call__(self, record: dict[str, Any]) -> None:
        self.records.append(record)


def add_review_events(
    session: AsyncSession,
    conversation: Conversation,
    records: list[dict[str, Any]],
    *,
    final_reply: str | None,
) -> None:
    """Stage one ReviewEvent per record in ``session`` (committed with the turn).

    ``final_reply`` is what the patient got; ``None`` while the turn waits for a manager.
    """
    for record in records:
        reasons = list(record.get("reasons", []))
        session.add(
            ReviewEvent(
                tenant_id=conversation.tenant_id,
                conversation_id=conversation.id,
                message_id=record["message_id"],
                verdict=record["verdict"],
                reason_codes=sorted({str(r.get("code", "")) for r in reasons}),
                reasons=reasons,
                draft=record.get("draft", ""),
                user_text=record.get("user_text", ""),
                evidence_ids=list(record.get("evidence_ids", [])),
                tools=list(record.get("tools", [])),
                revision=int(record.get("revision", 0)),
                reviewer=str(record.get("reviewer", ""))[:64],
                final_reply=final_reply,
            )
        )


async def close_review_events(
    session: AsyncSession,
    *,
    conversation_id: str,
    message_id: str,
    review_item_id: str,
    final_reply: str,
) -> None:
    """A manager decided: the turn's events get the final answer and their review item."""
    await session.execute(
        update(ReviewEvent)
        .where(
            ReviewEvent.conversation_id == conversation_id,
            ReviewEvent.message_id == message_id,
        )
        .values(final_reply=final_reply, review_item_id=review_item_id)
    )


async def events_of_turn(
    session: AsyncSession, conversation_id: str, message_id: str
) -> list[ReviewEvent]:
    rows = await session.scalars(
        select(ReviewEvent)
        .where(
            ReviewEvent.conversation_id == conversation_id,
            ReviewEvent.message_id == message_id,
        )
        .order_by(ReviewEvent.created_at, ReviewEvent.revision)
    )
    return list(rows)


async def label_review_item(
    c: Container, tenant_id: str, item_id: str, body: ReviewLabelCreate, manager: str
) -> ReviewLabelPublic:
    """Record (or replace) the manager's root cause and correct answer for an item."""
    async with c.sessions() as session:
        held = await load_held_turn(session, tenant_id, item_id)
        answer = body.correct_answer or held.item.final_reply
        if not answer:
            raise ValidationFailed(
                "correct_answer is required while the item has no final reply",
                message_zh="该条目尚未处理，请填写正确答案（correct_answer）",
                code="correct_answer_required",
                field="correct_answer",
            )
        label = held.label or ReviewLabel(review_item_id=held.item.id, tenant_id=tenant_id)
        label.root_cause = body.root_cause
        label.correct_answer = answer
        label.notes = body.notes
        label.labelled_by = manager
        label.labelled_at = datetime.now(UTC)
        session.add(label)
        await session.flush()
        audit(
            session,
            tenant_id=tenant_id,
            actor=f"manager:{manager}",
            action="review_labelled",
            entity_type="review_item",
            entity_id=held.item.id,
            details={"root_cause": body.root_cause, "relabel": held.label is not None},
        )
        await session.commit()
        return public_label(label)


async def regression_cases(c: Container, tenant_id: str | None = None) -> list[RegressionCase]:
    """Every labelled held item and labelled answer (of one tenant, or all) as a regression
    case, oldest label first."""
    query = select(ReviewLabel.review_item_id, ReviewLabel.tenant_id, ReviewLabel.labelled_at)
    if tenant_id is not None:
        query = query.where(ReviewLabel.tenant_id == tenant_id)
    async with c.sessions() as session:
        dated = []
        for item_id, owner, labelled_at in list((await session.execute(query)).all()):
            held = await load_held_turn(session, owner, item_id)
            earlier = await earlier_patient_texts(session, held.question)
            dated.append((labelled_at, regression_case(held, earlier)))
        dated += await answer_label_cases(session, tenant_id)
        return [case for _, case in sorted(dated, key=lambda pair: pair[0])]


def regression_case(held: HeldTurn, earlier: list[str]) -> RegressionCase:
    """The case for one labelled item: patient texts redacted, the label as the answer key."""
    assert held.label is not None
    codes = sorted({str(r.get("code", "")) for r in held.item.reasons} - {""})
    answer = held.label.correct_answer
    return RegressionCase(
        id=f"review-{held.item.id}",
        tags=["regression", "review", f"root_cause:{held.label.root_cause}", *codes],
        tenant=held.item.tenant_id,
        turns=[{"user": text} for text in earlier] + [{"user": redact(held.question.content).text}],
        expect={
            "review": ["approve"],
            "rubric": [
                {
                    "criterion": f"Agrees with the health manager's answer: {answer}",
                    "points": 1,
                    "tags": ["reference_answer"],
                }
            ],
        },
        notes=f"root cause: {held.label.root_cause}; held for {', '.join(codes) or '-'}; "
        f"manager notes: {held.label.notes or '-'}; reference answer: {answer}",
    )
