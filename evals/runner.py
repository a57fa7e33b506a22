"""Run cases through a sampler and the judges: concurrency, repeats, per-case timeouts,
progress, and a resumable run directory.

A run directory holds ``run.json`` (configuration and provenance), ``cases.jsonl`` (one graded
case run per line, appended as each finishes, so an interrupted run loses at most the cases in
flight), and the reports. Resuming skips the case runs already in ``cases.jsonl``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from core.errors import ValidationFailed
from evals.cases import EvalCase
from evals.judges import RubricJudge, grade_case
from evals.progress import Progress
from evals.provenance import Provenance
from evals.results import CaseResult, ErrorKind
from evals.samplers import Sampler, SamplerUnreachable

log = logging.getLogger(__name__)
CASES_FILE = "cases.jsonl"
RUN_FILE = "run.json"


class RunConfig(BaseModel):
    suites: list[str] = Field(default_factory=list)
    builtin: bool = False
    base_url: str | None = None
    concurrency: int = Field(4, ge=1, le=64)
    repeats: int = Field(1, ge=1, le=20)
    num_examples: int | None = Field(None, ge=1)
    seed: int = 0
    timeout_s: float = Field(60.0, gt=0)
    llm_judge_url: str | None = None
    llm_judge_model: str | None = None


class RunMeta(BaseModel):
    config: RunConfig
    provenance: Provenance
    started_at: float
    case_ids: list[str]


def select_cases(cases: Sequence[EvalCase], num_examples: int | None, seed: int) -> list[EvalCase]:
    """A seeded sample of ``num_examples`` cases, kept in file order (all when None)."""
    if num_examples is None or num_examples >= len(cases):
        return list(cases)
    chosen = set(random.Random(seed).sample(range(len(cases)), num_examples))
    return [case for index, case in enumerate(cases) if index in chosen]


def read_results(run_dir: Path) -> list[CaseResult]:
    path = run_dir / CASES_FILE
    if not path.exists():
        return []
    results = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            results.append(CaseResult.model_validate_json(line))
        except ValidationError:
            # The last line of an interrupted run may be cut short: that case runs again.
            log.warning("%s:%d is not a complete case result; it will be run again", path, number)
    return results


def read_meta(run_dir: Path) -> RunMeta:
    path = run_dir / RUN_FILE
    try:
        return RunMeta.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise ValidationFailed(
            f"{path} is not a run directory's run.json: {exc}",
            message_zh=f"{path} 不是评测运行目录（缺少或损坏的 run.json）",
            code="invalid_run_dir",
            field="run_dir",
        ) from exc


def write_meta(run_dir: Path, meta: RunMeta) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / RUN_FILE).write_text(meta.model_dump_json(indent=2), encoding="utf-8")


async def _one(
    case: EvalCase,
    repeat: int,
    sampler: Sampler,
    judges: list[RubricJudge],
    timeout_s: float,
) -> CaseResult:
    base = CaseResult(case_id=case.id, suite=case.suite, tags=case.tags, repeat=repeat)
    started = time.perf_counter()
    error: str | None = None
    kind: ErrorKind | None = None
    records = []
    try:
        records = await asyncio.wait_for(sampler.converse(case, repeat), timeout_s)
    except TimeoutError:
        error, kind = f"timed out after {timeout_s:g} s", "timeout"
    except SamplerUnreachable as exc:
        error, kind = f"service unreachable: {exc}", "unreachable"
    except Exception as exc:  # one crashing case is recorded and the run goes on
        error, kind = f"{type(exc).__name__}: {exc}", "crash"
        log.debug("case %s crashed:\n%s", case.id, traceback.format_exc())
    base = base.model_copy(update={"error": error, "error_kind": kind})
    graded = await grade_case(case, records, rubric_judges=judges, base=base)
    graded.duration_ms = round((time.perf_counter() - started) * 1000, 1)
    return graded


async def run_cases(
    cases: Sequence[EvalCase],
    sampler: Sampler,
    run_dir: Path,
    *,
    config: RunConfig,
    judges: list[RubricJudge] | None = None,
    progress: bool = True,
) -> list[CaseResult]:
    """Run every (case, repeat) not yet in ``run_dir/cases.jsonl``; return all results."""
    done = {r.key: r for r in read_results(run_dir)}
    todo = [
        (case, repeat)
        for case in cases
        for repeat in range(config.repeats)
        if f"{case.id}#{repeat}" not in done
    ]
    bar = Progress(len(todo), enabled=progress)
    semaphore = asyncio.Semaphore(config.concurrency)
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / CASES_FILE
    cut_short = path.exists() and path.stat().st_size and not path.read_bytes().endswith(b"\n")
    with path.open("a", encoding="utf-8") as sink:
        if cut_short:
            sink.write("\n")  # never glue a new result onto an interrupted line

        async def worker(case: EvalCase, repeat: int) -> None:
            async with semaphore:
                result = await _one(case, repeat, sampler, judges or [], config.timeout_s)
            sink.write(result.model_dump_json() + "\n")
            sink.flush()
            done[result.key] = result
            bar.advance(passed=result.passed, error=result.error is not None)

        await asyncio.gather(*(worker(case, repeat) for case, repeat in todo))
    wanted = {f"{c.id}#{r}" for c in cases for r in range(config.repeats)}
    order = {case.id: index for index, case in enumerate(cases)}
    kept = [r for key, r in done.items() if key in wanted]
    return sorted(kept, key=lambda r: (order[r.case_id], r.repeat))


def results_json(results: Sequence[CaseResult]) -> list[dict[str, object]]:
    return [json.loads(r.model_dump_json()) for r in results]
