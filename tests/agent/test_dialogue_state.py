"""The dialogue state: who the conversation is about, their conditions, what a follow-up means."""

from __future__ import annotations

import pytest

from agent.dialogue import DialogueState, advance, describe, is_elliptical, is_follow_up, resolve


def _after(*messages: str) -> DialogueState:
    state = DialogueState()
    for message in messages:
        state = advance(state, message)
    return state


def test_the_subject_and_their_conditions_carry_across_turns() -> None:
    state = _after("我妈有糖尿病，早上能喝粥吗", "那燕麦呢")
    assert state.subject == "mother" and state.conditions == ["diabetes"]
    assert "喝粥" in state.topic  # the elliptical message keeps the question it follows


def test_someone_else_does_not_inherit_the_conditions() -> None:
    state = _after("我妈有糖尿病", "我爸血压高，能喝咖啡吗")
    assert state.subject == "father" and state.conditions == ["hypertension"]


def test_an_elliptical_follow_up_is_searched_with_its_question_and_conditions() -> None:
    state = _after("我妈有糖尿病，早上能喝粥吗", "那燕麦呢")
    searched = resolve(state, "那燕麦呢", "zh")
    assert searched.startswith("糖尿病 ") and "喝粥" in searched and searched.endswith("那燕麦呢")


def test_a_pronoun_question_carries_the_conditions_not_the_old_question() -> None:
    state = _after("我妈有糖尿病，早上能喝粥吗", "她晚上饿了可以吃水果吗")
    searched = resolve(state, "她晚上饿了可以吃水果吗", "zh")
    assert searched == "糖尿病 她晚上饿了可以吃水果吗"


def test_a_question_that_stands_alone_is_searched_as_it_is() -> None:
    state = _after("我妈有糖尿病", "高血压每天吃多少盐合适")
    assert resolve(state, "高血压每天吃多少盐合适", "zh") == "高血压每天吃多少盐合适"


@pytest.mark.parametrize(
    ("text", "elliptical", "follow_up"),
    [
        ("那燕麦呢", True, True),
        ("what about oats instead?", True, True),
        ("她能吃吗", False, True),
        ("换成全麦面包呢", True, True),
        ("高血压每天吃多少盐合适", False, False),
        (
            "我妈妈今年七十岁了，有糖尿病十年，最近总是觉得口渴，晚上起夜三四次，她能吃西瓜吗",
            False,
            False,
        ),
    ],
)
def test_follow_ups_are_recognised(text: str, elliptical: bool, follow_up: bool) -> None:
    assert is_elliptical(text) is elliptical
    assert is_follow_up(text) is follow_up


def test_the_state_is_described_for_a_model_only_when_it_says_something() -> None:
    assert describe(DialogueState()) == ""
    note = describe(_after("我妈有糖尿病，早上能喝粥吗"))
    assert "mother" in note and "diabetes" in note


def test_the_last_card_shown_is_remembered_across_a_turn() -> None:
    state = DialogueState(last_card="gout.diet")
    assert advance(state, "那海鲜呢").last_card == "gout.diet"
