"""Knowledge search: chunk text with doc id, title, source, year, section and score."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Query

from api.deps import ContainerDep, KnowledgeReader

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"])


@router.get("/search")
async def search_knowledge(
    c: ContainerDep,
    caller: KnowledgeReader,
    q: str = Query(
        ..., min_length=1, max_length=2000, description="The question, as a patient would write it."
    ),
    k: int = Query(5, ge=1, le=20),
    language: str | None = Query(None, pattern="^(zh|en)$"),
    topic: str | None = Query(None, max_length=40),
) -> dict[str, Any]:
    result = await asyncio.to_thread(  # embedding + ranking is CPU work: off the event loop
        c.knowledge.retriever().search, q, k, language=language, topics=[topic] if topic else None
    )
    return result.model_dump(mode="json")
