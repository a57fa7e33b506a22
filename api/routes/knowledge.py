"""Knowledge search: chunk text with doc id, title, source, year, section and score."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Query

from api.deps import ContainerDep, KnowledgeReader
from api.schemas_care import ReferenceRange
from api.services.reference_ranges import reference_ranges
from core.errors import NotFound

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


@router.get("/chunks/{chunk_id}")
async def read_chunk(c: ContainerDep, caller: KnowledgeReader, chunk_id: str) -> dict[str, Any]:
    """The passage a citation's ``chunk_id`` points at (source, year, section and text)."""
    passage = c.knowledge.retriever().passage(chunk_id)
    if passage is None:
        raise NotFound(
            f"chunk {chunk_id!r} not found", message_zh="未找到该指南段落", code="chunk_not_found"
        )
    return passage.model_dump(mode="json", exclude={"score"})


@router.get("/reference-ranges")
async def list_reference_ranges(caller: KnowledgeReader) -> list[ReferenceRange]:
    """Normal ranges of readings (blood pressure, glucose) with the guideline they come from."""
    return reference_ranges()
