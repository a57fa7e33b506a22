"""BM25 and tokenisation against hand-computed values."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from knowledge.analyzer import tokenize
from knowledge.bm25 import BM25Index

# d0 = [a, b], d1 = [a, c, c], d2 = [d]; N = 3, average length 2, k1 = 1.2, b = 0.75.
# idf(a) = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln 1.6      = 0.4700036
# idf(c) = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)) = ln(8/3)     = 0.9808293
# d0: norm = 1.2·(0.25 + 0.75·2/2) = 1.2;   w(a) = 1·2.2 / (1 + 1.2) = 1
# d1: norm = 1.2·(0.25 + 0.75·3/2) = 1.65;  w(a) = 2.2 / 2.65 = 0.8301887
#                                           w(c) = 2·2.2 / (2 + 1.65) = 1.2054795
# score(a c | d0) = 0.4700036
# score(a c | d1) = 0.4700036·0.8301887 + 0.9808293·1.2054795 = 0.3901921 + 1.1823696 = 1.5725617
CORPUS = [["a", "b"], ["a", "c", "c"], ["d"]]


def test_scores_by_hand() -> None:
    index = BM25Index.build(CORPUS, k1=1.2, b=0.75)
    scores = index.scores(["a", "c"])
    assert scores.tolist() == pytest.approx([0.4700036, 1.5725617, 0.0], abs=1e-6)


def test_repeated_and_unknown_query_terms() -> None:
    index = BM25Index.build(CORPUS)
    assert index.scores(["c", "c", "zzz"]).tolist() == pytest.approx(
        [0.0, 0.9808293 * 1.2054795, 0.0], abs=1e-6
    )


def test_query_weight_counts_unknown_terms_as_unseen() -> None:
    index = BM25Index.build(CORPUS)
    # idf(a) + idf(df = 0) = ln 1.6 + ln(1 + 3.5 / 0.5) = 0.4700036 + ln 8
    assert index.query_weight(["a", "zzz", "a"]) == pytest.approx(0.4700036 + math.log(8), 1e-6)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    index = BM25Index.build(CORPUS)
    index.save(tmp_path / "bm25.npz")
    loaded = BM25Index.load(tmp_path / "bm25.npz")
    assert loaded.scores(["a", "c"]).tolist() == index.scores(["a", "c"]).tolist()
    assert loaded.doc_count == 3 and loaded.k1 == 1.2 and loaded.b == 0.75


def test_tokenize_normalises_script_width_and_cantonese() -> None:
    simplified = tokenize("高血压患者怎样测量血压")
    assert tokenize("高血壓患者怎樣測量血壓") == simplified
    assert "高血压" in simplified and "血压" in simplified  # search mode keeps sub-words
    assert "怎样" not in simplified  # a stop word
    assert tokenize("ＢＬＯＯＤ Pressure １４０") == ["blood", "pressure", "140"]
    assert tokenize("點樣量血壓") == tokenize("怎样量血压")


def test_tokenize_keeps_decimals_and_drops_english_stop_words() -> None:
    assert tokenize("What is an HbA1c of 6.5?") == ["hba1c", "6.5"]
