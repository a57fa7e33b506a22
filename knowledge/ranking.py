"""What a search returns, and the pure pieces of ranking: query validation, top-n selection,
reciprocal-rank fusion and the abstain rule."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from core.errors import ValidationFailed
from core.text import Language
from knowledge.config import AbstainThreshold, RetrievalMode

MAX_QUERY_CHARS = 2000
Mask = npt.NDArray[np.bool_]


class Passage(BaseModel):
    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    title: str
    source: str
    year: int
    section: str
    heading: str
    language: str
    topics: list[str]
    audience: str
    text: str
    score: float
    """Fused RRF score in hybrid mode, BM25 score in bm25 mode, cosine in dense mode."""


class RetrievalSignals(BaseModel):
    """What the abstain decision looked at."""

    best_dense: float | None
    """Best cosine between the query and a chunk (dense and hybrid modes)."""
    lexical_coverage: float
    """Best BM25 score over the query's idf weight (about 1 when one chunk holds every term)."""
    candidates: int
    """Chunks left after the metadata filters."""
    query_language: Language = "zh"


class Ranking(BaseModel):
    mode: RetrievalMode
    scored: list[tuple[int, float]]
    """(chunk index, score), best first."""
    signals: RetrievalSignals


class RetrievalResult(BaseModel):
    query: str
    passages: list[Passage]
    abstained: bool
    reason: str | None = None
    signals: RetrievalSignals | None = None


def validate_query(query: str) -> str:
    stripped = query.strip()
    if not stripped:
        raise ValidationFailed(
            "the search query is empty",
            message_zh="检索内容不能为空",
            field="query",
            code="empty_query",
        )
    if len(stripped) > MAX_QUERY_CHARS:
        raise ValidationFailed(
            f"the search query is {len(stripped)} characters long; the limit is {MAX_QUERY_CHARS}",
            message_zh=f"检索内容过长（{len(stripped)} 字），上限为 {MAX_QUERY_CHARS} 字",
            field="query",
            code="query_too_long",
        )
    return stripped


def top_indices(scores: npt.NDArray[np.float32], mask: Mask, n: int) -> list[int]:
    """Indices of the ``n`` best positive-or-any scores among ``mask``, best first."""
    candidates = np.flatnonzero(mask)
    if candidates.size == 0:
        return []
    values = scores[candidates]
    if candidates.size > n:
        part = np.argpartition(-values, n - 1)[:n]
        candidates, values = candidates[part], values[part]
    order = np.argsort(-values, kind="stable")
    return [int(i) for i in candidates[order]]


def rrf(rankings: Sequence[Sequence[int]], k: int) -> dict[int, float]:
    """Reciprocal-rank fusion: each ranking adds 1 / (k + rank) (rank from 1) to an item."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


def is_unanswerable(signals: RetrievalSignals, threshold: AbstainThreshold) -> bool:
    """Neither the meaning (dense) nor the words (BM25) of the query are found in the corpus."""
    dense_weak = signals.best_dense is None or signals.best_dense < threshold.min_dense
    return dense_weak and signals.lexical_coverage < threshold.min_lexical


def cap_per_group(
    ordered: Sequence[tuple[int, float]], group_of: Sequence[int], cap: int | None, k: int
) -> list[tuple[int, float]]:
    """The first ``k`` items, passing over those whose group (document) already has ``cap``
    items — five passages from one document crowd out the second document a question needs —
    then, if fewer than ``k`` remain, the passed-over items in their order."""
    if cap is None:
        return list(ordered[:k])
    taken: dict[int, int] = {}
    kept: list[tuple[int, float]] = []
    passed: list[tuple[int, float]] = []
    for item, score in ordered:
        group = group_of[item]
        if taken.get(group, 0) < cap:
            taken[group] = taken.get(group, 0) + 1
            kept.append((item, score))
            if len(kept) == k:
                return kept
        else:
            passed.append((item, score))
    return kept + passed[: k - len(kept)]
