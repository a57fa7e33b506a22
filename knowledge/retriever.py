"""Hybrid retrieval: BM25 and dense rankings fused by reciprocal rank, with metadata filters and
an abstain signal.

The retriever holds the whole current version in memory: chunk metadata, the BM25 postings and
the vector matrix (loaded from Chroma once). Exact dense search is a single matrix-vector product
(about a millisecond at 10,000 chunks), faster than a round trip through Chroma's HNSW index and
never approximate; see ``bench/retrieval_scale.py``.

Abstaining: a query abstains when its best dense cosine *and* its BM25 coverage (best score over
the query's idf weight) are both below the thresholds for the query's language — neither its
meaning nor its words are in the corpus (``KnowledgeConfig.abstain``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from core.errors import DependencyUnavailable, KnowledgeBaseError, ValidationFailed
from core.text import detect_language, normalise, states_number
from knowledge.analyzer import analyzer_version, tokenize
from knowledge.bm25 import BM25Index
from knowledge.chunking import Chunk
from knowledge.config import KnowledgeConfig, RetrievalMode
from knowledge.embeddings import Embedder, make_embedder
from knowledge.manifest import BM25_FILE, CHUNKS_FILE, KnowledgeVersion, read_manifest, version_dir
from knowledge.ranking import (
    Mask,
    Passage,
    Ranking,
    RetrievalResult,
    RetrievalSignals,
    cap_per_group,
    is_unanswerable,
    rrf,
    top_indices,
    validate_query,
)
from knowledge.store import VectorStore

logger = logging.getLogger(__name__)

__all__ = [
    "Passage",
    "RetrievalResult",
    "RetrievalSignals",
    "Retriever",
    "is_unanswerable",
    "load_retriever",
    "validate_query",
]


MAX_EMBED_CHARS = 128
"""Characters of a query the dense encoder sees."""


class Retriever:
    def __init__(
        self,
        config: KnowledgeConfig,
        version: KnowledgeVersion,
        chunks: Sequence[Chunk],
        bm25: BM25Index,
        vectors: npt.NDArray[np.float32] | None,
        embedder: Embedder | None,
    ) -> None:
        self.config = config
        self.version = version
        self.chunks = list(chunks)
        self.bm25 = bm25
        self.vectors = vectors
        self.embedder = embedder
        self._languages = np.array([c.language for c in self.chunks])
        self._audiences = np.array([c.audience for c in self.chunks])
        doc_ids = {doc_id: n for n, doc_id in enumerate(dict.fromkeys(c.doc_id for c in chunks))}
        self._doc_index = [doc_ids[c.doc_id] for c in self.chunks]
        self._topic_masks: dict[str, Mask] = {}
        for index, chunk in enumerate(self.chunks):
            for topic in chunk.topics:
                if topic not in self._topic_masks:
                    self._topic_masks[topic] = np.zeros(len(self.chunks), dtype=bool)
                self._topic_masks[topic][index] = True
        # Repeated questions are common ("血压多少正常"): their embedding is computed once.
        self._embed_query = lru_cache(maxsize=2048)(self._embed_uncached)

    def clear_query_cache(self) -> None:
        self._embed_query.cache_clear()

    @property
    def embedder_name(self) -> str | None:
        return self.embedder.name if self.vectors is not None and self.embedder else None

    def query_vector(self, text: str) -> npt.NDArray[np.float32]:
        """The (cached) query embedding of ``text``'s canonical form — the same vector a
        search for ``text`` uses, so other layers that need it (red flags) cost nothing more."""
        if self.embedder is None:
            raise DependencyUnavailable(
                "no embedding backend is configured",
                message_zh="未配置向量模型",
                field="embedding_backend",
            )
        return self._embed_query(normalise(text))

    def _embed_uncached(self, text: str) -> npt.NDArray[np.float32]:
        assert self.embedder is not None
        # The encoder's cost grows faster than linearly with the text; a question's meaning is
        # in its first few hundred characters (BM25 still sees the whole query).
        head = text[:MAX_EMBED_CHARS]
        return np.asarray(self.embedder.embed_query(head), dtype=np.float32)

    def _mask(
        self,
        language: str | None,
        topics: Sequence[str] | None,
        audience: str | None,
        exclude_audience: str | None = None,
    ) -> Mask:
        mask = np.ones(len(self.chunks), dtype=bool)
        if language:
            mask &= self._languages == language
        if audience:
            mask &= self._audiences == audience
        if exclude_audience:
            mask &= self._audiences != exclude_audience
        if topics:
            any_topic = np.zeros(len(self.chunks), dtype=bool)
            for topic in topics:
                if topic in self._topic_masks:
                    any_topic |= self._topic_masks[topic]
            mask &= any_topic
        return mask

    def search(
        self,
        query: str,
        k: int | None = None,
        *,
        language: str | None = None,
        topics: Sequence[str] | None = None,
        audience: str | None = None,
        mode: RetrievalMode | None = None,
        exclude_audience: str | None = None,
    ) -> RetrievalResult:
        """The ``k`` best passages for ``query`` among chunks matching every given filter, or
        none with ``abstained=True`` when nothing in the corpus is about the query."""
        query = validate_query(query)
        k = self.config.default_k if k is None else k
        if not 1 <= k <= 100:
            raise ValidationFailed(
                f"k must be between 1 and 100, got {k}",
                message_zh="返回条数 k 须在 1 到 100 之间",
                field="k",
                code="k_out_of_range",
            )
        ranking = self.rank(
            query,
            k,
            language=language,
            topics=topics,
            audience=audience,
            mode=mode,
            exclude_audience=exclude_audience,
        )
        abstained, reason = self.abstain_decision(ranking)
        passages = [] if abstained else [self._passage(i, s) for i, s in ranking.scored]
        return RetrievalResult(
            query=query, passages=passages, abstained=abstained, reason=reason,
            signals=ranking.signals,
        )  # fmt: skip

    def rank(
        self,
        query: str,
        k: int,
        *,
        language: str | None = None,
        topics: Sequence[str] | None = None,
        audience: str | None = None,
        mode: RetrievalMode | None = None,
        exclude_audience: str | None = None,
    ) -> Ranking:
        """Rank chunks without deciding anything: (chunk index, score) pairs and the signals."""
        mode = mode or self.config.mode
        if mode != "bm25" and self.vectors is None:
            mode = "bm25"
        mask = self._mask(language, topics, audience, exclude_audience)
        tokens = tokenize(query)
        lexical = self.bm25.scores(tokens)
        pool = max(self.config.candidate_pool, k)
        lexical_rank = [i for i in top_indices(lexical, mask, pool) if lexical[i] > 0]
        weight = self.bm25.query_weight(tokens)
        coverage = float(lexical[lexical_rank[0]]) / weight if lexical_rank and weight else 0.0
        dense: npt.NDArray[np.float32] | None = None
        dense_rank: list[int] = []
        if self.vectors is not None and mode != "bm25":
            # Embed the canonical form: 高血壓 and 高血压 must retrieve the same passages.
            # einsum, not BLAS ``@``: the multi-threaded sgemv contends for cores with the rest of
            # the server and was 3-5x slower (and erratic) than this single-threaded loop.
            query_vector = self._embed_query(normalise(query))
            dense = np.einsum("ij,j->i", self.vectors, query_vector)
            dense_rank = top_indices(dense, mask, pool)
        best_dense = float(dense[dense_rank[0]]) if dense is not None and dense_rank else None
        if mode == "bm25":
            ordered = [(i, float(lexical[i])) for i in lexical_rank]
        elif mode == "dense" and dense is not None:
            ordered = [(i, float(dense[i])) for i in dense_rank]
        else:
            rankings = [lexical_rank, dense_rank]
            if dense is not None and self._fuse_cross_lingual(query):
                other = mask & (self._languages != detect_language(query))
                rankings.append(top_indices(dense, other, pool))
            fused = rrf(rankings, self.config.rrf_k)
            ordered = sorted(fused.items(), key=lambda item: -item[1])
        scored = cap_per_group(ordered, self._doc_index, self.config.max_chunks_per_doc, k)
        signals = RetrievalSignals(
            best_dense=best_dense,
            lexical_coverage=round(coverage, 4),
            candidates=int(mask.sum()),
            query_language=detect_language(query),
        )
        return Ranking(mode=mode, scored=scored, signals=signals)

    def _fuse_cross_lingual(self, query: str) -> bool:
        setting = self.config.cross_lingual
        return setting == "all" or (setting == "en" and detect_language(query) == "en")

    def abstain_decision(self, ranking: Ranking) -> tuple[bool, str | None]:
        return self._abstain(ranking.signals)

    def _abstain(self, signals: RetrievalSignals) -> tuple[bool, str | None]:
        if signals.candidates == 0:
            return True, "no_documents_match_filters"
        config = self.config
        if is_unanswerable(signals, config.abstain_threshold(signals.query_language)):
            return True, "no_relevant_passage"
        return False, None

    def passage(self, chunk_id: str) -> Passage | None:
        """The stored passage with this chunk id (what a citation points at), or None."""
        index = next((i for i, c in enumerate(self.chunks) if c.chunk_id == chunk_id), None)
        return None if index is None else self._passage(index, 0.0)

    def passages_of(
        self, query: str, doc_ids: Sequence[str], *, prefer: Sequence[str] = (), per_doc: int = 1
    ) -> list[Passage]:
        """The passages of ``doc_ids`` (in that order) that best back an answer to ``query``:
        chunks stating more of the ``prefer`` strings first (an answer card's numbers), then by
        similarity to the query (BM25 without a dense backend)."""
        wanted = {doc_id: n for n, doc_id in enumerate(doc_ids)}
        rows = [i for i, chunk in enumerate(self.chunks) if chunk.doc_id in wanted]
        if not rows:
            return []
        if self.vectors is not None and self.embedder is not None:
            similarity = np.einsum("ij,j->i", self.vectors[rows], self.query_vector(query))
        else:
            similarity = self.bm25.scores(tokenize(query))[rows]
        ranked = sorted(
            zip(rows, similarity.tolist(), strict=True),
            key=lambda row: (
                wanted[self.chunks[row[0]].doc_id],
                -sum(1 for p in prefer if states_number(self.chunks[row[0]].text, p)),
                -row[1],
            ),
        )
        taken: dict[str, int] = {}
        out = []
        for index, score in ranked:
            doc_id = self.chunks[index].doc_id
            if taken.get(doc_id, 0) < per_doc:
                taken[doc_id] = taken.get(doc_id, 0) + 1
                out.append(self._passage(index, float(score)))
        return out

    def _passage(self, index: int, score: float) -> Passage:
        chunk = self.chunks[index]
        return Passage(
            chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title, source=chunk.source,
            year=chunk.year, section=chunk.section, heading=chunk.heading,
            language=chunk.language, topics=chunk.topics, audience=chunk.audience,
            text=chunk.text, score=round(score, 6),
        )  # fmt: skip


def load_retriever(config: KnowledgeConfig, *, embedder: Embedder | None = None) -> Retriever:
    """The retriever over the current knowledge-base version."""
    manifest = read_manifest(config.index_dir)
    if manifest is None:
        raise KnowledgeBaseError(
            f"no knowledge base at {config.index_dir}: run `hm kb ingest` first",
            message_zh="知识库尚未建立：请先运行 `hm kb ingest`",
            field="index_dir",
            code="knowledge_base_missing",
        )
    version = manifest.current
    directory = version_dir(config.index_dir, version.name)
    try:
        with (directory / CHUNKS_FILE).open(encoding="utf-8") as handle:
            chunks = [Chunk.model_validate_json(line) for line in handle if line.strip()]
        bm25 = BM25Index.load(directory / BM25_FILE)
        if version.analyzer != analyzer_version():
            # Tokenisation changed since this version was built: re-index in memory so that
            # query tokens and index tokens agree; the next ingest writes the new index.
            logger.warning("BM25 index of %s is stale; rebuilding it in memory", version.name)
            tokens = [tokenize(c.indexed_text) for c in chunks]
            bm25 = BM25Index.build(tokens, k1=version.bm25_k1, b=version.bm25_b)
    except (OSError, ValueError) as exc:
        raise KnowledgeBaseError(
            f"knowledge-base version {version.name} is incomplete ({exc}); run `hm kb ingest`",
            message_zh="知识库版本文件不完整，请重新运行 `hm kb ingest`",
            field="index_dir",
        ) from exc
    vectors = None
    if version.collection and config.uses_dense:
        embedder = embedder or make_embedder(config)
        if embedder is None or embedder.name != version.embedder:
            raise KnowledgeBaseError(
                f"the index was embedded with {version.embedder}, but the configured embedder is "
                f"{embedder.name if embedder else None}; run `hm kb ingest`",
                message_zh="知识库索引所用的向量模型与当前配置不一致，请重新运行 `hm kb ingest`",
                field="embedding_backend",
                code="embedder_mismatch",
            )
        found = VectorStore(config).vectors(version.collection, [c.chunk_id for c in chunks])
        if len(found) != len(chunks):
            raise KnowledgeBaseError(
                f"collection {version.collection} holds {len(found)} of {len(chunks)} vectors; "
                "run `hm kb ingest`",
                message_zh="向量库中的数据不完整，请重新运行 `hm kb ingest`",
                field="index_dir",
            )
        vectors = np.stack([found[c.chunk_id] for c in chunks]).astype(np.float32)
    else:
        embedder = None
    return Retriever(config, version, chunks, bm25, vectors, embedder)
