"""What a run produces per case: the transcript, the checks and the metric signals."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.schemas import TurnResult

ErrorKind = Literal["timeout", "crash", "unreachable"]


class Rejection(BaseModel):
    """The service refused the turn with a 4xx error (a recorded outcome, not a crash)."""

    status: int
    code: str
    message: str = ""


class TurnRecord(BaseModel):
    user: str
    result: TurnResult | None = None
    rejection: Rejection | None = None
    latency_ms: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class CheckOutcome(BaseModel):
    """One expectation checked: ``name`` says which (``turn2.triage``), ``detail`` why."""

    name: str
    kind: str
    passed: bool
    detail: str = ""
    turn: int | None = None
    judge: str = "deterministic"


class RubricScore(BaseModel):
    criterion: str
    points: float
    met: bool | None
    """None: no judge could decide (an unparseable grade is recorded as such, never guessed)."""
    judge: str
    turn: int
    tags: list[str] = Field(default_factory=list)


class CaseResult(BaseModel):
    case_id: str
    suite: str
    tags: list[str]
    repeat: int = 0
    error: str | None = None
    error_kind: ErrorKind | None = None
    turns: list[TurnRecord] = Field(default_factory=list)
    checks: list[CheckOutcome] = Field(default_factory=list)
    rubric: list[RubricScore] = Field(default_factory=list)
    signals: dict[str, tuple[float, float]] = Field(default_factory=dict)
    """Metric name -> (numerator, denominator) contributed by this case."""
    latencies_ms: list[float] = Field(default_factory=list)
    passed: bool = False
    duration_ms: float = 0.0

    @property
    def key(self) -> str:
        return f"{self.case_id}#{self.repeat}"

    def failed_checks(self) -> list[CheckOutcome]:
        return [check for check in self.checks if not check.passed]
