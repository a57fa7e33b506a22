"""The judge's own copy of the guideline passages, by document id.

Claims in a reply are checked against the passages of the documents it cites. The judge chunks
the corpus itself (the same chunker and sizes as ingestion) so that it works in process and
against a live service alike; the run records the service's knowledge-base version.
"""

from __future__ import annotations

from functools import lru_cache

from knowledge.chunking import chunk_documents
from knowledge.config import KnowledgeConfig
from knowledge.documents import load_documents


@lru_cache(maxsize=1)
def passages_by_doc() -> dict[str, tuple[str, ...]]:
    config = KnowledgeConfig()
    chunks = chunk_documents(
        load_documents(config.corpus_dir), config.chunk_target_chars, config.chunk_max_chars
    )
    grouped: dict[str, list[str]] = {}
    for chunk in chunks:
        grouped.setdefault(chunk.doc_id, []).append(chunk.text)
    return {doc_id: tuple(texts) for doc_id, texts in grouped.items()}


def passages_for(doc_ids: list[str]) -> list[str]:
    table = passages_by_doc()
    return [text for doc_id in dict.fromkeys(doc_ids) for text in table.get(doc_id, ())]


def known_doc_ids() -> set[str]:
    return set(passages_by_doc())
