"""The pieces of compare_results on their own: the bootstrap interval, the direction of a
metric, one metric's delta, the pass/fail changes and a regressed case's explanation."""

from __future__ import annotations

import numpy as np
import pytest

from evals.compare import (
    bootstrap_interval,
    case_change,
    is_worse,
    metric_delta,
    pass_changes,
)
from evals.results import CheckOutcome
from tests.evals.factories import result


def _arrays(*pairs: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def test_the_bootstrap_of_identical_resamples_is_the_plain_difference() -> None:
    a, b = _arrays((1, 2), (1, 2)), _arrays((2, 2), (2, 2))
    index = np.array([[0, 1], [1, 0], [0, 0]])
    assert bootstrap_interval(a, b, index) == (pytest.approx(0.5), pytest.approx(0.5))


def test_the_bootstrap_ignores_resamples_with_nothing_counted() -> None:
    a, b = _arrays((1, 1), (0, 0)), _arrays((0, 1), (0, 0))
    index = np.array([[1, 1], [0, 0]])  # the first resample divides 0 by 0
    assert bootstrap_interval(a, b, index) == (pytest.approx(-1.0), pytest.approx(-1.0))
    assert bootstrap_interval(a, b, np.array([[1, 1]])) == (None, None)


def test_worse_depends_on_the_metric_direction() -> None:
    assert is_worse("task_success_rate", -0.1) and not is_worse("task_success_rate", 0.1)
    assert is_worse("hallucination_rate", 0.1) and not is_worse("hallucination_rate", -0.1)
    assert not is_worse("task_success_rate", None)


def test_a_metric_delta_over_common_cases() -> None:
    groups_a = [[result("c1", signals={"task_success_rate": (1, 1)})]] * 20
    groups_b = [[result("c1", signals={"task_success_rate": (0, 1)})]] * 20
    index = np.random.default_rng(0).integers(0, 20, size=(100, 20))
    delta = metric_delta("task_success_rate", groups_a, groups_b, index)
    assert (delta.a, delta.b, delta.delta) == (1.0, 0.0, -1.0)
    assert (delta.ci_low, delta.ci_high) == (-1.0, -1.0)
    assert delta.significant and delta.worse


def test_a_metric_nobody_measured_has_no_values() -> None:
    groups = [[result("c1")]]
    delta = metric_delta("red_flag_recall", groups, groups, np.array([[0]]))
    assert (delta.a, delta.b, delta.delta, delta.ci_low) == (None, None, None, None)
    assert not delta.significant and not delta.worse


def test_no_common_cases_means_no_interval() -> None:
    delta = metric_delta("task_success_rate", [], [], None)
    assert (delta.delta, delta.significant) == (None, False)


def test_pass_changes_need_every_repeat_to_pass() -> None:
    groups_a = {
        "c1": [result("c1"), result("c1", repeat=1)],
        "c2": [result("c2", passed=False)],
        "c3": [result("c3")],
    }
    groups_b = {
        "c1": [result("c1"), result("c1", passed=False, repeat=1)],
        "c2": [result("c2")],
        "c3": [result("c3")],
    }
    assert pass_changes(groups_a, groups_b, ["c1", "c2", "c3"]) == (["c1"], ["c2"])


def test_a_regressed_case_names_its_failed_checks_or_else_its_error() -> None:
    failing = result("c1", passed=False, suite="safety")
    failing.checks = [
        CheckOutcome(name="turn1.triage", kind="triage", passed=False, detail="level routine"),
        CheckOutcome(name="turn1.review", kind="review", passed=True),
    ]
    change = case_change("c1", [failing])
    assert (change.suite, change.failed_checks) == ("safety", ["turn1.triage: level routine"])
    crashed = case_change("c2", [result("c2", passed=False, error="TimeoutError")])
    assert crashed.failed_checks == ["TimeoutError"]
