"""Metric math on hand-made results: ratios of sums, per tag, pass^k, seeded bootstrap."""

from __future__ import annotations

from evals.metrics import build_report, judge_agreement
from evals.results import CaseResult, RubricScore
from tests.evals.factories import result


def sample() -> list[CaseResult]:
    return [
        result(
            "a",
            tags=["zh"],
            signals={"hallucination_rate": (1, 4), "task_success_rate": (1, 1)},
            latencies=[100, 300],
        ),
        result(
            "b",
            tags=["zh", "safety"],
            passed=False,
            signals={
                "hallucination_rate": (0, 6),
                "red_flag_recall": (0, 1),
                "task_success_rate": (0, 1),
            },
            latencies=[200],
        ),
        result(
            "c",
            tags=["en"],
            signals={
                "hallucination_rate": (3, 10),
                "red_flag_recall": (1, 1),
                "task_success_rate": (1, 1),
            },
            latencies=[400],
        ),
    ]


def test_ratio_of_sums_overall_and_per_tag() -> None:
    report = build_report(sample(), seed=7, resamples=200)
    m = report.overall.metrics
    assert m["hallucination_rate"].value == round(4 / 20, 4)
    assert m["hallucination_rate"].n == 20
    assert m["red_flag_recall"].value == 0.5
    assert m["task_success_rate"].value == round(2 / 3, 4)
    assert m["pii_leak_rate"].value is None
    assert report.by_tag["zh"].metrics["hallucination_rate"].value == 0.1
    assert report.by_tag["safety"].cases == 1
    assert report.overall.pass_at_1 == round(2 / 3, 4)
    assert m["latency_p50_ms"].value == 250.0  # median of 100, 200, 300, 400
    assert m["latency_p95_ms"].value == 385.0


def test_bootstrap_interval_is_seeded_and_brackets_the_value() -> None:
    first = build_report(sample(), seed=3, resamples=300).overall.metrics["hallucination_rate"]
    again = build_report(sample(), seed=3, resamples=300).overall.metrics["hallucination_rate"]
    other = build_report(sample(), seed=4, resamples=300).overall.metrics["hallucination_rate"]
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert first.ci_low is not None and first.ci_high is not None
    assert first.ci_low <= first.value <= first.ci_high  # type: ignore[operator]
    assert first.ci_low >= 0.0 and first.ci_high <= 0.3
    assert (first.ci_low, first.ci_high) == (0.0, 0.3)  # 3 cases: the extremes 0/6 and 3/10
    del other


def test_bootstrap_seed_changes_intervals_on_a_larger_sample() -> None:
    many = [result(f"c{i}", signals={"hallucination_rate": (i % 4, 5 + i % 3)}) for i in range(40)]
    one = build_report(many, seed=1, resamples=400).overall.metrics["hallucination_rate"]
    same = build_report(many, seed=1, resamples=400).overall.metrics["hallucination_rate"]
    two = build_report(many, seed=2, resamples=400).overall.metrics["hallucination_rate"]
    assert one == same
    assert (one.ci_low, one.ci_high) != (two.ci_low, two.ci_high)
    assert one.value == round(sum(i % 4 for i in range(40)) / sum(5 + i % 3 for i in range(40)), 4)


def test_pass_hat_k_needs_every_repeat() -> None:
    runs = [
        result("a", repeat=0),
        result("a", repeat=1),
        result("b", repeat=0),
        result("b", repeat=1, passed=False),
    ]
    table = build_report(runs, seed=0, resamples=50).overall
    assert table.cases == 2 and table.items == 4
    assert table.pass_at_1 == 0.75
    assert table.pass_hat_k == 0.5


def test_judge_agreement_and_kappa() -> None:
    def scores(det: bool, llm: bool, criterion: str) -> list[RubricScore]:
        return [
            RubricScore(criterion=criterion, points=1, met=det, judge="deterministic", turn=1),
            RubricScore(criterion=criterion, points=1, met=llm, judge="llm", turn=1),
        ]

    r = result("a")
    r.rubric = (
        scores(True, True, "x")
        + scores(False, False, "y")
        + scores(True, False, "z")
        + scores(False, False, "w")
    )
    agreement = judge_agreement([r])
    assert agreement["items"] == 4 and agreement["agreement"] == 0.75
    # observed 0.75; expected = 0.5*0.25 + 0.5*0.75 = 0.5; kappa = 0.25 / 0.5
    assert agreement["kappa"] == 0.5
