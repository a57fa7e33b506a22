"""retrieve_evidence: hybrid retrieval; passages carrying instructions are dropped as data."""

from __future__ import annotations

import asyncio
from typing import Any

from langgraph.runtime import Runtime

from agent.context import AgentContext
from agent.state import AgentState
from guardrails.input_guard import passage_is_safe


async def retrieve_evidence(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    ctx = runtime.context
    language = state.get("language", "zh")
    query = _retrieval_query(state.get("redacted_text") or state["user_text"])
    # Clinician references (scoring charts such as NEWS2) back the tools and the triage rules;
    # they are not what a patient's question is answered from.
    search = ctx.retriever.search  # embedding + ranking: CPU work, off the event loop
    result = await asyncio.to_thread(
        search, query, k=ctx.retrieval_k, language=language, exclude_audience=CLINICIAN
    )
    if result.abstained and language == "en":
        # English versions cover the core documents only; fall back to the whole corpus.
        result = await asyncio.to_thread(
            search, query, k=ctx.retrieval_k, exclude_audience=CLINICIAN
        )
    evidence: list[dict[str, Any]] = []
    for passage in result.passages:
        if not passage_is_safe(passage.text):
            continue
        evidence.append(
            {
                "ref": len(evidence) + 1,
                "chunk_id": passage.chunk_id,
                "doc_id": passage.doc_id,
                "title": passage.title,
                "source": passage.source,
                "year": passage.year,
                "section": passage.section,
                "text": passage.text,
                "score": float(passage.score),
            }
        )
    return {"evidence": evidence, "abstained": bool(result.abstained) or not evidence}


CLINICIAN = "clinician"
_MAX_QUERY_CHARS = 600


def _retrieval_query(text: str) -> str:
    """A long message is searched by its opening and its end, where patients put the question
    (the retriever refuses queries longer than its limit)."""
    if len(text) <= _MAX_QUERY_CHARS:
        return text
    head = _MAX_QUERY_CHARS // 3
    return f"{text[:head]} {text[-(_MAX_QUERY_CHARS - head) :]}"
