"""The semantic layer's learned heads: emergency, and crisis (suicide or self-harm).

Nearest-exemplar similarity alone separates poorly with a small multilingual model (an
emergency and its look-alike sit close together); a logistic regression over the same query
vector, trained on every labelled message we may tune on, does better on sets it never saw
(figures in ``data/learned_heads.yaml``, from ``bench/train_redflag_heads.py``). A head fires
when its probability reaches the cross-validated threshold; the layer then names the category
the nearest exemplars point to. Heads trained for another embedder are not used.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import ConfigurationError
from tools.triage.exemplars import DATA_DIR

log = logging.getLogger(__name__)

HEADS_PATH = DATA_DIR / "learned_heads.yaml"
WEIGHTS_PATH = DATA_DIR / "learned_heads.npz"


class HeadThresholds(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    emergency: float
    crisis: float
    lookalike_lead: float = 0.03
    """A head does not fire when the nearest look-alike exemplar is closer than the category
    it points to by more than this (a bumped head that is playing happily is a look-alike)."""


class HeadsDocument(BaseModel):
    model_config = ConfigDict(extra="allow")
    version: int
    embedder: str
    thresholds: HeadThresholds


class HeadScores(BaseModel):
    model_config = ConfigDict(frozen=True)
    emergency: float
    crisis: float


class LearnedHeads:
    def __init__(self, document: HeadsDocument, weights: dict[str, npt.NDArray[np.float32]]):
        self.document = document
        self.thresholds = document.thresholds
        self._w = np.stack([weights["emergency_w"], weights["crisis_w"]]).astype(np.float32)
        self._b = np.array([weights["emergency_b"], weights["crisis_b"]], dtype=np.float32)

    @property
    def dim(self) -> int:
        return int(self._w.shape[1])

    def scores(self, vector: npt.NDArray[np.float32]) -> HeadScores:
        logits = self._w @ vector + self._b
        emergency, crisis = (1.0 / (1.0 + np.exp(-logits))).tolist()
        return HeadScores(emergency=round(emergency, 4), crisis=round(crisis, 4))


@lru_cache(maxsize=2)
def load_heads(
    embedder_name: str, path: Path = HEADS_PATH, weights: Path = WEIGHTS_PATH
) -> LearnedHeads | None:
    """The heads for ``embedder_name``; None when none were trained for it (rules, exemplars
    only). A broken file is a configuration error, not a silent fallback."""
    try:
        document = HeadsDocument.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        with np.load(weights) as data:
            arrays = {key: np.asarray(data[key], dtype=np.float32) for key in data.files}
    except FileNotFoundError:
        return None
    except (OSError, yaml.YAMLError, ValidationError, KeyError, ValueError) as exc:
        raise ConfigurationError(f"cannot load the learned red-flag heads {path}: {exc}") from exc
    if document.embedder != embedder_name:
        log.warning(
            "learned heads were trained for %s, not %s: off", document.embedder, embedder_name
        )
        return None
    return LearnedHeads(document, arrays)
