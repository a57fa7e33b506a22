"""Pure ranking pieces: fusion, top-n, validation, metrics — hand-computed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.errors import ValidationFailed
from knowledge.config import AbstainThreshold, KnowledgeConfig
from knowledge.ranking import (
    RetrievalSignals,
    cap_per_group,
    is_unanswerable,
    rrf,
    top_indices,
    validate_query,
)
from knowledge.retrieval_metrics import (
    ndcg_at,
    percentile,
    recall_at,
    reciprocal_rank,
)


def test_rrf_by_hand() -> None:
    fused = rrf([[1, 2, 3], [3, 1]], k=60)
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[2] == pytest.approx(1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)
    assert sorted(fused, key=lambda i: -fused[i]) == [1, 3, 2]


def test_top_indices_respects_mask_and_order() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.7, 0.3], dtype=np.float32)
    mask = np.array([True, False, True, True, True])
    assert top_indices(scores, mask, 2) == [3, 2]
    assert top_indices(scores, mask, 10) == [3, 2, 4, 0]
    assert top_indices(scores, np.zeros(5, dtype=bool), 3) == []


def test_empty_query_is_refused_in_both_languages() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_query("  \n ")
    assert caught.value.instance_code == "empty_query"
    assert caught.value.field == "query"
    assert caught.value.message == "the search query is empty"
    assert caught.value.localized("zh") == "检索内容不能为空"


def test_overlong_query_is_refused_with_its_length() -> None:
    validate_query("字" * 2000)  # exactly at the limit is fine
    with pytest.raises(ValidationFailed) as caught:
        validate_query("字" * 2001)
    assert caught.value.instance_code == "query_too_long"
    assert "2001" in caught.value.message and "2000" in caught.value.message
    assert caught.value.message_zh and "2000" in caught.value.message_zh


@pytest.mark.parametrize(
    ("dense", "lexical", "expected"),
    [(0.9, 0.0, False), (0.5, 0.9, False), (0.5, 0.1, True), (None, 0.1, True)],
)
def test_abstain_rule_needs_both_signals_weak(
    dense: float | None, lexical: float, expected: bool
) -> None:
    signals = RetrievalSignals(best_dense=dense, lexical_coverage=lexical, candidates=10)
    threshold = AbstainThreshold(min_dense=0.8, min_lexical=0.3)
    assert is_unanswerable(signals, threshold) is expected


def test_metrics_by_hand() -> None:
    ranked = ["x", "a", "a", "y", "b"]
    relevant = {"a", "b", "c"}
    assert recall_at(ranked, relevant, 1) == 0.0
    assert recall_at(ranked, relevant, 5) == pytest.approx(2 / 3)
    assert reciprocal_rank(ranked, relevant) == 0.5
    # hits at ranks 2 and 5 (the second 'a' earns nothing); ideal: 3 hits at ranks 1-3
    dcg = 1 / math.log2(3) + 1 / math.log2(6)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert ndcg_at(ranked, relevant, 10) == pytest.approx(dcg / ideal)
    assert reciprocal_rank(["x"], relevant) == 0.0


def test_percentile_interpolates_like_numpy() -> None:
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(float(np.percentile(values, 95)))
    assert percentile([], 95) == 0.0


def test_cap_per_group_by_hand() -> None:
    ordered = [(0, 0.9), (1, 0.8), (2, 0.7), (3, 0.6)]
    groups = [7, 7, 8, 7]  # items 0, 1, 3 are one document
    assert cap_per_group(ordered, groups, cap=1, k=2) == [(0, 0.9), (2, 0.7)]
    # fewer documents than k: the passed-over items follow, in order
    assert cap_per_group(ordered, groups, cap=1, k=3) == [(0, 0.9), (2, 0.7), (1, 0.8)]
    assert cap_per_group(ordered, groups, cap=2, k=3) == [(0, 0.9), (1, 0.8), (2, 0.7)]
    assert cap_per_group(ordered, groups, cap=None, k=2) == [(0, 0.9), (1, 0.8)]


def test_abstain_threshold_by_language() -> None:
    config = KnowledgeConfig()
    assert config.abstain_threshold("en").min_dense < config.abstain_threshold("zh").min_dense
    no_english = KnowledgeConfig(abstain={"zh": AbstainThreshold(min_dense=0.9, min_lexical=0.5)})
    assert no_english.abstain_threshold("en").min_dense == 0.9  # falls back to zh
    assert KnowledgeConfig(abstain={}).abstain_threshold("zh").min_dense == -1  # never abstains
