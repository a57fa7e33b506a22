"""Match a patient's question to an answer card: the bundled embedding model and BM25 together.

Each card's question variants are embedded once (vectors ship in ``cards/vectors``; a test fails
when they are stale). A question's score for a card is its best cosine similarity to one of the
card's variants plus a small weight on BM25 coverage of that variant's words. The card is taken
when the score reaches the calibrated threshold and beats the next card by the margin
(``card_calibration.yaml``, set by ``bench/calibrate_cards.py`` on leave-one-out variants and
out-of-bank questions, never on an evaluation set).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import ConfigurationError
from core.text import normalise
from knowledge.analyzer import tokenize
from knowledge.answer_cards import AnswerCard, CardBank, load_cards
from knowledge.bm25 import BM25Index
from knowledge.embedding_cache import load_cached, write_cache

log = logging.getLogger(__name__)

VECTOR_DIR = Path(__file__).with_name("cards") / "vectors"
CALIBRATION_PATH = Path(__file__).with_name("card_calibration.yaml")


class CardCalibration(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    threshold: float
    margin: float
    lexical_weight: float
    measured: dict[str, float] = {}
    """What the calibration run measured (leave-one-out precision/recall, false matches)."""


@lru_cache(maxsize=2)
def load_card_calibration(path: Path = CALIBRATION_PATH) -> CardCalibration:
    try:
        return CardCalibration.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load card calibration {path}: {exc}") from exc


class CardMatch(BaseModel):
    model_config = ConfigDict(frozen=True)
    card_id: str
    score: float
    runner_up: float
    variant: str
    accepted: bool


class QueryVectors(Protocol):
    @property
    def embedder_name(self) -> str | None: ...

    def query_vector(self, text: str) -> npt.NDArray[np.float32]: ...


class CardIndex:
    """The bank's variants as a matrix and a BM25 index; ``scores`` ranks cards for a query."""

    def __init__(
        self,
        embed: Callable[[str], npt.NDArray[np.float32]],
        embedder_name: str,
        bank: CardBank | None = None,
        calibration: CardCalibration | None = None,
        *,
        vector_dir: Path | None = VECTOR_DIR,
    ) -> None:
        self.bank = bank or load_cards()
        self.calibration = calibration or load_card_calibration()
        self.embedder_name = embedder_name
        self.cards = self.bank.cards
        self.texts: list[str] = []
        self.rows: list[int] = []
        seen: set[str] = set()
        for index, card in enumerate(self.cards):
            for variant in card.variants():
                text = normalise(variant)
                if text and text not in seen:
                    seen.add(text)
                    self.texts.append(text)
                    self.rows.append(index)
        cached = load_cached(embedder_name, self.texts, vector_dir)
        missing = [i for i in range(len(self.texts)) if i not in cached]
        if missing:
            log.warning("embedding %d card variants not in the shipped cache", len(missing))
            cached.update({i: embed(self.texts[i]) for i in missing})
        self.missing_from_cache = len(missing)
        self.matrix = np.stack(
            [np.asarray(cached[i], dtype=np.float32) for i in range(len(self.texts))]
        )
        self.row_cards = np.array(self.rows)
        self.bm25 = BM25Index.build([tokenize(t) for t in self.texts])

    def save_vectors(self, vector_dir: Path = VECTOR_DIR) -> Path:
        return write_cache(
            self.embedder_name, dict(zip(self.texts, self.matrix, strict=True)), vector_dir
        )

    def variant_scores(
        self, text: str, vector: npt.NDArray[np.float32], exclude: int | None = None
    ) -> npt.NDArray[np.float32]:
        """Score of every variant row for the query (``exclude``: a row left out, for
        leave-one-out calibration)."""
        dense = np.einsum("ij,j->i", self.matrix, vector)
        tokens = tokenize(normalise(text))
        weight = self.bm25.query_weight(tokens)
        lexical = self.bm25.scores(tokens) / weight if weight else np.zeros_like(dense)
        scores = dense + self.calibration.lexical_weight * np.minimum(lexical, 1.0)
        if exclude is not None:
            scores[exclude] = -1.0
        return np.asarray(scores, dtype=np.float32)

    def match(
        self, text: str, vector: npt.NDArray[np.float32], exclude: int | None = None
    ) -> CardMatch | None:
        if not self.texts:
            return None
        scores = self.variant_scores(text, vector, exclude)
        best_row = int(np.argmax(scores))
        best_card = self.rows[best_row]
        others = scores[self.row_cards != best_card]
        runner_up = float(others.max()) if len(others) else -1.0
        best = float(scores[best_row])
        calibration = self.calibration
        accepted = best >= calibration.threshold and best - runner_up >= calibration.margin
        return CardMatch(
            card_id=self.cards[best_card].id,
            score=round(best, 4),
            runner_up=round(runner_up, 4),
            variant=self.texts[best_row],
            accepted=accepted,
        )

    def card(self, card_id: str) -> AnswerCard:
        return self.bank.by_id()[card_id]


class CardLayer:
    """The card matcher as a service: built on first use from the retriever (its query
    embedding is the one retrieval computes), disabled without a dense backend."""

    def __init__(self, source: Callable[[], QueryVectors]) -> None:
        self._source = source
        self._index: CardIndex | None = None
        self._disabled = False
        self._lock = threading.Lock()

    def index(self) -> CardIndex | None:
        with self._lock:
            if self._index is None and not self._disabled:
                source = self._source()
                name = source.embedder_name
                if name is None:
                    log.warning("no dense embedder: answer cards are not matched")
                    self._disabled = True
                else:
                    self._index = CardIndex(source.query_vector, name)
            return self._index

    def match(self, text: str) -> tuple[CardMatch, AnswerCard] | None:
        index = self.index()
        if index is None:
            return None
        found = index.match(text, self._source().query_vector(text))
        if found is None or not found.accepted:
            return None
        return found, index.card(found.card_id)
