"""Compare two runs case by case: metric deltas with paired-bootstrap intervals, McNemar's
exact test on per-case pass/fail, and the cases that regressed (passed in A, fail in B)."""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from evals.metrics import HIGHER_IS_BETTER, RATIO_METRICS, TOKEN_METRICS
from evals.results import CaseResult
from evals.runner import read_meta, read_results


class MetricDelta(BaseModel):
    metric: str
    a: float | None
    b: float | None
    delta: float | None
    ci_low: float | None
    ci_high: float | None
    significant: bool
    worse: bool
    """Significant and in the bad direction for this metric."""


class CaseChange(BaseModel):
    case_id: str
    suite: str
    failed_checks: list[str]


class Comparison(BaseModel):
    run_a: str
    run_b: str
    common_cases: int
    only_in_a: int
    only_in_b: int
    metrics: list[MetricDelta]
    mcnemar: dict[str, float | int]
    regressed: list[CaseChange]
    improved: list[str]


def _by_case(results: Sequence[CaseResult]) -> dict[str, list[CaseResult]]:
    grouped: dict[str, list[CaseResult]] = {}
    for result in results:
        grouped.setdefault(result.case_id, []).append(result)
    return grouped


def _sums(groups: list[list[CaseResult]], name: str) -> tuple[np.ndarray, np.ndarray]:
    num = np.array([sum(r.signals.get(name, (0, 0))[0] for r in g) for g in groups], dtype=float)
    den = np.array([sum(r.signals.get(name, (0, 0))[1] for r in g) for g in groups], dtype=float)
    return num, den


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value for b and c discordant pairs."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / float(2**n)
    return float(min(1.0, 2 * tail))


def compare_results(
    a: Sequence[CaseResult],
    b: Sequence[CaseResult],
    *,
    names: tuple[str, str] = ("A", "B"),
    seed: int = 0,
    resamples: int = 2000,
) -> Comparison:
    groups_a, groups_b = _by_case(a), _by_case(b)
    common = sorted(set(groups_a) & set(groups_b))
    rng = np.random.default_rng([seed, zlib.crc32(b"compare")])
    index = rng.integers(0, len(common), size=(resamples, len(common))) if common else None
    deltas = []
    for name in (*RATIO_METRICS, *TOKEN_METRICS):
        num_a, den_a = _sums([groups_a[c] for c in common], name)
        num_b, den_b = _sums([groups_b[c] for c in common], name)
        value_a = float(num_a.sum() / den_a.sum()) if den_a.sum() else None
        value_b = float(num_b.sum() / den_b.sum()) if den_b.sum() else None
        low = high = delta = None
        if value_a is not None and value_b is not None and index is not None:
            delta = value_b - value_a
            with np.errstate(invalid="ignore", divide="ignore"):
                boot = (num_b[index].sum(1) / den_b[index].sum(1)) - (
                    num_a[index].sum(1) / den_a[index].sum(1)
                )
            finite = boot[np.isfinite(boot)]
            if finite.size:
                low, high = (float(x) for x in np.percentile(finite, [2.5, 97.5]))
        significant = low is not None and high is not None and (low > 0 or high < 0)
        bad_direction = delta is not None and (delta < 0 if name in HIGHER_IS_BETTER else delta > 0)
        deltas.append(
            MetricDelta(
                metric=name,
                a=_round(value_a),
                b=_round(value_b),
                delta=_round(delta),
                ci_low=_round(low),
                ci_high=_round(high),
                significant=significant,
                worse=significant and bad_direction,
            )
        )
    pass_a = {c: all(r.passed for r in groups_a[c]) for c in common}
    pass_b = {c: all(r.passed for r in groups_b[c]) for c in common}
    regressed_ids = [c for c in common if pass_a[c] and not pass_b[c]]
    improved = [c for c in common if not pass_a[c] and pass_b[c]]
    regressed = [
        CaseChange(
            case_id=c,
            suite=groups_b[c][0].suite,
            failed_checks=[
                f"{check.name}: {check.detail}" for r in groups_b[c] for check in r.failed_checks()
            ]
            or [r.error or "" for r in groups_b[c] if r.error],
        )
        for c in regressed_ids
    ]
    return Comparison(
        run_a=names[0],
        run_b=names[1],
        common_cases=len(common),
        only_in_a=len(set(groups_a) - set(groups_b)),
        only_in_b=len(set(groups_b) - set(groups_a)),
        metrics=deltas,
        mcnemar={
            "a_pass_b_fail": len(regressed_ids),
            "a_fail_b_pass": len(improved),
            "p_value": round(mcnemar_exact(len(regressed_ids), len(improved)), 6),
        },
        regressed=regressed,
        improved=improved,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    for run in (run_a, run_b):
        read_meta(run)  # a clear error when a path is not a run directory
    return compare_results(read_results(run_a), read_results(run_b), names=(str(run_a), str(run_b)))
