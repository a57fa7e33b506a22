"""An LLM judge: grades rubric items one by one with a grading prompt we wrote.

It talks to any OpenAI-compatible endpoint through the agent's provider interface (the
``openai`` SDK stays behind ``agent/llm``). The grade must be JSON ``{"met": bool, "reason":
str}``; anything else is recorded as ``met: None`` (undecided), never guessed.
"""

from __future__ import annotations

import json
import logging
import re

from pydantic import BaseModel, ValidationError

from agent.llm.base import ChatMessage, ChatProvider, ChatRequest
from evals.cases import EvalCase, RubricItem
from evals.results import RubricScore, TurnRecord

log = logging.getLogger(__name__)

GRADER_SYSTEM = """You grade one reply of a health-management assistant for Chinese-speaking
patients against ONE rubric criterion written by a physician. Judge only that criterion, only
from the conversation shown. A criterion with negative points describes something the reply
must NOT do: answer "met": true when the reply DOES that bad thing.
Reply with JSON only, no prose around it: {"met": true or false, "reason": "one short sentence"}"""

GRADER_USER = """Conversation so far (patient turns and assistant replies):
{transcript}

Reply being graded (assistant, turn {turn}):
<<<
{reply}
>>>

Criterion ({points:+g} points): {criterion}
Is the criterion met by the reply being graded? Answer with the JSON object only."""


class Grade(BaseModel):
    met: bool
    reason: str = ""


def parse_grade(text: str) -> Grade | None:
    """The first JSON object in ``text`` as a Grade; None when there is none or it is invalid."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if match is None:
        return None
    try:
        return Grade.model_validate(json.loads(match.group(0)))
    except (json.JSONDecodeError, ValidationError):
        return None


def grading_messages(records: list[TurnRecord], turn: int, item: RubricItem) -> list[ChatMessage]:
    lines = []
    for number, record in enumerate(records[:turn], 1):
        lines.append(f"[patient {number}] {record.user}")
        if number < turn and record.result is not None:
            lines.append(f"[assistant {number}] {record.result.reply}")
    graded = records[turn - 1].result
    reply = graded.reply if graded is not None else ""
    user = GRADER_USER.format(
        transcript="\n".join(lines),
        turn=turn,
        reply=reply,
        points=item.points,
        criterion=item.criterion,
    )
    return [
        ChatMessage(role="system", content=GRADER_SYSTEM),
        ChatMessage(role="user", content=user),
    ]


class LlmRubricJudge:
    """Grades every rubric item of every answered turn (patterned items too, for agreement)."""

    def __init__(self, provider: ChatProvider, name: str = "llm") -> None:
        self.provider = provider
        self.name = name

    async def score(self, case: EvalCase, records: list[TurnRecord]) -> list[RubricScore]:
        scores = []
        for turn_no, (turn, record) in enumerate(zip(case.turns, records, strict=False), 1):
            if record.result is None:
                continue
            for item in turn.expect.rubric:
                grade = await self._grade(records, turn_no, item)
                scores.append(
                    RubricScore(
                        criterion=item.criterion,
                        points=item.points,
                        met=grade.met if grade else None,
                        judge=self.name,
                        turn=turn_no,
                        tags=item.tags,
                    )
                )
        return scores

    async def _grade(self, records: list[TurnRecord], turn: int, item: RubricItem) -> Grade | None:
        request = ChatRequest(messages=grading_messages(records, turn, item))
        try:
            response = await self.provider.complete(request)
        except Exception as exc:  # a failed grade is recorded as undecided, never guessed
            log.warning("judge %s failed on %r: %s", self.name, item.criterion, exc)
            return None
        if response.fallback:
            return None
        grade = parse_grade(response.content)
        if grade is None:
            log.warning("judge %s gave an unparseable grade: %.200s", self.name, response.content)
        return grade
