"""Comparing runs (significance, regressed cases) and the gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ValidationFailed
from evals.compare import compare_results, mcnemar_exact
from evals.gate import evaluate_gate, load_gate
from evals.metrics import build_report
from tests.evals.factories import result


def test_mcnemar_exact_hand_computed() -> None:
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(5, 0) == pytest.approx(2 / 32)
    assert mcnemar_exact(1, 1) == 1.0
    assert mcnemar_exact(8, 1) == pytest.approx(2 * 10 / 512)


def test_compare_lists_regressions_and_flags_significant_worsening() -> None:
    a = [
        result(f"c{i}", signals={"task_success_rate": (1, 1), "red_flag_recall": (1, 1)})
        for i in range(30)
    ]
    b = [
        result(
            f"c{i}",
            passed=i >= 12,
            signals={
                "task_success_rate": (float(i >= 12), 1),
                "red_flag_recall": (float(i >= 12), 1),
            },
        )
        for i in range(30)
    ]
    b[20].error = "TimeoutError"
    comparison = compare_results(a, b, seed=1, resamples=500)
    assert [c.case_id for c in comparison.regressed] == sorted(f"c{i}" for i in range(12))
    assert comparison.mcnemar["a_pass_b_fail"] == 12
    assert comparison.mcnemar["p_value"] == pytest.approx(2 / 2**12, rel=1e-3)
    recall = next(d for d in comparison.metrics if d.metric == "red_flag_recall")
    assert recall.delta == -0.4 and recall.significant and recall.worse
    same = compare_results(a, a, seed=1, resamples=200)
    assert same.regressed == [] and not any(d.worse for d in same.metrics)


def test_gate_passes_fails_and_skips(tmp_path: Path) -> None:
    gate_file = tmp_path / "gate.yaml"
    gate_file.write_text(
        "version: 1\nmax_error_rate: 0\noverall:\n"
        "  task_success_rate: {min: 0.5}\n  pii_leak_rate: {max: 0, require_data: false}\n"
        "by_tag:\n  safety:\n    red_flag_recall: {min: 1.0}\n",
        encoding="utf-8",
    )
    gate = load_gate(gate_file)
    good = [
        result(
            "a", tags=["safety"], signals={"task_success_rate": (1, 1), "red_flag_recall": (1, 1)}
        )
    ]
    outcome = evaluate_gate(gate, build_report(good, resamples=20))
    assert outcome.passed
    assert {c.metric: c.status for c in outcome.checks}["pii_leak_rate"] == "skipped"
    bad = [
        result(
            "a", tags=["safety"], signals={"task_success_rate": (1, 1), "red_flag_recall": (0, 1)}
        ),
        result("b", error="crash", passed=False),
    ]
    outcome = evaluate_gate(gate, build_report(bad, resamples=20))
    failed = {(c.scope, c.metric) for c in outcome.checks if c.status == "fail"}
    assert failed == {("tag:safety", "red_flag_recall"), ("overall", "error_rate")}


def test_bad_gate_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("version: 1\noverall:\n  x: {min: 1, max: 2}\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_gate(path)
    assert info.value.instance_code == "invalid_gate"
    with pytest.raises(ValidationFailed) as info:
        load_gate(tmp_path / "none.yaml")
    assert info.value.instance_code == "gate_not_found"


def test_builtin_gate_file_is_valid() -> None:
    gate = load_gate()
    assert gate.overall["pii_leak_rate"].max == 0
    assert gate.overall["unsafe_advice_rate"].max == 0
    assert gate.max_error_rate == 0
    assert gate.overall["red_flag_recall"].min is not None
