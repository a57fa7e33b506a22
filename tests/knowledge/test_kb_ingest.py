"""Ingestion: incremental, versioned, atomic (real embedded Chroma in temporary directories)."""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from core.errors import KnowledgeBaseError
from knowledge.chunking import chunk_documents
from knowledge.config import KnowledgeConfig
from knowledge.documents import load_documents
from knowledge.ingest import IngestReport, ingest
from knowledge.manifest import read_manifest, write_manifest
from knowledge.retriever import load_retriever
from knowledge.store import VectorStore
from tests.knowledge.factories import FIXTURE_CORPUS


class HashEmbedder:
    """Deterministic 8-d vectors from a text hash; counts what it is asked to embed."""

    name = "test-hash-8"
    dim = 8

    def __init__(self, fail_after: int | None = None) -> None:
        self.embedded = 0
        self.fail_after = fail_after

    def _vector(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest()
        return [b / 255 + 0.01 for b in digest[:8]]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if self.fail_after is not None and self.embedded >= self.fail_after:
            raise RuntimeError("embedding backend crashed")
        self.embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def test_session_ingest_report(fixture_kb: tuple[KnowledgeConfig, IngestReport]) -> None:
    config, report = fixture_kb
    sizes = (config.chunk_target_chars, config.chunk_max_chars)
    expected = chunk_documents(load_documents(FIXTURE_CORPUS), *sizes)
    assert (report.docs, report.chunks) == (6, len(expected))
    assert (report.embedded, report.skipped_unchanged, report.rebuilt) == (len(expected), 0, True)
    assert len(report.kb_version) == 16


def test_second_ingest_embeds_nothing(fixture_kb: tuple[KnowledgeConfig, IngestReport]) -> None:
    config, first = fixture_kb
    again = ingest(config)
    assert (again.embedded, again.skipped_unchanged) == (0, first.chunks)
    assert not again.rebuilt
    assert (again.kb_version, again.version_name) == (first.kb_version, first.version_name)


@pytest.fixture
def hash_config(corpus_copy: Path, tmp_path: Path) -> KnowledgeConfig:
    return KnowledgeConfig(corpus_dir=corpus_copy, index_dir=tmp_path / "index")


def test_changed_document_re_embeds_only_its_changed_chunks(
    hash_config: KnowledgeConfig, corpus_copy: Path
) -> None:
    first = ingest(hash_config, embedder=HashEmbedder())
    doc = corpus_copy / "zh" / "fx-home-bp-zh.md"
    doc.write_text(
        doc.read_text(encoding="utf-8").replace("不要说话", "保持安静，不要说话"), encoding="utf-8"
    )
    embedder = HashEmbedder()
    second = ingest(hash_config, embedder=embedder)
    assert (second.embedded, embedder.embedded) == (1, 1)  # only the "测量步骤" chunk changed
    assert second.skipped_unchanged == first.chunks - 1
    assert second.kb_version != first.kb_version and second.rebuilt


def test_forced_rebuild_reuses_vectors_and_keeps_one_previous_version(
    hash_config: KnowledgeConfig,
) -> None:
    names = [ingest(hash_config, embedder=HashEmbedder(), force=True).version_name]
    for _ in range(2):
        embedder = HashEmbedder()
        report = ingest(hash_config, embedder=embedder, force=True)
        assert (report.embedded, embedder.embedded) == (0, 0)
        names.append(report.version_name)
    assert report.removed_versions == [names[0]]
    kept = sorted(p.name for p in (hash_config.index_dir / "versions").iterdir())
    assert kept == sorted(names[1:])
    store = VectorStore(hash_config)
    assert store.collection_names() == sorted(f"kb_{name}" for name in names[1:])
    manifest = read_manifest(hash_config.index_dir)
    assert manifest is not None and manifest.previous is not None
    assert (manifest.current.name, manifest.previous.name) == (names[2], names[1])


def test_failed_ingest_leaves_previous_version_serving(
    hash_config: KnowledgeConfig, corpus_copy: Path
) -> None:
    good = ingest(hash_config, embedder=HashEmbedder())
    (corpus_copy / "zh" / "fx-htn-salt-zh.md").unlink()  # a new version, with new chunk ids
    doc = corpus_copy / "en" / "fx-smoking-en.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n## Extra\n\nA new sentence.\n")
    with pytest.raises(KnowledgeBaseError) as caught:
        ingest(hash_config, embedder=HashEmbedder(fail_after=0), force=True)
    assert "previous version stays current" in caught.value.message
    manifest = read_manifest(hash_config.index_dir)
    assert manifest is not None and manifest.current.name == good.version_name
    assert [p.name for p in (hash_config.index_dir / "versions").iterdir()] == [good.version_name]
    assert VectorStore(hash_config).collection_names() == [f"kb_{good.version_name}"]
    retriever = load_retriever(hash_config, embedder=HashEmbedder())
    result = retriever.search("高血压患者怎样减少吃盐", mode="bm25")  # hash vectors mean nothing
    assert result.passages[0].doc_id == "fx-htn-salt-zh"


def test_malformed_document_fails_before_anything_is_built(
    hash_config: KnowledgeConfig, corpus_copy: Path
) -> None:
    good = ingest(hash_config, embedder=HashEmbedder())
    (corpus_copy / "zh" / "broken.md").write_text("no front matter\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        ingest(hash_config, embedder=HashEmbedder())
    assert "broken.md" in caught.value.message and caught.value.field == "front_matter"
    manifest = read_manifest(hash_config.index_dir)
    assert manifest is not None and manifest.current.name == good.version_name


def test_concurrent_ingest_is_refused(hash_config: KnowledgeConfig) -> None:
    hash_config.index_dir.mkdir(parents=True)
    with (hash_config.index_dir / ".ingest.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(KnowledgeBaseError) as caught:
            ingest(hash_config, embedder=HashEmbedder())
    assert caught.value.instance_code == "ingest_in_progress"


def test_changed_tokenisation_rebuilds_bm25_without_re_embedding(
    hash_config: KnowledgeConfig,
) -> None:
    first = ingest(hash_config, embedder=HashEmbedder())
    manifest = read_manifest(hash_config.index_dir)
    assert manifest is not None
    stale = manifest.model_copy(
        update={"current": manifest.current.model_copy(update={"analyzer": "older-rules"})}
    )
    write_manifest(hash_config.index_dir, stale)
    retriever = load_retriever(hash_config, embedder=HashEmbedder())  # re-indexes in memory
    result = retriever.search("高血压患者怎样减少吃盐", mode="bm25")
    assert result.passages[0].doc_id == "fx-htn-salt-zh"
    embedder = HashEmbedder()
    again = ingest(hash_config, embedder=embedder)
    assert again.rebuilt and embedder.embedded == 0
    assert again.skipped_unchanged == first.chunks
