"""The JSON report: every computed metric, the provenance, the gate and failing cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.gate import GateOutcome
from evals.metrics import Report
from evals.results import CaseResult
from evals.runner import RunMeta

REPORT_VERSION = 1


def case_summary(result: CaseResult) -> dict[str, Any]:
    return {
        "case_id": result.case_id,
        "suite": result.suite,
        "repeat": result.repeat,
        "passed": result.passed,
        "error": result.error,
        "failed_checks": [
            {"name": c.name, "kind": c.kind, "detail": c.detail} for c in result.failed_checks()
        ],
    }


def build_json(
    meta: RunMeta,
    report: Report,
    results: Sequence[CaseResult],
    *,
    runtime_s: float | None,
    gate: GateOutcome | None,
) -> dict[str, Any]:
    failing = sorted({r.case_id for r in results if not r.passed})
    return {
        "report_version": REPORT_VERSION,
        "provenance": meta.provenance.model_dump(mode="json"),
        "config": meta.config.model_dump(mode="json"),
        "runtime_s": runtime_s,
        "overall": report.overall.model_dump(mode="json"),
        "by_tag": {k: v.model_dump(mode="json") for k, v in report.by_tag.items()},
        "by_suite": {k: v.model_dump(mode="json") for k, v in report.by_suite.items()},
        "judge_agreement": report.judge_agreement,
        "gate": gate.model_dump(mode="json") if gate else None,
        "failing_cases": failing,
        "cases": [case_summary(r) for r in results if not r.passed],
    }
