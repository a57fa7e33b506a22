"""When the patient says an earlier emergency is being handled."""

from __future__ import annotations

import pytest

from guardrails.crisis import emergency_handled


@pytest.mark.parametrize(
    ("text", "handled"),
    [
        ("已经打了120", True),
        ("救护车到了，谢谢", True),
        ("120到了", True),
        ("白車嚟咗", True),  # Cantonese: the ambulance has come
        ("the ambulance is here", True),
        ("120呢？还没来", False),
        ("我要不要打120", False),
    ],
)
def test_emergency_handled(text: str, handled: bool) -> None:
    assert emergency_handled(text) is handled


def test_a_clear_no_to_the_safety_question_gets_support_not_a_search() -> None:
    from guardrails.crisis import answers_no
    from guardrails.input_guard import safe_answer_reply, screen_input

    screen = screen_input(
        "没有，我没想过要伤害自己，就是工作压力大", "zh", safety_question_asked=True
    )
    assert screen.safe_answer and not screen.safety.escalated
    assert answers_no("no, I haven't, just stressed") and not answers_no("有时候会想")
    reply = safe_answer_reply("zh")
    assert "12356" in reply and "120" in reply
    assert not screen_input("没有，我没想过", "zh", safety_question_asked=False).safe_answer


def test_a_clear_no_is_not_overruled_by_the_semantic_layer_but_a_plan_still_is() -> None:
    from guardrails.input_guard import screen_input
    from tests.helpers.semantic import detector

    def vote(text: str):  # type: ignore[no-untyped-def]
        return detector().vote(text)

    denial = screen_input(
        "no, I'd never do anything, just tired", "en", vote, safety_question_asked=True
    )
    assert denial.safe_answer and not denial.safety.escalated
    plan = screen_input(
        "没有想过，不过药我已经攒好了，今晚就吃", "zh", vote, safety_question_asked=True
    )
    assert plan.safety.escalated and not plan.safe_answer
