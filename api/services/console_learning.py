"""The learning loop as the console shows it: how many labelled cases the next eval run gets."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas_console import LearningPublic
from core.db.review_models import AnswerLabel, ReviewLabel


async def read_learning(session: AsyncSession, tenant_id: str) -> LearningPublic:
    """One case per labelled item or answer, as ``learning_loop.regression_cases`` exports."""
    total = 0
    for table in (ReviewLabel, AnswerLabel):
        count = await session.scalar(
            select(func.count()).select_from(table).where(table.tenant_id == tenant_id)
        )
        total += int(count or 0)
    return LearningPublic(labelled_cases=total)
