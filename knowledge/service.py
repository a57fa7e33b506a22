"""The knowledge base as the rest of the service sees it: settings in, a retriever out."""

from __future__ import annotations

import logging
import threading

from core.settings import Settings
from knowledge.config import KnowledgeConfig
from knowledge.ingest import IngestReport, ingest
from knowledge.manifest import read_manifest
from knowledge.retriever import Retriever, load_retriever

log = logging.getLogger(__name__)


def config_from_settings(settings: Settings) -> KnowledgeConfig:
    return KnowledgeConfig(
        index_dir=settings.resolved_kb_index_dir,
        chroma_url=settings.chroma_url,
        embedding_backend=settings.embedding_backend,
        embedding_model=settings.embedding_model,
        mode=settings.retrieval_mode if settings.embedding_backend != "none" else "bm25",
    )


class KnowledgeService:
    """Loads the current knowledge-base version once, lazily, and hands out its retriever."""

    def __init__(self, config: KnowledgeConfig) -> None:
        self.config = config
        self._retriever: Retriever | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> KnowledgeService:
        return cls(config_from_settings(settings))

    def is_ready(self) -> bool:
        return read_manifest(self.config.index_dir) is not None

    def ensure_index(self) -> IngestReport | None:
        """Build the index when none exists yet (first run); None when one was already there."""
        if self.is_ready():
            return None
        log.info("no knowledge-base index at %s; ingesting the corpus", self.config.index_dir)
        return ingest(self.config)

    def reingest(self) -> IngestReport:
        report = ingest(self.config)
        with self._lock:
            self._retriever = None
        return report

    def retriever(self) -> Retriever:
        with self._lock:
            if self._retriever is None:
                self._retriever = load_retriever(self.config)
            return self._retriever
