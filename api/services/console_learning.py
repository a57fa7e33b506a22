"""The learning loop as the console shows it: how many labelled cases the next eval run gets."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas_console import LearningPublic
from core.db.review_models import ReviewLabel


async def read_learning(session: AsyncSession, tenant_id: str) -> LearningPublic:
    """One case per labelled item, exactly as ``learning_loop.regression_cases`` exports them."""
    count = await session.scalar(
        select(func.count()).select_from(ReviewLabel).where(ReviewLabel.tenant_id == tenant_id)
    )
    return LearningPublic(labelled_cases=int(count or 0))
