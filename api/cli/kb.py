"""``hm kb ingest|search|eval``: build, query and evaluate the guideline knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from core.errors import ServiceError
from core.settings import get_settings
from knowledge.config import KnowledgeConfig
from knowledge.embedding_cache import export_from_index
from knowledge.evaluate import AbstainScores, RetrievalEvalReport, evaluate
from knowledge.ingest import IngestReport, ingest
from knowledge.retriever import RetrievalResult, load_retriever
from knowledge.service import config_from_settings


def knowledge_config_from_env() -> KnowledgeConfig:
    """The knowledge-base configuration from the service's settings (``HM_*``)."""
    return config_from_settings(get_settings())


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print the result as JSON")
    common.add_argument("--index-dir", type=Path, help="index directory (overrides settings)")
    common.add_argument("--corpus-dir", type=Path, help="corpus directory (overrides settings)")
    kb = subparsers.add_parser("kb", help="knowledge base: ingest, search, evaluate")
    commands = kb.add_subparsers(dest="kb_command", required=True)

    ingest_parser = commands.add_parser("ingest", parents=[common], help="build the index")
    ingest_parser.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    ingest_parser.set_defaults(func=run_ingest)

    search = commands.add_parser("search", parents=[common], help="search the guidelines")
    search.add_argument("query", help="the question, in Chinese or English")
    search.add_argument("--k", type=int, default=None, help="passages to return (default 5)")
    search.add_argument("--language", choices=["zh", "en"], help="only documents in this language")
    search.add_argument("--topic", action="append", help="only documents with this topic")
    search.add_argument("--audience", help="only documents for this audience")
    search.add_argument("--mode", choices=["hybrid", "bm25", "dense"], help="ranking method")
    search.set_defaults(func=run_search)

    evaluation = commands.add_parser("eval", parents=[common], help="score retrieval")
    evaluation.set_defaults(func=run_eval)

    cache = commands.add_parser(
        "cache-embeddings",
        parents=[common],
        help="rewrite the shipped embedding cache from the current index (maintainers)",
    )
    cache.set_defaults(func=run_cache_embeddings)


def _config(args: argparse.Namespace) -> KnowledgeConfig:
    config = knowledge_config_from_env()
    overrides = {
        key: value
        for key, value in (("index_dir", args.index_dir), ("corpus_dir", args.corpus_dir))
        if value is not None
    }
    return config.model_copy(update=overrides) if overrides else config


def _emit(args: argparse.Namespace, result: BaseModel, text: str) -> None:
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(text)


def _guarded(args: argparse.Namespace, action: Any) -> int:
    """With --json a domain error is printed as a JSON error body (exit 2); otherwise it
    propagates to ``hm``'s handler."""
    try:
        return int(action())
    except ServiceError as exc:
        if not args.json:
            raise
        print(json.dumps({"error": exc.to_body("en")}, ensure_ascii=False), file=sys.stdout)
        return 2


def run_ingest(args: argparse.Namespace) -> int:
    def action() -> int:
        report = ingest(_config(args), force=args.force)
        _emit(args, report, format_ingest(report))
        return 0

    return _guarded(args, action)


def run_search(args: argparse.Namespace) -> int:
    def action() -> int:
        retriever = load_retriever(_config(args))
        result = retriever.search(
            args.query,
            args.k,
            language=args.language,
            topics=args.topic,
            audience=args.audience,
            mode=args.mode,
        )
        _emit(args, result, format_search(result))
        return 0

    return _guarded(args, action)


def run_eval(args: argparse.Namespace) -> int:
    def action() -> int:
        report = evaluate(_config(args))
        _emit(args, report, format_eval(report))
        return 0

    return _guarded(args, action)


def run_cache_embeddings(args: argparse.Namespace) -> int:
    def action() -> int:
        path, entries = export_from_index(_config(args))
        print(
            json.dumps({"path": str(path), "entries": entries})
            if args.json
            else f"wrote {entries} vectors to {path}"
        )
        return 0

    return _guarded(args, action)


def format_ingest(report: IngestReport) -> str:
    state = "rebuilt" if report.rebuilt else "unchanged"
    return (
        f"knowledge base {report.kb_version} ({state}): {report.docs} documents, "
        f"{report.chunks} chunks, {report.embedded} embedded, "
        f"{report.skipped_unchanged} reused, {report.seconds:.1f} s"
    )


def format_search(result: RetrievalResult) -> str:
    if result.abstained:
        return f"no relevant guideline passage ({result.reason})"
    lines = []
    for rank, p in enumerate(result.passages, start=1):
        where = f"{p.title} › {p.heading}" if p.heading else p.title
        lines.append(f"{rank}. [{p.doc_id}] {where}  (score {p.score:.4f})")
        lines.append(f"   {p.source}, {p.year}, {p.section}")
        lines.append(f"   {p.text}")
    return "\n".join(lines)


def format_eval(report: RetrievalEvalReport) -> str:
    header = (
        f"{'method':<28}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'MRR':>7}{'nDCG@10':>9}"
        f"{'p50 ms':>8}{'p95 ms':>8}"
    )
    rows = [
        f"{m.method:<28}{m.recall_at_1:>7.3f}{m.recall_at_5:>7.3f}{m.recall_at_10:>7.3f}"
        f"{m.mrr:>7.3f}{m.ndcg_at_10:>9.3f}{m.latency_ms_p50:>8.1f}{m.latency_ms_p95:>8.1f}"
        for m in report.methods
    ]
    rows.append(_abstain_line("abstain", report.abstain))
    if report.suggested_abstain:
        rows.append(_abstain_line("suggested", report.suggested_abstain))
    summary = f"knowledge base {report.kb_version}: {report.chunk_count} chunks"
    return "\n".join([summary, header, *rows])


def _abstain_line(label: str, scores: AbstainScores) -> str:
    rules = ", ".join(
        f"{lang}: dense<{t.min_dense} and lexical<{t.min_lexical}"
        for lang, t in scores.thresholds.items()
    )
    return (
        f"{label} ({scores.method}; {rules}): precision {scores.precision:.3f}, "
        f"recall {scores.recall:.3f}, false abstains {scores.false_abstain_rate:.3f}"
    )
