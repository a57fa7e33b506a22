"""Chroma behind a narrow door: the only module that imports ``chromadb``.

One collection per knowledge-base version holds each chunk's vector, text and flat metadata.
Embedded ``PersistentClient`` under ``<index_dir>/chroma`` by default, ``HttpClient`` when a
server URL is configured. Telemetry is off: nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any
from urllib.parse import urlparse

import httpx
import numpy as np
import numpy.typing as npt

from core.errors import ConfigurationError, DependencyUnavailable
from knowledge.chunking import Chunk
from knowledge.config import KnowledgeConfig

logger = logging.getLogger(__name__)
_BATCH = 1000


def _flat_metadata(chunk: Chunk) -> dict[str, str | int]:
    return {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "source": chunk.source,
        "year": chunk.year,
        "section": chunk.section,
        "language": chunk.language,
        "audience": chunk.audience,
        "jurisdiction": chunk.jurisdiction,
        "topics": "|".join(chunk.topics),
        "heading": chunk.heading,
        "position": chunk.position,
    }


class VectorStore:
    """Versioned collections of chunk vectors."""

    def __init__(self, config: KnowledgeConfig) -> None:
        self._config = config

    @cached_property
    def _client(self) -> Any:
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        url = self._config.chroma_url
        if url is None:
            path = self._config.index_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=settings)
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigurationError(
                f"chroma_url {url!r} is not an http(s) URL",
                message_zh=f"Chroma 地址 {url!r} 不是有效的 http(s) 地址",
                field="chroma_url",
            )
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        except Exception as exc:  # chromadb raises ValueError / httpx errors
            raise DependencyUnavailable(
                f"cannot reach the Chroma server at {url}: {exc}",
                message_zh=f"无法连接 Chroma 向量库服务（{url}）",
                field="chroma_url",
            ) from exc

    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[Any]:
        """Yield the client; a lost connection becomes DependencyUnavailable."""
        client = self._client
        try:
            yield client
        except (ConnectionError, OSError, httpx.TransportError) as exc:
            raise DependencyUnavailable(
                f"Chroma failed while trying to {action}: {exc}",
                message_zh="向量库 Chroma 暂时不可用",
                field="chroma_url",
            ) from exc

    def collection_names(self) -> list[str]:
        with self._guard("list collections") as client:
            names = [getattr(col, "name", col) for col in client.list_collections()]
        return sorted(str(n) for n in names if str(n).startswith(self._config.collection_prefix))

    def add(
        self,
        collection: str,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]] | Sequence[npt.NDArray[np.float32]],
    ) -> None:
        """Create ``collection`` if needed and add chunks with their vectors, in batches."""
        with self._guard("add vectors") as client:
            col = client.get_or_create_collection(
                collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
            for start in range(0, len(chunks), _BATCH):
                part = chunks[start : start + _BATCH]
                col.add(
                    ids=[chunk.chunk_id for chunk in part],
                    embeddings=np.asarray(vectors[start : start + _BATCH], dtype=np.float32),
                    documents=[chunk.text for chunk in part],
                    metadatas=[_flat_metadata(chunk) for chunk in part],
                )

    def vectors(self, collection: str, ids: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Stored vectors by chunk id (ids absent from the collection are left out)."""
        found: dict[str, npt.NDArray[np.float32]] = {}
        with self._guard("read vectors") as client:
            col = client.get_collection(collection, embedding_function=None)
            for start in range(0, len(ids), _BATCH):
                got = col.get(ids=list(ids[start : start + _BATCH]), include=["embeddings"])
                for chunk_id, vector in zip(got["ids"], got["embeddings"], strict=True):
                    found[chunk_id] = np.asarray(vector, dtype=np.float32)
        return found

    def query(
        self, collection: str, vector: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Approximate nearest neighbours through Chroma's own HNSW index: (chunk id, cosine).
        The retriever searches in memory instead; this is here for comparison benchmarks."""
        with self._guard("query vectors") as client:
            col = client.get_collection(collection, embedding_function=None)
            got = col.query(
                query_embeddings=[list(vector)], n_results=k, where=where, include=["distances"]
            )
        pairs = zip(got["ids"][0], got["distances"][0], strict=True)
        return [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in pairs]

    def delete(self, collection: str) -> None:
        from chromadb.errors import NotFoundError

        with self._guard("delete a collection") as client:
            try:
                client.delete_collection(collection)
            except NotFoundError as exc:  # already gone: nothing to clean up
                logger.info("collection %s was already absent: %s", collection, exc)
