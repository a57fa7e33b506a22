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


def _ratio(num: np.ndarray, den: np.ndarray) -> float | None:
    """Pooled ratio over the cases; None when nothing was counted."""
    return float(num.sum() / den.sum()) if den.sum() else None


def bootstrap_interval(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], index: np.ndarray
) -> tuple[float | None, float | None]:
    """95% paired-bootstrap interval of ratio(B) - ratio(A); ``index`` holds one row of case
    indices per resample. (None, None) when no resample has a finite difference."""
    (num_a, den_a), (num_b, den_b) = a, b
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = (num_b[index].sum(1) / den_b[index].sum(1)) - (
            num_a[index].sum(1) / den_a[index].sum(1)
        )
    finite = boot[np.isfinite(boot)]
    if not finite.size:
        return None, None
    low, high = (float(x) for x in np.percentile(finite, [2.5, 97.5]))
    return low, high


def is_worse(name: str, delta: float | None) -> bool:
    """The change goes the bad way for this metric (down where higher is better, else up)."""
    return delta is not None and (delta < 0 if name in HIGHER_IS_BETTER else delta > 0)


def metric_delta(
    name: str,
    groups_a: list[list[CaseResult]],
    groups_b: list[list[CaseResult]],
    index: np.ndarray | None,
) -> MetricDelta:
    """One metric over the common cases: A, B, B - A and its bootstrap interval."""
    sums_a, sums_b = _sums(groups_a, name), _sums(groups_b, name)
    value_a, value_b = _ratio(*sums_a), _ratio(*sums_b)
    low = high = delta = None
    if value_a is not None and value_b is not None and index is not None:
        delta = value_b - value_a
        low, high = bootstrap_interval(sums_a, sums_b, index)
    significant = low is not None and high is not None and (low > 0 or high < 0)
    return MetricDelta(
        metric=name,
        a=_round(value_a),
        b=_round(value_b),
        delta=_round(delta),
        ci_low=_round(low),
        ci_high=_round(high),
        significant=significant,
        worse=significant and is_worse(name, delta),
    )


def case_change(case_id: str, results: list[CaseResult]) -> CaseChange:
    """A regressed case with its failed checks (or, when none failed, its errors)."""
    failed = [f"{check.name}: {check.detail}" for r in results for check in r.failed_checks()]
    return CaseChange(
        case_id=case_id,
        suite=results[0].suite,
        failed_checks=failed or [r.error or "" for r in results if r.error],
    )


def pass_changes(
    groups_a: dict[str, list[CaseResult]], groups_b: dict[str, list[CaseResult]], common: list[str]
) -> tuple[list[str], list[str]]:
    """(regressed, improved): cases passing in A and failing in B, and the other way round;
    a case passes when every repeat of it does."""
    pass_a = {c: all(r.passed for r in groups_a[c]) for c in common}
    pass_b = {c: all(r.passed for r in groups_b[c]) for c in common}
    regressed = [c for c in common if pass_a[c] and not pass_b[c]]
    improved = [c for c in common if not pass_a[c] and pass_b[c]]
    return regressed, improved


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
    common_a, common_b = [groups_a[c] for c in common], [groups_b[c] for c in common]
    deltas = [
        metric_delta(name, common_a, common_b, index) for name in (*RATIO_METRICS, *TOKEN_METRICS)
    ]
    regressed_ids, improved = pass_changes(groups_a, groups_b, common)
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
        regressed=[case_change(c, groups_b[c]) for c in regressed_ids],
        improved=improved,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    for run in (run_a, run_b):
        read_meta(run)  # a clear error when a path is not a run directory
    return compare_results(read_results(run_a), read_results(run_b), names=(str(run_a), str(run_b)))
