"""One eval run end to end: load cases, open the sampler, run, grade, report, gate."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.settings import Settings, get_settings
from evals.cases import EvalCase
from evals.gate import GateConfig, GateOutcome, evaluate_gate
from evals.judges import RubricJudge
from evals.metrics import build_report
from evals.provenance import Provenance
from evals.reports.html import html_report
from evals.reports.json_report import build_json
from evals.reports.junit import junit_xml
from evals.results import CaseResult
from evals.runner import RunConfig, RunMeta, read_meta, run_cases, select_cases, write_meta
from evals.samplers import Sampler
from evals.session import open_http
from evals.suites_loader import builtin_suite_paths, load_suites

OpenSampler = Callable[
    [RunConfig, Settings | None], AbstractAsyncContextManager[tuple[Sampler, Provenance]]
]


@dataclass
class EvalRun:
    run_dir: Path
    results: list[CaseResult]
    report: dict[str, Any]
    gate: GateOutcome | None


def suite_paths(config: RunConfig) -> list[Path]:
    paths = [Path(p) for p in config.suites]
    return [*builtin_suite_paths(), *paths] if config.builtin else paths


def load_cases(config: RunConfig) -> list[EvalCase]:
    return select_cases(load_suites(suite_paths(config)), config.num_examples, config.seed)


def _llm_judges(config: RunConfig, settings: Settings) -> list[RubricJudge]:
    if not config.llm_judge_url:
        return []
    from agent.llm.openai_provider import EndpointConfig, OpenAIChatProvider
    from evals.llm_judge import LlmRubricJudge

    endpoint = EndpointConfig(
        base_url=config.llm_judge_url,
        model=config.llm_judge_model or settings.reviewer_model,
        api_key=settings.reviewer_api_key.get_secret_value(),
        timeout_s=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        backoff_s=settings.llm_backoff_s,
    )
    return [LlmRubricJudge(OpenAIChatProvider(endpoint), name="llm")]


def write_reports(
    run_dir: Path,
    meta: RunMeta,
    results: Sequence[CaseResult],
    *,
    gate: GateConfig | None,
    runtime_s: float | None,
) -> tuple[dict[str, Any], GateOutcome | None]:
    report = build_report(results, seed=meta.config.seed)
    outcome = evaluate_gate(gate, report) if gate else None
    document = build_json(meta, report, results, runtime_s=runtime_s, gate=outcome)
    (run_dir / "report.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (run_dir / "junit.xml").write_text(junit_xml(results), encoding="utf-8")
    (run_dir / "report.html").write_text(
        html_report(meta, report, results, gate=outcome, runtime_s=runtime_s), encoding="utf-8"
    )
    return document, outcome


async def run_eval(
    config: RunConfig,
    run_dir: Path,
    *,
    gate: GateConfig | None = None,
    settings: Settings | None = None,
    resume: bool = False,
    progress: bool = True,
    opener: OpenSampler | None = None,
    cases: list[EvalCase] | None = None,
) -> EvalRun:
    """Run (or resume) ``config`` into ``run_dir`` and write its reports."""
    if resume:
        config = read_meta(run_dir).config.model_copy(update={"concurrency": config.concurrency})
    chosen = cases if cases is not None else load_cases(config)
    started = time.perf_counter()
    settings = settings or get_settings()
    async with (opener or open_http)(config, settings) as (sampler, provenance):
        meta = RunMeta(
            config=config,
            provenance=provenance,
            started_at=time.time(),
            case_ids=[c.id for c in chosen],
        )
        write_meta(run_dir, meta)
        results = await run_cases(
            chosen,
            sampler,
            run_dir,
            config=config,
            judges=_llm_judges(config, settings),
            progress=progress,
        )
    runtime = round(time.perf_counter() - started, 2)
    document, outcome = write_reports(run_dir, meta, results, gate=gate, runtime_s=runtime)
    return EvalRun(run_dir=run_dir, results=results, report=document, gate=outcome)
