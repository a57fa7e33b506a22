"""The manifest: which knowledge-base version is current, and where its parts live.

``<index_dir>/manifest.json`` is replaced atomically (write a temporary file, ``os.replace``),
so a reader sees either the old version or the new one, never a half-written mix.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import KnowledgeBaseError

MANIFEST_NAME = "manifest.json"
VERSIONS_DIR = "versions"
CHUNKS_FILE = "chunks.jsonl"
BM25_FILE = "bm25.npz"


class KnowledgeVersion(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    """Directory under ``versions/`` and suffix of the Chroma collection."""
    kb_version: str
    """Hash of all chunk ids: equal versions hold exactly the same passages."""
    collection: str | None
    """Chroma collection with the vectors; ``None`` for a lexical-only index."""
    embedder: str | None
    dim: int
    doc_count: int
    chunk_count: int
    chunk_target_chars: int
    chunk_max_chars: int
    bm25_k1: float
    bm25_b: float
    analyzer: str = ""
    """``analyzer_version()`` of the tokenisation the BM25 index was built with."""
    created_at: dt.datetime


class Manifest(BaseModel):
    version: int = 1
    current: KnowledgeVersion
    previous: KnowledgeVersion | None = None
    """Kept one ingest longer so that readers still holding it keep working."""


def version_dir(index_dir: Path, name: str) -> Path:
    return index_dir / VERSIONS_DIR / name


def read_manifest(index_dir: Path) -> Manifest | None:
    path = index_dir / MANIFEST_NAME
    if not path.exists():
        return None
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise KnowledgeBaseError(
            f"knowledge-base manifest {path} is unreadable: {exc}; run `hm kb ingest` again",
            message_zh="知识库索引清单已损坏，请重新运行 `hm kb ingest`",
            field="index_dir",
        ) from exc


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    target = index_dir / MANIFEST_NAME
    temporary = target.with_suffix(".json.tmp")
    temporary.write_text(
        json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    os.replace(temporary, target)
