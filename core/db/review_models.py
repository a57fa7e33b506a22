"""Learning-loop tables: every revise/hold of the reviewer, and the managers' root-cause labels.

Registered with the shared metadata by one import at the bottom of ``core.db.models``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base, new_id, utcnow
from core.db.types import UTCDateTime


class ReviewEvent(Base):
    """One reviewer verdict other than approve, on one draft of one patient turn."""

    __tablename__ = "review_events"
    __table_args__ = (Index("ix_review_events_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(32), index=True)
    """The patient message the draft answered."""
    verdict: Mapped[str] = mapped_column(String(16))  # revise | hold
    reason_codes: Mapped[list[Any]] = mapped_column(default=list)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    draft: Mapped[str] = mapped_column(Text)
    user_text: Mapped[str] = mapped_column(Text, default="")
    """The patient's message with PII redacted (never the original)."""
    evidence_ids: Mapped[list[Any]] = mapped_column(default=list)
    tools: Mapped[list[Any]] = mapped_column(default=list)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    reviewer: Mapped[str] = mapped_column(String(64), default="")
    final_reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    """What the patient finally got for this turn (filled when the turn or its review ends)."""
    review_item_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewLabel(Base):
    """A manager's root-cause label on a held item: the source of regression cases."""

    __tablename__ = "review_labels"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    review_item_id: Mapped[str] = mapped_column(ForeignKey("review_items.id"), unique=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    root_cause: Mapped[str] = mapped_column(String(16))  # technical | rule | data
    correct_answer: Mapped[str] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    labelled_by: Mapped[str] = mapped_column(String(128))
    labelled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AnswerLabel(Base):
    """A manager's label on any answer the patient got: also a source of regression cases."""

    __tablename__ = "answer_labels"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"), unique=True)
    """The assistant (or manager) message labelled."""
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    verdict: Mapped[str] = mapped_column(String(16))  # correct | unsafe | unsupported | unhelpful
    correct_answer: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    labelled_by: Mapped[str] = mapped_column(String(128))
    labelled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
