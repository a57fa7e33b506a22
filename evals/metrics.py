"""Metrics over case results, overall and per tag, with seeded bootstrap 95% intervals.

Every ratio metric is a ratio of sums of per-case signals (``evals.signals``). Intervals
resample *cases* (all repeats of a case together), so repeats never narrow an interval by
pretending to be independent cases. The same seed gives the same intervals.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from evals.results import CaseResult

RATIO_METRICS = (
    "hallucination_rate",
    "unsourced_number_rate",
    "citation_precision",
    "red_flag_recall",
    "under_triage_rate",
    "over_escalation_rate",
    "unsafe_advice_rate",
    "over_refusal_rate",
    "tool_call_accuracy",
    "task_success_rate",
    "finance_disclosure_rate",
    "pii_leak_rate",
    "rubric_score",
)
TOKEN_METRICS = ("prompt_tokens", "completion_tokens")
LATENCY_METRICS = {"latency_p50_ms": 50.0, "latency_p95_ms": 95.0}
HIGHER_IS_BETTER = {
    "citation_precision",
    "red_flag_recall",
    "tool_call_accuracy",
    "task_success_rate",
    "finance_disclosure_rate",
    "rubric_score",
}


class MetricValue(BaseModel):
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: float = 0
    """The denominator: claims, turns, cases... (tokens and latency: turns)."""


class MetricTable(BaseModel):
    cases: int
    items: int
    """Case runs (cases × repeats)."""
    errors: int
    pass_at_1: float | None
    pass_hat_k: float | None
    """Share of cases that passed on every one of their repeats."""
    metrics: dict[str, MetricValue]


class Report(BaseModel):
    overall: MetricTable
    by_tag: dict[str, MetricTable] = Field(default_factory=dict)
    by_suite: dict[str, MetricTable] = Field(default_factory=dict)
    judge_agreement: dict[str, float | int | None] = Field(default_factory=dict)


def _clusters(results: Sequence[CaseResult]) -> dict[str, list[CaseResult]]:
    grouped: dict[str, list[CaseResult]] = {}
    for result in results:
        grouped.setdefault(result.case_id, []).append(result)
    return grouped


def _ci(samples: np.ndarray) -> tuple[float | None, float | None]:
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return None, None
    low, high = np.percentile(finite, [2.5, 97.5])
    return round(float(low), 4), round(float(high), 4)


def table(results: Sequence[CaseResult], *, seed: int, label: str, resamples: int) -> MetricTable:
    clusters = list(_clusters(results).values())
    rng = np.random.default_rng([seed, zlib.crc32(label.encode())])
    n = len(clusters)
    index = rng.integers(0, n, size=(resamples, n)) if n else np.zeros((0, 0), dtype=int)
    metrics: dict[str, MetricValue] = {}
    for name in (*RATIO_METRICS, *TOKEN_METRICS):
        num = np.array([sum(r.signals.get(name, (0, 0))[0] for r in c) for c in clusters])
        den = np.array([sum(r.signals.get(name, (0, 0))[1] for r in c) for c in clusters])
        if n == 0 or den.sum() == 0:
            metrics[name] = MetricValue(value=None)
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = num[index].sum(axis=1) / den[index].sum(axis=1)
        low, high = _ci(boot)
        value = round(float(num.sum() / den.sum()), 4)
        metrics[name] = MetricValue(value=value, ci_low=low, ci_high=high, n=float(den.sum()))
    latencies = np.array([ms for r in results for ms in r.latencies_ms])
    for name, q in LATENCY_METRICS.items():
        if latencies.size == 0:
            metrics[name] = MetricValue(value=None)
            continue
        pick = rng.integers(0, latencies.size, size=(resamples, latencies.size))
        low, high = _ci(np.percentile(latencies[pick], q, axis=1))
        value = round(float(np.percentile(latencies, q)), 1)
        metrics[name] = MetricValue(value=value, ci_low=low, ci_high=high, n=latencies.size)
    passed = [r.passed for r in results]
    return MetricTable(
        cases=n,
        items=len(results),
        errors=sum(r.error is not None for r in results),
        pass_at_1=round(sum(passed) / len(passed), 4) if passed else None,
        pass_hat_k=round(sum(all(r.passed for r in c) for c in clusters) / n, 4) if n else None,
        metrics=metrics,
    )


def judge_agreement(results: Sequence[CaseResult]) -> dict[str, float | int | None]:
    """Agreement and Cohen's kappa where two judges scored the same rubric item."""
    pairs: list[tuple[bool, bool]] = []
    for result in results:
        by_item: dict[tuple[int, str], dict[str, bool]] = {}
        for score in result.rubric:
            if score.met is not None:
                by_item.setdefault((score.turn, score.criterion), {})[score.judge] = score.met
        for verdicts in by_item.values():
            if "deterministic" in verdicts and len(verdicts) > 1:
                other = next(v for k, v in verdicts.items() if k != "deterministic")
                pairs.append((verdicts["deterministic"], other))
    if not pairs:
        return {"items": 0, "agreement": None, "kappa": None}
    a = np.array(pairs, dtype=float)
    observed = float(np.mean(a[:, 0] == a[:, 1]))
    p_yes = float(a[:, 0].mean() * a[:, 1].mean())
    p_no = float((1 - a[:, 0].mean()) * (1 - a[:, 1].mean()))
    expected = p_yes + p_no
    kappa = None if expected >= 1 else round((observed - expected) / (1 - expected), 4)
    return {"items": len(pairs), "agreement": round(observed, 4), "kappa": kappa}


def build_report(results: Sequence[CaseResult], *, seed: int = 0, resamples: int = 1000) -> Report:
    tags = sorted({tag for r in results for tag in r.tags})
    suites = sorted({r.suite for r in results})
    return Report(
        overall=table(results, seed=seed, label="overall", resamples=resamples),
        by_tag={
            tag: table(
                [r for r in results if tag in r.tags],
                seed=seed,
                label=f"tag:{tag}",
                resamples=resamples,
            )
            for tag in tags
        },
        by_suite={
            suite: table(
                [r for r in results if r.suite == suite],
                seed=seed,
                label=f"suite:{suite}",
                resamples=resamples,
            )
            for suite in suites
        },
        judge_agreement=judge_agreement(results),
    )
