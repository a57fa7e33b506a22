"""The console's quality view: today's turns, escalations, held answers and decisions."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas_console import QualityPublic
from core.db.models import Conversation, Message, ReviewItem
from core.db.review_models import ReviewLabel


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


async def read_quality(
    session: AsyncSession, tenant_id: str, now: datetime | None = None
) -> QualityPublic:
    now = now or datetime.now(UTC)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=1)
    turns = list(
        await session.scalars(
            select(Message)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(
                Conversation.tenant_id == tenant_id,
                Message.role == "patient",
                Message.created_at >= start,
                Message.created_at < end,
            )
        )
    )
    by_hour = [0] * 24
    for m in turns:
        by_hour[_aware(m.created_at).hour] += 1
    escalations = sum(1 for m in turns if ((m.result or {}).get("safety") or {}).get("escalated"))
    items = list(await session.scalars(select(ReviewItem).where(ReviewItem.tenant_id == tenant_id)))
    held = [i for i in items if start <= _aware(i.created_at) < end]
    decided = [i for i in items if i.decided_at is not None and start <= _aware(i.decided_at) < end]
    waits = [
        (_aware(i.decided_at) - _aware(i.created_at)).total_seconds()
        for i in decided
        if i.decided_at
    ]
    labels: dict[str, int] = {}
    for cause in await session.scalars(
        select(ReviewLabel.root_cause).where(
            ReviewLabel.tenant_id == tenant_id,
            ReviewLabel.labelled_at >= start,
            ReviewLabel.labelled_at < end,
        )
    ):
        labels[cause] = labels.get(cause, 0) + 1
    approved = sum(1 for i in decided if i.status == "approved")
    return QualityPublic(
        day=start.date().isoformat(),
        turns=len(turns),
        escalations=escalations,
        held=len(held),
        decided=len(decided),
        approval_rate=approved / len(decided) if decided else None,
        median_decision_s=statistics.median(waits) if waits else None,
        labels_by_cause=labels,
        turns_by_hour=by_hour,
    )
