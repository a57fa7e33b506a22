"""Judges: each grades a case's transcript. A judge is a sampler too (``LlmRubricJudge`` calls a
model through the agent's provider interface), so the model under test and the judge are
interchangeable. ``grade_case`` runs the deterministic judge, then any rubric judges."""

from __future__ import annotations

from typing import Protocol

from evals.cases import EvalCase
from evals.checks import check_records, check_turn
from evals.judge_rules import matches
from evals.results import CaseResult, CheckOutcome, RubricScore, TurnRecord
from evals.signals import case_signals


class RubricJudge(Protocol):
    name: str

    async def score(self, case: EvalCase, records: list[TurnRecord]) -> list[RubricScore]: ...


def deterministic_rubric(case: EvalCase, records: list[TurnRecord]) -> list[RubricScore]:
    """Rubric items that carry a pattern: met when the reply matches it."""
    scores = []
    for turn_no, (turn, record) in enumerate(zip(case.turns, records, strict=False), 1):
        reply = record.result.reply if record.result else None
        for item in turn.expect.rubric:
            if item.pattern is None:
                continue
            met = None if reply is None else matches(item.pattern, reply) is not None
            scores.append(
                RubricScore(
                    criterion=item.criterion,
                    points=item.points,
                    met=met,
                    judge="deterministic",
                    turn=turn_no,
                    tags=item.tags,
                )
            )
    return scores


def primary_scores(scores: list[RubricScore]) -> list[RubricScore]:
    """One score per item: the deterministic one when the item has a pattern, else a model's."""
    chosen: dict[tuple[int, str], RubricScore] = {}
    for score in scores:
        key = (score.turn, score.criterion)
        if key not in chosen or score.judge == "deterministic":
            chosen[key] = score
    return list(chosen.values())


def _rubric_checks(scores: list[RubricScore]) -> list[CheckOutcome]:
    checks = []
    for score in primary_scores(scores):
        if score.points < 0 and score.met:
            checks.append(
                CheckOutcome(
                    name=f"turn{score.turn}.rubric",
                    kind="rubric",
                    passed=False,
                    detail=f"{score.criterion} ({score.points:+g}, {score.judge})",
                    turn=score.turn,
                    judge=score.judge,
                )
            )
    return checks


def rubric_signal(scores: list[RubricScore]) -> tuple[float, float] | None:
    """Earned points (not below zero) over the positive points available."""
    primary = [s for s in primary_scores(scores) if s.met is not None]
    available = sum(s.points for s in primary if s.points > 0)
    if available <= 0:
        return None
    earned = sum(s.points for s in primary if s.met)
    return max(earned, 0.0), available


async def grade_case(
    case: EvalCase,
    records: list[TurnRecord],
    *,
    rubric_judges: list[RubricJudge] | None = None,
    base: CaseResult,
) -> CaseResult:
    checks: list[CheckOutcome] = []
    for turn_no, (turn, record) in enumerate(zip(case.turns, records, strict=False), 1):
        checks.extend(check_turn(turn_no, turn.expect, record))
    if len(records) == len(case.turns):
        checks.extend(check_records(case, records))
    scores = deterministic_rubric(case, records)
    for judge in rubric_judges or []:
        scores.extend(await judge.score(case, records))
    checks.extend(_rubric_checks(scores))
    passed = base.error is None and all(c.passed for c in checks)
    signals = case_signals(case, records, checks, passed)
    rubric = rubric_signal(scores)
    if rubric is not None:
        signals["rubric_score"] = rubric
    return base.model_copy(
        update={
            "turns": records,
            "checks": checks,
            "rubric": scores,
            "passed": passed,
            "signals": signals,
            "latencies_ms": [r.latency_ms for r in records if r.result or r.rejection],
        }
    )
