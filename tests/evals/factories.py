"""Hand-made case results and turn results for the eval tests."""

from __future__ import annotations

from typing import Any

from core.schemas import Citation, Safety, ToolCallRecord, TurnResult
from evals.results import CaseResult, TurnRecord


def turn_result(reply: str = "好的。", **fields: Any) -> TurnResult:
    return TurnResult(conversation_id="c1", message_id="m1", reply=reply, **fields)


def record(user: str, reply: str = "好的。", latency_ms: float = 10.0, **fields: Any) -> TurnRecord:
    return TurnRecord(user=user, result=turn_result(reply, **fields), latency_ms=latency_ms)


def citation(doc_id: str) -> Citation:
    return Citation(doc_id=doc_id, title=doc_id, source="src", section="s")


def emergency_safety() -> Safety:
    return Safety(triage_level="emergency", escalated=True)


def tool(name: str, **arguments: Any) -> ToolCallRecord:
    return ToolCallRecord(name=name, arguments=arguments)


def result(
    case_id: str,
    *,
    passed: bool = True,
    tags: list[str] | None = None,
    signals: dict[str, tuple[float, float]] | None = None,
    repeat: int = 0,
    latencies: list[float] | None = None,
    suite: str = "s",
    error: str | None = None,
) -> CaseResult:
    return CaseResult(
        case_id=case_id,
        suite=suite,
        tags=tags or [],
        repeat=repeat,
        passed=passed,
        signals=signals or {"task_success_rate": (float(passed), 1.0)},
        latencies_ms=latencies or [],
        error=error,
        error_kind="crash" if error else None,
    )
