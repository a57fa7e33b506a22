"""The semantic red-flag layer: a message compared with the exemplar bank by embedding.

Rules catch the phrasings someone thought of; this layer catches the ones nobody wrote down
("攒了好多药，今晚就结束", a Cantonese "心口好翳，出晒冷汗"). A message is embedded once (the same
query vector retrieval uses, so a turn pays for one embedding) and scored against every
exemplar: a category's score is its nearest exemplar's cosine similarity, the look-alike score
is the nearest negative's. A category fires when its score reaches the calibrated threshold
*and* beats the nearest look-alike by the calibrated margin. Thresholds come from
``data/semantic_calibration.yaml``, written by ``bench/calibrate_redflags.py`` on development
data (never the held-out set).

Exemplar vectors are computed by the configured embedder and shipped in
``data/exemplar_vectors/`` keyed by model and exact text (``knowledge.embedding_cache``), so a
start embeds nothing; ``hm triage cache-exemplars`` refreshes them after the bank changes.
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
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigurationError
from core.text import normalise
from knowledge.embedding_cache import load_cached, write_cache
from tools.triage.exemplars import DATA_DIR, NEGATIVE, ExemplarBank, load_bank
from tools.triage.learned import HeadScores, LearnedHeads, load_heads
from tools.triage.models import LEVEL_RANK, Level

log = logging.getLogger(__name__)

VECTOR_DIR = DATA_DIR / "exemplar_vectors"
CALIBRATION_PATH = DATA_DIR / "semantic_calibration.yaml"

CRISIS_CATEGORIES = frozenset({"crisis_suicide", "self_harm"})
"""Exemplar categories the crisis head points to (the crisis protocol's intent codes)."""

QueryEmbedder = Callable[[str], npt.NDArray[np.float32]]
"""Text (already normalised) to an L2-normalised vector."""


class Calibration(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    embedder: str
    threshold: float = Field(description="a category's nearest-exemplar similarity must reach it")
    margin: float = Field(description="... and beat the nearest look-alike by this much")
    k: int = Field(1, ge=1, description="a label's score is the mean of its k nearest exemplars")
    groups: dict[str, list[str]] = Field(
        default_factory=dict, description="categories calibrated together (crisis, medical...)"
    )
    thresholds: dict[str, float] = Field(
        default_factory=dict, description="per-group thresholds overriding the global one"
    )
    margins: dict[str, float] = Field(
        default_factory=dict, description="per-group margins overriding the global one"
    )

    def rule_for(self, category: str) -> tuple[float, float]:
        """(threshold, margin) for ``category``: its group's, else the global pair."""
        group = next((g for g, names in self.groups.items() if category in names), None)
        if group is None:
            return self.threshold, self.margin
        return self.thresholds.get(group, self.threshold), self.margins.get(group, self.margin)

    calibrated_on: list[str] = Field(default_factory=list)
    metrics: dict[str, float] = Field(default_factory=dict)


class SemanticVote(BaseModel):
    """What the semantic layer says about one message."""

    category: str | None = Field(description="the category that fired, None when none did")
    level: Level | None = None
    score: float = Field(description="similarity of the best category's nearest exemplar")
    best_category: str
    exemplar: str = Field(description="the nearest exemplar of the best category")
    negative_score: float = Field(description="similarity of the nearest look-alike")
    negative_exemplar: str = ""
    department: str = "emergency"
    learned: HeadScores | None = Field(
        None, description="the learned heads' probabilities (emergency, crisis), when trained"
    )
    by_head: bool = Field(False, description="the category fired through a learned head")

    @property
    def fired(self) -> bool:
        return self.category is not None


@lru_cache(maxsize=2)
def load_calibration(path: Path = CALIBRATION_PATH) -> Calibration:
    try:
        return Calibration.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load semantic calibration {path}: {exc}") from exc


class SemanticRedFlags:
    """The exemplar bank as a matrix, and the decision rule over one query vector."""

    def __init__(
        self,
        embed: QueryEmbedder,
        embedder_name: str,
        bank: ExemplarBank | None = None,
        calibration: Calibration | None = None,
        *,
        embed_many: Callable[[list[str]], list[npt.NDArray[np.float32]]] | None = None,
        vector_dir: Path | None = VECTOR_DIR,
        heads: LearnedHeads | bool | None = True,
    ) -> None:
        self.bank = bank or load_bank()
        self.calibration = calibration or load_calibration()
        self.embed = embed
        self.embedder_name = embedder_name
        rows = self.bank.labelled()
        self.labels = np.array([label for label, _, _ in rows])
        self.groups = [group for _, group, _ in rows]
        self.texts = [text for _, _, text in rows]
        cached = load_cached(embedder_name, self.texts, vector_dir)
        missing = [i for i in range(len(self.texts)) if i not in cached]
        if missing:
            log.warning("embedding %d red-flag exemplars not in the shipped cache", len(missing))
            fresh = (embed_many or (lambda ts: [embed(t) for t in ts]))(
                [self.texts[i] for i in missing]
            )
            cached.update(zip(missing, fresh, strict=True))
        self.missing_from_cache = len(missing)
        self.matrix = np.stack([np.asarray(cached[i], dtype=np.float32) for i in range(len(rows))])
        names = sorted(set(self.labels.tolist()))
        self._label_rows = {name: np.flatnonzero(self.labels == name) for name in names}
        loaded = load_heads(embedder_name) if heads is True else heads or None
        self.heads = loaded if loaded and loaded.dim == self.matrix.shape[1] else None

    def save_vectors(self, vector_dir: Path = VECTOR_DIR) -> Path:
        by_text = {text: self.matrix[i] for i, text in enumerate(self.texts)}
        return write_cache(self.embedder_name, by_text, vector_dir)

    def scores(self, vector: npt.NDArray[np.float32]) -> dict[str, tuple[float, int]]:
        """Label -> (mean similarity of its k nearest exemplars, row of the nearest)."""
        sims = np.einsum("ij,j->i", self.matrix, vector)
        k = self.calibration.k
        best: dict[str, tuple[float, int]] = {}
        for name, rows in self._label_rows.items():
            values = sims[rows]
            row = int(rows[int(np.argmax(values))])
            if k == 1 or len(values) <= k:
                best[name] = (float(values.max()), row)
            else:
                best[name] = (float(np.partition(values, -k)[-k:].mean()), row)
        return best

    def vote(self, text: str) -> SemanticVote:
        """The vote on ``text``; ``embed`` receives the canonical form (``normalise``)."""
        return self.vote_vector(self.embed(normalise(text)))

    def vote_vector(self, vector: npt.NDArray[np.float32]) -> SemanticVote:
        best = self.scores(vector)
        negative, negative_row = best.pop(NEGATIVE, (-1.0, -1))
        calibration = self.calibration
        fired: list[tuple[int, float, str]] = []
        for name, (score, _) in best.items():
            threshold, margin = calibration.rule_for(name)
            if score >= threshold and score - negative >= margin:
                level = self.bank.categories[name].level
                fired.append((LEVEL_RANK[level], score, name))
        learned = self.heads.scores(vector) if self.heads else None
        by_head = False
        if learned is not None and not fired:
            head_pick = self._head_category(best, learned)
            lead = self.heads.thresholds.lookalike_lead if self.heads else 0.0
            if head_pick is not None and negative - best[head_pick][0] <= lead:
                level = self.bank.categories[head_pick].level
                fired.append((LEVEL_RANK[level], best[head_pick][0], head_pick))
                by_head = True
        top_name = max(best, key=lambda name: best[name][0])
        chosen = max(fired)[2] if fired else None
        shown = chosen or top_name
        category = self.bank.categories[shown]
        return SemanticVote(
            category=chosen,
            level=category.level if chosen else None,
            score=round(best[shown][0], 4),
            best_category=shown,
            exemplar=self.texts[best[shown][1]],
            negative_score=round(negative, 4),
            negative_exemplar=self.texts[negative_row] if negative_row >= 0 else "",
            department=category.department,
            learned=learned,
            by_head=by_head and chosen is not None,
        )

    def _head_category(self, best: dict[str, tuple[float, int]], learned: HeadScores) -> str | None:
        """The category a firing head points to: the nearest crisis category for the crisis
        head, else the nearest emergency category (the exemplars name what it resembles)."""
        assert self.heads is not None
        thresholds = self.heads.thresholds
        if learned.crisis >= thresholds.crisis:
            pool = [n for n in best if n in CRISIS_CATEGORIES]
        elif learned.emergency >= thresholds.emergency:
            pool = [
                n
                for n in best
                if self.bank.categories[n].level == "emergency" and n not in CRISIS_CATEGORIES
            ]
        else:
            return None
        return max(pool, key=lambda name: best[name][0]) if pool else None


class VectorSource(Protocol):
    """What the layer needs from the knowledge base's retriever: its embedder's name (None
    when no dense backend is configured) and the cached query vector of a text."""

    @property
    def embedder_name(self) -> str | None: ...

    def query_vector(self, text: str) -> npt.NDArray[np.float32]: ...


class SemanticLayer:
    """The semantic red-flag layer as a service: built on first use from the retriever (so it
    shares the turn's one query embedding), disabled — rules only — without a dense backend."""

    def __init__(self, source: Callable[[], VectorSource]) -> None:
        self._source = source
        self._detector: SemanticRedFlags | None = None
        self._disabled = False
        self._lock = threading.Lock()

    def detector(self) -> SemanticRedFlags | None:
        with self._lock:
            if self._detector is None and not self._disabled:
                source = self._source()
                name = source.embedder_name
                if name is None:
                    log.warning("no dense embedder: red flags use the rule layer only")
                    self._disabled = True
                else:
                    self._detector = SemanticRedFlags(source.query_vector, name)
            return self._detector

    def vote(self, text: str) -> SemanticVote | None:
        detector = self.detector()
        return detector.vote_vector(self._source().query_vector(text)) if detector else None
