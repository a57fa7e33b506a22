"""Build a knowledge-base version from the corpus, incrementally and atomically.

Each ingest builds a new version (a Chroma collection plus ``versions/<name>/`` with the chunk
file and the BM25 index) next to the current one and switches the manifest only when everything
is written. A failure removes the half-built version and leaves the previous one serving.
Chunk ids are content hashes, so vectors of unchanged chunks are copied from the current version
instead of being embedded again. The version before the new one is kept for readers still holding
it; older ones are removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import logging
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from core.errors import KnowledgeBaseError, ServiceError
from knowledge.analyzer import analyzer_version, tokenize
from knowledge.bm25 import BM25Index
from knowledge.chunking import Chunk, chunk_documents
from knowledge.config import KnowledgeConfig
from knowledge.documents import load_documents
from knowledge.embedding_cache import load_cached
from knowledge.embeddings import Embedder, make_embedder
from knowledge.manifest import (
    BM25_FILE,
    CHUNKS_FILE,
    VERSIONS_DIR,
    KnowledgeVersion,
    Manifest,
    read_manifest,
    version_dir,
    write_manifest,
)
from knowledge.store import VectorStore

logger = logging.getLogger(__name__)


class IngestReport(BaseModel):
    docs: int
    chunks: int
    embedded: int
    """Chunks whose vectors were computed in this run."""
    skipped_unchanged: int
    """Chunks whose vectors were reused from the previous version."""
    kb_version: str
    version_name: str
    rebuilt: bool
    """False when the corpus and settings matched the current version and nothing was written."""
    removed_versions: list[str]
    seconds: float


def kb_version_of(chunks: Sequence[Chunk]) -> str:
    return hashlib.sha256("\n".join(sorted(c.chunk_id for c in chunks)).encode()).hexdigest()[:16]


@contextlib.contextmanager
def _ingest_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".ingest.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KnowledgeBaseError(
                "another ingest of this knowledge base is running",
                message_zh="另一个知识库导入任务正在运行",
                code="ingest_in_progress",
            ) from None
        yield


def _matches(current: KnowledgeVersion, candidate: KnowledgeVersion) -> bool:
    keys = ("kb_version", "embedder", "bm25_k1", "bm25_b", "analyzer")
    return all(getattr(current, key) == getattr(candidate, key) for key in keys)


def ingest(
    config: KnowledgeConfig, *, embedder: Embedder | None = None, force: bool = False
) -> IngestReport:
    """Ingest ``config.corpus_dir`` into ``config.index_dir``; ``embedder`` overrides the
    configured backend (tests, benchmarks)."""
    started = time.perf_counter()
    with _ingest_lock(config.index_dir):
        documents = load_documents(config.corpus_dir)
        chunks = chunk_documents(documents, config.chunk_target_chars, config.chunk_max_chars)
        if embedder is None and config.uses_dense:
            embedder = make_embedder(config)
        kb_version = kb_version_of(chunks)
        stamp = dt.datetime.now(dt.UTC)
        name = f"{stamp:%Y%m%dT%H%M%S%f}-{kb_version[:8]}"
        candidate = KnowledgeVersion(
            name=name,
            kb_version=kb_version,
            collection=f"{config.collection_prefix}{name}" if embedder else None,
            embedder=embedder.name if embedder else None,
            dim=embedder.dim if embedder else 0,
            doc_count=len(documents),
            chunk_count=len(chunks),
            chunk_target_chars=config.chunk_target_chars,
            chunk_max_chars=config.chunk_max_chars,
            bm25_k1=config.bm25_k1,
            bm25_b=config.bm25_b,
            analyzer=analyzer_version(),
            created_at=stamp,
        )
        manifest = read_manifest(config.index_dir)
        if manifest and not force and _matches(manifest.current, candidate):
            return IngestReport(
                docs=len(documents), chunks=len(chunks), embedded=0,
                skipped_unchanged=len(chunks), kb_version=kb_version,
                version_name=manifest.current.name, rebuilt=False, removed_versions=[],
                seconds=round(time.perf_counter() - started, 3),
            )  # fmt: skip
        store = VectorStore(config)
        previous = manifest.current if manifest else None
        try:
            embedded, reused = _build(config, store, candidate, chunks, embedder, previous)
            write_manifest(config.index_dir, Manifest(current=candidate, previous=previous))
        except BaseException as exc:
            _remove_version(config, store, candidate.name, candidate.collection)
            if isinstance(exc, ServiceError | KeyboardInterrupt):
                raise
            raise KnowledgeBaseError(
                f"ingest failed, the previous version stays current: {exc}",
                message_zh="知识库导入失败，仍使用之前的版本",
            ) from exc
        removed = _remove_stale(
            config, store, keep={candidate.name} | ({previous.name} if previous else set())
        )
        return IngestReport(
            docs=len(documents), chunks=len(chunks), embedded=embedded,
            skipped_unchanged=reused, kb_version=kb_version, version_name=candidate.name,
            rebuilt=True, removed_versions=removed,
            seconds=round(time.perf_counter() - started, 3),
        )  # fmt: skip


def _build(
    config: KnowledgeConfig,
    store: VectorStore,
    version: KnowledgeVersion,
    chunks: Sequence[Chunk],
    embedder: Embedder | None,
    previous: KnowledgeVersion | None,
) -> tuple[int, int]:
    """Write the version's files and collection; return (embedded, reused) counts."""
    target = version_dir(config.index_dir, version.name)
    target.mkdir(parents=True)
    with (target / CHUNKS_FILE).open("w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(chunk.model_dump_json() + "\n")
    BM25Index.build(
        [tokenize(c.indexed_text) for c in chunks], k1=config.bm25_k1, b=config.bm25_b
    ).save(target / BM25_FILE)
    if embedder is None or version.collection is None:
        return 0, 0
    known: dict[str, np.ndarray] = {}
    if previous and previous.collection and previous.embedder == embedder.name:
        known = store.vectors(previous.collection, [c.chunk_id for c in chunks])
    missing = [c for c in chunks if c.chunk_id not in known]
    shipped = load_cached(
        embedder.name, [c.indexed_text for c in missing], config.embedding_cache_dir
    )
    known.update((missing[position].chunk_id, vector) for position, vector in shipped.items())
    reused_from_cache = len(shipped)
    missing = [c for c in missing if c.chunk_id not in known]
    if reused_from_cache:
        logger.info("%d chunk vectors from the shipped embedding cache", reused_from_cache)
    for start in range(0, len(missing), config.embed_batch_size):
        batch = missing[start : start + config.embed_batch_size]
        vectors = embedder.embed_documents([c.indexed_text for c in batch])
        known.update(
            (c.chunk_id, np.asarray(v, dtype=np.float32))
            for c, v in zip(batch, vectors, strict=True)
        )
        logger.info("embedded %d/%d new chunks", start + len(batch), len(missing))
    store.add(version.collection, chunks, [known[c.chunk_id] for c in chunks])
    return len(missing), len(chunks) - len(missing)


def _remove_version(
    config: KnowledgeConfig, store: VectorStore, name: str, collection: str | None
) -> None:
    shutil.rmtree(version_dir(config.index_dir, name), ignore_errors=True)
    if collection:
        with contextlib.suppress(ServiceError):
            store.delete(collection)


def _remove_stale(config: KnowledgeConfig, store: VectorStore, keep: set[str]) -> list[str]:
    """Remove versions (directories and collections) other than ``keep``; return their names."""
    removed: set[str] = set()
    versions = config.index_dir / VERSIONS_DIR
    for path in sorted(versions.iterdir()) if versions.is_dir() else []:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            removed.add(path.name)
    prefix = config.collection_prefix
    for collection in store.collection_names() if config.uses_dense else []:
        name = collection.removeprefix(prefix)
        if name not in keep:
            store.delete(collection)
            removed.add(name)
    return sorted(removed)
